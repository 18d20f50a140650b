"""A profile's timeline: documents and facts by day, newest first, filtered by kind and year.

Pure: takes the profile's documents and `FactRow`s. A fact sits on the day it is about
(a vaccine given in 2012 listed on a 2020 record sits in 2012), under its document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.health.records import FactRow

KINDS = {
    "document": "Documents",
    "lab": "Lab results",
    "vital": "Vital signs",
    "medication": "Medications",
    "condition": "Problems",
    "allergy": "Allergies",
    "immunization": "Immunizations",
    "procedure": "Procedures",
}
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}
# Entries per page: a day may hold thousands (a scanned archive filed on one afternoon), so a
# page ends after this many entries, within a day if need be, and the next one starts there.
ENTRIES_PER_PAGE = 50


@dataclass
class Entry:
    """A document on a day with the facts it gives for that day, or facts typed in by hand."""

    document: Mapping[str, Any] | None
    facts: list[FactRow] = field(default_factory=list)
    own_day: bool = False  # the day is the document's own date (not only one its facts name)


@dataclass
class Day:
    day: date | None  # None: facts with no date at all
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Timeline:
    days: list[Day]
    kinds: dict[str, int]  # facet counts under the year filter
    years: list[tuple[int, int]]  # (year, count) under the kind filter, newest first
    has_next: bool = False
    after: str = ""  # the cursor of the next (older) page, when there is one


@dataclass(frozen=True)
class Slot:
    """Where an entry of the whole timeline sits: its day and document (0: typed in by hand),
    whether the document is itself of that day, and the kinds of the facts it has there."""

    day: date | None
    document: int
    own: bool
    kinds: frozenset[str]


def document_day(doc: Mapping[str, Any]) -> date | None:
    """The date a document is about, else the day it arrived."""
    value = doc.get("doc_date") or doc.get("created_at")
    return value.date() if isinstance(value, datetime) else value


def slots(
    documents: Iterable[tuple[date | None, int]], facts: Iterable[tuple[date | None, int, str]]
) -> list[Slot]:
    """Every entry of the timeline from (day, id) of each document and (day, document or 0,
    kind) of each fact."""
    own: set[tuple[date | None, int]] = set()
    kinds: dict[tuple[date | None, int], set[str]] = {}
    for day, doc in documents:
        own.add((day, doc))
        kinds.setdefault((day, doc), set())
    for day, doc, kind in facts:
        kinds.setdefault((day, doc), set()).add(kind)
    return [Slot(day, doc, (day, doc) in own, frozenset(k)) for (day, doc), k in kinds.items()]


def _place(day: date | None, own: bool, doc: int) -> tuple[int, int, int]:
    """An entry's place, newest first: by day (no date last), the day's own documents first,
    then by document, newest first (facts typed in by hand last)."""
    return (-day.toordinal() if day else 1, 0 if own else 1, -doc)


def cursor(day: date | None, own: bool, doc: int) -> str:
    return f"{day.isoformat() if day else 'none'}.{int(own)}.{doc}"


def parse_cursor(text: str) -> tuple[int, int, int] | None:
    """The place a cursor names (None: not a cursor; the page starts at the newest)."""
    parts = text.split(".")
    if len(parts) != 3 or parts[1] not in ("0", "1") or not parts[2].isdigit():
        return None
    try:
        day = None if parts[0] == "none" else date.fromisoformat(parts[0])
    except ValueError:
        return None
    return _place(day, parts[1] == "1", int(parts[2]))


def choose(
    index: Iterable[Slot], *, kind: str = "", year: int | None = None, after: str = ""
) -> tuple[list[Slot], str]:
    """The entries of the page that follows the cursor `after` under the filters (each with
    `own` as the page shows it) and the next page's cursor ("" on the last page)."""
    shown = []
    for s in index:
        if year is not None and (s.day is None or s.day.year != year):
            continue
        own = s.own and kind in ("", "document")
        if own or (kind != "document" and (not kind or kind in s.kinds) and s.kinds):
            shown.append(Slot(s.day, s.document, own, s.kinds))
    start = parse_cursor(after)
    placed = [(_place(s.day, s.own, s.document), s) for s in shown]
    placed.sort(key=lambda p: p[0])
    ordered = [s for place, s in placed if start is None or place > start]
    page = ordered[:ENTRIES_PER_PAGE]
    more = len(ordered) > len(page)
    last = page[-1] if page else None
    return page, cursor(last.day, last.own, last.document) if more and last else ""


def build(
    documents: Iterable[Mapping[str, Any]],
    facts: Iterable[FactRow],
    *,
    kind: str = "",
    year: int | None = None,
    after: str = "",
) -> Timeline:
    """The page after the cursor `after` from every document and fact of the profile."""
    documents, facts = list(documents), list(facts)
    tally = [(document_day(doc), "document", 1) for doc in documents]
    tally += [(fact.when, fact.kind, 1) for fact in facts]
    kinds, years = count(tally, kind=kind, year=year)
    index = slots(
        [(document_day(d), int(d["id"])) for d in documents],
        [(f.when, f.document or 0, f.kind) for f in facts],
    )
    page, next_after = choose(index, kind=kind, year=year, after=after)
    return page_of(
        documents, facts, {doc["id"]: doc for doc in documents}, page,
        kind=kind, year=year, kinds=kinds, years=years, after=next_after,
    )  # fmt: skip


def count(
    tally: Iterable[tuple[date | None, str, int]], *, kind: str = "", year: int | None = None
) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """From (day, kind, how many) of every item: the kind counts under the year filter and
    the year counts under the kind filter."""
    kind_counts: Counter[str] = Counter()
    year_counts: Counter[int] = Counter()
    for day, item_kind, n in tally:
        if year is None or (day is not None and day.year == year):
            kind_counts[item_kind] += n
        if day is not None and (not kind or kind == item_kind):
            year_counts[day.year] += n
    return (
        {k: kind_counts[k] for k in KINDS if kind_counts[k]},
        sorted(year_counts.items(), reverse=True),
    )


def page_of(
    documents: Iterable[Mapping[str, Any]],
    facts: Iterable[FactRow],
    known: Mapping[int, Mapping[str, Any]],
    page: list[Slot],
    *,
    kind: str,
    year: int | None,
    kinds: dict[str, int],
    years: list[tuple[int, int]],
    after: str,
) -> Timeline:
    """The page of the entries `page` from documents and facts that include theirs (others are
    left out); `known`: documents by id, for the facts whose document sits on another day."""
    own = {(s.day, s.document) for s in page if s.own}
    wanted = {(s.day, s.document) for s in page}
    items: list[tuple[date | None, Mapping[str, Any] | None, FactRow | None]] = []
    for doc in documents:
        day = document_day(doc)
        if (day, int(doc["id"])) in own:
            items.append((day, doc, None))
    for fact in facts:
        if (fact.when, fact.document or 0) in wanted and _keep(fact.kind, fact.when, kind, year):
            items.append((fact.when, _document_of(fact, known), fact))
    return Timeline(_days(items), kinds, years, has_next=bool(after), after=after)


def _document_of(fact: FactRow, by_id: Mapping[int, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    if fact.document is None:
        return None
    known = by_id.get(fact.document)
    return known or {"id": fact.document, "original_name": fact.doc_name, "doc_type": fact.doc_type}


def _keep(item_kind: str, day: date | None, kind: str, year: int | None) -> bool:
    if kind and item_kind != kind:
        return False
    return year is None or (day is not None and day.year == year)


def _days(items: list[tuple[date | None, Mapping[str, Any] | None, FactRow | None]]) -> list[Day]:
    entries: dict[tuple[date | None, Any], Entry] = {}
    for day, doc, fact in items:
        key = (day, doc["id"] if doc else (None if fact is None else "hand"))
        entry = entries.setdefault(key, Entry(doc))
        if fact is None:
            entry.own_day = True
        else:
            entry.facts.append(fact)
    days: dict[date | None, Day] = {}
    for (day, _), entry in entries.items():
        entry.facts.sort(key=lambda f: (_KIND_ORDER.get(f.kind, 99), f.seq, f.id))
        days.setdefault(day, Day(day)).entries.append(entry)
    for d in days.values():
        d.entries.sort(key=lambda e: (not e.own_day, -(e.document["id"] if e.document else 0)))
    return sorted(days.values(), key=lambda d: d.day or date.min, reverse=True)
