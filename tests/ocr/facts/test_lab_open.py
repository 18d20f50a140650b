"""The four layouts tuned openly (lab_open.py) render faithfully: every result printed once, its
value and unit on one line, nothing running off the page or over its neighbour, and the born-
digital text layer (read with pdfium, not our reader) holds every value, the collection date
and the birth date. Multi-page ones repeat their header and say where the table runs on."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from lab_layouts import FRESH_HELD_OUT, HELD_OUT, HISTORY, LAYOUTS, NEW_HELD_OUT
from lab_pages import Page, Report, Row, digital_pdf, page_image, width_in

pytestmark = pytest.mark.nodb

OPEN = ("units-first", "two-line", "pipe-export", "continued")

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


def test_they_are_registered_as_tuned_and_print_no_earlier_results() -> None:
    held = {*HELD_OUT, *NEW_HELD_OUT, *FRESH_HELD_OUT}
    assert all(name in LAYOUTS and name not in {*HISTORY, *held} for name in OPEN)


@pytest.mark.parametrize("layout", OPEN)
def test_every_result_is_printed_once_with_its_unit(layout: str) -> None:
    pages = LAYOUTS[layout](report())
    assert len(pages) >= 2
    printed = [line.split() for page in pages for line in lines(page)]
    for row in ROWS:
        holding = [n for n, words in enumerate(printed) if row.value in words]
        assert len(holding) == 1, (layout, row.value, holding)
        (line,) = holding
        words = printed[line]
        assert row.unit in words, (layout, row.value, words)
        # two-line prints the name on the line above the result
        named = printed[line - 1] if layout == "two-line" else words
        assert row.name.split()[0].upper() in " ".join(named).upper(), (layout, row.name, named)


@pytest.mark.parametrize("layout", OPEN)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    for page in LAYOUTS[layout](report()):
        width, height = page.size
        by_line: dict[float, list[tuple[float, float, str]]] = {}
        for text in page.texts:
            right = text.x + width_in(text.text, text.size, text.mono)
            assert text.x >= 0.3 and right <= width - 0.3, (layout, text)
            assert 0.3 <= text.y <= height - 0.3, (layout, text)
            by_line.setdefault(round(text.y, 3), []).append((text.x, right, text.text))
        for parts in by_line.values():
            parts.sort()
            for (_, right, a), (x, _, b) in itertools.pairwise(parts):
                assert right + 0.05 <= x, (layout, a, b)


@pytest.mark.parametrize("layout", OPEN)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    pdf = pdfium.PdfDocument(digital_pdf(pages, tmp_path / "digital.pdf"))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    words = text.split()
    for row in ROWS:
        assert words.count(row.value) == 1, (layout, row.value)
    day = COLLECTED
    forms = (f"{day:%m/%d/%Y} 08:15", f"{day:%Y-%m-%d} 08:15")
    assert any(form in text for form in forms), layout
    assert "1951" in text  # the birth date is printed too


@pytest.mark.parametrize("layout", OPEN)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    (page,) = LAYOUTS[layout](report(BASE[:4]))
    image = page_image(page, dpi=100)
    assert image.size == (850, 1100)
    assert image.getextrema() == (0, 255)


@pytest.mark.parametrize("layout", ["continued"])
def test_a_table_across_pages_repeats_its_header_and_specimen_box(layout: str) -> None:
    pages = LAYOUTS[layout](report())
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        printed = lines(page)
        assert any(line.startswith("TEST RESULT FLAG UNITS") for line in printed), number
        assert any("Collected: 10/20/2013 08:15" in line for line in printed), number
        assert any(f"Page {number} of {len(pages)}" in line for line in printed), number
    texts = [line for page in pages for line in lines(page)]
    assert any("(continued)" in line for line in texts)
    assert sum("Continued on next page" in line for line in texts) == len(pages) - 1
    assert any(line.startswith("Interpretation:") for line in texts)
