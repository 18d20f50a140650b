"""Lab results from laid-out pages: four layouts, skew, wrapped names, free lines, prose."""

from __future__ import annotations

from datetime import date

import pytest
from lab_pages import LAYOUTS, Report, Row, page_reading, turned

from ocr.facts import extract
from ocr.facts.labs import find_labs
from ocr.facts.lines import page_lines, text_lines
from ocr.facts.model import LabResult

pytestmark = pytest.mark.nodb

ROWS = [
    Row("Glucose", "95", "mg/dL", "70-99"),
    Row("Hemoglobin A1c", "7.2", "%", "4.0-5.6", "H"),
    Row("WBC", "11.2", "x10E3/uL", "3.8-10.8", "H"),
    Row("Platelets [#/volume] in Blood", "152", "10*3/uL", "150-400"),
    Row("HDLc SerPl-sCnc", "1.1", "mmol/L", ">1.0"),
    Row("Hemoglobin", "13.1", "g/dL", "M: 13.5-17.5 F: 12.0-15.5", "L"),
    Row("Creatinine", "97", "umol/L", "62-106"),
    Row("Urine Protein", "Negative", "", "Negative"),
    Row("TSH", "<0.01", "mIU/L", "0.4-4.0", "L"),
    Row("Potassium", "5.9", "mmol/L", "3.5-5.1", "HH"),
]
EXPECTED = [
    ("glucose", "95", "mg/dL"),
    ("hba1c", "7.2", "%"),
    ("wbc", "11.2", "10^3/µL"),
    ("platelets", "152", "10^3/µL"),
    ("hdl", "1.1", "mmol/L"),
    ("hemoglobin", "13.1", "g/dL"),
    ("creatinine", "97", "µmol/L"),
    ("ua_protein", "Negative", None),
    ("tsh", "<0.01", "mIU/L"),
    ("potassium", "5.9", "mmol/L"),
]


def read(layout: str, rows: list[Row] = ROWS, skew: float = 0.0) -> list[LabResult]:
    pages = [page_reading(p, n + 1) for n, p in enumerate(LAYOUTS[layout](Report(rows)))]
    if skew:
        pages = [turned(p, skew) for p in pages]
    return extract(pages).labs


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_every_row(layout: str) -> None:
    results = read(layout)
    assert [(r.analyte, r.value.text, r.unit_normal) for r in results] == EXPECTED


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("skew", [-1.8, 1.2])
def test_skewed_scans_read_as_level_ones(layout: str, skew: float) -> None:
    level = read(layout)
    tilted = read(layout, skew=skew)
    assert [(r.analyte, r.value.text, r.unit) for r in tilted] == [
        (r.analyte, r.value.text, r.unit) for r in level
    ]


@pytest.mark.parametrize("layout", ["columns", "flag-first", "leaders"])
def test_flags_and_ranges_are_read_in_any_column_order(layout: str) -> None:
    results = {r.analyte: r for r in read(layout)}
    assert results["hba1c"].flag == "H"
    assert results["potassium"].flag == "HH"
    assert results["glucose"].flag is None
    hemoglobin = results["hemoglobin"].reference
    assert hemoglobin is not None and [(b.sex, b.low, b.high) for b in hemoglobin.bands] == [
        ("M", 13.5, 17.5),
        ("F", 12.0, 15.5),
    ]
    hdl = results["hdl"].reference
    assert hdl is not None and hdl.bands[0].low == 1.0 and not hdl.bands[0].low_inclusive


def test_out_of_range_column_flags_the_result() -> None:
    results = {r.analyte: r for r in read("inline")}
    assert results["hba1c"].flag == "H"
    assert results["glucose"].flag is None
    assert results["hba1c"].unit == "%"  # printed beside the range, not in the result


def test_values_are_converted_and_the_original_kept() -> None:
    creatinine = next(r for r in read("columns") if r.analyte == "creatinine")
    assert (creatinine.value.number, creatinine.unit) == (97, "umol/L")
    assert creatinine.canonical is not None
    assert creatinine.canonical.unit == "mg/dL"
    assert creatinine.canonical.value == pytest.approx(97 / 88.4, rel=1e-3)
    tsh = next(r for r in read("columns") if r.analyte == "tsh")
    assert tsh.value.comparator == "<" and tsh.canonical is not None
    assert tsh.canonical.text == "<0.01"


def test_long_names_wrapped_onto_two_lines_are_one_result() -> None:
    rows = [
        Row(
            "Glomerular filtration rate/1.73 sq M.predicted by Creatinine-based formula (MDRD)",
            "58",
            "mL/min/1.73m2",
            ">=60",
            "L",
        ),
        Row("Sodium", "140", "mmol/L", "136-145"),
    ]
    results = read("columns", rows)
    assert [r.analyte for r in results] == ["egfr", "sodium"]
    egfr = results[0]
    assert egfr.name.startswith("Glomerular filtration rate") and "MDRD" in egfr.name
    assert len(egfr.citation.boxes) == 2  # one box per printed line


def test_citations_box_the_words_of_the_row() -> None:
    page = page_reading(LAYOUTS["columns"](Report(ROWS))[0])
    glucose = find_labs(page_lines(page))[0]
    value = next(w for w in page.words if w.text == "95")
    ((x0, y0, x1, y1),) = glucose.citation.boxes
    assert x0 <= value.x0 and value.x1 <= x1 and y0 <= value.y0 and value.y1 <= y1
    assert glucose.citation.page == 1
    assert "Glucose" in glucose.citation.line and "95" in glucose.citation.line


def test_collection_date_comes_from_the_report() -> None:
    report = Report(ROWS, collected=date(2019, 5, 6))
    facts = extract([page_reading(p) for p in LAYOUTS["leaders"](report)])
    assert {r.collected for r in facts.labs} == {date(2019, 5, 6)}


def test_a_date_column_dates_each_row() -> None:
    lines = text_lines(
        "Test          Result   Units    Date Collected\n"
        "Hemoglobin A1c  7.9    %        01/15/2021\n"
        "Hemoglobin A1c  7.1    %        06/20/2021\n"
    )
    results = find_labs(lines)
    assert [(r.value.number, r.collected) for r in results] == [
        (7.9, date(2021, 1, 15)),
        (7.1, date(2021, 6, 20)),
    ]


def test_columns_in_another_order_are_found_by_their_header() -> None:
    lines = text_lines(
        "Reference Interval   Units      Result   Flag    Test\n"
        "3.5-5.1              mmol/L     5.9      H       Potassium\n"
        "136-145              mmol/L     140              Sodium\n"
    )
    results = find_labs(lines)
    assert [(r.analyte, r.value.number, r.unit, r.flag) for r in results] == [
        ("potassium", 5.9, "mmol/L", "H"),
        ("sodium", 140, "mmol/L", None),
    ]


def test_a_flag_merged_into_the_value_is_split_off() -> None:
    lines = text_lines(
        "TEST            RESULT   UNITS   REFERENCE RANGE\n"
        "Hemoglobin A1c  7.2H     %       4.0-5.6\n"
        "LDL Cholesterol 162*     mg/dL   <100\n"
    )
    assert [(r.value.number, r.flag) for r in find_labs(lines)] == [(7.2, "H"), (162, "A")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Glucose............. 95 mg/dL (70-99)", ("glucose", 95, "mg/dL", None)),
        ("Potassium: 5.9 H mmol/L 3.5-5.1", ("potassium", 5.9, "mmol/L", "H")),
        ("Sodium 140 mmol/L 136-145", ("sodium", 140, "mmol/L", None)),
        ("Vitamin B12  450 pg/mL 200-900", ("vitamin_b12", 450, "pg/mL", None)),
        ("CA 125  12 U/mL <35", ("ca125", 12, "U/mL", None)),
        ("Hemoglobin Alc .. a. 7.2% (4.0-5.6)", ("hba1c", 7.2, "%", None)),
        ("WBC eecseessesestesecste 11.2 x10E3/uL", ("wbc", 11.2, "x10E3/uL", None)),
    ],
)
def test_free_lines_without_a_header(line: str, expected: tuple[object, ...]) -> None:
    (result,) = find_labs(text_lines(line))
    assert (result.analyte, result.value.number, result.unit, result.flag) == expected


def test_several_results_on_one_line() -> None:
    results = find_labs(text_lines("Labs: WBC 12.3, Hgb 10.2, Plt 250, Na 131 L"))
    assert [(r.analyte, r.value.number) for r in results] == [
        ("wbc", 12.3),
        ("hemoglobin", 10.2),
        ("platelets", 250),
        ("sodium", 131),
    ]


def test_text_results_and_titres() -> None:
    results = find_labs(
        text_lines(
            "HIV 1/2 Ag/Ab      Non-reactive    Non-reactive\n"
            "ANA Titer          1:160   A       <1:40\n"
            "SARS-CoV-2 RNA     Not Detected    Not Detected\n"
        )
    )
    assert [(r.analyte, r.value.coded, r.value.titre) for r in results] == [
        ("hiv", "non-reactive", None),
        ("ana_titer", None, 160),
        ("sars_cov_2", "not detected", None),
    ]


def test_urinalysis_section_decides_between_blood_and_urine_tests() -> None:
    results = find_labs(
        text_lines(
            "URINALYSIS, COMPLETE\n"
            "Test          Result     Units   Reference Range\n"
            "Glucose       Negative           Negative\n"
            "Protein       30         mg/dL   Negative\n"
            "WBC           3          /HPF    0-5\n"
        )
    )
    assert [r.analyte for r in results] == ["ua_glucose", "ua_protein", "ua_wbc"]


@pytest.mark.parametrize(
    "text",
    [
        "The patient was seen 3 times in 2020 for review.",
        "Page 1 of 2",
        "Phone 555-1234 ext 12",
        "Collected: 03/14/2023 08:15",
        "Patient: Jane Doe   DOB: 01/02/1950",
        "Take 2 tablets by mouth daily",
    ],
)
def test_prose_is_not_a_result(text: str) -> None:
    assert find_labs(text_lines(text)) == []


def test_prose_under_a_table_is_not_a_result() -> None:
    lines = text_lines(
        "TEST            RESULT   UNITS    REFERENCE RANGE\n"
        "Glucose         95       mg/dL    70-99\n"
        "Note: results were reviewed with the patient on the phone and 2 follow up visits booked\n"
    )
    assert [r.analyte for r in find_labs(lines)] == ["glucose"]


def test_units_that_do_not_fit_the_analyte_are_kept_but_not_converted() -> None:
    (result,) = find_labs(text_lines("ALT   30   mg/dL   7-56"))
    assert result.analyte == "alt" and result.unit == "mg/dL" and result.canonical is None
    assert any("not convertible" in note for note in result.notes)


def test_what_ocr_makes_of_dot_leaders_around_short_names() -> None:
    lines = text_lines(
        "Ko cocccccceceseectecseenceseesesseetecse 3.5 mmol/L\n"  # K, its first dot read as o
        "PLT ccccccccstesesssesssevecesversssucse teens 220 10*3/uL\n"  # dots read as a word
        "Protein ccccccccstesesssesssevecesversssucse trace\n"  # a result, not more dots
        "Glucose ccccccccstesesssesssevecesversssucse see note\n"
    )
    results = find_labs(lines)
    assert [(r.analyte, r.value.text, r.unit) for r in results] == [
        ("potassium", "3.5", "mmol/L"),
        ("platelets", "220", "10*3/uL"),
        ("ua_protein", "trace", None),
        ("ua_glucose", "see note", None),
    ]
    assert results[0].name == "K"
    assert any("read as Ko" in note for note in results[0].notes)


def test_a_name_repaired_from_leader_dots_needs_the_unit_of_its_test() -> None:
    # "Ko" is K only when what follows is a potassium result; here the unit is not one.
    results = find_labs(text_lines("Ko cocccccceceseectecseenceseesesseetecse 35 U/L"))
    assert all(r.analyte != "potassium" for r in results)


@pytest.mark.parametrize(
    ("name", "unit", "analyte"),
    [
        ("wsc", "10*3/uL", "wbc"),  # B read as s
        ("WEC # Bld Auto", "x10E3/uL", "wbc"),  # B read as E
        ("H6B", "g/dL", "hemoglobin"),
        ("wsc", "mg/dL", None),  # not a unit a white count is given in: left unknown
        ("ct", "mmol/L", None),  # too short to tell Cl from Ca, CO, ...
    ],
)
def test_an_abbreviation_with_one_glyph_misread(name: str, unit: str, analyte: str | None) -> None:
    lines = text_lines(
        "TEST            RESULT   UNITS      REFERENCE RANGE\n"
        f"{name:<16}7.6      {unit:<11}4.3-10.8\n"
    )
    (result,) = find_labs(lines)
    assert (result.name, result.analyte, result.value.text) == (name, analyte, "7.6")
    assert any("one look-alike glyph" in note for note in result.notes) == (analyte is not None)


def test_a_misread_name_is_not_taken_for_a_test_no_patient_could_have_that_result_of() -> None:
    # "H6B 145 g/dL" is not haemoglobin: no patient has 145 g/dL (nor is there room for a
    # point in a word box of text lines), so the name stays unknown.
    (result,) = find_labs(text_lines("TEST   RESULT  UNITS\nH6B    145     g/dL\n"))
    assert (result.name, result.analyte, result.value.text) == ("H6B", None, "145")
    assert not any("look-alike" in note for note in result.notes)
