"""Vital signs from printed text: blood pressure (one reading of both pressures), heart and
respiratory rate, temperature, SpO2, weight, height, BMI and head circumference.

A vital sign is read only beside its label ("BP 128/82", "pulse of 72", "T: 98.6 F"); its
unit is the one printed, or the one its value allows (a pulse is per minute; 98.6 is °F and
37.0 °C); a value no living person has (the 0 some exports write for "not measured") is no
reading. Every reading is a `LabResult` of category "vital", converted to the catalogue's
unit (kg, cm, °C) in `canonical`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ocr.facts import catalogue, confidence, units
from ocr.facts.lines import Line
from ocr.facts.model import LabResult, Quantity, ResultValue
from ocr.facts.spans import Text, join

# Readings no living person has, in the catalogue's unit.
LIMITS: dict[str, tuple[float, float]] = {
    "heart_rate": (20, 300),  # /min
    "respiratory_rate": (3, 80),  # /min
    "temperature": (25, 45),  # °C
    "spo2": (40, 100),  # %
    "weight": (0.3, 400),  # kg
    "height": (20, 250),  # cm
    "bmi": (8, 100),  # kg/m²
    "head_circumference": (20, 70),  # cm
    "bp_systolic": (40, 300),  # mm[Hg]
    "bp_diastolic": (15, 200),
}
BP_UNIT = "mm[Hg]"

_SEP = r"(?:\s*\((?:[a-z ,]{1,20})\))?(?:\s*[:=\-–]\s*|\s+(?:was|is|of|at|were|are|now)\s+|\s*)"
_LABELS = {
    "blood_pressure": r"blood\s+pressures?|b\.?p\.?",
    "heart_rate": r"heart\s+rate|pulse(?:\s+rate)?|h\.?r\.?|p(?=\s*:)",
    "respiratory_rate": r"respiratory\s+rate|respirations?|resp(?:\.|\s+rate)?|r\.?r\.?|r(?=\s*:)",
    "temperature": r"temperature|temp\.?|t(?:max)?(?=\s*:)|tmax",
    "spo2": r"sp\s?o2|sao2|o2\s+sat(?:uration)?s?|oxygen\s+saturation|pulse\s+ox(?:imetry)?"
    r"|sat(?:uration)?s?(?=\s*:)",
    "weight": r"(?:body\s+)?weight|wt\.?",
    "height": r"height|ht\.?",
    "bmi": r"bmi|body\s+mass\s+index(?:\s*\(bmi\))?",
    "head_circumference": r"head\s+circumference|o\.?f\.?c\.?|h\.?c\.?(?=\s*:)",
}
_VALUES = {
    "blood_pressure": r"(?P<a>\d{2,3})\s*/\s*(?P<b>\d{2,3})(?!\s*/?\d)"
    r"(?:\s*(?P<unit>mm\s*\[?hg\]?))?",
    "heart_rate": r"(?P<a>\d{2,3})(?:\s*(?P<unit>bpm|beats\s*(?:per|/)\s*min(?:ute)?|/min))?",
    "respiratory_rate": r"(?P<a>\d{1,2})(?:\s*(?P<unit>breaths\s*(?:per|/)\s*min(?:ute)?|/min"
    r"|bpm))?",
    "temperature": r"(?P<a>\d{2,3}(?:\.\d{1,2})?)(?:\s*(?P<unit>°\s*[cf]|º\s*[cf]|degrees?\s*"
    r"(?:fahrenheit|celsius|f|c)?|deg\s*[cf]|[cf])(?![a-z]))?",
    "spo2": r"(?P<a>\d{2,3})(?:\s*(?P<unit>%))?",
    "weight": r"(?P<a>\d{1,4}(?:\.\d{1,2})?)(?:\s*(?P<unit>kg|kgs|kilograms?|lbs?|pounds?|g|grams?)"
    r"\b\.?)?",
    "height": r"(?P<ft>\d)\s*(?:'|’|ft\.?|feet|foot)\s*(?:(?P<in>\d{1,2}(?:\.\d)?)\s*"
    r"(?:\"|”|''|in\b\.?|inch(?:es)?)?)?"
    r"|(?P<a>\d{2,3}(?:\.\d{1,2})?)\s*(?P<unit>cm|centimeters?|in\b\.?|inch(?:es)?|m)\b",
    "bmi": r"(?P<a>\d{1,3}(?:\.\d{1,2})?)(?:\s*(?P<unit>kg/m2|kg/m²|kg/m\^2))?",
    "head_circumference": r"(?P<a>\d{2}(?:\.\d{1,2})?)(?:\s*(?P<unit>cm|in\b\.?|inch(?:es)?))?",
}
_PATTERNS = {
    kind: re.compile(rf"(?<![\w/])(?P<label>{_LABELS[kind]}){_SEP}(?:{_VALUES[kind]})", re.I)
    for kind in _LABELS
}
_SPLIT = {
    kind: re.compile(
        rf"(?<![\w/])(?P<label>{word}(?:\s+(?:bp|blood\s+pressure))?){_SEP}(?P<a>\d{{2,3}})"
        r"(?:\s*(?P<unit>mm\s*\[?hg\]?))?",
        re.I,
    )
    for kind, word in (("bp_systolic", "systolic"), ("bp_diastolic", "diastolic"))
}
_SHORT = re.compile(
    r"(?<![\w/.])(?P<label>[TPR])\s+(?P<a>\d{2,3}(?:\.\d{1,2})?)(?![\d/])(?P<unit>)", re.I
)
_SHORT_KINDS = {"T": "temperature", "P": "heart_rate", "R": "respiratory_rate"}
_NEAR = 40  # characters between a one-letter label and another reading
# Words before a label that make the number a target, a past or birth value, or a change.
_NOT_NOW = re.compile(
    r"(?:goal|target|keep|maintain|under|below|birth|ideal|usual|baseline|lost|gained|gain|loss"
    r"|change\s+in|dry|desired|max(?:imum)?\s+heart)\s*$",
    re.I,
)
_ARTERIAL = re.compile(r"\b(?:arterial|abg|blood\s+gas(?:es)?)\b", re.I)
_UNITS = {
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "lb": "[lb_av]",
    "lbs": "[lb_av]", "pound": "[lb_av]", "pounds": "[lb_av]", "cm": "cm", "centimeter": "cm",
    "centimeters": "cm", "m": "m", "in": "[in_us]", "inch": "[in_us]", "inches": "[in_us]",
    "c": "Cel", "f": "[degF]", "bpm": "/min", "/min": "/min", "%": "%", "kg/m2": "kg/m2",
    "kg/m²": "kg/m2", "kg/m^2": "kg/m2", "g": "g", "gram": "g", "grams": "g",
}  # fmt: skip
# Units a value needs no printed unit for (the only one it can be in).
_IMPLIED = {
    "heart_rate": "/min", "respiratory_rate": "/min", "spo2": "%", "bmi": "kg/m2",
    "blood_pressure": BP_UNIT,
}  # fmt: skip


@dataclass(frozen=True)
class _Reading:
    kind: str
    start: int
    end: int
    label: str
    text: str
    number: float
    unit: str | None  # UCUM-style spelling, printed or implied
    printed: str  # the unit as printed ("" when none was)
    parts: tuple[float, ...] = ()


def find_vitals(lines: Sequence[Line], collected: date | None = None) -> list[LabResult]:
    """Every vital sign printed beside its label on `lines`, in reading order."""
    doc = join(lines)
    readings: list[_Reading] = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(doc.text):
            reading = _reading(kind, match, doc.text)
            if reading is not None:
                readings.append(reading)
    readings += _split_pressures(doc.text)
    readings += _short_labels(doc.text, readings)
    readings = _without_overlaps(readings)
    results = []
    for reading in sorted(readings, key=lambda r: r.start):
        result = _result(doc, reading, collected)
        if result is not None:
            results.append(result)
    return results


def _reading(kind: str, match: re.Match[str], text: str) -> _Reading | None:
    if _NOT_NOW.search(text[max(0, match.start() - 25) : match.start()]):
        return None
    if kind == "spo2" and _ARTERIAL.search(text[max(0, match.start() - 80) : match.start()]):
        return None  # a blood gas's saturation is a lab result
    after = text[match.end() : match.end() + 12]
    if kind != "blood_pressure" and re.match(r"\s*(?:/\s*\d|-\s*\d|to\s+\d)", after):
        return None  # "pulse 60-70", "P 72/min"-less ranges and ratios are not one reading
    if kind == "height" and match["ft"]:
        inches = float(match["ft"]) * 12 + float(match["in"] or 0)
        text_value = f"{match['ft']}' {match['in']}\"" if match["in"] else f"{match['ft']}'"
        return _Reading(kind, match.start(), match.end(), match["label"], text_value, inches,
                        "[in_us]", "ft/in")  # fmt: skip
    number = float(match["a"])
    unit_text = (match["unit"] or "").lower().replace(" ", "").rstrip(".")
    unit = _unit(kind, unit_text, number)
    if kind == "blood_pressure":
        parts = (number, float(match["b"]))
        return _Reading(kind, match.start(), match.end(), match["label"],
                        f"{match['a']}/{match['b']}", number, BP_UNIT, match["unit"] or "",
                        parts)  # fmt: skip
    if kind == "height" and unit is None:
        return None  # a bare height: centimetres or inches, not said
    if kind == "weight" and unit is None and number >= 1000:
        return None  # grams or a misreading; a bare weight of four digits is not said
    return _Reading(kind, match.start(), match.end(), match["label"], match["a"], number, unit,
                    match["unit"] or "")  # fmt: skip


def _unit(kind: str, printed: str, number: float) -> str | None:
    """The unit printed (in UCUM spelling), else the only one the value can be in."""
    if printed:
        if printed.startswith(("°", "º", "deg")):
            printed = printed[-1] if printed[-1] in "cf" else "f"
        if printed.startswith("degree"):
            printed = "c" if "c" in printed[6:] else "f"
        if printed in ("fahrenheit",):
            printed = "f"
        if printed.startswith(("breaths", "beats")):
            return "/min"
        if printed.startswith("mm"):
            return BP_UNIT
        return _UNITS.get(printed)
    if kind == "temperature":
        if 90 <= number <= 110:
            return "[degF]"
        if 30 <= number <= 45:
            return "Cel"
        return None
    return _IMPLIED.get(kind)


def _split_pressures(text: str) -> list[_Reading]:
    """A systolic and a diastolic pressure printed apart, close together, as one reading."""
    found: dict[str, list[re.Match[str]]] = {
        kind: list(pattern.finditer(text)) for kind, pattern in _SPLIT.items()
    }
    readings = []
    for high in found["bp_systolic"]:
        low = next((m for m in found["bp_diastolic"] if 0 < m.start() - high.end() < 200), None)
        if low is None:
            continue
        parts = (float(high["a"]), float(low["a"]))
        readings.append(
            _Reading(
                "blood_pressure",
                high.start(),
                low.end(),
                "Blood pressure",
                f"{high['a']}/{low['a']}",
                parts[0],
                BP_UNIT,
                high["unit"] or low["unit"] or "",
                parts,
            )
        )
    return readings


def _short_labels(text: str, found: list[_Reading]) -> list[_Reading]:
    """ "T 98.6, P 80, R 16": one-letter labels without a colon, only among other readings
    (alone, "P 80" and "R 16" could be anything)."""
    readings = []
    for match in _SHORT.finditer(text):
        near = [r for r in found if abs(r.start - match.start()) <= _NEAR]
        if not near:
            continue
        kind = _SHORT_KINDS[match["label"].upper()]
        reading = _reading(kind, match, text)
        if reading is not None:
            readings.append(reading)
    return readings


def _without_overlaps(readings: list[_Reading]) -> list[_Reading]:
    """One reading per stretch of text: the longest ("blood pressure 128/82" over "pressure")."""
    kept: list[_Reading] = []
    for reading in sorted(readings, key=lambda r: (r.start, -(r.end - r.start))):
        if kept and reading.start < kept[-1].end:
            continue
        kept.append(reading)
    return kept


def plausible(kind: str, number: float, parts: tuple[float, ...] = ()) -> bool:
    """Whether a living person can have this reading (in the catalogue's unit)."""
    if kind == "blood_pressure":
        if len(parts) != 2:
            return False
        high, low = parts
        return (
            LIMITS["bp_systolic"][0] <= high <= LIMITS["bp_systolic"][1]
            and LIMITS["bp_diastolic"][0] <= low <= LIMITS["bp_diastolic"][1]
            and high > low
        )
    limits = LIMITS.get(kind)
    return limits is None or limits[0] <= number <= limits[1]


def _result(doc: Text, reading: _Reading, collected: date | None) -> LabResult | None:
    analyte = catalogue.BY_KEY[reading.kind]
    canonical = None
    if reading.unit is not None:
        converted = catalogue.convert(reading.number, reading.unit, analyte)
        if converted is None:
            return None
        text = reading.text if reading.parts else f"{converted:g}"
        canonical = Quantity(converted, analyte.unit, text)
    value = canonical.value if canonical is not None else reading.number
    if canonical is not None and not plausible(reading.kind, value, reading.parts):
        return None
    if canonical is None and reading.kind not in ("weight",):
        return None
    citation = doc.cite(reading.start, reading.end)
    line = doc.text[doc.text.rfind("\n", 0, reading.start) + 1 :].split("\n", 1)[0]
    at_start = doc.text[doc.text.rfind("\n", 0, reading.start) + 1 : reading.start].strip()
    source = "line" if not at_start and len(line.split()) <= 6 else "sentence"
    evidence = "valid" if reading.printed else ("implied" if canonical else "missing")
    score = confidence.lab(source, known=True, unit=evidence)
    implied = units.normalise(reading.unit) or reading.unit
    note = f"no unit printed; {reading.text} can only be in {implied}"
    return LabResult(
        name=reading.label.strip(),
        value=ResultValue(reading.text, number=reading.number, parts=reading.parts),
        citation=citation,
        analyte=analyte.key,
        loinc=analyte.loinc,
        unit=reading.printed or None,
        unit_normal=units.normalise(reading.unit) if reading.printed else None,
        canonical=canonical,
        collected=collected,
        category="vital",
        notes=() if reading.printed or canonical is None else (note,),
        confidence=score,
    )


def tidy(results: list[LabResult]) -> list[LabResult]:
    """Structured results with vital signs made consistent: every vital-sign analyte filed as
    "vital", readings no living person has dropped (exports write 0 for "not measured"), and a
    systolic and diastolic pressure taken at one time made one blood pressure reading."""
    out: list[LabResult] = []
    for result in results:
        analyte = catalogue.BY_KEY.get(result.analyte or "")
        if analyte is not None and analyte.category == "vital":
            result = replace(result, category="vital")
        if result.category == "vital" and not _structured_plausible(result):
            continue
        out.append(result)
    return _paired(out)


def _structured_plausible(result: LabResult) -> bool:
    number = result.canonical.value if result.canonical else result.value.number
    if number is None:
        return result.value.coded is not None or bool(result.value.text.strip())
    if result.analyte in LIMITS:
        if result.canonical is None and result.unit:
            return False  # a unit the reading cannot be in
        return plausible(result.analyte or "", number)
    return number > 0


def _paired(results: list[LabResult]) -> list[LabResult]:
    """Systolic and diastolic pressures of one time as one reading, where the first was."""
    lows = [r for r in results if r.analyte == "bp_diastolic"]
    merged: dict[int, LabResult | None] = {}  # by the systolic's id; None: neither is a reading
    used: set[int] = set()
    for high in (r for r in results if r.analyte == "bp_systolic"):
        low = next((r for r in lows if id(r) not in used and r.collected == high.collected), None)
        if low is None or high.value.number is None or low.value.number is None:
            continue
        used.add(id(low))
        parts = (high.value.number, low.value.number)
        if not plausible("blood_pressure", parts[0], parts):
            merged[id(high)] = None
            continue
        text = f"{parts[0]:g}/{parts[1]:g}"
        analyte = catalogue.BY_KEY["blood_pressure"]
        lines = f"{high.citation.line}\n{low.citation.line}".strip()
        merged[id(high)] = replace(
            high,
            name="Blood pressure",
            value=ResultValue(text, number=parts[0], parts=parts),
            analyte=analyte.key,
            loinc=analyte.loinc,
            unit=high.unit or low.unit,
            unit_normal=high.unit_normal or low.unit_normal,
            canonical=Quantity(parts[0], analyte.unit, text),
            reference=None,
            flag=high.flag if high.flag not in (None, "N") else low.flag,
            flag_text=high.flag_text or low.flag_text,
            citation=replace(high.citation, line=lines),
        )
    out = []
    for result in results:
        if id(result) in used:
            continue
        pair = merged.get(id(result), result)
        if pair is not None:
            out.append(pair)
    return out
