"""Catalogue rows: blood counts, coagulation, urine, serology, blood gases, vital signs."""

from __future__ import annotations

from ocr.facts.analyte import Analyte, a

K_UL = "10^3/µL"

HAEMATOLOGY: list[Analyte] = [
    a("wbc", "WBC", "6690-2", K_UL,
      "white blood cell count|white blood cells|leukocytes|white count|wbc count|"
      "leukocyte count|white blood cell|wbc's|white cell count|wbc auto",
      alt="26464-8 804-5 33765-9"),
    a("rbc", "RBC", "789-8", "10^6/µL",
      "red blood cell count|red blood cells|erythrocytes|rbc count|erythrocyte count|"
      "red count|red blood cell|red cell count", alt="26453-1"),
    a("hemoglobin", "Hemoglobin", "718-7", "g/dL",
      "hgb|hb|haemoglobin|hemoglobin blood|hgb (hemoglobin)|hemoglobin a", alt="30313-1 20509-6",
      mm=16114.0),
    a("hematocrit", "Hematocrit", "4544-3", "%",
      "hct|haematocrit|packed cell volume|pcv|hct (hematocrit)", alt="20570-8 71833-8",
      fraction=True),
    a("mcv", "MCV", "787-2", "fL", "mean corpuscular volume|mean cell volume|"
      "erythrocyte mean corpuscular volume", alt="30428-7"),
    a("mch", "MCH", "785-6", "pg", "mean corpuscular hemoglobin|mean cell hemoglobin|"
      "erythrocyte mean corpuscular hemoglobin"),
    a("mchc", "MCHC", "786-4", "g/dL",
      "mean corpuscular hemoglobin concentration|mean cell hemoglobin concentration|"
      "erythrocyte mean corpuscular hemoglobin concentration"),
    a("rdw", "RDW", "788-0", "%",
      "rdw-cv|red cell distribution width|rdw cv|erythrocyte distribution width|"
      "red cell dist width"),
    a("rdw_sd", "RDW-SD", "21000-5", "fL", "rdw sd"),
    a("platelets", "Platelets", "777-3", K_UL,
      "platelet count|plt|platelet|plt count|thrombocytes|platelets automated|"
      "platelet auto|blood count platelet automated", alt="26515-7 778-1"),
    a("mpv", "MPV", "32623-1", "fL", "mean platelet volume", alt="28542-9"),
    a("neutrophils_pct", "Neutrophils %", "770-8", "%",
      "neutrophils|neut %|neut|polys|segs|neutrophil %|% neutrophils|neutrophils relative|"
      "segmented neutrophils|granulocytes %|neutrophils percent|neutrophil", alt="23761-0"),
    a("neutrophils_abs", "Neutrophils, absolute", "751-8", K_UL,
      "absolute neutrophils|neutrophils absolute|anc|neut #|neutrophils #|polys absolute|"
      "abs neutrophils|absolute neutrophil count|neutrophils abs|neutrophils|neut abs|"
      "neutrophil"),
    a("lymphocytes_pct", "Lymphocytes %", "736-9", "%",
      "lymphocytes|lymphs|lymph %|% lymphocytes|lymphocytes relative|lymph|"
      "lymphocytes percent|lymphocyte", alt="26478-8"),
    a("lymphocytes_abs", "Lymphocytes, absolute", "731-0", K_UL,
      "absolute lymphocytes|lymphocytes absolute|lymphs absolute|lymph #|lymphocytes #|"
      "abs lymphocytes|lymphocytes abs|lymphocytes|lymphs|lymph abs|lymphocyte"),
    a("monocytes_pct", "Monocytes %", "5905-5", "%",
      "monocytes|monos|mono %|% monocytes|mono|monocytes percent|monocyte"),
    a("monocytes_abs", "Monocytes, absolute", "742-7", K_UL,
      "absolute monocytes|monocytes absolute|mono #|monocytes #|abs monocytes|monocytes abs|"
      "monocytes|monos|mono abs|monocyte"),
    a("eosinophils_pct", "Eosinophils %", "713-8", "%",
      "eosinophils|eos|eos %|% eosinophils|eosinophil %|eosinophils percent|eosinophil"),
    a("eosinophils_abs", "Eosinophils, absolute", "711-2", K_UL,
      "absolute eosinophils|eosinophils absolute|eos absolute value|eos absolute|eos #|"
      "eosinophils #|abs eosinophils|eosinophils abs|eosinophils|eos|eos abs|eosinophil"),
    a("basophils_pct", "Basophils %", "706-2", "%",
      "basophils|basos|baso %|% basophils|baso|basophils percent|basophil"),
    a("basophils_abs", "Basophils, absolute", "704-7", K_UL,
      "absolute basophils|basophils absolute|baso absolute|baso #|basophils #|"
      "abs basophils|basophils abs|basophils|basos|baso abs|basophil"),
    a("ig_pct", "Immature granulocytes %", "71695-1", "%",
      "immature granulocytes|immature grans|ig %|immature granulocytes %"),
    a("ig_abs", "Immature granulocytes, absolute", "53115-2", K_UL,
      "absolute immature granulocytes|immature granulocytes absolute|immature grans abs|ig #|"
      "immature granulocytes"),
    a("bands", "Band neutrophils", "764-1", "%",
      "band neutrophils|band forms|stabs|neutrophils bands|bands"),
    a("nrbc", "Nucleated RBC", "58413-6", "/100 WBC",
      "nrbc|nucleated rbc|nucleated red blood cells|nrbc %|nucleated erythrocytes|"
      "nucleated erythrocytes/100 erythrocytes|nucleated erythrocytes/100 leukocytes",
      alt="26461-4"),
    a("nrbc_abs", "Nucleated RBC, absolute", "30392-5", K_UL,
      "nrbc #|nrbc absolute|nucleated rbc absolute|nucleated erythrocytes"),
    a("reticulocytes", "Reticulocytes", "4679-7", "%",
      "retic|retic count|reticulocyte count|reticulocytes %|retic %|reticulocyte"),
    a("esr", "Sedimentation rate", "30341-2", "mm/h",
      "esr|sed rate|erythrocyte sedimentation rate|westergren|sed rate westergren|"
      "esr westergren|sedimentation rate-westergren", alt="4537-7"),
    a("pt", "Prothrombin time", "5902-2", "s", "pt|protime|pro time|prothrombin time pt"),
    a("inr", "INR", "6301-6", "ratio",
      "international normalized ratio|pt inr|inr (pt)|inr pt", alt="34714-6"),
    a("aptt", "aPTT", "3173-2", "s",
      "ptt|partial thromboplastin time|activated partial thromboplastin time|a-ptt|aptt",
      alt="14979-9"),
    a("fibrinogen", "Fibrinogen", "3255-7", "mg/dL", "fibrinogen activity"),
    a("d_dimer", "D-dimer", "48065-7", "ng/mL FEU", "d dimer|ddimer|d-dimer quant"),
    a("abo", "ABO group", "883-9", None, "abo group|blood type|abo|abo type|blood group"),
    a("rh", "Rh type", "10331-7", None, "rh type|rh|rh factor|rh(d) type|rh d"),
    a("antibody_screen", "Antibody screen", "890-4", None,
      "antibody screen|indirect coombs|rbc antibody screen|ab screen"),
]  # fmt: skip

URINE: list[Analyte] = [
    a("ua_color", "Urine color", "5778-6", None, "color|urine color|colour|color urine",
      spec="urine"),
    a("ua_appearance", "Urine appearance", "5767-9", None,
      "appearance|clarity|urine appearance|character|turbidity|urine clarity|"
      "appearance urine", spec="urine"),
    a("ua_specific_gravity", "Urine specific gravity", "5811-5", "ratio",
      "specific gravity|sp gr|spec grav|urine specific gravity|sg|specific gravity urine",
      spec="urine"),
    a("ua_ph", "Urine pH", "5803-2", None, "ph|urine ph|ph urine|ph level|ph ua", spec="urine"),
    a("ua_protein", "Urine protein", "5804-0", "mg/dL",
      "protein urine|urine protein|protein|protein ua|ua protein|protein qualitative|"
      "urine protein qual|prot", alt="50561-0 20454-5", spec="urine"),
    a("ua_glucose", "Urine glucose", "5792-7", "mg/dL",
      "glucose urine|urine glucose|glucose ua|glucose|ua glucose|glucose qualitative",
      spec="urine"),
    a("ua_ketones", "Urine ketones", "5797-6", "mg/dL",
      "ketones|ketone|urine ketones|ketones urine|ketone bodies|ket", spec="urine"),
    a("ua_blood", "Urine blood", "5794-3", None,
      "blood|occult blood|urine blood|blood urine|hemoglobin urine|blood ua|urine hemoglobin",
      spec="urine"),
    a("ua_nitrite", "Urine nitrite", "5802-4", None,
      "nitrite|nitrites|urine nitrite|nitrite urine", spec="urine"),
    a("ua_leukocyte_esterase", "Urine leukocyte esterase", "5799-2", None,
      "leukocyte esterase|leukocytes urine|leukocyte esterase urine|leuk esterase|le|"
      "leukocytes", spec="urine"),
    a("ua_bilirubin", "Urine bilirubin", "5770-3", None,
      "bilirubin urine|urine bilirubin|bilirubin", spec="urine"),
    a("ua_urobilinogen", "Urobilinogen", "5818-0", "mg/dL",
      "urine urobilinogen|urobilinogen urine|ubg", alt="20405-7", spec="urine"),
    a("ua_wbc", "Urine WBC", "5821-4", "/HPF",
      "wbc urine|urine wbc|wbc/hpf|white blood cells urine|wbc ua|wbc|white blood cells",
      spec="urine"),
    a("ua_rbc", "Urine RBC", "13945-1", "/HPF",
      "rbc urine|urine rbc|rbc/hpf|red blood cells urine|rbc ua|rbc|red blood cells",
      spec="urine"),
    a("ua_squamous", "Squamous epithelial cells", "11277-3", "/HPF",
      "epithelial cells|squamous epithelial|epithelial cells squamous|epi cells|"
      "squamous epithelial cells urine|squamous epi", spec="urine"),
    a("ua_bacteria", "Urine bacteria", "25145-4", None,
      "bacteria|urine bacteria|bacteria urine", spec="urine"),
    a("ua_hyaline_casts", "Hyaline casts", "5796-8", "/LPF", "casts hyaline|hyaline cast",
      spec="urine"),
    a("urine_albumin", "Microalbumin, urine", "14957-5", "mg/L",
      "microalbumin|urine albumin|albumin urine|microalbumin urine|microalbumin random urine|"
      "albumin random urine|microalb", spec="urine"),
    a("uacr", "Albumin/creatinine ratio, urine", "9318-7", "mg/g",
      "albumin/creatinine ratio|microalbumin/creatinine ratio|uacr|acr|"
      "urine albumin/creatinine ratio|albumin creatinine ratio|microalb/creat ratio|"
      "microalbumin creatinine ratio|microalb/creat|microalbumin/creatinine|albumin/creatinine",
      alt="14959-1", spec="urine"),
    a("urine_creatinine", "Creatinine, urine", "2161-8", "mg/dL",
      "creatinine urine|urine creatinine|creatinine random urine|creatinine in urine",
      alt="35674-1", mm=113.12, spec="urine"),
    a("upcr", "Protein/creatinine ratio, urine", "2890-2", "mg/g",
      "protein/creatinine ratio|urine protein/creatinine ratio|upcr|protein creatinine ratio",
      spec="urine"),
    a("urine_sodium", "Sodium, urine", "2955-3", "mmol/L",
      "sodium urine|urine sodium|sodium random urine", mm=22.99, val=1, spec="urine"),
    a("urine_potassium", "Potassium, urine", "2828-2", "mmol/L",
      "potassium urine|urine potassium", mm=39.098, val=1, spec="urine"),
    a("urine_protein_24h", "Protein, 24-hour urine", "2889-4", "mg/24 h",
      "protein 24 hour urine|24 hr urine protein|urine protein 24h|protein 24h|"
      "24 hour urine protein", spec="urine"),
    a("creatinine_clearance", "Creatinine clearance", "2164-2", "mL/min",
      "creatinine clearance|crcl", spec="urine"),
    a("urine_osmolality", "Osmolality, urine", "2695-5", "mOsm/kg",
      "urine osmolality|osmolality urine", spec="urine"),
    a("hcg_urine", "hCG, urine (pregnancy test)", "2106-3", None,
      "urine hcg|hcg urine|pregnancy test urine|urine pregnancy test|upt|"
      "hcg qualitative urine|pregnancy test", spec="urine"),
]  # fmt: skip

SEROLOGY: list[Analyte] = [
    a("hiv", "HIV-1/2 antigen/antibody", "56888-1", None,
      "hiv 1/2 ag/ab|hiv screen|hiv|hiv-1/2 antibody|hiv 1+2 ab|hiv ag/ab 4th generation|"
      "hiv antigen/antibody|hiv1+2 igg|hiv 1/2 antibodies", alt="75622-1 73906-0"),
    a("hbsag", "Hepatitis B surface antigen", "5196-1", None,
      "hbsag|hep b surface ag|hbs ag|hepatitis b surface ag"),
    a("hbsab", "Hepatitis B surface antibody", "16935-9", "mIU/mL",
      "hbsab|anti-hbs|hep b surface ab|hbs ab|hepatitis b surface ab"),
    a("hbcab", "Hepatitis B core antibody", "16933-4", None,
      "hbcab|anti-hbc|hep b core ab total|hbc ab|hepatitis b core ab"),
    a("hcv_ab", "Hepatitis C antibody", "16128-1", None,
      "hcv ab|anti-hcv|hep c ab|hcv antibody|hepatitis c ab"),
    a("hav_igm", "Hepatitis A IgM antibody", "13950-1", None,
      "hav igm|hepatitis a igm|hep a ab igm|anti-hav igm"),
    a("rpr", "RPR", "20507-0", None,
      "rapid plasma reagin|syphilis rpr|reagin ab|vdrl|rpr screen", alt="5292-8"),
    a("sars_cov_2", "SARS-CoV-2", "94500-6", None,
      "sars-cov-2|covid-19|sars-cov-2 rna|covid-19 pcr|sars cov 2 pcr|covid 19 rna|"
      "sars-cov-2 naa|coronavirus covid-19|covid-19 antigen|sars-cov-2 antigen|covid",
      alt="94309-2 94558-4 95209-3"),
    a("strep_a", "Streptococcus group A", "78012-2", None,
      "rapid strep|strep a|group a strep|strep screen|strep a antigen|streptococcus group a"),
    a("chlamydia", "Chlamydia trachomatis", "21613-5", None,
      "chlamydia|c trachomatis|ct naa|c trach ag|chlamydia trachomatis naa", alt="31777-6"),
    a("gonorrhea", "Neisseria gonorrhoeae", "24111-7", None,
      "gonorrhea|n gonorrhoeae|gc naa|neisseria gonorrhoeae naa|gonorrhoeae"),
    a("fobt", "Occult blood, stool", "2335-8", None,
      "occult blood stool|fecal occult blood|hemoccult|fobt|stool occult blood|guaiac"),
    a("fit", "Fecal immunochemical test", "29771-3", None, "fit|fecal immunochemical"),
    a("ana", "Antinuclear antibodies", "8061-4", None,
      "ana|antinuclear antibodies|ana screen|antinuclear antibody|ana screen ifa|nuclear ab|"
      "ana ifa"),
    a("ana_titer", "ANA titer", "5048-4", None,
      "ana titer|ana titre|nuclear ab titer|antinuclear antibody titer"),
    a("rf", "Rheumatoid factor", "11572-5", "IU/mL", "rf|ra factor|rheumatoid factor quant"),
    a("igg", "Immunoglobulin G", "2465-3", "mg/dL", "igg|igg serum"),
    a("iga", "Immunoglobulin A", "2458-8", "mg/dL", "iga|iga serum"),
    a("igm", "Immunoglobulin M", "2472-9", "mg/dL", "igm|igm serum"),
    a("ige", "Immunoglobulin E", "19113-0", "IU/mL", "ige|total ige|ige total"),
    a("c3", "Complement C3", "4485-9", "mg/dL", "c3|c3 complement"),
    a("c4", "Complement C4", "4498-2", "mg/dL", "c4|c4 complement"),
]  # fmt: skip

GASES_AND_VITALS: list[Analyte] = [
    a("ph_arterial", "pH, arterial", "2744-1", None, "arterial ph|ph arterial|abg ph|ph blood"),
    a("pco2", "pCO2, arterial", "2019-8", "mmHg", "pco2|paco2|pco2 arterial"),
    a("po2", "pO2, arterial", "2703-7", "mmHg", "po2|pao2|po2 arterial"),
    a("hco3_arterial", "Bicarbonate, arterial", "1960-4", "mmol/L",
      "hco3 arterial|bicarbonate arterial|arterial bicarbonate", val=1),
    a("o2_saturation", "Oxygen saturation, arterial", "2708-6", "%",
      "o2 sat|oxygen saturation|sao2|o2 saturation|so2|o2 sat arterial"),
    a("base_excess", "Base excess, arterial", "1925-7", "mmol/L",
      "base excess|base excess arterial", val=1),
    a("heart_rate", "Heart rate", "8867-4", "/min",
      "pulse|hr|pulse rate|heart rate bpm", cat="vital"),
    a("respiratory_rate", "Respiratory rate", "9279-1", "/min",
      "resp rate|rr|respirations|respiration rate", cat="vital"),
    a("bp_systolic", "Systolic blood pressure", "8480-6", "mmHg",
      "systolic bp|bp systolic|sbp|systolic|blood pressure systolic|bp sys", cat="vital"),
    a("bp_diastolic", "Diastolic blood pressure", "8462-4", "mmHg",
      "diastolic bp|bp diastolic|dbp|diastolic|blood pressure diastolic|bp dias", cat="vital"),
    a("temperature", "Body temperature", "8310-5", "°C", "temperature|temp|body temp",
      cat="vital"),
    a("weight", "Body weight", "29463-7", "kg", "weight|wt|body weight measured",
      alt="3141-9", cat="vital"),
    a("height", "Body height", "8302-2", "cm", "height|ht|body height measured|length",
      alt="8306-3", cat="vital"),
    a("bmi", "Body mass index", "39156-5", "kg/m²", "bmi|body mass index (bmi)", cat="vital"),
    a("spo2", "Oxygen saturation, pulse oximetry", "59408-5", "%",
      "spo2|pulse ox|pulse oximetry|o2 sat pulse ox|oxygen saturation pulse oximetry|"
      "oxygen saturation in arterial blood by pulse oximetry", cat="vital"),
    a("head_circumference", "Head circumference", "9843-4", "cm",
      "head circumference|ofc|head occipital-frontal circumference", cat="vital"),
    a("inhaled_o2", "Inhaled oxygen concentration", "3150-0", "%",
      "fio2|inhaled oxygen concentration", cat="vital"),
    # One reading of both pressures ("128/82"): its number is the systolic, `parts` both.
    a("blood_pressure", "Blood pressure", "85354-9", "mm[Hg]",
      "blood pressure|bp|blood pressure panel", alt="55284-4 35094-2", cat="vital"),
]  # fmt: skip
