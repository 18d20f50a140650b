"""Four more tuned layouts (see lab_layouts.py), of kinds real labs print that the first
twenty-seven lack: units printed before the result with symbol flags and comment lines, two
lines per test as key: value pairs, a pipe-separated export, and a report whose table runs
across pages under a specimen box, with its header repeated, "continued" lines and
interpretive comments between panels. Written to be tuned on openly."""

from __future__ import annotations

import zlib

from lab_pages import Page, Report, Row, _fit, _us, _wrap, width_in
from lab_parts import _classic_head, _last_first, _paginate, _step
from lab_printouts import _panels

# Symbols some labs print instead of letters: one asterisk out of range, two bangs critical.
_SYMBOLS = {"H": "*H", "L": "*L", "HH": "!!", "LL": "!!", "A": "*"}
_COMMENTS = (
    "Specimen slightly hemolyzed; interpret with caution.",
    "Result verified by repeat analysis.",
    "Reference interval effective 01/2012.",
    "Fasting status not stated.",
)


def _noted(item: Row) -> str:
    """The comment a lab prints under some rows (the same row always gets the same one)."""
    seed = zlib.crc32(item.name.encode())
    if item.flag in ("HH", "LL"):
        return "Critical value called to and read back by the ordering office."
    return _COMMENTS[seed % len(_COMMENTS)] if seed % 5 == 0 else ""


def units_first(report: Report) -> list[Page]:
    """Test | Units | Result | Flag | Reference Range: the units before the result, flags as
    symbols (* and !!), and a small comment line under some rows."""
    size = 9.0
    xs = (0.5, 3.05, 4.35, 5.1, 5.65)

    def head(page: Page, r: Report, number: int) -> float:
        y = _classic_head(page, r)
        for x, label in zip(
            xs, ("Test", "Units", "Result", "Flag", "Reference Range"), strict=True
        ):
            page.add(label, x, y, size)
        page.rules.append((0.45, y + 0.07, 8.0, y + 0.07))
        return y + 1.6 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        texts = (_fit(item.name, xs[1] - xs[0] - 0.12, size), item.unit, item.value,
                 _SYMBOLS.get(item.flag, item.flag),
                 item.reference if width_in(item.reference, size) < 2.2 else "")  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        note = _noted(item)
        if note:
            y += _step(7.5)
            page.add(note, xs[0] + 0.25, y, 7.5)
        return y + _step(size)

    return _paginate(report, 24, head, row)


def two_line(report: Report) -> list[Page]:
    """Each test on two lines: its name, then indented `Result: 13.2 g/dL   Ref: 12.0-16.0
    Flag: H` as key: value pairs."""
    size = 9.5
    small = 9.0

    def head(page: Page, r: Report, number: int) -> float:
        page.add(f"{r.facility} - Patient Lab Summary", 0.6, 0.6, 14)
        page.add(f"Patient: {r.patient}", 0.6, 0.95)
        page.add(f"Date of Birth: {_us(r.born)}", 4.3, 0.95)
        page.add(f"Collection Date/Time: {_us(r.collected)} 08:15", 0.6, 1.15)
        page.add(f"Report Status: Final   Reported: {_us(r.reported)}", 4.3, 1.15)
        page.add(f"Ordered by: {r.provider}", 0.6, 1.35)
        page.rules.append((0.55, 1.5, 7.95, 1.5))
        return 1.85

    def row(page: Page, item: Row, y: float) -> float:
        page.add(_fit(item.name, 6.8, size), 0.6, y, size)
        y += _step(small) * 1.05
        page.add(f"Result: {item.value} {item.unit}".strip(), 0.95, y, small)
        if item.reference and width_in(item.reference, small) < 1.9:
            page.add(f"Ref: {item.reference}", 3.4, y, small)
        if item.flag:
            page.add(f"Flag: {item.flag}", 5.75, y, small)
        return y + _step(size) * 1.35

    return _paginate(report, 17, head, row)


def pipe_export(report: Report) -> list[Page]:
    """A plain-text export printed as is: `#` header lines with an ISO collection date, then a
    `TEST | RESULT | UNITS | REFERENCE | FLAG` line per result (N for normal)."""
    size = 8.0
    step = _step(size)

    def head(page: Page, r: Report, number: int) -> float:
        lines = [
            f"# LAB RESULTS EXPORT - {r.facility}",
            f"# Patient: {_last_first(r.patient)}  MRN: {r.mrn}  DOB: {r.born:%Y-%m-%d}",
            f"# Specimen collected: {r.collected:%Y-%m-%d} 08:15  Accession: {r.accession}",
            f"# Exported: {r.printed:%Y-%m-%d} 14:02  Page {number}",
            "TEST | RESULT | UNITS | REFERENCE | FLAG",
        ]
        y = 0.7
        for line in lines:
            page.add(line, 0.5, y, size, mono=True)
            y += step
        return y

    def row(page: Page, item: Row, y: float) -> float:
        name = item.name
        while width_in(name, size, True) > 4.2 and " " in name:
            name = name.rsplit(" ", 1)[0]
        fields = (name, item.value, item.unit, item.reference, item.flag or "N")
        page.add(" | ".join(fields), 0.5, y, size, mono=True)
        return y + step

    return _paginate(report, 40, head, row)


_INTERPRETATION = {
    "CHEMISTRY": "Chemistry results should be interpreted together with hydration status and "
    "current medications. A single value outside the interval is not diagnostic on its own.",
    "HEMATOLOGY": "Automated differential. A manual smear review is performed when the analyser "
    "flags abnormal cell populations; any review comment is reported separately.",
    "LIPIDS": "Lipid targets depend on overall cardiovascular risk. Fasting is not required "
    "unless triglycerides were previously elevated.",
    "ENDOCRINOLOGY": "Thyroid and hormone results may be affected by biotin supplements taken "
    "within two days of collection.",
    "URINALYSIS": "Urine results from a random specimen; a first morning specimen is preferred "
    "for protein and albumin ratios.",
    "OTHER TESTS": "Methods and reference intervals are available from the laboratory on request.",
}


def continued(report: Report) -> list[Page]:
    """A table running across pages: a ruled specimen box with the collection date and time at
    the top of every page, the column header repeated, "(continued)" where a panel runs on,
    and an interpretive comment paragraph after each panel."""
    size = 9.0
    step = _step(size)
    xs = (0.5, 3.2, 4.05, 4.6, 5.75)
    bottom = 9.85
    pages: list[Page] = []

    def new_page() -> tuple[Page, float]:
        page = Page()
        pages.append(page)
        r = report
        page.add(r.facility, 0.5, 0.6, 14)
        page.add("LABORATORY REPORT", 5.6, 0.6, 11)
        page.rules.extend([(0.45, 0.8, 8.05, 0.8), (0.45, 1.55, 8.05, 1.55),
                           (0.45, 0.8, 0.45, 1.55), (8.05, 0.8, 8.05, 1.55)])  # fmt: skip
        page.add(f"Patient: {r.patient}", 0.6, 1.0, 8.5)
        page.add(f"DOB: {_us(r.born)}", 3.3, 1.0, 8.5)
        page.add(f"MRN: {r.mrn}", 5.6, 1.0, 8.5)
        page.add("Specimen: Blood, venous", 0.6, 1.2, 8.5)
        page.add(f"Collected: {_us(r.collected)} 08:15", 3.3, 1.2, 8.5)
        page.add(f"Accession: {r.accession}", 5.6, 1.2, 8.5)
        page.add(f"Physician: {r.provider}", 0.6, 1.4, 8.5)
        page.add(f"Received: {_us(r.collected)} 09:02", 3.3, 1.4, 8.5)
        page.add(f"Reported: {_us(r.reported)}", 5.6, 1.4, 8.5)
        y = 1.85
        for x, label in zip(
            xs, ("TEST", "RESULT", "FLAG", "UNITS", "REFERENCE INTERVAL"), strict=True
        ):
            page.add(label, x, y, size)
        page.rules.append((0.45, y + 0.07, 8.05, y + 0.07))
        return page, y + 1.6 * step

    page, y = new_page()
    for title, rows in _panels(report):
        if y + 3 * step > bottom:
            page.add("Continued on next page", 3.4, bottom + 0.15, 8)
            page, y = new_page()
        page.add(title, xs[0], y, size + 0.5)
        y += step * 1.2
        for item in rows:
            if y + step > bottom:
                page.add("Continued on next page", 3.4, bottom + 0.15, 8)
                page, y = new_page()
                page.add(f"{title} (continued)", xs[0], y, size + 0.5)
                y += step * 1.2
            reference = item.reference if width_in(item.reference, size) < 2.2 else ""
            texts = (_fit(item.name, xs[1] - xs[0] - 0.12, size), item.value, item.flag,
                     item.unit, reference)  # fmt: skip
            for x, text in zip(xs, texts, strict=True):
                page.add(text, x, y, size)
            y += step
        lines = _wrap(_INTERPRETATION[title], 6.9, 8.0)
        if y + (len(lines) + 1) * _step(8.0) > bottom:
            page.add("Continued on next page", 3.4, bottom + 0.15, 8)
            page, y = new_page()
        y += _step(8.0) * 0.4
        page.add("Interpretation:", xs[0] + 0.25, y, 8.0)
        y += _step(8.0)
        for line in lines:
            page.add(line, xs[0] + 0.25, y, 8.0)
            y += _step(8.0)
        y += step * 0.6
    for number, each in enumerate(pages, 1):
        each.add(f"Printed {_us(report.printed)}   Page {number} of {len(pages)}", 0.6, 10.4, 7.5)
    return pages
