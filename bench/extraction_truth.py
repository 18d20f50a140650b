"""The truth bench/extraction.py scores against: the numeric lab results of the corpus C-CDA
documents, joined into lab reports, with made-up earlier results for layouts that print them."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from lab_layouts import HISTORY
from lab_pages import Report, Row

from ocr.facts.catalogue import by_loinc, name_key, resolve
from ocr.facts.ccda import read_ccda

ROOT = Path(__file__).resolve().parent.parent
CCDA = ROOT.parent / "shared" / "corpus" / "ccda"
NAME_CHARS = 44


@dataclass(frozen=True)
class Truth:
    """One printed result: what names it, its value, unit and comparator, its date, and
    whether the reader must find it (a previous result beside the current one need not)."""

    name: str
    value: float
    unit: str | None
    comparator: str
    collected: date
    required: bool = True
    text: str = ""  # as printed
    names: frozenset[str] = frozenset()  # other names it may be read as (see identities)


def truth_reports(limit: int) -> list[Report]:
    """Reports built from C-CDA lab results, one per document and collection date."""
    reports = []
    for path in sorted(p for p in CCDA.iterdir() if p.is_file() and p.suffix != ".csv"):
        try:
            facts = read_ccda(path)
        except Exception:  # a file the reader refuses has no truth to give
            continue
        groups: dict[date | None, list[Row]] = defaultdict(list)
        for result in facts.labs:
            if result.category != "lab" or result.value.number is None or result.collected is None:
                continue
            name = _shortened(re.sub(r"\s+", " ", result.name.replace("\u200b", "")).strip())
            reference = result.reference.text if result.reference else ""
            flag = result.flag if result.flag in ("H", "L", "HH", "LL", "A") else ""
            rows = groups[result.collected]
            row = Row(
                name.strip(" ,"),
                result.value.text,
                result.unit or "",
                reference if len(reference) <= 24 else "",
                flag,
            )
            if row not in rows:
                rows.append(row)
        for collected, rows in groups.items():
            if collected is None or not rows:
                continue
            report = Report(rows[:52], collected=collected)
            if facts.patient.names:
                report.patient = facts.patient.names[0]
            if facts.patient.birth_dates:
                report.born = facts.patient.birth_dates[0]
            report.reported = date.fromordinal(collected.toordinal() + 2)
            reports.append(report)
    reports = _merged(reports)
    if limit and len(reports) > limit:
        step = len(reports) / limit
        reports = [reports[int(i * step)] for i in range(limit)]
    for seed, report in enumerate(reports):
        report.seed = seed
        report.rows, report.earlier = _with_earlier(report.rows, report.collected, seed)
    return reports


def _merged(reports: list[Report]) -> list[Report]:
    """Small reports (most C-CDA documents hold a handful of results a date) joined into
    reports of 12-40 distinct tests, as a lab prints a day's panels together; each keeps the
    patient and date of its first part."""
    rnd = random.Random(7)
    merged: list[tuple[Report, int]] = []  # each with the size it is filled to
    for report in reports:
        for row in report.rows:
            key = name_key(row.name)
            home = next(
                (
                    m
                    for m, size in merged
                    if len(m.rows) < size and all(name_key(r.name) != key for r in m.rows)
                ),
                None,
            )
            if home is None:
                home = replace(report, rows=[])
                merged.append((home, rnd.randint(12, 40)))
            home.rows.append(row)
    return [m for m, _ in merged if len(m.rows) >= 6]  # leftovers of one test on many days


def _with_earlier(
    rows: list[Row], collected: date, seed: int
) -> tuple[list[Row], tuple[date, ...]]:
    """The rows with two made-up earlier values each (within 25% of the current one, printed
    to the same decimals; some missing), and the earlier dates, newest first."""
    rnd = random.Random(seed)
    gap = rnd.randint(60, 150)
    days = (
        date.fromordinal(collected.toordinal() - gap),
        date.fromordinal(collected.toordinal() - gap - rnd.randint(60, 200)),
    )
    out = []
    for row in rows:
        values = []
        for _ in days:
            match = re.fullmatch(r"([<>=]*)(\d+)(?:\.(\d+))?", row.value)
            if match is None or rnd.random() < 0.12:
                values.append("")
                continue
            if match.group(1):
                values.append(row.value)
                continue
            decimals = len(match.group(3) or "")
            number = float(row.value[len(match.group(1)) :]) * rnd.uniform(0.75, 1.25)
            text = f"{number:.{decimals}f}"
            values.append(text if float(text) > 0 else row.value)
        out.append(Row(row.name, row.value, row.unit, row.reference, row.flag, tuple(values)))
    return out, days


def _shortened(name: str) -> str:
    """A long name cut at a word boundary, as a lab printing narrow columns would."""
    if len(name) <= NAME_CHARS:
        return name
    cut = name[:NAME_CHARS].rsplit(" ", 1)[0]
    cut = re.sub(r"\s*\[[^\]]*$", "", cut)  # an unclosed [property]
    return re.sub(r"(?:\s+(?:in|or|by|of|and))+$", "", cut).strip(" ,")


def identity(name: str, loinc: str | None = None, unit: str | None = None) -> str:
    """What names an analyte for scoring: its catalogue key, else its printed name."""
    analyte = by_loinc(loinc) or resolve(name, unit)
    return analyte.key if analyte else name_key(name)


def identities(name: str, unit: str | None) -> frozenset[str]:
    """What may name a printed result: the identity of its name, the name itself (when the
    reader leaves an ambiguous name such as "TROPONIN" unresolved), or the name cut at a word
    boundary as narrow columns print it."""
    words = name.split()
    keys = {identity(name, None, unit), name_key(name)}
    for size in range(1, len(words)):
        cut = " ".join(words[:size]).rstrip(" ,;:[(")
        analyte = resolve(cut, unit)
        keys.add(analyte.key if analyte is not None else name_key(cut))
    return frozenset(keys)


def truth_of(report: Report, layout: str) -> list[Truth]:
    """The results the layout prints: current ones, and earlier ones it shows."""
    shown, required = HISTORY.get(layout, (0, True))
    items = []
    for row in report.rows:
        name = identity(row.name, None, row.unit)
        names = identities(row.name, row.unit)
        printed = [(row.value, report.collected, True)]
        for index, day in enumerate(report.earlier[:shown]):
            if index < len(row.earlier) and row.earlier[index]:
                printed.append((row.earlier[index], day, required))
        for value, day, must in printed:
            comparator = re.match(r"^[<>=]*", value).group()  # type: ignore[union-attr]
            number = float(value[len(comparator) :])
            items.append(
                Truth(
                    name,
                    number,
                    row.unit or None,
                    comparator,
                    day,
                    must,
                    value[len(comparator) :],
                    names,
                )
            )
    return items
