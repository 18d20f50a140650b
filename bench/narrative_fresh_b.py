"""Fresh clinical notes with truth for the narrative precision bench (bench/narrative.py),
written by a helper on 2026-12-07 and committed before the reader was ever run on them:
nobody tunes on them. The patients and stories are invented (no corpus note is copied or
paraphrased); the truth follows the conventions of narrative_truth.py's docstring.

NOTES maps an id to (title or specialty, note text with "\\n" between sections); TRUTH maps
the same ids to what a person read in each note.
"""

from __future__ import annotations

from narrative_truth import NoteTruth

NONE: tuple[str, ...] = ("none",)

NOTES: dict[str, tuple[str, str]] = {
    "FB-01": (
        "SOAP / Chart / Progress Notes - Diabetes follow-up",
        "SUBJECTIVE:  The patient is a 58-year-old man who returns for follow up of type 2 "
        "diabetes mellitus, hypertension and hyperlipidemia.  He admits he has been "
        "snacking more since he changed to night shifts at the warehouse.  He checks his "
        "sugars about twice a week and sees fasting readings in the 170s to 190s.  He denies "
        "polyuria, polydipsia, chest pain or blurred vision.  No numbness or tingling in the "
        "feet.  He takes metformin 1000 mg twice daily, glipizide 5 mg every morning, "
        "lisinopril 10 mg daily and atorvastatin 40 mg at bedtime and says he rarely misses "
        "a dose.\n"
        "ALLERGIES:  Sulfa drugs (rash).\n"
        "FAMILY HISTORY:  Father had a myocardial infarction at age 62.  Mother with "
        "hypertension.\n"
        "OBJECTIVE:  Vitals:  BP 138/86, pulse 78, weight 231 pounds.  Feet with intact "
        "monofilament sensation bilaterally, no ulcers.  Heart regular.  Lungs clear.\n"
        "Labs drawn last week show hemoglobin A1c 8.4%, up from 7.6% in June.  Creatinine "
        "1.1, eGFR greater than 60.  LDL 92.\n"
        "ASSESSMENT AND PLAN:\n"
        "1.  Type 2 diabetes, not at goal.  We discussed options and he would like to avoid "
        "injections.  Start Jardiance 10 mg daily.  Continue metformin and glipizide.  "
        "Counseled on genital hygiene and hydration.  Recheck A1c in 3 months.\n"
        "2.  Hypertension, slightly above goal.  Continue lisinopril for now and recheck at "
        "next visit, as Jardiance may lower his pressure a little.\n"
        "3.  Hyperlipidemia.  Continue atorvastatin.\n"
        "4.  Referred to diabetes education for meal planning around his shift work.",
    ),
    "FB-02": (
        "SOAP / Chart / Progress Notes - Hospital day 3",
        "PROGRESS NOTE, HOSPITAL DAY 3\n"
        "SUBJECTIVE:  The patient is a 72-year-old woman with COPD admitted with right lower "
        "lobe community-acquired pneumonia.  She slept better last night and says her "
        "breathing is easier.  Cough is still productive of yellow sputum but less of it.  "
        "No chest pain.  She is eating about half of her trays.\n"
        "OBJECTIVE:\n"
        "Temperature 99.1, heart rate 88, respiratory rate 20, blood pressure 124/68, "
        "oxygen saturation 93% on 2 liters nasal cannula.\n"
        "Lungs:  Coarse crackles at the right base, scattered expiratory wheezes, improved "
        "from yesterday.  Heart:  Regular rate and rhythm.  Extremities:  No edema.\n"
        "LABS:  WBC 13.2, down from 17.8 on admission.  Sodium 133.  Creatinine 1.3, which "
        "is her baseline.  Blood cultures from admission with no growth to date.\n"
        "MEDICATIONS:  Ceftriaxone 1 g IV daily, azithromycin 500 mg daily, prednisone 40 mg "
        "daily, albuterol and ipratropium nebulizers every 6 hours, and her home Spiriva.  "
        "Heparin 5000 units subcutaneously for DVT prophylaxis.\n"
        "ALLERGIES:  Penicillin, which caused a rash as a child.  She has tolerated "
        "ceftriaxone without problems.\n"
        "ASSESSMENT AND PLAN:\n"
        "1.  Community-acquired pneumonia, improving.  Day 3 of ceftriaxone and azithromycin. "
        " Plan to change to oral cefpodoxime tomorrow if she remains afebrile.\n"
        "2.  COPD exacerbation.  Continue prednisone for a total of 5 days.  Wean oxygen to "
        "keep saturation 88% to 92%.\n"
        "3.  Mild hyponatremia, likely from poor intake.  Encourage oral intake and recheck "
        "in the morning.\n"
        "4.  Pulmonary embolism was considered on admission, but the CT angiogram was "
        "negative.\n"
        "5.  Disposition:  Home with her daughter in 1 to 2 days.",
    ),
    "FB-03": (
        "SOAP / Chart / Progress Notes - Sore throat",
        "S:  34-year-old female teacher with 3 days of sore throat, nasal congestion, mild "
        "cough and hoarseness.  Several children in her class have been sick.  She felt "
        "warm last night but did not check a temperature.  She denies rash, ear pain, "
        "shortness of breath or difficulty swallowing her saliva.  She has been taking "
        "ibuprofen 400 mg every 6 hours with some relief.  Her only regular medicines are "
        "levothyroxine 75 mcg daily for hypothyroidism and Sprintec.  NKDA.  Nonsmoker.\n"
        "O:  Temp 100.4, HR 96, BP 118/74.  Pharynx erythematous without exudate, tonsils "
        "1+.  TMs clear.  A few small shotty anterior cervical nodes, nontender.  No "
        "posterior cervical adenopathy.  Lungs clear.  No splenomegaly.\n"
        "Rapid strep in the office is negative.  Throat culture sent.\n"
        "A:  Viral pharyngitis with upper respiratory infection.  Strep pharyngitis is "
        "unlikely with the negative rapid test and her cough, and the culture is pending.  "
        "Mononucleosis was considered, but there is no posterior adenopathy or "
        "splenomegaly, so no Monospot today.\n"
        "P:  Supportive care with fluids, salt water gargles and Cepacol lozenges.  Continue "
        "ibuprofen as needed with food.  No antibiotics unless the culture returns positive, "
        "in which case we will call in amoxicillin.  Return if symptoms last more than 10 "
        "days or if she has trouble breathing.  Note given for work for 2 days.",
    ),
    "FB-04": (
        "SOAP / Chart / Progress Notes - Low back pain",
        "SUBJECTIVE:  This 49-year-old man returns for his chronic low back pain.  Pain has "
        "been present for about 4 years and is worse after long drives for work.  It stays "
        "in the low back and right buttock and does not go below the knee.  He denies "
        "saddle anesthesia, bowel or bladder incontinence, or leg weakness.  He was started "
        "on gabapentin last spring but stopped it after two weeks because it made him too "
        "drowsy to drive.  Currently taking naproxen 500 mg twice a day and cyclobenzaprine "
        "10 mg at bedtime, plus omeprazole 20 mg daily for reflux, which is controlled.\n"
        "PAST MEDICAL HISTORY:  Lumbar degenerative disc disease on MRI in 2022.  GERD.  "
        "Obesity.\n"
        "PAST SURGICAL HISTORY:  Right knee arthroscopy in 2015.\n"
        "ALLERGIES:  Codeine causes vomiting.\n"
        "SOCIAL HISTORY:  Sales representative.  Drinks socially.  Quit smoking 10 years "
        "ago.\n"
        "PHYSICAL EXAMINATION:  Mild tenderness over the right lower lumbar paraspinal "
        "muscles.  Straight leg raise negative bilaterally.  Strength 5/5 in the lower "
        "extremities.  Reflexes symmetric.  Gait normal.\n"
        "ASSESSMENT:  Chronic mechanical low back pain with lumbar degenerative disc disease, "
        "no radiculopathy today.\n"
        "PLAN:  Referral to physical therapy for core strengthening, twice weekly for 6 "
        "weeks.  Continue naproxen and omeprazole.  Cyclobenzaprine only as needed.  "
        "Discussed weight loss and taking breaks every hour when driving.  If he is not "
        "better in 8 weeks, we will consider a repeat MRI and a spine referral.",
    ),
    "FB-05": (
        "SOAP / Chart / Progress Notes - Dysuria",
        "SUBJECTIVE:, The patient is an 81-year-old woman brought in by her son for 2 days of "
        "burning with urination, frequency and new urinary incontinence.  Son thinks she has "
        "been more confused than usual since yesterday.  No fever at home.  She denies flank "
        "pain, nausea or vomiting.  History is limited by her mild Alzheimer dementia.  She "
        "lives with her son and uses a cane.\n"
        "CURRENT MEDICATIONS:  Amlodipine 5 mg daily, alendronate 70 mg weekly, donepezil 10 "
        "mg at bedtime, calcium with vitamin D twice daily.\n"
        "ALLERGIES:  Cipro (tendon pain).\n"
        "PAST HISTORY:  Hypertension, osteoporosis with a wrist fracture in 2019, dementia.\n"
        "OBJECTIVE:, Temperature 98.6, blood pressure 146/78, pulse 84.  Alert, oriented to "
        "person and place but not date, which son says is her usual.  Mucous membranes "
        "slightly dry.  No CVA tenderness.  Abdomen soft with mild suprapubic tenderness.\n"
        "Urinalysis by dipstick shows large leukocyte esterase, positive nitrite and trace "
        "blood.  Culture sent.\n"
        "ASSESSMENT:, Acute cystitis.  Pyelonephritis is unlikely without fever or flank "
        "pain.  Mild change in mental status is likely related to the infection in the "
        "setting of dementia.\n"
        "PLAN:, Macrobid 100 mg twice daily for 5 days, adjusted if the culture shows "
        "resistance.  Push fluids.  Son will call if she develops fever, vomiting or worse "
        "confusion.  Phone follow up in 3 days to review the culture.",
    ),
    "FB-06": (
        "SOAP / Chart / Progress Notes - Asthma follow-up",
        "CHIEF COMPLAINT:  Follow up of asthma after urgent care visit.\n"
        "HISTORY OF PRESENT ILLNESS:  The patient is a 27-year-old man seen in urgent care 10 "
        "days ago for wheezing after a cold and treated with a 5-day prednisone burst, which "
        "he finished.  He feels back to normal.  Before this he was using his albuterol "
        "inhaler 3 to 4 times a week and waking at night with cough about twice a month.  He "
        "has never been on a controller medicine.  No ER visits or admissions in the last "
        "year and he has never been intubated.  He quit vaping 6 months ago.\n"
        "PAST MEDICAL HISTORY:  Asthma since childhood.  Allergic rhinitis.  Eczema as a "
        "child, which resolved.\n"
        "ALLERGIES:  No known drug allergies.  Environmental allergies to cat dander and "
        "dust mites.\n"
        "FAMILY HISTORY:  Mother with asthma and eczema.\n"
        "REVIEW OF SYSTEMS:  Negative for fever, chest pain, heartburn or weight loss.\n"
        "EXAMINATION:  Well appearing, speaking in full sentences.  Lungs clear without "
        "wheezes.  Nasal turbinates pale and boggy.  Peak flow today 510, about 90% of "
        "predicted.\n"
        "ASSESSMENT:  Moderate persistent asthma, recently exacerbated, now at baseline.  "
        "Allergic rhinitis, not well controlled.\n"
        "PLAN:  Start Advair 250/50 one inhalation twice a day and rinse mouth after use.  "
        "Continue albuterol as needed.  Start fluticasone nasal spray 2 sprays each nostril "
        "daily.  Written asthma action plan given.  Dust mite covers for the bedding.  "
        "Return in 6 weeks, sooner if he needs albuterol more than twice a week.",
    ),
    "FB-07": (
        "Office Notes - Thyroid follow-up",
        "HISTORY:  The patient is a 45-year-old woman with Hashimoto thyroiditis and "
        "hypothyroidism who comes in for her routine follow up.  She reports more fatigue "
        "over the last 2 months, feeling cold, and dry skin.  Weight is stable.  She takes "
        "levothyroxine 88 mcg every morning on an empty stomach but admits she has started "
        "taking it with her coffee.  She also takes sertraline 50 mg daily for depression, "
        "which she feels is well controlled, and vitamin D3 2000 units daily for vitamin D "
        "deficiency diagnosed last year.\n"
        "PAST SURGICAL HISTORY:  Cesarean section x2.\n"
        "FAMILY HISTORY:  Mother had papillary thyroid cancer.  Sister has type 1 diabetes.\n"
        "ALLERGIES:  NKDA.\n"
        "REVIEW OF SYSTEMS:  She denies palpitations, tremor, neck swelling or trouble "
        "swallowing.  No hair loss.  Periods are regular.\n"
        "EXAMINATION:  Thyroid is mildly enlarged and firm without discrete nodules.  Skin "
        "is dry.  Reflexes with slightly delayed relaxation.\n"
        "LABORATORY DATA:  TSH 6.8 and free T4 0.9 this month.  A year ago her TSH was 2.1 "
        "on the same dose.\n"
        "IMPRESSION:  Hypothyroidism, undertreated, most likely from taking levothyroxine "
        "with coffee.\n"
        "PLAN:  Increase levothyroxine to 100 mcg daily, taken with water 30 to 60 minutes "
        "before breakfast.  Recheck TSH in 6 weeks.  Continue sertraline and vitamin D.  She "
        "will call if she has palpitations on the higher dose.",
    ),
    "FB-08": (
        "Office Notes - Gout follow-up",
        "SUBJECTIVE:  This is a 61-year-old man seen 1 week after a flare of gout in the "
        "left first MTP joint, his third flare this year.  The flare responded to "
        "colchicine 0.6 mg twice daily and the swelling is now gone.  No fever.  He drinks "
        "4 to 5 beers on weekends and has cut back on red meat.  He has been on "
        "hydrochlorothiazide 25 mg for blood pressure for several years.\n"
        "PAST MEDICAL HISTORY:  Gout.  Hypertension.  Chronic kidney disease stage 3a.  "
        "Kidney stones in 2011.\n"
        "ALLERGIES:  None known.\n"
        "OBJECTIVE:  Blood pressure 142/88, heart rate 76, temperature 98.2.  Left great toe "
        "without warmth or swelling.  No tophi on the ears, elbows or hands.\n"
        "LABS:  Uric acid 9.2.  Creatinine 1.4 with eGFR 54.  Potassium 4.1.\n"
        "ASSESSMENT/PLAN:\n"
        "1.  Recurrent gout.  With three flares this year he meets criteria for urate "
        "lowering therapy.  Start allopurinol 100 mg daily and increase by 100 mg every 4 "
        "weeks to a goal uric acid under 6.  Continue colchicine 0.6 mg once daily for "
        "flare prophylaxis for 6 months.  Avoid indomethacin and other NSAIDs because of his "
        "kidney function.\n"
        "2.  Hypertension, above goal.  Stop hydrochlorothiazide since it raises uric acid.  "
        "Start losartan 50 mg daily, which lowers it slightly.  Check BMP in 2 weeks.\n"
        "3.  CKD stage 3a, stable.\n"
        "4.  Counseled on limiting beer and sugary drinks.\n"
        "Recheck uric acid in 4 weeks.",
    ),
    "FB-09": (
        "Office Notes - Headache follow-up",
        "REASON FOR VISIT:  Follow up of migraine.\n"
        "HISTORY OF PRESENT ILLNESS:  The patient is a 38-year-old woman with migraine with "
        "aura since her teens.  At her last visit she was having about 10 headache days a "
        "month and taking ibuprofen on most of them.  Her combined oral contraceptive was "
        "stopped at that visit because of the aura and she now has a copper IUD.  Topiramate "
        "25 mg at bedtime was started and she is tolerating it except for some tingling in "
        "her fingers.  Her headache diary shows 6 headache days last month.  Sumatriptan 50 "
        "mg works well when taken early.  Aura is visual zigzag lines lasting 20 minutes.  "
        "She denies weakness, numbness of the face, speech trouble or headaches that wake her "
        "from sleep.\n"
        "OTHER HISTORY:  Generalized anxiety, managed with counseling.  No surgeries.\n"
        "MEDICATIONS:  Topiramate 25 mg nightly, sumatriptan 50 mg as needed up to twice "
        "weekly, ibuprofen as needed.\n"
        "ALLERGIES:  Latex and amoxicillin (hives).\n"
        "FAMILY HISTORY:  Mother and maternal aunt with migraine.\n"
        "SOCIAL HISTORY:  Accountant.  No tobacco.  1 to 2 glasses of wine per week.\n"
        "EXAM:  Neurologic exam normal including fundi, cranial nerves, strength, "
        "sensation and gait.\n"
        "ASSESSMENT:  Migraine with aura, improving on topiramate.  Possible medication "
        "overuse headache contributing, now less likely as ibuprofen use is down.\n"
        "PLAN:  Increase topiramate to 50 mg at bedtime.  Limit ibuprofen and sumatriptan to "
        "no more than 2 days a week combined.  Continue diary.  No imaging is needed with a "
        "normal exam and a stable pattern.  Return in 3 months.",
    ),
    "FB-10": (
        "Office Notes - Postoperative visit",
        "POSTOPERATIVE VISIT\n"
        "The patient is a 66-year-old man seen 2 weeks after laparoscopic cholecystectomy "
        "for symptomatic cholelithiasis.  He had 3 episodes of right upper quadrant pain "
        "after fatty meals before surgery, and the ultrasound showed multiple gallstones "
        "without ductal dilation.  Preoperative liver tests were normal.  Surgery was "
        "uncomplicated and he went home the same day.  He "
        "used oxycodone 5 mg for 3 days and then only acetaminophen, and he now takes "
        "nothing for pain.  He is eating a regular diet.  He denies fever, jaundice, "
        "vomiting, or drainage from the incisions.  Bowel movements are normal.\n"
        "Pathology:  Chronic cholecystitis with cholelithiasis.  No dysplasia or malignancy.\n"
        "Other medical problems are hypertension on lisinopril 20 mg daily and benign "
        "prostatic hyperplasia on tamsulosin 0.4 mg at bedtime.  No known allergies.\n"
        "EXAMINATION:  Afebrile and comfortable.  The four port sites are "
        "healing well without erythema or drainage.  The umbilical incision is slightly "
        "firm without a hernia.  Abdomen soft and nontender.\n"
        "IMPRESSION:  Doing well after laparoscopic cholecystectomy.\n"
        "PLAN:  He may return to lifting over 20 pounds in 2 more weeks.  Continue his "
        "regular medicines.  Follow up with me as needed and with his primary care "
        "physician for blood pressure.",
    ),
    "FB-11": (
        "Office Notes - Anticoagulation follow-up",
        "SUBJECTIVE:  52-year-old woman seen for follow up of a left leg deep vein thrombosis "
        "diagnosed 3 months ago, 5 days after a 14-hour flight home from Australia.  At that "
        "time a CT angiogram of the chest showed no pulmonary embolism.  She has been on "
        "apixaban, 10 mg twice daily for a week and then 5 mg twice daily, without bleeding "
        "or missed doses.  Leg swelling has mostly resolved and she wears a compression "
        "stocking during the day.  She denies chest pain, shortness of breath or hemoptysis. "
        " No personal or family history of blood clots.  She is not on estrogen.  Age-"
        "appropriate cancer screening is up to date, including a normal colonoscopy in 2023 "
        "and a mammogram this spring.\n"
        "Other history:  GERD on pantoprazole 40 mg daily.  Hysterectomy for fibroids in "
        "2014.  No known allergies.\n"
        "OBJECTIVE:  BP 122/76, HR 68, weight 178 lbs.  Left calf 1 cm larger than the right, "
        "soft and nontender.  No varicosities.  Lungs clear.\n"
        "Duplex ultrasound last week showed partial recanalization of the left popliteal "
        "vein without new thrombus.\n"
        "ASSESSMENT:  Provoked left popliteal deep vein thrombosis, 3 months of treatment "
        "completed.\n"
        "PLAN:  With a clear transient risk factor, 3 months of anticoagulation is enough.  "
        "Stop apixaban after tomorrow's dose.  No thrombophilia testing is needed.  For "
        "future flights over 4 hours she should wear compression stockings, walk every hour "
        "and stay hydrated.  She knows the signs of a recurrent clot and will call right "
        "away if they occur.  Continue pantoprazole.",
    ),
    "FB-12": (
        "Office Notes - Mental health follow-up",
        "SUBJECTIVE:  This 29-year-old man returns 6 weeks after starting escitalopram 10 mg "
        "daily for major depressive disorder and generalized anxiety disorder.  He says his "
        'mood is "a lot lighter" and he is back to playing basketball with friends.  PHQ-9 '
        "today is 8, down from 17, and GAD-7 is 9, down from 15.  He still lies awake for an "
        "hour most nights thinking about work.  Trazodone 50 mg at bedtime helps on the "
        "nights he takes it.  No side effects other than mild nausea the first week.  He "
        "tried bupropion in 2021 and stopped it because it made him jittery.  He denies "
        "suicidal ideation, plans or intent, and has never made an attempt.  No manic "
        "symptoms.\n"
        "SOCIAL HISTORY:  Software developer, works from home.  Two drinks a week.  No drug "
        "use.  Lives with his partner.\n"
        "FAMILY HISTORY:  Father with alcohol use disorder.  Sister with bipolar disorder.\n"
        "ALLERGIES:  NKDA.\n"
        'MENTAL STATUS EXAM:  Well groomed, good eye contact.  Mood "better", affect '
        "brighter than at the last visit.  Thought process linear.  No suicidal or homicidal "
        "ideation.  Insight and judgment good.\n"
        "ASSESSMENT:\n"
        "1.  Major depressive disorder, single episode, moderate, improving.\n"
        "2.  Generalized anxiety disorder, partial response.\n"
        "3.  Insomnia.\n"
        "PLAN:  Increase escitalopram to 20 mg daily.  Continue trazodone 50 mg at bedtime as "
        "needed.  Referral to CBT for insomnia.  Crisis line number given again.  Follow up "
        "in 6 weeks.",
    ),
    "FB-13": (
        "Cardiovascular / Pulmonary - Atrial fibrillation clinic",
        "CARDIOLOGY CLINIC NOTE\n"
        "HISTORY OF PRESENT ILLNESS:  The patient is a 74-year-old man with persistent "
        "atrial fibrillation, hypertension and coronary artery disease, status post stent to "
        "the LAD in 2019, who is seen for routine follow up.  He feels well.  He walks 2 "
        "miles most days without chest pain, dyspnea or palpitations.  He denies "
        "lightheadedness or syncope.  No bleeding on anticoagulation, including no blood in "
        "the stool or urine.  He was tried on diltiazem last year but developed ankle "
        "swelling and was changed to metoprolol.\n"
        "CURRENT MEDICATIONS:  Apixaban 5 mg twice daily.  Metoprolol succinate 50 mg daily.  "
        "Atorvastatin 80 mg daily.  Lisinopril 10 mg daily.\n"
        "ALLERGIES:  Iodinated contrast (hives); he was premedicated for his 2019 "
        "catheterization.\n"
        "PHYSICAL EXAMINATION:  Blood pressure 134/78, heart rate 72 and irregularly "
        "irregular, weight 188 pounds.  JVP not elevated.  Lungs clear.  No murmur.  No "
        "edema.\n"
        "ECG today shows atrial fibrillation with a controlled ventricular rate of 70, no "
        "acute ST changes.  Echo from August showed an ejection fraction of 55% with mild "
        "left atrial enlargement.\n"
        "IMPRESSION:\n"
        "1.  Persistent atrial fibrillation, rate controlled and asymptomatic.  CHA2DS2-VASc "
        "score 4.  Continue apixaban; his weight and kidney function do not call for a dose "
        "reduction.  He prefers rate control over cardioversion, which is reasonable.\n"
        "2.  Coronary artery disease, stable without angina.  Continue high-intensity "
        "statin.  Aspirin was stopped when apixaban was started to reduce bleeding risk.\n"
        "3.  Hypertension, at goal.\n"
        "PLAN:  Labs with his primary care doctor next month.  Return in 6 months with an "
        "ECG.",
    ),
    "FB-14": (
        "Cardiovascular / Pulmonary - Heart failure clinic",
        "HEART FAILURE CLINIC\n"
        "SUBJECTIVE:, 63-year-old woman with nonischemic dilated cardiomyopathy, ejection "
        "fraction 30% on her last echo, NYHA class II to III.  A cardiac catheterization in "
        "2023 showed normal coronary arteries.  Over the past 10 days she has had more "
        "shortness of breath climbing one flight of stairs, needs 2 pillows instead of 1 and "
        "has new ankle swelling.  She admits to eating restaurant soup several times last "
        "week.  She denies chest pain, palpitations, syncope or ICD shocks.\n"
        "MEDICATIONS:, Entresto 24/26 mg twice daily, carvedilol 12.5 mg twice daily, "
        "spironolactone 25 mg daily, furosemide 40 mg daily and dapagliflozin 10 mg daily.\n"
        "ALLERGIES:, NKDA.\n"
        "OBJECTIVE:, Weight 171 pounds, up from 166 two weeks ago.  Blood pressure 108/64, "
        "heart rate 82, oxygen saturation 95% on room air.  JVP 10 cm.  Bibasilar crackles.  "
        "S3 present.  1+ pitting edema to the mid shins.\n"
        "LABS:, BNP 842, sodium 136, potassium 4.8, creatinine 1.0.\n"
        "ASSESSMENT:, Acute on chronic systolic heart failure with mild volume overload, "
        "triggered by dietary sodium.\n"
        "PLAN:\n"
        "1.  Increase furosemide to 40 mg twice daily for 3 days and then back to daily.\n"
        "2.  Continue Entresto, carvedilol, spironolactone and dapagliflozin; no up-titration "
        "today with the blood pressure at 108/64.\n"
        "3.  Repeat BMP in 1 week given the potassium of 4.8 on spironolactone.\n"
        "4.  Reviewed the 2 gram sodium diet with her and her husband and the daily weight "
        "log; call for a gain of more than 3 pounds in a day.\n"
        "5.  Nurse phone check in 3 days, clinic visit in 2 weeks.",
    ),
    "FB-15": (
        "Cardiovascular / Pulmonary - Pulmonary clinic",
        "PULMONARY CLINIC FOLLOW-UP\n"
        "The patient is a 67-year-old former smoker with a 45 pack-year history who quit in "
        "2020, seen for COPD.  He has had 2 exacerbations in the last year treated with "
        "prednisone and doxycycline, with no hospital stays.  Baseline dyspnea is walking 1 "
        "block on level ground.  Morning cough with white sputum.  He denies fever, "
        "hemoptysis, weight loss or leg swelling.  He uses Stiolto 2 puffs every morning and "
        "albuterol about once a day.  Inhaler technique was reviewed today and is good.\n"
        "Other medical history includes hypertension treated with amlodipine 5 mg daily and "
        "a 6 mm right upper lobe nodule that has been stable for 2 years on CT.  Appendectomy "
        "as a teenager.  No known drug allergies.  Brother had lung cancer.\n"
        "Vital signs:  BP 130/76, HR 86, RR 18, SpO2 91% on room air at rest.\n"
        "Exam shows a barrel chest with decreased breath sounds throughout and a prolonged "
        "expiratory phase.  No wheezes today.  No clubbing or cyanosis.  No edema.\n"
        "Spirometry today:  FEV1 1.12 liters (48% predicted), FEV1/FVC 0.52, unchanged from "
        "last year.  Absolute eosinophil count from last month 300.\n"
        "IMPRESSION:  Severe COPD, GOLD 3, group E because of the frequent exacerbations.  "
        "Chronic bronchitis phenotype.  Resting saturation does not yet meet criteria for "
        "home oxygen.\n"
        "RECOMMENDATIONS:  Change Stiolto to Trelegy 1 inhalation daily, given the "
        "eosinophil count of 300 and the exacerbations.  Continue albuterol as needed.  "
        "Referral to pulmonary rehabilitation.  Six-minute walk test with oximetry at the "
        "next visit.  Influenza vaccine given today; pneumococcal vaccine is up to date.  "
        "Continue annual CT surveillance of the nodule.  Roflumilast could be added later "
        "if exacerbations continue.  Return in 3 months.",
    ),
    "FB-16": (
        "Cardiovascular / Pulmonary - Sleep medicine consultation",
        "SLEEP MEDICINE CONSULTATION\n"
        "REASON FOR CONSULTATION:  Snoring and daytime sleepiness.\n"
        "HISTORY:  55-year-old man referred by his primary care physician.  His wife reports "
        "loud snoring for years and pauses in his breathing several times a night.  He wakes "
        "unrefreshed, has morning headaches 2 or 3 times a week and falls asleep watching "
        "television.  Epworth Sleepiness Scale score is 15.  He denies falling asleep while "
        "driving, cataplexy, sleep paralysis or hallucinations at sleep onset.  He takes "
        "zolpidem 5 mg perhaps once a month when traveling.\n"
        "PAST MEDICAL HISTORY:  Hypertension, which has needed two medicines.  Prediabetes.  "
        "Obesity.  Gastroesophageal reflux.\n"
        "MEDICATIONS:  Amlodipine 10 mg daily, chlorthalidone 25 mg daily, zolpidem as "
        "above.\n"
        "ALLERGIES:  Morphine (itching).\n"
        "SOCIAL HISTORY:  Truck dispatcher.  Never smoker.  Drinks 2 or 3 beers most "
        "evenings.\n"
        "EXAMINATION:  Neck circumference 18 inches.  Mallampati class 4 with a crowded "
        "oropharynx.  Nasal septum midline.  Heart and lungs unremarkable.\n"
        "HOME SLEEP APNEA TEST:  Apnea-hypopnea index 34 events per hour, oxygen nadir 79%.\n"
        "IMPRESSION:\n"
        "1.  Severe obstructive sleep apnea.\n"
        "2.  Hypertension, likely worsened by untreated sleep apnea.\n"
        "3.  Narcolepsy is not suspected.\n"
        "PLAN:  Start auto-titrating CPAP 5 to 15 cm of water with a mask fitting.  Avoid "
        "zolpidem and alcohol in the evening as they worsen apnea.  Weight loss counseling.  "
        "Compliance download and visit in 6 weeks.",
    ),
    "FB-17": (
        "General Medicine - Annual physical",
        "ANNUAL PHYSICAL EXAMINATION\n"
        "The patient is a 42-year-old woman here for her yearly exam.  She feels well and "
        "has no concerns today.  She runs 3 times a week.  Her only medicine is cetirizine 10 "
        "mg daily in the spring and fall for seasonal allergic rhinitis, plus a "
        "multivitamin.  She had gestational diabetes with her second pregnancy in 2016, and "
        "her glucose tests since then have been normal.\n"
        "PAST SURGICAL HISTORY:  Appendectomy at age 12.\n"
        "ALLERGIES:  NKDA.\n"
        "FAMILY HISTORY:  Mother with breast cancer diagnosed at 51, alive and well.  Father "
        "with hypertension and type 2 diabetes.  No family history of colon cancer.\n"
        "SOCIAL HISTORY:  Married, two children.  Works as a pharmacist.  Never smoked.  "
        "Alcohol 2 to 3 drinks a week.\n"
        "REVIEW OF SYSTEMS:  Negative for chest pain, shortness of breath, change in bowel "
        "habits, abnormal bleeding, breast lumps or mood changes.\n"
        "VITAL SIGNS:  BP 112/70, pulse 66, temp 98.0, weight 139 lbs, BMI 22.8.\n"
        "PHYSICAL EXAMINATION:  Normal skin, thyroid, heart, lungs, breasts and abdomen.  No "
        "lymphadenopathy.\n"
        "LABS (fasting, drawn last week):  Total cholesterol 198, HDL 64, LDL 118, "
        "triglycerides 82, glucose 91.\n"
        "ASSESSMENT AND PLAN:\n"
        "1.  Routine adult health maintenance.  Normal lipids and fasting glucose.  Given the "
        "history of gestational diabetes, repeat glucose screening every 3 years.\n"
        "2.  Breast cancer screening:  With her mother's history, annual mammogram starting "
        "now; order placed.  Genetic counseling offered and she will think about it.\n"
        "3.  Cervical screening:  Pap and HPV co-test normal in 2024, next due in 2029.\n"
        "4.  Tdap given today.\n"
        "Return in 1 year.",
    ),
    "FB-18": (
        "General Medicine - Annual wellness visit",
        "ANNUAL WELLNESS VISIT\n"
        "HISTORY:  70-year-old retired electrician for his yearly wellness visit.  He feels "
        "well.  He has had no falls.  He notices he asks his wife to repeat herself and turns "
        "the television up.  Nocturia once a night, stable on tamsulosin.  He denies chest "
        "pain, shortness of breath, blood in the urine or weight loss.\n"
        "PROBLEM LIST:  Hyperlipidemia.  Benign prostatic hyperplasia.  Prediabetes.  Basal "
        "cell carcinoma of the left cheek, excised in 2018, without recurrence.\n"
        "MEDICATIONS:  Rosuvastatin 10 mg daily, tamsulosin 0.4 mg at bedtime, aspirin 81 mg "
        "daily which he started on his own years ago.\n"
        "ALLERGIES:  No known drug allergies.\n"
        "FAMILY HISTORY:  Brother with prostate cancer at 68.  Father died of a stroke.\n"
        "SOCIAL HISTORY:  Lives with his wife.  Former smoker, quit 30 years ago.  Drives.  "
        "Walks the dog daily.\n"
        "SCREENING:  Mini-Cog normal.  PHQ-2 negative.  Timed up and go 9 seconds.\n"
        "VITALS:  Blood pressure 128/76, heart rate 60, weight 176, O2 saturation 98%.\n"
        "EXAM:  Cerumen partially blocking the right canal.  Heart regular.  Lungs clear.  "
        "Prostate smooth and mildly enlarged without nodules.  Skin check without suspicious "
        "lesions.\n"
        "LABS:  PSA 3.9, which was 2.8 two years ago.  Hemoglobin A1c 5.9.  Creatinine 1.0.  "
        "Hemoglobin 14.2.\n"
        "ASSESSMENT AND PLAN:\n"
        "1.  Rising PSA with a family history of prostate cancer.  Repeat PSA in 6 weeks and "
        "refer to urology if it remains elevated.\n"
        "2.  Prediabetes, stable.  Diet and activity counseling.\n"
        "3.  Hyperlipidemia.  Continue rosuvastatin.\n"
        "4.  Aspirin for primary prevention is no longer recommended at his age; he agreed "
        "to stop it.\n"
        "5.  Hearing loss.  Audiology referral.\n"
        "6.  Shingles vaccine second dose given today.",
    ),
    "FB-19": (
        "General Medicine - Annual examination",
        "CHIEF COMPLAINT:, Annual exam.\n"
        "HISTORY OF PRESENT ILLNESS:, The patient is a 55-year-old man who comes in for his "
        "annual examination.  He has hypertension and has been taking lisinopril 20 mg daily, "
        "though he admits he misses it about twice a week.  Home readings run in the 140s "
        "over 90s.  He takes omeprazole 20 mg for GERD, which keeps his heartburn away, and "
        "uses fluticasone nasal spray in the spring.  He still smokes about 1 pack per day "
        "and is thinking about quitting because his first grandchild was just born.  He "
        "denies chest pain, exertional dyspnea, claudication or headaches.\n"
        "PAST MEDICAL HISTORY:, Hypertension.  GERD.  Colon polyps; colonoscopy in 2021 "
        "removed 2 tubular adenomas.\n"
        "PAST SURGICAL HISTORY:, Left inguinal hernia repair.\n"
        "ALLERGIES:, Penicillin.\n"
        "FAMILY HISTORY:, Brother diagnosed with colon cancer at 58.  Mother with COPD.\n"
        "PHYSICAL EXAMINATION:, Blood pressure 150/94, repeated at 144/90.  Pulse 80.  "
        "Temperature 97.9.  Weight 218 pounds.  Fundi without hemorrhages.  No carotid "
        "bruits.  Heart regular without murmur.  Lungs with scattered rhonchi that clear "
        "with coughing.  Abdomen soft, no aortic pulsation felt.  Pedal pulses 2+.\n"
        "ASSESSMENT AND PLAN:\n"
        "1.  Hypertension, not controlled.  Add hydrochlorothiazide 12.5 mg daily.  Stressed "
        "taking the lisinopril every day.  Nurse blood pressure check in 4 weeks.\n"
        "2.  Tobacco use.  Counseled for 5 minutes.  He would like to try varenicline; "
        "prescription sent with a start date in 1 week.\n"
        "3.  Lung cancer screening:  Low-dose CT chest ordered.\n"
        "4.  Colon polyps and family history:  Repeat colonoscopy due in 2026; referral "
        "placed.\n"
        "5.  GERD, controlled.\n"
        "6.  Fasting lipid panel, A1c and BMP ordered.",
    ),
    "FB-20": (
        "General Medicine - Annual visit",
        "SUBJECTIVE:  The patient is a 63-year-old woman here for an annual visit.  She has "
        "felt more tired for 3 or 4 months and gets winded on stairs that used to be easy.  "
        "She has been craving ice.  She denies black or bloody stools, heavy bleeding (she "
        "is postmenopausal), abdominal pain or weight loss.  She does not take NSAIDs.  She "
        "takes losartan 50 mg daily for hypertension and calcium 600 mg twice daily for "
        "osteopenia found on a DEXA scan in 2023.  She has never had a colonoscopy; she "
        "declined one at 50 and at 55.\n"
        "Allergies:  Erythromycin, stomach upset.\n"
        "Family history:  No colon cancer or celiac disease that she knows of.  Mother with "
        "osteoporosis.\n"
        "Social history:  Widowed, lives alone, volunteers at the library.  Never smoker.  "
        "Vegetarian for 20 years.\n"
        "OBJECTIVE:  Pale conjunctivae.  Heart with a soft systolic flow murmur.  Abdomen "
        "benign.  Rectal exam with brown stool.\n"
        "Labs from last week:  hemoglobin 11.4, MCV 76, ferritin 9, TSH 2.4, vitamin D 18.\n"
        "ASSESSMENT:\n"
        "1.  Iron deficiency anemia.  In a postmenopausal woman this needs a GI evaluation "
        "even with a vegetarian diet.  Celiac disease is also possible and a tissue "
        "transglutaminase antibody is pending.\n"
        "2.  Vitamin D deficiency.\n"
        "3.  Hypertension, controlled by her home log.\n"
        "4.  Osteopenia.\n"
        "PLAN:  Start ferrous sulfate 325 mg every other day with vitamin C.  Referral for "
        "colonoscopy and upper endoscopy.  Vitamin D3 50,000 units weekly for 8 weeks, then "
        "2000 units daily.  Continue losartan and calcium.  Recheck CBC and ferritin in 8 "
        "weeks.  Repeat DEXA in 2026.",
    ),
}

TRUTH: dict[str, NoteTruth] = {
    "FB-01": NoteTruth(
        labs=(
            (("hba1c",), 8.4),
            (("hba1c",), 7.6),
            (("creatinine",), 1.1),
            (("ldl",), 92),
        ),
        vitals=(("blood_pressure", "138/86"), ("heart_rate", "78"), ("weight", "231")),
        medications=(
            "metformin",
            "glipizide",
            "lisinopril",
            "atorvastatin",
            "jardiance|empagliflozin",
        ),
        problems=("type 2 diabetes|diabetes", "hypertension", "hyperlipidemia"),
        allergies=("sulfa",),
        optional=("labs:egfr",),
    ),
    "FB-02": NoteTruth(
        labs=(
            (("wbc",), 13.2),
            (("wbc",), 17.8),
            (("sodium",), 133),
            (("creatinine",), 1.3),
        ),
        vitals=(
            ("temperature", "99.1"),
            ("heart_rate", "88"),
            ("respiratory_rate", "20"),
            ("blood_pressure", "124/68"),
            ("spo2", "93"),
        ),
        medications=(
            "ceftriaxone",
            "azithromycin",
            "prednisone",
            "albuterol",
            "ipratropium",
            "spiriva|tiotropium",
            "heparin",
        ),
        problems=(
            "community-acquired pneumonia|pneumonia",
            "copd|chronic obstructive pulmonary disease",
            "hyponatremia",
        ),
        allergies=("penicillin",),
        optional=(
            "medications:cefpodoxime",
            "medications:oxygen",
            "problems:pulmonary embolism",
            "problems:dvt prophylaxis",
            "problems:cough",
        ),
    ),
    "FB-03": NoteTruth(
        vitals=(("temperature", "100.4"), ("heart_rate", "96"), ("blood_pressure", "118/74")),
        medications=("ibuprofen", "levothyroxine", "sprintec", "cepacol"),
        problems=(
            "viral pharyngitis|pharyngitis",
            "upper respiratory infection",
            "hypothyroidism",
        ),
        allergies=NONE,
        optional=(
            "labs:strep_a",
            "medications:amoxicillin",
            "problems:strep pharyngitis",
            "problems:mononucleosis",
            "problems:sore throat",
            "problems:nasal congestion",
            "problems:cough",
            "problems:hoarseness",
        ),
    ),
    "FB-04": NoteTruth(
        medications=("naproxen", "cyclobenzaprine", "omeprazole"),
        problems=(
            "chronic low back pain|low back pain|back pain",
            "lumbar degenerative disc disease|degenerative disc disease",
            "gerd|reflux",
            "obesity",
        ),
        allergies=("codeine",),
        optional=(
            "medications:gabapentin",
            "problems:knee arthroscopy|arthroscopy",
            "problems:smoking",
            "problems:buttock pain",
        ),
    ),
    "FB-05": NoteTruth(
        vitals=(("temperature", "98.6"), ("blood_pressure", "146/78"), ("heart_rate", "84")),
        medications=(
            "amlodipine",
            "alendronate",
            "donepezil",
            "calcium with vitamin d|calcium|vitamin d",
            "macrobid|nitrofurantoin",
        ),
        problems=(
            "acute cystitis|cystitis|urinary tract infection|uti",
            "hypertension",
            "osteoporosis",
            "alzheimer dementia|dementia|alzheimer",
        ),
        allergies=("cipro|ciprofloxacin",),
        optional=(
            "labs:ua_leukocyte_esterase",
            "labs:ua_nitrite",
            "labs:ua_blood",
            "problems:pyelonephritis",
            "problems:wrist fracture",
            "problems:urinary incontinence|incontinence",
            "problems:confusion",
            "problems:mental status",
            "problems:burning with urination|dysuria",
        ),
    ),
    "FB-06": NoteTruth(
        medications=(
            "advair|fluticasone-salmeterol|fluticasone|salmeterol",
            "albuterol",
            "fluticasone nasal spray|fluticasone",
            "prednisone",
        ),
        problems=("moderate persistent asthma|asthma", "allergic rhinitis", "eczema"),
        allergies=("cat dander|cat", "dust mites|dust mite"),
        optional=(
            "allergies:none",
            "problems:wheezing",
            "problems:cough",
            "problems:cold",
            "problems:vaping",
        ),
    ),
    "FB-07": NoteTruth(
        labs=((("tsh",), 6.8), (("free_t4",), 0.9), (("tsh",), 2.1)),
        medications=("levothyroxine", "sertraline", "vitamin d3|vitamin d"),
        problems=(
            "hashimoto thyroiditis|hashimoto|thyroiditis",
            "hypothyroidism",
            "depression",
            "vitamin d deficiency",
        ),
        allergies=NONE,
        optional=(
            "problems:cesarean section|cesarean",
            "problems:fatigue",
            "problems:dry skin",
            "problems:enlarged thyroid|goiter",
        ),
    ),
    "FB-08": NoteTruth(
        labs=(
            (("uric_acid",), 9.2),
            (("creatinine",), 1.4),
            (("egfr",), 54),
            (("potassium",), 4.1),
        ),
        vitals=(("blood_pressure", "142/88"), ("heart_rate", "76"), ("temperature", "98.2")),
        medications=("colchicine", "allopurinol", "hydrochlorothiazide", "losartan"),
        problems=("gout", "hypertension", "chronic kidney disease|ckd"),
        allergies=NONE,
        optional=(
            "problems:kidney stones|kidney stone|nephrolithiasis",
            "medications:indomethacin",
            "medications:nsaids",
            "problems:alcohol",
        ),
    ),
    "FB-09": NoteTruth(
        medications=("topiramate", "sumatriptan", "ibuprofen"),
        problems=("migraine with aura|migraine", "generalized anxiety|anxiety"),
        allergies=("latex", "amoxicillin"),
        optional=(
            "medications:combined oral contraceptive|oral contraceptive|contraceptive",
            "medications:copper iud|iud",
            "problems:medication overuse headache|medication overuse",
            "problems:headache",
            "problems:tingling",
            "problems:aura",
        ),
    ),
    "FB-10": NoteTruth(
        medications=("lisinopril", "tamsulosin", "oxycodone", "acetaminophen"),
        problems=(
            "symptomatic cholelithiasis|cholelithiasis|gallstones",
            "chronic cholecystitis|cholecystitis",
            "hypertension",
            "benign prostatic hyperplasia|bph",
        ),
        allergies=NONE,
        optional=(
            "problems:cholecystectomy",
            "problems:right upper quadrant pain|abdominal pain",
        ),
    ),
    "FB-11": NoteTruth(
        vitals=(("blood_pressure", "122/76"), ("heart_rate", "68"), ("weight", "178")),
        medications=("apixaban|eliquis", "pantoprazole"),
        problems=("deep vein thrombosis|dvt", "gerd"),
        allergies=NONE,
        optional=(
            "medications:compression stocking",
            "problems:pulmonary embolism",
            "problems:uterine fibroids|fibroids",
            "problems:hysterectomy",
            "problems:leg swelling",
            "problems:thrombus",
        ),
    ),
    "FB-12": NoteTruth(
        medications=("escitalopram", "trazodone"),
        problems=(
            "major depressive disorder|depression|depressive",
            "generalized anxiety disorder|anxiety",
            "insomnia",
        ),
        allergies=NONE,
        optional=("medications:bupropion", "problems:nausea"),
    ),
    "FB-13": NoteTruth(
        vitals=(("blood_pressure", "134/78"), ("heart_rate", "72"), ("weight", "188")),
        medications=("apixaban", "metoprolol", "atorvastatin", "lisinopril"),
        problems=(
            "persistent atrial fibrillation|atrial fibrillation",
            "hypertension",
            "coronary artery disease|cad",
        ),
        allergies=("iodinated contrast|contrast",),
        optional=(
            "vitals:heart_rate:70",
            "medications:diltiazem",
            "medications:aspirin",
            "medications:statin",
            "problems:left atrial enlargement|atrial enlargement",
            "problems:ankle swelling",
            "problems:stent",
            "problems:catheterization",
        ),
    ),
    "FB-14": NoteTruth(
        labs=(
            (("bnp",), 842),
            (("sodium",), 136),
            (("potassium",), 4.8),
            (("creatinine",), 1.0),
        ),
        vitals=(
            ("weight", "171"),
            ("blood_pressure", "108/64"),
            ("heart_rate", "82"),
            ("spo2", "95"),
        ),
        medications=(
            "entresto|sacubitril",
            "carvedilol",
            "spironolactone",
            "furosemide",
            "dapagliflozin",
        ),
        problems=(
            "nonischemic dilated cardiomyopathy|dilated cardiomyopathy|cardiomyopathy",
            "systolic heart failure|heart failure",
        ),
        allergies=NONE,
        optional=(
            "vitals:weight:166",
            "problems:catheterization",
            "problems:icd",
            "problems:volume overload",
            "problems:shortness of breath",
            "problems:ankle swelling|edema",
        ),
    ),
    "FB-15": NoteTruth(
        labs=((("eosinophils_abs",), 300),),
        vitals=(
            ("blood_pressure", "130/76"),
            ("heart_rate", "86"),
            ("respiratory_rate", "18"),
            ("spo2", "91"),
        ),
        medications=(
            "stiolto|tiotropium|olodaterol",
            "albuterol",
            "amlodipine",
            "trelegy|fluticasone|umeclidinium|vilanterol",
        ),
        problems=(
            "copd|chronic obstructive pulmonary disease",
            "chronic bronchitis",
            "hypertension",
        ),
        allergies=NONE,
        optional=(
            "medications:prednisone",
            "medications:doxycycline",
            "medications:roflumilast",
            "medications:influenza vaccine|pneumococcal vaccine|vaccine",
            "problems:nodule|pulmonary nodule|lung nodule",
            "problems:appendectomy",
            "problems:smoker|smoking|tobacco",
            "problems:dyspnea",
            "problems:cough",
            "problems:exacerbations|exacerbation",
            "problems:barrel chest",
        ),
    ),
    "FB-16": NoteTruth(
        medications=("zolpidem", "amlodipine", "chlorthalidone"),
        problems=(
            "obstructive sleep apnea|sleep apnea",
            "hypertension",
            "prediabetes",
            "obesity",
            "gastroesophageal reflux|reflux|gerd",
        ),
        allergies=("morphine",),
        optional=(
            "vitals:spo2:79",
            "medications:cpap",
            "problems:snoring",
            "problems:daytime sleepiness|sleepiness",
            "problems:morning headaches|headaches|headache",
            "problems:alcohol",
        ),
    ),
    "FB-17": NoteTruth(
        labs=(
            (("cholesterol",), 198),
            (("hdl",), 64),
            (("ldl",), 118),
            (("triglycerides",), 82),
            (("glucose", "glucose_fasting"), 91),
        ),
        vitals=(
            ("blood_pressure", "112/70"),
            ("heart_rate", "66"),
            ("temperature", "98.0"),
            ("weight", "139"),
            ("bmi", "22.8"),
        ),
        medications=("cetirizine", "multivitamin"),
        problems=("seasonal allergic rhinitis|allergic rhinitis", "gestational diabetes"),
        allergies=NONE,
        optional=("medications:tdap", "problems:appendectomy", "problems:pregnancy"),
    ),
    "FB-18": NoteTruth(
        labs=(
            (("psa",), 3.9),
            (("psa",), 2.8),
            (("hba1c",), 5.9),
            (("creatinine",), 1.0),
            (("hemoglobin",), 14.2),
        ),
        vitals=(
            ("blood_pressure", "128/76"),
            ("heart_rate", "60"),
            ("weight", "176"),
            ("spo2", "98"),
        ),
        medications=("rosuvastatin", "tamsulosin", "aspirin"),
        problems=(
            "hyperlipidemia",
            "benign prostatic hyperplasia|bph",
            "prediabetes",
            "basal cell carcinoma",
            "hearing loss",
        ),
        allergies=NONE,
        optional=(
            "medications:shingles vaccine|vaccine",
            "problems:rising psa|elevated psa|psa",
            "problems:nocturia",
            "problems:cerumen",
            "problems:smoker|smoking",
        ),
    ),
    "FB-19": NoteTruth(
        vitals=(
            ("blood_pressure", "150/94"),
            ("blood_pressure", "144/90"),
            ("heart_rate", "80"),
            ("temperature", "97.9"),
            ("weight", "218"),
        ),
        medications=(
            "lisinopril",
            "omeprazole",
            "fluticasone nasal spray|fluticasone",
            "hydrochlorothiazide",
            "varenicline",
        ),
        problems=(
            "hypertension",
            "gerd",
            "colon polyps|polyps|tubular adenomas|tubular adenoma",
            "tobacco use|smoker|smoking|nicotine",
        ),
        allergies=("penicillin",),
        optional=(
            "problems:inguinal hernia|hernia",
            "problems:heartburn",
            "problems:rhonchi",
        ),
    ),
    "FB-20": NoteTruth(
        labs=(
            (("hemoglobin",), 11.4),
            (("mcv",), 76),
            (("ferritin",), 9),
            (("tsh",), 2.4),
            (("vitamin_d",), 18),
        ),
        medications=(
            "losartan",
            "calcium",
            "ferrous sulfate|iron",
            "vitamin d3|vitamin d",
        ),
        problems=(
            "iron deficiency anemia|anemia",
            "vitamin d deficiency",
            "hypertension",
            "osteopenia",
        ),
        allergies=("erythromycin",),
        optional=(
            "medications:vitamin c",
            "problems:celiac disease|celiac",
            "problems:fatigue|tired",
            "problems:flow murmur|murmur",
            "problems:postmenopausal|menopause",
        ),
    ),
}
