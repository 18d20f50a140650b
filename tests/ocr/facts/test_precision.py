"""Problems only from what names a problem: issue 12's junk conditions, and the real ones kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.facts import extract
from ocr.facts.clinical import find_clinical
from ocr.facts.confidence import REVIEW_BELOW, needs_review
from ocr.facts.lines import text_lines
from ocr.model import PageReading

pytestmark = pytest.mark.nodb

DISCHARGE = (
    Path(__file__).resolve().parents[4]
    / "shared" / "corpus" / "scans" / "medical" / "derived__UD_sample.groundtruth.txt"
)  # fmt: skip
JUNK = {
    "the", "patient", "lobe", "little bit", "activator", "did not need any treatment",
    "22, ldl cholesterol 107", "41, moderate amount of bacteria", "ekg", "speech",
    "stable neurologic exam",
}  # fmt: skip

# Written in the shape of the discharge summary that produced the junk: a numbered diagnosis
# wrapped onto a second line, and a hospital course "per problem list" in running prose.
SUMMARY = """DISCHARGE DIAGNOSES:
1. Acute cerebrovascular accident/left basal ganglia and deep white matter of the left parietal
lobe.
2. Hypertension.
3. Urinary tract infection.
HOSPITAL COURSE PER PROBLEM LIST:
1. Acute cerebrovascular accident: The patient was not a candidate for tissue plasminogen
activator. We also ordered fasting lipids, which showed cholesterol of 165, HDL cholesterol
22, LDL cholesterol 107. His slurred speech has been improved a
little bit. The patient was transferred out based on his
stable neurologic exam. EKG
did not show any changes.
2. Hypertension: His blood pressure has been stable. This
did not need any treatment.
"""


def conditions(text: str) -> dict[str, float | None]:
    found = find_clinical(text_lines(text)).conditions
    return {c.name.lower(): c.confidence for c in found}


def test_no_problems_from_words_pronouns_and_fragments() -> None:
    found = conditions(SUMMARY)
    assert not JUNK & set(found), JUNK & set(found)
    assert {"hypertension", "urinary tract infection"} <= set(found)
    assert any("cerebrovascular accident" in name for name in found)
    assert all(score is not None and score >= REVIEW_BELOW for score in found.values())


def test_the_corpus_discharge_summary_gives_no_junk_problems() -> None:
    if not DISCHARGE.is_file():
        pytest.skip(f"corpus not found at {DISCHARGE} (tests read ../shared/corpus in place)")
    page = PageReading(1, 612, 792, DISCHARGE.read_text(), [], "", "", False)
    facts = extract([page])
    names = {c.name.lower() for c in facts.conditions}
    assert not JUNK & names, JUNK & names
    assert {"hypertension", "urinary tract infection", "hypercholesterolemia"} <= names
    labs = {(r.analyte, r.value.text) for r in facts.labs if r.category == "lab"}
    assert ("ldh", "12345") not in labs  # "Patient ID: 12345"
    assert ("sodium", "100") not in labs  # "Docusate sodium 100 mg"
    assert not [a for a, _ in labs if a == "salicylate"]  # "aspirin 325 mg"
    assert ("rbc", "34") not in labs  # "red blood cells 34" of a urinalysis
    assert ("ldl", "107") in labs and ("hdl", "22") in labs  # the real lipids stay
    medications = {m.name.lower() for m in facts.medications}
    assert {"docusate sodium", "aspirin", "zocor"} <= medications


@pytest.mark.parametrize(
    "item",
    [
        "Continue current antibiotics.", "DVT prophylaxis.", "Exercise daily.", "Same.",
        "Symptoms as above.", "It sounds like true obstructive events.", "been counseled",
        "Ventricular function: Normal.", "However, she is better.",
        "Alternatively, an MRI may be obtained.", "Vascular Invasion: Present.",
        "Manage as per pulmonologist.", "Ultrasound of the lower extremity negative for DVT.",
        "Intraoperative cholangiogram.", "Suspect atypical pneumonia.",
        "Numerous subcentimeter nodules seen within the lung bases.",
        "BUN and creatinine within normal limits.", "Ruled out pneumothorax, pneumonia, croup.",
        "Physical examination revealed normal heart and lungs.",
    ],
)  # fmt: skip
def test_plans_and_sentences_in_an_assessment_are_not_problems(item: str) -> None:
    assert conditions(f"ASSESSMENT AND PLAN:\n1. {item}\n") == {}


def test_list_items_that_name_problems_are_kept() -> None:
    found = conditions(
        "ASSESSMENT:\n1. Type 2 diabetes mellitus, uncontrolled.\n2. Headaches.\n"
        "3. Plantar fasciitis, right foot.\n4. COPD.\n5. Psychosocial.\n"
        "PAST MEDICAL HISTORY: Hypertension, hyperlipidemia and GERD.\n"
    )
    for name in ("headaches", "plantar fasciitis, right foot", "copd", "hypertension", "gerd"):
        assert name in found, found
    assert found["psychosocial"] is not None and found["psychosocial"] < REVIEW_BELOW  # unknown


def test_prose_mentions_wait_in_review() -> None:
    found = conditions(
        "HISTORY OF PRESENT ILLNESS: He was diagnosed with asthma as a child.\n"
        "ASSESSMENT:\n1. Hypertension.\n"
    )
    assert found["hypertension"] is not None and found["hypertension"] >= REVIEW_BELOW
    assert found["asthma"] is not None and found["asthma"] < REVIEW_BELOW


def test_a_long_denied_list_denies_its_last_items() -> None:
    found = conditions(
        "PAST MEDICAL HISTORY: Significant for hypertension. She denies liver disease, kidney "
        "disease, cirrhosis, hepatitis, diabetes mellitus, thyroid disease, bleeding disorders, "
        "prior DVT, HIV and gout.\n"
    )
    assert set(found) == {"hypertension"}


def test_procedures_findings_and_hypotheticals_are_not_problems() -> None:
    found = conditions(
        "PAST MEDICAL HISTORY: Bilateral cataract surgery. BPH.\n"
        "ASSESSMENT:\n1. Mildly abnormal chest x-ray.\n2. Holter monitor showing ectopic beat.\n"
        "3. Question of sleep apnea.\n4. Morbid obesity with a body mass index of 41.\n"
        "5. If he should have any fever or anything suggestive of infection, he will call.\n"
    )
    assert set(found) == {"bph", "morbid obesity"}, found


def test_medication_lists_give_no_schedule_words_or_diagnoses() -> None:
    facts = find_clinical(
        text_lines(
            "MEDICATIONS:\n1. Methotrexate 2.5 mg on\nWednesdays\nFridays\n2. Restasis.\n"
            "3. Refer\n4. Peripheral vascular disease\n5. P\n"
        )
    )
    names = {m.name.lower(): m.confidence for m in facts.medications}
    assert set(names) == {"methotrexate", "restasis"}, names
    assert names["methotrexate"] is not None and names["methotrexate"] >= REVIEW_BELOW
    assert names["restasis"] is not None and names["restasis"] < REVIEW_BELOW  # unknown name


@pytest.mark.parametrize(
    "text",
    [
        "ALLERGIES: VITAL SIGNS: Blood pressure 120/80.",
        "ALLERGIES: Denied.",
        "ALLERGIES: None reported.",
        "ALLERGIES: afebrile",
    ],
)
def test_allergy_sections_give_no_headings_or_denials_as_substances(text: str) -> None:
    allergies = find_clinical(text_lines(text)).allergies
    assert not [a for a in allergies if a.substance], allergies


# Junk classes of the narrative set's tuning half and of corpus notes outside the set, each
# with the text that produced it (../shared/corpus/notes, note ids in brackets).


def test_a_history_heading_alone_is_the_story_of_the_illness_not_a_problem_list() -> None:
    # [4536] "HISTORY:" opens the present illness: its denied list and its passing cough
    # were read as the patient's past problems.
    found = conditions(
        "HISTORY:\nThis is a 42-year old Caucasian male with no previous history of "
        "hypertension, diabetes mellitus, rheumatic fever, rheumatic heart disease, or gout. "
        "Patient used to take medicine for hyperlipidemia and then that was stopped. He said he "
        "has been having little cough at night and he went to see an allergy doctor who "
        "prescribed several medications for him and told him that he has asthma.\n"
        "PAST MEDICAL HISTORY:\nUnremarkable, except for hyperlipidemia.\n"
    )
    assert set(found) == {"hyperlipidemia"}, found  # the exception of "Unremarkable, except"
    assert (found["hyperlipidemia"] or 0) >= REVIEW_BELOW


def test_a_treatment_is_not_a_problem() -> None:
    # [3975] a past medical history naming the anticoagulant the patient is on
    found = conditions(
        "PAST MEDICAL HISTORY:\nStatus post artificial aortic valve implantation in summer of "
        "2002 and is on chronic Coumadin therapy.\nCOPD.\n"
    )
    assert set(found) == {"copd"}, found
    for item in ("Coumadin therapy.", "Aspirin daily.", "Insulin pump therapy.",
                 "Anticoagulation."):  # fmt: skip
        assert conditions(f"PAST MEDICAL HISTORY:\n1. {item}\n") == {}, item


def test_a_habit_the_patient_gave_up_is_no_problem_of_now() -> None:
    # [1299, tuning] "tobacco use" was read as a problem from the social history
    facts = find_clinical(
        text_lines(
            "SOCIAL HISTORY:\nHe has a history of tobacco use, which he quit at the age of 37. "
            "He has one alcoholic drink a day.\n"
        )
    )
    assert not facts.conditions, facts.conditions
    assert [(c.name, c.assertion) for c in facts.excluded] == [("tobacco use", "absent")]
    # a habit of now stays
    assert set(
        conditions("ADDITIONAL DISCHARGE DIAGNOSES:\n1. Chronic pain.\n2. Tobacco use.\n")
    ) == {"chronic pain", "tobacco use"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # [4682] "hypertension" was read from pulmonary hypertension of a newborn
        ("IMPRESSION:\nMy impression is that baby boy, XYZ, has significant pulmonary "
         "hypertension. The best therapy for this is to continue oxygen.\n",
         "pulmonary hypertension"),
        ("ASSESSMENT:\nHe has portal hypertension from his cirrhosis.\n", "portal hypertension"),
    ],
)  # fmt: skip
def test_a_known_term_after_a_body_site_is_the_site_s_disease(text: str, name: str) -> None:
    found = conditions(text)
    assert name in found, found
    assert "hypertension" not in found


def test_a_denial_wrapped_onto_the_next_printed_line_still_denies() -> None:
    # [14] the denied list of a past medical history, printed as a paragraph that wraps: each
    # wrapped line had escaped the "denies" of the line above
    found = conditions(
        "PAST MEDICAL HISTORY:\nSignificant for hypertension. The patient takes\n"
        "hydrochlorothiazide for this. She denies liver disease, kidney\n"
        "disease, cirrhosis, hepatitis, diabetes mellitus, thyroid disease, bleeding\n"
        "disorders, prior DVT, HIV and gout.\n"
    )
    assert set(found) == {"hypertension"}, found
    # [2492] "no history of heart attack or stroke", wrapped before "stroke"
    found = conditions(
        "PAST MEDICAL HISTORY:\nSignificant for hypertension and hyperlipidemia. There is no\n"
        "history of heart attack or\nstroke.\n"
    )
    assert "stroke" not in found and "hypertension" in found, found
    # one item a line, without punctuation, is a list: no line is read into the next
    coded = find_clinical(
        text_lines(
            "Diagnoses:\nE11.9 - Type 2 diabetes mellitus without complications\n"
            "Essential hypertension (I10)\n"
        )
    ).conditions
    assert {c.icd10 for c in coded} == {"E11.9", "I10"}


@pytest.mark.parametrize(
    "text",
    [
        # [2933] a temperature read as the ICD-10 code T36.9
        "PMH/FHX/SHX:\ncompletely unremarkable FHx.\nEXAM:\nBP152/82 HR74 RR16 T36.9C\n",
        # [3085] a protein's name opening a line read as a bare code
        "FINAL DIAGNOSIS:\nP53 immunohistochemical stain is negative in the tumor.\n",
    ],
)
def test_vital_signs_and_sentences_are_not_coded_diagnoses(text: str) -> None:
    assert not [c for c in find_clinical(text_lines(text)).conditions if c.icd10], text


@pytest.mark.parametrize(
    "item",
    [
        "Pleural invasion: Not identified.",  # [3087] a pathology finding stated absent
        "Visceral pleura: Not involved.",
        "Delivery at",  # [1889] a sentence of the birth history cut at its line's end
        "Head circumference 33 cm.",  # [1889] a measurement
        "Gave two week well-child check handout to Mom.",  # [1889] what the doctor did
        "Oral surgery for wisdom tooth extraction.",  # [2133] a procedure
        "Blood transfusion.",  # [3945]
        "Dulcolax suppository twice a week p.r.n.",  # [3619] a medicine as taken
        "Mom and family.",  # [4082]
        "Denied.",  # [4147]
    ],
)
def test_findings_fragments_procedures_and_doses_in_a_history_are_not_problems(
    item: str,
) -> None:
    assert conditions(f"PAST MEDICAL HISTORY:\n1. {item}\n") == {}, item


@pytest.mark.parametrize(
    ("item", "problem", "questioned"),
    [
        # [3907] a discharge diagnosis with what was to be ruled out run on after it
        ("Respiratory distress, rule out sepsis and prematurity.", "respiratory distress",
         "sepsis"),
        # [3966]
        ("Upper respiratory illness with apnea, possible pertussis.",
         "upper respiratory illness with apnea", None),
        ("Chest pain, r/o myocardial infarction.", "chest pain", "myocardial infarction"),
    ],
)  # fmt: skip
def test_what_is_to_be_ruled_out_is_no_part_of_the_problem(
    item: str, problem: str, questioned: str | None
) -> None:
    facts = find_clinical(text_lines(f"DISCHARGE DIAGNOSES:\n1. {item}\n"))
    assert [c.name.lower() for c in facts.conditions] == [problem]
    if questioned:
        assert (questioned, "possible") in {(c.name.lower(), c.assertion) for c in facts.excluded}


def test_a_list_item_without_a_word_of_disease_waits_in_review() -> None:
    # The held-out half's wrong problems were, in aggregate, mostly list items of plain words
    # (no known condition, no word of a disease) taken at 0.75; such items now wait for a
    # person, while items in the words of a diagnosis are shown.
    found = conditions(
        "ASSESSMENT:\n1. Good family support.\n2. Two week well child visit.\n"
        "3. Uterus enlargement.\n4. BRCA-2 mutation.\n5. Small uterine fibroids.\n"
    )
    for held in ("good family support", "two week well child visit"):
        assert (found[held] or 1.0) < REVIEW_BELOW, held
    for shown in ("uterus enlargement", "brca-2 mutation", "small uterine fibroids"):
        assert (found[shown] or 0.0) >= REVIEW_BELOW, shown


# Junk classes of corpus notes outside the narrative set (note ids in brackets), found by
# reading every problem extract() gave for them: each was read as the patient's problem.


@pytest.mark.parametrize(
    ("text", "questioned"),
    [
        # [1706] what may explain a finding, not what the patient has
        ("IMPRESSION:\nAn inflammatory process such as infection or ischemia must be "
         "considered.\n", "infection"),
        # [3297]
        ("ASSESSMENT AND PLAN:\n1. Hematuria. We will evaluate what is going on, which is "
         "probably just some BPH.\n", "bph"),
        # [4496]
        ("IMPRESSION:\n1. There is also the possibility of consistent obstructive sleep apnea "
         "and if symptoms worsen then we should consider doing a sleep study.\n",
         "obstructive sleep apnea"),
        # [3371]
        ("ASSESSMENT:\n1. Arthralgias that are suspicious for inflammatory arthritis.\n",
         "arthritis"),
        # [4997] what might happen
        ("ASSESSMENT/PLAN:\n1. Asthma. If her shortness of breath worsens she is to call me.\n",
         "shortness of breath"),
    ],
)  # fmt: skip
def test_a_hedge_or_a_condition_names_no_problem(text: str, questioned: str) -> None:
    facts = find_clinical(text_lines(text))
    assert questioned not in {c.name.lower() for c in facts.conditions}, facts.conditions
    assert (questioned, "possible") in {(c.name.lower(), c.assertion) for c in facts.excluded}


@pytest.mark.parametrize(
    "text",
    [
        # [1436] the risks of a procedure, a long list in one sentence
        "ASSESSMENT AND PLAN:\nI discussed the risks, benefits, and alternative of the procedure "
        "including material risks of bleeding, infection, neurovascular injury, dural tear, "
        "paralysis, hoarseness of voice, pseudoarthrosis, adjacent segment disease.\n",
        # [4281] a drug's side effects
        "IMPRESSION:\nToxicities have already been discussed with her including "
        "myelosuppression, mucositis, diarrhea, nausea, alopecia, neuropathy, constipation.\n",
        # [3157]
        "IMPRESSION AND PLAN:\nToxicities would include fatigue, nausea, and myelosuppression.\n",
    ],
)
def test_risks_and_side_effects_are_not_problems(text: str) -> None:
    assert conditions(text) == {}, text


@pytest.mark.parametrize(
    "text",
    [
        "ASSESSMENT:\n7. DVT prophylaxis will be maintained with Arixtra 2.5 mg.\n",  # [3917]
        # [3996] the disease names who teaches about it
        "ASSESSMENT:\nBlood glucose records are reviewed by the diabetes educator.\n",
        # [4082] a vaccine's dose
        "PAST MEDICAL HISTORY:\nDid well after delivery. Received hepatitis B #1 prior to "
        "dismissal.\n",
        # [4342] the operation for it, in a sentence of the history
        "PAST MEDICAL HISTORY:\nHe has had cataract surgery in the past.\n",
    ],
)
def test_a_disease_s_name_naming_something_else_is_no_problem(text: str) -> None:
    assert conditions(text) == {}, text


@pytest.mark.parametrize(
    "item",
    [
        "Axis II: Deferred.",  # [1787] a DSM axis's label before "nothing"
        "Essentially unremarkable.",  # [3111]
        "Recent aortic valve replacement with bioprosthetic Medtronic valve.",  # [3445]
        "Status post cadaveric kidney transplant with stable function.",  # [3004]
        "History of tubal ligation.",  # [3941]
        "Cardiopulmonary bypass.",  # [4635]
        "Insertion of a 23-mm Toronto stentless porcine valve.",  # [4635]
        "Pain management.",  # [3917]
        "Seems to be worse than in the past.",  # [4997] a sentence about the item above
    ],
)
def test_labels_nothing_procedures_and_sentences_in_a_list_are_not_problems(item: str) -> None:
    assert conditions(f"DISCHARGE DIAGNOSES:\n1. {item}\n") == {}, item


@pytest.mark.parametrize(
    ("item", "name"),
    [
        # a problem with its procedure after it stays (the procedure is no part of the check)
        ("Coronary artery disease, status post angioplasty and stent.",
         "coronary artery disease, status post angioplasty and stent"),
        ("Renal failure requiring dialysis.", "renal failure requiring dialysis"),
        # words that only end as an abbreviation of a test or a device does ("ct", "stent")
        ("Atrial septal defect.", "atrial septal defect"),
        ("Lacunar infarct.", "lacunar infarct"),
        ("Persistent cough.", "persistent cough"),
        ("Cataract.", "cataract"),
        # [1787] the label of the axis is no part of the name
        ("Axis III: Osteoporosis.", "osteoporosis"),
    ],
)  # fmt: skip
def test_problems_named_with_their_procedure_or_ending_like_one_are_kept(
    item: str, name: str
) -> None:
    assert name in conditions(f"DISCHARGE DIAGNOSES:\n1. {item}\n")


@pytest.mark.parametrize(
    "text",
    [
        # [4860] the tests that found a diagnosis are no list of diagnoses
        "LABORATORY AND DIAGNOSTIC DATA:\nEKG shows sinus bradycardia, intraventricular "
        "conduction defect.\nNonspecific ST-T changes.\n",
        # [3813] diagnoses still to tell apart are none of the patient's yet
        "DIFFERENTIAL DIAGNOSIS:\nVeno-occlusive crisis, and diskitis.\n",
    ],
)
def test_diagnostic_data_and_a_differential_are_no_problem_list(text: str) -> None:
    assert conditions(text) == {}, text


def test_a_piece_going_on_from_the_one_before_is_no_name_of_its_own() -> None:
    # [1382] and [1796]: "chronic with obesity" and "consistent with diabetic neuropathy"
    found = conditions(
        "ASSESSMENT:\n4. Low back pain, chronic with obesity.\n"
        "2. Some degree of peripheral neuropathy, consistent with diabetic neuropathy.\n"
    )
    assert {"low back pain", "obesity", "peripheral neuropathy"} <= set(found), found
    assert not [n for n in found if n.startswith(("chronic with", "consistent with"))], found


@pytest.mark.parametrize(
    "text",
    [
        # [3134] a habit told in the social history is no diagnosis
        "SOCIAL HISTORY:\nHe has about a 30-pack-a-year history of smoking. He used to drink "
        "alcohol heavily.\n",
        # [3143]
        "SOCIAL HISTORY:\nShe has a 20-pack year history of tobacco use. She has rare alcohol "
        "use.\n",
        # [3224] a habit of the past, in the story of the illness
        "HISTORY OF PRESENT ILLNESS:\nThe patient also has a positive history of smoking in the "
        "past.\n",
        # [3911] and in a past history
        "PAST MEDICAL HISTORY:\nPast history is significant for seven pregnancies and "
        "significant past history of tobacco use.\n",
    ],
)
def test_a_habit_told_or_given_up_is_no_problem(text: str) -> None:
    assert conditions(text) == {}, text
    # a habit a diagnosis list names stays (test_a_habit_the_patient_gave_up_…)


def test_a_title_run_into_its_first_item_opens_its_section() -> None:
    # [4635] "PROCEDURES PERFORMED,1. Insertion of …": the procedures were read as the items of
    # the postoperative diagnosis above them; [3977] "DIAGNOSES AT DISCHARGE,1. …"
    found = conditions(
        "POSTOPERATIVE DIAGNOSIS:\nAortic stenosis.\nPROCEDURES PERFORMED,1.  Insertion of a "
        "23-mm Toronto stentless porcine valve.\n2.  Cold cardioplegia arrest of the heart.\n"
        "DIAGNOSES AT DISCHARGE,1. Congestive heart failure.\n2. Hypothyroidism.\n"
    )
    assert set(found) == {"aortic stenosis", "congestive heart failure", "hypothyroidism"}


def test_a_high_likelihood_is_no_diagnosis() -> None:
    # [4904] "Reason being is high likelihood for GI bleeding"
    assert conditions("ASSESSMENT AND PLAN:\nReason being is high likelihood for GI bleeding, "
                      "especially given the diagnosis.\n") == {}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # [1452, tuning] a diagnosis the word list does not know, after "diagnosed with"
        ("HISTORY OF PRESENT ILLNESS:\nAfter several bone marrow biopsies, she was diagnosed "
         "with aplastic anemia.\n", "aplastic anemia"),
        # [1299, tuning] "who I am following for"
        ("HISTORY OF PRESENT ILLNESS:\nThis is a 64-year-old gentleman who I am following for "
         "essential thrombocytosis.\n", "essential thrombocytosis"),
        # [2462, tuning]
        ("EXAMINATION:\nShe is suffering from ongoing myofascitis.\n", "ongoing myofascitis"),
        # [1373, tuning] a known term the word list lacked
        ("ASSESSMENT:\nI feel that this patient has a febrile seizure.\n", "febrile seizure"),
    ],
)  # fmt: skip
def test_a_diagnosis_named_in_a_sentence_is_read_and_waits_in_review(text: str, name: str) -> None:
    found = conditions(text)
    assert name in found, found
    assert (found[name] or 1.0) < REVIEW_BELOW  # a sentence: a person confirms it


@pytest.mark.parametrize(
    "text",
    [
        # [2492] the heading of the story, not a history of an illness
        "PAST MEDICAL HISTORY:\nPlease see history of present illness. She has had surgeries.\n",
        "HISTORY OF PRESENT ILLNESS:\nShe has a history of possible pneumonia as a child.\n",
    ],
)
def test_present_illness_and_a_hedged_history_are_no_diagnosis(text: str) -> None:
    assert conditions(text) == {}, text


def test_medications_ordered_in_a_plan_and_a_listed_name_with_its_schedule() -> None:
    # [1340, 1399, tuning] an order of a product the drug list does not know: name, strength,
    # schedule; it waits in review
    facts = find_clinical(
        text_lines(
            "PLAN:\n1.  Duricef 1 g daily for seven days.\n2.  Cold packs to the area.\n"
            "Omnicef 300 mg daily for 10 days.  Samples are given.\n"
            "Recheck in 2 weeks.\nFollow up 3 months.\n"
            # [1419, tuning] the verb of the order and the product's form before its strength
            "TREATMENT:\n2.  Apply Aristocort ointment 0.1% and equal part of Polysporin "
            "ointment t.i.d. and p.r.n. itch.\n"
        )
    )
    names = {m.name.lower(): m.confidence for m in facts.medications}
    # the second product of the last order is read too (Polysporin, known, without strength)
    assert set(names) == {"duricef", "omnicef", "aristocort", "polysporin"}, names
    assert all(c is not None and c < REVIEW_BELOW for c in names.values())
    # [1299, tuning] "…, saw palmetto q.d., …" in a list; a dose after a comma stays the
    # item's ("Percocet 5, #40, one q.3 h. p.r.n. pain" [3139])
    listed = find_clinical(
        text_lines(
            "MEDICATIONS:\nFlomax q.d., vitamin D q.d, saw palmetto q.d., aspirin 81 mg q.d.\n"
            "Percocet 5, #40, one q.3 h. p.r.n. pain.\n"
        )
    ).medications
    assert [m.name.lower() for m in listed] == [
        "flomax", "vitamin d", "saw palmetto", "aspirin", "percocet",
    ]  # fmt: skip


def test_a_known_drug_said_to_be_taken_in_a_sentence_waits_in_review() -> None:
    # [3905, 4546, 3456] a known drug without a strength, in a sentence saying the patient
    # takes it: read, held for a person; its name is the drug's words only
    facts = find_clinical(
        text_lines(
            "HISTORY OF PRESENT ILLNESS:\nShe is on Lipitor for her high cholesterol. He is also "
            "on IV Levaquin. She takes Percocet for this pain and it does work.\n"
            # not taken: stopped, did not help, someone else's, a plan, denied
            "She was on Prozac for a while, but this was then stopped. She has taken Claritin "
            "and this did not help. Her husband takes Coumadin. We will consider starting "
            "metformin. She is not on aspirin.\n"
        )
    )
    names = {m.name.lower(): m.confidence for m in facts.medications}
    assert set(names) == {"lipitor", "levaquin", "percocet"}, names
    assert all(c is not None and c < REVIEW_BELOW for c in names.values())


def test_a_hedge_after_presumably_is_no_diagnosis() -> None:
    # [3831] "Omeprazole 20 mg p.o. daily presumably for GERD": a guess at a reason
    facts = find_clinical(
        text_lines(
            "IMPRESSION:\nShe gets short of breath with exertion, presumably from congestive "
            "heart failure, and we will obtain an echocardiogram.\n"
        )
    )
    assert "congestive heart failure" not in {c.name.lower() for c in facts.conditions}
    assert ("congestive heart failure", "possible") in {
        (c.name.lower(), c.assertion) for c in facts.excluded
    }


def test_a_sentence_the_page_wrapped_keeps_its_hedge_and_is_no_item() -> None:
    # [3297] "… which is probably just some" / "BPH." printed wrapped: the hedge reached no
    # further than the line; [4997] "If normal we will go back to yearly" / "Pap smear."
    found = conditions(
        "ASSESSMENT AND PLAN:\n1. Hematuria. Coumadin needs to be stopped, so we will evaluate "
        "what is going on, which is probably just some\nBPH. We will also obtain a repeat UA.\n"
        "2. Asthma. Pap smear is taken. We will notify the patient of results. If normal we "
        "will go back to yearly\nPap smear. She is scheduled for screening mammogram.\n"
    )
    assert "bph" not in found and "pap smear" not in found, found
    assert {"hematuria", "asthma"} <= set(found)


@pytest.mark.parametrize(
    ("text", "name", "said"),
    [
        # [3794] the relative named after the disease
        ("HISTORY OF PRESENT ILLNESS:\nThere is no family history of pancreatic cancer. There "
         "is a history of gallstone pancreatitis in the patient's sister.\n",
         "gallstone pancreatitis", "family"),
        # [2488] a worry about what may come
        ("ASSESSMENT:\nShe is concerned that this is a precursor for another generalized "
         "seizure.\n", "seizure", "possible"),
    ],
)  # fmt: skip
def test_a_relative_named_after_it_or_a_worry_is_no_problem_of_the_patient(
    text: str, name: str, said: str
) -> None:
    facts = find_clinical(text_lines(text))
    assert name not in {c.name.lower() for c in facts.conditions}, facts.conditions
    assert (name, said) in {(c.name.lower(), c.assertion) for c in facts.excluded}


@pytest.mark.parametrize(
    ("text", "junk", "kept"),
    [
        # [4772] a catheterization's impression: what the angiogram showed
        ("IMPRESSION:\n1.  Severe two-vessel coronary artery disease.  Dominant circumflex "
         "system.\n", "dominant circumflex system", "coronary artery disease"),
        # [2641] a CT's impression
        ("IMPRESSION:\n1.  Uterine fibroids.\n2.  Prominent endometrium.\n",
         "prominent endometrium", "uterine fibroids"),
        # [1742] a mammogram's
        ("IMPRESSION:\n1.  Fibroadenoma.\n2.  Suspicious mammographic findings.\n",
         "suspicious mammographic findings", "fibroadenoma"),
        # [3892] a newborn: who the baby is, and the mother's culture
        ("ADMITTING DIAGNOSES:\n1. Prematurity.\n2. Appropriate for gestational age.\n"
         "3. Maternal group B streptococcus positive culture.\n",
         "appropriate for gestational age", "prematurity"),
        ("ADMITTING DIAGNOSES:\n1. Prematurity.\n2. Appropriate for gestational age.\n"
         "3. Maternal group B streptococcus positive culture.\n",
         "maternal group b streptococcus positive culture", "prematurity"),
        # [2543] why the operation was done
        ("PREOPERATIVE DIAGNOSIS:\nSterilization candidate.\n", "sterilization candidate", None),
    ],
)  # fmt: skip
def test_what_a_test_showed_or_who_the_patient_is_is_no_problem(
    text: str, junk: str, kept: str | None
) -> None:
    found = {c.name.lower() for c in find_clinical(text_lines(text)).conditions}
    assert junk not in found, found
    assert kept is None or any(kept in name for name in found), found


def test_how_long_the_present_illness_has_lasted_is_no_history_of_a_diagnosis() -> None:
    # [3975] "a 3-day history of increased cough", [3813] "3-day history of back pain": the
    # illness that brought the patient in; "history of bronchospasm" and a years-long history
    # are diagnoses (held for review as read in prose)
    text = (
        "HISTORY OF PRESENT ILLNESS:\nA 67-year-old male with COPD and history of bronchospasm, "
        "who presents with a 3-day history of increased cough, respiratory secretions, "
        "wheezings, and shortness of breath. He comes to the emergency room on his own with "
        "3-day history of back pain. She has a 6-year history of rheumatoid arthritis.\n"
    )
    facts = find_clinical(text_lines(text))
    found = {c.name.lower(): c for c in facts.conditions}
    assert "increased cough" not in found and "back pain" not in found, found
    assert {"bronchospasm", "rheumatoid arthritis"} <= set(found), found
    assert all(c.confidence is not None and c.confidence < REVIEW_BELOW for c in found.values())


def test_what_an_image_showed_in_a_report_s_impression_is_no_problem() -> None:
    # Written in the shape of the corpus's imaging and echo reports (e.g. [2641] CT, [4816]
    # echocardiogram): findings without a word of disease are no problems, nor a measurement
    # ending on a percent sign ("… of 55%" was missed: no word boundary after "%")
    found = conditions(
        "IMPRESSION:\n1.  Colonic diverticulosis.\n2.  Small amount of free fluid in the "
        "pelvis.\n3.  Mild degenerative changes of the lumbar spine.\n4.  Mildly dilated loops "
        "of small bowel.\n5.  Left ventricular ejection fraction of 55%.\n6.  Trace mitral "
        "regurgitation.\n7.  Moderate stool burden.\n8.  Bibasilar atelectasis.\n"
    )
    assert set(found) == {"colonic diverticulosis", "bibasilar atelectasis"}, found


def test_the_topics_a_plan_is_written_under_are_no_problems() -> None:
    # Written in the shape of a hospital day's plan and of a wellness visit's assessment:
    # what the item is about, not what the patient has
    found = conditions(
        "ASSESSMENT AND PLAN:\n1.  Tachycardia.\n2.  Health maintenance.\n3.  Preoperative "
        "evaluation.\n4.  Well-child check.\n5.  Routine physical examination.\n6.  Pain "
        "control.\n7.  Nutrition.\n8.  Disposition.\n9.  Code status, full code.\n10.  Fluid, "
        "electrolytes and nutrition.\n11.  Advance directives.\n12.  Noncompliance.\n"
    )
    assert set(found) == {"tachycardia", "noncompliance"}, found


@pytest.mark.parametrize(
    ("text", "name", "said"),
    [
        # written in the shape of an assessment's sentences: a doubt, a screening, a
        # prevention and a teaching name no condition of the patient
        ("ASSESSMENT:\n1.  Abdominal pain. I doubt that this represents appendicitis.\n",
         "appendicitis", "absent"),
        ("ASSESSMENT:\n1.  Menopause. We will screen her for osteoporosis with a DEXA scan.\n",
         "osteoporosis", "possible"),
        ("ASSESSMENT:\n1.  Hypertension. I explained the signs of stroke and told her to call "
         "911.\n", "stroke", "possible"),
        ("ASSESSMENT:\n1.  Atrial fibrillation. We discussed how to prevent a stroke.\n",
         "stroke", "possible"),
    ],
)  # fmt: skip
def test_a_doubt_a_screening_or_a_teaching_names_no_problem(
    text: str, name: str, said: str
) -> None:
    facts = find_clinical(text_lines(text))
    assert name not in {c.name.lower() for c in facts.conditions}, facts.conditions
    assert (name, said) in {(c.name.lower(), c.assertion) for c in facts.excluded}
    assert facts.conditions, "the problem the item names is kept"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # [1348] a patch with its strength after "at"; a known drug given by a route at the
        # end of a list of what she is on
        ("HISTORY OF PRESENT ILLNESS:\nThe patient's home regimen includes Duragesic patch at "
         "125 mcg every 3 days.  She is currently on a Dilaudid PCA of 1 mg every 10 minutes "
         "lockout, Dilaudid boluses 2 mg q.3 h. p.r.n., Ativan 2 mg q.4 h., Tylenol per "
         "rectum.\n", {"duragesic", "ativan", "tylenol"}),
        # [1399] a drug the plan allows
        ("PLAN:\nOmnicef 300 mg daily for 10 days.  May use some Zyrtec for the itching.  "
         "Samples are given.\n", {"omnicef", "zyrtec"}),
        # [1419] a second product in one order
        ("TREATMENT:\n1.  Discussed further treatment with the patient and her interpreter.\n"
         "2.  Apply Aristocort ointment 0.1% and equal part of Polysporin ointment t.i.d. and "
         "p.r.n. itch.\n3.  Discontinue hot soapy water.\n", {"aristocort", "polysporin"}),
    ],
)  # fmt: skip
def test_medications_said_in_a_plan_or_given_by_a_route_are_read(
    text: str, names: set[str]
) -> None:
    found = {m.name.lower(): m for m in find_clinical(text_lines(text)).medications}
    assert names <= set(found), found
    for name in names:  # without a strength, each waits for a person
        medication = found[name]
        assert medication.strength or needs_review(medication.confidence), medication


@pytest.mark.parametrize(
    "text",
    [
        "PLAN:\nIf she has a fever, give Tylenol per rectum.\n",
        "PLAN:\nShe may not use Zyrtec while pregnant.\n",
        "MEDICATIONS:\nAlbuterol p.r.n. q.i.d.\nHISTORY:\nHe stopped Tylenol per rectum.\n",
    ],
)
def test_a_drug_given_if_or_denied_is_not_read_from_prose(text: str) -> None:
    names = {m.name.lower() for m in find_clinical(text_lines(text)).medications}
    assert "tylenol" not in names and "zyrtec" not in names, names


def test_a_speck_read_as_a_full_stop_between_words_is_a_space() -> None:
    # [3911, extra set, scanned] "Microinvasive carcinoma of.the cervix"
    found = conditions("DISCHARGE DIAGNOSIS: , Microinvasive carcinoma of.the cervix.\n")
    assert "microinvasive carcinoma of the cervix" in found, found


# The examination of a SOAP note under its one-letter heading ("O:") after a history section:
# its findings were read as problems of the history ("NAD. Heart: RRR. Lungs: CTA. HEENT:
# Unremarkable", "Psych: No suicidal, homicidal ideations", "Answering questions
# appropriately").
SOAP = """S: Here with his mom for several complaints. He is also being seen for ADHD.
PAST MEDICAL/SURGICAL/SOCIAL HISTORY: Reviewed and unchanged.
O: VSS. In general, patient is A&Ox3. NAD. Heart: RRR. Lungs: CTA. HEENT: Unremarkable.
Psych: No suicidal, homicidal ideations. Answering questions appropriately.
A: Shoulder strain.
P: 72
"""


def test_the_examination_of_a_soap_note_gives_no_problems() -> None:
    found = conditions(SOAP)
    assert not [name for name in found if "nad" in name or "psych" in name], found
    assert "answering questions appropriately" not in found
    assert "shoulder strain" in found  # "A:" is the assessment


# An assessment that remarks on each diagnosis after it: after a glued hyphen ("Chest
# pain-Mild", read as a problem named so) or in the item's next sentences ("Hypertension.
# Blood pressure controlled.", read as a problem "Blood pressure controlled").
REMARKS = """IMPRESSION:
1. Chest pain-Mild. Her EKG is mildly abnormal.
2. PAF-Due to hypertension and hypokalemia. Staying in sinus rhythm.
3. Dyslipidemia-Samples of Crestor given.
4. Hypertension. Blood pressure controlled.
5. Wolff-Parkinson-White syndrome.
6. Gait stable.
"""


def test_a_remark_after_a_diagnosis_is_no_part_of_its_name_nor_a_problem() -> None:
    found = conditions(REMARKS)
    assert {"chest pain", "paf", "dyslipidemia", "hypertension"} <= set(found), found
    assert "wolff-parkinson-white syndrome" in found  # the hyphens of a name stay
    assert not [n for n in found if n.startswith(("chest pain-", "paf-", "blood pressure"))]
    assert "gait stable" not in found


def test_a_small_postvoid_residual_is_a_finding_not_a_problem() -> None:
    found = conditions("IMPRESSION:\n1. Normal renal ultrasound.\n2. Small postvoid residual.\n")
    assert "small postvoid residual" not in found, found
