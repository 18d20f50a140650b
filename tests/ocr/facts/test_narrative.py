"""Lab results in free text: what is not a result (issue 12's error classes), and what is."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ocr.facts import extract
from ocr.facts.confidence import REVIEW_BELOW
from ocr.facts.model import LabResult
from ocr.model import PageReading

pytestmark = pytest.mark.nodb


def page_of(text: str) -> PageReading:
    return PageReading(1, 612, 792, text, [], "", "", False)


def labs(text: str) -> list[LabResult]:
    return [r for r in extract([page_of(text)]).labs if r.category == "lab"]


def read(text: str) -> dict[str, str]:
    return {r.analyte or r.name: r.value.text for r in labs(text)}


def test_an_id_read_as_ldh_is_no_result() -> None:
    # OCR folds "ID" into "LD", a name of LDH: "LDH 12345" was the patient's ID.
    text = (
        "Patient: Levin, Henry L.   Patient ID 12345   DOB 03/14/1948\n"
        "MRN: 9534717   Accession: 23-118-4471\n"
        "LDH 210 U/L (140-280)\n"
    )
    assert read(text) == {"ldh": "210"}


@pytest.mark.parametrize(
    "line",
    ["ID 9534717", "Patient ID: 12345", "MRN: LDH 12345", "Acct # 55120", "Room 12 Bed 2"],
)
def test_identifiers_are_not_results(line: str) -> None:
    assert read(line) == {}


def test_doses_are_medications_not_results() -> None:
    text = (
        "DISCHARGE MEDICATIONS: Docusate sodium 100 mg p.o. b.i.d., aspirin 325 mg daily,\n"
        "potassium chloride 20 mEq daily, NPH insulin - 65 units in the morning.\n"
        "Tylenol up to 4 grams a day. Iron 325 mg p.o. b.i.d.\n"
        "Labs on admission: sodium 138, potassium 4.1.\n"
    )
    found = extract([page_of(text)])
    results = {r.analyte: r.value.text for r in found.labs}
    assert results == {"sodium": "138", "potassium": "4.1"}
    medications = {m.name.lower(): m.strength for m in found.medications}
    assert medications["docusate sodium"] == "100 mg"
    assert medications["aspirin"] == "325 mg"


def test_plans_and_schedules_are_not_results() -> None:
    # "A1c 3" replaced the real 6.4 % H as the latest A1c and hid its upward arrow.
    text = (
        "Hemoglobin A1c 6.4 % H (4.0-5.6)\n"
        "PLAN: Recheck A1c in 3 months. Follow up in 2 weeks. Repeat BMP in 1 week.\n"
        "Her max temperature over the past 24 hours was 36.5.\n"
    )
    found = labs(text)
    assert [(r.analyte, r.value.text, r.unit) for r in found] == [("hba1c", "6.4", "%")]


def test_page_numbers_dates_and_fragments_are_not_results() -> None:
    text = (
        "Page 2 of 3\n"
        "Glucose 01/12/2024 reviewed with the patient.\n"
        "Urinalysis showed 3+ protein, 4+ blood, and trace leukocytes, 5 to 10 wbc's.\n"
        "Packed red blood cells 440 mL, FFP 100 mL.\n"
    )
    assert read(text) == {}


def test_sentences_are_not_test_names() -> None:
    text = "The patient was told that the results of the hemoglobin 12 were discussed.\n"
    for result in labs(text):
        assert len(result.name.split()) <= 3


def test_narrative_labs_are_still_read_with_units_only_where_unambiguous() -> None:
    text = "Labs on admission: Na 138, K 4.1, creatinine 1.2, glucose 104 mg/dL, WBC 9200.\n"
    found = {r.analyte: r for r in labs(text)}
    assert {k: r.value.text for k, r in found.items()} == {
        "sodium": "138", "potassium": "4.1", "creatinine": "1.2", "glucose": "104", "wbc": "9200",
    }  # fmt: skip
    assert found["sodium"].canonical is not None and found["sodium"].canonical.unit == "mmol/L"
    assert found["sodium"].unit is None  # as printed: none
    assert any("no unit printed" in note for note in found["creatinine"].notes)
    assert found["wbc"].canonical is None  # per µL or thousands per µL: not said, not guessed
    assert found["wbc"].confidence is not None and found["wbc"].confidence < REVIEW_BELOW
    assert found["glucose"].confidence is not None and found["glucose"].confidence >= REVIEW_BELOW


def test_counts_with_thousands_separators_are_read_whole() -> None:
    found = {r.analyte: r.value.text for r in labs("Hgb 10.3, platelets of 81,000.\n")}
    assert found == {"hemoglobin": "10.3", "platelets": "81,000"}


def test_a_table_row_is_trusted_more_than_a_sentence() -> None:
    table = "Test         Result   Units    Reference\nSodium       141      mmol/L   136-145\n"
    sentence = "Today her sodium is 141 and she feels well.\n"
    (row,) = labs(table)
    (said,) = labs(sentence)
    assert row.confidence is not None and said.confidence is not None
    assert row.confidence > said.confidence


def test_no_drug_level_from_a_medication_list(note: Callable[[str], str]) -> None:
    found = labs(note("Chronic Medical Conditions - Followup"))
    assert not [r for r in found if r.analyte in ("salicylate", "acetaminophen", "insulin")]


def test_every_machine_read_fact_has_a_confidence() -> None:
    text = (
        "PAST MEDICAL HISTORY: Hypertension, type 2 diabetes.\n"
        "MEDICATIONS: Lisinopril 10 mg daily.\n"
        "ALLERGIES: Penicillin - rash.\n"
        "Glucose 95 mg/dL 70-99\n"
        "Vital signs: BP 128/82, pulse 72.\n"
    )
    found = extract([page_of(text)])
    facts: list[object] = [*found.labs, *found.medications, *found.conditions, *found.allergies]
    assert len(facts) >= 6
    for fact in facts:
        score = getattr(fact, "confidence")  # noqa: B009
        assert score is not None and 0.0 <= score <= 1.0, fact


@pytest.mark.parametrize(
    "line",
    [
        "Leukocytes . 6.7.10*9/L (4.3-10.8)",  # a value OCR merged with its unit: no date
        "WBC oo cccccccseccssssessseessssevsssvessssecsss 6.7 10+3/ul (4.3-10.8)",  # a leader
    ],
)
def test_scanned_report_lines_stay_results(line: str) -> None:
    assert read(line) == {"wbc": "6.7"}


def test_results_of_other_fluids_and_reported_repeats() -> None:
    text = (
        "Spinal fluid was clear with 11 red cells, glucose 75, protein 67. CSF glucose was 68.\n"
        "Repeat nonfasting glucose was 109 on 06/22/2004. Sed rate is only 11.\n"
    )
    assert read(text) == {"glucose": "109", "esr": "11"}


def test_a_saturation_on_room_air_is_a_vital_sign() -> None:
    found = extract([page_of("Temperature 98.4 degrees and SaO2 is 99% on room air.\n")]).labs
    assert [(r.analyte, r.category) for r in found] == [("temperature", "vital"), ("spo2", "vital")]


def test_urine_microscopy_counts_are_not_blood_counts() -> None:
    # "RBC 34": red cells per field of a urinalysis, read as a blood count of 34 million/µL.
    text = (
        "which showed a large amount of leukocyte esterase, small amount of blood with red "
        "blood cells 34, white blood cells\n41, moderate amount of bacteria.\n"
    )
    assert read(text) == {}


def test_sentences_about_thresholds_are_no_test_names_and_no_vitals() -> None:
    # OCR joined these lines into a "test" named with the whole sentence, value >200.
    text = (
        "pressure for the first two weeks of the stroke. We put the patient on p.r.n. labetalol "
        "only for\nsystolic blood pressure greater than 200, diastolic blood pressure greater "
        "than 120. He will not need blood pressure treatment\nunless systolic is greater than "
        "220, diastolic greater than 120, for the first week of his stroke.\n"
    )
    assert extract([page_of(text)]).labs == []


def test_a_unit_after_a_value_in_a_sentence_is_kept() -> None:
    (wbc,) = labs("CBC today: WBC 6.7 K/uL, otherwise unremarkable.\n")
    assert (wbc.value.text, wbc.unit) == ("6.7", "K/uL")
    assert wbc.canonical is not None and wbc.canonical.value == 6.7


def test_blood_gas_and_urine_ph_apart() -> None:
    text = "Arterial blood gases: pH 7.46, pCO2 32, pO2 46 on room air. Urinalysis: pH 6.0.\n"
    found = [(r.analyte, r.value.text) for r in labs(text)]
    assert ("ph_arterial", "7.46") in found and ("ua_ph", "6.0") in found


@pytest.mark.parametrize(
    ("line", "analyte", "value"),
    [
        ("Carbon dioxide, total [Moles/volume] ......... 29 mmol/L (22-31 mmol/L)", "co2", "29"),
        ("Hemoglobin A, Serum ............ 16 g/dl (13.5 - 18.0 g/dl)", "hemoglobin", "16"),
        ("WBC # Bld Auto ........................ 12.50 x10E3/uL", "wbc", "12.50"),
    ],
)
def test_a_report_line_keeps_its_comma_names_and_counts(
    line: str, analyte: str, value: str
) -> None:
    """A line of its own with a unit is a report's, not a sentence: a comma or "#" in the
    name is part of it (the vetting had dropped these from leader-dot reports)."""
    (result,) = labs(line)
    assert (result.analyte, result.value.text) == (analyte, value)


@pytest.mark.parametrize("text", ["Patient ID 12345", "MRN: LDH 12345", "Patient ID: 9534717"])
def test_without_a_unit_identifiers_and_fragments_stay_out(text: str) -> None:
    assert labs(text) == []


def test_spinal_fluid_results_far_into_their_sentence_are_no_blood_results() -> None:
    # Corpus note 3855 (outside the narrative set): the spinal fluid's "white count 0" became a
    # blood WBC of 0; the fluid is named nine words before it.
    text = (
        "LABORATORY FINDINGS: , Glucose 162, BUN 14, creatinine 1.0.  White count was 12,200 with"
        " a normal differential, hemoglobin was 12.1, platelet count 230,000.  Spinal fluid was"
        " clear with 11 red cells, glucose 75, protein 67, white count 0.  EKG was normal.\n"
    )
    found = read(text)
    assert found["wbc"] == "12,200"
    assert found["glucose"] == "162"
    assert sorted(found) == ["bun", "creatinine", "glucose", "hemoglobin", "platelets", "wbc"]
