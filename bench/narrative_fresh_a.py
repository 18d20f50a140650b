"""Fresh clinical notes with truth for the narrative precision bench (bench/narrative.py):
20 notes (ids FA-01 .. FA-20) written by a helper on 2026-12-07 with invented patients,
in the style of transcribed visit notes (discharge summaries, emergency room reports,
consult histories and physicals, nephrology and endocrinology consults), and their truth
written by the same person by the conventions of narrative_truth.py.

They were committed before the fact reader was ever run on them, and nobody tunes on
them: they are held out.
"""

from __future__ import annotations

from narrative_truth import NoteTruth

NONE: tuple[str, ...] = ("none",)
HGB = ("hemoglobin",)

NOTES: dict[str, tuple[str, str]] = {
    "FA-01": (
        "Discharge Summary",
        (
            "ADMISSION DIAGNOSIS:\n"
            "Acute on chronic systolic congestive heart failure.\n"
            "DISCHARGE DIAGNOSES:\n"
            "1. Acute on chronic systolic congestive heart failure, ejection fraction 30%.\n"
            "2. Hypokalemia, repleted.\n"
            "3. Chronic kidney disease stage 3.\n"
            "4. Type 2 diabetes mellitus.\n"
            "HISTORY OF PRESENT ILLNESS:\n"
            "The patient is a 71-year-old man with ischemic cardiomyopathy who presented with "
            "10 days of progressive dyspnea on exertion, 3-pillow orthopnea and a 12-pound "
            "weight gain after he ran out of his torsemide. He denied chest pain, fever or "
            "cough.\n"
            "HOSPITAL COURSE:\n"
            "He was diuresed with intravenous furosemide 40 mg twice daily, net negative 6.2 "
            "liters for the stay. Admission BNP was 1,480. Sodium 133, potassium 3.2 and "
            "creatinine 1.7 on admission; creatinine 1.5 at discharge. Potassium was replaced "
            "orally. Troponin was negative x2 and acute coronary syndrome was ruled out. "
            "Lisinopril was held for the first 48 hours and restarted at a lower dose. "
            "Discharge weight 84.1 kg.\n"
            "ALLERGIES: Sulfa (rash).\n"
            "DISCHARGE MEDICATIONS:\n"
            "1. Torsemide 40 mg daily.\n"
            "2. Metoprolol succinate 50 mg daily.\n"
            "3. Lisinopril 5 mg daily.\n"
            "4. Spironolactone 25 mg daily.\n"
            "5. Metformin 500 mg twice daily.\n"
            "6. Atorvastatin 40 mg at bedtime.\n"
            "FOLLOW-UP:\n"
            "Dr. Patel in cardiology clinic in 1 week with a basic metabolic panel. Daily "
            "weights; call for a gain of more than 3 pounds in a day. 2 g sodium diet and 1.5 "
            "L fluid restriction."
        ),
    ),
    "FA-02": (
        "Discharge Summary",
        (
            "DATE OF ADMISSION: 03/14/2026.  DATE OF DISCHARGE: 03/18/2026.\n"
            "ADMITTING DIAGNOSIS: Right lower lobe pneumonia.\n"
            "DISCHARGE DIAGNOSES: 1. Community-acquired pneumonia, right lower lobe. 2. COPD, "
            "without acute exacerbation. 3. Hypothyroidism.\n"
            "HISTORY: This is an 82-year-old female from an assisted living facility brought "
            "in with 3 days of productive cough, fever to 101.8 at home, and confusion. On "
            "arrival temperature 38.6, pulse 104, respirations 24, blood pressure 102/58, "
            "oxygen saturation 89% on room air. Chest x-ray showed right lower lobe "
            "consolidation without effusion.\n"
            "HOSPITAL COURSE: She was started on ceftriaxone and azithromycin with oxygen by "
            "nasal cannula. Blood cultures remained negative. Influenza and COVID swabs were "
            "negative. Her mentation returned to baseline by hospital day 2 and she was weaned "
            "to room air. She was transitioned to oral cefpodoxime to complete a 7-day course. "
            "Physical therapy recommended return to assisted living with a walker. Her home "
            "Spiriva and Synthroid were continued.\n"
            "PAST SURGICAL HISTORY: Right total hip arthroplasty 2019, cholecystectomy.\n"
            "ALLERGIES: Codeine causes nausea.\n"
            "DISCHARGE MEDICATIONS: Cefpodoxime 200 mg p.o. b.i.d. for 3 more days, tiotropium "
            "inhaler 1 puff daily, levothyroxine 75 mcg daily, albuterol inhaler 2 puffs q.4h. "
            "p.r.n. wheezing, acetaminophen 650 mg q.6h. p.r.n. pain or fever.\n"
            "CONDITION ON DISCHARGE: Stable.\n"
            "FOLLOW-UP: Primary care in 1 week. Repeat chest x-ray in 6 weeks to document "
            "resolution."
        ),
    ),
    "FA-03": (
        "Discharge Summary",
        (
            "ADMISSION DIAGNOSIS: Melena.\n"
            "DISCHARGE DIAGNOSES:\n"
            "1. Upper GI bleed secondary to duodenal ulcer, Helicobacter pylori positive.\n"
            "2. Acute blood loss anemia.\n"
            "3. Osteoarthritis of both knees.\n"
            "HISTORY OF PRESENT ILLNESS: A 64-year-old man who had been taking naproxen 500 mg "
            "twice a day for knee pain for several months presented with 2 days of black "
            "stools and lightheadedness. No hematemesis. He does not drink alcohol.\n"
            "HOSPITAL COURSE: Hemoglobin on arrival was 7.9 with a BUN of 48. He received 2 "
            "units of packed red blood cells, with hemoglobin 9.6 afterwards, and was started "
            "on an intravenous pantoprazole infusion. EGD on hospital day 2 by Dr. Lindqvist "
            "showed a 1 cm clean-based ulcer in the duodenal bulb; no varices. Biopsies were "
            "positive for H. pylori. Naproxen was stopped. Hemoglobin was stable at 10.1 on "
            "the day of discharge.\n"
            "PAST MEDICAL HISTORY: Hypertension, gout, appendectomy at age 20.\n"
            "FAMILY HISTORY: Father with colon cancer at 70.\n"
            "ALLERGIES: No known drug allergies.\n"
            "DISCHARGE MEDICATIONS: Pantoprazole 40 mg twice daily for 8 weeks, then once "
            "daily. Amoxicillin 1 g and clarithromycin 500 mg, each twice daily for 14 days. "
            "Amlodipine 5 mg daily. Allopurinol 100 mg daily. Acetaminophen 1000 mg three "
            "times a day as needed for knee pain instead of naproxen. He is to avoid all "
            "NSAIDs.\n"
            "FOLLOW-UP: GI clinic in 8 weeks with urea breath test to confirm eradication; CBC "
            "in 1 week."
        ),
    ),
    "FA-04": (
        "Discharge Summary",
        (
            "PROCEDURE: Laparoscopic appendectomy, 09/02/2026.\n"
            "DIAGNOSIS: Acute suppurative appendicitis without perforation.\n"
            "HISTORY: This 27-year-old woman presented with 18 hours of periumbilical pain "
            "migrating to the right lower quadrant, anorexia and one episode of emesis. Urine "
            "pregnancy test was negative. CT of the abdomen showed a dilated appendix with "
            "periappendiceal stranding; no abscess. Ovarian torsion and ectopic pregnancy had "
            "been considered and were excluded.\n"
            "HOSPITAL COURSE: She underwent an uncomplicated laparoscopic appendectomy and "
            "received cefoxitin perioperatively. Her diet was advanced on postoperative day 1 "
            "and she was ambulating without difficulty. Pain was controlled with oral "
            "medication. Vital signs stable and afebrile at discharge.\n"
            "PAST MEDICAL HISTORY: Migraine without aura. Mild intermittent asthma, last "
            "inhaler use over a year ago.\n"
            "MEDICATIONS AT HOME: Sumatriptan 50 mg as needed for migraine, oral contraceptive "
            "(Sprintec).\n"
            "ALLERGIES: Latex (hives).\n"
            "DISCHARGE INSTRUCTIONS: Ibuprofen 600 mg every 6 hours as needed, oxycodone 5 mg "
            "every 6 hours as needed for severe pain, #8, no refills. No lifting more than 10 "
            "pounds for 2 weeks. Return for fever over 38.5, worsening pain, or wound redness. "
            "Follow up in surgery clinic in 2 weeks."
        ),
    ),
    "FA-05": (
        "Discharge Summary",
        (
            "DISCHARGE DIAGNOSES:\n"
            "1. Acute ischemic stroke, left middle cerebral artery territory, with residual "
            "mild expressive aphasia.\n"
            "2. Newly diagnosed atrial fibrillation.\n"
            "3. Hyperlipidemia.\n"
            "4. Tobacco use, 30 pack-years.\n"
            "RESOLVED DURING ADMISSION: Urinary retention after Foley removal, resolved by day "
            "3.\n"
            "HOSPITAL COURSE: The patient is a 69-year-old right-handed man who awoke with "
            "word-finding difficulty and right hand clumsiness. He was outside the window for "
            "thrombolysis. MRI confirmed a small left frontal infarct. Telemetry showed "
            "paroxysmal atrial fibrillation. Echocardiogram showed a normal ejection fraction "
            "without thrombus. Carotid duplex showed less than 50% stenosis bilaterally. He "
            "was started on apixaban 5 mg twice daily after 72 hours, and his simvastatin was "
            "changed to high-intensity atorvastatin. Aspirin given on admission was stopped "
            "once anticoagulation began. Speech therapy saw him daily.\n"
            "PAST HISTORY: Benign prostatic hypertrophy on tamsulosin. Left inguinal hernia "
            "repair. No prior stroke or seizures.\n"
            "SOCIAL HISTORY: Smokes 1 pack per day; counseled, nicotine patch started. Drinks "
            "2 beers on weekends.\n"
            "FAMILY HISTORY: Mother had a stroke in her 80s; brother has type 2 diabetes.\n"
            "ALLERGIES: Penicillin (anaphylaxis) and shellfish.\n"
            "DISCHARGE MEDICATIONS: Apixaban 5 mg b.i.d., atorvastatin 80 mg nightly, "
            "tamsulosin 0.4 mg daily, nicotine patch 21 mg/24 hours.\n"
            "DISPOSITION: Home with outpatient speech therapy. Neurology follow-up in 4 weeks, "
            "cardiology in 2 weeks to discuss rhythm control."
        ),
    ),
    "FA-06": (
        "Emergency Room Reports",
        (
            "CHIEF COMPLAINT: Chest pain.\n"
            "HISTORY OF PRESENT ILLNESS: A 52-year-old female presents with substernal chest "
            "pressure that started 2 hours ago while climbing stairs, lasting about 20 "
            "minutes, radiating to the left jaw, with diaphoresis. Currently pain-free. She "
            "denies shortness of breath, palpitations, syncope, leg swelling or recent travel. "
            "She took 1 nitroglycerin from her husband's supply with relief.\n"
            "PAST MEDICAL HISTORY: Hypertension, type 2 diabetes, obesity. Gestational "
            "diabetes with both pregnancies.\n"
            "MEDICATIONS: Losartan 50 mg daily, metformin 1000 mg twice daily, empagliflozin "
            "10 mg daily.\n"
            "ALLERGIES: NKDA.\n"
            "SOCIAL HISTORY: Never smoker. Works as a school bus driver.\n"
            "FAMILY HISTORY: Brother had a myocardial infarction at 48.\n"
            "PHYSICAL EXAMINATION: VITAL SIGNS: BP 164/92, pulse 88, respirations 18, temp "
            "98.4, O2 sat 97% RA. Weight 102 kg. Lungs clear. Heart regular without murmur. No "
            "calf tenderness.\n"
            "ED COURSE: ECG showed normal sinus rhythm with no acute ST changes. Two "
            "high-sensitivity troponins 2 hours apart were below the 99th percentile. She was "
            "given aspirin 324 mg chewed. Pulmonary embolism was considered unlikely.\n"
            "ASSESSMENT: Chest pain with features concerning for unstable angina; acute "
            "myocardial infarction ruled out by serial troponins. Differential includes stable "
            "angina, esophageal spasm and GERD.\n"
            "PLAN: Admit to observation for stress testing in the morning. Start atorvastatin "
            "40 mg. Continue home medications, holding metformin until after the stress test. "
            "Cardiology notified."
        ),
    ),
    "FA-07": (
        "Emergency Room Reports",
        (
            "HISTORY: This 19-year-old male college student with type 1 diabetes since age 11 "
            "on an insulin pump comes in with 1 day of nausea, vomiting and abdominal pain. "
            "His pump tubing kinked overnight and he did not notice. He has had polyuria and "
            "polydipsia. Denies fever, cough, dysuria or diarrhea. No alcohol or drug use.\n"
            "MEDICATIONS: Insulin lispro via pump. Sertraline 50 mg daily for depression.\n"
            "ALLERGIES: None known.\n"
            "PHYSICAL EXAM: Temperature 37.1 C, heart rate 122, blood pressure 108/64, "
            "respiratory rate 28 and deep, SpO2 100%. Dry mucous membranes. Abdomen diffusely "
            "tender without guarding.\n"
            "LABS: Glucose 512, sodium 131, potassium 5.6, chloride 95, bicarbonate 9, anion "
            "gap 27, BUN 24, creatinine 1.3. Venous pH 7.12. Beta-hydroxybutyrate 6.8. Lipase "
            "normal. Urinalysis with large ketones and glucose.\n"
            "ED COURSE: Two liters of normal saline, then regular insulin infusion at 0.1 "
            "units/kg/hour per DKA protocol, potassium added to fluids once K fell below 5.0. "
            "Ondansetron 4 mg IV for nausea. Pump disconnected.\n"
            "IMPRESSION:\n"
            "1. Diabetic ketoacidosis, moderate, due to insulin pump failure.\n"
            "2. Type 1 diabetes mellitus.\n"
            "3. Depression, stable.\n"
            "DISPOSITION: Admitted to the ICU. Diabetes educator consult before discharge."
        ),
    ),
    "FA-08": (
        "Emergency Room Reports",
        (
            "CHIEF COMPLAINT: Fall.\n"
            "HPI: 78-year-old woman on warfarin for a mechanical mitral valve who tripped on a "
            "rug at home this morning, striking the back of her head on a door frame. No loss "
            "of consciousness. She reports left wrist pain. She denies headache, vomiting, "
            "neck pain, vision change or weakness. Her daughter says she is at her mental "
            "baseline.\n"
            "PMH: Mechanical mitral valve replacement in 2011 for rheumatic mitral stenosis. "
            "Chronic atrial fibrillation. Osteoporosis. Hypertension. Right wrist fracture in "
            "2018.\n"
            "MEDS: Warfarin 5 mg daily except 2.5 mg Mondays, metoprolol tartrate 25 mg twice "
            "daily, alendronate 70 mg weekly, vitamin D3 2000 units daily.\n"
            "ALLERGIES: Iodinated contrast - hives. Tape.\n"
            "EXAM: T 36.6, P 72 irregular, BP 148/80, RR 16, 96% RA. Small occipital hematoma "
            "without laceration. Neuro nonfocal. Left distal radius tender with dorsal "
            "angulation.\n"
            "RESULTS: INR 2.8. CT head without contrast: no intracranial hemorrhage. Left "
            "wrist x-ray: displaced distal radius fracture. Cervical spine cleared "
            "clinically.\n"
            "PROCEDURE: Hematoma block with lidocaine 1% and closed reduction, sugar-tong "
            "splint applied; post-reduction films with improved alignment.\n"
            "IMPRESSION: 1. Closed displaced left distal radius fracture. 2. Minor head injury "
            "on anticoagulation, no intracranial bleed. 3. Therapeutic INR.\n"
            "PLAN: Orthopedics follow-up in 5 days. Tramadol 50 mg every 6 hours as needed. "
            "Acetaminophen scheduled. Continue warfarin. Head injury return precautions "
            "reviewed with patient and daughter."
        ),
    ),
    "FA-09": (
        "Emergency Room Reports",
        (
            "CHIEF COMPLAINT: Right flank pain.\n"
            "HISTORY OF PRESENT ILLNESS: The patient is a 41-year-old man with a history of "
            "kidney stones, last passed 4 years ago, who developed sudden colicky right flank "
            "pain radiating to the groin at 4 a.m., with nausea and one episode of vomiting. "
            "He denies fever, chills, gross hematuria or dysuria.\n"
            "REVIEW OF SYSTEMS: Negative for chest pain, cough, rash or diarrhea. All other "
            "systems reviewed and negative.\n"
            "PAST MEDICAL HISTORY: Nephrolithiasis. Gout, no flare in 2 years. Sleep apnea on "
            "CPAP.\n"
            "MEDICATIONS: Allopurinol 300 mg daily.\n"
            "ALLERGIES: Morphine (itching).\n"
            "SOCIAL: Drinks little water at work as a roofer. No tobacco.\n"
            "PHYSICAL EXAMINATION: Writhing, unable to get comfortable. Vitals 156/94, 96, 20, "
            "afebrile at 36.8, 99%. Right CVA tenderness. Abdomen soft, nontender.\n"
            "ED COURSE: Ketorolac 15 mg IV and ondansetron 4 mg IV with good relief. "
            "Urinalysis with moderate blood, no nitrites or leukocyte esterase. CT renal stone "
            "protocol shows a 5 mm obstructing stone at the right ureterovesical junction with "
            "mild hydronephrosis. The appendix is normal.\n"
            "DIAGNOSIS: Right ureterolithiasis with mild hydronephrosis.\n"
            "PLAN: Tamsulosin 0.4 mg daily for 2 weeks, naproxen 500 mg twice daily as needed, "
            "oxycodone 5 mg for breakthrough pain, 6 tablets. Strain urine. Urology referral. "
            "Return for fever, uncontrolled pain, or vomiting."
        ),
    ),
    "FA-10": (
        "Consult - History and Phy.",
        (
            "REASON FOR CONSULTATION: Preoperative medical evaluation before right total knee "
            "arthroplasty, requested by Dr. Okafor.\n"
            "HISTORY OF PRESENT ILLNESS: The patient is a 66-year-old retired teacher with "
            "end-stage osteoarthritis of the right knee, scheduled for arthroplasty next week. "
            "She walks a block before knee pain stops her, but climbs a flight of stairs "
            "without chest discomfort or dyspnea. She tolerated spinal anesthesia well for her "
            "left knee replacement in 2022.\n"
            "PAST MEDICAL HISTORY: 1. Hypertension. 2. Hypothyroidism after radioactive iodine "
            "for Graves disease in 1998. 3. GERD. 4. Depression in remission. 5. Left breast "
            "cancer, stage I, lumpectomy and radiation in 2015, no recurrence.\n"
            "PAST SURGICAL HISTORY: Left total knee arthroplasty 2022, left lumpectomy 2015, "
            "tubal ligation.\n"
            "MEDICATIONS: Amlodipine 10 mg daily, hydrochlorothiazide 12.5 mg daily, "
            "levothyroxine 100 mcg daily, omeprazole 20 mg daily, meloxicam 15 mg daily "
            "(stopped 1 week ago per surgeon).\n"
            "ALLERGIES: Sulfa drugs and adhesive tape.\n"
            "REVIEW OF SYSTEMS: Denies orthopnea, palpitations, syncope, bleeding problems or "
            "snoring. No history of DVT. Positive for heartburn, controlled on omeprazole.\n"
            "PHYSICAL EXAMINATION: BP 136/78, HR 64, SpO2 98%, BMI 31.2. Heart regular, no "
            "murmur. Lungs clear. Right knee with varus deformity and crepitus.\n"
            "ASSESSMENT AND PLAN: Low risk for major cardiac complications; functional "
            "capacity over 4 METs, no further cardiac testing needed. Hold hydrochlorothiazide "
            "the morning of surgery; continue amlodipine and levothyroxine. DVT prophylaxis "
            "per orthopedics. Resume meloxicam only when cleared by the surgeon."
        ),
    ),
    "FA-11": (
        "Consult - History and Phy.",
        (
            "INFECTIOUS DISEASE CONSULTATION\n"
            "REQUESTING PHYSICIAN: Dr. Hanley, podiatry.\n"
            "REASON: Diabetic foot ulcer with possible osteomyelitis.\n"
            "HISTORY: 58-year-old man with poorly controlled type 2 diabetes, peripheral "
            "neuropathy and peripheral arterial disease, who has had a nonhealing ulcer under "
            "the left first metatarsal head for 3 months. Two weeks ago the wound began to "
            "drain and the toe became red and swollen. He completed 10 days of cephalexin from "
            "his primary doctor without improvement. No fever or chills at home. Probe-to-bone "
            "test positive at bedside. MRI pending.\n"
            "PAST MEDICAL HISTORY: As above, plus coronary artery disease with a stent in "
            "2020, chronic kidney disease stage 3a, and diabetic retinopathy treated with "
            "laser.\n"
            "MEDICATIONS: Insulin glargine 30 units nightly, insulin aspart with meals, "
            "clopidogrel 75 mg daily, aspirin 81 mg, rosuvastatin 20 mg, carvedilol 12.5 mg "
            "twice daily.\n"
            "ALLERGIES: Doxycycline (photosensitive rash).\n"
            "SOCIAL HISTORY: Former smoker, quit 2020. Lives with his wife; works in a "
            "warehouse on his feet all day.\n"
            "EXAMINATION: Afebrile. 2 x 1.5 cm ulcer under the left first metatarsal head with "
            "purulent drainage and exposed bone; erythema to the midfoot. Dorsalis pedis pulse "
            "not palpable.\n"
            "IMPRESSION:\n"
            "1. Diabetic foot infection, moderate, with probable osteomyelitis of the left "
            "first metatarsal head.\n"
            "2. Failed outpatient cephalexin.\n"
            "3. Peripheral arterial disease, may limit healing.\n"
            "RECOMMENDATIONS:\n"
            "1. Start vancomycin per pharmacy dosing and piperacillin-tazobactam 3.375 g IV "
            "every 8 hours, after bone biopsy if possible.\n"
            "2. Vascular surgery consult and ankle-brachial indices.\n"
            "3. If MRI confirms osteomyelitis, likely 6 weeks of therapy unless resected. Will "
            "follow."
        ),
    ),
    "FA-12": (
        "Consult - History and Phy.",
        (
            "NEUROLOGY CONSULTATION\n"
            "CHIEF COMPLAINT: First-time seizure.\n"
            "HISTORY OF PRESENT ILLNESS: A 34-year-old right-handed man was found by his wife "
            "at 6 a.m. with generalized stiffening and rhythmic jerking of all four limbs for "
            "about 2 minutes, followed by 20 minutes of confusion. He bit the side of his "
            "tongue and was incontinent of urine. He had slept only 3 hours the night before "
            "after a double shift. No aura. No prior events, no febrile seizures as a child, "
            "no head trauma. He drinks 2 to 3 beers a week. No illicit drugs.\n"
            "PAST MEDICAL HISTORY: Attention deficit disorder treated in childhood, off "
            "medication since age 18. Seasonal allergic rhinitis. Left ACL reconstruction.\n"
            "MEDICATIONS: Cetirizine 10 mg as needed. Occasional ibuprofen.\n"
            "ALLERGIES: No known allergies.\n"
            "FAMILY HISTORY: A maternal cousin has epilepsy. Father with hypertension.\n"
            "EXAMINATION: Blood pressure 128/76, pulse 70, temperature 98.1. Alert and fully "
            "oriented. Lateral tongue laceration. Cranial nerves intact. Strength 5/5 "
            "throughout, reflexes 2+ and symmetric, plantar responses flexor. Gait normal.\n"
            "DATA: CT head negative. ECG normal. Basic metabolic panel and glucose were normal "
            "in the ED.\n"
            "IMPRESSION: Single generalized tonic-clonic seizure, possibly provoked by sleep "
            "deprivation. Differential includes convulsive syncope, which is less likely given "
            "the tongue bite and prolonged postictal confusion.\n"
            "PLAN: MRI brain with epilepsy protocol and routine EEG as an outpatient. No "
            "antiseizure medication after a single event at this point; levetiracetam will be "
            "considered if the EEG or MRI is abnormal. Counseled about driving restrictions "
            "(no driving for 6 months), sleep hygiene, and avoiding heights and bathing alone."
        ),
    ),
    "FA-13": (
        "Consult - History and Phy.",
        (
            "GENERAL SURGERY CONSULTATION\n"
            "REASON FOR CONSULT: Right upper quadrant pain.\n"
            "HPI: Ms. R. is a 47-year-old woman with 2 days of constant right upper quadrant "
            "pain after a fatty meal, now radiating to the right shoulder blade, with nausea "
            "and fevers to 101 at home. She has had 3 or 4 shorter similar episodes over the "
            "past year that resolved on their own. She denies jaundice, dark urine or pale "
            "stools.\n"
            "PAST MEDICAL HISTORY: Obesity, prediabetes, polycystic ovary syndrome, anxiety.\n"
            "PAST SURGICAL HISTORY: Cesarean section x2.\n"
            "MEDICATIONS: Metformin 500 mg daily, sertraline 100 mg daily, oral contraceptive "
            "pill.\n"
            "ALLERGIES: Erythromycin causes vomiting.\n"
            "SOCIAL HISTORY: Married, 2 children, social alcohol, no smoking.\n"
            "PHYSICAL EXAM: Temp 38.2 C, HR 102, BP 132/84. Weight 98 kg. Sclerae anicteric. "
            "Tender in the right upper quadrant with a positive Murphy sign; no rebound.\n"
            "STUDIES: White count elevated; liver tests and lipase within normal limits. "
            "Ultrasound shows multiple gallstones, a stone impacted in the gallbladder neck, "
            "wall thickening to 6 mm and pericholecystic fluid; common bile duct 4 mm.\n"
            "ASSESSMENT: Acute calculous cholecystitis. No evidence of choledocholithiasis, "
            "cholangitis or gallstone pancreatitis.\n"
            "PLAN: NPO, IV fluids, piperacillin-tazobactam, morphine as needed for pain. "
            "Laparoscopic cholecystectomy tomorrow morning; risks, benefits and alternatives "
            "discussed and consent obtained. Hold metformin while NPO."
        ),
    ),
    "FA-14": (
        "Consult - History and Phy.",
        (
            "RHEUMATOLOGY CONSULTATION\n"
            "The patient is a 39-year-old woman referred by her family physician for 4 months "
            "of symmetric pain and swelling in the small joints of both hands and wrists with "
            "morning stiffness lasting 2 hours. She has trouble opening jars and buttoning "
            "clothes. Ibuprofen 400 mg three times daily helps partially. She denies rash, "
            "photosensitivity, oral ulcers, Raynaud phenomenon, dry eyes or back pain. No "
            "recent diarrhea, urethritis or tick bites.\n"
            "PAST HISTORY: Iron deficiency anemia from heavy periods, treated with ferrous "
            "sulfate until last year. Hashimoto thyroiditis on levothyroxine 50 mcg. One "
            "uncomplicated vaginal delivery.\n"
            "FAMILY HISTORY: Mother with psoriasis; aunt with lupus.\n"
            "SOCIAL HISTORY: Dental hygienist. Nonsmoker. Rare alcohol.\n"
            "ALLERGIES: NKDA.\n"
            "EXAMINATION: Synovitis of the 2nd and 3rd MCP joints bilaterally, the right 2nd "
            "PIP and both wrists; 8 tender and 6 swollen joints. No nodules, nail pitting or "
            "rash. Tender MTP squeeze in both feet.\n"
            "Outside studies: rheumatoid factor and anti-CCP antibodies both strongly "
            "positive; hand x-rays without erosions.\n"
            "IMPRESSION: Seropositive rheumatoid arthritis, early, moderate disease activity. "
            "Psoriatic arthritis and lupus are unlikely given the examination and history.\n"
            "PLAN:\n"
            "1. Methotrexate 15 mg weekly, increasing to 20 mg in 4 weeks, with folic acid 1 "
            "mg daily.\n"
            "2. Prednisone 10 mg daily for 2 weeks, then taper over 4 weeks as a bridge.\n"
            "3. Hepatitis B and C serologies, chest x-ray and baseline liver tests before "
            "starting methotrexate.\n"
            "4. Avoid pregnancy on methotrexate; she has an IUD.\n"
            "5. Return in 6 weeks."
        ),
    ),
    "FA-15": (
        "Consult - History and Phy.",
        (
            "PSYCHIATRY CONSULTATION\n"
            "REASON FOR CONSULTATION: Agitation and confusion, question of psychosis.\n"
            "HISTORY OF PRESENT ILLNESS: Mr. D. is an 84-year-old widower admitted 3 days ago "
            "with a urinary tract infection, on ceftriaxone. Nursing reports that since last "
            "night he has been pulling at his IV, believes the nurses are stealing his wallet, "
            "and sees children in the corner of the room. He was given haloperidol 2 mg IM "
            "overnight with partial effect. Per his son, he lived alone and managed his own "
            "finances and medications until this admission, with mild forgetfulness over the "
            "last year but no hallucinations. No psychiatric history, no alcohol misuse.\n"
            "MEDICAL HISTORY: Parkinson disease for 6 years, benign prostatic hyperplasia, "
            "chronic constipation, macular degeneration.\n"
            "MEDICATIONS ON ADMISSION: Carbidopa-levodopa 25/100 three times daily, "
            "finasteride 5 mg daily, polyethylene glycol daily. In hospital, diphenhydramine "
            "25 mg was given twice for sleep.\n"
            "MENTAL STATUS EXAMINATION: Drowsy, then restless; inattentive (unable to name the "
            "months backward), disoriented to date and place. Speech soft. Fluctuating over "
            "the interview. Endorses visual hallucinations. No suicidal ideation.\n"
            "ASSESSMENT: Delirium, hyperactive, multifactorial: infection, anticholinergic "
            "medication, sleep disruption and a new environment in a patient with Parkinson "
            "disease and probable underlying mild neurocognitive disorder. A primary psychotic "
            "disorder is not supported.\n"
            "RECOMMENDATIONS:\n"
            "1. Stop diphenhydramine; avoid haloperidol, which can worsen parkinsonism.\n"
            "2. If needed for dangerous agitation, quetiapine 12.5 mg at bedtime and once as "
            "needed.\n"
            "3. Continue carbidopa-levodopa on schedule; do not hold doses.\n"
            "4. Delirium precautions: lights on by day, glasses and hearing aids, family at "
            "the bedside.\n"
            "5. Outpatient cognitive testing after recovery."
        ),
    ),
    "FA-16": (
        "Nephrology",
        (
            "NEPHROLOGY CONSULTATION\n"
            "REASON FOR CONSULTATION: Acute kidney injury.\n"
            "HISTORY OF PRESENT ILLNESS: 73-year-old man admitted yesterday after 5 days of "
            "diarrhea and poor oral intake following a course of clindamycin for a dental "
            "abscess. He kept taking his lisinopril, furosemide and over-the-counter "
            "ibuprofen. Creatinine on admission 3.4 mg/dL, from a baseline of 1.1 in June. BUN "
            "62. Potassium 5.9, bicarbonate 18. Urine sodium 12, fractional excretion of "
            "sodium 0.4%. Urinalysis bland, specific gravity 1.025, no protein or blood. Renal "
            "ultrasound: normal-sized kidneys, no hydronephrosis. Stool C. difficile toxin "
            "positive.\n"
            "PAST MEDICAL HISTORY: Hypertension, heart failure with preserved ejection "
            "fraction, type 2 diabetes (diet-controlled), prostate cancer treated with "
            "radiation in 2017.\n"
            "ALLERGIES: Iodine.\n"
            "EXAM: BP 98/56 lying, 84/50 standing, heart rate 104. Dry mucous membranes, flat "
            "neck veins, no edema.\n"
            "IMPRESSION:\n"
            "1. Acute kidney injury, prerenal from volume depletion, aggravated by ACE "
            "inhibitor, diuretic and NSAID. Acute tubular necrosis not excluded if slow to "
            "recover.\n"
            "2. Hyperkalemia.\n"
            "3. Non-anion gap metabolic acidosis from diarrhea.\n"
            "4. Clostridioides difficile colitis.\n"
            "RECOMMENDATIONS: Hold lisinopril, furosemide and ibuprofen. Isotonic bicarbonate "
            "infusion at 125 mL/hour; reassess volume every shift. Sodium zirconium "
            "cyclosilicate 10 g now. Oral vancomycin 125 mg four times daily for C. difficile "
            "per primary team. Daily BMP, strict intake and output. No indication for dialysis "
            "at present. Avoid contrast."
        ),
    ),
    "FA-17": (
        "Nephrology",
        (
            "NEPHROLOGY CLINIC FOLLOW-UP\n"
            "DIAGNOSIS: Chronic kidney disease stage 4 due to diabetic nephropathy.\n"
            "SUBJECTIVE: Mrs. A. returns for her 3-month visit. She feels tired by "
            "mid-afternoon. Appetite fair. No nausea, itching or change in urine output. Mild "
            "ankle swelling by evening. She attended the kidney options class and leans toward "
            "peritoneal dialysis when the time comes.\n"
            "CURRENT MEDICATIONS: Insulin degludec 22 units daily, linagliptin 5 mg daily, "
            "losartan 100 mg, amlodipine 10 mg, furosemide 40 mg twice a day, sodium "
            "bicarbonate 650 mg twice a day, calcitriol 0.25 mcg daily, atorvastatin 20 mg. "
            "She stopped dapagliflozin on her own because of recurrent yeast infections.\n"
            "ALLERGIES: ACE inhibitors (angioedema).\n"
            "VITALS: BP 148/82. Pulse 76. Weight 71.4 kg, up 1.2 kg.\n"
            "LABS (drawn 11/28):\n"
            "Creatinine 2.9 (eGFR 18)\n"
            "Potassium 5.2\n"
            "CO2 20\n"
            "Hemoglobin 9.8\n"
            "Phosphorus 5.1\n"
            "Calcium 8.9\n"
            "PTH 212\n"
            "Urine albumin/creatinine ratio 1,840 mg/g\n"
            "Hemoglobin A1c 7.4%\n"
            "ASSESSMENT AND PLAN:\n"
            "1. CKD 4, slowly progressive, eGFR 21 in August and 18 today. Refer to vascular "
            "surgery for fistula mapping now. Transplant referral placed.\n"
            "2. Hypertension, above goal: increase furosemide to 80 mg in the morning, 40 mg "
            "in the evening.\n"
            "3. Anemia of CKD: iron studies; start darbepoetin if hemoglobin falls below 9 and "
            "iron is replete.\n"
            "4. Secondary hyperparathyroidism and hyperphosphatemia: start sevelamer 800 mg "
            "with meals; dietitian visit.\n"
            "5. Diabetes, A1c at goal for her.\n"
            "Return in 6 weeks."
        ),
    ),
    "FA-18": (
        "Endocrinology",
        (
            "REFERRING PROVIDER: Dr. Moreau.\n"
            "REASON FOR REFERRAL: Incidental left adrenal mass.\n"
            "HISTORY: 61-year-old man found to have a 2.4 cm left adrenal nodule on CT of the "
            "abdomen done in October for diverticulitis, which resolved with antibiotics. The "
            "nodule measured 8 Hounsfield units on noncontrast images. He has had hypertension "
            "for 10 years, controlled on two drugs. He denies episodic headaches, "
            "palpitations, sweating, muscle weakness, easy bruising or weight gain. No history "
            "of malignancy.\n"
            "PAST MEDICAL HISTORY: Hypertension. Diverticulitis in October, resolved. "
            "Hyperlipidemia. Obstructive sleep apnea, uses CPAP. Remote kidney stone.\n"
            "MEDICATIONS: Chlorthalidone 25 mg daily, valsartan 160 mg daily, pravastatin 40 "
            "mg daily. Finished amoxicillin-clavulanate in October.\n"
            "ALLERGIES: NKDA.\n"
            "FAMILY HISTORY: Sister with thyroid cancer. No family history of adrenal tumors.\n"
            "EXAMINATION: Overweight. No cushingoid features: no violaceous striae, "
            "dorsocervical fat pad or proximal weakness.\n"
            "IMPRESSION: Left adrenal incidentaloma, 2.4 cm, with benign imaging features "
            "consistent with a lipid-rich adenoma. His hypertension raises the question of "
            "primary aldosteronism, which needs screening. Pheochromocytoma is very unlikely "
            "at 8 HU but will be excluded biochemically.\n"
            "PLAN:\n"
            "1. 1 mg overnight dexamethasone suppression test.\n"
            "2. Morning aldosterone and renin; plasma free metanephrines.\n"
            "3. Basic metabolic panel for potassium.\n"
            "4. If all normal, no further imaging is required. Return in 4 weeks to review "
            "results."
        ),
    ),
    "FA-19": (
        "Endocrinology",
        (
            "SUBJECTIVE: Mr. T. is a 55-year-old truck driver with type 2 diabetes for 12 "
            "years, seen for follow-up of glycemic control. Since the last visit his glipizide "
            "was increased, and he reports 2 episodes of shakiness and sweating with "
            "fingerstick glucose in the 60s, both on days he skipped lunch on long hauls. He "
            "tolerates metformin. He could not afford semaglutide after his insurance changed. "
            "No chest pain, claudication, numbness in the feet or vision changes. Eye exam in "
            "March showed no retinopathy.\n"
            "OTHER PROBLEMS: Hypertension. Fatty liver on ultrasound. Erectile dysfunction. "
            "Left frozen shoulder in the past, resolved with physical therapy.\n"
            "MEDICATIONS: Metformin 1000 mg b.i.d., glipizide 10 mg b.i.d., lisinopril 20 mg "
            "daily, simvastatin 20 mg daily, sildenafil 50 mg as needed.\n"
            "ALLERGIES: None.\n"
            "LABORATORY DATA: Hemoglobin A1c 9.1% today, 8.6% in June. Fasting glucose 188. "
            "LDL 124, HDL 38, triglycerides 246. ALT 58. Urine microalbumin/creatinine 45. "
            "Creatinine 0.9, eGFR greater than 90.\n"
            "ASSESSMENT:\n"
            "1. Type 2 diabetes mellitus, uncontrolled, with hypoglycemia on a sulfonylurea.\n"
            "2. Hyperlipidemia, not at goal.\n"
            "3. Nonalcoholic fatty liver disease with mildly elevated ALT.\n"
            "4. Moderately increased albuminuria.\n"
            "PLAN:\n"
            "1. Reduce glipizide to 5 mg with breakfast only; never take it when skipping "
            "meals.\n"
            "2. Start insulin glargine 10 units at bedtime, titrate by 2 units every 3 days to "
            "a fasting glucose of 90 to 130. Meter and hypoglycemia teaching given.\n"
            "3. Change simvastatin to rosuvastatin 20 mg.\n"
            "4. Apply for patient assistance for a GLP-1 receptor agonist; no personal or "
            "family history of medullary thyroid cancer or pancreatitis.\n"
            "5. Recheck A1c in 3 months, lipids in 8 weeks."
        ),
    ),
    "FA-20": (
        "Endocrinology",
        (
            "CHIEF COMPLAINT: Osteoporosis with a vertebral fracture.\n"
            "HISTORY OF PRESENT ILLNESS: This is a 72-year-old woman referred after an L1 "
            "compression fracture found on x-ray in August, when she developed back pain "
            "lifting a bag of potting soil. The pain has improved with physical therapy. DXA "
            "in September showed a T-score of -3.1 at the lumbar spine and -2.6 at the femoral "
            "neck. She took alendronate for 5 years, stopping in 2019 for a drug holiday, and "
            "has had no therapy since. She has lost 4 cm of height over 10 years. She took "
            "prednisone for 2 years for polymyalgia rheumatica, now in remission, off "
            "prednisone since 2023. Menopause at 49. Her serum calcium and vitamin D were "
            "normal per her primary care office.\n"
            "OTHER HISTORY: Polymyalgia rheumatica, in remission. Hypothyroidism. Cataract "
            "surgery both eyes. Atrial flutter, ablated in 2020, no recurrence.\n"
            "MEDICATIONS: Levothyroxine 88 mcg daily, calcium carbonate 600 mg twice daily, "
            "cholecalciferol 1,000 units daily.\n"
            "ALLERGIES: Codeine, nausea; sulfonamides, rash.\n"
            "SOCIAL AND FAMILY HISTORY: Mother had a hip fracture at 80. Never smoker. Walks "
            "30 minutes most days.\n"
            "REVIEW OF SYSTEMS: No dysphagia or heartburn. No planned dental extractions.\n"
            "IMPRESSION: Severe osteoporosis with a fragility vertebral fracture after "
            "completed bisphosphonate therapy; very high fracture risk. Prior glucocorticoid "
            "exposure contributes.\n"
            "PLAN:\n"
            "1. Start romosozumab 210 mg subcutaneously monthly for 12 months, then denosumab. "
            "No myocardial infarction or stroke in the past year.\n"
            "2. Serum protein electrophoresis, PTH, 24-hour urine calcium and celiac serology "
            "to exclude secondary causes.\n"
            "3. Fall prevention and balance program.\n"
            "4. Repeat DXA in 1 year."
        ),
    ),
}

TRUTH: dict[str, NoteTruth] = {
    "FA-01": NoteTruth(
        labs=(
            (("bnp",), 1480),
            (("sodium",), 133),
            (("potassium",), 3.2),
            (("creatinine",), 1.7),
            (("creatinine",), 1.5),
        ),
        vitals=(("weight", "84.1"),),
        medications=(
            "torsemide",
            "furosemide",
            "metoprolol succinate|metoprolol",
            "lisinopril",
            "spironolactone",
            "metformin",
            "atorvastatin",
        ),
        problems=(
            "congestive heart failure|heart failure",
            "ischemic cardiomyopathy|cardiomyopathy",
            "hypokalemia",
            "chronic kidney disease",
            "diabetes",
        ),
        allergies=("sulfa",),
        optional=(
            "problems:dyspnea on exertion",
            "problems:dyspnea",
            "problems:orthopnea",
            "problems:weight gain",
        ),
    ),
    "FA-02": NoteTruth(
        vitals=(
            ("temperature", "38.6"),
            ("heart_rate", "104"),
            ("respiratory_rate", "24"),
            ("blood_pressure", "102/58"),
            ("spo2", "89"),
        ),
        medications=(
            "ceftriaxone",
            "azithromycin",
            "cefpodoxime",
            "spiriva|tiotropium",
            "synthroid|levothyroxine",
            "albuterol",
            "acetaminophen",
        ),
        problems=("pneumonia", "copd", "hypothyroidism"),
        allergies=("codeine",),
        optional=(
            "vitals:temperature:101.8",
            "labs:sars_cov_2",
            "medications:oxygen",
            "problems:productive cough",
            "problems:cough",
            "problems:fever",
            "problems:confusion",
            "problems:consolidation",
            "problems:wheezing",
            "problems:hip arthroplasty",
            "problems:cholecystectomy",
        ),
    ),
    "FA-03": NoteTruth(
        labs=((HGB, 7.9), (HGB, 9.6), (HGB, 10.1), (("bun",), 48)),
        medications=(
            "naproxen",
            "pantoprazole",
            "amoxicillin",
            "clarithromycin",
            "amlodipine",
            "allopurinol",
            "acetaminophen",
        ),
        problems=(
            "upper gi bleed|gi bleed",
            "duodenal ulcer",
            "helicobacter pylori|h. pylori|pylori",
            "blood loss anemia|anemia",
            "osteoarthritis",
            "hypertension",
            "gout",
        ),
        allergies=NONE,
        optional=(
            "medications:packed red blood cells",
            "medications:nsaids",
            "problems:melena",
            "problems:black stools",
            "problems:knee pain",
            "problems:lightheadedness",
            "problems:ulcer",
            "problems:appendectomy",
        ),
    ),
    "FA-04": NoteTruth(
        medications=(
            "cefoxitin",
            "sumatriptan",
            "sprintec|oral contraceptive",
            "ibuprofen",
            "oxycodone",
        ),
        problems=("appendicitis", "migraine", "asthma"),
        allergies=("latex",),
        optional=(
            "labs:hcg_urine",
            "labs:hcg",
            "medications:inhaler",
            "problems:periumbilical pain",
            "problems:right lower quadrant pain",
            "problems:anorexia",
            "problems:emesis",
            "problems:appendectomy",
            "problems:pain",
        ),
    ),
    "FA-05": NoteTruth(
        medications=(
            "apixaban",
            "simvastatin",
            "atorvastatin",
            "aspirin",
            "tamsulosin",
            "nicotine patch|nicotine",
        ),
        problems=(
            "ischemic stroke|stroke|infarct",
            "aphasia|expressive aphasia",
            "atrial fibrillation",
            "hyperlipidemia",
            "tobacco use",
            "urinary retention",
            "benign prostatic hypertrophy|bph",
        ),
        allergies=("penicillin", "shellfish"),
        optional=(
            "problems:word-finding difficulty",
            "problems:clumsiness",
            "problems:stenosis",
            "problems:inguinal hernia",
            "problems:hernia repair",
            "problems:smoking",
        ),
    ),
    "FA-06": NoteTruth(
        vitals=(
            ("blood_pressure", "164/92"),
            ("heart_rate", "88"),
            ("respiratory_rate", "18"),
            ("temperature", "98.4"),
            ("spo2", "97"),
            ("weight", "102"),
        ),
        medications=(
            "nitroglycerin",
            "losartan",
            "metformin",
            "empagliflozin",
            "aspirin",
            "atorvastatin",
        ),
        problems=(
            "chest pain",
            "hypertension",
            "type 2 diabetes|diabetes",
            "obesity",
            "gestational diabetes",
        ),
        allergies=NONE,
        optional=(
            "labs:hs_troponin_i",
            "labs:hs_troponin_t",
            "labs:troponin_i",
            "labs:troponin_t",
            "problems:chest pressure",
            "problems:diaphoresis",
            "problems:unstable angina",
            "problems:angina",
            "problems:esophageal spasm",
            "problems:gerd",
        ),
    ),
    "FA-07": NoteTruth(
        labs=(
            (("glucose",), 512),
            (("sodium",), 131),
            (("potassium",), 5.6),
            (("chloride",), 95),
            (("co2", "hco3_arterial"), 9),
            (("anion_gap",), 27),
            (("bun",), 24),
            (("creatinine",), 1.3),
        ),
        vitals=(
            ("temperature", "37.1"),
            ("heart_rate", "122"),
            ("blood_pressure", "108/64"),
            ("respiratory_rate", "28"),
            ("spo2", "100"),
        ),
        medications=(
            "insulin lispro|lispro",
            "regular insulin|insulin",
            "sertraline",
            "ondansetron",
        ),
        problems=(
            "diabetic ketoacidosis|ketoacidosis|dka",
            "type 1 diabetes|diabetes",
            "depression",
        ),
        allergies=NONE,
        optional=(
            "labs:ph_arterial:7.12",
            "labs:beta-hydroxybutyrate:6.8",
            "labs:lipase",
            "labs:ua_ketones",
            "labs:ua_glucose",
            "medications:normal saline",
            "medications:saline",
            "medications:potassium",
            "problems:nausea",
            "problems:vomiting",
            "problems:abdominal pain",
            "problems:polyuria",
            "problems:polydipsia",
            "problems:insulin pump failure",
        ),
    ),
    "FA-08": NoteTruth(
        labs=((("inr",), 2.8),),
        vitals=(
            ("temperature", "36.6"),
            ("heart_rate", "72"),
            ("blood_pressure", "148/80"),
            ("respiratory_rate", "16"),
            ("spo2", "96"),
        ),
        medications=(
            "warfarin",
            "metoprolol tartrate|metoprolol",
            "alendronate",
            "vitamin d3|vitamin d",
            "lidocaine",
            "tramadol",
            "acetaminophen",
        ),
        problems=(
            "distal radius fracture|radius fracture|wrist fracture|fracture",
            "head injury",
            "atrial fibrillation",
            "rheumatic mitral stenosis|mitral stenosis",
            "osteoporosis",
            "hypertension",
        ),
        allergies=("iodinated contrast|contrast", "tape"),
        optional=(
            "medications:anticoagulation",
            "problems:fall",
            "problems:wrist pain",
            "problems:hematoma",
            "problems:mechanical mitral valve",
            "problems:mitral valve replacement",
        ),
    ),
    "FA-09": NoteTruth(
        vitals=(
            ("blood_pressure", "156/94"),
            ("heart_rate", "96"),
            ("respiratory_rate", "20"),
            ("temperature", "36.8"),
            ("spo2", "99"),
        ),
        medications=(
            "allopurinol",
            "ketorolac",
            "ondansetron",
            "tamsulosin",
            "naproxen",
            "oxycodone",
        ),
        problems=(
            "ureterolithiasis|obstructing stone",
            "hydronephrosis",
            "nephrolithiasis|kidney stones|kidney stone",
            "gout",
            "sleep apnea",
        ),
        allergies=("morphine",),
        optional=(
            "labs:ua_blood",
            "labs:ua_nitrite",
            "labs:ua_leukocyte_esterase",
            "medications:cpap",
            "problems:flank pain",
            "problems:nausea",
            "problems:vomiting",
            "problems:stone",
        ),
    ),
    "FA-10": NoteTruth(
        vitals=(
            ("blood_pressure", "136/78"),
            ("heart_rate", "64"),
            ("spo2", "98"),
            ("bmi", "31.2"),
        ),
        medications=(
            "amlodipine",
            "hydrochlorothiazide",
            "levothyroxine",
            "omeprazole",
            "meloxicam",
        ),
        problems=(
            "osteoarthritis",
            "hypertension",
            "hypothyroidism",
            "graves disease|graves",
            "gerd",
            "depression",
            "breast cancer",
        ),
        allergies=("sulfa", "adhesive tape|tape"),
        optional=(
            "medications:radioactive iodine",
            "medications:spinal anesthesia",
            "problems:knee pain",
            "problems:heartburn",
            "problems:varus deformity",
            "problems:crepitus",
            "problems:knee arthroplasty",
            "problems:knee replacement",
            "problems:lumpectomy",
            "problems:tubal ligation",
        ),
    ),
    "FA-11": NoteTruth(
        medications=(
            "cephalexin",
            "insulin glargine|glargine",
            "insulin aspart|aspart",
            "clopidogrel",
            "aspirin",
            "rosuvastatin",
            "carvedilol",
            "vancomycin",
            "piperacillin-tazobactam|piperacillin",
        ),
        problems=(
            "diabetic foot ulcer|ulcer",
            "diabetic foot infection|foot infection",
            "type 2 diabetes|diabetes",
            "peripheral neuropathy|neuropathy",
            "peripheral arterial disease",
            "coronary artery disease",
            "chronic kidney disease",
            "diabetic retinopathy|retinopathy",
        ),
        allergies=("doxycycline",),
        optional=(
            "problems:osteomyelitis",
            "problems:erythema",
            "problems:smoker",
            "problems:stent",
        ),
    ),
    "FA-12": NoteTruth(
        vitals=(
            ("blood_pressure", "128/76"),
            ("heart_rate", "70"),
            ("temperature", "98.1"),
        ),
        medications=("cetirizine", "ibuprofen"),
        problems=(
            "seizure|tonic-clonic seizure",
            "attention deficit disorder",
            "allergic rhinitis",
        ),
        allergies=NONE,
        optional=(
            "labs:glucose",
            "medications:levetiracetam",
            "problems:confusion",
            "problems:postictal confusion",
            "problems:tongue laceration",
            "problems:incontinent",
            "problems:sleep deprivation",
            "problems:convulsive syncope",
            "problems:acl reconstruction",
        ),
    ),
    "FA-13": NoteTruth(
        vitals=(
            ("temperature", "38.2"),
            ("heart_rate", "102"),
            ("blood_pressure", "132/84"),
            ("weight", "98"),
        ),
        medications=(
            "metformin",
            "sertraline",
            "oral contraceptive",
            "piperacillin-tazobactam|piperacillin",
            "morphine",
        ),
        problems=(
            "acute calculous cholecystitis|cholecystitis",
            "gallstones|cholelithiasis",
            "obesity",
            "prediabetes",
            "polycystic ovary syndrome",
            "anxiety",
        ),
        allergies=("erythromycin",),
        optional=(
            "vitals:temperature:101",
            "labs:wbc",
            "labs:lipase",
            "medications:iv fluids",
            "problems:right upper quadrant pain",
            "problems:nausea",
            "problems:fever",
            "problems:leukocytosis",
            "problems:wall thickening",
            "problems:pericholecystic fluid",
            "problems:cesarean section",
        ),
    ),
    "FA-14": NoteTruth(
        medications=(
            "ibuprofen",
            "ferrous sulfate",
            "levothyroxine",
            "methotrexate",
            "folic acid",
            "prednisone",
        ),
        problems=(
            "rheumatoid arthritis",
            "iron deficiency anemia|anemia",
            "hashimoto thyroiditis|hashimoto",
        ),
        allergies=NONE,
        optional=(
            "labs:rf",
            "medications:iud",
            "problems:synovitis",
            "problems:joint pain",
            "problems:pain and swelling",
            "problems:morning stiffness",
            "problems:heavy periods",
        ),
    ),
    "FA-15": NoteTruth(
        medications=(
            "ceftriaxone",
            "haloperidol",
            "carbidopa-levodopa|carbidopa|levodopa",
            "finasteride",
            "polyethylene glycol",
            "diphenhydramine",
            "quetiapine",
        ),
        problems=(
            "delirium",
            "urinary tract infection|infection",
            "parkinson disease|parkinson",
            "benign prostatic hyperplasia",
            "constipation",
            "macular degeneration",
        ),
        optional=(
            "problems:neurocognitive disorder",
            "problems:agitation",
            "problems:confusion",
            "problems:visual hallucinations",
            "problems:hallucinations",
            "problems:forgetfulness",
            "problems:parkinsonism",
        ),
    ),
    "FA-16": NoteTruth(
        labs=(
            (("creatinine",), 3.4),
            (("creatinine",), 1.1),
            (("bun",), 62),
            (("potassium",), 5.9),
            (("co2", "hco3_arterial"), 18),
            (("urine_sodium",), 12),
            (("ua_specific_gravity",), 1.025),
        ),
        vitals=(
            ("blood_pressure", "98/56"),
            ("blood_pressure", "84/50"),
            ("heart_rate", "104"),
        ),
        medications=(
            "clindamycin",
            "lisinopril",
            "furosemide",
            "ibuprofen",
            "sodium zirconium cyclosilicate",
            "vancomycin",
        ),
        problems=(
            "acute kidney injury",
            "hyperkalemia",
            "metabolic acidosis",
            "clostridioides difficile colitis|c. difficile|colitis",
            "hypertension",
            "heart failure",
            "type 2 diabetes|diabetes",
            "prostate cancer",
        ),
        allergies=("iodine",),
        optional=(
            "labs:ua_protein",
            "labs:ua_blood",
            "medications:bicarbonate",
            "medications:isotonic bicarbonate",
            "medications:ace inhibitor",
            "medications:nsaid",
            "medications:diuretic",
            "problems:volume depletion",
            "problems:acute tubular necrosis",
            "problems:diarrhea",
            "problems:poor oral intake",
            "problems:dental abscess",
        ),
    ),
    "FA-17": NoteTruth(
        labs=(
            (("creatinine",), 2.9),
            (("egfr",), 18),
            (("egfr",), 21),
            (("potassium",), 5.2),
            (("co2",), 20),
            (HGB, 9.8),
            (("phosphorus",), 5.1),
            (("calcium",), 8.9),
            (("pth",), 212),
            (("uacr",), 1840),
            (("hba1c",), 7.4),
        ),
        vitals=(
            ("blood_pressure", "148/82"),
            ("heart_rate", "76"),
            ("weight", "71.4"),
        ),
        medications=(
            "insulin degludec|degludec",
            "linagliptin",
            "losartan",
            "amlodipine",
            "furosemide",
            "sodium bicarbonate",
            "calcitriol",
            "atorvastatin",
            "dapagliflozin",
            "sevelamer",
        ),
        problems=(
            "chronic kidney disease|ckd",
            "diabetic nephropathy",
            "hypertension",
            "anemia",
            "secondary hyperparathyroidism|hyperparathyroidism",
            "hyperphosphatemia",
            "diabetes",
            "yeast infections|yeast infection",
        ),
        allergies=("ace inhibitors|ace inhibitor",),
        optional=(
            "medications:darbepoetin",
            "problems:tired",
            "problems:fatigue",
            "problems:ankle swelling",
            "problems:angioedema",
        ),
    ),
    "FA-18": NoteTruth(
        medications=(
            "chlorthalidone",
            "valsartan",
            "pravastatin",
            "amoxicillin-clavulanate|amoxicillin",
        ),
        problems=(
            "adrenal incidentaloma|adrenal nodule|adrenal mass|incidentaloma",
            "hypertension",
            "diverticulitis",
            "hyperlipidemia",
            "obstructive sleep apnea|sleep apnea",
            "kidney stone",
        ),
        allergies=NONE,
        optional=(
            "medications:dexamethasone",
            "medications:antibiotics",
            "medications:cpap",
            "problems:adenoma",
            "problems:lipid-rich adenoma",
            "problems:primary aldosteronism",
            "problems:aldosteronism",
            "problems:pheochromocytoma",
            "problems:overweight",
        ),
    ),
    "FA-19": NoteTruth(
        labs=(
            (("hba1c",), 9.1),
            (("hba1c",), 8.6),
            (("glucose", "glucose_fasting"), 188),
            (("ldl",), 124),
            (("hdl",), 38),
            (("triglycerides",), 246),
            (("alt",), 58),
            (("uacr", "urine_albumin"), 45),
            (("creatinine",), 0.9),
        ),
        medications=(
            "metformin",
            "glipizide",
            "lisinopril",
            "simvastatin",
            "sildenafil",
            "insulin glargine|glargine",
            "rosuvastatin",
        ),
        problems=(
            "type 2 diabetes|diabetes",
            "hypoglycemia",
            "hypertension",
            "fatty liver|nonalcoholic fatty liver disease",
            "erectile dysfunction",
            "frozen shoulder",
            "hyperlipidemia",
            "albuminuria",
        ),
        allergies=NONE,
        optional=(
            "labs:egfr",
            "medications:semaglutide",
            "medications:glp-1 receptor agonist",
            "medications:sulfonylurea",
            "problems:elevated alt",
            "problems:shakiness",
            "problems:sweating",
        ),
    ),
    "FA-20": NoteTruth(
        medications=(
            "alendronate",
            "prednisone",
            "levothyroxine",
            "calcium carbonate",
            "cholecalciferol",
            "romosozumab",
        ),
        problems=(
            "osteoporosis",
            "compression fracture|vertebral fracture",
            "polymyalgia rheumatica",
            "hypothyroidism",
            "atrial flutter",
        ),
        allergies=("codeine", "sulfonamides|sulfonamide|sulfa"),
        optional=(
            "labs:calcium",
            "labs:vitamin_d",
            "medications:denosumab",
            "medications:bisphosphonate",
            "medications:glucocorticoid",
            "problems:back pain",
            "problems:fragility vertebral fracture",
            "problems:height loss",
            "problems:cataract",
            "problems:menopause",
        ),
    ),
}
