"""A document's type and date for the search facets.

Fact extraction stores both on the document (`Document.doc_type`, `doc_date`); documents it
has not read yet fall back to these guesses from the text, made again on every reindex.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

# Checked in order; the first type with two clues (or one strong one) wins.
TYPES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("immunization", ("immunization record", "vaccination record"), ("vaccine", "lot", "dose")),
    ("imaging", ("radiology report",), ("impression", "ct", "mri", "x-ray", "ultrasound", "scan")),
    ("discharge", ("discharge summary",), ("admitted", "discharged", "discharge")),
    (
        "lab",
        ("reference range", "laboratory report"),
        ("specimen", "collected", "result", "mg/dl", "mmol/l", "flag"),
    ),
    ("medication", ("prescription",), ("rx", "sig", "tablet", "dispense", "refills", "capsule")),
    (
        "visit",
        ("visit note", "chief complaint", "history of present illness"),
        ("assessment", "plan", "exam", "complaint", "follow up"),
    ),
]
OTHER = "other"
STRUCTURED = "record"
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}  # noqa: SIM905
_DATES = [
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), "mdy"),
    (re.compile(r"\b([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})\b"), "Mdy"),
]
_BIRTH = re.compile(r"\b(dob|d\.o\.b|birth|born)\b", re.IGNORECASE)


# The fact extractor's document types (ocr.facts.document.KINDS), as search types.
FACT_TYPES = {
    "lab report": "lab",
    "visit note": "visit",
    "discharge summary": "discharge",
    "imaging report": "imaging",
    "medication list": "medication",
    "immunization record": "immunization",
    "referral": "referral",
    "billing": "billing",
    "other": OTHER,
}


def stored_type(extracted: str, kind: str = "") -> str:
    """The search type of the type fact extraction stored; "" when it has not run."""
    if not extracted:
        return ""
    found = FACT_TYPES.get(extracted, OTHER)
    return STRUCTURED if found == OTHER and kind == "structured" else found


def doc_type(texts: Sequence[str], kind: str = "") -> str:
    """lab, medication, visit, immunization, imaging, discharge, record or other."""
    if kind == "structured":
        return STRUCTURED
    text = " ".join(texts)[:20000].lower()
    words = set(re.findall(r"[a-z0-9/\-]+", text))
    for name, strong, clues in TYPES:
        if any(s in text for s in strong) or sum(c in words for c in clues) >= 2:
            return name
    return OTHER


def document_date(texts: Sequence[str], fallback: date, today: date | None = None) -> date:
    """The latest plausible date printed in the first pages (not a birth date), else `fallback`."""
    today = today or date.today()
    found: list[date] = []
    for text in texts[:3]:
        for line in text[:20000].splitlines():
            if _BIRTH.search(line):
                continue
            for regex, order in _DATES:
                for m in regex.finditer(line):
                    d = _date(m.groups(), order)
                    if d is not None and date(1950, 1, 1) <= d <= today:
                        found.append(d)
    return max(found) if found else fallback


def _date(parts: tuple[str, ...], order: str) -> date | None:
    try:
        if order == "ymd":
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if order == "mdy":
            return date(int(parts[2]), int(parts[0]), int(parts[1]))
        month = _MONTHS.get(parts[0][:3].lower())
        return date(int(parts[2]), month, int(parts[1])) if month else None
    except ValueError:
        return None
