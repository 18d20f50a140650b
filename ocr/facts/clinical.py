"""Diagnoses, problems and allergies from clinical text (medications and immunizations are
in `ocr.facts.medications`); `find_clinical` reads them all from a document's lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ocr.facts import catalogue, confidence
from ocr.facts.clinical_data import CONDITIONS, DRUGS, REACTIONS, SEVERITIES
from ocr.facts.lines import Line
from ocr.facts.medications import find_immunizations, find_medications
from ocr.facts.model import Allergy, Condition, Immunization, Medication
from ocr.facts.negation import assertion, historical
from ocr.facts.sections import Section, is_title, split_sections
from ocr.facts.spans import Text, join, split_items

_ICD10 = re.compile(
    r"(?<![\w.])(?P<code>[A-TV-Z][0-9][0-9AB]\.[0-9A-TV-Z]{1,4})(?![\w.])"
    r"|(?:icd-?10(?:-cm)?\s*(?:code)?\s*[:#]?\s*|\()(?P<bare>[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?)"
    # a bare code opening a line is followed by a capitalised name ("I10 Hypertension"), not
    # by a sentence ("P53 immunohistochemical stain is negative")
    r"(?![\w.])|^(?P<lead>[A-TV-Z][0-9][0-9AB])(?=\s+[-–:]?\s*(?-i:[A-Z][a-z]))",
    re.IGNORECASE | re.MULTILINE,
)
_CONDITION_TERMS = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in CONDITIONS) + r")(?![\w-])"
    # a disease's name used to name something else: its index, a prevention, a teaching, a
    # vaccine, a cell ("BMI index", "DVT prophylaxis", "the diabetes educator", "Received
    # hepatitis B #1", "Tumor cells show no reactivity")
    # the procedure done for it ("cataract surgery"); a short word between is part of the
    # name it takes ("hepatitis B vaccine" is no hepatitis)
    r"(?!(?:\s+[a-z0-9]{1,2}\b)?(?:\s+(?:index|prophylaxis|prevention|educators?|education"
    r"|teaching|classes|screening|vaccines?|vaccinations?|immunizations?|shots?|series|cells?"
    r"|protocol|work-?up|surgery|surgeries|operation|repair|removal|extraction|resection"
    r"|excision)\b|\s*#\s*\d))",
    re.IGNORECASE,
)
# Vital signs around a code-shaped word make it a reading ("T36.9C" is 36.9 °C).
_VITALS_AROUND = re.compile(
    r"\b(?:BP|HR|RR|SpO2|O2\s*sat|pulse|temp)\s*:?\s*\d|\bT\s*\d{2}(?:\.\d)?\s*°?\s*[CF]\b",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"\s*(?:\d{1,2}[.)]\s*|[-*•·]\s*|[a-z][.)]\s+)")
_LEAD_IN = re.compile(
    r"^(?:(?:is\s+)?(?:significant|positive|notable|remarkable)\s+for|includes?|including"
    r"|history\s+of|h/o|hx\s+of|(?:the\s+)?patient\s+has|(?:he|she)\s+has|known"
    # "Unremarkable, except for hyperlipidemia": the one exception is the item
    r"|(?:unremarkable|negative|noncontributory|non-contributory)\s*,?\s*(?:except|other\s+than)"
    r"(?:\s+for)?)\s+",
    re.IGNORECASE,
)
_NOTHING = re.compile(
    r"^(?:(?:essentially|otherwise|completely|entirely)\s+)?(?:none(?:\s+known)?|negative|noncontributory|non-contributory|unremarkable|n/?a|not\s+applicable"
    r"|no\s+significant.*|nothing.*|unknown|deferred|see\s+(?:above|below|hpi).*|reviewed.*"
    r"|unchanged.*|denie[sd])\.?$",
    re.IGNORECASE,
)
_DIAGNOSED = re.compile(r"\b(?:diagnosed\s+with|diagnosis\s+of|dx\s+of|history\s+of|h/o"
                        r"|suffer(?:s|ed|ing)?\s+from|(?:am|is|are|been)\s+following\s+"
                        r"(?:(?:him|her|them)\s+)?for|(?:him|her|them)\s+for\s+(?:his|her))\s+",
                        re.IGNORECASE)  # fmt: skip
# Where the name after "diagnosed with" ends: a mark, or a word that goes on to something else.
_HEDGES = {"possible", "probable", "questionable", "suspected", "likely", "presumed", "query"}
_NAME_STOP = re.compile(
    r"[.,;:()\n]|\s(?:and|or|with|who|which|that|in|for|since|at|on|of|but|as|by|after|to|was"
    r"|is|were|are|has|had|when|while|from|about|secondary|due|status)\s",
    re.IGNORECASE,
)
_NO_ALLERGIES = re.compile(
    r"\b(?P<drug>nkda|no\s+(?:known\s+)?(?:drug|medication|medicine)\s+allerg(?:ies|y))\b"
    r"|\b(?P<food>no\s+known\s+food\s+allerg(?:ies|y))\b"
    r"|\b(?P<all>nka|no\s+known\s+allerg(?:ies|y)|no\s+allerg(?:ies|y)|denies\s+(?:any\s+)?"
    r"(?:drug\s+)?allerg(?:ies|y)|allerg(?:ies|y)\s*:\s*none(?:\s+known)?)\b",
    re.IGNORECASE,
)
_ALLERGIC_TO = re.compile(r"\b(?:allergic|allergy|allergies|sensitivity|intolerance)\s+to\s+",
                          re.IGNORECASE)  # fmt: skip
_REACTION = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(r) for r in REACTIONS) + r")(?![\w-])", re.IGNORECASE
)
_SEVERITY = re.compile(r"(?<![\w-])(?:" + "|".join(SEVERITIES) + r")(?![\w-])", re.IGNORECASE)
_DENIED_ALLERGY = re.compile(
    r"\b(?:denies|denied|no)\s+(?:any\s+)?(?:known\s+)?(?P<s>[\w\-]+(?:\s+[\w\-]+)?)\s+allerg",
    re.IGNORECASE,
)
_NOT_SUBSTANCES = {
    "drug", "drugs", "food", "medication", "medicine", "medicines", "known", "any", "other",
    "medical", "seasonal", "environmental", "unknown", "however", "none",
}  # fmt: skip
_NOT_ALLERGENS = re.compile(
    r"^(?:denied|denies|none\s+reported|not\s+reported|afebrile|no\s+\w+|nil|n/a)$", re.I
)
_SUBSTANCE_END = re.compile(r"\s*(?:[(:\-–—]|,|\bcauses?\b|\bcaused\b|\bwith\b|\breaction\b"
                            r"|\bwhich\b|\bthat\b|\bwhen\b|\bafter\b"
                            r"|\bresult(?:s|ed)?\s+in\b|\bgives?\b)", re.IGNORECASE)  # fmt: skip
_ALLERGY_WORDS = re.compile(r"^(?:allergic|allergy|allergies)\s+to\s+|\s+allergy$", re.I)
_MAX_ITEM_WORDS = 8
# A hyphen glued between the last word of a diagnosis and a capitalised remark on it
# ("Chest pain-Mild", "PAF-Due to hypertension").
_GLUED_COMMENT = re.compile(r"(?<=[A-Za-z]{2})-(?=[A-Z][a-z]+\b(?!-))")
# The line so far is a numbered item whose first sentence has ended ("6.  Hypertension.  "):
# the sentences after it remark on that diagnosis ("Blood pressure controlled."), they are no
# items of the list.
_REMARK = re.compile(r"[\s,]*\d{1,2}[.)]\s*\S[^\n]*?[.;]\s+$")
_MEASURED = re.compile(r"\d+\.\d+|\b(?:19|20)\d\d\b")  # a value or a year: a finding, not a name
_DENIED_AFTER = re.compile(
    r"(?:\s+(?:(?:was|is|has\s+been|been)\s+)?(?:ruled\s+out|excluded|unlikely)"
    r"|\s*:\s*(?:negative|not\s+seen|absent|none))\s*\.?$",
    re.I,
)
# Words of a sentence about care, not of a diagnosis's name.
_PROSE = re.compile(
    r"\b(?:i|we|he|she|they|you|was|were|is|are|has|have|had|will|would|should|can|could"
    r"|recommended|discussed|given|completed|ordered|scheduled|advised|today|please|follow"
    r"|the\s+patient|takes|uses|taking|using|this|that|his|her|him|includes?|reviewed|unchanged"
    r"|history|unable|evaluate|medicines?|medications?|understand|wished|plan|otherwise|terms"
    r"|admitted|received|intact|score|recheck|proceed|discharge|described|quit)\b",
    re.IGNORECASE,
)
# First words of a list item that is a sentence, a plan or a finding, not a diagnosis's name.
_FUNCTION_WORDS = {
    "the", "a", "an", "this", "that", "these", "those", "he", "she", "it", "they", "his", "her",
    "their", "its", "patient", "patients", "pt", "we", "i", "you", "been", "be", "was", "were",
    "is", "are", "will", "would", "should", "could", "can", "may", "might", "must", "continue",
    "continued", "continues", "start", "started", "stop", "stopped", "follow", "followed",
    "return", "see", "same", "as", "per", "please", "also", "however", "which", "who", "because",
    "since", "then", "when", "if", "and", "or", "but", "to", "for", "of", "in", "on", "at", "by",
    "from", "did", "does", "do", "has", "have", "had", "not", "exercise", "diet", "discussed",
    "recommend", "recommended", "counseled", "counseling", "advised", "plan", "normal", "well",
    "there", "here", "after", "before", "during", "over", "under", "about", "all", "some",
    "any", "each", "every", "more", "most", "other", "such", "only", "very", "so", "than", "too",
    "just", "now", "today", "yesterday", "tomorrow", "again", "further", "once", "little", "bit",
    "questionable", "unremarkable", "negative", "stable", "improved", "resolved",
    "schedule", "scheduled", "check", "recheck", "repeat", "obtain", "order", "ordered", "refer",
    "referred", "consult", "monitor", "increase", "decrease", "change", "add", "added", "take",
    "given", "give", "symptoms", "signs", "what", "why", "how", "where", "with", "without",
    "consider", "staying", "multiple", "apparently", "actually", "briefly", "nonsignificant",
    "alternatively", "manage", "managed", "relieved", "title", "ultrasound", "intraoperative",
    "numerous", "single",
    # a sentence about a problem named before it ("Asthma. Seems to be worse than in the past")
    "seems", "seem", "appears", "appear", "looks", "likely", "probably", "possibly", "thought",
    "felt", "noted",
    # what the clinician did, not what the patient has ("Gave two week well-child check
    # handout to Mom")
    "gave", "told", "instructed", "provided", "explained", "educated", "spent", "called",
    "informed", "asked", "encouraged", "reassured",
}  # fmt: skip
_NOT_A_PROBLEM = re.compile(
    r"\b(?:as\s+above|see\s+above|as\s+below|as\s+noted|prophylaxis|counsel(?:ed|ing)|follow[-\s]?up"
    r"|return\s+to|did\s+not|does\s+not|do\s+not|need(?:s|ed)?\s+(?:any|to)|will\s+be|was\s+not"
    r"|performance\s+status|showing|shows|showed|x-ray|monitor|seen|negative\s+for|may\s+be"
    r"|obtained|as\s+per|title\s+of|ability\s+to|analysis|within\s+normal\s+limits|documented"
    r"|revealed|review\s+of\s+systems|education|educator|vaccin\w*|immuniz\w*|screening"
    # a sentence saying when it began, not a problem's name ("Difficulty breathing began last
    # night"); the DSM axes that name no disorder (III "Noncontributory", IV stressors, V GAF)
    r"|began|begun|noncontributory|non-contributory|axis\s+(?:iv|v)|global\s+assessment"
    r")\b|:\s*(?:present|absent|not\s+(?:identified|seen|involved|present|detected)|negative"
    r"|none)\b"
    r"|\bstage\s*:"
    r"|:\s*normal\b",
    re.IGNORECASE,
)
# A DSM axis's label before what it names ("Axis III: Osteoporosis, hypertension").
_AXIS = re.compile(r"\s*axis\s+(?:i{1,3}|[1-3])\b\s*[:.\-–]?\s*", re.IGNORECASE)
# A piece of a list that goes on from the one before it ("Low back pain, chronic with
# obesity", "peripheral neuropathy, consistent with diabetic neuropathy"): no name of its own.
_CONNECTED = re.compile(r"\s*(?:[a-z][\w-]*\s+)?(?:with|to|for|from)\b", re.IGNORECASE)
_UNSURE_TAIL = re.compile(
    r",?\s+(?:rule\s+out|r/o|possible|probable|suspected|question\s+of)\s+", re.IGNORECASE
)
_RESOLVED = re.compile(r"\b(?:now\s+)?resolved\b", re.IGNORECASE)
# Habits, and the words saying the patient has given them up ("tobacco use, which he quit at
# the age of 37"): a former habit is no problem of now.
_HABIT = re.compile(r"\b(?:tobacco|smoking|smoker|alcohol|drug|substance|cigarettes?)\b", re.I)
_GIVEN_UP = re.compile(r"\b(?:quit|quitted|stopped|former|formerly|ex-?smoker|gave\s+up"
                       r"|no\s+longer|in\s+the\s+past|used\s+to|previously"
                       r"|(?:past|remote)\s+history\s+of)\b", re.IGNORECASE)  # fmt: skip
# Words for a place in the body that make a known term another disease ("pulmonary
# hypertension" is not hypertension): a term read after one takes it into its name.
_SITE = re.compile(
    r"(?:pulmonary|portal|intracranial|ocular|renal|renovascular|cardiac|cerebral|hepatic"
    r"|gastric|intestinal|rectal|vaginal|uterine|nasal|spinal|lumbar|cervical|thoracic"
    r"|abdominal|pelvic|diabetic|gestational|venous|arterial|biliary|urinary|bronchial"
    r"|esophageal|pleural|pericardial|bladder|bowel|skin|breast|lung|bone|brain)\s+$",
    re.IGNORECASE,
)
_PROCEDURE = re.compile(
    r"(?:ectomy|ectomies|otomy|ostomy|plasty|scopy|surgery|surgeries|repair|replacement"
    r"|placement|biopsy|biopsies|injection|procedure|transplantation|graft|grafting|dilatation"
    r"|gram|graphy|pinning"
    # a treatment the patient is on, not a problem ("chronic Coumadin therapy")
    r"|therapy|therapies|treatment|treatments|regimen|anticoagulation|supplementation"
    r"|extraction|removal|excision|resection|insertion|implantation|amputation|delivery"
    r"|transfusion|transfusions|ligation|bypass|transplant|transplantation|catheterization"
    r"|cardioversion|ablation|dialysis|management"
    # whole words only: "persistent" and "defect" are no stent and no CT
    r"|(?<![a-z])(?:x-ray|monitor|scan|ekg|ecg|mri|ct|stents?|stenting))[.,;]?$",
    re.IGNORECASE,
)
# Tests and procedures named alone in a list, not diagnoses.
_TESTS = {"ekg", "ecg", "ct", "mri", "cbc", "cxr", "x-ray", "xray", "echo", "echocardiogram",
          "labs", "ultrasound", "eeg", "emg", "biopsy", "pt", "ot", "speech", "ua", "bmp",
          "cmp", "lft", "lfts"}  # fmt: skip
# Word endings of diagnoses: -itis, -osis, -emia, -oma, -pathy, -algia, …
_MEDICAL_WORD = re.compile(
    r"(?:itis|osis|oses|emia|aemia|oma|omas|pathy|algia|ia|ism|plegia|paresis|trophy|megaly"
    r"|rrhea|rrhoea|cele|ectasia|penia|cytosis|uria|iasis|spasm|sclerosis|stenosis|ulcer"
    r"|cancer|carcinoma|disease|disorder|syndrome|injury|fracture|infection|failure|insufficiency"
    r"|deficiency|hernia|lesion|tumou?r|cyst|nodule|mass|effusion|obstruction|thrombosis"
    r"|embolism|aneurysm|dysfunction|dysplasia|degeneration|abuse|dependence|pain|palsy"
    r"|bleed(?:ing)?|hemorrhage|haemorrhage|infarct(?:ion)?|arrest|block|murmur|edema|oedema"
    r"|stone|stones|tear|sprain|strain|wound|burn|rash|bite|dermatitis|apnea|arrhythmia|ysis|asis"
    r"|esis|ness|ema|acne|thrush|fatigue|thyroid|cholesterol|parkinson's|alzheimer's|gain|loss"
    r"|aches?|headaches|seizures?|allerg(?:y|ies)|hypoxia|retention|incontinence|lacerations?"
    r"|contusions?|abrasions?|trauma|weakness|numbness|tremors?|anxiety|insomnia|fever|cough"
    r"|nausea|vomiting|diarrh(?:o)?ea|constipation|dysuria|hematuria|spur|fasciitis|fascitis"
    r"|polyps?|diverticul\w*|hemorrhoids?|varices|ascites|jaundice|anemia|obesity"
    r"|enlargement|fibroids?|mutations?|distress|illness|goit(?:er|re)|plugging|prematurity"
    r"|reflux|ileus|spotting|caries|abscess(?:es)?|deformity|contractures?|instability"
    r"|impairment|delay|disability|prolapse|fistula|adhesions|crisis|withdrawal|voiding"
    r"|dependen(?:t|ce)|bronchitis|sinusitis|pharyngitis|strep|sickle|autism|adhd|pregnancy)\b",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"^(?:(?:possible|probable|questionable|question\s+of|suspected|suspect|presumed|likely"
    r"|rule\s+out|ruled\s+out|r/o"
    r"|no|denies|negative(?:\s+for)?|history\s+of|h/o|status\s+post|s/p)\s+)+",
    re.IGNORECASE,
)


@dataclass
class ClinicalFacts:
    """Medications, conditions (the patient's, and those excluded), allergies, immunizations."""

    medications: list[Medication] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    excluded: list[Condition] = field(default_factory=list)
    allergies: list[Allergy] = field(default_factory=list)
    immunizations: list[Immunization] = field(default_factory=list)


def find_clinical(lines: Sequence[Line]) -> ClinicalFacts:
    """Read every clinical fact kind from `lines` (a document's, in reading order)."""
    doc = join(lines)
    sections = split_sections(doc.text)
    present, excluded = find_conditions(doc, sections)
    return ClinicalFacts(
        find_medications(doc, sections), present, excluded, find_allergies(doc, sections),
        find_immunizations(doc, sections),
    )  # fmt: skip


def find_conditions(doc: Text, sections: list[Section]) -> tuple[list[Condition], list[Condition]]:
    """The patient's conditions, and conditions mentioned as absent, possible or family's."""
    found: dict[tuple[str, str], Condition] = {}
    for section in sections:
        listed = section.kind in ("problems", "history", "family")
        spans = _unwrapped(doc.text, section.spans) if listed else section.spans
        for start, end in spans:
            for condition in _conditions(doc, start, end, section.kind, listed):
                found.setdefault((condition.name.lower(), condition.assertion), condition)
    conditions = list(found.values())
    return (
        [c for c in conditions if c.assertion == "present"],
        [c for c in conditions if c.assertion != "present"],
    )


def _unwrapped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with the lines a long item wrapped onto joined to it: a line that starts in lower
    case, or ends a numbered item that had no full stop ("… of the left parietal" / "lobe.")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and "\n" in text[out[-1][1] : start] and _continues(text, out[-1], start):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _continues(text: str, above: tuple[int, int], start: int) -> bool:
    line = text[start : start + 40]
    numbering = _NUMBERING.match(line)
    if numbering and numbering.group().strip():
        return False
    previous = text[above[0] : above[1]].rstrip()
    if previous.endswith((".", ":", ";")):
        return False
    # a line that starts in lower case, or any line after one the page's width broke ("… If
    # normal we will go back to yearly" / "Pap smear.")
    line_start = text.rfind("\n", 0, above[1]) + 1
    return bool(re.match(r"[a-z]", line)) or above[1] - line_start >= 60


def _conditions(doc: Text, start: int, end: int, kind: str, listed: bool) -> list[Condition]:
    text = doc.text
    out: list[Condition] = []
    coded = list(_ICD10.finditer(text, start, end))
    for match in coded:
        code = (match["code"] or match["bare"] or match["lead"]).upper()
        if _VITALS_AROUND.search(text, max(start, match.start() - 30), min(end, match.end() + 30)):
            continue  # "BP152/82 HR74 RR16 T36.9C": a temperature, not the code T36.9
        name = _described(text[start:end], match.start() - start, match.end() - start)
        if name:
            out.append(_condition(doc, start, end, name, kind, code, evidence="coded"))
    if coded:
        return out
    if listed:
        return _listed(doc, start, end, kind)
    for match in _DIAGNOSED.finditer(text, start, end):
        if _DURATION_BEFORE.search(text, max(start, match.start() - 24), match.start()):
            continue  # "presents with a 3-day history of increased cough": the illness now
        term = _CONDITION_TERMS.match(text, match.end())
        if term and kind == "social" and _HABIT.search(term.group()):
            continue  # "SOCIAL HISTORY: a 30-pack-year history of smoking": a habit told
        if term:
            out.append(_condition(doc, term.start(), term.end(), term.group(), kind, None,
                                  evidence="prose-term"))  # fmt: skip
        else:
            named = _diagnosed_name(text, match.end(), end)
            if named is not None and kind != "social":
                out.append(_condition(doc, *named, text[named[0] : named[1]], kind, None,
                                      evidence="prose-named"))  # fmt: skip
    for term in _CONDITION_TERMS.finditer(text, start, end):
        a = _widened(text, start, term.start())
        condition = _condition(doc, a, term.end(), text[a : term.end()], kind, None,
                               evidence="prose")  # fmt: skip
        if condition.assertion != "present":
            out.append(condition)  # kept so that "denies chest pain" is visibly not a diagnosis
    return out


def _diagnosed_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a diagnosis's name of up to four words after "diagnosed with" or "history
    of" that the word list does not know ("diagnosed with aplastic anemia", "suffering from
    ongoing myofascitis"): it ends on a word of a disease, before a mark or a joining word."""
    stop = _NAME_STOP.search(text, start, min(end, start + 60))
    limit = stop.start() if stop else min(end, start + 60)
    words = list(re.finditer(r"[A-Za-z][\w'\-]*", text[start:limit]))[:4]
    if words and words[0].group().lower() in ("a", "an", "the", "his", "her"):
        words = words[1:]  # "diagnosed with a brain tumor"
    if (
        not words
        or words[0].group().lower() in _HEDGES
        or (words[0].group().lower() == "present" and len(words) > 1)
    ):
        return None  # "history of possible …" is a question; "history of present illness"
    for word in reversed(words):
        ending = _MEDICAL_WORD.search(word.group())
        if ending is not None and ending.end() == len(word.group()):
            span = (start + words[0].start(), start + word.end())
            name = text[span[0] : span[1]]
            if condition_evidence(name, False) is not None:
                return span
            return None
    return None


def _listed(doc: Text, start: int, end: int, kind: str) -> list[Condition]:
    """Conditions in an item of a problem, history or family section."""
    text = doc.text
    numbering = _NUMBERING.match(text, start)
    item_start = numbering.end() if numbering else start
    lead = _LEAD_IN.match(text[item_start:end])
    item_start += lead.end() if lead else 0
    axis = _AXIS.match(text, item_start, end)
    item_start = axis.end() if axis else item_start  # "Axis II: Deferred": the label is no name
    glued = _GLUED_COMMENT.search(text, item_start, end)
    if glued is not None and (
        re.fullmatch(r"[A-Z]{2,6}", text[item_start : glued.start()].strip())
        or _CONDITION_TERMS.search(text, max(item_start, glued.start() - 40), glued.start())
    ):
        # "Chest pain-Mild.", "PAF-Due to hypertension …", "Dyslipidemia-Samples of Crestor
        # given.": a hyphen set between a diagnosis and a remark on it ends the diagnosis
        # (not the hyphens of a name: "Wolff-Parkinson-White syndrome")
        end = glued.start()
    item = text[item_start:end].rstrip(" .")
    if not item.strip() or _NOTHING.match(item.strip()):
        return []
    unsure = _UNSURE_TAIL.search(item)
    if (
        unsure
        and unsure.start() > 0
        and (
            len(_CONDITION_TERMS.findall(item)) < 2
            # one problem, and what is to be ruled out after it ("Major depression rule out
            # substance abuse"); not a list of several ("A, B with C possible source of …")
            or (
                "," not in item[: unsure.start()]
                and _CONDITION_TERMS.search(item, 0, unsure.start())
            )
        )
    ):
        # "Respiratory distress, rule out sepsis and prematurity": the problem is what comes
        # before; what is to be ruled out is a question, kept apart as possible
        tail = item_start + unsure.end()
        head = _listed(doc, start, item_start + unsure.start(), kind)
        return head + [
            _condition(doc, m.start(), m.end(), m.group(), kind, None, evidence="prose")
            for m in _CONDITION_TERMS.finditer(text, tail, end)
        ]
    scanned = False
    pieces = split_items(text, item_start, end)
    terms = [p for p in pieces if _CONDITION_TERMS.search(text[p[0] : p[1]])]
    if len(pieces) > 1 and len(terms) >= 2:
        # "hypertension, diabetes and asthma": a list of conditions
        spans = []
        for piece in pieces:
            if _short_name(text[piece[0] : piece[1]]) and not _CONNECTED.match(
                text, piece[0], piece[1]
            ):
                spans.append(piece)
            elif piece in terms:  # a long piece: only the condition it names
                spans.extend((_widened(text, piece[0], m.start()), m.end())
                             for m in _CONDITION_TERMS.finditer(text, *piece))  # fmt: skip
    elif (
        len(item.split()) <= _MAX_ITEM_WORDS
        and not _PROSE.search(item)
        and not _REMARK.match(text, text.rfind("\n", 0, start) + 1, start)
    ):
        spans = [(item_start, item_start + len(item))]
    else:
        spans = [(_widened(text, start, m.start()), m.end())
                 for m in _CONDITION_TERMS.finditer(text, start, end)]  # fmt: skip
        # Terms inside a sentence of the section ("he has had recurrent rectal bleeding"):
        # the patient's, likely, but the sentence is no list of problems.
        scanned = bool(_PROSE.search(item)) or not _numbered(text, start, numbering)
    out = []
    numbered = _numbered(text, start, numbering)
    for a, b in spans:
        qualifier = _QUALIFIER.match(text[a:b])
        a += qualifier.end() if qualifier else 0
        denied = _DENIED_AFTER.search(text, a, b)
        b = denied.start() if denied else b  # "myocardial infarction ruled out": said after it
        name = re.sub(r"\s+", " ", text[a:b]).strip(" .")
        if (
            name
            and not _NOTHING.match(name)
            and re.search(r"[^\W\d_]{3}", name)
            and not (_MEASURED.search(name))
        ):
            whole = len(spans) == 1 and (numbered or len(name.split()) <= _MAX_ITEM_WORDS)
            evidence = condition_evidence(name, whole)
            if evidence is not None and scanned:
                evidence = "prose-scanned"
            if evidence is not None:
                out.append(_condition(doc, a, b, name, kind, None, denied is not None, evidence))
    return out


def _numbered(text: str, start: int, numbering: re.Match[str] | None) -> bool:
    """Whether the item at `start` is numbered or bulleted (the sentence splitter may have
    left its "1." behind it)."""
    if numbering is not None and numbering.group().strip():
        return True
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 8) : start]
    return bool(re.fullmatch(r"[\s,]*(?:\d{1,2}[.)]|[-*•·])\s*", before))


def _short_name(text: str) -> bool:
    return len(text.split()) <= 4 and not _PROSE.search(text) and not _NOTHING.match(text.strip())


def _condition(
    doc: Text,
    start: int,
    end: int,
    name: str,
    kind: str,
    code: str | None,
    denied: bool = False,
    evidence: str = "listed",
) -> Condition:
    said = "absent" if denied else assertion(doc.text, start, end, family_section=kind == "family")
    if said == "present" and _HABIT.search(name) and _given_up(doc.text, start, end):
        said = "absent"  # "a history of tobacco use, which he quit": not a problem of now
    past = kind == "history" or historical(doc.text, start)
    name = re.sub(r"\.\s*,\s*\d{1,2}$", "", name)  # "Hypertension. ,3": the next item's number
    # a speck read as a full stop between two words of a scan ("carcinoma of.the cervix")
    name = re.sub(r"(?<=[a-z]{2})\.(?=[a-z]{2,}\b)", " ", name)
    return Condition(
        name=re.sub(r"\s+", " ", name).strip(" .,;:-"),
        citation=doc.cite(start, end),
        icd10=code,
        status="resolved" if _RESOLVED.search(name) else "historical" if past else "active",
        assertion=said,
        confidence=confidence.condition(evidence),
    )


def _widened(text: str, floor: int, start: int) -> int:
    """Where a known term found at `start` begins with the body site printed before it
    ("pulmonary hypertension"), not before `floor`."""
    site = _SITE.search(text, max(floor, start - 16), start)
    return site.start() if site else start


def _given_up(text: str, start: int, end: int) -> bool:
    """Whether the sentence around a mention says the habit was given up."""
    stops = list(re.finditer(r"[.;\n]", text[max(0, start - 120) : start]))
    begin = max(0, start - 120) + (stops[-1].end() if stops else 0)
    stop = re.compile(r"[.;\n]").search(text, end)
    return bool(_GIVEN_UP.search(text, begin, stop.start() if stop else len(text)))


def condition_evidence(name: str, whole_item: bool) -> str | None:
    """How much a list item looks like a diagnosis ("listed-known", "listed", "listed-odd"),
    or None when it is a function word, a pronoun, a fragment of a sentence, a plan, a test or
    a finding that is no diagnosis ("The", "patient", "lobe", "did not need any treatment",
    "22, LDL cholesterol 107", "Continue current antibiotics"). `whole_item`: the name is all
    of a list item (a numbered line, or one that is nothing else)."""
    name = re.sub(r"^(?:a|an)\s+", "", name, flags=re.IGNORECASE)
    words = name.split()
    if not words:
        return None
    first = words[0].lower().strip(",;:")
    if first in _FUNCTION_WORDS or re.match(r"[\d,#(]", name) or _NOT_A_PROBLEM.search(name):
        return None
    if len(words) > 1 and words[-1].lower() in _OPEN_ENDS:
        return None  # "Delivery at": a sentence cut where its line or clause broke
    if _TOPIC.match(name.strip(" .")):
        return None  # "Health maintenance", "Code status, full code": a topic of the plan
    if _MEASUREMENT.search(name):
        return None  # "Head circumference 33 cm": a measurement, not a problem
    if _DOSING.search(name):
        return None  # "Dulcolax suppository twice a week p.r.n": a medicine as taken
    if first in _RELATIVES and not (_MEDICAL_WORD.search(name) or _CONDITION_TERMS.search(name)):
        return None  # "Mom and family": who, not what
    if first in ("maternal", "paternal"):
        return None  # "Maternal group B streptococcus positive culture": the mother's
    head = _HEAD_END.split(name, maxsplit=1)[0].split() or words
    if _PROCEDURE.search(head[-1]) or first in _PROCEDURES_FIRST or _OPERATION.search(first):
        # "bilateral cataract surgery", "Recent aortic valve replacement with bioprosthetic
        # valve", "Insertion of a porcine valve": a procedure the patient had, not a problem
        return None
    if _PROCEDURE.search(words[-1]) and not (
        _MEDICAL_WORD.search(" ".join(head)) or _CONDITION_TERMS.search(" ".join(head))
    ):
        return None  # "left hip, status post arthroplasty" (but "CAD, status post stent" stays)
    if any(w.lower().strip(",;:") in DRUGS for w in words[:2]) and not _MEDICAL_WORD.search(name):
        return None  # "Coumadin", "aspirin daily": a medicine, not a problem
    lowered = name.lower()
    term = _CONDITION_TERMS.search(name)
    if term is not None:
        exact = term.group().lower() in (lowered, lowered.rstrip("s"))
        return "listed-known" if exact else "listed"
    if lowered.rstrip("s") in _KNOWN or catalogue.lookup(name, fuzzy=False) or lowered in _TESTS:
        return "listed-known" if lowered.rstrip("s") in _KNOWN else None
    medical = _MEDICAL_WORD.search(name) is not None
    if len(words) == 1:
        abbreviation = re.fullmatch(r"[A-Z]{2,6}s?", name) is not None
        if medical or abbreviation:
            return "listed"
        if _DESCRIBED.search(name):
            return None
        return "listed-odd" if whole_item and name[:1].isupper() else None
    if medical:
        return "listed"
    if name[:1].islower() and not whole_item:
        return None  # a fragment of a sentence broken over lines
    if _DESCRIBED.search(name):
        return None  # "Dominant circumflex system", "Prominent endometrium": what a test showed
    if _STATUS_END.search(name):
        return None  # "Blood pressure controlled", "Answering questions appropriately"
    # Words none of which names a disease or a sign of one: maybe a problem in words of its
    # own, maybe a line of the note that is none; it waits for a person either way.
    return "listed-odd"


# Words of a list item that describe what an image or a test showed, or who the patient is,
# not a disease ("Dominant circumflex system", "Prominent endometrium", "Suspicious
# mammographic findings", "BIRADS Classification 4", "Appropriate for gestational age",
# "Sterilization candidate", "Mild degenerative changes of the lumbar spine", "Small amount
# of free fluid in the pelvis", "Moderate stool burden"): found in the impressions of reports,
# where a list item without a word of disease was wrong more often than in diagnosis lists.
_DESCRIBED = re.compile(
    r"\b(?:findings?|classification|bi-?rads|system|dominant|prominent|patent|appearance"
    r"|densit(?:y|ies)|signal|enhancement|opacit(?:y|ies)|appropriate|candidate|changes"
    r"|amount|burden|trace|loops|visuali[sz]ation|free\s+fluid|residual)\b",
    re.IGNORECASE,
)
# A list item without a word of disease that ends on how something is, not what the patient
# has ("Blood pressure controlled", "Answering questions appropriately", "Gait stable").
_STATUS_END = re.compile(
    r"\b(?:controlled|stable|unchanged|improving|improved|appropriate(?:ly)?|normal|normally"
    r"|unremarkable|intact|negative|well|fine|okay|satisfactor(?:y|ily))$",
    re.IGNORECASE,
)
# Topics a plan is written under, not problems of the patient ("Health maintenance",
# "Preoperative evaluation", "Well-child check", "Disposition", "Code status, full code",
# "Fluid, electrolytes and nutrition", "Advance directives", "Pain control"): the headings of a
# hospital day's plan and of a wellness visit.
_TOPIC = re.compile(
    r"(?:(?:routine|annual|general|complete)\s+)?(?:health(?:\s+care)?\s+maintenance"
    r"|(?:pre-?operative|medical|cardiac|surgical)\s+(?:evaluation|clearance|risk\s+assessment)"
    r"|well[-\s]?(?:child|baby|woman|adult)(?:\s+(?:check|exam|examination|visit|care))?"
    r"|(?:physical|physical\s+exam(?:ination)?|exam(?:ination)?|check-?up|wellness\s+visit)"
    r"|nutrition|disposition|dispo|code\s+status\b.*|full\s+code|fen|f/e/n"
    r"|fluids?(?:\s*,\s*|\s+and\s+|\s*/\s*)electrolytes\b.*|advanced?\s+directives?"
    r"|pain\s+(?:control|management)|discharge\s+planning|anticipatory\s+guidance"
    r"|goals\s+of\s+care|access|lines?|activity)$",
    re.IGNORECASE,
)
# "a 3-day history of increased cough": how long the present illness has lasted, not a
# diagnosis of the patient's history (years-long ones are: "a 6-year history of diabetes").
_DURATION_BEFORE = re.compile(
    r"\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple)"
    r"(?:\s+of)?[\s-]+(?:hours?|days?|weeks?|months?|hrs?|wks?)['’]?\s*$",
    re.IGNORECASE,
)


_KNOWN = {term.lower() for term in CONDITIONS}
# Where the head of a diagnosis's name ends and what qualifies it begins.
_HEAD_END = re.compile(
    r"[,;]|\s+(?:with|without|status\s+post|s/p|secondary\s+to|due\s+to|after|following|in"
    r"|requiring|needing|on|treated\s+with|managed\s+with|for)\s+",
    re.IGNORECASE,
)
# First words that name an operation ("Insertion of …", "Cardiopulmonary bypass" ends so).
_PROCEDURES_FIRST = {
    "insertion", "placement", "removal", "repair", "replacement", "excision", "resection",
    "biopsy", "transplant", "transplantation", "ligation", "bypass", "cardioversion", "ablation",
    "dialysis", "hemodialysis", "implantation", "amputation", "injection", "extraction",
    "transfusion", "catheterization", "exploration", "evacuation", "reconstruction", "revision",
    "fixation", "fusion", "drainage", "debridement", "incision", "dissection", "decompression",
}  # fmt: skip
_OPERATION = re.compile(r"(?:ectomy|otomy|ostomy|plasty|scopy|graphy|pexy|rrhaphy)$", re.I)
_DOSING = re.compile(
    r"\b(?:p\.?r\.?n|b\.?i\.?d|t\.?i\.?d|q\.?i\.?d|q\.?d|daily|twice|suppositor(?:y|ies)"
    r"|tablets?|capsules?|inhalers?|ointment|drops|patch|mg|mcg|as\s+needed)\b\.?",
    re.IGNORECASE,
)
_RELATIVES = {"mom", "dad", "mother", "father", "family", "sister", "brother", "parents",
              "son", "daughter", "wife", "husband", "grandmother", "grandfather"}  # fmt: skip
_OPEN_ENDS = {"at", "of", "to", "with", "for", "and", "or", "the", "a", "an", "in", "on", "by",
              "from", "was", "is", "were", "are", "his", "her", "their"}  # fmt: skip
_MEASUREMENT = re.compile(
    r"\d\s*(?:(?:cm|mm|m|kg|g|lb|lbs|pounds|ounces|oz|inches|in|mg|mcg|ml|mmhg|bpm|/min)\b|%)",
    re.IGNORECASE,
)


def _described(item: str, code_start: int, code_end: int) -> str:
    """The words naming a coded diagnosis: the item without its code and punctuation."""
    name = (item[:code_start] + " " + item[code_end:]).strip()
    name = _unnumbered(name)
    name = re.sub(r"\(\s*\)|\bicd-?10(?:-cm)?\s*(?:code)?\s*[:#]?", " ", name, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", name).strip(" -–:;,.()")


def find_allergies(doc: Text, sections: list[Section]) -> list[Allergy]:
    """Allergies, statements of none known, and refuted allergies ("not allergic to …")."""
    text = doc.text
    found: dict[str, Allergy] = {}
    for match in _NO_ALLERGIES.finditer(text):
        scope = match.lastgroup or "all"
        key = f"none-known:{scope}"
        found.setdefault(key, Allergy(None, doc.cite(match.start(), match.end()),
                                      none_known=True, scope=scope,
                                      confidence=confidence.allergy(listed=True,
                                                                    none_known=True)))  # fmt: skip
    for section in sections:
        for start, end in section.spans:
            if section.kind == "allergies":
                for a, b in _allergy_items(text, start, end):
                    _add_allergy(found, doc, a, b, listed=True)
            for match in _DENIED_ALLERGY.finditer(text, start, end):
                if match["s"].lower().split()[-1] not in _NOT_SUBSTANCES:
                    _add_allergy(found, doc, match.start(), match.end())
            for match in _ALLERGIC_TO.finditer(text, start, end):
                stop = re.compile(r"[.;\n]|\band\s+(?:has|is|was)\b").search(text, match.end(), end)
                _add_allergy(found, doc, match.end(), stop.start() if stop else end)
    return list(found.values())


def _allergy_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    items: list[tuple[int, int]] = []
    for a, b in split_items(text, start, end):
        piece = text[a:b].strip()
        if items and (_SEVERITY.fullmatch(piece) or _REACTION.fullmatch(piece)):
            items[-1] = (items[-1][0], b)  # "Sulfa - rash, severe": the severity belongs above
        else:
            items.append((a, b))
    return items


def _add_allergy(
    found: dict[str, Allergy], doc: Text, start: int, end: int, listed: bool = False
) -> None:
    text = doc.text
    numbering = _NUMBERING.match(text, start)
    begin = numbering.end() if numbering else start
    item = text[begin:end]
    if not item.strip(" .") or _NO_ALLERGIES.search(item) or _NOTHING.match(item.strip(" .")):
        return
    lead = _ALLERGIC_TO.search(item)
    if lead:  # "He is allergic to penicillin"
        begin += lead.end()
        item = text[begin:end]
    denied = _DENIED_ALLERGY.search(item)
    if denied:  # "denies latex allergy"
        sub_start, sub_end = begin + denied.start("s"), begin + denied.end("s")
    else:
        cut = _SUBSTANCE_END.search(item)
        sub_start = begin + len(item) - len(item.lstrip())
        sub_end = begin + (cut.start() if cut else len(item.rstrip(" .")))
    substance = _ALLERGY_WORDS.sub("", text[sub_start:sub_end].strip(" .,"))
    substance = re.sub(r"^(?:and|or|to)\s+", "", substance, flags=re.IGNORECASE)
    if not re.search(r"[^\W\d_]{2}", substance) or len(substance.split()) > 4:
        return
    if any(c.isdigit() for c in substance) or substance.lower() in _NOT_SUBSTANCES:
        return
    if _REACTION.fullmatch(substance) or (
        _REACTION.search(substance) and _SEVERITY.match(substance)
    ):
        return  # "severe rash": a reaction whose substance is on another line
    if _PROSE.search(substance) or substance.lower() in found or is_title(substance):
        return  # "VITAL SIGNS": the next section's heading run on after "Allergies:"
    if _NOTHING.match(substance) or _NOT_ALLERGENS.match(substance):
        return
    rest = text[sub_end:end]
    reaction = _REACTION.search(rest)
    severity = _SEVERITY.search(rest)
    said = "absent" if denied else assertion(text, sub_start, sub_end)
    found[substance.lower()] = Allergy(
        substance,
        doc.cite(start, end),
        reaction=reaction.group().lower() if reaction else _bracketed(rest),
        severity=severity.group().lower() if severity else None,
        status="refuted" if said == "absent" else "active",
        confidence=confidence.allergy(
            listed=listed,
            known_drug=any(w.lower() in DRUGS for w in re.findall(r"[\w\-]+", substance)),
        ),
    )


def _bracketed(rest: str) -> str | None:
    inside = re.search(r"\(([^)]{2,40})\)", rest)
    if inside and not _SEVERITY.fullmatch(inside.group(1).strip()):
        return inside.group(1).strip().lower()
    return None


def _unnumbered(text: str) -> str:
    """`text` without a leading list number or bullet."""
    numbering = _NUMBERING.match(text)
    return text[numbering.end() :] if numbering else text
