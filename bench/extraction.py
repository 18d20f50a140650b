"""Extraction benchmark: lab results read back from rendered reports, scanned and born-digital.

Run: uv run python bench/extraction.py [--reports 24] [--layouts columns,inline,leaders,flag-first]
Truth is the numeric lab results of the C-CDA documents in ../shared/corpus/ccda/ (value, unit,
LOINC, date). Each document's results (per collection date) are printed as a lab report in
four layouts of our own (tests/ocr/facts/lab_pages.py), then
  - scanned: rasterised at 150/200/300 dpi with 0.3-2 degree skew, Gaussian blur of
    0.002-0.005 inch (0.3-1.5 px) and 0.1-0.3% speckle noise, and
  - born-digital: written as a PDF with a text layer,
and read through the real pipeline (ocr.pipeline.read_document via the warm ReaderPool,
OCRmyPDF included) and ocr.facts.extract. Scored on (analyte, value, unit): precision, recall
and F1, and on the document date. The OCR ceiling (truth values present anywhere in the OCR
text) is measured in the same run as the baseline for the scans.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ocr" / "facts"))

from lab_pages import LAYOUTS, Report, Row, digital_pdf, page_image, scanned_pdf  # noqa: E402

from ocr.facts import extract  # noqa: E402
from ocr.facts.catalogue import by_loinc, name_key, resolve  # noqa: E402
from ocr.facts.ccda import read_ccda  # noqa: E402
from ocr.facts.model import LabResult  # noqa: E402
from ocr.facts.units import same  # noqa: E402
from ocr.options import ReadOptions  # noqa: E402
from ocr.pool import ReaderPool  # noqa: E402

CCDA = ROOT.parent / "shared" / "corpus" / "ccda"
NAME_CHARS = 44


@dataclass
class Case:
    """One report in one layout, scanned or born-digital, and what was read back."""

    report: Report
    layout: str
    kind: str
    truth: list[tuple[str, float, str | None, str]]
    path: Path | None = None
    found: list[LabResult] = field(default_factory=list)
    date: date | None = None
    text: str = ""
    seconds: float = 0.0
    dpi: int = 0


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
            seed = len(reports)
            report = Report(rows[:52], collected=collected, seed=seed)
            if facts.patient.names:
                report.patient = facts.patient.names[0]
            if facts.patient.birth_dates:
                report.born = facts.patient.birth_dates[0]
            report.reported = date.fromordinal(collected.toordinal() + 2)
            reports.append(report)
    if limit and len(reports) > limit:
        step = len(reports) / limit
        reports = [reports[int(i * step)] for i in range(limit)]
    return reports


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


def truth_of(report: Report) -> list[tuple[str, float, str | None, str]]:
    items = []
    for row in report.rows:
        number = re.sub(r"^[<>=]+", "", row.value)
        items.append(
            (
                identity(row.name, None, row.unit),
                float(number),
                row.unit or None,
                re.match(r"^[<>=]*", row.value).group(),
            )
        )  # type: ignore[union-attr]
    return items


def build(cases: list[Case], work: Path) -> None:
    """Write each case's PDF: page images for scans, a text PDF for born-digital."""
    for index, case in enumerate(cases):
        pages = LAYOUTS[case.layout](case.report)
        path = work / f"{index:04d}-{case.layout}-{case.kind}.pdf"
        if case.kind == "digital":
            case.path = digital_pdf(pages, path)
            continue
        rnd = random.Random(case.report.seed * 31 + index)
        dpi = case.dpi = (150, 200, 300)[index % 3]
        skew = rnd.uniform(0.3, 2.0) * rnd.choice((-1, 1))
        # Blur is optical, so it spans more pixels the finer the scan: 0.002-0.005 inch.
        images = [
            page_image(
                p,
                dpi=dpi,
                skew=skew,
                blur=rnd.uniform(0.002, 0.005) * dpi,
                noise=rnd.uniform(0.001, 0.003),
                seed=index,
            )
            for p in pages
        ]
        case.path = scanned_pdf(images, path, dpi)


def read_all(cases: list[Case], work: Path, processes: int) -> None:
    pool = ReaderPool(processes, ReadOptions(jobs=1), timeout_s=600)

    def one(pair: tuple[int, Case]) -> None:
        index, case = pair
        assert case.path is not None
        started = time.perf_counter()
        reading = pool.read(case.path, work / f"read-{index:04d}")
        facts = extract(reading.pages)
        case.seconds = time.perf_counter() - started
        case.found = facts.labs
        case.date = facts.date
        case.text = "\n".join(p.text for p in reading.pages)

    try:
        with ThreadPoolExecutor(processes) as threads:
            list(threads.map(one, enumerate(cases)))
    finally:
        pool.close()


def score(case: Case) -> tuple[int, int, int, int]:
    """True positives, found, truth, and truth values present in the text at all."""
    left = list(case.truth)
    hits = 0
    for result in case.found:
        if result.value.number is None:
            continue
        key = result.analyte or name_key(result.name)
        comparator = result.value.comparator or ""
        for item in left:
            name, value, unit, truth_comparator = item
            if (
                name == key
                and abs(value - result.value.number) <= 1e-9 * max(1.0, abs(value))
                and comparator.replace("=", "") == truth_comparator.replace("=", "")
                and same(unit or None, result.unit or None)
            ):
                hits += 1
                left.remove(item)
                break
    found = sum(1 for r in case.found if r.value.number is not None)
    words = set(re.findall(r"[\d.,]+", case.text))
    present = sum(1 for row in case.report.rows if re.sub(r"^[<>=]+", "", row.value) in words)
    return hits, found, len(case.truth), present


def diagnose(case: Case) -> Counter[str]:
    """Why truth items were missed: wrong unit, wrong name, wrong value, or no row at all."""
    reasons: Counter[str] = Counter()
    left = [r for r in case.found if r.value.number is not None]
    for name, value, unit, _ in case.truth:
        keys = [(r.analyte or name_key(r.name), r.value.number, r.unit) for r in left]
        if any(k == name and v == value and same(unit, u) for k, v, u in keys):
            continue
        if any(k == name and v == value for k, v, _ in keys):
            reasons["unit"] += 1
        elif any(v == value and same(unit, u) for _, v, u in keys):
            reasons["name"] += 1
        elif any(k == name for k, _, _ in keys):
            reasons["value"] += 1
        else:
            reasons["missing row"] += 1
    return reasons


def report_figures(cases: list[Case]) -> None:
    print(f"machine: {os.cpu_count()} cores; {len({id(c.report) for c in cases})} reports")
    header = f"{'set':<22}{'docs':>5}{'truth':>7}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}{'date':>8}"
    print(header + f"{'ceiling':>9}{'s/doc':>7}")
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    misses: dict[str, str] = {}
    for case in cases:
        groups[(case.kind, case.layout)].append(case)
        groups[(case.kind, "all")].append(case)
        if case.dpi:
            groups[(case.kind, f"{case.dpi} dpi")].append(case)
    for (kind, layout), members in sorted(groups.items()):
        totals = Counter()
        for case in members:
            hits, found, truth, present = score(case)
            totals.update(hits=hits, found=found, truth=truth, present=present)
            totals["dates"] += case.date == case.report.collected
        precision = totals["hits"] / max(1, totals["found"])
        recall = totals["hits"] / max(1, totals["truth"])
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        seconds = sum(c.seconds for c in members) / len(members)
        if layout == "all":
            why = sum((diagnose(c) for c in members), Counter())
            misses[kind] = ", ".join(f"{k} {v}" for k, v in why.most_common())
        print(
            f"{kind + ' ' + layout:<22}{len(members):>5}{totals['truth']:>7}{totals['found']:>7}"
            f"{precision:>8.3f}{recall:>8.3f}{f1:>8.3f}{totals['dates'] / len(members):>8.3f}"
            f"{totals['present'] / max(1, totals['truth']):>9.3f}{seconds:>7.2f}"
        )
    for kind, text in sorted(misses.items()):
        print(f"missed truth ({kind}): {text or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=24, help="reports to sample (0: all)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--misses", action="store_true", help="print what was missed")
    args = parser.parse_args()
    if not CCDA.is_dir():
        sys.exit(f"corpus not found at {CCDA}")
    reports = truth_reports(args.reports)
    cases = [
        Case(report, layout, kind, truth_of(report))
        for report in reports
        for layout in args.layouts.split(",")
        for kind in ("scan", "digital")
    ]
    work = Path(tempfile.mkdtemp(prefix="kinchart-extraction-"))
    try:
        started = time.perf_counter()
        build(cases, work)
        built = time.perf_counter() - started
        read_all(cases, work, args.processes)
        print(
            f"built {len(cases)} PDFs in {built:.1f} s; read in "
            f"{time.perf_counter() - started - built:.1f} s"
        )
        report_figures(cases)
        if args.misses:
            print_misses(cases)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def print_misses(cases: list[Case]) -> None:
    for case in cases:
        for (name, value, _unit, _), row in zip(case.truth, case.report.rows, strict=True):
            keys = [(r.analyte or name_key(r.name), r.value.number) for r in case.found]
            if (name, value) in keys or any(v == value for _, v in keys):
                continue
            number = re.sub(r"^[<>=]+", "", row.value)
            lines = [ln for ln in case.text.splitlines() if number in ln.split()]
            print(
                f"NO ROW {case.kind} {case.dpi} {case.layout}: {row.name} {row.value} {row.unit}"
                f" || {' | '.join(lines) or '(value not in OCR text)'}"
            )
    for case in cases:
        for name, value, unit, _ in case.truth:
            for r in case.found:
                key = r.analyte or name_key(r.name)
                if key == name and r.value.number == value and not same(unit, r.unit):
                    line = next((ln for ln in case.text.splitlines() if r.value.text in ln), "")
                    print(
                        f"UNIT {case.kind} {case.dpi} {case.layout}: {unit!r} read {r.unit!r}"
                        f" || {line}"
                    )
                elif key != name and r.value.number == value and same(unit, r.unit):
                    print(f"NAME {case.kind} {case.dpi} {case.layout}: {name!r} read {r.name!r}")
    for case in cases:
        hits, found, truth, _ = score(case)
        if hits == truth == found:
            continue
        print(
            f"--- {case.kind} {case.dpi} {case.layout} {case.path.name if case.path else ''}: "
            f"{hits}/{truth} found {found}; date {case.date} vs {case.report.collected}"
        )
        got = {(r.analyte or name_key(r.name), r.value.text, r.unit) for r in case.found}
        for row, item in zip(case.report.rows, case.truth, strict=True):
            print(f"   truth {item[0]:<18} {row.value:>8} {row.unit or '':<10} {row.name}")
        for entry in sorted(got, key=str):
            print(f"   found {entry[0]:<18} {entry[1]:>8} {entry[2] or ''}")


if __name__ == "__main__":
    main()
