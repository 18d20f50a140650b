"""Twelve more lab report layouts, as real labs print them, and a phone photo of a page.

With the four of `lab_pages` they make the sixteen layouts of bench/extraction.py. HELD_OUT
names the layouts nobody tunes extraction on (see its comment).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from datetime import date

from lab_pages import (
    LAYOUTS as BASIC,
)
from lab_pages import (
    PAGE_IN,
    Page,
    Report,
    Row,
    _fit,
    _us,
    _wrap,
    page_image,
    width_in,
)
from PIL import Image, ImageChops, ImageFilter

LANDSCAPE = (PAGE_IN[1], PAGE_IN[0])
_PANELS = ("CHEMISTRY", "HEMATOLOGY", "LIPIDS", "ENDOCRINOLOGY", "URINALYSIS", "OTHER TESTS")


def _step(size: float) -> float:
    return size * 1.5 / 72


def _last_first(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}".upper() if len(parts) > 1 else name.upper()


def _short(day: date) -> str:
    return f"{day.month}/{day.day}/{day:%y}"


def _earlier(row: Row, index: int) -> str:
    return row.earlier[index] if index < len(row.earlier) else ""


def _flagged(value: str, flag: str) -> str:
    return f"{value} {flag}".strip() if value else ""


def _paginate(
    report: Report,
    per_page: int,
    head: Callable[[Page, Report, int], float],
    row: Callable[[Page, Row, float], float],
    size: tuple[float, float] = PAGE_IN,
    bottom: float | None = None,
) -> list[Page]:
    pages = []
    rows = report.rows
    bottom = bottom if bottom is not None else size[1] - 0.7
    for number, start in enumerate(range(0, max(1, len(rows)), per_page), 1):
        page = Page(size=size)
        y = head(page, report, number)
        for item in rows[start : start + per_page]:
            y = row(page, item, y)
        page.add(f"Printed {_us(report.printed)}   Page {number}", 0.6, bottom + 0.3, 7.5)
        pages.append(page)
    return pages


# --- fixed-width LIS printouts -------------------------------------------------------------


def _mono_fields(fields: list[tuple[str, int]]) -> str:
    return "".join(text.ljust(width) for text, width in fields).rstrip()


def lis_mono(report: Report) -> list[Page]:
    """A fixed-width LIS printout: dashed rules, TEST RESULT FLAG UNITS REFERENCE, names in
    capitals wrapped at 26 characters, IDs (MRN, accession) in the header."""
    size = 8.5
    step = _step(size) * 0.95
    widths = (28, 11, 6, 13, 18)
    rule = "-" * 78

    def head(page: Page, r: Report, number: int) -> float:
        lines = [
            f"{r.facility.upper():<44}LABORATORY REPORT     PAGE {number}",
            f"PATIENT: {_last_first(r.patient):<22}MRN: {r.mrn:<12}DOB: {_us(r.born)}  SEX: F",
            f"ACCESSION: {r.accession:<16}COLLECTED: {_us(r.collected)} 0815  "
            f"RECEIVED: {_us(r.collected)} 0902",
            f"ORDERING: {r.provider.upper():<24}REPORTED: {_us(r.reported)} 1410",
            rule,
            _mono_fields(
                list(zip(("TEST", "RESULT", "FLAG", "UNITS", "REFERENCE"), widths, strict=True))
            ),
            rule,
        ]
        y = 0.7
        for line in lines:
            page.add(line, 0.5, y, size, mono=True)
            y += step
        return y + step * 0.3

    def row(page: Page, item: Row, y: float) -> float:
        names = _mono_wrap(item.name.upper(), widths[0] - 2)
        first = [(names[0], widths[0]), (item.value, widths[1]), (item.flag, widths[2]),
                 (item.unit, widths[3]), (item.reference, widths[4])]  # fmt: skip
        page.add(_mono_fields(first), 0.5, y, size, mono=True)
        for more in names[1:]:
            y += step
            page.add("  " + more, 0.5, y, size, mono=True)
        return y + step

    return _paginate(report, 34, head, row)


def _mono_wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current[: width + 6]] if current else lines or [""]


def lis_wide(report: Report) -> list[Page]:
    """A 132-column landscape LIS printout: order number and test code before each name,
    collection date and status on every row."""
    size = 8.0
    step = _step(size) * 0.95
    widths = (10, 8, 34, 11, 12, 15, 4, 16, 6)
    titles = ("ORD#", "CODE", "DESCRIPTION", "RESULT", "UNITS", "REF RANGE", "FL", "COLLECTED",
              "STAT")  # fmt: skip
    rule = "=" * 118
    order = 4471203 + report.seed * 17

    def head(page: Page, r: Report, number: int) -> float:
        lines = [
            f"{r.facility.upper()} -- CUMULATIVE ORDER LISTING{'':<30}RUN {_us(r.printed)}",
            f"PT: {_last_first(r.patient):<26}MRN {r.mrn:<12}DOB {_us(r.born):<14}"
            f"ACCN {r.accession:<16}PG {number}",
            rule,
            _mono_fields(list(zip(titles, widths, strict=True))),
            rule,
        ]
        y = 0.6
        for line in lines:
            page.add(line, 0.4, y, size, mono=True)
            y += step
        return y

    def row(page: Page, item: Row, y: float) -> float:
        code = "".join(c for c in item.name.upper() if c.isalnum())[:5]
        fields = [(str(order + len(item.name) % 7), widths[0]), (code, widths[1]),
                  (item.name.upper()[: widths[2] - 1], widths[2]), (item.value, widths[3]),
                  (item.unit, widths[4]), (item.reference[:14], widths[5]), (item.flag, widths[6]),
                  (f"{report.collected:%m/%d/%y} 0815", widths[7]), ("F", widths[8])]  # fmt: skip
        page.add(_mono_fields(fields), 0.4, y, size, mono=True)
        return y + step

    return _paginate(report, 36, head, row, LANDSCAPE, bottom=7.9)


# --- panels side by side -------------------------------------------------------------------


def _panels(report: Report) -> list[tuple[str, list[Row]]]:
    """The rows cut into named panels of 5-9 rows."""
    rnd = random.Random(report.seed)
    panels, start, index = [], 0, 0
    while start < len(report.rows):
        count = rnd.randint(5, 9)
        panels.append((_PANELS[index % len(_PANELS)], report.rows[start : start + count]))
        start += count
        index += 1
    return panels


def _side_by_side(
    report: Report,
    head: Callable[[Page, Report], float],
    column_head: Callable[[Page, float, float], float] | None,
    row: Callable[[Page, Row, float, float], float],
    size: float,
) -> list[Page]:
    """Panels in two columns a page, balanced: the left column holds about half of what is
    left to print, the right the rest."""
    xs = (0.5, 4.35)
    step = _step(size)
    pages: list[Page] = []
    page, column, top, y, bottom = None, 0, 0.0, 0.0, 10.1
    panels = _panels(report)
    heights = [(len(rows) + 2) * step for _, rows in panels]
    for index, (title, rows) in enumerate(panels):
        needed = heights[index]
        if page is None or y + needed > (bottom if column == 0 else 10.1):
            if page is not None and column == 0:
                column, y = 1, top
            else:
                page = Page()
                pages.append(page)
                top = head(page, report)
                if column_head is not None:
                    for x in xs:
                        column_head(page, x, top)
                    top += step * 1.4
                column, y = 0, top
                bottom = min(10.1, top + sum(heights[index:]) / 2 + step)
        x = xs[column]
        page.add(title, x, y, size + 0.5)
        page.rules.append((x, y + 0.04, x + 3.6, y + 0.04))
        y += step * 1.2
        for item in rows:
            y = row(page, item, x, y)
        y += step * 0.6
    for number, each in enumerate(pages, 1):
        each.add(f"Printed {_us(report.printed)}   Page {number}", 0.6, 10.4, 7.5)
    return pages


def two_panels(report: Report) -> list[Page]:
    """Two columns of panels, each with its own TEST RESULT FLAG UNITS RANGE header."""
    size = 8.0
    offsets = (0.0, 1.5, 2.02, 2.38, 3.0)

    def head(page: Page, r: Report) -> float:
        page.add(f"{r.facility}  -  Laboratory Results", 0.5, 0.6, 13)
        page.add(f"Patient: {r.patient}   DOB: {_us(r.born)}   MRN: {r.mrn}", 0.5, 0.95, 9)
        page.add(f"Specimen collected: {_us(r.collected)} 08:15", 0.5, 1.15, 9)
        page.add(f"Accession: {r.accession}   Reported: {_us(r.reported)}", 4.35, 1.15, 9)
        return 1.55

    def column_head(page: Page, x: float, y: float) -> float:
        for offset, label in zip(
            offsets, ("TEST", "RESULT", "FLAG", "UNITS", "RANGE"), strict=True
        ):
            page.add(label, x + offset, y, size)
        return y

    def row(page: Page, item: Row, x: float, y: float) -> float:
        page.add(_fit(item.name, offsets[1] - 0.1, size), x, y, size)
        values = (item.value, item.flag, item.unit, item.reference)
        for offset, text in zip(offsets[1:], values, strict=True):
            if offset == offsets[-1] and width_in(text, size) > 0.62:
                continue
            page.add(text, x + offset, y, size)
        return y + _step(size)

    return _side_by_side(report, head, column_head, row, size)


def panels_plain(report: Report) -> list[Page]:
    """Two columns of panels without column headers: `name   value unit   (range) flag`."""
    size = 8.5

    def head(page: Page, r: Report) -> float:
        page.add(r.facility.upper(), 0.5, 0.6, 12)
        page.add("CUMULATIVE PATIENT REPORT", 5.2, 0.6, 10)
        page.add(f"{_last_first(r.patient)}", 0.5, 0.95, 10)
        page.add(f"Patient ID: {r.mrn}", 3.0, 0.95, 9)
        page.add(f"Born {r.born:%d %b %Y}", 5.2, 0.95, 9)
        page.add(f"Sample taken: {r.collected:%d %b %Y} 08:15", 0.5, 1.15, 9)
        page.add(f"Lab no. {r.accession}", 5.2, 1.15, 9)
        return 1.6

    def row(page: Page, item: Row, x: float, y: float) -> float:
        page.add(_fit(item.name, 1.6, size), x, y, size)
        page.add(f"{item.value} {item.unit}".strip(), x + 1.7, y, size)
        tail = f"({item.reference})" if item.reference and len(item.reference) < 14 else ""
        page.add(f"{tail} {item.flag}".strip(), x + 2.75, y, size)
        return y + _step(size)

    return _side_by_side(report, head, None, row, size)


# --- previous and cumulative results -------------------------------------------------------


def _classic_head(page: Page, r: Report, size: float = 9.0) -> float:
    page.add(r.facility, 0.5, 0.6, 14)
    page.add(f"Patient: {r.patient}", 0.5, 0.95, size)
    page.add(f"DOB: {_us(r.born)}", 3.3, 0.95, size)
    page.add(f"Patient ID: {r.mrn}", 5.3, 0.95, size)
    page.add(f"Collected: {_us(r.collected)} 08:15", 0.5, 1.15, size)
    page.add(f"Received: {_us(r.collected)}", 3.3, 1.15, size)
    page.add(f"Accession: {r.accession}", 5.3, 1.15, size)
    page.add(f"Ordering Physician: {r.provider}", 0.5, 1.35, size)
    return 1.75


def previous(report: Report) -> list[Page]:
    """TEST | RESULT | FLAG | PREVIOUS | DATE | UNITS | REFERENCE: the last result and its
    date beside the current one."""
    size = 8.5
    xs = (0.5, 2.75, 3.45, 3.9, 4.6, 5.5, 6.45)
    labels = ("TEST", "RESULT", "FLAG", "PREVIOUS", "DATE", "UNITS", "REFERENCE")

    def head(page: Page, r: Report, number: int) -> float:
        y = _classic_head(page, r)
        for x, label in zip(xs, labels, strict=True):
            page.add(label, x, y, size)
        return y + 1.5 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        before = _earlier(item, 0)
        texts = (_fit(item.name, xs[1] - xs[0] - 0.1, size), item.value, item.flag, before,
                 _us(report.earlier[0]) if before and report.earlier else "", item.unit,
                 item.reference if width_in(item.reference, size) < 1.5 else "")  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        return y + _step(size)

    return _paginate(report, 30, head, row)


def prior_header(report: Report) -> list[Page]:
    """Test | Current (date) | Prior (date) | Units | Reference Range, dates under the
    column titles and flags after the values."""
    size = 9.0
    xs = (0.5, 3.0, 4.1, 5.2, 6.3)

    def head(page: Page, r: Report, number: int) -> float:
        y = _classic_head(page, r) + 0.05
        prior = _us(r.earlier[0]) if r.earlier else ""
        for x, label in zip(
            xs, ("Test", "Current", "Prior", "Units", "Reference Range"), strict=True
        ):
            page.add(label, x, y, size)
        page.add(_us(r.collected), xs[1], y + _step(size), size)
        page.add(prior, xs[2], y + _step(size), size)
        return y + 2.6 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        texts = (_fit(item.name, xs[1] - xs[0] - 0.15, size), _flagged(item.value, item.flag),
                 _earlier(item, 0), item.unit,
                 item.reference if width_in(item.reference, size) < 1.6 else "")  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        return y + _step(size)

    return _paginate(report, 28, head, row)


def cumulative(report: Report) -> list[Page]:
    """TEST | one column per collection date, newest first | UNITS | REFERENCE; flags after
    the values."""
    size = 8.5
    xs = (0.5, 2.75, 3.6, 4.45, 5.35, 6.4)
    days = [report.collected, *report.earlier[:2]]

    def head(page: Page, r: Report, number: int) -> float:
        y = _classic_head(page, r)
        page.add("Collection date", xs[1], y, size)
        y += _step(size)
        page.add("TEST", xs[0], y, size)
        for x, day in zip(xs[1:4], days, strict=False):
            page.add(_us(day), x, y, size)
        page.add("UNITS", xs[4], y, size)
        page.add("REFERENCE", xs[5], y, size)
        return y + 1.5 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        page.add(_fit(item.name, xs[1] - xs[0] - 0.1, size), xs[0], y, size)
        values = [_flagged(item.value, item.flag), _earlier(item, 0), _earlier(item, 1)]
        for x, text in zip(xs[1:4], values[: len(days)], strict=False):
            page.add(text, x, y, size)
        page.add(item.unit, xs[4], y, size)
        if width_in(item.reference, size) < 1.5:
            page.add(item.reference, xs[5], y, size)
        return y + _step(size)

    return _paginate(report, 30, head, row)


def trend(report: Report) -> list[Page]:
    """Component | Ref Range & Units | dates oldest first (m/d/yy), as patient portals print
    trends; flags after the values."""
    size = 8.5
    xs = (0.5, 2.7, 4.55, 5.5, 6.45)
    days = [*reversed(report.earlier[:2]), report.collected]

    def head(page: Page, r: Report, number: int) -> float:
        page.add(f"{r.facility}", 0.5, 0.6, 13)
        page.add("Lab Results - Trend", 0.5, 0.85, 10)
        page.add(f"Name: {r.patient}    DOB: {r.born:%m/%d/%Y}    MRN: {r.mrn}", 0.5, 1.1, 9)
        page.add(f"Specimen Collected: {r.collected:%m/%d/%Y}", 0.5, 1.3, 9)
        y = 1.75
        page.add("Component", xs[0], y, size)
        page.add("Ref Range & Units", xs[1], y, size)
        for x, day in zip(xs[-len(days) :], days, strict=True):
            page.add(_short(day), x, y, size)
        return y + 1.5 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        page.add(_fit(item.name, xs[1] - xs[0] - 0.1, size), xs[0], y, size)
        ref = f"{item.reference} {item.unit}".strip()
        page.add(_fit(ref, xs[2] - xs[1] - 0.1, size) if ref else "", xs[1], y, size)
        values = [_earlier(item, 1), _earlier(item, 0), _flagged(item.value, item.flag)]
        for x, text in zip(xs[-len(days) :], values[-len(days) :], strict=True):
            page.add(text, x, y, size)
        return y + _step(size)

    return _paginate(report, 30, head, row)


def flowsheet(report: Report) -> list[Page]:
    """Tests across, dates down: blocks of four tests with their units only in the column
    header, a row per collection date."""
    size = 8.5
    step = _step(size)
    xs = (0.5, 2.0, 3.6, 5.2, 6.8)
    days = [report.collected, *report.earlier[:1]]
    pages: list[Page] = []
    page: Page | None = None
    y = 0.0
    for start in range(0, len(report.rows), 4):
        block = report.rows[start : start + 4]
        needed = (3 + len(days) + 1.5) * step
        if page is None or y + needed > 10.1:
            page = Page()
            pages.append(page)
            y = _classic_head(page, report)
        names = [_wrap(item.name, 1.45)[:2] for item in block]
        page.add("Date", xs[0], y, size)
        depth = max(len(n) for n in names)
        for x, lines in zip(xs[1:], names, strict=False):
            for offset, text in enumerate(lines):
                page.add(text, x, y + offset * step, size)
        y += depth * step
        for x, item in zip(xs[1:], block, strict=False):
            page.add(f"({item.unit})" if item.unit else "", x, y, size)
        page.rules.append((xs[0], y + 0.05, 8.0, y + 0.05))
        y += step * 1.3
        for index, day in enumerate(days):
            page.add(_us(day), xs[0], y, size)
            for x, item in zip(xs[1:], block, strict=False):
                text = _flagged(item.value, item.flag) if index == 0 else _earlier(item, index - 1)
                page.add(text, x, y, size)
            y += step
        y += step
    for number, each in enumerate(pages, 1):
        each.add(f"Printed {_us(report.printed)}   Page {number}", 0.6, 10.4, 7.5)
    return pages


# --- others --------------------------------------------------------------------------------


def wrapped(report: Report) -> list[Page]:
    """A narrow TEST column whose long names wrap flush under themselves; flags spelled out
    (High, Low) in their own column after the units."""
    size = 9.0
    xs = (0.5, 2.0, 2.85, 3.95, 4.75)
    words = {"H": "High", "L": "Low", "HH": "Crit High", "LL": "Crit Low", "A": "Abnormal"}

    def head(page: Page, r: Report, number: int) -> float:
        y = _classic_head(page, r)
        for x, label in zip(
            xs, ("Test", "Result", "Units", "Flag", "Reference Range"), strict=True
        ):
            page.add(label, x, y, size)
        return y + 1.5 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        names = _wrap(item.name, xs[1] - xs[0] - 0.12)
        for x, text in zip(xs[1:], (item.value, item.unit, words.get(item.flag, item.flag),
                                    item.reference), strict=True):  # fmt: skip
            page.add(text, x, y, size)
        for line in names:
            page.add(line, xs[0], y, size)
            y += _step(size)
        return y + 0.25 * _step(size)

    return _paginate(report, 24, head, row)


def landscape(report: Report) -> list[Page]:
    """A landscape page: TEST | RESULT | FLAG | UNITS | REFERENCE RANGE | LOINC | PERFORMING
    LAB | STATUS, with codes and sites in their own columns."""
    size = 9.0
    xs = (0.5, 3.5, 4.5, 5.1, 6.3, 7.8, 8.8, 10.0)
    labels = ("TEST", "RESULT", "FLAG", "UNITS", "REFERENCE RANGE", "LOINC", "PERFORMING LAB",
              "STATUS")  # fmt: skip

    def head(page: Page, r: Report, number: int) -> float:
        page.add(f"{r.facility} - Final Report", 0.5, 0.6, 14)
        page.add(f"Patient: {r.patient}   DOB: {_us(r.born)}   Patient ID: {r.mrn}", 0.5, 0.95)
        page.add(f"Collected: {_us(r.collected)} 08:15", 0.5, 1.15)
        page.add(f"Reported: {_us(r.reported)}   Accession: {r.accession}", 4.5, 1.15)
        for x, label in zip(xs, labels, strict=True):
            page.add(label, x, 1.55, size)
        return 1.55 + 1.5 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        seed = sum(map(ord, item.name))
        code = f"{1000 + seed * 37 % 90000}-{seed % 10}"
        texts = (_fit(item.name, xs[1] - xs[0] - 0.1, size), item.value, item.flag, item.unit,
                 item.reference, code, "RCL-MAIN", "Final")  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        return y + _step(size)

    return _paginate(report, 26, head, row, LANDSCAPE)


def ruled(report: Report) -> list[Page]:
    """A ruled grid: a line under every row, TEST | RESULT | UNITS | REFERENCE RANGE | FLAG
    (scanned as a phone photo in the bench)."""
    size = 10.0
    xs = (0.5, 3.3, 4.3, 5.4, 6.9)

    def head(page: Page, r: Report, number: int) -> float:
        page.add(r.facility, 0.5, 0.6, 15)
        page.add(f"Patient: {r.patient}     Patient ID: {r.mrn}", 0.5, 0.95, size)
        page.add(f"Date of birth: {_us(r.born)}", 5.0, 0.95, size)
        page.add(f"Specimen date: {_us(r.collected)}", 0.5, 1.2, size)
        page.add(f"Report date: {_us(r.reported)}", 5.0, 1.2, size)
        for x, label in zip(
            xs, ("TEST", "RESULT", "UNITS", "REFERENCE RANGE", "FLAG"), strict=True
        ):
            page.add(label, x, 1.7, size)
        page.rules.append((0.45, 1.78, 7.6, 1.78))
        return 1.7 + 1.6 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        texts = (
            _fit(item.name, xs[1] - xs[0] - 0.1, size),
            item.value,
            item.unit,
            item.reference if width_in(item.reference, size) < 1.45 else "",
            item.flag,
        )
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        page.rules.append((0.45, y + 0.08, 7.6, y + 0.08))
        return y + 1.6 * _step(size)

    return _paginate(report, 24, head, row)


LAYOUTS: dict[str, Callable[[Report], list[Page]]] = {
    **BASIC,
    "lis-mono": lis_mono,
    "two-panels": two_panels,
    "previous": previous,
    "cumulative": cumulative,
    "flowsheet": flowsheet,
    "wrapped": wrapped,
    "landscape": landscape,
    "ruled": ruled,
    # held out:
    "lis-wide": lis_wide,
    "panels-plain": panels_plain,
    "prior-header": prior_header,
    "trend": trend,
}

# Layouts nobody tunes extraction on: chosen before any tuning, one per hard kind (fixed
# width, panels side by side, a previous-result column, dates across). While working on
# extraction, look only at their summary figures, never at their pages or per-case misses
# (bench/extraction.py refuses --misses for them).
HELD_OUT = ("lis-wide", "panels-plain", "prior-header", "trend")

# Layouts that print earlier results: how many earlier dates, and whether those values are
# results the reader must find (cumulative tables) or may find with their own date (a
# previous-result column).
HISTORY: dict[str, tuple[int, bool]] = {
    "previous": (1, False),
    "prior-header": (1, False),
    "cumulative": (2, True),
    "trend": (2, True),
    "flowsheet": (1, True),
}

# Layouts the bench scans as phone photos instead of flatbed scans.
PHOTOGRAPHED = ("ruled",)


def photo_image(page: Page, *, dpi: int = 200, seed: int = 0) -> Image.Image:
    """The page photographed with a phone: on a darker desk, in perspective, lit unevenly
    from one side, slightly soft, JPEG-compressed."""
    rnd = random.Random(seed)
    sheet = page_image(page, dpi=dpi, blur=0.6, noise=0.0005, seed=seed)
    margin = int(0.35 * dpi)
    canvas = Image.new("L", (sheet.width + 2 * margin, sheet.height + 2 * margin), 95)
    canvas.paste(sheet, (margin, margin))
    w, h = canvas.size
    jitter = 0.035
    # Where each corner of the photo samples the flat canvas (a keystone and a little turn).
    source = [
        (rnd.uniform(0, jitter) * w, rnd.uniform(0, jitter) * h),
        (w - rnd.uniform(0, jitter) * w, rnd.uniform(0, jitter) * h),
        (w - rnd.uniform(-jitter, jitter) * w * 0.5, h - rnd.uniform(0, jitter) * h),
        (rnd.uniform(-jitter, jitter) * w * 0.5, h - rnd.uniform(0, jitter) * h),
    ]
    target = [(0, 0), (w, 0), (w, h), (0, h)]
    coeffs = _perspective(target, source)
    photo = canvas.transform((w, h), Image.Transform.PERSPECTIVE, coeffs,
                             Image.Resampling.BICUBIC, fillcolor=95)  # fmt: skip
    # Uneven light: a gradient from one side (70-100% brightness) and a dimmer corner.
    gradient = Image.linear_gradient("L").resize((w, h))
    gradient = gradient.rotate(rnd.choice((0, 90, 180, 270)), expand=False)
    low = rnd.uniform(0.62, 0.75)
    light = gradient.point(lambda v: int(255 * (low + (1 - low) * v / 255)))
    photo = ImageChops.multiply(photo, light)
    photo = photo.filter(ImageFilter.GaussianBlur(rnd.uniform(0.5, 0.9)))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=rnd.randint(70, 85))
    photo = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    photo.info["dpi"] = (dpi, dpi)
    return photo


def _perspective(
    target: list[tuple[float, float]], source: list[tuple[float, float]]
) -> tuple[float, ...]:
    """PIL's perspective coefficients mapping `target` corners to `source` corners."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        vector.append(u)
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector.append(v)
    return tuple(_solve(matrix, vector))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 unknowns; no numpy here)."""
    n = len(vector)
    rows = [[*map(float, r), float(b)] for r, b in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]
