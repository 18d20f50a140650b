"""Word lists for clinical text: drugs, conditions, vaccines, reactions, routes, frequencies.

Written from general clinical knowledge; they find facts in running prose. Inside a
medication, problem or allergy section every item counts whether listed here or not.
"""

from __future__ import annotations

_DRUG_WORDS = """
acetaminophen tylenol ibuprofen advil motrin naproxen aleve aspirin asa celecoxib celebrex
meloxicam mobic diclofenac ketorolac toradol indomethacin tramadol ultram oxycodone percocet
hydrocodone vicodin norco morphine hydromorphone dilaudid fentanyl codeine methadone
buprenorphine suboxone gabapentin neurontin pregabalin lyrica lisinopril prinivil zestril
enalapril vasotec ramipril altace benazepril lotensin captopril quinapril losartan cozaar
valsartan diovan irbesartan avapro olmesartan benicar telmisartan candesartan amlodipine
norvasc nifedipine procardia diltiazem cardizem verapamil calan metoprolol lopressor toprol
atenolol tenormin carvedilol coreg propranolol inderal bisoprolol labetalol nebivolol bystolic
hydrochlorothiazide hctz chlorthalidone furosemide lasix bumetanide bumex torsemide
spironolactone aldactone eplerenone triamterene clonidine catapres hydralazine isosorbide imdur
nitroglycerin nitrostat digoxin lanoxin amiodarone cordarone sotalol flecainide warfarin
coumadin apixaban eliquis rivaroxaban xarelto dabigatran pradaxa edoxaban heparin enoxaparin
lovenox clopidogrel plavix prasugrel ticagrelor brilinta atorvastatin lipitor simvastatin zocor
rosuvastatin crestor pravastatin pravachol lovastatin ezetimibe zetia fenofibrate tricor
gemfibrozil niacin metformin glucophage glipizide glucotrol glyburide glimepiride amaryl
pioglitazone actos sitagliptin januvia linagliptin empagliflozin jardiance dapagliflozin
farxiga canagliflozin invokana liraglutide victoza semaglutide ozempic wegovy dulaglutide
trulicity tirzepatide mounjaro insulin lantus glargine levemir detemir humalog lispro novolog
aspart humulin novolin tresiba degludec levothyroxine synthroid levoxyl methimazole
propylthiouracil prednisone prednisolone methylprednisolone medrol dexamethasone hydrocortisone
fludrocortisone albuterol proventil ventolin proair levalbuterol xopenex ipratropium atrovent
tiotropium spiriva fluticasone flovent flonase budesonide pulmicort symbicort advair salmeterol
formoterol montelukast singulair cetirizine zyrtec loratadine claritin fexofenadine allegra
diphenhydramine benadryl hydroxyzine atarax omeprazole prilosec esomeprazole nexium
pantoprazole protonix lansoprazole prevacid famotidine pepcid ranitidine zantac sucralfate
ondansetron zofran promethazine phenergan metoclopramide reglan docusate colace senna
sennosides bisacodyl polyethylene miralax lactulose loperamide imodium dicyclomine amoxicillin
augmentin amoxicillin-clavulanate penicillin ampicillin cephalexin keflex cefdinir ceftriaxone
rocephin cefuroxime cefazolin azithromycin zithromax z-pak clarithromycin erythromycin
doxycycline minocycline tetracycline ciprofloxacin cipro levofloxacin levaquin moxifloxacin
sulfamethoxazole trimethoprim bactrim nitrofurantoin macrobid metronidazole flagyl clindamycin
vancomycin linezolid fluconazole diflucan nystatin acyclovir valacyclovir valtrex oseltamivir
tamiflu sertraline zoloft fluoxetine prozac paroxetine paxil citalopram celexa escitalopram
lexapro venlafaxine effexor duloxetine cymbalta bupropion wellbutrin mirtazapine remeron
trazodone amitriptyline nortriptyline buspirone buspar alprazolam xanax lorazepam ativan
clonazepam klonopin diazepam valium zolpidem ambien quetiapine seroquel olanzapine zyprexa
risperidone risperdal aripiprazole abilify haloperidol haldol lithium lamotrigine lamictal
levetiracetam keppra valproate depakote divalproex carbamazepine tegretol oxcarbazepine
topiramate topamax phenytoin dilantin donepezil aricept memantine namenda carbidopa levodopa
sinemet ropinirole pramipexole sumatriptan imitrex methylphenidate ritalin adderall amphetamine
cyclobenzaprine flexeril baclofen tizanidine methocarbamol allopurinol zyloprim colchicine
febuxostat alendronate fosamax risedronate calcitriol calcium ergocalciferol cholecalciferol
vitamin multivitamin folic ferrous iron potassium magnesium tamsulosin flomax finasteride
proscar oxybutynin ditropan sildenafil viagra tadalafil cialis estradiol medroxyprogesterone
progesterone norethindrone testosterone hydroxychloroquine plaquenil methotrexate adalimumab
humira etanercept enbrel infliximab tacrolimus cyclosporine mycophenolate azathioprine
tamoxifen anastrozole letrozole latanoprost timolol epinephrine epipen naloxone narcan nicotine
varenicline chantix sodium bicarbonate sevelamer cinacalcet epoetin duragesic polysporin
neosporin bacitracin mupirocin bactroban
"""
DRUGS = frozenset(_DRUG_WORDS.split())

CONDITIONS = tuple(sorted({
    "hypertension", "essential hypertension", "high blood pressure", "diabetes",
    "diabetes mellitus", "type 2 diabetes", "type 1 diabetes", "type 2 diabetes mellitus",
    "type 1 diabetes mellitus", "prediabetes", "hyperlipidemia", "dyslipidemia",
    "hypercholesterolemia", "hypertriglyceridemia", "asthma", "copd",
    "chronic obstructive pulmonary disease", "emphysema", "chronic bronchitis",
    "congestive heart failure", "heart failure", "chf", "coronary artery disease", "cad",
    "myocardial infarction", "heart attack", "atrial fibrillation", "atrial flutter",
    "angina", "chest pain", "stroke", "cerebrovascular accident", "cva",
    "transient ischemic attack", "tia", "peripheral vascular disease",
    "peripheral arterial disease", "deep vein thrombosis", "dvt", "pulmonary embolism",
    "chronic kidney disease", "ckd", "renal failure", "acute kidney injury",
    "end stage renal disease",
    "hypothyroidism", "hyperthyroidism", "osteoporosis", "osteoarthritis", "rheumatoid arthritis",
    "arthritis", "gout", "obesity", "morbid obesity", "depression", "major depressive disorder",
    "anxiety", "generalized anxiety disorder", "bipolar disorder", "schizophrenia", "dementia",
    "alzheimer's disease", "parkinson's disease", "seizure disorder", "epilepsy", "seizures",
    "migraine", "headache", "gerd", "gastroesophageal reflux disease", "peptic ulcer disease",
    "cirrhosis", "hepatitis", "hepatitis c", "hepatitis b", "pancreatitis", "cholecystitis",
    "appendicitis", "diverticulitis", "irritable bowel syndrome", "crohn's disease",
    "ulcerative colitis", "anemia", "iron deficiency anemia", "thrombocytopenia", "cancer",
    "breast cancer", "prostate cancer", "lung cancer", "colon cancer", "colorectal cancer",
    "melanoma", "lymphoma", "leukemia", "hiv", "aids", "tuberculosis", "pneumonia",
    "urinary tract infection", "uti", "sepsis", "cellulitis", "sleep apnea",
    "obstructive sleep apnea", "benign prostatic hyperplasia", "bph", "glaucoma", "cataract",
    "macular degeneration", "fever", "shortness of breath", "dyspnea", "syncope",
    "palpitations", "nausea", "vomiting", "diarrhea", "constipation", "abdominal pain",
    "back pain", "low back pain", "neuropathy", "peripheral neuropathy", "fracture",
    "hypoglycemia", "hyperglycemia", "hyponatremia", "hypokalemia", "hyperkalemia",
    "dehydration", "malignancy", "tumor", "mass", "edema", "rash", "cough", "wheezing",
    "seizure", "febrile seizure",
    "infection", "bleeding", "substance abuse", "alcohol abuse", "tobacco use", "smoking",
}, key=lambda term: (-len(term), term)))  # fmt: skip

# Vaccine names as printed → the name recorded.
VACCINES: dict[str, str] = {
    "influenza": "Influenza", "flu shot": "Influenza", "flu vaccine": "Influenza",
    "fluzone": "Influenza", "flucelvax": "Influenza", "afluria": "Influenza", "flu": "Influenza",
    "tdap": "Tdap", "boostrix": "Tdap", "adacel": "Tdap", "td": "Td", "tetanus": "Tetanus",
    "dtap": "DTaP", "daptacel": "DTaP", "infanrix": "DTaP", "pediarix": "DTaP-HepB-IPV",
    "pentacel": "DTaP-IPV-Hib", "mmr": "MMR", "measles": "MMR", "mmrv": "MMRV",
    "proquad": "MMRV", "varicella": "Varicella", "varivax": "Varicella",
    "chickenpox": "Varicella", "hepatitis a": "Hepatitis A", "hep a": "Hepatitis A",
    "havrix": "Hepatitis A", "vaqta": "Hepatitis A", "hepatitis b": "Hepatitis B",
    "hep b": "Hepatitis B", "engerix": "Hepatitis B", "recombivax": "Hepatitis B",
    "heplisav": "Hepatitis B", "twinrix": "Hepatitis A-B", "hpv": "HPV", "gardasil": "HPV",
    "human papillomavirus": "HPV", "pneumococcal": "Pneumococcal", "pcv13": "PCV13",
    "prevnar 13": "PCV13", "prevnar": "Pneumococcal conjugate", "pcv15": "PCV15",
    "vaxneuvance": "PCV15", "pcv20": "PCV20", "prevnar 20": "PCV20", "ppsv23": "PPSV23",
    "pneumovax": "PPSV23", "zoster": "Zoster", "shingrix": "Zoster (recombinant)",
    "shingles": "Zoster", "zostavax": "Zoster (live)", "covid-19": "COVID-19",
    "covid": "COVID-19", "sars-cov-2": "COVID-19", "pfizer": "COVID-19 (Pfizer-BioNTech)",
    "comirnaty": "COVID-19 (Pfizer-BioNTech)", "moderna": "COVID-19 (Moderna)",
    "spikevax": "COVID-19 (Moderna)", "novavax": "COVID-19 (Novavax)",
    "janssen": "COVID-19 (Janssen)", "ipv": "Polio (IPV)", "polio": "Polio",
    "ipol": "Polio (IPV)", "hib": "Hib", "acthib": "Hib", "pedvaxhib": "Hib",
    "rotavirus": "Rotavirus", "rotateq": "Rotavirus", "rotarix": "Rotavirus",
    "meningococcal": "Meningococcal", "menacwy": "MenACWY", "menactra": "MenACWY",
    "menveo": "MenACWY", "menquadfi": "MenACWY", "menb": "MenB", "bexsero": "MenB",
    "trumenba": "MenB", "rsv": "RSV", "arexvy": "RSV", "abrysvo": "RSV", "bcg": "BCG",
    "typhoid": "Typhoid", "yellow fever": "Yellow fever", "rabies": "Rabies",
    "japanese encephalitis": "Japanese encephalitis",
}  # fmt: skip

REACTIONS = (
    "anaphylaxis", "anaphylactic shock", "anaphylactic reaction", "hives", "urticaria", "rash",
    "itching", "pruritus", "swelling", "angioedema", "throat swelling", "facial swelling",
    "shortness of breath", "difficulty breathing", "wheezing", "nausea", "vomiting",
    "diarrhea", "gi upset", "upset stomach", "stomach upset", "dizziness", "headache",
    "hypotension", "confusion", "myalgia", "muscle pain", "cough", "flushing", "palpitations",
    "stevens-johnson syndrome", "blisters", "lip swelling", "tongue swelling", "nasal congestion",
    "sneezing", "hallucinations", "drowsiness", "intolerance", "bleeding",
)  # fmt: skip
SEVERITIES = ("life-threatening", "life threatening", "severe", "moderate", "mild", "fatal")

ROUTES: dict[str, str] = {
    "po": "oral", "p.o.": "oral", "by mouth": "oral", "orally": "oral", "oral": "oral",
    "iv": "intravenous", "intravenous": "intravenous", "intravenously": "intravenous",
    "im": "intramuscular", "intramuscular": "intramuscular", "sc": "subcutaneous",
    "sq": "subcutaneous", "subq": "subcutaneous", "subcut": "subcutaneous",
    "subcutaneous": "subcutaneous", "subcutaneously": "subcutaneous", "sl": "sublingual",
    "sublingual": "sublingual", "topical": "topical", "topically": "topical",
    "inhaled": "inhaled", "inhalation": "inhaled", "via inhaler": "inhaled", "pr": "rectal",
    "rectal": "rectal", "rectally": "rectal", "intranasal": "nasal", "nasal": "nasal",
    "each nostril": "nasal", "ophthalmic": "ophthalmic", "in each eye": "ophthalmic",
    "otic": "otic", "transdermal": "transdermal", "vaginal": "vaginal", "via g-tube": "enteral",
    "per g-tube": "enteral", "via ng tube": "enteral", "per ng tube": "enteral",
}  # fmt: skip

# Frequency phrases (regexes) → normal form. Order matters: longer phrases first.
FREQUENCIES: list[tuple[str, str]] = [
    (r"every\s+(\d+)\s*(?:-|to)\s*(\d+)\s*(?:hours|hrs?|h)\b", r"every \1-\2 hours"),
    (r"q\.?\s?(\d+)\s*(?:-|to)\s*(\d+)\s*(?:hours|hrs?|h)\b\.?", r"every \1-\2 hours"),
    (r"every\s+(\d+)\s*(?:hours|hrs?|h)\b", r"every \1 hours"),
    (r"q\.?\s?(\d+)\s*(?:hours|hrs?|h)\b\.?", r"every \1 hours"),
    (r"four times (?:a|per|each) day|4 times (?:a|per) day|q\.?i\.?d\.?", "four times daily"),
    (r"three times (?:a|per|each) day|3 times (?:a|per) day|t\.?i\.?d\.?", "three times daily"),
    (r"twice (?:a|per|each) day|twice daily|2 times (?:a|per) day|b\.?i\.?d\.?",
     "twice daily"),
    (r"at bedtime|at night|nightly|q\.?h\.?s\.?|\bhs\b", "at bedtime"),
    (r"every morning|in the morning|q\.?a\.?m\.?", "every morning"),
    (r"every evening|in the evening|q\.?p\.?m\.?", "every evening"),
    (r"every other day|q\.?o\.?d\.?", "every other day"),
    (r"once (?:a|per) week|weekly|q\.?\s?week|every week", "weekly"),
    (r"once (?:a|per) month|monthly|every month", "monthly"),
    (r"once daily|once a day|daily|every day|q\.?d\.?|q\.?\s?day|per day|a day", "daily"),
    (r"with meals|before meals|after meals|a\.?c\.?|p\.?c\.?", "with meals"),
    (r"\bstat\b", "immediately"),
    (r"\bonce\b|single dose|one time", "once"),
]  # fmt: skip
AS_NEEDED = r"\bp\.?r\.?n\.?\b|as needed|when needed|if needed|as required"
