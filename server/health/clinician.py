"""What a clinician is shown of a profile: one read model for the share page, the printed
summary and the International Patient Summary.

Built from the Summary's and Lab overview's read models with their trust rules (rejected,
held and foreign facts never appear; every machine-read fact nobody confirmed is marked), in
two queries whatever the profile's size: its facts, then the word boxes of the facts shown.

`document_ids` names the documents the reader may open (a share link's chosen documents);
only facts read from those carry a citation, and the others name their source by kind and
date, never by file name. None: every document may be opened (the owner's own printout).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from server.db.tables import Fact, Profile
from server.errors import NotFound
from server.health import latest, readmodel
from server.health import summary as summaries
from server.health.labs import Band, Latest, overview, reference_band
from server.health.records import FactRow, profile_facts


@dataclass(frozen=True)
class Citation:
    """Where on which page of a document a fact was read (boxes: fractions of the page)."""

    document: int
    fact: int
    page: int | None
    boxes: tuple[tuple[float, float, float, float], ...]
    document_name: str


@dataclass(frozen=True)
class Entry:
    """One line of the summary: what, how much, as of when, from where, and who checked it."""

    fact: FactRow
    kind: str  # the fact's kind: lab, vital, medication, condition, allergy, immunization
    title: str
    detail: str
    date: date | None  # the date the source gives for it
    confirmed: bool  # a person confirmed, corrected or entered it (else machine-read only)
    source: str  # the document's name (when citable), kind and date, or "entered by hand"
    citation: Citation | None  # None when typed in, or its document is not shared
    code: str = ""
    old: bool = False  # only in a medication list well before the newest one
    conflicted: bool = False  # documents disagree about it (see `conflicts`)
    mentions: int = 1
    # Lab results and vital signs
    value: str = ""
    flag: str = ""
    reference: str = ""  # the reference range as printed
    band: Band | None = None  # the same, as numbers in the value's unit
    direction: str | None = None  # up, down, flat against the previous result


@dataclass(frozen=True)
class Person:
    name: str
    date_of_birth: date | None
    age: int | None  # whole years on `as_of`
    as_of: date  # the day the summary was made


@dataclass(frozen=True)
class ClinicianSummary:
    """Everything the clinician's view shows, in the order it shows it."""

    profile_id: int
    person: Person
    problems: tuple[Entry, ...]
    past_problems: tuple[Entry, ...]
    medications: tuple[Entry, ...]  # current: in the newest lists
    older_medications: tuple[Entry, ...]  # only in older lists (Entry.old): may not be taken
    medications_as_of: date | None  # the newest medication list's date
    allergies: tuple[Entry, ...]
    no_known_allergies: tuple[Entry, ...]  # "NKDA" statements, newest first
    immunizations: tuple[Entry, ...]
    labs: tuple[Entry, ...]  # each test's latest result
    vitals: tuple[Entry, ...]  # each vital sign's latest
    conflicts: tuple[str, ...]  # documents that disagree, in words
    newest: date | None  # the newest date among the facts shown
    procedures: tuple[Entry, ...] = ()

    @property
    def entries(self) -> tuple[Entry, ...]:
        return (
            *self.problems,
            *self.past_problems,
            *self.medications,
            *self.older_medications,
            *self.allergies,
            *self.no_known_allergies,
            *self.immunizations,
            *self.procedures,
            *self.labs,
            *self.vitals,
        )

    @property
    def unreviewed(self) -> int:
        return sum(1 for e in self.entries if not e.confirmed)


async def clinician_summary(
    profile_id: int,
    *,
    now: datetime | None = None,
    document_ids: Sequence[int] | None = None,
    facts: Sequence[FactRow] | None = None,
) -> ClinicianSummary:
    """The clinician's summary of one profile. The caller has checked access to it.

    `facts`: every fact of the profile as `profile_facts(profile_id, held=True)` reads them,
    when the caller has them already (an export): the summary is made from those instead
    of reading the database again.
    """
    profile = await Profile.select().where(Profile.id == profile_id).first()
    if profile is None:
        raise NotFound("No such profile.")
    today = (now or datetime.now(UTC)).date()
    if facts is not None:
        return await build(profile, [f for f in facts if not f.held], today, document_ids)
    built = await current_summary(profile_id)
    vitals = await latest.overview(profile_id, "vital")
    return await build(profile, [], today, document_ids, vitals=vitals, built=built)


async def current_summary(profile_id: int) -> summaries.Summary:
    """The Summary page's lists and labs (`summaries.summarise` of the profile's facts), kept
    while the profile's facts and documents are unchanged (`readmodel`). Shared between
    requests: callers do not change it."""

    async def compute() -> summaries.Summary:
        # The lists need every fact of their kinds; the labs only each series' latest, read
        # bounded (latest.overview) however long the record.
        facts = await profile_facts(profile_id, *summaries.LIST_KINDS)
        return summaries.summarise(facts, await latest.overview(profile_id, "lab"))

    return await readmodel.cached(profile_id, "summary", compute)


async def build(
    profile: Mapping[str, Any],
    facts: list[FactRow],
    today: date,
    document_ids: Sequence[int] | None = None,
    *,
    labs: list[Latest] | None = None,
    vitals: list[Latest] | None = None,
    built: summaries.Summary | None = None,
) -> ClinicianSummary:
    """The summary from facts already read (held ones left out by `profile_facts`); `labs`
    and `vitals`: their overviews when already made, else made from `facts`; `built`: the
    summary of `facts` when already made (then `facts` is not read)."""
    built = summaries.summarise(facts, labs) if built is None else built
    vitals = overview(facts, "vital") if vitals is None else vitals
    citable = None if document_ids is None else frozenset(int(d) for d in document_ids)
    shown = [i.latest for i in _items(built)] + [r.fact for r in (*built.labs, *vitals)]
    shown += built.none_known
    boxes = await _boxes(f for f in shown if _may_cite(f, citable))

    def entry(item: summaries.Item, old: bool = False) -> Entry:
        return _entry(item.latest, item.title, item.detail, boxes, citable, old=old,
                      conflicted=item.conflicted, mentions=len(item.mentions))  # fmt: skip

    def result(row: Latest) -> Entry:
        f = row.fact
        return _entry(
            f, row.title, f.display, boxes, citable, mentions=row.count, value=f.display,
            flag=f.flag if f.flagged else "", reference=f.reference_text,
            band=reference_band(f), direction=row.direction,
        )  # fmt: skip

    dob = profile.get("date_of_birth")
    dob = dob if isinstance(dob, date) else (date.fromisoformat(dob) if dob else None)
    dates = [f.when for f in shown if f.when is not None]
    return ClinicianSummary(
        profile_id=int(profile["id"]),
        person=Person(str(profile["display_name"]), dob, _age(dob, today), today),
        problems=tuple(entry(i) for i in built.problems),
        past_problems=tuple(entry(i) for i in built.past_problems),
        medications=tuple(entry(i) for i in built.medications),
        older_medications=tuple(entry(i, old=True) for i in built.older_medications),
        medications_as_of=built.medications_as_of,
        allergies=tuple(entry(i) for i in built.allergies),
        no_known_allergies=tuple(
            _entry(f, _nka_title(f), f.line.strip(), boxes, citable) for f in built.none_known
        ),
        immunizations=tuple(entry(i) for i in built.immunizations),
        procedures=tuple(entry(i) for i in built.procedures),
        labs=tuple(result(r) for r in built.labs),
        vitals=tuple(result(r) for r in vitals),
        conflicts=tuple(c.message for c in built.conflicts),
        newest=max(dates) if dates else None,
    )


def _items(built: summaries.Summary) -> list[summaries.Item]:
    return [
        *built.problems,
        *built.past_problems,
        *built.medications,
        *built.older_medications,
        *built.allergies,
        *built.immunizations,
        *built.procedures,
    ]


def _entry(
    fact: FactRow,
    title: str,
    detail: str,
    boxes: Mapping[int, tuple[tuple[float, float, float, float], ...]],
    citable: frozenset[int] | None,
    **more: Any,
) -> Entry:
    citation = None
    if _may_cite(fact, citable):
        assert fact.document is not None
        citation = Citation(fact.document, fact.id, fact.page, boxes.get(fact.id, ()),
                            fact.doc_name)  # fmt: skip
    return Entry(
        fact=fact,
        kind=fact.kind,
        title=title,
        detail=detail,
        date=fact.when,
        confirmed=not fact.unreviewed,
        source=_source(fact, citation is not None),
        citation=citation,
        code=fact.code or str(fact.get("icd10") or ""),
        **more,
    )


def _may_cite(fact: FactRow, citable: frozenset[int] | None) -> bool:
    return fact.document is not None and (citable is None or fact.document in citable)


def _source(fact: FactRow, named: bool) -> str:
    if fact.document is None:
        return "entered by hand"
    if named and fact.doc_name:
        return fact.doc_name
    kind = fact.doc_type or "document"
    when = fact.doc_date or fact.doc_added
    return f"{kind} of {when}" if when else kind


def _nka_title(fact: FactRow) -> str:
    scope = str(fact.get("scope") or "")
    return {"drug": "No known drug allergies", "food": "No known food allergies"}.get(
        scope, "No known allergies"
    )


async def _boxes(
    facts: Iterable[FactRow],
) -> dict[int, tuple[tuple[float, float, float, float], ...]]:
    """The word boxes of the facts shown, in one query."""
    ids = sorted({f.id for f in facts})
    if not ids:
        return {}
    rows = await Fact.select(Fact.id, Fact.boxes).where(Fact.id.is_in(ids)).output(load_json=True)
    return {int(r["id"]): tuple(_box(b) for b in r["boxes"] or [] if _is_box(b)) for r in rows}


def _box(value: Sequence[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (max(0.0, min(1.0, float(v))) for v in value[:4])
    return (x0, y0, x1, y1)


def _is_box(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) >= 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:4])
    )


def _age(born: date | None, today: date) -> int | None:
    if born is None or born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
