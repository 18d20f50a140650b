"""The latest held-out layouts (lab_latest.py) render faithfully: every result printed once, its
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
    ROWS,
    assert_in_place,
    assert_printed_once,
    assert_renders_as_scan,
    digital_text,
    lines,
    report,
)
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

pytestmark = pytest.mark.nodb

# How each layout prints the collection date.
COLLECTED_AS = {
    "fax-relay": f"COLL: {COLLECTED:%m/%d/%y}-0815",
    "befund": f"{COLLECTED:%d.%m.%Y} 08:15",
    "laboratorio": f"{COLLECTED:%d/%m/%Y} 08:15",
    "kenshin": f"{COLLECTED:%Y/%m/%d}",
}


def printed_value(layout: str, value: str) -> str:
    return _komma(value) if layout == "befund" else value


def test_they_are_registered_apart_and_print_no_earlier_results() -> None:
    assert len(LATEST_HELD_OUT) == 4 and len(LAYOUTS) == 55
    others = {
        *HELD_OUT,
        *ONCE_HELD_OUT,
        *NEW_HELD_OUT,
        *FRESH_HELD_OUT,
        *NEWEST_HELD_OUT,
        *FINAL_HELD_OUT,
        *LAST_HELD_OUT,
        *SEVENTH_HELD_OUT,
    }
    assert all(name in LAYOUTS and name not in {*HISTORY, *others} for name in LATEST_HELD_OUT)
    assert set(COLLECTED_AS) == set(LATEST_HELD_OUT)


@pytest.mark.parametrize("layout", LATEST_HELD_OUT)
def test_every_result_is_printed_once_with_its_unit_and_name(layout: str) -> None:
    assert_printed_once(layout, LAYOUTS[layout](report()), printed_value)


def test_decimal_commas_and_the_fax_pages() -> None:
    text = "\n".join(line for page in LAYOUTS["befund"](report()) for line in lines(page))
    assert "13,1" in text.split() and "13.1" not in text
    fax = LAYOUTS["fax-relay"](report())
    assert not any(row.value in lines(fax[0]) for row in ROWS)  # a cover sheet first
    banners = [line for page in fax for line in lines(page) if "P.0" in line]
    assert len(banners) == len(fax) and banners[-1].endswith(f"P.{len(fax):03d}/{len(fax):03d}")


@pytest.mark.parametrize("layout", LATEST_HELD_OUT)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    assert_in_place(layout, LAYOUTS[layout](report()))


@pytest.mark.parametrize("layout", LATEST_HELD_OUT)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    text = digital_text(
        layout, pages, tmp_path / "digital.pdf", COLLECTED_AS[layout], printed_value
    )
    assert "1951" in text  # the birth date is printed too


@pytest.mark.parametrize("layout", LATEST_HELD_OUT)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    pages = LAYOUTS[layout](report(BASE[:4]))
    assert len(pages) == (2 if layout == "fax-relay" else 1)  # the fax has its cover sheet
    assert_renders_as_scan(pages)
