"""Lab series, units, reference bands and the overview (server.health.labs)."""

from __future__ import annotations

import pytest

from server.health.labs import Band, build_series, by_series, overview, series_key
from tests.fixtures.health_facts import lab

pytestmark = pytest.mark.nodb


def test_values_are_charted_in_the_canonical_unit() -> None:
    facts = [
        lab("Glucose", "2021-01-01", 99.0, "mg/dL", analyte="glucose"),
        # Stored as printed (no conversion yet): converted here, valid for glucose.
        lab("GLU", "2022-01-01", 5.5, "mmol/L", analyte="glucose"),
        # Converted when stored: printed mmol/L, column in mg/dL.
        lab("Glucose", "2023-01-01", 110.0, "mg/dL", analyte="glucose", text="6.1",
            printed_unit="mmol/L"),
    ]  # fmt: skip
    series = build_series("glucose", facts)
    assert series.unit == "mg/dL" and series.title == "Glucose"
    assert [p.value for p in series.points] == [99.0, pytest.approx(99.08, abs=0.01), 110.0]
    assert series.points[2].fact.display == "110 mg/dL"
    assert series.points[2].fact.printed == "6.1 mmol/L"


def test_values_that_cannot_be_converted_stay_off_the_chart() -> None:
    facts = [
        lab("Glucose", "2021-01-01", 99.0, "mg/dL", analyte="glucose"),
        lab("Glucose", "2021-02-01", 3.0, "mg/g", analyte="glucose"),
        lab("Glucose", "2021-03-01", 2.0, "", analyte="glucose"),
        lab("Glucose", "2021-04-01", None, "", analyte="glucose", text="Negative"),
    ]
    series = build_series("glucose", facts)
    assert [p.charted for p in series.points] == [True, False, False, False]
    notes = [p.note for p in series.points]
    assert "mg/g, which does not convert to mg/dL" in notes[1]
    assert "no unit" in notes[2] and "text result" in notes[3]
    assert series.chart()["y"] == [99.0]


def test_hba1c_ifcc_converts_to_percent() -> None:
    series = build_series("hba1c", [lab("HbA1c", "2021-01-01", 53.0, "mmol/mol", analyte="hba1c")])
    assert series.unit == "%" and series.points[0].value == pytest.approx(7.0, abs=0.01)


def test_comparators_are_charted_at_the_limit_and_said_so() -> None:
    fact = lab("CRP", "2021-01-01", 0.5, "mg/L", analyte="crp", text="<0.5",
               data={"value": {"text": "<0.5", "comparator": "<"}})  # fmt: skip
    point = build_series("crp", [fact]).points[0]
    assert point.value == 0.5 and "reported as <0.5" in point.note


def test_the_most_common_band_and_a_note_when_labs_differ() -> None:
    facts = [
        lab("Glucose", "2021-01-01", 90.0, "mg/dL", analyte="glucose", low=70, high=99),
        lab("Glucose", "2021-06-01", 95.0, "mg/dL", analyte="glucose", low=70, high=99),
        lab("Glucose", "2022-01-01", 5.0, "mmol/L", analyte="glucose", low=3.9, high=6.1),
    ]
    series = build_series("glucose", facts)
    assert series.band == Band(70, 99)
    assert "2 different reference ranges" in series.band_note
    assert "70–99 (2 of 3 results)" in series.band_note
    # The third lab's range, converted from mmol/L.
    third = series.points[2].band
    assert third is not None and third.low == pytest.approx(70.26, abs=0.01)


def test_one_band_no_note_and_open_ended_bands() -> None:
    same = [lab("LDL", f"202{n}-01-01", 120.0 + n, "mg/dL", analyte="ldl", high=100)
            for n in range(3)]  # fmt: skip
    series = build_series("ldl", same)
    assert series.band == Band(None, 100) and not series.band_note
    assert series.band.text == "≤ 100"
    assert series.chart()["band"] == {"low": None, "high": 100}


def test_sex_specific_bands_are_used_only_alone() -> None:
    both = lab(
        "Hemoglobin",
        "2021-01-01",
        13.0,
        "g/dL",
        analyte="hemoglobin",
        data={
            "reference": {
                "text": "M 13.5-17.5 F 12-15.5",
                "bands": [
                    {"low": 13.5, "high": 17.5, "sex": "M"},
                    {"low": 12, "high": 15.5, "sex": "F"},
                ],
            }
        },
    )
    alone = lab("Hemoglobin", "2021-02-01", 13.0, "g/dL", analyte="hemoglobin",
                data={"reference": {"text": "F 12-15.5", "bands": [
                    {"low": 12, "high": 15.5, "sex": "F"}]}})  # fmt: skip
    series = build_series("hemoglobin", [both, alone])
    assert series.points[0].band is None and series.points[1].band == Band(12, 15.5)


def test_flagged_points_are_marked() -> None:
    facts = [
        lab("Potassium", "2021-01-01", 4.0, "mmol/L", analyte="potassium"),
        lab("Potassium", "2021-02-01", 5.9, "mmol/L", analyte="potassium", flag="H"),
        lab("Potassium", "2021-03-01", 4.2, "mmol/L", analyte="potassium", flag="N"),
    ]
    chart = build_series("potassium", facts).chart()
    assert chart["flagged"] == [None, 5.9, None]
    assert chart["x"] == [1609459200, 1612137600, 1614556800]
    assert "5.9 mmol/L H" in chart["labels"][1]


def test_overview_latest_and_direction() -> None:
    facts = [
        lab("Creatinine", "2021-01-01", 1.0, "mg/dL", analyte="creatinine"),
        lab("Creatinine", "2022-01-01", 1.4, "mg/dL", analyte="creatinine", flag="H"),
        lab("Hemoglobin A1c", "2021-01-01", 7.0, "%", analyte="hba1c"),
        lab("Hemoglobin A1c", "2022-01-01", 7.05, "%", analyte="hba1c"),
        lab("TSH", "2022-01-01", 3.0, "mIU/L", analyte="tsh"),
        lab("Weird Local Test", "2022-01-01", 5.0, "U/L"),
        lab("Weird Local Test", "2021-01-01", 9.0, "U/L"),
    ]
    rows = {r.key: r for r in overview(facts)}
    assert rows["creatinine"].direction == "up" and rows["creatinine"].fact.value_num == 1.4
    assert rows["creatinine"].previous is facts[0]
    assert rows["hba1c"].direction == "flat"  # within 1 %
    assert rows["tsh"].direction is None and rows["tsh"].count == 1
    assert rows["x-weird-local-test"].direction == "down"
    assert [r.title for r in overview(facts)] == [
        "Creatinine", "Hemoglobin A1c", "TSH", "Weird Local Test",
    ]  # fmt: skip


def test_a_newer_text_result_never_replaces_the_latest_number() -> None:
    """Issue 12: the latest value of a series is never replaced by a text fragment; the text
    result stays in the series' table (3 results)."""
    facts = [
        lab("Glucose", "2021-01-01", 99.0, "mg/dL", analyte="glucose"),
        lab("Glucose", "2021-06-01", 101.0, "mg/dL", analyte="glucose"),
        lab("Glucose", "2022-01-01", None, "", analyte="glucose", text="hemolysed"),
    ]
    (row,) = overview(facts)
    assert row.fact.value_text == "101" and row.direction == "up" and row.count == 3


def test_a_series_of_text_results_shows_the_latest_text() -> None:
    facts = [
        lab("HIV screen", "2021-01-01", None, "", text="Negative"),
        lab("HIV screen", "2022-01-01", None, "", text="Non-reactive"),
    ]
    (row,) = overview(facts)
    assert row.fact.value_text == "Non-reactive" and row.direction is None


def test_series_keys() -> None:
    assert series_key(lab("X", "2021-01-01", 1.0, "", analyte="ldl")) == "ldl"
    assert series_key(lab("Vitamin K1 (serum)", "2021-01-01", 1.0, "")) == "x-vitamin-k1-serum"
    grouped = by_series([lab("A", "2022-01-01", 1.0, ""), lab("a", "2021-01-01", 2.0, "")])
    assert [f.value_num for f in grouped["x-a"]] == [2.0, 1.0]  # oldest first
