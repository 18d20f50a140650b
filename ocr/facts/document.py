"""What a document is: its type, its date, who made it, and whose it is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from ocr.facts.lines import Line, cite
from ocr.facts.model import Citation, DatedMention

KINDS = (
    "lab report", "visit note", "discharge summary", "imaging report", "medication list",
    "immunization record", "referral", "billing", "other",
)  # fmt: skip

# Phrases that mark a document type, with a weight; phrases in the first lines count thrice.
_SIGNS: dict[str, list[tuple[str, float]]] = {
    "lab report": [
        (r"laborator(?:y|ies)\s+(?:report|results?)|lab\s+(?:report|results?)", 3),
        (r"reference\s+(?:range|interval)|ref\.?\s+range", 2), (r"specimen", 1),
        (r"collected|collection\s+date", 1), (r"\bflag\b", 1), (r"\bunits?\b", 0.5),
        (r"accession", 1), (r"complete\s+blood\s+count|metabolic\s+panel|lipid\s+panel", 1),
    ],
    "discharge summary": [
        (r"discharge\s+summary", 5), (r"hospital\s+course", 3), (r"discharge\s+diagnos[ie]s", 2),
        (r"date\s+of\s+discharge|discharge\s+date", 2),
        (r"admission\s+date|date\s+of\s+admission", 1),
        (r"discharge\s+(?:medications|instructions)", 1),
    ],
    "imaging report": [
        (r"radiology\s+report|imaging\s+report|diagnostic\s+imaging", 4), (r"\bimpression\s*:", 2),
        (r"\bfindings\s*:", 1.5), (r"\btechnique\s*:", 2), (r"\bcomparison\s*:", 1.5),
        (r"x-?ray|radiograph|\bct\b|\bmri\b|ultrasound|sonogra|mammogra|\bpet\b", 1),
        (r"\bexam(?:ination)?\s*:", 1),
    ],
    "visit note": [
        (r"progress\s+note|office\s+visit|clinic\s+note|visit\s+note|soap\s+note", 4),
        (r"chief\s+complaint|history\s+of\s+present\s+illness|\bhpi\b", 3),
        (r"assessment\s+(?:and|&)\s+plan|\bassessment\s*:|\bplan\s*:", 2),
        (r"subjective\s*:|objective\s*:|review\s+of\s+systems|physical\s+exam", 2),
        (r"consultation|history\s+and\s+physical|h&p", 2),
    ],
    "medication list": [
        (r"medication\s+list|current\s+medications|prescription|\brx\b", 3),
        (r"\bsig\s*:|dispense|refills?|\bdisp\b|pharmacy", 2),
    ],
    "immunization record": [
        (r"immuni[sz]ation\s+(?:record|history|certificate)", 5),
        (r"vaccination\s+(?:record|card|history)", 5),
        (r"vaccine|immuni[sz]ation|\bcvx\b|lot\s*(?:#|number|no)", 1.5),
    ],
    "referral": [
        (r"referral|reason\s+for\s+referral|referred\s+to|refer(?:ring)?\s+(?:to|physician)", 3),
    ],
    "billing": [
        (r"explanation\s+of\s+benefits|\beob\b|invoice|billing\s+statement|statement\s+date", 5),
        (r"amount\s+(?:billed|due|owed)|balance\s+due|patient\s+responsibility|claim\s+(?:number|#)"
         r"|\bcopay|deductible|\bcpt\b|insurance\s+paid|total\s+charges", 2),
    ],
}  # fmt: skip
_HEAD_LINES = 8
_MIN_SCORE = 3.0

# Which dated mention dates a document, best first, by type.
_DATE_ORDER = {
    "lab report": ("collected", "service", "reported", "ordered", "date", "unlabelled",
                   "admitted", "discharge", "printed"),
    "discharge summary": ("discharge", "admitted", "service", "date", "reported", "unlabelled",
                          "collected", "ordered", "printed"),
}  # fmt: skip
_DEFAULT_ORDER = ("service", "collected", "date", "discharge", "admitted", "reported", "ordered",
                  "unlabelled", "printed")  # fmt: skip

_PROVIDER_LABEL = re.compile(
    r"(?:ordering|attending|referring|treating|primary\s+care|performing|reading|interpreting"
    r"|signing)?\s*(?:physician|provider|doctor|clinician|practitioner|radiologist|pcp|dr)\s*:",
    re.IGNORECASE,
)
_DEGREES = r"(?:M\.?D\.?|D\.?O\.?|N\.?P\.?|P\.?A\.?(?:-C)?|R\.?N\.?|MBBS|FNP(?:-BC)?|DNP|PhD|DDS)"
_NAME = r"[A-Z][A-Za-z'\-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][A-Za-z'\-]+){0,2}"
_PROVIDER = re.compile(rf"\b(?:Dr\.?\s+{_NAME}|{_NAME},?\s+{_DEGREES})(?![A-Za-z.])")
_FACILITY_LABEL = re.compile(
    r"(?:facility|performing\s+(?:lab|laboratory|site)|laboratory|clinic|hospital|location)\s*:",
    re.IGNORECASE,
)
_FACILITY = re.compile(
    r"(?:[A-Z][\w&'.\-]*\s+){0,5}(?i:Hospital|Medical\s+Center|Medical\s+Group|Health(?:care)?"
    r"(?:\s+System)?|Clinic|Laborator(?:y|ies)|Labs?|Imaging|Diagnostics|Pharmacy"
    r"|Practice|Associates|Infirmary|Health\s+Center)\b(?:\s+(?:of\s+)?[A-Z][\w&'.\-]*){0,3}"
)


def classify(lines: Sequence[Line], counts: dict[str, int]) -> str:
    """The document type, from the phrases it prints and how many facts of each kind it has."""
    scores = dict.fromkeys(_SIGNS, 0.0)
    for index, line in enumerate(lines):
        weight = 3.0 if index < _HEAD_LINES else 1.0
        lowered = line.text.lower()
        for kind, signs in _SIGNS.items():
            for pattern, points in signs:
                if re.search(pattern, lowered):
                    scores[kind] += points * weight
    scores["lab report"] += 1.5 * min(counts.get("labs", 0), 10)
    scores["medication list"] += 0.5 * min(counts.get("medications", 0), 10)
    scores["immunization record"] += 1.0 * min(counts.get("immunizations", 0), 10)
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= _MIN_SCORE else "other"


def pick_date(
    mentions: Sequence[DatedMention], kind: str, births: Iterable[date] = ()
) -> DatedMention | None:
    """The mention that dates the document: by label, never a birth date (`births` are those
    the patient finder read, whose labels survive OCR slips that ours may not)."""
    order = _DATE_ORDER.get(kind, _DEFAULT_ORDER)
    births = {m.value for m in mentions if m.kind == "birth"} | set(births)
    ranked = [
        m for m in mentions
        if m.kind in order and not (m.kind in ("unlabelled", "date") and m.value in births)
    ]  # fmt: skip
    if not ranked:
        return None
    return min(ranked, key=lambda m: order.index(m.kind))


def find_provider(lines: Sequence[Line]) -> tuple[str | None, Citation | None]:
    """The clinician named beside a provider label, else the first one with a degree."""
    for labelled in (True, False):
        for line in lines:
            text = line.text
            label = _PROVIDER_LABEL.search(text) if labelled else None
            if labelled and label is None:
                continue
            found = _PROVIDER.search(text, label.end() if label else 0)
            if found is None and label is not None:
                found = re.match(rf"\s*({_NAME})", text[label.end() :])
                if found is not None:
                    return found.group(1).strip(), cite([line])
            if found is not None:
                return found.group().strip(" ,"), cite([line])
    return None, None


def find_facility(lines: Sequence[Line]) -> tuple[str | None, Citation | None]:
    """The lab, clinic or hospital named beside a label or near the top of the document."""
    for line in lines:
        label = _FACILITY_LABEL.search(line.text)
        if label:
            value = line.text[label.end() :].strip()
            value = re.split(r"\s{2,}|\s+\w+\s*:", value)[0].strip(" ,")
            if len(value) > 2:
                return value, cite([line])
    for line in lines[:15]:
        found = _FACILITY.search(line.text)
        if found and len(found.group().split()) >= 2:
            return found.group().strip(" ,"), cite([line])
    return None, None
