"""Reference ranges printed before the value, and column titles more labs use (issue 12).
Texts written for these tests, not taken from any bench layout."""

from __future__ import annotations

import pytest

from ocr.facts.labs import find_labs
from ocr.facts.lines import text_lines

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Glucose 70-99 105 mg/dL", ("glucose", "105", "mg/dL", None, "70-99")),
        ("Glucose    70 - 99 mg/dL    105 H", ("glucose", "105", "mg/dL", "H", "70 - 99")),
        ("Glucose (70-99 mg/dL) 105 H", ("glucose", "105", "mg/dL", "H", "70-99")),
        ("Glucose    Range 70-99    105 mg/dL H", ("glucose", "105", "mg/dL", "H", "Range 70-99")),
        ("LDL Cholesterol (<100 mg/dL) 162 H", ("ldl", "162", "mg/dL", "H", "<100")),
        ("Sodium [136-145] 140 mmol/L", ("sodium", "140", "mmol/L", None, "136-145")),
        ("WBC 4 - 11 6.7 x10E3/uL", ("wbc", "6.7", "x10E3/uL", None, "4 - 11")),
        # A bound printed first with its unit, the value after it with the unit again.
        ("HDL Cholesterol >=40 mg/dL 52 mg/dL", ("hdl", "52", "mg/dL", None, ">=40")),
        ("LDL Cholesterol <130 mg/dL (calc) 162 mg/dL H", ("ldl", "162", "mg/dL", "H", "<130")),
        ("Triglycerides <150 mg/dL 98 mg/dL", ("triglycerides", "98", "mg/dL", None, "<150")),
        # The unit closing a range printed after the value.
        ("Glucose 105 H (70-99 mg/dL)", ("glucose", "105", "mg/dL", "H", "(70-99")),
    ],
)
def test_a_range_before_the_value(line: str, expected: tuple[object, ...]) -> None:
    (result,) = find_labs(text_lines(line))
    reference = result.reference.text if result.reference else None
    assert (result.analyte, result.value.text, result.unit, result.flag, reference) == expected
    assert result.confidence is not None and result.confidence >= 0.9


@pytest.mark.parametrize(
    "line",
    [
        "Glucose 70-99 105-110",  # two ranges, no value
        "Glucose (70-99 mg/dL",  # nothing after the range
        "Protein 30 - 40 - 50",
        # Values of several dates after one range: which one is this result is unclear.
        "Glucose 70-99 105 98 mg/dL",
        "Glucose (70-99) 105 H 98 101",
    ],
)
def test_ranges_without_a_value_after_them_are_no_result(line: str) -> None:
    assert find_labs(text_lines(line)) == []


def test_a_number_in_brackets_that_is_no_range_stays_in_the_name() -> None:
    (result,) = find_labs(text_lines("Protein (24 hr) 150 mg/24h"))
    assert (result.name, result.analyte, result.value.text) == (
        "Protein (24 hr)",
        "urine_protein_24h",
        "150",
    )


@pytest.mark.parametrize(
    "titles",
    [
        ("Analyte", "Limits", "Observation", "Units"),
        ("Test", "Desirable Range", "Patient Result", "Unit"),
        ("Test", "Reference Limits", "Patient Value", "Unit of Measure"),
        ("Test", "Target Range", "Measured Value", "Units"),
    ],
)
def test_range_first_tables_with_other_column_titles(titles: tuple[str, ...]) -> None:
    name, limits, result, unit = titles
    text = (
        f"{name:<22}{limits:<27}{result:<17}{unit}\n"
        f"{'Glucose':<22}{'70-99':<27}{'105 H':<17}mg/dL\n"
        f"{'Sodium':<22}{'136-145':<27}{'140':<17}mmol/L\n"
        f"{'WBC':<22}{'3.8-10.8':<27}{'6.7':<17}x10E3/uL\n"
    )
    results = find_labs(text_lines(text))
    assert [(r.analyte, r.value.text, r.unit, r.flag) for r in results] == [
        ("glucose", "105", "mg/dL", "H"),
        ("sodium", "140", "mmol/L", None),
        ("wbc", "6.7", "x10E3/uL", None),
    ]
    assert [r.reference.text if r.reference else None for r in results] == [
        "70-99",
        "136-145",
        "3.8-10.8",
    ]


@pytest.mark.parametrize(("name", "remark"), [("Analysis", "Remark"), ("Analyses", "Remarks")])
def test_analysis_and_remark_columns_head_a_table(name: str, remark: str) -> None:
    """A European chemistry report: "Analysis | Reference interval | Result | Unit | Remark",
    remarks spelled out, ranges that are one bound or only the unit; read by column, a bound
    in the range column is never the value."""
    text = (
        f"{name:<26}{'Reference interval':<22}{'Result':<10}{'Unit':<10}{remark}\n"
        f"{'HDL cholesterol':<26}{'>=40 mg/dL':<22}{'61':<10}{'mg/dL':<10}\n"
        f"{'LDL cholesterol':<26}{'<130 mg/dL (calc)':<22}{'146':<10}{'mg/dL':<10}high\n"
        f"{'Potassium, Serum':<26}{'mmol/L':<22}{'3.5':<10}{'mmol/L':<10}\n"
        f"{'Sodium':<26}{'135-145':<22}{'128':<10}{'mmol/L':<10}low\n"
    )
    results = find_labs(text_lines(text))
    assert [(r.analyte, r.value.text, r.unit, r.flag) for r in results] == [
        ("hdl", "61", "mg/dL", None),
        ("ldl", "146", "mg/dL", "H"),
        ("potassium", "3.5", "mmol/L", None),
        ("sodium", "128", "mmol/L", "L"),
    ]


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("HDL Cholesterol >40 mg/dL", ">40"),  # a bound alone is the value
        ("HDL Cholesterol 52 mg/dL >=40", "52"),  # the bound after the value is the range
    ],
)
def test_a_bound_with_its_unit_is_the_range_only_before_the_value(line: str, value: str) -> None:
    (result,) = find_labs(text_lines(line))
    assert result.value.text == value
