"""The fresh held-out layouts (lab_fresh.py) render faithfully: every result printed once, its
value and unit on one line, nothing running off the page or over its neighbour, and the born-
digital text layer (read with pdfium, not our reader) holds every value and the collection
date. The reader is never run on them here: their first reading is the bench's measurement."""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_checks import BASE, COLLECTED, ROWS, lines, misplaced, report, text_layer
from lab_layouts import FRESH_HELD_OUT, HISTORY, LAYOUTS
from lab_pages import digital_pdf, page_image

pytestmark = pytest.mark.nodb


def test_they_are_registered_and_print_no_earlier_results() -> None:
    assert len(FRESH_HELD_OUT) == 4
    assert all(name in LAYOUTS and name not in HISTORY for name in FRESH_HELD_OUT)


@pytest.mark.parametrize("layout", FRESH_HELD_OUT)
def test_every_result_is_printed_once_with_its_unit(layout: str) -> None:
    pages = LAYOUTS[layout](report())
    assert len(pages) >= 2
    printed = [line.split() for page in pages for line in lines(page)]
    for row in ROWS:
        holding = [words for words in printed if row.value in words]
        assert len(holding) == 1, (layout, row.value, holding)
        (words,) = holding
        assert row.unit in words, (layout, row.value, words)
        assert row.name.split()[0].upper() in " ".join(words).upper(), (layout, row.name, words)


@pytest.mark.parametrize("layout", FRESH_HELD_OUT)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    for page in LAYOUTS[layout](report()):
        assert misplaced(page) == [], layout


@pytest.mark.parametrize("layout", FRESH_HELD_OUT)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    text = text_layer(digital_pdf(pages, tmp_path / "digital.pdf"))
    words = text.split()
    for row in ROWS:
        assert words.count(row.value) == 1, (layout, row.value)
    day = COLLECTED
    forms = (f"{day.month}/{day.day}/{day.year}", f"{day:%m/%d/%Y}", f"{day:%d-%b-%Y}",
             f"{day:%d %b %Y}".upper())  # fmt: skip
    assert any(form in text for form in forms), layout
    assert "1951" in text  # the birth date is printed too


@pytest.mark.parametrize("layout", FRESH_HELD_OUT)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    (page,) = LAYOUTS[layout](report(BASE[:4]))
    image = page_image(page, dpi=100)
    assert image.size == (850, 1100)
    assert image.getextrema() == (0, 255)
