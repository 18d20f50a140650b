"""The four layouts of lab_open2.py render faithfully: every result printed once, its value
(with its flag glued on in glued-flag) and unit on one line beside its name, nothing running
off the page or over its neighbour, and the born-digital text layer (read with pdfium, not our
reader) holds every value, the collection date and the birth date."""

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
from lab_open2 import _glued
from lab_pages import Page, Row, digital_pdf, page_image

pytestmark = pytest.mark.nodb

OPEN2 = ("glued-flag", "key-grid", "running", "timed-rows")


def printed_value(layout: str, value: str, flag: str) -> str:
    return _glued(Row("x", value, flag=flag)) if layout == "glued-flag" else value


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
    assert all(name in LAYOUTS and name not in {*HISTORY, *held} for name in OPEN2)


@pytest.mark.parametrize("layout", OPEN2)
def test_every_result_is_printed_once_with_its_unit_and_name(layout: str) -> None:
    pages = LAYOUTS[layout](report())
    assert len(pages) >= (1 if layout == "running" else 2)  # running text packs many a line
    printed = [line.replace(";", " ").split() for page in pages for line in lines(page)]
    for row in ROWS:
        value = printed_value(layout, row.value, row.flag)
        holding = [n for n, words in enumerate(printed) if value in words]
        assert len(holding) == 1, (layout, value, holding)
        words = printed[holding[0]]
        assert row.unit in words, (layout, row.value, words)
        assert row.name.split()[0].upper() in " ".join(words).upper(), (layout, row.name)


def test_glued_flags_and_range_words_are_printed_as_labs_print_them() -> None:
    text = "\n".join(line for page in LAYOUTS["glued-flag"](report()) for line in lines(page))
    assert "7.2H" in text.split() and "*6.1" in text.split() and "6.9HH" in text.split()
    grid = "\n".join(line for page in LAYOUTS["key-grid"](report()) for line in lines(page))
    assert "Range: Low 70 High 99" in grid and "Value: 95" in grid
    run = [line for page in LAYOUTS["running"](report()) for line in lines(page)]
    assert any("Glucose 95 (70-99) mg/dL;" in line for line in run)
    assert sum(line.count(";") for line in run) > sum(1 for line in run if ";" in line)
    timed = [line for page in LAYOUTS["timed-rows"](report()) for line in lines(page)]
    assert sum(line.startswith("10/20/13 08:15 ") for line in timed) == len(ROWS)
    assert not any("Collected:" in line for line in timed)


@pytest.mark.parametrize("layout", OPEN2)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    for page in LAYOUTS[layout](report()):
        assert misplaced(page) == [], layout


@pytest.mark.parametrize("layout", OPEN2)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    text = text_layer(digital_pdf(pages, tmp_path / "digital.pdf"))
    words = text.replace(";", " ").split()
    for row in ROWS:
        assert words.count(printed_value(layout, row.value, row.flag)) == 1, (layout, row.value)
    day = COLLECTED
    forms = (f"{day:%m/%d/%Y} 08:15", f"{day.month}/{day.day}/{day:%y} 08:15")
    assert any(form in text for form in forms), layout
    assert "1951" in text


@pytest.mark.parametrize("layout", OPEN2)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    (page,) = LAYOUTS[layout](report(BASE[:4]))
    assert isinstance(page, Page)
    image = page_image(page, dpi=100)
    assert image.size == (850, 1100)
    assert image.getextrema() == (0, 255)
