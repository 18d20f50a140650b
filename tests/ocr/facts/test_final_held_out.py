"""Reader fixes found on the final four held-out layouts (bilan, discharge, app-screens,
spreadsheet) once they were tuned on after their first run (issue 12, 2026-12-07): each test
holds text written for it, in the shape those layouts print, and fails on the reader before
the fix."""

from __future__ import annotations

import pytest

from ocr.facts import extract
from ocr.facts.model import DocumentFacts
from ocr.facts.values import parse_range
from ocr.model import PageReading

pytestmark = pytest.mark.nodb


def read(text: str) -> DocumentFacts:
    return extract([PageReading(1, 612, 792, text, [], "", "", False)])


def found(text: str) -> list[tuple[str | None, str, str | None]]:
    return [(r.analyte, r.value.text, r.unit) for r in read(text).labs]


def test_an_app_screens_date_and_range_lines_are_no_tests() -> None:
    """A patient app prints each result as a card: "Collected on Sep 8, 2010 8:15 AM" was a
    test "Collected on Sep" of value 8, and "Standard range: >=40 mg/dL" a test "Standard
    range" of value >=40."""
    text = (
        "‹ Test Results\n"
        "Lab Panel\n"
        "Collected on Mar 19, 2008 8:15 AM\n"
        "Hemoglobin 13.2 g/dL\n"
        "Standard range: 12.0 - 15.5 g/dL\n"
        "HDL 45 mg/dL\n"
        "Standard range: >=40 mg/dL mg/dL\n"
    )
    assert found(text) == [("hemoglobin", "13.2", "g/dL"), ("hdl", "45", "mg/dL")]


def test_two_column_titles_set_apart_are_still_a_header() -> None:
    text = "Test              Result\nSodium            140\n"
    facts = read(text)
    assert [(r.analyte, r.value.text) for r in facts.labs] == [("sodium", "140")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French: a range's bounds joined by "à"; its high bound was read as the value.
        ("CREATININE:MCNC:PT:BLD:QN: 0,8 mg/dL 0,5 à 1,2 mg/dL", ("creatinine", "0,8", "mg/dL")),
        # A fully specified name followed by its value, unit and range: the name swallowed
        # the value ("CREATININE:MCNC:PT:BLD:QN: 0.8 mg/dL 0.5") and nothing was read.
        ("CREATININE:MCNC:PT:BLD:QN: 0.8 mg/dL 0.5 - 1.2 mg/dL", ("creatinine", "0.8", "mg/dL")),
        # German: "bis".
        ("Glucose 95 mg/dL 70 bis 99", ("glucose", "95", "mg/dL")),
    ],
)
def test_ranges_joined_by_words_of_other_languages(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert found(text) == [expected]


def test_bounds_joined_by_a_or_bis_are_a_range() -> None:
    for text in ("0,5 à 1,2", "70 bis 99"):
        assert parse_range(text) is not None, text
