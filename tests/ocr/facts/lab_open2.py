"""Four more tuned layouts (see lab_layouts.py), of kinds real labs print that the first
thirty-one lack: flags glued to the value ("13.2H", "*6.1") under the titles Analyte,
Measured, Unit, Ref. values; one line per test as labelled fields ("Test: Sodium  Value: 140
Units: mmol/L  Range: Low 136 High 145"); a hospital print running several results on a line
("Sodium 140 (136-145) mmol/L; Potassium 4.1 (3.5-5.1) mmol/L"); and a table whose rows each
begin with the date and time of collection, the header naming only the report date. Written to
be tuned on openly."""

from __future__ import annotations

import re

from lab_pages import Page, Report, Row, _fit, _us, width_in
from lab_parts import _classic_head, _paginate, _short, _step
from lab_printouts import _panels


def _glued(item: Row) -> str:
    """The value with its flag glued on: a letter flag after it, an abnormal mark before."""
    if item.flag == "A":
        return f"*{item.value}"
    return f"{item.value}{item.flag}"


def glued_flag(report: Report) -> list[Page]:
    """Analyte | Measured | Unit | Ref. values: the flag glued to the measured value
    ("13.2H", "4.1L", "6.9HH", "*6.1")."""
    size = 9.0
    xs = (0.5, 3.3, 4.3, 5.5)

    def head(page: Page, r: Report, number: int) -> float:
        y = _classic_head(page, r)
        for x, label in zip(xs, ("Analyte", "Measured", "Unit", "Ref. values"), strict=True):
            page.add(label, x, y, size)
        page.rules.append((0.45, y + 0.07, 8.0, y + 0.07))
        return y + 1.6 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        texts = (_fit(item.name, xs[1] - xs[0] - 0.12, size), _glued(item), item.unit,
                 item.reference if width_in(item.reference, size) < 2.3 else "")  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        return y + _step(size)

    return _paginate(report, 26, head, row)


_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)")


def _range_words(reference: str) -> str:
    """A plain interval as 'Low 12.0 High 16.0'; anything else ('<5.7', 'M: ... F: ...') as
    printed."""
    match = _INTERVAL.fullmatch(reference.strip().strip("()"))
    return f"Low {match[1]} High {match[2]}" if match else reference


def key_grid(report: Report) -> list[Page]:
    """One line per test of labelled fields at fixed places: `Test: Sodium  Value: 140
    Units: mmol/L  Range: Low 136 High 145  Flag: H`, a light rule between panels."""
    size = 8.5
    xs = (0.5, 3.35, 4.3, 5.85, 7.6)

    def head(page: Page, r: Report, number: int) -> float:
        page.add(f"{r.facility} - Result Detail", 0.5, 0.6, 14)
        page.add(f"Patient: {r.patient}", 0.5, 0.95, 9)
        page.add(f"Birth Date: {_us(r.born)}", 3.3, 0.95, 9)
        page.add(f"MRN: {r.mrn}", 5.6, 0.95, 9)
        page.add(f"Collection Date: {_us(r.collected)} 08:15", 0.5, 1.15, 9)
        page.add(f"Result Date: {_us(r.reported)}", 3.3, 1.15, 9)
        page.add(f"Requested by: {r.provider}", 5.6, 1.15, 9)
        page.rules.append((0.45, 1.3, 8.05, 1.3))
        return 1.6

    def row(page: Page, item: Row, y: float) -> float:
        name = _fit(item.name, xs[1] - xs[0] - 0.45, size)
        reference = _range_words(item.reference)
        fits = width_in(f"Range: {reference}", size) < xs[4] - xs[3] - 0.08
        texts = (f"Test: {name}", f"Value: {item.value}",
                 f"Units: {item.unit}" if item.unit else "",
                 f"Range: {reference}" if reference and fits else "",
                 f"Flag: {item.flag}" if item.flag else "")  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        return y + _step(size) * 1.15

    return _paginate(report, 30, head, row)


def _entry(item: Row) -> str:
    """'Sodium 140 (136-145) mmol/L', a flag after the value, the range left out when none."""
    parts = [item.name, item.value, item.flag]
    if item.reference:
        bare = item.reference.strip("()")
        parts.append(f"({bare})")
    parts.append(item.unit)
    return " ".join(p for p in parts if p)


def running(report: Report) -> list[Page]:
    """A hospital print: each panel a title and its results run on as text, several a line,
    `Name value (range) unit` separated by semicolons; a result never broken across lines."""
    size = 9.0
    step = _step(size)
    width = 7.3
    bottom = 10.0
    pages: list[Page] = []

    def new_page() -> tuple[Page, float]:
        page = Page()
        pages.append(page)
        r = report
        page.add(f"{r.facility} - Inpatient Results", 0.5, 0.6, 13)
        page.add(f"{r.patient}   DOB {_us(r.born)}   MRN {r.mrn}", 0.5, 0.92, 9)
        page.add(f"Specimens collected {_us(r.collected)} 08:15", 0.5, 1.12, 9)
        page.add(f"Attending: {r.provider}", 4.6, 1.12, 9)
        page.rules.append((0.45, 1.27, 8.05, 1.27))
        return page, 1.6

    page, y = new_page()
    for title, rows in _panels(report):
        lines: list[str] = []
        for item in rows:
            entry = _entry(item)
            if lines and width_in(f"{lines[-1]}; {entry}", size) <= width:
                lines[-1] = f"{lines[-1]}; {entry}"
            else:
                if lines:
                    lines[-1] += ";"
                lines.append(entry)
        if y + step * 2 > bottom:
            page, y = new_page()
        page.add(f"{title}:", 0.5, y, size)
        y += step
        for line in lines:
            if y + step > bottom:
                page, y = new_page()
            page.add(line, 0.7, y, size)
            y += step
        y += step * 0.5
    for number, each in enumerate(pages, 1):
        each.add(f"Printed {_us(report.printed)}   Page {number}", 0.6, 10.4, 7.5)
    return pages


def timed_rows(report: Report) -> list[Page]:
    """Collected | Test | Result | Units | Reference | Flag: every row begins with its
    collection date and time (m/d/yy hh:mm); the header names only the report date."""
    size = 9.0
    xs = (0.5, 1.5, 4.1, 4.85, 6.15, 7.55)

    def head(page: Page, r: Report, number: int) -> float:
        page.add(r.facility, 0.5, 0.6, 14)
        page.add(f"Patient: {r.patient}", 0.5, 0.95, size)
        page.add(f"DOB: {_us(r.born)}", 3.3, 0.95, size)
        page.add(f"Patient ID: {r.mrn}", 5.3, 0.95, size)
        page.add(f"Report Date: {_us(r.reported)}", 0.5, 1.15, size)
        page.add(f"Ordering Physician: {r.provider}", 3.3, 1.15, size)
        y = 1.55
        for x, label in zip(
            xs, ("Collected", "Test", "Result", "Units", "Reference", "Flag"), strict=True
        ):
            page.add(label, x, y, size)
        page.rules.append((0.45, y + 0.07, 8.0, y + 0.07))
        return y + 1.6 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        texts = (f"{_short(report.collected)} 08:15", _fit(item.name, xs[2] - xs[1] - 0.12, size),
                 item.value, item.unit,
                 item.reference if width_in(item.reference, size) < 1.3 else "",
                 item.flag)  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        return y + _step(size)

    return _paginate(report, 28, head, row)
