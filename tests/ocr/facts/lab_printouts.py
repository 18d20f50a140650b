"""Fixed-width LIS printouts and panels printed side by side (see lab_layouts.py)."""

from __future__ import annotations

import random
from collections.abc import Callable

from lab_pages import Page, Report, Row, _fit, _us, width_in
from lab_parts import LANDSCAPE, _last_first, _paginate, _step

_PANELS = ("CHEMISTRY", "HEMATOLOGY", "LIPIDS", "ENDOCRINOLOGY", "URINALYSIS", "OTHER TESTS")

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
