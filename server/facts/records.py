"""What `ocr.facts` read, as Fact rows: one flat record per fact, with a key that survives
reading the same document again (so facts a person reviewed can be kept).

Left out on purpose: conditions that are not the patient's (negated, family history, ruled
out: `DocumentFacts.excluded`) and allergy statements that say the patient is *not* allergic
to something (status "refuted"). No view must show them as the patient's.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from ocr.facts.model import (
    Allergy,
    Citation,
    Condition,
    DocumentFacts,
    Immunization,
    LabResult,
    Medication,
    Procedure,
)

# Column widths of server.db.tables.Fact and Document (PostgreSQL enforces them).
WIDTHS = {
    "name": 255,
    "analyte": 64,
    "code": 64,
    "value_text": 255,
    "unit": 40,
    "flag": 10,
    "state": 20,
    "locator": 255,
    "doc_type": 40,
    "doc_date_kind": 20,
    "provider": 255,
    "facility": 255,
}
EARLIEST = date(1900, 1, 1)  # older dates are misreadings (C-CDA null dates come as 0001-01-01)
_NONE_KNOWN = {
    "drug": "No known drug allergies",
    "food": "No known food allergies",
}


@dataclass
class NewFact:
    """One fact about to be written: Fact columns, plus the key it is matched by later."""

    kind: str
    key: str
    seq: int
    name: str
    data: dict[str, Any]
    analyte: str = ""
    code: str = ""
    effective: date | None = None
    value_text: str = ""
    value_num: float | None = None
    unit: str = ""
    flag: str = ""
    state: str = ""
    page: int | None = None
    boxes: list[list[float]] = field(default_factory=list)
    line: str = ""
    locator: str = ""
    confidence: float | None = None

    def columns(self) -> dict[str, Any]:
        """Column name → value, cut to the columns' widths."""
        names = [f.name for f in dataclasses.fields(self) if f.name != "key"]
        return {name: clip(name, getattr(self, name)) for name in names}


def clip(column: str, value: Any) -> Any:
    width = WIDTHS.get(column)
    if width is not None and isinstance(value, str) and len(value) > width:
        return value[: width - 1] + "…"
    return value


def sane_date(value: date | None) -> date | None:
    return value if value is not None and value >= EARLIEST else None


def document_values(found: DocumentFacts) -> dict[str, Any]:
    """The document's type, date, date kind, provider and facility, as columns."""
    when = sane_date(found.date)
    return {
        "doc_type": clip("doc_type", found.kind or "other"),
        "doc_date": when,
        "doc_date_kind": clip("doc_date_kind", (found.date_kind or "") if when else ""),
        "provider": clip("provider", found.provider or ""),
        "facility": clip("facility", found.facility or ""),
    }


def from_document(found: DocumentFacts) -> list[NewFact]:
    """Every fact of the document that is the patient's, in reading order, with keys."""
    when = sane_date(found.date)
    facts: list[NewFact] = []
    facts += [_lab(r, when) for r in found.labs]
    facts += [_medication(m, when) for m in found.medications]
    facts += [_condition(c, when) for c in found.conditions if c.assertion == "present"]
    facts += [_allergy(a, when) for a in found.allergies if a.status != "refuted"]
    facts += [_immunization(i, when) for i in found.immunizations]
    facts += [_procedure(p, when) for p in found.procedures]
    seen: Counter[str] = Counter()
    for seq, fact in enumerate(facts):
        fact.seq = seq
        seen[fact.key] += 1
        fact.key = f"{fact.key}#{seen[fact.key]}"  # the same fact printed twice stays two
        fact.data["key"] = fact.key
    return facts


def _lab(r: LabResult, when: date | None) -> NewFact:
    number: float | None
    if r.canonical is not None:
        number, unit = r.canonical.value, r.canonical.unit or ""
    else:
        number, unit = r.value.number, r.unit_normal or r.unit or ""
    effective = sane_date(r.collected) or when
    return _fact(
        "vital" if r.category == "vital" else "lab",
        r,
        r.citation,
        effective,
        ident=r.analyte or r.name,
        name=r.name,
        analyte=r.analyte or "",
        code=r.loinc or "",
        value_text=r.value.text,
        value_num=number if number is not None and math.isfinite(number) else None,
        unit=unit,
        flag="" if r.flag in (None, "N") else r.flag,
    )


def _medication(m: Medication, when: date | None) -> NewFact:
    return _fact(
        "medication",
        m,
        m.citation,
        when,
        ident=m.name,
        name=m.name,
        code=m.code or "",
        value_text=m.strength or m.dose or "",
        state=m.status,
    )


def _condition(c: Condition, when: date | None) -> NewFact:
    return _fact(
        "condition",
        c,
        c.citation,
        sane_date(c.onset) or when,
        ident=c.icd10 or c.name,
        name=c.name,
        code=c.icd10 or c.code or "",
        state=c.status,
    )


def _allergy(a: Allergy, when: date | None) -> NewFact:
    if a.none_known:
        name = _NONE_KNOWN.get(a.scope or "", "No known allergies")
        return _fact("allergy", a, a.citation, when, ident=name, name=name, state="none-known")
    substance = a.substance or "unknown substance"
    return _fact(
        "allergy",
        a,
        a.citation,
        when,
        ident=substance,
        name=substance,
        code=a.code or "",
        value_text=a.reaction or "",
        state=a.status,
    )


def _immunization(i: Immunization, when: date | None) -> NewFact:
    return _fact(
        "immunization",
        i,
        i.citation,
        sane_date(i.given) or when,
        ident=i.vaccine,
        name=i.vaccine,
        code=i.code or "",
        value_text=f"dose {i.dose_number}" if i.dose_number else "",
        state=i.status,
    )


def _procedure(p: Procedure, when: date | None) -> NewFact:
    return _fact(
        "procedure",
        p,
        p.citation,
        sane_date(p.performed) or when,
        ident=p.name,
        name=p.name,
        code=p.code or "",
        state=p.status,
    )


def _fact(
    kind: str,
    record: Any,
    citation: Citation,
    effective: date | None,
    *,
    ident: str,
    **columns: Any,
) -> NewFact:
    # Keyed by what the fact is about and where, never by its value: a value a person
    # corrected is exactly what a second reading may get wrong again.
    where = citation.locator if citation.page is None and citation.locator else citation.page
    key = f"{kind}|{where or ''}|{_slug(ident)}|{effective.isoformat() if effective else ''}"
    return NewFact(
        kind=kind,
        key=key,
        seq=0,
        data=jsonable(record),
        effective=effective,
        page=citation.page,
        boxes=[[round(float(v), 4) for v in box] for box in citation.boxes],
        line=citation.line,
        locator=citation.locator or "",
        confidence=_confidence(record),
        **columns,
    )


def _confidence(record: Any) -> float | None:
    value = getattr(record, "confidence", None)  # None: structured, or an older extractor
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def jsonable(value: Any) -> Any:
    """Dataclasses, dates, tuples and enums as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
