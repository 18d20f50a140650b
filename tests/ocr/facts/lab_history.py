"""Layouts that print earlier results: previous-result columns, cumulative tables with a
column per date, and flowsheets with tests across and dates down (see lab_layouts.py)."""

from __future__ import annotations

from lab_pages import Page, Report, Row, _fit, _us, _wrap, width_in
from lab_parts import _classic_head, _earlier, _flagged, _paginate, _short, _step

# --- previous and cumulative results -------------------------------------------------------


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
