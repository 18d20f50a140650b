"""Test names as labs print them and as OCR misreads them (issue 12), in free lines, table
rows and cards: a name with its abbreviation or long name in parentheses, A1c read as
"Alc"/"AlC"/"AIC", l/1/I and O/0 slips the catalogue can settle, and a name several tests
share ("TROPONIN") read with its test left for a person to settle. Texts written for these
tests, not taken from any bench layout."""

from __future__ import annotations

import pytest

from ocr.facts import catalogue
from ocr.facts.confidence import REVIEW_BELOW
from ocr.facts.labs import find_labs
from ocr.facts.lines import text_lines

pytestmark = pytest.mark.nodb

HEADER = "TEST                            RESULT   UNITS    REFERENCE RANGE\n"
NAMES = [
    ("HGB (HEMOGLOBIN)", "hemoglobin"),
    ("Hemoglobin (HGB)", "hemoglobin"),
    ("WBC (White Blood Cell Count)", "wbc"),
    ("ALT (SGPT)", "alt"),
    ("SGOT (AST)", "ast"),
    ("HbA1c (Glycated Hemoglobin)", "hba1c"),
    ("Glycohemoglobin (Alc)", "hba1c"),
    ("Hemoglobin Alc", "hba1c"),
    ("HEMOGLOBIN AlC", "hba1c"),
    ("Hemoglobin AIC", "hba1c"),
    ("HbAIc", "hba1c"),
    ("Hgb Alc", "hba1c"),
    ("Creatinlne", "creatinine"),
    ("Potass1um", "potassium"),
    ("ChIoride", "chloride"),
    ("CaIcium", "calcium"),
    ("Ch0lesterol", "cholesterol"),
    ("Hemat0crit", "hematocrit"),
    ("Bi1irubin, Total", "bilirubin_total"),
    ("HDL Cho1esterol", "hdl"),
    ("C02", "co2"),
]


@pytest.mark.parametrize(("name", "analyte"), NAMES)
def test_a_free_line(name: str, analyte: str) -> None:
    (result,) = find_labs(text_lines(f"{name} 15.1 mg/dL 13.5-17.5"))
    assert (result.name, result.analyte, result.value.text) == (name, analyte, "15.1")


@pytest.mark.parametrize(("name", "analyte"), NAMES)
def test_a_table_row(name: str, analyte: str) -> None:
    (result,) = find_labs(text_lines(f"{HEADER}{name:<32}15.1     mg/dL    13.5-17.5\n"))
    assert (result.name, result.analyte, result.value.text) == (name, analyte, "15.1")


def test_cards_with_names_in_parentheses_and_a1c_misread() -> None:
    results = find_labs(
        text_lines(
            "HGB (HEMOGLOBIN)         Hematocrit (HCT)         Hemoglobin AlC\n"
            "15.1 g/dL                44.0 %                   6.4 %\n"
            "Range 13.5-17.5          Range 40-52              Range 4.0-5.6\n"
        )
    )
    assert [(r.analyte, r.value.text, r.unit) for r in results] == [
        ("hemoglobin", "15.1", "g/dL"),
        ("hematocrit", "44.0", "%"),
        ("hba1c", "6.4", "%"),
    ]


def test_a_letter_for_a_digit_is_not_taken_where_the_catalogue_cannot_tell() -> None:
    # "ct" could be Cl, Ca, CO2...: the name stays unknown rather than guessed.
    (result,) = find_labs(text_lines(f"{HEADER}{'ct':<32}7.6      mmol/L   4.3-10.8\n"))
    assert result.analyte is None


def test_troponin_is_a_family_not_a_test() -> None:
    tests = {a.key for a in catalogue.family("TROPONIN")}
    assert {"troponin_i", "troponin_t"} <= tests
    assert catalogue.family("Glucose") == ()  # a test of its own
    assert catalogue.family("Total") == ()  # opens many names, names none
    assert catalogue.family("Urine") == ()


@pytest.mark.parametrize(
    "cards",
    [
        "TROPONIN            GLUCOSE\n<0.01               95 mg/dL\n",
        "TROPONIN            GLUCOSE\n<0.01 ng/mL         95 mg/dL\n",
        "TROPONIN          GLUCOSE\n0.02              95 mg/dL\nRange <0.04       Range 70-99\n",
    ],
)
def test_a_card_named_for_several_tests_without_a_unit_is_read_and_held(cards: str) -> None:
    troponin, glucose = find_labs(text_lines(cards))
    assert troponin.name == "TROPONIN" and troponin.analyte is None
    assert troponin.value.number in (0.01, 0.02)
    # Which troponin it is, a person settles: the reading waits in review.
    assert troponin.confidence is not None and troponin.confidence < REVIEW_BELOW
    assert (glucose.analyte, glucose.value.text) == ("glucose", "95")


def test_a_card_with_a_word_that_names_no_test_is_still_no_result() -> None:
    results = find_labs(text_lines("TOTAL               GLUCOSE\n7.1                 95 mg/dL\n"))
    assert [r.analyte for r in results] == ["glucose"]


@pytest.mark.parametrize("line", ["Troponin 0.02 ng/mL", "Troponin <0.01"])
def test_a_free_line_named_for_several_tests_is_held(line: str) -> None:
    (result,) = find_labs(text_lines(line))
    assert result.analyte is None and result.confidence is not None
    assert result.confidence < REVIEW_BELOW


def test_a_family_name_in_a_sentence_is_no_result() -> None:
    assert find_labs(text_lines("The troponin was repeated at 6 hours and stayed flat.")) == []


@pytest.mark.parametrize(("name", "analyte"), NAMES[:6])
def test_a_free_line_with_a_spaced_range(name: str, analyte: str) -> None:
    """The name with the value, unit and a range's lower end is no name of its own: a number
    after the bracket is the value, so the abbreviation in brackets names only what is
    before it ("HGB (HEMOGLOBIN) 15.1 g/dL 13.5" was taken for the name, 17.5 for its value,
    then dropped as a range's upper end)."""
    (result,) = find_labs(text_lines(f"{name} 15.1 mg/dL 13.5 - 17.5"))
    reference = result.reference.text if result.reference else None
    assert (result.name, result.analyte, result.value.text, reference) == (
        name,
        analyte,
        "15.1",
        "13.5 - 17.5",
    )


def test_cards_with_a_long_name_beside_names_in_parentheses() -> None:
    results = find_labs(
        text_lines(
            "Platelet count, automated    HGB (HEMOGLOBIN)      HCT (HEMATOCRIT)\n"
            "170 K/uL                     15 g/dL               44 %\n"
            "                             Range 14.4 - 16.6     Range 42.9 - 49.1\n"
        )
    )
    assert [(r.analyte, r.value.text, r.unit) for r in results] == [
        ("platelets", "170", "K/uL"),
        ("hemoglobin", "15", "g/dL"),
        ("hematocrit", "44", "%"),
    ]


@pytest.mark.parametrize("line", ["wec # BLD AUTO 6.0 X10E3/uL 4.3°-.10.8", "WEC 6.0 x10E3/uL"])
def test_a_misread_name_with_its_test_s_unit_needs_no_readable_range(line: str) -> None:
    """A name one look-alike glyph from WBC, with a unit WBC is reported in, is read as WBC
    (noted) even when OCR left the range past reading."""
    (result,) = find_labs(text_lines(line))
    assert (result.analyte, result.value.text) == ("wbc", "6.0")
    assert any("look-alike" in note for note in result.notes)


@pytest.mark.parametrize("line", ["wec 6.0", "wec 6.0 mg/dL 4.3-10.8"])
def test_a_misread_name_without_a_fitting_unit_is_not_taken_for_the_test(line: str) -> None:
    assert all(r.analyte != "wbc" for r in find_labs(text_lines(line)))
