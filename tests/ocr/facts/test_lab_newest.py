"""The newest held-out layouts (lab_newest.py) render faithfully: every result printed once, its
value and unit on one line beside its name, nothing running off the page or over its
neighbour, and the born-digital text layer (read with pdfium, not our reader) holds every
value, the collection date and the birth date. The reader is never run on them here: their
first reading is the bench's measurement."""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_checks import (
    BASE,
    COLLECTED,
    assert_in_place,
    assert_printed_once,
    assert_renders_as_scan,
    digital_text,
    lines,
    report,
)
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
    ONCE_HELD_OUT,
    SEVENTH_HELD_OUT,
)
from lab_newest import A4
from lab_pages import PAGE_IN

pytestmark = pytest.mark.nodb

# How each layout prints the collection date.
COLLECTED_AS = {
    "result-letter": "October 20, 2013",
    "ccd-print": "10/20/2013 8:15 AM",
    "au-pathology": f"Collected: {COLLECTED:%d/%m/%Y} 08:15",
    "vista": "Specimen Collection Date: Oct 20, 2013@08:15",
}


def test_they_are_registered_apart_and_print_no_earlier_results() -> None:
    assert len(NEWEST_HELD_OUT) == 4 and len(LAYOUTS) == 55
    others = {
        *HELD_OUT,
        *ONCE_HELD_OUT,
        *NEW_HELD_OUT,
        *FRESH_HELD_OUT,
        *LATEST_HELD_OUT,
        *FINAL_HELD_OUT,
        *LAST_HELD_OUT,
        *SEVENTH_HELD_OUT,
    }
    assert all(name in LAYOUTS and name not in {*HISTORY, *others} for name in NEWEST_HELD_OUT)
    assert set(COLLECTED_AS) == set(NEWEST_HELD_OUT)


@pytest.mark.parametrize("layout", NEWEST_HELD_OUT)
def test_every_result_is_printed_once_with_its_unit_and_name(layout: str) -> None:
    assert_printed_once(layout, LAYOUTS[layout](report()))


def test_letter_pages_browser_chrome_and_specimen_blocks() -> None:
    letter = LAYOUTS["result-letter"](report())
    assert all(f"Page {n}" in lines(page) for n, page in enumerate(letter[1:], 2))
    assert "Sincerely," in lines(letter[-1]) and "Sincerely," not in lines(letter[0])
    ccd = LAYOUTS["ccd-print"](report())
    assert all(f"{n}/{len(ccd)}" in " ".join(lines(p)) for n, p in enumerate(ccd, 1))
    vista = [lines(page) for page in LAYOUTS["vista"](report())]
    # every page opens a specimen block (or carries one on) with its collection date-time
    assert all(COLLECTED_AS["vista"] in page[7] for page in vista)
    assert sum(line == "Eval:" for page in vista for line in page) >= 2
    assert {page.size for page in LAYOUTS["au-pathology"](report())} == {A4}


@pytest.mark.parametrize("layout", NEWEST_HELD_OUT)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    assert_in_place(layout, LAYOUTS[layout](report()))


@pytest.mark.parametrize("layout", NEWEST_HELD_OUT)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    text = digital_text(layout, pages, tmp_path / "digital.pdf", COLLECTED_AS[layout])
    assert "1951" in text  # the birth date is printed too


@pytest.mark.parametrize("layout", NEWEST_HELD_OUT)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    pages = LAYOUTS[layout](report(BASE[:4]))
    assert len(pages) == 1
    assert_renders_as_scan(pages, A4 if layout == "au-pathology" else PAGE_IN)
