"""Facts as the health views read them: one profile's, never rejected, with their document."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from ocr.facts.confidence import needs_review
from ocr.facts.units import same
from server.access.scope import LIVE
from server.db.tables import EXTRACTED, REJECTED, Document, Fact
from server.facts import numbers
from server.facts.patient import MISMATCH

_COLUMNS = (
    Fact.id,
    Fact.kind,
    Fact.status,
    Fact.name,
    Fact.analyte,
    Fact.code,
    Fact.effective,
    Fact.value_text,
    Fact.value_num,
    Fact.unit,
    Fact.flag,
    Fact.state,
    Fact.data,
    Fact.corrected,
    Fact.page,
    Fact.line,
    Fact.locator,
    Fact.document,
    Fact.seq,
    Fact.confidence,
    Fact.document.original_name.as_alias("doc_name"),
    Fact.document.doc_date.as_alias("doc_date"),
    Fact.document.doc_type.as_alias("doc_type"),
    Fact.document.created_at.as_alias("doc_added"),
    Fact.document.profile.as_alias("doc_profile"),
    Fact.document.patient_check.as_alias("doc_patient"),
)


@dataclass(frozen=True)
class Source:
    """Another document the same result was read from (server/facts/same.py)."""

    fact: int
    document: int
    doc_name: str
    page: int | None = None

    @property
    def cite_url(self) -> str:
        anchor = f"#page-{self.page}" if self.page else ""
        return f"/documents/{self.document}?fact={self.fact}{anchor}"


@dataclass(frozen=True, eq=False)  # one row is one fact: compared and hashed by identity
class FactRow:
    """One fact with what the views need of its document; columns hold the current value."""

    id: int
    kind: str
    name: str
    status: str = "extracted"
    analyte: str = ""
    code: str = ""
    effective: date | None = None
    value_text: str = ""
    value_num: float | None = None
    unit: str = ""
    flag: str = ""
    state: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    corrected: Mapping[str, Any] = field(default_factory=dict)
    page: int | None = None
    line: str = ""
    locator: str = ""
    document: int | None = None
    seq: int = 0
    doc_name: str = ""
    doc_date: date | None = None
    doc_type: str = ""
    doc_added: date | None = None
    confidence: float | None = None
    doc_patient: str = ""  # facts/patient.py: match, mismatch, confirmed, or ""
    sources: tuple[Source, ...] = ()  # the other documents that gave the same result

    @property
    def source_count(self) -> int:
        """How many documents gave this result (1 unless it came from several)."""
        return 1 + len(self.sources)

    @property
    def foreign(self) -> bool:
        """From a document that names another patient than its profile, not yet confirmed."""
        return self.doc_patient == MISMATCH

    @property
    def unreviewed(self) -> bool:
        """Machine-read and nobody has confirmed it: every view marks it."""
        return self.status == EXTRACTED

    @property
    def held(self) -> bool:
        """Not to be shown as the person's health until a person acts: unreviewed with evidence
        too weak (it waits in review), or from a document that names someone else (until
        someone confirms it belongs or moves it). Out of the Summary, Lab overview, trends."""
        return (self.unreviewed and needs_review(self.confidence)) or self.foreign

    @property
    def when(self) -> date | None:
        """The date the fact is about: its own, else its document's, else the day it arrived."""
        return self.effective or self.doc_date or self.doc_added

    @property
    def cite_url(self) -> str | None:
        """The document page with this fact's words highlighted (None for facts typed in)."""
        if self.document is None:
            return None
        anchor = f"#page-{self.page}" if self.page else ""
        return f"/documents/{self.document}?fact={self.id}{anchor}"

    def get(self, name: str) -> Any:
        """A field of the extracted record, as a person corrected it when they did."""
        if name in self.corrected:
            return self.corrected[name]
        return self.data.get(name)

    @property
    def flagged(self) -> bool:
        return self.flag.strip().upper() not in ("", "N")

    @property
    def converted(self) -> bool:
        """Whether the number was converted from the unit the document printed."""
        # A person's correction rewrites value_text in the unit column's unit (server.facts).
        printed = str(self.data.get("unit") or "")
        if self.corrected or self.value_num is None or not printed or not self.unit:
            return False
        return not same(printed, self.unit)

    @property
    def display(self) -> str:
        """The current value with its unit (in the canonical unit when it was converted)."""
        if self.converted and self.value_num is not None:
            comparator = re.match(r"\s*(<=|>=|<|>|≤|≥)", self.value_text)
            prefix = comparator.group(1) if comparator else ""
            return f"{prefix}{numbers.converted(self.value_num, self.value_text)} {self.unit}"
        value = self.value_text or ("" if self.value_num is None else f"{self.value_num:g}")
        return f"{value} {self.unit}".strip()

    @property
    def reference_text(self) -> str:
        reference = self.get("reference")
        if isinstance(reference, Mapping):
            return str(reference.get("text") or "")
        return str(reference or "")

    @property
    def none_known(self) -> bool:
        """An allergy fact saying there are none known ("NKDA")."""
        return self.kind == "allergy" and (
            self.state.casefold() in ("none-known", "none known") or bool(self.get("none_known"))
        )

    @property
    def detail(self) -> str:
        """The fact's value in words, as the lists show it beside its name."""
        if self.kind in ("lab", "vital"):
            return self.display
        if self.kind == "medication":
            parts = [self.get(k) for k in ("strength", "dose", "route", "frequency")]
            text = " ".join(str(p) for p in parts if p) or self.value_text
            return text + (f" ({self.state})" if self.state not in ("", "active") else "")
        if self.kind == "allergy":
            if self.none_known:
                return "none known"
            parts = [self.get("reaction"), self.get("severity")]
            text = ", ".join(str(p) for p in parts if p)
            return text + (f" ({self.state})" if self.state not in ("", "active") else "")
        if self.kind == "immunization":
            number = self.get("dose_number")
            text = f"dose {number}" if number else ""
            return text + (f" ({self.state})" if self.state not in ("", "completed") else "")
        code = self.code or str(self.get("icd10") or "")
        return " ".join(p for p in (code, self.state if self.state != "active" else "") if p)

    @property
    def printed(self) -> str:
        """The value as the document printed it, when `display` shows a converted one."""
        return f"{self.value_text} {self.data.get('unit')}" if self.converted else ""


async def profile_facts(profile_id: int, *kinds: str, held: bool = False) -> list[FactRow]:
    """The profile's facts (of `kinds`, else all), skipping rejected ones and, unless `held`,
    the low-confidence ones still waiting in review (FactRow.held).

    A fact is shown only while its document is filed under the same profile: facts follow
    their document, and this keeps a fact that has not followed yet from showing anywhere.
    """
    query = Fact.select(*_COLUMNS).where(
        (Fact.profile == profile_id)
        & (Fact.status != REJECTED)
        & (Fact.document.is_null() | (Fact.document.profile == profile_id))
        # Another source's copy of a result: shown as a source of the fact it is the same as.
        & Fact.same_as.is_null()
    )
    if kinds:
        query = query.where(Fact.kind.is_in(list(kinds)))
    rows = [_row(r) for r in await query.output(load_json=False)]
    rows = await _with_sources(rows)
    return rows if held else [r for r in rows if not r.held]


async def _with_sources(rows: list[FactRow]) -> list[FactRow]:
    """The rows, each with the other documents that gave the same result."""
    found: dict[int, list[Source]] = {}
    ids = [r.id for r in rows]
    for i in range(0, len(ids), 500):
        query = Fact.select(
            Fact.id,
            Fact.same_as,
            Fact.document,
            Fact.page,
            Fact.document.original_name.as_alias("doc_name"),
        ).where(Fact.same_as.is_in(ids[i : i + 500]) & (Fact.status != REJECTED))
        for r in await query.order_by(Fact.id):
            if r["document"] is not None:
                found.setdefault(int(r["same_as"]), []).append(
                    Source(int(r["id"]), int(r["document"]), r["doc_name"] or "", r["page"])
                )
    if not found:
        return rows
    return [replace(r, sources=tuple(found[r.id])) if r.id in found else r for r in rows]


async def facts_by_id(ids: list[int]) -> dict[int, FactRow]:
    """Facts by id, as `profile_facts` reads them (the caller chose ids it may show)."""
    out: dict[int, FactRow] = {}
    unique = sorted(set(ids))
    for i in range(0, len(unique), 500):  # well below every database's limit on parameters
        query = Fact.select(*_COLUMNS).where(Fact.id.is_in(unique[i : i + 500]))
        for r in await query.output(load_json=False):
            out[int(r["id"])] = _row(r)
    return {r.id: r for r in await _with_sources(list(out.values()))}


async def profile_documents(profile_id: int, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The profile's read documents with their type, date, provider and facility (of `ids`
    only, when given)."""
    if ids is None:
        return list(await _documents(profile_id))
    unique, out = sorted(set(ids)), []
    for i in range(0, len(unique), 500):  # well below every database's limit on parameters
        out += await _documents(profile_id).where(Document.id.is_in(unique[i : i + 500]))
    return out


def _documents(profile_id: int) -> Any:
    return Document.select(
        Document.id,
        Document.original_name,
        Document.doc_type,
        Document.doc_date,
        Document.provider,
        Document.facility,
        Document.created_at,
        Document.page_count,
    ).where((Document.profile == profile_id) & (Document.state == "ready") & LIVE)


def _row(r: dict[str, Any]) -> FactRow:
    return FactRow(
        id=int(r["id"]),
        kind=r["kind"],
        status=r["status"],
        name=r["name"] or "",
        analyte=r["analyte"] or "",
        code=r["code"] or "",
        effective=_date(r["effective"]),
        value_text=r["value_text"] or "",
        value_num=None if r["value_num"] is None else float(r["value_num"]),
        unit=r["unit"] or "",
        flag=r["flag"] or "",
        state=r["state"] or "",
        data=_mapping(r["data"]),
        corrected=_mapping(r["corrected"]),
        page=r["page"],
        line=r["line"] or "",
        locator=r["locator"] or "",
        document=r["document"],
        seq=r["seq"] or 0,
        doc_name=r["doc_name"] or "",
        doc_date=_date(r["doc_date"]),
        doc_type=r["doc_type"] or "",
        doc_added=_date(r["doc_added"]),
        confidence=None if r["confidence"] is None else float(r["confidence"]),
        doc_patient=r.get("doc_patient") or "",
    )


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def _mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object column: decoded when first read (most rows' never are), {} when not one."""
    if isinstance(value, str):
        return _EMPTY if value.strip() in ("", "{}", "null") else _Lazy(value)
    return value if isinstance(value, dict) else _EMPTY


_EMPTY: Mapping[str, Any] = MappingProxyType({})


class _Lazy(Mapping[str, Any]):
    """A JSON object decoded on first use: the views read `data` of the few facts they show."""

    __slots__ = ("_raw", "_value")

    def __init__(self, raw: str) -> None:
        self._raw = raw
        self._value: dict[str, Any] | None = None

    def _decoded(self) -> dict[str, Any]:
        if self._value is None:
            value = json.loads(self._raw)
            self._value = value if isinstance(value, dict) else {}
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __repr__(self) -> str:
        return repr(self._decoded())
