"""Lab trends from facts: one series per analyte in one unit, its reference band, the overview.

Pure: takes `FactRow`s, returns what the pages and the chart show. A value is charted only
when it is a number, has a date and is in (or validly converts to) the series' unit; every
other value stays in the table with the reason it is not on the chart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ocr.facts.analyte import Analyte
from ocr.facts.catalogue import BY_KEY, convert
from ocr.facts.units import normalise, parse, rescale, same, significant
from server.health.records import FactRow

# Relative change below which two results count as the same level ("flat").
FLAT_WITHIN = 0.01


@dataclass(frozen=True)
class Band:
    """A reference interval in the series' unit; either end may be open."""

    low: float | None
    high: float | None

    @property
    def text(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{_num(self.low)}–{_num(self.high)}"
        if self.high is not None:
            return f"≤ {_num(self.high)}"
        return f"≥ {_num(self.low)}" if self.low is not None else ""


@dataclass(frozen=True)
class Point:
    """One result: as reported, and its value in the series' unit when it can be charted."""

    fact: FactRow
    value: float | None  # in the series' unit; None when not on the chart
    note: str = ""  # why it is not on the chart, or how it is drawn
    band: Band | None = None  # this result's own reference interval, in the series' unit

    @property
    def charted(self) -> bool:
        return self.value is not None


@dataclass
class Series:
    """Every result for one analyte, oldest first."""

    key: str
    title: str
    unit: str
    loinc: str = ""
    points: list[Point] = field(default_factory=list)
    band: Band | None = None
    band_note: str = ""

    @property
    def charted(self) -> list[Point]:
        return [p for p in self.points if p.charted]

    def chart(self) -> dict[str, Any]:
        """What health.js draws: x in Unix seconds (UTC days), y, flagged y, links, labels."""
        pts = self.charted
        return {
            "title": self.title,
            "unit": self.unit,
            "x": [_seconds(p.fact.when) for p in pts],
            "y": [p.value for p in pts],
            "flagged": [p.value if p.fact.flagged else None for p in pts],
            "urls": [p.fact.cite_url for p in pts],
            "labels": [_label(p) for p in pts],
            "band": None if self.band is None else {"low": self.band.low, "high": self.band.high},
        }


@dataclass(frozen=True)
class Latest:
    """One row of the overview: an analyte's latest result and where it is heading."""

    key: str
    title: str
    fact: FactRow
    count: int
    direction: str | None  # "up", "down", "flat", or None with fewer than two numbers
    previous: FactRow | None = None


def series_key(fact: FactRow) -> str:
    """The analyte's catalogue key, or (for names the catalogue lacks) one made from the name."""
    if fact.analyte:
        return fact.analyte
    return "x-" + (re.sub(r"[^a-z0-9]+", "-", fact.name.casefold()).strip("-") or "unnamed")


def by_series(facts: Iterable[FactRow], kind: str = "lab") -> dict[str, list[FactRow]]:
    """Lab facts (or vital signs: `kind`) by series key, each list oldest first."""
    out: dict[str, list[FactRow]] = {}
    for fact in facts:
        if fact.kind == kind:
            out.setdefault(series_key(fact), []).append(fact)
    for items in out.values():
        items.sort(key=_order)
    return out


def overview(facts: Iterable[FactRow], kind: str = "lab") -> list[Latest]:
    """Every analyte's latest result with its direction against the previous number.

    The latest is the newest result in the series' unit when the series has any: a newer
    value without that unit, or a fragment of text, never takes its place (and its arrow).
    """
    rows = []
    for key, items in by_series(facts, kind).items():
        analyte = BY_KEY.get(key)
        unit = _series_unit(analyte, items)
        title = analyte.name if analyte else items[0].name
        # The series' two newest numbers, newest first: only they are needed, and a profile
        # may hold thousands of results (as build_series would chart them, oldest first).
        numbers: list[Point] = []
        for fact in reversed(items):
            point = _point(fact, unit, analyte)
            if point.charted:
                numbers.append(point)
                if len(numbers) == 2:
                    break
        latest = numbers[0].fact if numbers else items[-1]
        direction = previous = None
        if len(numbers) == 2:
            previous = numbers[1].fact
            direction = _direction(numbers[1].value, numbers[0].value)
        rows.append(Latest(key, title, latest, len(items), direction, previous))
    rows.sort(key=lambda r: r.title.casefold())
    return rows


def build_series(key: str, facts: list[FactRow]) -> Series:
    """The series for one analyte: its unit, points (oldest first) and reference band."""
    facts = sorted(facts, key=_order)
    analyte = BY_KEY.get(key)
    unit = _series_unit(analyte, facts)
    title = analyte.name if analyte else (facts[0].name if facts else key)
    series = Series(key, title, unit, analyte.loinc if analyte else "")
    for fact in facts:
        series.points.append(_point(fact, unit, analyte))
    series.band, series.band_note = _common_band(series.points)
    return series


def _series_unit(analyte: Analyte | None, facts: list[FactRow]) -> str:
    """The catalogue's canonical unit, else the unit most of the numbers were reported in."""
    if analyte is not None and analyte.unit:
        return normalise(analyte.unit) or analyte.unit
    units = Counter(normalise(f.unit) or f.unit for f in facts if f.value_num is not None)
    return units.most_common(1)[0][0] if units else ""


def _point(fact: FactRow, unit: str, analyte: Analyte | None) -> Point:
    band = _band(fact, unit, analyte)
    if fact.value_num is None:
        return Point(fact, None, "text result, not charted", band)
    value = to_unit(fact.value_num, fact.unit, unit, analyte)
    if value is None:
        shown = fact.unit or "no unit"
        return Point(fact, None, f"in {shown}, which does not convert to {unit}; not charted", band)
    if fact.when is None:
        return Point(fact, None, "no date, not charted", band)
    comparator = _comparator(fact)
    note = f"reported as {fact.value_text}; charted at {_num(value)}" if comparator else ""
    return Point(fact, value, note, band)


def to_unit(value: float, source: str, target: str, analyte: Analyte | None) -> float | None:
    """`value` in `source` expressed in `target`, when that is valid (for this analyte)."""
    if same(source or None, target or None):
        return value
    if analyte is not None and analyte.unit and same(analyte.unit, target):
        converted = convert(value, source, analyte)
        if converted is not None:
            return converted
    a, b = parse(source), parse(target)
    if a is None or b is None:
        return None
    result = rescale(value, a, b)
    return None if result is None else significant(result)


def reference_band(fact: FactRow) -> Band | None:
    """The fact's own reference interval in the unit of its current value (None: not numeric)."""
    return _band(fact, fact.unit or str(fact.data.get("unit") or ""), BY_KEY.get(fact.analyte))


def _band(fact: FactRow, unit: str, analyte: Analyte | None) -> Band | None:
    """The fact's reference interval in the series' unit; sex-specific ones only when alone."""
    reference = fact.get("reference")
    bands = reference.get("bands") if isinstance(reference, Mapping) else None
    if not isinstance(bands, list):
        return None
    numeric = [b for b in bands if isinstance(b, Mapping) and _limits(b) != (None, None)]
    plain = [b for b in numeric if not b.get("sex")]
    # Bands printed per sex: the profile's sex is not recorded, so only an only band is used.
    chosen = plain[0] if plain else (numeric[0] if len(numeric) == 1 else None)
    if chosen is None:
        return None
    source = str(fact.data.get("unit") or fact.unit or "")
    low, high = _limits(chosen)
    if low is not None:
        low = to_unit(low, source, unit, analyte)
    if high is not None:
        high = to_unit(high, source, unit, analyte)
    if low is None and high is None:
        return None
    return Band(low, high)


def _limits(band: Mapping[str, Any]) -> tuple[float | None, float | None]:
    return _float(band.get("low")), _float(band.get("high"))


def _common_band(points: list[Point]) -> tuple[Band | None, str]:
    """The most common interval among the results, and a note when labs printed others."""
    counts = Counter(p.band for p in points if p.band is not None)
    if not counts:
        return None, ""
    (band, n), total = counts.most_common(1)[0], sum(counts.values())
    if len(counts) == 1:
        return band, ""
    others = ", ".join(b.text for b, _ in counts.most_common()[1:])
    note = (
        f"Labs printed {len(counts)} different reference ranges; the band is the most common, "
        f"{band.text} ({n} of {total} results). Others: {others}."
    )
    return band, note


def _direction(before: float | None, after: float | None) -> str | None:
    if before is None or after is None:
        return None
    if abs(after - before) <= FLAT_WITHIN * max(abs(before), abs(after)):
        return "flat"
    return "up" if after > before else "down"


def _comparator(fact: FactRow) -> str:
    value = fact.get("value")
    if isinstance(value, Mapping) and value.get("comparator"):
        return str(value["comparator"])
    match = re.match(r"\s*(<=|>=|<|>|≤|≥)", fact.value_text)
    return match.group(1) if match else ""


def _order(fact: FactRow) -> tuple[date, int, int]:
    return (fact.when or date.min, fact.document or 0, fact.seq * 1_000_000 + fact.id)


def _seconds(day: date | None) -> int:
    assert day is not None
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _label(point: Point) -> str:
    f = point.fact
    flag = f" {f.flag}" if f.flagged else ""
    where = f" · {f.doc_name}" if f.doc_name else ""
    return f"{f.when}: {f.display}{flag}{where}"


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
