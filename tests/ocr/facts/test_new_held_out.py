"""Reader fixes found on the second four held-out layouts (quest-split, dotted, caps-cell,
portal) once they were tuned on (issue 12, 2026-12-07): each test holds text written for it,
in the shape those layouts print, and fails on the reader before the fix."""

from __future__ import annotations

import pytest

from ocr.facts.labs import find_labs
from ocr.facts.lines import text_lines
from ocr.facts.model import LabResult

pytestmark = pytest.mark.nodb

HEADER = "TEST                              RESULT          REFERENCE           STATUS\n"


def found(results: list[LabResult]) -> set[tuple[str | None, str, str | None, str | None]]:
    return {(r.analyte or r.name.lower(), r.value.text, r.unit, r.flag) for r in results}


def test_a_heading_that_numbers_its_panels_is_no_result() -> None:
    """ "RESULTS, PANEL 1" over each panel of a portal's page was read as a test "RESULTS,
    PANEL" of value 1."""
    text = (
        "Test Results\n"
        "RESULTS, PANEL 1\n"
        "TEST                 RESULT     UNITS      REFERENCE\n"
        "Sodium               140        mmol/L     136-145\n"
        "Test Results\n"
        "RESULTS, PANEL 3\n"
        "Potassium            4.1        mmol/L     3.5-5.1\n"
    )
    assert found(find_labs(text_lines(text))) == {
        ("sodium", "140", "mmol/L", None),
        ("potassium", "4.1", "mmol/L", None),
    }


def test_a_flag_mark_printed_before_the_value_is_its_flag() -> None:
    """ "PLT *L 123 10+3/ul": the row was lost, its "*L" taken for the start of the value."""
    text = (
        HEADER
        + "HGB                               13.2 g/dl                           FINAL\n"
        + "PLT                               *L 123 10+3/ul  [150.0-350.0]       FINAL\n"
        + "PLATELETS                         *A 123 10*9/L   [150.0-350.0]       FINAL\n"
    )
    results = found(find_labs(text_lines(text)))
    assert ("platelets", "123", "10+3/ul", "L") in results, results
    assert ("platelets", "123", "10*9/L", "A") in results, results


def test_a_unit_after_the_value_in_a_long_names_cell_is_no_part_of_the_name() -> None:
    """A long name pushes "91 mg/dL" into its cell: "mg/dL" was read into the name
    ("DEPRECATED GLUCOSE [MASS/VOLUME] mg/dL") and the range's "mg/dL]" taken as the unit."""
    text = HEADER + "DEPRECATED GLUCOSE [MASS/VOLUME] 91 mg/dL       [70-100 mg/dL]      FINAL\n"
    (result,) = find_labs(text_lines(text))
    assert result.name == "DEPRECATED GLUCOSE [MASS/VOLUME]"
    assert (result.value.text, result.unit) == ("91", "mg/dL")


def test_a_unit_that_closes_a_bracketed_range_loses_the_bracket() -> None:
    text = HEADER + "WBC COUNT                         6 ul            [4.3 - 10.8 ul]     FINAL\n"
    assert found(find_labs(text_lines(text))) == {("wbc", "6", "ul", None)}


def test_a_dotted_line_keeps_its_unit_as_printed_and_its_unknown_name() -> None:
    """ "WBC Count .... 6 ul": the unit, though not a count's, is what was printed; and a name
    the catalogue does not know, dotted to a value and a lab's unit, is a report's row. Both
    wait in review."""
    text = (
        "WBC Count ............................................ 6 ul\n"
        "Deprecated Glucose [Mass/volume] in .................. 91 mg/dL\n"
        "Seen by the nurse ...................................... 2 times\n"
    )
    results = find_labs(text_lines(text))
    assert found(results) == {
        ("wbc", "6", "ul", None),
        ("deprecated glucose [mass/volume]", "91", "mg/dL", None),
    }
    assert all(r.confidence is not None and r.confidence < 0.7 for r in results)
