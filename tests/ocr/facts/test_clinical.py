"""Medications, diagnoses, allergies and immunizations in clinical text; negation and history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from ocr.facts.clinical import ClinicalFacts, find_clinical
from ocr.facts.lines import text_lines
from ocr.facts.negation import assertion

pytestmark = pytest.mark.nodb


def read(text: str) -> ClinicalFacts:
    return find_clinical(text_lines(text))


def names(items: list[object], field: str = "name") -> list[str]:
    return [str(getattr(item, field)).lower() for item in items]


@pytest.mark.parametrize(
    ("sentence", "term", "expected"),
    [
        ("Patient denies chest pain.", "chest pain", "absent"),
        ("No history of diabetes.", "diabetes", "absent"),
        ("Patient does not have diabetes.", "diabetes", "absent"),
        ("Negative for fever, chills, or cough.", "cough", "absent"),
        ("Pulmonary embolism was ruled out.", "embolism", "absent"),
        ("Ruled out myocardial infarction.", "myocardial infarction", "absent"),
        ("Rule out pneumonia.", "pneumonia", "possible"),
        ("Possible urinary tract infection.", "urinary tract infection", "possible"),
        ("Family history of breast cancer.", "breast cancer", "family"),
        ("Her mother had a stroke at 60.", "stroke", "family"),
        ("He denies fever but reports cough.", "cough", "present"),
        ("History of hypertension.", "hypertension", "present"),
        ("She has asthma.", "asthma", "present"),
    ],
)
def test_assertion_of_a_mention(sentence: str, term: str, expected: str) -> None:
    start = sentence.lower().index(term)
    assert assertion(sentence, start, start + len(term)) == expected


def test_negated_and_family_conditions_are_not_the_patients() -> None:
    facts = read(
        "HISTORY OF PRESENT ILLNESS: The patient denies chest pain and shortness of breath.\n"
        "PAST MEDICAL HISTORY: Hypertension, hyperlipidemia, and type 2 diabetes mellitus.\n"
        "No history of asthma.\n"
        "FAMILY HISTORY: Mother with breast cancer. Father had coronary artery disease.\n"
        "ASSESSMENT:\n"
        "1. Chest pain, myocardial infarction ruled out.\n"
        "2. Rule out pulmonary embolism.\n"
    )
    mine = names(facts.conditions)
    assert {"hypertension", "hyperlipidemia", "type 2 diabetes mellitus"} <= set(mine)
    for other in (
        "asthma",
        "breast cancer",
        "coronary artery disease",
        "pulmonary embolism",
        "myocardial infarction",
        "shortness of breath",
    ):
        assert not any(other in name for name in mine), other
    excluded = {c.name.lower(): c.assertion for c in facts.excluded}
    assert excluded["asthma"] == "absent"
    assert excluded["pulmonary embolism"] == "possible"
    assert any("breast cancer" in n and a == "family" for n, a in excluded.items())
    history = next(c for c in facts.conditions if c.name.lower() == "hypertension")
    assert history.status == "historical"


def test_findings_stated_negative_are_not_diagnoses() -> None:
    facts = read(
        "ASSESSMENT:,1.  Negative Murphy sign.,2.  Surgical margin: Negative.,3.  Hypertension."
    )
    assert names(facts.conditions) == ["hypertension"]
    assert {c.name.lower(): c.assertion for c in facts.excluded} == {
        "murphy sign": "absent",
        "surgical margin": "absent",
    }


def test_coded_diagnoses_keep_their_icd10_code() -> None:
    facts = read(
        "Diagnoses:\n"
        "E11.9 - Type 2 diabetes mellitus without complications\n"
        "Essential hypertension (I10)\n"
        "ICD-10: J45.909 Unspecified asthma, uncomplicated\n"
    )
    coded = {c.icd10: c.name for c in facts.conditions}
    assert coded == {
        "E11.9": "Type 2 diabetes mellitus without complications",
        "I10": "Essential hypertension",
        "J45.909": "Unspecified asthma, uncomplicated",
    }


def test_lab_names_are_not_icd_codes() -> None:
    assert read("Vitamin B12 and T4 were normal. A1c 7.2.").conditions == []


def test_medication_list_with_strength_route_and_frequency() -> None:
    facts = read(
        "CURRENT MEDICATIONS:\n"
        "1. Lisinopril 10 mg tablet by mouth once daily\n"
        "2. Metformin 500 mg PO BID\n"
        "3. Albuterol 90 mcg/actuation inhaler 2 puffs every 4-6 hours as needed for wheezing\n"
        "4. Ibuprofen 600 mg po q.i.d. p.r.n. pain\n"
        "5. Atorvastatin 40 mg at bedtime - discontinued\n"
    )
    found = {m.name.lower(): m for m in facts.medications}
    assert list(found) == ["lisinopril", "metformin", "albuterol", "ibuprofen", "atorvastatin"]
    lisinopril = found["lisinopril"]
    assert (lisinopril.strength, lisinopril.route, lisinopril.frequency) == (
        "10 mg",
        "oral",
        "daily",
    )
    assert found["metformin"].frequency == "twice daily"
    albuterol = found["albuterol"]
    assert albuterol.strength == "90 mcg/actuation" and albuterol.dose == "2 puffs"
    assert albuterol.frequency == "every 4-6 hours" and albuterol.as_needed
    assert found["ibuprofen"].frequency == "four times daily" and found["ibuprofen"].as_needed
    assert found["atorvastatin"].status == "stopped"
    assert found["lisinopril"].status == "active"


def test_directions_printed_under_a_prescription_belong_to_it() -> None:
    facts = read("Rx: Amoxicillin 500 mg capsule\nSig: Take 1 capsule by mouth three times a day\n")
    (amoxicillin,) = facts.medications
    assert amoxicillin.name == "Amoxicillin"
    assert (amoxicillin.dose, amoxicillin.route, amoxicillin.frequency) == (
        "Take 1 capsule",
        "oral",
        "three times daily",
    )


def test_medications_in_prose_need_a_known_drug_and_a_strength() -> None:
    facts = read("She takes lisinopril 20 mg daily and walks 3 miles a day.")
    assert names(facts.medications) == ["lisinopril"]
    assert read("He walked 500 mg of stairs daily.").medications == []


def test_lab_results_in_prose_are_not_medications() -> None:
    facts = read(
        "Labs today: Potassium 4.2 mmol/L, sodium 140 mEq/L, glucose 95 mg/dL.\n"
        "Started potassium chloride 20 mEq daily."
    )
    assert [(m.name.lower(), m.strength) for m in facts.medications] == [
        ("potassium chloride", "20 mEq")
    ]


def test_stopped_medication_section() -> None:
    facts = read("Discontinued medications: Warfarin 5 mg daily\nMedications: Apixaban 5 mg BID\n")
    status = {m.name: m.status for m in facts.medications}
    assert status == {"Warfarin": "stopped", "Apixaban": "active"}


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Allergies: NKDA", "drug"),
        ("ALLERGIES: No known drug allergies.", "drug"),
        ("Allergies: No known allergies", "all"),
        ("Allergies: None known", "all"),
        ("Allergies: NKA", "all"),
        ("ALLERGIES: No known food allergies.", "food"),
    ],
)
def test_no_known_allergies_is_recorded_as_such(text: str, scope: str) -> None:
    (statement,) = read(text).allergies
    assert statement.none_known and statement.scope == scope and statement.substance is None


def test_allergies_with_reaction_and_severity() -> None:
    facts = read(
        "ALLERGIES:\n"
        "1. Penicillin (hives)\n"
        "2. Sulfa - rash, severe\n"
        "3. Codeine: nausea and vomiting\n"
        "4. Latex - anaphylaxis\n"
    )
    found = {a.substance: a for a in facts.allergies}
    assert list(found) == ["Penicillin", "Sulfa", "Codeine", "Latex"]
    assert found["Penicillin"].reaction == "hives"
    assert (found["Sulfa"].reaction, found["Sulfa"].severity) == ("rash", "severe")
    assert found["Codeine"].reaction == "nausea"
    assert found["Latex"].reaction == "anaphylaxis"


def test_refuted_allergies_are_not_allergies() -> None:
    facts = read("The patient is not allergic to peanuts. She denies latex allergy.")
    assert {a.substance.lower(): a.status for a in facts.allergies if a.substance} == {
        "peanuts": "refuted",
        "latex": "refuted",
    }


def test_immunization_record() -> None:
    facts = read(
        "IMMUNIZATIONS:\n"
        "Influenza vaccine 10/01/2022\n"
        "Tdap 05/14/2019\n"
        "COVID-19 (Moderna) dose 2 04/02/2021\n"
        "Hepatitis B 01/10/2000 02/10/2000 07/10/2000\n"
        "Shingrix - declined\n"
    )
    found = [(i.vaccine, i.given, i.dose_number, i.status) for i in facts.immunizations]
    assert found == [
        ("Influenza", date(2022, 10, 1), None, "completed"),
        ("Tdap", date(2019, 5, 14), None, "completed"),
        ("COVID-19", date(2021, 4, 2), 2, "completed"),
        ("Hepatitis B", date(2000, 1, 10), 1, "completed"),
        ("Hepatitis B", date(2000, 2, 10), 2, "completed"),
        ("Hepatitis B", date(2000, 7, 10), 3, "completed"),
        ("Zoster (recombinant)", None, None, "refused"),
    ]


def test_flu_like_symptoms_are_not_a_flu_shot() -> None:
    assert read("She had flu-like symptoms on 03/02/2020 and a fever.").immunizations == []


def test_citations_point_at_the_words() -> None:
    facts = read("MEDICATIONS: Lisinopril 10 mg daily\nALLERGIES: Penicillin (hives)\n")
    assert facts.medications[0].citation.line.startswith("Lisinopril 10 mg")
    assert facts.allergies[0].citation.line == "Penicillin (hives)"


# Transcribed notes (MTSamples): line breaks became ":," and ".," in this corpus.


def test_note_no_known_medicine_allergies(note: Callable[[str], str]) -> None:
    facts = read(note("Allergic Rhinitis"))
    assert [(a.none_known, a.scope) for a in facts.allergies] == [(True, "drug")]
    assert {"allegra", "ortho tri-cyclen"} <= set(names(facts.medications))
    assert names(facts.conditions) == ["allergic rhinitis"]


def test_note_denied_symptoms_are_not_diagnoses(note: Callable[[str], str]) -> None:
    facts = read(note("Moyamoya Disease"))
    assert "headache" not in " ".join(names(facts.conditions)).replace("migraine headache", "")
    assert {"nausea", "vomiting", "fever"} <= set(names(facts.excluded))
    assert all(c.assertion == "absent" for c in facts.excluded if c.name in ("nausea", "fever"))


def test_note_medication_list_and_drug_allergy(note: Callable[[str], str]) -> None:
    facts = read(note("Gastric Bypass Discussion - 3"))
    found = {m.name.lower(): m for m in facts.medications}
    assert found["crestor"].strength == "20 mg" and found["crestor"].route == "oral"
    assert found["hydrochlorothiazide"].frequency == "daily"
    allergies = {a.substance.lower(): a for a in facts.allergies if a.substance}
    assert allergies["bactrim"].reaction == "rash"
    assert allergies["latex"].status == "refuted"  # "The patient denies latex allergy."
    assert "diabetes mellitus" in names(facts.excluded)  # "She denies … diabetes mellitus"


def test_notes_do_not_make_negated_mentions_into_diagnoses(all_notes: list[str]) -> None:
    for text in all_notes:
        facts = read(text)
        for condition in facts.conditions:
            window = text[max(0, text.find(condition.name) - 30) : text.find(condition.name)]
            assert (
                not window.lower().rstrip().endswith(("denies", "no history of", "negative for"))
            ), condition.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Corpus note 1299 printed with its lines wrapped: "Fridays" and "week" were medications.
        (
            "CURRENT MEDICATIONS: , Hydrea 1500 mg on Mondays and Fridays and 1000 mg the other"
            " days of the\nweek, Flomax q.d., vitamin D q.d, saw palmetto q.d., aspirin 81 mg q.d.,"
            " and vitamin C q.d.\n",
            ["hydrea", "flomax", "vitamin d", "saw palmetto", "aspirin", "vitamin c"],
        ),
        (
            "CURRENT MEDICATIONS: , Hydrea 1500 mg on Mondays and\nFridays and 1000 mg the other"
            " days of the week, Flomax q.d.\n",
            ["hydrea", "flomax"],
        ),
        # Corpus note 1452: "b.i.d" was a medication.
        (
            "CURRENT MEDICATIONS:\nFolic acid, Aciphex, MiraLax, trazodone, prednisone for 5 days"
            " every 4 weeks, Bactrim double strength 1 tablet\nb.i.d. on Mondays, Wednesdays and"
            " Fridays.\n",
            [
                "folic acid",
                "aciphex",
                "miralax",
                "trazodone",
                "prednisone",
                "bactrim double strength",
            ],
        ),
        # One medication a line stays one medication a line, lower case or not.
        (
            "MEDICATIONS:\naspirin 81 mg daily\nmetoprolol 25 mg twice daily\nLisinopril 10 mg\n",
            ["aspirin", "metoprolol", "lisinopril"],
        ),
    ],
)
def test_a_medication_wrapped_onto_the_next_line_stays_one(text: str, expected: list[str]) -> None:
    assert names(read(text).medications) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Corpus note 4157 (outside the narrative set): the DSM axes III-V are no diagnoses.
        (
            "DIAGNOSES:\nAxis I:  Major depression rule out substance abuse.\n"
            "Axis II:  Deferred at this time.\nAxis III:  Noncontributory.\n"
            "Axis IV:  Family financial and social pressures.\n"
            "Axis V:  Global Assessment of Functioning 40.\n",
            ["major depression"],  # what is to be ruled out is no part of it
        ),
        # Corpus note 3852: a sentence of the history is no problem.
        (
            "HISTORY:\nThe patient is 14 months old, comes in with a chief complaint of difficulty"
            " breathing.  Difficulty breathing began last night.\n",
            [],
        ),
    ],
)
def test_what_is_no_problem_in_a_diagnosis_or_history_section(
    text: str, expected: list[str]
) -> None:
    assert names(read(text).conditions) == expected


def test_a_problem_said_resolved_is_resolved() -> None:
    # Corpus note 3864: "ACUTE RIGHT FOOT PAIN, NOW RESOLVED" was an active problem.
    facts = read("DIAGNOSES:\n1.  Asthma.\n2.  ACUTE RIGHT FOOT PAIN, NOW RESOLVED.\n")
    statuses = {c.name.lower(): c.status for c in facts.conditions}
    assert statuses["acute right foot pain, now resolved"] == "resolved"
    assert statuses["asthma"] == "active"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Lines of medication sections in corpus notes outside the narrative set.
        ("MEDICATIONS:\nInclude metoprolol 100 mg two tablets b.i.d.\n", ["metoprolol"]),
        ("MEDICATIONS:\nInclude Colestid 1 g daily, aspirin 81 mg\n", ["colestid", "aspirin"]),
        (
            "DISCHARGE MEDICATIONS:\nPrednisone 9 mg daily.\nChanges include reduction in"
            " prednisone from 9 to 6 mg by mouth every morning.\n",
            ["prednisone"],
        ),
        (
            "DISCHARGE MEDICATIONS:\nIndomethacin 100 mg p.o. daily for 2 days\nthen 75 mg p.o."
            " daily for 4 more days.\nTotal time for this discharge 37 minutes.\n",
            ["indomethacin"],
        ),
        ("MEDICATIONS:\nListed in the medical records.\n", []),
        ("CURRENT MEDICATIONS:\nDr. XYZ in 2 to 3 days' time.\n", []),
        (
            "MEDICATIONS:\nThe doxycycline level obtained while in the hospital on 10/21/2007 was"
            " 6.5 mcg/mL.\n",
            [],
        ),
    ],
)
def test_words_of_a_medication_section_that_name_no_medication(
    text: str, expected: list[str]
) -> None:
    assert names(read(text).medications) == expected


def test_a_release_form_after_the_name_is_no_doctor() -> None:
    assert names(read("MEDICATIONS:\nDepakote DR 500 mg b.i.d.\n").medications) == ["depakote"]
