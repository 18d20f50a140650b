"""A second tuning set for problems read from free text (bench/narrative.py --extra),
written on 2026-12-06 AFTER the held-out split of narrative_truth.py was fixed and its
held-out figures seen: it exists so that rules are tuned on notes that are neither half of
the precision set (none of its 40 notes is here), and the held-out half stays untouched.

Which notes, fixed before any result was seen (`EXTRA_KINDS`, `extra_chosen` in
narrative.py): rows of mtsamples_subset.csv of the visit-note kinds in EXTRA_KINDS (discharge
summaries, consults and H&Ps, progress notes, office notes, emergency reports, general
medicine), exact duplicates dropped, not in the precision set, sorted by note_id as a
number: every one of 500-2,000 characters (27 notes) and the first 8 of 2,000-3,000; and
then every note of 500-2,000 characters of the precision set's other kinds (REPORT_KINDS:
cardiac and pulmonary, renal and endocrine notes, many of them reports of a test, whose
impressions list findings) outside the set (11 notes).

Truth is problems only (the patient's own conditions: assessment, diagnoses, history, and
conditions the narrative says the patient has), read by a person; symptoms that brought the
patient in, findings, procedures and what is arguable are `optional` ("problems:term"),
counting neither way. Same matching as narrative_truth ("a|b", word-wise containment).
"""

from __future__ import annotations

from narrative_truth import NoteTruth

EXTRA_KINDS = frozenset(
    {
        "Discharge Summary",
        "Consult - History and Phy.",
        "SOAP / Chart / Progress Notes",
        "General Medicine",
        "Emergency Room Reports",
        "Office Notes",
    }
)
REPORT_KINDS = frozenset({"Cardiovascular / Pulmonary", "Nephrology", "Endocrinology"})
EXTRA_LONG = 8  # how many notes of 2,000-3,000 characters join the set


def _p(*problems: str, optional: tuple[str, ...] = ()) -> NoteTruth:
    return NoteTruth(problems=problems, optional=tuple(f"problems:{o}" for o in optional))


EXTRA_TRUTH: dict[str, NoteTruth] = {
    "3415": _p(
        "nausea",
        "abdominal pain",
        "migraine headache|migraine",
        optional=("diverticulosis", "gastritis", "diarrhea", "swelling", "headache", "neck pain"),
    ),
    "3423": _p("mesothelioma", optional=("smoking", "chronic pain", "pain")),
    "3803": _p(optional=("cardiac arrest", "hematoma")),
    "3870": _p(optional=("ankle pain", "ankle injury")),
    "3878": _p(optional=("left neglect", "neglect")),
    "3882": _p(
        "difficulty voiding",
        "enlarged prostate|bladder neck obstruction",
        optional=("granulomatous disease", "hematuria"),
    ),
    "3889": _p(optional=("cognitive-linguistic deficit", "cognitive linguistic deficit")),
    "3898": _p("traumatic brain injury", "cervical musculoskeletal strain"),
    "3900": _p("thyroid goiter|goiter"),
    "3911": _p(
        "microinvasive carcinoma of the cervix|carcinoma of the cervix",
        optional=("tobacco use", "abnormal pap smear", "urinary tract infection"),
    ),
    "3913": _p("painful right knee|knee pain", optional=("soreness",)),
    "3915": _p(
        "menometrorrhagia",
        "dysmenorrhea",
        "uterine fibroids|uterine fibroid",
        "menorrhagia",
        "reflux",
    ),
    "3920": _p(
        "menorrhagia",
        "uterus enlargement|uterine enlargement",
        "pelvic pain",
        optional=("back pain", "dysuria", "abnormal menstrual bleeding"),
    ),
    "3922": _p("morbid obesity", "hypertension", "obstructive sleep apnea"),
    "3928": _p(
        "ectopic pregnancy",
        "anemia",
        optional=("hemoperitoneum", "pelvic pain", "vaginal bleeding", "abdominal pain"),
    ),
    "3975": _p(
        "copd|chronic obstructive pulmonary disease",
        "bronchospasm",
        "hypertension",
        "elevated cholesterol|hypercholesterolemia",
        "asthmatic bronchitis|bronchitis",
        optional=("cough", "shortness of breath", "wheezing", "wheezings"),
    ),
    "3977": _p(
        "copd|chronic obstructive pulmonary disease",
        "acute bronchitis|bronchitis",
        "congestive heart failure",
        "atherosclerotic cardiovascular disease",
        "dementia",
        "hypothyroidism",
        "oxygen dependent",
        optional=("fluid overload",),
    ),
    "3981": _p(
        "cellulitis",
        "open wound",
        "chronic pain",
        "tobacco use",
        "hepatitis c",
        optional=("cirrhosis", "edema", "venostasis", "smoking"),
    ),
    "3983": _p(optional=("angina", "hypertension", "blood pressure", "t-wave abnormalities")),
    "3985": _p("brca-2 mutation"),
    "3987": _p(
        "coronary artery disease",
        "chest pain",
        "diabetes",
        "hypertension",
        "obesity",
        "lesion",
        "deconditioning",
        optional=("amaurosis fugax", "lvh", "shortness of breath", "myocardial infarction"),
    ),
    "4394": _p(
        "parkinson disease|parkinson",
        optional=("decreased level of consciousness", "decreased mental status", "lacerations"),
    ),
    "4465": _p(optional=("hypoglycemia",)),
    "4475": _p(optional=("elevated cholesterol", "lipids")),
    "4506": _p(
        "anxiety disorder",
        "disc disruption",
        "facet joint syndrome",
        "back pain",
        optional=("radicular symptoms",),
    ),
    "4536": _p(
        "hyperlipidemia",
        "chest pain",
        "asthma",
        optional=("cough",),
    ),
    "4567": _p(
        "diabetes",
        "arthritis",
        "hemorrhoids",
        "obesity",
        optional=("alcohol addiction", "smoking", "shortness of breath", "back pain"),
    ),
    "1288": _p(
        "uterine papillary serous carcinoma",
        optional=("numbness", "gonadal vein thrombosis", "urinary incontinence", "mole"),
    ),
    "1307": _p(
        "numbness and tingling|numbness|tingling",
        "diabetes",
        optional=("carpal tunnel syndrome", "carpal tunnel", "arthritis", "blood pressure"),
    ),
    "1315": _p(
        "copd|chronic obstructive pulmonary disease",
        "emphysema",
        "hypoxemia",
        "depression",
        "schizophrenia",
        optional=("psychiatric problems", "cough", "shortness of breath"),
    ),
    "1319": _p(
        "q-fever endocarditis|endocarditis",
        optional=("loose stools", "obesity", "enlarged spleen", "pseudoaneurysm", "murmur"),
    ),
    "1365": _p(
        "hypertension",
        "syncope",
        "spinal stenosis",
        "back pain",
        "polyneuropathy",
        optional=("rash", "nocturia"),
    ),
    "1395": _p(
        "subglottic stenosis",
        optional=("acid reflux", "reflux", "retching", "diarrhea"),
    ),
    "1403": _p(
        "tibial plateau fracture",
        "metatarsal head fractures",
        "spinal stenosis",
        "neuropathy",
        optional=("paresthesias",),
    ),
    "1407": _p(
        "erectile dysfunction",
        "elevated psa",
        optional=("high grade pin", "high-grade pin"),
    ),
    "3801": _p("diabetes", optional=("low blood glucoses",)),
    "4651": _p("malignant pleural effusion|pleural effusion", "dyspnea"),
    "4682": _p(
        "pulmonary hypertension",
        optional=(
            "increasing oxygen requirement",
            "ductus arteriosus",
            "foramen ovale",
            "jaundiced",
        ),
    ),
    "4697": _p(),
    "4711": _p(),
    "4727": _p(optional=("perfusion defect", "scar", "hypokinesis")),
    "4816": _p(
        "cva",
        optional=(
            "left ventricular hypertrophy",
            "mitral annular calcification",
            "diastolic dysfunction",
            "dilated",
        ),
    ),
    "4845": _p(
        "adenocarcinoma",
        optional=(
            "adenopathy",
            "pulmonary nodules",
            "pulmonary neoplasm",
            "infiltrate",
            "collapse",
        ),
    ),
    "4875": _p("chest pain", "elevated liver enzymes", "acid reflux disease|reflux"),
    "4889": _p("atrial fibrillation"),
    "4948": _p("atelectasis", "mucous plugging"),
}
