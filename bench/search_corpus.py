"""Generated medical documents for the search benchmark: lab reports, prescriptions, notes.

Deterministic for a seed; pages are 120-250 words of realistic vocabulary, with a little OCR
noise (l/1, O/0, m/rn, dropped letters) so the term dictionary has the long tail a real
household index has.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from server.search.contract import PageText, SearchDoc


def _split(text: str, sep: str) -> list[str]:
    return text.split(sep)


LABS = [
    ("Hemoglobin A1c", "%", 4.0, 10.0),
    ("Glucose, fasting", "mg/dL", 70, 180),
    ("Total cholesterol", "mg/dL", 120, 280),
    ("LDL cholesterol", "mg/dL", 50, 190),
    ("HDL cholesterol", "mg/dL", 30, 90),
    ("Triglycerides", "mg/dL", 50, 400),
    ("Creatinine", "mg/dL", 0.5, 2.0),
    ("Potassium", "mmol/L", 3.2, 5.6),
    ("Sodium", "mmol/L", 132, 148),
    ("Hemoglobin", "g/dL", 10, 17),
    ("Hematocrit", "%", 32, 52),
    ("Platelets", "K/uL", 120, 420),
    ("White blood cells", "K/uL", 3.0, 12.0),
    ("TSH", "mIU/L", 0.3, 6.0),
    ("Free T4", "ng/dL", 0.7, 2.0),
    ("ALT", "U/L", 8, 80),
    ("AST", "U/L", 8, 70),
    ("Alkaline phosphatase", "U/L", 40, 160),
    ("Bilirubin, total", "mg/dL", 0.2, 1.8),
    ("Albumin", "g/dL", 3.0, 5.2),
    ("Vitamin D, 25-hydroxy", "ng/mL", 12, 80),
    ("Ferritin", "ng/mL", 15, 400),
    ("Urea nitrogen (BUN)", "mg/dL", 6, 30),
    ("eGFR", "mL/min", 35, 120),
    ("Calcium", "mg/dL", 8.2, 10.8),
    ("Magnesium", "mg/dL", 1.6, 2.6),
    ("PSA", "ng/mL", 0.2, 6.0),
    ("INR", "", 0.9, 3.2),
    ("Microalbumin, urine", "mg/g", 2, 60),
]
DRUGS = _split(
    "metformin lisinopril atorvastatin amlodipine metoprolol levothyroxine "
    "omeprazole simvastatin losartan gabapentin hydrochlorothiazide sertraline "
    "ibuprofen amoxicillin prednisone insulin glargine warfarin apixaban furosemide "
    "pantoprazole escitalopram rosuvastatin montelukast albuterol fluticasone "
    "tamsulosin clopidogrel citalopram trazodone carvedilol meloxicam duloxetine "
    "bupropion pravastatin spironolactone cetirizine loratadine azithromycin "
    "doxycycline cephalexin ciprofloxacin allopurinol",
    " ",
)
CONDITIONS = _split(
    "hypertension|type 2 diabetes mellitus|hyperlipidemia|asthma|hypothyroidism|"
    "atrial fibrillation|chronic kidney disease|osteoarthritis|"
    "gastroesophageal reflux|major depressive disorder|generalized anxiety|migraine|"
    "obesity|anemia|osteoporosis|chronic obstructive pulmonary disease|"
    "coronary artery disease|heart failure|gout|allergic rhinitis|sleep apnea|"
    "benign prostatic hyperplasia|urinary tract infection",
    "|",
)
VACCINES = _split(
    "influenza|tetanus diphtheria pertussis|pneumococcal conjugate|hepatitis B|"
    "measles mumps rubella|varicella|zoster recombinant|COVID-19 mRNA|"
    "human papillomavirus|meningococcal|hepatitis A|polio inactivated",
    "|",
)
FILLER = _split(
    "the patient was seen today for follow up and reports feeling well with no new "
    "complaints denies chest pain shortness of breath fever chills nausea vomiting "
    "abdominal pain headache dizziness swelling of the legs tolerating medications "
    "without side effects blood pressure well controlled at home diet and exercise "
    "discussed continue current plan return in three months sooner if symptoms "
    "worsen labs ordered reviewed results with patient questions answered "
    "understanding verbalized",
    " ",
)
SECTIONS = [
    "Chief complaint",
    "History of present illness",
    "Review of systems",
    "Physical examination",
    "Assessment and plan",
    "Medications reviewed",
    "Allergies: no known drug allergies",
]
PROVIDERS = _split(
    "Dr. Maria Alvarez|Dr. James Chen|Dr. Priya Natarajan|Dr. Robert Okafor|"
    "Dr. Hannah Weiss|Dr. Samuel Lindqvist|Dr. Grace Mbeki|Dr. Tomasz Kowalski",
    "|",
)
CLINICS = _split(
    "Riverside Family Medicine|Northgate Clinical Laboratory|"
    "St. Anne Regional Hospital|Lakeview Pharmacy|Hillcrest Pediatrics|"
    "Valley Cardiology Associates",
    "|",
)
CONFUSIONS = [("l", "1"), ("o", "0"), ("m", "rn"), ("I", "l"), ("e", "c"), ("h", "b")]


def _noisy(word: str, rnd: random.Random) -> str:
    """What OCR sometimes makes of a word: a confused letter or a dropped one."""
    if len(word) < 4:
        return word
    if rnd.random() < 0.7:
        a, b = rnd.choice(CONFUSIONS)
        if a in word:
            i = word.index(a)
            return word[:i] + b + word[i + len(a) :]
    i = rnd.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def _lab_page(rnd: random.Random, when: date) -> list[str]:
    lines = [rnd.choice(CLINICS), f"Collected: {when.isoformat()}"]
    lines.append(f"Ordering provider: {rnd.choice(PROVIDERS)}")
    lines.append("Test Result Flag Units Reference range")
    for name, unit, lo, hi in rnd.sample(LABS, rnd.randint(8, 14)):
        value = round(rnd.uniform(lo * 0.8, hi * 1.1), 1)
        flag = "H" if value > hi * 0.95 else ("L" if value < lo * 1.05 else "")
        lines.append(f"{name} {value} {flag} {unit} {lo}-{hi}")
    lines.append("Specimen: serum. Fasting: yes. Results verified by laboratory director.")
    return lines


def _note_page(rnd: random.Random, when: date) -> list[str]:
    lines = [f"{rnd.choice(CLINICS)} visit note {when.strftime('%B %d, %Y')}"]
    for section in rnd.sample(SECTIONS, 4):
        body = rnd.choices(FILLER, k=rnd.randint(18, 40))
        body += rnd.sample(CONDITIONS, 1) + rnd.sample(DRUGS, 2)
        rnd.shuffle(body)
        lines.append(f"{section}: " + " ".join(body))
    lines.append(f"Electronically signed by {rnd.choice(PROVIDERS)}")
    return lines


def _rx_page(rnd: random.Random, when: date) -> list[str]:
    lines = [f"{rnd.choice(CLINICS)} prescription record {when.isoformat()}"]
    for drug in rnd.sample(DRUGS, rnd.randint(4, 8)):
        dose = rnd.choice([5, 10, 20, 25, 40, 50, 100, 250, 500, 1000])
        lines.append(
            f"Rx {drug} {dose} mg tablet. Sig: take one tablet by mouth "
            f"{rnd.choice(['once daily', 'twice daily', 'at bedtime', 'as needed'])}. "
            f"Dispense {rnd.choice([30, 60, 90])}, refills {rnd.randint(0, 5)}."
        )
    return lines


def _vaccine_page(rnd: random.Random, when: date) -> list[str]:
    lines = ["Immunization record", f"Printed {when.isoformat()}"]
    for vaccine in rnd.sample(VACCINES, rnd.randint(4, 8)):
        lines.append(
            f"{vaccine} vaccine dose {rnd.randint(1, 3)} given "
            f"{(when - timedelta(days=rnd.randint(0, 3000))).isoformat()} "
            f"lot {rnd.randint(10000, 99999)} left deltoid intramuscular"
        )
    return lines


KINDS = [_lab_page, _note_page, _rx_page, _vaccine_page]


def generate(n: int, *, profiles: int = 6, seed: int = 7) -> Iterator[SearchDoc]:
    """`n` documents of about three pages each, spread over `profiles` profiles."""
    rnd = random.Random(seed)
    start = date(2012, 1, 1)
    for i in range(1, n + 1):
        when = start + timedelta(days=rnd.randint(0, 5000))
        make = rnd.choice(KINDS)
        pages = []
        for number in range(1, rnd.choice((2, 3, 3, 4)) + 1):
            lines = make(rnd, when)
            words = " ".join(lines).split(" ")
            for j in range(len(words)):
                if rnd.random() < 0.01:
                    words[j] = _noisy(words[j], rnd)
            pages.append(PageText(number, " ".join(words)))
        yield SearchDoc(
            doc_id=i,
            profile=1 + i % profiles,
            name=f"{make.__name__[1:-5]}-{when.isoformat()}-{i}.pdf",
            doc_type={"_lab_page": "lab", "_note_page": "visit", "_rx_page": "medication"}.get(
                make.__name__, "immunization"
            ),
            date=when,
            stamp=i,
            pages=tuple(pages),
        )
