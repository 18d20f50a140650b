"""Extraction benchmark: lab results read back from rendered reports, scanned and born-digital.

Run: uv run python bench/extraction.py [--reports 10] [--layouts columns,lis-mono,...]
     [--kinds scan,digital] [--tuned | --held-out]
The default run (10 reports x 55 layouts x scan and born-digital, 1100 PDFs) takes 11-12 minutes
on 2 cores; --layouts, --kinds, --tuned and --held-out select less for quick iterations.
Truth is the numeric lab results of the C-CDA documents in ../shared/corpus/ccda/ (value, unit,
LOINC, date), joined into reports of 12-40 tests. Each report is printed as a lab report in
fifty-five layouts of our own (tests/ocr/facts/lab_pages.py and lab_layouts.py): one-table
reports, fixed-width LIS printouts, panels side by side, previous-result and cumulative
columns, tests across with units in the header, wrapped names, landscape pages, ruled grids,
units before the result, two lines per test, pipe-separated exports, tables continued across
pages, flags glued to the value, labelled fields per test, several results run on a line, a
collection date and time at the head of every row, a letter to the patient, a care document
printed from a browser, a report from France, a discharge summary, a phone app's screens, a
spreadsheet, a nurse's e-mail, a report from Brazil, a bilingual Canadian one, a home test kit's,
a dialysis unit's, a Dutch hospital's, a trial's central lab's, an insurer's.
Layouts that print earlier results get earlier values made up around the real one, on
earlier dates. Then each report is
  - scanned: rasterised at 150/200/300 dpi with 0.3-2 degree skew, Gaussian blur of
    0.002-0.005 inch (0.3-1.5 px) and 0.1-0.3% speckle noise; or, for the layouts in
    PHOTOGRAPHED, photographed with a phone (perspective, uneven light, JPEG), and
  - born-digital: written as a PDF with a text layer,
and read through the real pipeline (ocr.pipeline.read_document via the warm ReaderPool,
OCRmyPDF included) and ocr.facts.extract. Scored on (analyte, value, unit): precision, recall
and F1; and on the collection date of every result read right (the date heading its column
in a cumulative table, else the report's collection date). A dated previous result may be
read as a result of its own date: it then counts neither way for F1, but its date is scored.
A result read under its printed name cut short (narrow columns) or left unresolved (an
ambiguous "TROPONIN") names its truth too. The layouts in HELD_OUT, FRESH_HELD_OUT and
SEVENTH_HELD_OUT (lab_layouts.py; the fresh four in lab_fresh.py, the seventh four in
lab_seventh.py) are reported apart: nobody tunes on them, and
--misses never shows them. The first four held out (ONCE_HELD_OUT) are tuned on since stop 21;
the new four (NEW_HELD_OUT, lab_unseen.py), and the latest, newest, final and last fours
(LATEST_, NEWEST_, FINAL_ and LAST_HELD_OUT; lab_latest.py, lab_newest.py, lab_final.py,
lab_last.py), each after its first run, since 2026-12-07; all are still reported apart to
show what tuning on them changed.
The OCR ceiling (truth values present anywhere in the OCR text) is measured in the same run
as the baseline for the scans. Then the narrative precision set of bench/narrative.py (40
visit notes, each born-digital and scanned, 80 PDFs; precision and recall per kind of fact,
and precision of the facts not held for review, tuning and held-out halves apart; about a
minute) runs unless --no-narrative.
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
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ocr" / "facts"))
sys.path.insert(0, str(ROOT / "bench"))

import narrative  # noqa: E402
from extraction_truth import CCDA, Truth, truth_of, truth_reports  # noqa: E402
from lab_layouts import (  # noqa: E402
    FINAL_HELD_OUT,
    FRESH_HELD_OUT,
    HELD_OUT,
    LAST_HELD_OUT,
    LATEST_HELD_OUT,
    LAYOUTS,
    NEW_HELD_OUT,
    NEWEST_HELD_OUT,
    ONCE_HELD_OUT,
    PHOTOGRAPHED,
    SEVENTH_HELD_OUT,
    photo_image,
)
from lab_pages import Report, digital_pdf, page_image, scanned_pdf  # noqa: E402

from ocr.facts import extract  # noqa: E402
from ocr.facts.catalogue import name_key  # noqa: E402
from ocr.facts.model import LabResult  # noqa: E402
from ocr.facts.units import same  # noqa: E402
from ocr.options import ReadOptions  # noqa: E402
from ocr.pool import ReaderPool  # noqa: E402


@dataclass
class Case:
    """One report in one layout, scanned or born-digital, and what was read back."""

    report: Report
    layout: str
    kind: str
    truth: list[Truth]
    path: Path | None = None
    found: list[LabResult] = field(default_factory=list)
    date: date | None = None
    text: str = ""
    seconds: float = 0.0
    dpi: int = 0


def build(cases: list[Case], work: Path, processes: int = 1) -> None:
    """Write each case's PDF: page images for scans (photos for some), a text PDF for
    born-digital; `processes` at a time (rendering a scan is most of a run's time)."""
    jobs = [(index, case.report, case.layout, case.kind, work) for index, case in enumerate(cases)]
    if processes > 1:
        with ProcessPoolExecutor(processes) as pool:
            built = list(pool.map(_build_one, jobs, chunksize=4))
    else:
        built = [_build_one(job) for job in jobs]
    for case, (path, dpi) in zip(cases, built, strict=True):
        case.path, case.dpi = path, dpi


def _build_one(job: tuple[int, Report, str, str, Path]) -> tuple[Path, int]:
    """One case's PDF and the resolution it was scanned at (0 for born-digital)."""
    index, report, layout, kind, work = job
    pages = LAYOUTS[layout](report)
    path = work / f"{index:04d}-{layout}-{kind}.pdf"
    if kind == "digital":
        return digital_pdf(pages, path), 0
    # Drawn from the report and layout, not the case's place in the run: adding a layout
    # or choosing fewer leaves every other case scanned the same way.
    draw = zlib.crc32(f"{report.seed}/{layout}".encode())
    rnd = random.Random(draw)
    if layout in PHOTOGRAPHED:
        images = [photo_image(p, dpi=200, seed=draw % 10_000) for p in pages]
        return scanned_pdf(images, path, 200), 200
    dpi = (150, 200, 300)[draw % 3]
    skew = rnd.uniform(0.3, 2.0) * rnd.choice((-1, 1))
    # Blur is optical, so it spans more pixels the finer the scan: 0.002-0.005 inch.
    images = [
        page_image(
            p,
            dpi=dpi,
            skew=skew,
            blur=rnd.uniform(0.002, 0.005) * dpi,
            noise=rnd.uniform(0.001, 0.003),
            seed=draw % 10_000,
        )
        for p in pages
    ]
    return scanned_pdf(images, path, dpi), dpi


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


def _key(result: LabResult) -> str:
    return result.analyte or name_key(result.name)


def _matches(item: Truth, result: LabResult) -> bool:
    number = result.value.number
    comparator = (result.value.comparator or "").replace("=", "")
    return (
        number is not None
        and (item.name == _key(result) or _key(result) in item.names)
        and abs(item.value - number) <= 1e-9 * max(1.0, abs(item.value))
        and comparator == item.comparator.replace("=", "")
        and same(item.unit, result.unit or None)
    )


def pair(case: Case) -> tuple[list[tuple[Truth, LabResult]], list[LabResult], list[Truth]]:
    """Found results paired with truth (same date first), the unpaired found, and the
    unpaired truth."""
    left = list(case.truth)
    pairs, extra = [], []
    for result in case.found:
        if result.value.number is None:
            continue
        candidates = [item for item in left if _matches(item, result)]
        if not candidates:
            extra.append(result)
            continue
        item = next((c for c in candidates if c.collected == result.collected), candidates[0])
        left.remove(item)
        pairs.append((item, result))
    return pairs, extra, left


def score(case: Case) -> Counter[str]:
    """Hits, found, truth (required results only), results dated right of those read
    right (optional ones included), and truth values present in the OCR text."""
    pairs, extra, _ = pair(case)
    counts: Counter[str] = Counter()
    counts["hits"] = sum(1 for item, _ in pairs if item.required)
    counts["found"] = counts["hits"] + len(extra)
    counts["truth"] = sum(1 for item in case.truth if item.required)
    counts["paired"] = len(pairs)
    counts["dated"] = sum(1 for item, result in pairs if result.collected == item.collected)
    words = set(re.findall(r"[\d.,]+", case.text))
    counts["present"] = sum(1 for item in case.truth if item.required and _printed(item) in words)
    return counts


def _printed(item: Truth) -> str:
    return item.text


def diagnose(case: Case) -> Counter[str]:
    """Why truth items were missed: wrong unit, wrong name, wrong value, or no row at all."""
    reasons: Counter[str] = Counter()
    _, extra, missed = pair(case)
    for item in missed:
        if not item.required:
            continue
        keys = [(_key(r), r.value.number, r.unit) for r in extra]
        if any(k in item.names and v == item.value for k, v, _ in keys):
            reasons["unit"] += 1
        elif any(v == item.value and same(item.unit, u) for _, v, u in keys):
            reasons["name"] += 1
        elif any(k in item.names for k, _, _ in keys):
            reasons["value"] += 1
        else:
            reasons["missing row"] += 1
    return reasons


def _figures(members: list[Case]) -> dict[str, float]:
    totals: Counter[str] = Counter()
    for case in members:
        totals.update(score(case))
    precision = totals["hits"] / max(1, totals["found"])
    recall = totals["hits"] / max(1, totals["truth"])
    return {
        "docs": len(members),
        "truth": totals["truth"],
        "found": totals["found"],
        "P": precision,
        "R": recall,
        "F1": 2 * precision * recall / max(1e-9, precision + recall),
        "date": totals["dated"] / max(1, totals["paired"]),
        "ceiling": totals["present"] / max(1, totals["truth"]),
        "s/doc": sum(c.seconds for c in members) / max(1, len(members)),
    }


def _row(label: str, f: dict[str, float]) -> str:
    return (
        f"{label:<26}{f['docs']:>5}{f['truth']:>7}{f['found']:>7}{f['P']:>8.3f}{f['R']:>8.3f}"
        f"{f['F1']:>8.3f}{f['date']:>8.3f}{f['ceiling']:>9.3f}{f['s/doc']:>7.2f}"
    )


# NEW_, LATEST_, NEWEST_, FINAL_ and LAST_HELD_OUT: tuned on since 2026-12-07
UNSEEN = (*HELD_OUT, *FRESH_HELD_OUT, *SEVENTH_HELD_OUT)


PARTS = ("tuned", "once held-out", "held-out", "new held-out", "fresh held-out",
         "latest held-out", "newest held-out", "final held-out", "last held-out",
         "seventh held-out")  # fmt: skip
MARKS = {"tuned": " ", "once held-out": "~", "held-out": "*", "new held-out": "+",
         "fresh held-out": "#", "latest held-out": "&", "newest held-out": "%",
         "final held-out": "!", "last held-out": "$", "seventh held-out": "@"}  # fmt: skip


def part_of(layout: str) -> str:
    """ "tuned", "once held-out" (the first four held out, tuned on since), "held-out", "new
    held-out" (lab_unseen.py), "fresh held-out" (lab_fresh.py), "latest held-out"
    (lab_latest.py), "newest held-out" (lab_newest.py), "final held-out" (lab_final.py), "last
    held-out" (lab_last.py) or "seventh held-out" (lab_seventh.py)."""
    if layout in SEVENTH_HELD_OUT:
        return "seventh held-out"
    if layout in LAST_HELD_OUT:
        return "last held-out"
    if layout in FINAL_HELD_OUT:
        return "final held-out"
    if layout in NEWEST_HELD_OUT:
        return "newest held-out"
    if layout in LATEST_HELD_OUT:
        return "latest held-out"
    if layout in FRESH_HELD_OUT:
        return "fresh held-out"
    if layout in NEW_HELD_OUT:
        return "new held-out"
    if layout in ONCE_HELD_OUT:
        return "once held-out"
    return "held-out" if layout in HELD_OUT else "tuned"


def report_figures(cases: list[Case]) -> None:
    layouts = sorted({c.layout for c in cases}, key=list(LAYOUTS).index)
    held = [name for name in layouts if name in UNSEEN]
    print(
        f"machine: {os.cpu_count()} cores; {len({id(c.report) for c in cases})} reports; "
        f"{len(layouts) - len(held)} tuned layouts, {len(held)} held out ({', '.join(held)})"
    )
    print("F1 on (analyte, value, unit); date: share of results read right that carry their")
    print("collection date; ceiling: share of truth values anywhere in the page text")
    header = f"{'set':<26}{'docs':>5}{'truth':>7}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}{'date':>8}"
    print(header + f"{'ceiling':>9}{'s/doc':>7}")
    summary: dict[tuple[str, str], dict[str, float]] = {}
    for part in PARTS:
        for kind in ("scan", "digital"):
            members = [c for c in cases if c.kind == kind and part_of(c.layout) == part]
            if members:
                summary[(part, kind)] = _figures(members)
                print(_row(f"{part} {kind}", summary[(part, kind)]))
    print(
        "by layout (~ once held out, tuned since; * held out, + new held out, # fresh, & latest,"
        " % newest, ! final, $ last, @ seventh):"
    )
    for layout in layouts:
        for kind in ("scan", "digital"):
            members = [c for c in cases if c.kind == kind and c.layout == layout]
            if members:
                mark = MARKS[part_of(layout)]
                print(_row(f" {mark}{kind} {layout}", _figures(members)))
    for dpi in (150, 200, 300):
        members = [c for c in cases if c.kind == "scan" and c.dpi == dpi]
        if members:
            print(_row(f"  scan {dpi} dpi (all)", _figures(members)))
    for kind in ("scan", "digital"):
        members = [c for c in cases if c.kind == kind and c.layout not in UNSEEN]
        why = sum((diagnose(c) for c in members), Counter())
        if members:
            text = ", ".join(f"{k} {v}" for k, v in why.most_common())
            print(f"missed truth, tuned {kind}: {text or 'none'}")
    print("SUMMARY")
    for part in PARTS:
        scan, digital = summary.get((part, "scan")), summary.get((part, "digital"))
        dated = [f for f in (scan, digital) if f]
        line = f"  {part:<14}"
        line += f" scans F1 {scan['F1']:.3f}" if scan else " scans -"
        line += f"   born-digital F1 {digital['F1']:.3f}" if digital else "   born-digital -"
        if dated:
            weights = sum(f["truth"] for f in dated)
            date_share = sum(f["date"] * f["truth"] for f in dated) / max(1, weights)
            line += f"   dates {date_share:.3f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=10, help="reports to sample (0: all)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--kinds", default="scan,digital", help="scan, digital or both")
    parser.add_argument("--tuned", action="store_true", help="only the tuned layouts")
    parser.add_argument("--held-out", action="store_true", help="only the held-out layouts")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--misses", action="store_true", help="print what was missed (tuned)")
    parser.add_argument(
        "--no-narrative", action="store_true", help="skip the narrative precision set"
    )
    args = parser.parse_args()
    if not CCDA.is_dir():
        sys.exit(f"corpus not found at {CCDA}")
    layouts = [name for name in args.layouts.split(",") if name]
    unknown = [name for name in layouts if name not in LAYOUTS]
    if unknown:
        sys.exit(f"unknown layouts: {', '.join(unknown)} (known: {', '.join(LAYOUTS)})")
    if args.tuned:
        layouts = [name for name in layouts if name not in UNSEEN]
    if args.held_out:
        layouts = [name for name in layouts if name in UNSEEN]
    reports = truth_reports(args.reports)
    cases = [
        Case(report, layout, kind, truth_of(report, layout))
        for report in reports
        for layout in layouts
        for kind in args.kinds.split(",")
    ]
    work = Path(tempfile.mkdtemp(prefix="kinchart-extraction-"))
    try:
        started = time.perf_counter()
        build(cases, work, args.processes)
        built = time.perf_counter() - started
        read_all(cases, work, args.processes)
        print(
            f"built {len(cases)} PDFs in {built:.1f} s; read in "
            f"{time.perf_counter() - started - built:.1f} s"
        )
        report_figures(cases)
        if args.misses:
            # Held-out layouts stay unseen: their misses are never printed.
            print_misses([c for c in cases if c.layout not in UNSEEN])
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if not args.no_narrative:
        # Facts from visit notes (bench/narrative.py): precision and recall per kind.
        print("NARRATIVE PRECISION SET (bench/narrative.py)")
        narrative.run(processes=args.processes, misses=args.misses)


def print_misses(cases: list[Case]) -> None:
    for case in cases:
        pairs, extra, missed = pair(case)
        wrong_dates = [(i, r) for i, r in pairs if r.collected != i.collected]
        if not extra and not any(i.required for i in missed) and not wrong_dates:
            continue
        name = case.path.name if case.path else ""
        print(f"--- {case.kind} {case.dpi} {case.layout} {name}: {len(pairs)} paired")
        for item in missed:
            if item.required:
                words = _printed(item)
                lines = [ln for ln in case.text.splitlines() if words in ln.split()]
                print(
                    f"   MISSED {item.name} {item.comparator}{_printed(item)} {item.unit}"
                    f" {item.collected} || {' | '.join(lines[:2]) or '(not in text)'}"
                )
        for result in extra:
            print(
                f"   EXTRA  {_key(result)} {result.value.text} {result.unit} "
                f"{result.collected} || {result.citation.line[:100]!r}"
            )
        for item, result in wrong_dates:
            print(
                f"   DATE   {item.name} {result.value.text}: {result.collected} vs {item.collected}"
            )


if __name__ == "__main__":
    main()
