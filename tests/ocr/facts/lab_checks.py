"""The report and the checks the rendering tests of the layout files share
(test_lab_open.py, test_lab_open2.py, test_lab_fresh.py): a report long enough to run onto a
second page in every layout, its printed lines, whether every text stays on the page and clear
of its neighbours, and the born-digital text layer as pdfium (not our reader) reads it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
from lab_pages import PAGE_IN, Page, Report, Row, digital_pdf, page_image, width_in

COLLECTED = date(2013, 10, 20)
# Short and long names, flags, long units and ranges, no range, a comparator: enough rows
# to run onto a second page in every layout.
BASE = [
    Row("Glucose", "95", "mg/dL", "70-99"),
    Row("Hemoglobin A1c/Hemoglobin.total in Blood", "7.2", "%", "4.0-5.6", "H"),
    Row("WBC", "11.2", "x10E3/uL", "3.8-10.8", "H"),
    Row("Platelets [#/volume] in Blood by Automated", "152", "10*3/uL", "150-400"),
    Row("Glomerular filtration rate/1.73 sq M.predicted", "58", "mL/min/{1.73_m2}", ">60", "L"),
    Row("Hemoglobin", "13.1", "g/dL", "M: 13.5-17.5 F: 12.0-15.5", "L"),
    Row("Creatinine", "97", "umol/L", "62-106"),
    Row("TSH", "<0.01", "mIU/L", "0.4-4.0", "L"),
    Row("Potassium", "6.9", "mmol/L", "3.5-5.1", "HH"),
    Row("Cholesterol in HDL", "1.1", "mmol/L", ""),
    Row("Urate", "6.1", "mg/dL", "2.5-7.0", "A"),
]
ROWS = [
    Row(f"{row.name}" if n == 0 else f"{row.name} {'WXYZ'[n - 1]}", f"{row.value}{n or ''}",
        row.unit, row.reference, row.flag)
    for n in range(5)
    for row in BASE
]  # fmt: skip


def report(rows: list[Row] = ROWS) -> Report:
    return Report(rows, collected=COLLECTED, reported=date(2013, 10, 22), seed=3)


def lines(page: Page) -> list[str]:
    """The page's printed lines, texts on one baseline joined left to right."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for text in page.texts:
        rows.setdefault(round(text.y, 3), []).append((text.x, text.text))
    return [" ".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items())]


def misplaced(page: Page) -> list[str]:
    """What runs off the page (within 0.3 in of an edge) or over its neighbour on its line
    (closer than 0.05 in); empty when every text is in its place."""
    width, height = page.size
    wrong = []
    by_line: dict[float, list[tuple[float, float, str]]] = {}
    for text in page.texts:
        right = text.x + width_in(text.text, text.size, text.mono)
        if not (text.x >= 0.3 and right <= width - 0.3 and 0.3 <= text.y <= height - 0.3):
            wrong.append(f"off the page: {text}")
        by_line.setdefault(round(text.y, 3), []).append((text.x, right, text.text))
    for parts in by_line.values():
        parts.sort()
        for (_, right, a), (x, _, b) in itertools.pairwise(parts):
            if right + 0.05 > x:
                wrong.append(f"{a!r} runs over {b!r}")
    return wrong


def text_layer(path: Path) -> str:
    """The text of a born-digital PDF, page after page, as pdfium reads it."""
    pdf = pdfium.PdfDocument(path)
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


# The checks every rendering test of a held-out set makes (test_lab_latest.py,
# test_lab_newest.py, test_lab_final.py, test_lab_last.py, test_lab_seventh.py); `shown(layout,
# value)` is how a layout prints a value ("13,2" where the decimal mark is a comma).


def _as_is(layout: str, value: str) -> str:
    return value


def assert_printed_once(
    layout: str, pages: list[Page], shown: Callable[[str, str], str] = _as_is, name_above: int = 0
) -> None:
    """Every result printed once, on a line with its unit, and its name on that line (or
    `name_above` lines above it); two pages at least."""
    assert len(pages) >= 2
    printed = [line.split() for page in pages for line in lines(page)]
    for row in ROWS:
        value = shown(layout, row.value)
        holding = [n for n, words in enumerate(printed) if value in words]
        assert len(holding) == 1, (layout, value, holding)
        (n,) = holding
        assert row.unit in printed[n], (layout, row.value, printed[n])
        named = printed[n - name_above]
        assert row.name.split()[0].upper() in " ".join(named).upper(), (layout, row.name, named)


def assert_in_place(layout: str, pages: list[Page]) -> None:
    for page in pages:
        assert misplaced(page) == [], layout


def digital_text(
    layout: str,
    pages: list[Page],
    path: Path,
    collected_as: str,
    shown: Callable[[str, str], str] = _as_is,
) -> str:
    """The born-digital text layer, once it holds every value once and the collection date."""
    text = text_layer(digital_pdf(pages, path))
    words = text.split()
    for row in ROWS:
        assert words.count(shown(layout, row.value)) == 1, (layout, row.value)
    assert collected_as in text, layout
    return text


def assert_renders_as_scan(pages: list[Page], size: tuple[float, float] = PAGE_IN) -> None:
    for page in pages:
        assert isinstance(page, Page)
        image = page_image(page, dpi=100)
        assert image.size == (round(size[0] * 100), round(size[1] * 100))
        assert image.getextrema() == (0, 255)
