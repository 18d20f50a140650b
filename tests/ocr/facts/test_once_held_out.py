"""Reader fixes found on the first four held-out layouts once they were tuned on (issue 12):
each test holds text written for it, in the shape the layouts print, and fails on the reader
before the fix."""

from __future__ import annotations

from datetime import date

import pytest

from ocr.facts import catalogue
from ocr.facts.labs import find_labs
from ocr.facts.lines import text_lines
from ocr.facts.model import LabResult

pytestmark = pytest.mark.nodb

MARCH, JULY, NOVEMBER = date(2010, 3, 6), date(2010, 7, 9), date(2010, 11, 25)


def found(results: list[LabResult]) -> set[tuple[str | None, str, str | None, date | None]]:
    return {(r.analyte, r.value.text, r.unit, r.collected) for r in results}


def test_a_range_and_its_unit_in_one_cell_across_two_columns_is_no_prose() -> None:
    """ "Ref Range & Units" printed as one cell ("4.3 - 10.8 x10E3/uL", "<130 mg/dL (calc)")
    reaches under both the range and the units titles: the row is still a table row, and a
    bound printed in the range is never a result."""
    text = (
        "Component          Ref Range & Units     3/6/10    7/9/10    11/25/10\n"
        "WBC # Bld Auto     4.3 - 10.8 x10E3/uL   7.4       5.1       6.0\n"
        "LDLc SerPl-mCnc    <130 mg/dL (calc)     54                  61\n"
    )
    assert found(find_labs(text_lines(text))) == {
        ("wbc", "7.4", "x10E3/uL", MARCH),
        ("wbc", "5.1", "x10E3/uL", JULY),
        ("wbc", "6.0", "x10E3/uL", NOVEMBER),
        ("ldl", "54", "mg/dL", MARCH),
        ("ldl", "61", "mg/dL", NOVEMBER),
    }


def test_a_sentence_crossing_the_columns_is_still_no_row() -> None:
    text = (
        "Component          Ref Range     Units    3/6/10    7/9/10\n"
        "Glucose was checked again and found to be 130 mg/dL in clinic today\n"
    )
    assert find_labs(text_lines(text)) == []


@pytest.mark.parametrize(
    ("name", "analytes"),
    [
        ("MICROALBUMIN [MASS/VOLUME] IN URI", ("urine_albumin",)),
        ("HEMATOCRIT [VOLUME FRACTION] OF B", ("hematocrit",)),
        ("ALBUMIN [MASS/VOLUME] IN SERUM OR", ("albumin",)),
        # Cut inside a word: MCH and MCHC both start so, and the unit chooses.
        ("ERYTHROCYTE MEAN CORPUSCULAR HEMO", ("mch", "mchc")),
    ],
)
def test_a_long_name_cut_short_by_a_narrow_column(name: str, analytes: tuple[str, ...]) -> None:
    assert tuple(a.key for a in catalogue.lookup(name)) == analytes


def test_a_cut_name_shared_by_many_tests_names_one_only_by_its_unit() -> None:
    cut = "ERYTHROCYTE MEAN CORPUSCULAR"
    assert {a.key for a in catalogue.lookup(cut)} == {"mcv", "mch", "mchc"}
    assert catalogue.resolve(cut) is None  # no unit to choose: no guess
    chosen = [catalogue.resolve(cut, unit) for unit in ("um3", "uug", "g/dL")]
    assert [a.key if a else None for a in chosen] == ["mcv", "mch", "mchc"]


def test_the_unit_chooses_between_the_tests_a_cut_name_may_be() -> None:
    text = (
        "ERYTHROCYTE MEAN CORPUSCULAR HEMO   33.7 pg    27-32 pg\n"
        "ERYTHROCYTE MEAN CORPUSCULAR HEMO   34.1 g/dL  32-36 g/dL\n"
    )
    assert {(r.analyte, r.value.text) for r in find_labs(text_lines(text))} == {
        ("mch", "33.7"),
        ("mchc", "34.1"),
    }


def test_rows_of_panels_side_by_side_are_each_vetted_on_their_own_stretch() -> None:
    """Two panels printed side by side put two rows on one line; the right one is no
    sentence around the left one."""
    text = (
        "Hematocrit, Whole Blood  44 % (41 - 53 %)        HDLc SerPl-sCnc  61 mg/dL (>=40 mg/dL)\n"
        "HGB  14.5 g/dl                                   CO2, Whole Blood  26 mMol/L (mMol/L)\n"
    )
    assert {(r.analyte, r.value.text, r.unit) for r in find_labs(text_lines(text))} == {
        ("hematocrit", "44", "%"),
        ("hdl", "61", "mg/dL"),
        ("hemoglobin", "14.5", "g/dl"),
        ("co2", "26", "mMol/L"),
    }


def test_results_listed_in_a_sentence_keep_the_sentence_around_them() -> None:
    """Closely spaced, the rows of one line are one sentence, vetted as a whole: a plan in
    it is still no result."""
    line = "Glucose 130 mg/dL today, recheck A1c in 3 months"
    assert {(r.analyte, r.value.text) for r in find_labs(text_lines(line))} == {("glucose", "130")}


def test_the_unit_printed_after_a_range_with_a_unit_of_its_own_is_the_result_s() -> None:
    (inline,) = find_labs(
        text_lines("Thyrotropin [Units/volume] in Serum 6 A normal: 0.29–5.11 IU/ml m[IU]/L")
    )
    assert (inline.analyte, inline.value.text, inline.unit) == ("tsh", "6", "m[IU]/L")
    name, cell = "Thyrotropin [Units/volume] in Serum", "normal: 0.29–5.11 IU/ml m[IU]/L"
    text = (
        f"{'Component':<38}{'Ref Range & Units':<36}{'3/6/10':<10}{'7/9/10':<10}11/25/10\n"
        f"{name:<38}{cell:<36}{'5':<10}{'7':<10}6 A\n"
    )
    assert {(r.value.text, r.unit) for r in find_labs(text_lines(text))} == {
        ("5", "m[IU]/L"),
        ("7", "m[IU]/L"),
        ("6", "m[IU]/L"),
    }


def test_the_unit_after_a_range_with_its_own_unit_in_the_range_column_is_the_result_s() -> None:
    name, cell = "Thyrotropin [Units/volume] in Serum", "normal: 0.29–5.11 IU/ml m[IU]/L"
    text = f"{'Test':<38}{'Result':<10}Reference Range\n{name:<38}{'6':<10}{cell}\n"
    (result,) = find_labs(text_lines(text))
    assert (result.analyte, result.value.text, result.unit) == ("tsh", "6", "m[IU]/L")
    assert result.reference is not None and result.reference.text == "normal: 0.29–5.11"


def test_a_name_word_run_on_to_just_left_of_the_result_column_stays_in_the_name() -> None:
    """A scan spaces the words of a long name apart: "[MOLES/VOLU", the last word of a name
    cut short, sits alone just left of the result column and is no part of the result."""
    name = "CARBON DIOXIDE, TOTAL   [MOLES/VOLU"
    text = (
        f"{'SPECIMEN':<10}{'CODE':<8}{'TEST NAME':<41}{'RESULT':<8}{'UNITS':<8}REFERENCE\n"
        f"{'4471272':<10}{'CARBO':<8}{name:<41}{'26':<8}{'mmol/L':<8}22-31 mmol/L\n"
    )
    (result,) = find_labs(text_lines(text))
    assert (result.analyte, result.value.text, result.unit) == ("co2", "26", "mmol/L")


def test_a_specimen_cut_after_whole_is_no_part_of_the_name() -> None:
    (result,) = find_labs(text_lines("Hematocrit, Whole   44 %   41-53%"))
    assert (result.analyte, result.value.text, result.unit) == ("hematocrit", "44", "%")


def test_a_table_row_whose_titles_were_not_found_is_a_report_s_line() -> None:
    """Words set apart in many cells are a table's row even with an accession number before
    the name and five cells after the value: a comma in its name cuts no sentence."""
    line = (
        "4471272   CARBO    CARBON DIOXIDE, TOTAL    26    mmol/L    22-31 mmol/L    "
        "05/30/13 0815    F    Final    Lab A"
    )
    (result,) = find_labs(text_lines(line))
    assert (result.analyte, result.value.text, result.unit) == ("co2", "26", "mmol/L")


def test_the_same_words_run_together_are_a_sentence() -> None:
    line = "we gave Carbon dioxide, total 26 mmol/L and measured other things in clinic today"
    assert find_labs(text_lines(line)) == []


def test_a_result_label_takes_the_test_name_printed_above_it() -> None:
    """Two lines a test: its name, then "Result: 13.2 g/dL  Ref: ..."; a name with a digit
    ("CO2") counts too."""
    text = (
        "Hemoglobin\n   Result: 13.2 g/dL   Ref: 12.0-15.5   Flag: H\nCO2\n   Result: 25 mmol/L\n"
    )
    assert {(r.name, r.analyte, r.value.text, r.unit) for r in find_labs(text_lines(text))} == {
        ("Hemoglobin", "hemoglobin", "13.2", "g/dL"),
        ("CO2", "co2", "25", "mmol/L"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Result: 44 mmol/L\n",  # whose result, nobody can tell
        "Discussed the findings with the patient\nResult: 44 mmol/L\n",
    ],
)
def test_a_result_label_under_no_test_s_name_is_no_result(text: str) -> None:
    assert find_labs(text_lines(text)) == []


def test_a_table_whose_cells_a_separator_sets_apart_is_read_by_cell() -> None:
    """An export prints its cells one after another with " | " between them, so no cell
    stands under its title; an empty cell keeps its place."""
    text = (
        "TEST | RESULT | UNITS | REFERENCE | FLAG\n"
        "HGB | 13.2 | g/dl | | N\n"
        "AST (SGOT) | 27 | IU/L | (0-40) | N\n"
        "PLT | 123 | 10+3/ul | 150.0-350.0 | L\n"
    )
    found_ = {(r.analyte, r.value.text, r.unit, r.flag) for r in find_labs(text_lines(text))}
    assert found_ == {
        ("hemoglobin", "13.2", "g/dl", "N"),
        ("ast", "27", "IU/L", "N"),
        ("platelets", "123", "10+3/ul", "L"),
    }


def test_a_name_with_a_number_before_its_specimen_alone_on_its_line_is_no_result() -> None:
    """ "Anion gap 3 in Serum or Plasma" over its result line: 3 is the name's."""
    assert find_labs(text_lines("Anion gap 3 in Serum or Plasma\n")) == []


def test_a_unit_under_units_printed_close_after_a_long_name_is_the_unit() -> None:
    name = "Calcium [Mass/volume] in Serum or Plasma"
    text = (
        f"{'Test':<42}{'Units':<10}{'Result':<8}{'Flag':<6}Reference Range\n"
        f"{name} mg/dL   {'9.4':<8}{'':<6}8.8-10.7 mg/dL\n"
    )
    (result,) = find_labs(text_lines(text))
    assert (result.analyte, result.value.text, result.unit) == ("calcium", "9.4", "mg/dL")


def test_a_name_above_whose_test_is_not_reported_in_the_row_s_unit_is_not_taken() -> None:
    """A scan lost a row's values, so the next row's values sit under its name: hematocrit
    is never 16 g/dl."""
    text = (
        f"{'Test':<22}{'Result':<9}{'Units':<8}Reference Range\n"
        "HCT (HEMATOCRIT)\n"
        f"{'':<22}{'16':<9}{'g/dl':<8}13.5 - 18.0\n"
    )
    assert [r for r in find_labs(text_lines(text)) if r.analyte == "hematocrit"] == []


def test_a_rule_glued_to_a_name_is_no_part_of_it() -> None:
    assert "protein_total" in [
        a.key for a in catalogue.lookup("Protein [Mass/volume] in Serum or Plasma_")
    ]
