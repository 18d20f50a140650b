"""The seventh held-out layouts (lab_seventh.py) render faithfully: every result printed once,
its value and unit on one line by its name, nothing running off the page or over its
neighbour, and the born-digital text layer (read with pdfium, not our reader) holds every
value and the collection date. The reader is never run on them here: their first reading is
the bench's measurement."""

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
    "dialysis": f"Draw Date: {COLLECTED:%m/%d/%Y} (pre-treatment)",
    "uitslag": f"Afnamedatum: {COLLECTED:%d-%m-%Y} 08:05",
    "trial": f"Collection Date: {f'{COLLECTED:%d-%b-%Y}'.upper()} 07:55",
    "insurance": f"Date Collected: {COLLECTED:%m/%d/%Y}",
}
MARKS = {
    "dialysis": "Page {n} of {total}",
    "uitslag": "Pagina {n} van {total}",
    "trial": "Page {n} of {total}",
    "insurance": "Page {n} of {total}",
}


def printed_value(layout: str, value: str) -> str:
    return _komma(value) if layout == "uitslag" else value


def test_they_are_registered_apart_and_print_no_earlier_results() -> None:
    assert len(SEVENTH_HELD_OUT) == 4 and len(LAYOUTS) == 55
    others = {
        *HELD_OUT,
        *ONCE_HELD_OUT,
        *NEW_HELD_OUT,
        *FRESH_HELD_OUT,
        *LATEST_HELD_OUT,
        *NEWEST_HELD_OUT,
        *FINAL_HELD_OUT,
        *LAST_HELD_OUT,
    }
    assert all(name in LAYOUTS and name not in {*HISTORY, *others} for name in SEVENTH_HELD_OUT)
    assert set(COLLECTED_AS) == set(MARKS) == set(SEVENTH_HELD_OUT)


@pytest.mark.parametrize("layout", SEVENTH_HELD_OUT)
def test_every_result_is_printed_once_with_its_unit_and_name(layout: str) -> None:
    assert_printed_once(layout, LAYOUTS[layout](report()), printed_value)


def test_pages_are_numbered_and_the_reports_close() -> None:
    for layout in SEVENTH_HELD_OUT:
        pages = [" ".join(lines(page)) for page in LAYOUTS[layout](report())]
        total = len(pages)
        assert all(MARKS[layout].format(n=n, total=total) in text for n, text in
                   enumerate(pages, 1)), layout  # fmt: skip
    uitslag = [" ".join(lines(page)) for page in LAYOUTS["uitslag"](report())]
    assert "13,1" in " ".join(uitslag).split() and "13.1" not in " ".join(uitslag)
    trial = [" ".join(lines(page)) for page in LAYOUTS["trial"](report())]
    assert "END OF REPORT" in trial[-1] and "END OF REPORT" not in trial[0]


@pytest.mark.parametrize("layout", SEVENTH_HELD_OUT)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    assert_in_place(layout, LAYOUTS[layout](report()))


@pytest.mark.parametrize("layout", SEVENTH_HELD_OUT)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    digital_text(layout, pages, tmp_path / "digital.pdf", COLLECTED_AS[layout], printed_value)


@pytest.mark.parametrize("layout", SEVENTH_HELD_OUT)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    pages = LAYOUTS[layout](report(BASE[:4]))
    assert len(pages) == 1
    assert_renders_as_scan(pages)
