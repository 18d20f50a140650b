"""Truth for the narrative precision set (bench/narrative.py): facts read by a person from
notes of ../shared/corpus/notes/mtsamples_subset.csv, keyed by the corpus row's note_id.

Which notes, fixed before any result was seen (`chosen`): rows of the visit-note kinds in
SPECIALTIES whose transcription is 500-2,000 characters, sorted by note_id as a number, exact
duplicates of an earlier row's text dropped, the first 40. The split, fixed the same way:
sorted position even -> "tuning", odd -> "held-out" (nobody tunes on held-out notes or
looks at their misses). Every note is printed born-digital and also scanned, so half of the
PDFs read are scans (until 2026-12-06 only positions 0, 1 of every 4 were scanned).

What the truth holds, per note:
  labs        (accepted analyte keys, value): results printed in the note, earlier dated
              ones included ("his platelet count was 1,240,000" on a given day is a result);
  vitals      (kind, value as printed, "112/74" for blood pressure);
  medications names the patient takes, took during the stay or is prescribed here;
  problems    the patient's own conditions (assessment, history, diagnoses); "a|b" accepts
              either spelling; a found condition matches when one contains the other;
  allergies   substances, or "none" for a none-known statement.
  optional    facts that are right if read but too arguable to demand ("kind:term", e.g. a
              procedure in past history, a result of another specimen, a past medicine):
              they count neither way.
Anything read that matches neither truth nor optional is a wrong fact.
"""

from __future__ import annotations

from dataclasses import dataclass

SPECIALTIES = frozenset(
    {
        "Discharge Summary",
        "Consult - History and Phy.",
        "SOAP / Chart / Progress Notes",
        "General Medicine",
        "Emergency Room Reports",
        "Office Notes",
        "Nephrology",
        "Endocrinology",
        "Cardiovascular / Pulmonary",
    }
)
SIZE = 40


@dataclass(frozen=True)
class NoteTruth:
    labs: tuple[tuple[tuple[str, ...], float], ...] = ()
    vitals: tuple[tuple[str, str], ...] = ()
    medications: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


NONE: tuple[str, ...] = ("none",)
WBC = ("wbc",)
HGB = ("hemoglobin",)
HCT = ("hematocrit",)
PLT = ("platelets",)

TRUTH: dict[str, NoteTruth] = {
    "20": NoteTruth(
        medications=("prevacid", "humulin", "diprivan", "proventil", "unasyn", "solu-medrol"),
        problems=("diabetes", "hypertension", "asthma", "cataract"),
        allergies=NONE,
        optional=(
            "problems:cholecystectomy",
            "problems:hysterectomy",
            "problems:foreign body",
            "problems:airway compromise",
        ),
    ),
    "1295": NoteTruth(
        medications=("singulair",),
        optional=(
            "problems:tethered cord",
            "problems:lipomyomeningocele",
            "problems:asthma",
            "problems:leg pain",
            "problems:sensory loss",
            "medications:advil",
            "medications:motrin",
            "medications:tylenol",
        ),
    ),
    "1299": NoteTruth(
        labs=((PLT, 1240000), (PLT, 766000)),
        medications=("hydrea", "flomax", "vitamin d", "saw palmetto", "aspirin", "vitamin c"),
        problems=("essential thrombocytosis|thrombocytosis", "bph"),
        allergies=NONE,
        optional=(
            "problems:appendectomy",
            "problems:tonsillectomy",
            "problems:adenoidectomy",
            "problems:cataract",
            "problems:jak-2",
        ),
    ),
    "1324": NoteTruth(
        problems=("adenocarcinoma of the prostate|adenocarcinoma",),
        optional=("problems:urinary obstruction", "problems:debility"),
    ),
    "1332": NoteTruth(
        problems=("plantar fascitis|plantar fasciitis|heel spur",),
        optional=(
            "problems:diabetic",
            "problems:diabetes",
            "problems:painful right heel",
            "medications:lidocaine",
            "medications:dexamethasone",
        ),
    ),
    "1336": NoteTruth(
        vitals=(("blood_pressure", "112/74"), ("heart_rate", "70"), ("weight", "223")),
        medications=(
            "tapazole",
            "atenolol|chlorthalidone",
            "micro-k",
            "lanoxin",
            "spironolactone",
            "crestor",
            "famotidine",
            "aspirin",
            "vicodin",
            "nexium",
        ),
        problems=(
            "paroxysmal atrial fibrillation|pafib|paf",
            "chest pain",
            "pedal edema",
            "hypertension",
            "hyperthyroidism|hyperthyroid",
            "hypokalemia",
            "dyslipidemia",
            "lvh|left ventricular hypertrophy",
            "menometrorrhagia",
        ),
        optional=(
            "vitals:heart_rate:58",
            "problems:acid reflux",
            "problems:sinus bradycardia",
            "problems:edema",
            "problems:murmur",
        ),
    ),
    "1340": NoteTruth(
        vitals=(("weight", "150"), ("blood_pressure", "122/82")),
        medications=(
            "maxzide",
            "climara",
            "multivitamin",
            "tums",
            "claritin",
            "vitamin c",
            "duricef",
            "hydrocortisone",
        ),
        problems=("insect bite|spider bite", "lymphangitis"),
        allergies=NONE,
        optional=("problems:contact dermatitis", "problems:dermatitis", "problems:erythema"),
    ),
    "1344": NoteTruth(
        problems=("osteoarthritis", "flexion contracture"),
        optional=("problems:knee pain", "problems:stiffness", "problems:weakness"),
    ),
    "1348": NoteTruth(
        medications=("duragesic", "dilaudid", "ativan", "tylenol"),
        optional=("problems:abdominal pain", "problems:anxiety"),
    ),
    "1369": NoteTruth(
        medications=("flomax", "aspirin", "lortab"),
        problems=("hematuria", "bph", "atrial fibrillation", "stroke"),
        optional=(
            "medications:coumadin",
            "medications:saline",
            "problems:degenerative disease",
            "problems:back pain",
            "problems:dysuria",
            "problems:buttock pain",
            "problems:leg pain",
        ),
    ),
    "1373": NoteTruth(
        labs=((WBC, 9.8),),
        vitals=(("temperature", "102"), ("temperature", "104.5")),
        problems=("febrile seizure",),
        optional=(
            "labs:csf glucose:68",
            "labs:csf protein:16",
            "problems:pneumonia",
            "problems:strep",
            "problems:seizure",
            "medications:penicillin",
        ),
    ),
    "1377": NoteTruth(
        medications=("adderall", "zoloft"),
        problems=("adhd",),
        optional=(
            "problems:strep throat",
            "problems:sore throat",
            "problems:anger",
            "problems:numbness",
            "problems:postnasal drip",
        ),
    ),
    "1399": NoteTruth(
        medications=("omnicef", "zyrtec", "benadryl"),
        problems=("fifth disease", "sinusitis", "asthma"),
        optional=("problems:allergies", "problems:headache", "problems:rash"),
    ),
    "1415": NoteTruth(
        medications=("lantus", "humalog"),
        problems=("diabetes",),
        optional=("problems:low blood glucose", "problems:fatigue", "medications:insulin"),
    ),
    "1419": NoteTruth(
        medications=("aristocort", "claritin", "zyrtec", "polysporin", "keflex"),
        problems=("hand eczema|hand dermatitis|eczema|dermatitis", "asthma", "hives", "psoriasis"),
        allergies=NONE,
        optional=("problems:sinus", "medications:cetaphil", "problems:fissures"),
    ),
    "1440": NoteTruth(
        vitals=(("heart_rate", "80"), ("blood_pressure", "130/70")),
        medications=("hydrochlorothiazide", "k-dur"),
        problems=("essential hypertension|hypertension",),
        optional=("problems:heart attack", "problems:intracranial pathology"),
    ),
    "1444": NoteTruth(
        problems=("macular degeneration", "cataract"),
        optional=("problems:nuclear sclerosis", "problems:choroidal neovascularization"),
    ),
    "1448": NoteTruth(
        medications=("abilify", "luvox"),
        problems=("asperger disorder|asperger", "obsessive compulsive disorder|ocd"),
        optional=("medications:zoloft", "problems:depressed", "problems:tremor"),
    ),
    "1452": NoteTruth(
        labs=((("cyclosporine",), 555), (WBC, 3.4), (HGB, 10.7), (PLT, 49000)),
        medications=(
            "folic acid",
            "aciphex",
            "miralax",
            "trazodone",
            "prednisone",
            "bactrim",
        ),
        problems=(
            "aplastic anemia",
            "pancytopenia",
            "hypertension",
            "gerd",
            "osteoarthritis",
            "esophageal stricture",
        ),
        allergies=NONE,
        optional=(
            "medications:cyclosporine",
            "problems:acute kidney injury",
            "problems:cyclosporine toxicity",
            "problems:tonsillectomy",
            "problems:hysterectomy",
            "problems:cataract",
        ),
    ),
    "2451": NoteTruth(
        medications=(
            "cellcept",
            "cyclosporine",
            "prednisone",
            "hydralazine",
            "pantoprazole",
            "glipizide",
            "aspirin",
        ),
        problems=(
            "orthostatic hypotension",
            "bradycardia",
            "diabetes",
            "polycystic kidney disease",
            "hypertension",
            "renal osteodystrophy",
            "iron deficiency anemia",
            "cataract",
            "extremity pain",
            "hyperlipidemia",
        ),
        optional=(
            "medications:cymbalta",
            "problems:renal transplant",
            "problems:cerebrovascular",
            "problems:uterine fibroids",
            "problems:hysterectomy",
            "problems:dizziness",
            "problems:disequilibrium",
            "problems:anhedonia",
            "problems:autonomic dysfunction",
            "problems:blunted affect",
        ),
    ),
    "2454": NoteTruth(
        optional=(
            "problems:sinusitis",
            "problems:tonsillitis",
            "problems:adenoiditis",
            "problems:snoring",
            "problems:sinus infections",
            "problems:throat infections",
            "problems:fatigue",
            "medications:augmentin",
            "medications:lortab",
            "medications:ibuprofen",
        ),
    ),
    "2459": NoteTruth(),
    "2462": NoteTruth(
        problems=("myofascitis",),
        optional=("problems:spasm", "problems:trigger points"),
    ),
    "2469": NoteTruth(),
    "2472": NoteTruth(),
    "2475": NoteTruth(),
    "2478": NoteTruth(),
    "2495": NoteTruth(
        labs=((("hba1c",), 10),),
        vitals=(
            ("blood_pressure", "140/70"),
            ("heart_rate", "76"),
            ("respiratory_rate", "18"),
            ("weight", "226"),
        ),
        medications=(
            "glyburide",
            "avandia",
            "metformin",
            "lisinopril",
            "lipitor",
            "aspirin",
            "metoprolol",
            "zonegran",
        ),
        problems=(
            "diabetes",
            "hypertension",
            "elevated lipids|hyperlipidemia",
            "diabetic retinopathy",
            "diabetic neuropathy",
        ),
        optional=(
            "problems:cva",
            "problems:ulnar neuropathy",
            "problems:carpal tunnel",
            "problems:neuropathy",
            "problems:headache",
        ),
    ),
    "2498": NoteTruth(
        vitals=(
            ("blood_pressure", "135/70"),
            ("respiratory_rate", "18"),
            ("heart_rate", "70"),
            ("weight", "258"),
        ),
        medications=("buspar", "diovan", "lotrel", "zetia", "ambien", "fosamax"),
        problems=(
            "hypertension",
            "morbid obesity|obesity",
            "osteoarthritis",
            "obstructive sleep apnea|sleep apnea",
            "backache|disc herniation",
        ),
        optional=("problems:orthopnea", "problems:pedal edema", "problems:shortness of breath"),
    ),
    "2975": NoteTruth(optional=("problems:uti", "problems:urinary tract infection")),
    "3027": NoteTruth(
        problems=("cholelithiasis|gallstone",),
        optional=(
            "problems:fluid collection",
            "problems:pelvic abscess",
            "problems:ileostomy",
            "problems:abdominal pain",
        ),
    ),
    "3032": NoteTruth(
        problems=("cholelithiasis|gallstones", "atelectasis"),
        optional=(
            "problems:cystic lesion",
            "problems:pancreatic neoplasm",
            "problems:lesion",
            "problems:abdominal pain",
            "problems:nausea",
        ),
    ),
    "3043": NoteTruth(
        problems=("pleural effusions|pleural effusion",),
        optional=("problems:cystic lesion", "medications:coumadin", "problems:kidney"),
    ),
    "3209": NoteTruth(
        labs=((PLT, 10), (PLT, 43)),
        medications=("prednisone", "calcium", "vitamin d"),
        problems=("immune thrombocytopenia|thrombocytopenia", "osteoporosis"),
        optional=("medications:bisphosphonate", "problems:petechial"),
    ),
    "3246": NoteTruth(),
    "3260": NoteTruth(
        labs=(
            (("alt",), 93),
            (("ast",), 35),
            (("bilirubin_total",), 1.2),
            (HGB, 14.1),
            (HCT, 48.7),
        ),
        medications=("phenergan", "zofran", "rocephin", "maalox"),
        problems=("hyperemesis gravidarum",),
        optional=(
            "labs:ua_ketones",
            "labs:ua_protein",
            "problems:nausea",
            "problems:vomiting",
            "problems:bladder infection",
            "problems:elevated alt",
            "problems:pregnancy",
            "problems:low sodium",
        ),
    ),
    "3304": NoteTruth(
        labs=(
            (WBC, 12.5),
            (HGB, 12),
            (HCT, 37),
            (PLT, 199000),
            (("glucose",), 157),
            (("bun",), 14),
            (("creatinine",), 0.6),
            (("sodium",), 131),
            (("potassium",), 4.0),
            (("co2",), 31),
        ),
        vitals=(("heart_rate", "58"), ("blood_pressure", "110/56")),
        problems=(
            "small bowel obstruction",
            "paralytic ileus|ileus",
            "pulmonary fibrosis",
            "leukocytosis",
            "pedal swelling",
            "hyponatremia",
        ),
        optional=("labs:wbc:20000", "problems:obstipation", "problems:prophylaxis"),
    ),
    "3313": NoteTruth(
        labs=(
            (("ck",), 200),
            (("troponin", "troponin_i", "troponin_t"), 2.3),
            (("glucose",), 93),
            (("bun",), 55.7),
            (("creatinine",), 2.7),
            (("sodium",), 137),
            (("potassium",), 3.9),
            (("chloride",), 108),
            (("co2",), 22),
            (("ast",), 704),
            (("alt",), 298),
            (("alp",), 67),
            (("bilirubin_total",), 0.3),
            (WBC, 9.1),
            (HGB, 9.9),
            (HCT, 29.2),
            (PLT, 204),
        ),
        vitals=(
            ("blood_pressure", "147/68"),
            ("heart_rate", "82"),
            ("respiratory_rate", "20"),
            ("temperature", "97.7"),
            ("spo2", "99"),
        ),
        medications=("lovenox",),
        problems=(
            "rhabdomyolysis",
            "renal failure",
            "anemia",
            "leukocytosis",
            "elevated liver enzyme",
            "hypertension",
            "elevated cardiac enzyme",
            "obesity",
        ),
        optional=(
            "labs:ck:70142",
            "labs:ck:25573",
            "labs:troponin:1.9",
            "medications:statins",
            "medications:gemfibrozil",
            "problems:renal disease",
            "problems:weakness",
            "problems:muscular pain",
            "problems:thrombosis prophylaxis",
        ),
    ),
    "3379": NoteTruth(
        labs=((WBC, 6200), (HCT, 44.7)),
        medications=("ritalin",),
        problems=("adhd", "flank pain"),
        allergies=("penicillin",),
        optional=(
            "problems:urinary tract infection",
            "problems:ileus",
            "problems:bruised",
            "problems:kidney",
        ),
    ),
    "3386": NoteTruth(),
}
