"""C-CDA result and vital sign observations as lab results."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ocr.facts import catalogue, units
from ocr.facts.ccda_xml import (
    LOINC,
    XSI_TYPE,
    Doc,
    attr,
    child,
    children,
    code_text,
    templates,
    text_of,
    to_date,
)  # fmt: skip
from ocr.facts.model import LabResult, Quantity, ReferenceBand, ReferenceRange, ResultValue
from ocr.facts.values import TEXT_RESULTS, parse_range, to_float
from ocr.facts.vitals import tidy

_T = "2.16.840.1.113883.10.20.22.4."
RESULT, VITAL = _T + "2", _T + "27"
# CCD 1.0 / HITSP C32 / IHE PCC result observations, in a results or vital signs section.
_CCD, _IHE, _C32 = (
    "2.16.840.1.113883.10.20.1.",
    "1.3.6.1.4.1.19376.1.5.3.1.",
    "2.16.840.1.113883.3.88.11.83.",
)
LEGACY_RESULT = (_CCD + "31", _IHE + "4.13")
LEGACY_VITAL_SECTIONS = (
    _CCD + "16",
    _C32 + "119",
    _IHE + "3.25",
    "1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2",
)
LEGACY_SECTIONS = (_CCD + "14", _C32 + "122", _IHE + "3.28", *LEGACY_VITAL_SECTIONS)
_FLAGS = {
    "H": "H",
    "L": "L",
    "HH": "HH",
    "LL": "LL",
    "A": "A",
    "AA": "critical",
    "N": "N",
    "HU": "HH",
    "LU": "LL",
    ">": "H",
    "<": "L",
}


def results(doc: Doc) -> list[LabResult]:
    """Result and vital sign observations."""
    found = []
    for observation in doc.entries("observation", (RESULT, VITAL), LEGACY_RESULT, LEGACY_SECTIONS):
        value = _value(child(observation, "value"))
        if value is None:
            continue
        number, unit = value
        code = child(observation, "code")
        loinc = (
            code.get("code", "").strip()
            if code is not None and code.get("codeSystem") == LOINC
            else None
        )
        if loinc and loinc == attr(child(doc.section_of(observation), "code"), "code"):
            continue  # a placeholder coded as its section ("Results"), not a test
        name = code_text(doc, code) or doc.narrative(child(observation, "text")) or "Result"
        analyte = catalogue.by_loinc(loinc) or catalogue.resolve(name, unit)
        canonical = None
        if analyte is not None and analyte.unit and number.number is not None:
            converted = catalogue.convert(number.number, unit, analyte)
            if converted is not None:
                canonical = Quantity(
                    converted, analyte.unit, f"{number.comparator or ''}{converted:g}"
                )
        flag_code = attr(child(observation, "interpretationCode"), "code")
        parent = doc.parents.get(id(doc.parents.get(id(observation), observation)))
        when = to_date(child(observation, "effectiveTime"))
        if when is None and parent is not None:
            when = to_date(child(parent, "effectiveTime"))
        found.append(
            LabResult(
                name=name,
                value=number,
                citation=doc.cite(observation, child(observation, "text"), code),
                analyte=analyte.key if analyte else None,
                loinc=loinc or (analyte.loinc if analyte else None),
                unit=unit,
                unit_normal=units.normalise(unit),
                canonical=canonical,
                reference=_reference(observation),
                flag=_FLAGS.get(flag_code or ""),
                flag_text=flag_code,
                collected=when,
                category="vital"
                if VITAL in templates(observation)
                or templates(doc.section_of(observation)) & set(LEGACY_VITAL_SECTIONS)
                else "lab",
            )
        )
    return tidy(found)


def _value(value: ET.Element | None) -> tuple[ResultValue, str | None] | None:
    """A result value and its unit from PQ, IVL_PQ ("<5" as an interval), ST, CD, INT, REAL."""
    if value is None or value.get("nullFlavor"):
        return None
    kind = (value.get(XSI_TYPE) or "").split(":")[-1]
    if kind in ("PQ", "INT", "REAL", "RTO_PQ_PQ") or (not kind and value.get("value")):
        number = to_float(value.get("value") or "")
        if number is None:
            return ResultValue(value.get("value") or ""), value.get("unit")
        unit = value.get("unit") if value.get("unit") not in (None, "", "1", "UNK") else None
        return ResultValue(value.get("value") or "", number=number), unit
    if kind == "IVL_PQ":
        low, high = child(value, "low"), child(value, "high")
        low_value = to_float(low.get("value") or "") if low is not None else None
        high_value = to_float(high.get("value") or "") if high is not None else None
        if high is not None and high_value is not None and (low_value in (None, 0.0)):
            comparator = "<" if high.get("inclusive") == "false" else "<="
            unit = high.get("unit")
            return ResultValue(
                f"{comparator}{high.get('value')}", number=high_value, comparator=comparator
            ), unit
        if low_value is not None and low is not None:
            comparator = ">" if low.get("inclusive") == "false" else ">="
            return ResultValue(
                f"{comparator}{low.get('value')}", number=low_value, comparator=comparator
            ), low.get("unit")
        return None
    if kind in ("CD", "CE", "CO", "CV"):
        text = (
            value.get("displayName") or text_of(child(value, "originalText")) or value.get("code")
        )
        if not text:
            return None
        return ResultValue(text, coded=TEXT_RESULTS.get(text.lower().strip())), None
    text = text_of(value)
    if not text:
        return None
    return ResultValue(text, coded=TEXT_RESULTS.get(text.lower())), None


def _reference(observation: ET.Element) -> ReferenceRange | None:
    """The normal reference range: structured low/high, else its text, skipping abnormal bands."""
    bands: list[ReferenceBand] = []
    texts: list[str] = []
    for wrapper in children(observation, "referenceRange"):
        observed = child(wrapper, "observationRange")
        code = attr(child(observed, "interpretationCode"), "code")
        if code not in (None, "N"):
            continue
        text = text_of(child(observed, "text"))
        value = child(observed, "value")
        low, high = child(value, "low"), child(value, "high")
        low_value = to_float(low.get("value") or "") if low is not None else None
        high_value = to_float(high.get("value") or "") if high is not None else None
        if low_value is not None or high_value is not None:
            bands.append(ReferenceBand(low_value, high_value))
            texts.append(
                text
                or f"{low_value if low_value is not None else ''}-"
                f"{high_value if high_value is not None else ''}"
            )
        elif text or text_of(value):
            printed = text or text_of(value) or ""
            parsed = parse_range(printed)
            bands.extend(parsed.bands if parsed else ())
            texts.append(printed)
    return ReferenceRange("; ".join(texts), tuple(bands)) if texts else None
