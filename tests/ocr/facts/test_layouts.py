"""Lab tables laid out as real labs print them (tests/ocr/facts/lab_layouts.py), read from
exact word boxes, and the error classes of issue 12 at the text level."""

from __future__ import annotations

import pytest

from ocr.facts.labs import find_labs
from ocr.facts.lines import text_lines
from ocr.facts.model import LabResult

pytestmark = pytest.mark.nodb


def labs_of(text: str) -> list[LabResult]:
    return find_labs(text_lines(text))


@pytest.mark.parametrize(
    "line",
    [
        "Patient: Mary Grant   DOB: 03/21/1987   Patient ID: 00482913",
        "ID 9534717",
        "Patient ID 12345",
        "MRN: 4471203   Accession 1234567",
        "Lab ID: 123",
    ],
)
def test_identifiers_are_never_results(line: str) -> None:
    assert labs_of(line) == []


def test_a_table_header_on_a_new_page_ends_the_last_page_s_table() -> None:
    lines = text_lines("TEST      RESULT   UNITS\nGlucose   95       mg/dL\n")
    lines += text_lines("Collected: 09/20/2012 08:15  Received: 09/20/2012\n", page=2)
    lines += text_lines("TEST      RESULT   UNITS\nSodium    140      mmol/L\n", page=2)
    assert [(r.analyte, r.value.text) for r in find_labs(lines)] == [
        ("glucose", "95"),
        ("sodium", "140"),
    ]


def test_units_after_a_value_are_kept() -> None:
    (result,) = labs_of("WBC 6.7 K/uL")
    assert (result.analyte, result.value.text, result.unit) == ("wbc", "6.7", "K/uL")


def test_a_capital_read_twice_in_a_test_name_is_taken_off_when_the_unit_fits() -> None:
    (result,) = labs_of("CcOo2 24 mmol/L 22-29")
    assert (result.analyte, result.value.text) == ("co2", "24")
    assert any("CO2" in note for note in result.notes)
    assert labs_of("CcOo2 24") == []  # no unit to confirm it
