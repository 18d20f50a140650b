"""The four layouts tuned openly (lab_open.py) render faithfully: every result printed once, its
value and unit on one line, nothing running off the page or over its neighbour, and the born-
digital text layer (read with pdfium, not our reader) holds every value, the collection date
and the birth date. Multi-page ones repeat their header and say where the table runs on."""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_checks import BASE, COLLECTED, ROWS, lines, misplaced, report, text_layer
from lab_layouts import (
    FINAL_HELD_OUT,
    FRESH_HELD_OUT,
    HELD_OUT,
    HISTORY,
    LAST_HELD_OUT,
    LATEST_HELD_OUT,
    LAYOUTS,
    NEW_HELD_OUT,
    NEWEST_HELD_OUT,
    SEVENTH_HELD_OUT,
)
from lab_pages import digital_pdf, page_image

pytestmark = pytest.mark.nodb

OPEN = ("units-first", "two-line", "pipe-export", "continued")


def test_they_are_registered_as_tuned_and_print_no_earlier_results() -> None:
    held = {
        *HELD_OUT,
        *NEW_HELD_OUT,
        *FRESH_HELD_OUT,
        *LATEST_HELD_OUT,
        *NEWEST_HELD_OUT,
        *FINAL_HELD_OUT,
        *LAST_HELD_OUT,
        *SEVENTH_HELD_OUT,
    }
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
        assert misplaced(page) == [], layout


@pytest.mark.parametrize("layout", OPEN)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    text = text_layer(digital_pdf(pages, tmp_path / "digital.pdf"))
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
