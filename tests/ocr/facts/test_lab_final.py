"""The final held-out layouts (lab_final.py) render faithfully: every result printed once, its
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
from lab_final import A4
from lab_latest import _komma
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
from lab_pages import PAGE_IN

pytestmark = pytest.mark.nodb

# How each layout prints the collection date.
COLLECTED_AS = {
    "bilan": f"Prélevé le {COLLECTED:%d/%m/%Y} à 08h15",
    "discharge": "collected 10/20/2013 05:40",
    "app-screens": "Collected on Oct 20, 2013 8:15 AM",
    "spreadsheet": "10/20/2013",
}


def printed_value(layout: str, value: str) -> str:
    return _komma(value) if layout == "bilan" else value


def test_they_are_registered_apart_and_print_no_earlier_results() -> None:
    assert len(FINAL_HELD_OUT) == 4 and len(LAYOUTS) == 55
    others = {
        *HELD_OUT,
        *ONCE_HELD_OUT,
        *NEW_HELD_OUT,
        *FRESH_HELD_OUT,
        *LATEST_HELD_OUT,
        *NEWEST_HELD_OUT,
        *LAST_HELD_OUT,
        *SEVENTH_HELD_OUT,
    }
    assert all(name in LAYOUTS and name not in {*HISTORY, *others} for name in FINAL_HELD_OUT)
    assert set(COLLECTED_AS) == set(FINAL_HELD_OUT)


@pytest.mark.parametrize("layout", FINAL_HELD_OUT)
def test_every_result_is_printed_once_with_its_unit_and_name(layout: str) -> None:
    assert_printed_once(layout, LAYOUTS[layout](report()), printed_value)


def test_pages_are_numbered_and_the_summary_and_report_close() -> None:
    for layout in FINAL_HELD_OUT:
        pages = [" ".join(lines(page)) for page in LAYOUTS[layout](report())]
        total = len(pages)
        marks = {
            "bilan": "Page {n}/{total}",
            "discharge": "Page {n} of {total}",
            "app-screens": "{n}/{total}",
            "spreadsheet": "Page {n}",
        }
        assert all(marks[layout].format(n=n, total=total) in text for n, text in
                   enumerate(pages, 1)), layout  # fmt: skip
    bilan = [" ".join(lines(page)) for page in LAYOUTS["bilan"](report())]
    assert "13,1" in bilan[0].split() and "13.1" not in " ".join(bilan)
    assert "biologiste" in bilan[-1] and "biologiste" not in bilan[0]
    summary = [" ".join(lines(page)) for page in LAYOUTS["discharge"](report())]
    assert "HOSPITAL COURSE:" in summary[0] and "Electronically signed" in summary[-1]
    assert {page.size for page in LAYOUTS["bilan"](report())} == {A4}


@pytest.mark.parametrize("layout", FINAL_HELD_OUT)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    assert_in_place(layout, LAYOUTS[layout](report()))


@pytest.mark.parametrize("layout", FINAL_HELD_OUT)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    text = digital_text(
        layout, pages, tmp_path / "digital.pdf", COLLECTED_AS[layout], printed_value
    )
    # a patient's own app and sheet name no birth date; the lab and the hospital do
    assert ("1951" in text) == (layout in ("bilan", "discharge")), layout


@pytest.mark.parametrize("layout", FINAL_HELD_OUT)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    pages = LAYOUTS[layout](report(BASE[:4]))
    assert len(pages) == 1
    assert_renders_as_scan(pages, A4 if layout == "bilan" else PAGE_IN)
