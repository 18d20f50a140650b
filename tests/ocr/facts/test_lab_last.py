"""The last held-out layouts (lab_last.py) render faithfully: every result printed once, its
value and unit on one line by its name, nothing running off the page or over its neighbour,
and the born-digital text layer (read with pdfium, not our reader) holds every value and the
collection date. The reader is never run on them here: their first reading is the bench's
measurement."""

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
    "email": f"{COLLECTED:%m/%d/%Y}",
    "laudo": f"Data da coleta: {COLLECTED:%d/%m/%Y} 07:40",
    "provincial": f"{COLLECTED:%Y-%m-%d} 08:15",
    "home-kit": "Sample collected: October 20, 2013",
}
MARKS = {
    "email": "{n}/{total}",
    "laudo": "Página {n} de {total}",
    "provincial": "Page {n} of/de {total}",
    "home-kit": "Page {n} of {total}",
}


def printed_value(layout: str, value: str) -> str:
    return _komma(value) if layout == "laudo" else value


def test_they_are_registered_apart_and_print_no_earlier_results() -> None:
    assert len(LAST_HELD_OUT) == 4 and len(LAYOUTS) == 55
    others = {
        *HELD_OUT,
        *ONCE_HELD_OUT,
        *NEW_HELD_OUT,
        *FRESH_HELD_OUT,
        *LATEST_HELD_OUT,
        *NEWEST_HELD_OUT,
        *FINAL_HELD_OUT,
        *SEVENTH_HELD_OUT,
    }
    assert all(name in LAYOUTS and name not in {*HISTORY, *others} for name in LAST_HELD_OUT)
    assert set(COLLECTED_AS) == set(MARKS) == set(LAST_HELD_OUT)


@pytest.mark.parametrize("layout", LAST_HELD_OUT)
def test_every_result_is_printed_once_with_its_unit_and_name(layout: str) -> None:
    # the Brazilian laudo heads each exam's block with its name, two lines above
    name_above = 2 if layout == "laudo" else 0
    assert_printed_once(layout, LAYOUTS[layout](report()), printed_value, name_above)


def test_pages_are_numbered_and_the_reports_close() -> None:
    for layout in LAST_HELD_OUT:
        pages = [" ".join(lines(page)) for page in LAYOUTS[layout](report())]
        total = len(pages)
        assert all(MARKS[layout].format(n=n, total=total) in text for n, text in
                   enumerate(pages, 1)), layout  # fmt: skip
    email = [" ".join(lines(page)) for page in LAYOUTS["email"](report())]
    assert "Subject: Lab results" in email[0] and "Thank you," in email[-1]
    assert "Subject:" not in email[-1] and "Thank you," not in email[0]
    laudo = [" ".join(lines(page)) for page in LAYOUTS["laudo"](report())]
    assert "13,1" in laudo[0].split() and "13.1" not in " ".join(laudo)
    provincial = [" ".join(lines(page)) for page in LAYOUTS["provincial"](report())]
    assert all("Result / Résultat" in text for text in provincial)
    assert "FIN DU RAPPORT" in provincial[-1] and "FIN DU RAPPORT" not in provincial[0]


@pytest.mark.parametrize("layout", LAST_HELD_OUT)
def test_nothing_runs_off_the_page_or_over_its_neighbour(layout: str) -> None:
    assert_in_place(layout, LAYOUTS[layout](report()))


@pytest.mark.parametrize("layout", LAST_HELD_OUT)
def test_the_born_digital_text_layer_holds_every_value_and_the_date(
    layout: str, tmp_path: Path
) -> None:
    pages = LAYOUTS[layout](report())
    text = digital_text(
        layout, pages, tmp_path / "digital.pdf", COLLECTED_AS[layout], printed_value
    )
    # the Brazilian and Canadian labs print the birth date; the e-mail and the kit do not
    born = {"laudo": "14/03/1951", "provincial": "1951-03-14"}
    if layout in born:
        assert born[layout] in text, layout
    assert "03/14/1951" not in text, layout


@pytest.mark.parametrize("layout", LAST_HELD_OUT)
def test_a_short_report_renders_as_a_scan(layout: str) -> None:
    pages = LAYOUTS[layout](report(BASE[:4]))
    assert len(pages) == 1
    assert_renders_as_scan(pages)
