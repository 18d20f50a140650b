"""Vetting a lab result read from a line: is it a result, or a dose, a plan, an identifier?

Free text (visit notes, discharge summaries) names tests in sentences that are not results:
"Docusate sodium 100 mg" (a dose), "recheck A1c in 3 months" (a plan), "Patient ID 12345"
(OCR folds "ID" into "LD", a name of LDH), "Page 2 of 3", "2+ protein, and 1+ esterase"
(the value belongs to the next word). Each such reading is dropped; the rest get a confidence
from their evidence (`ocr.facts.confidence`), lower when read from a sentence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ocr.facts import catalogue, confidence, units
from ocr.facts.analyte import Analyte
from ocr.facts.clinical_data import DRUGS
from ocr.facts.decimals import LIMITS
from ocr.facts.lines import Line, Token
from ocr.facts.model import LabResult, Quantity, ResultValue
from ocr.facts.rows import Row
from ocr.facts.values import is_leader, is_leader_tail, is_leaderish

# Labels of numbers that identify a person, document or specimen, or number a page.
_IDENTIFIERS = {
    "id", "mrn", "mr", "acct", "account", "accession", "acc", "dob", "ssn", "pid", "page", "pg",
    "room", "rm", "bed", "fin", "csn", "encounter", "enc", "order", "req", "requisition",
    "specimen", "spec", "#", "ref", "chart", "claim",
    "member", "policy", "group", "npi", "dea", "phone", "tel", "fax", "zip", "case", "lot",
    "ph#", "id#", "mrn#", "acct#",
}  # fmt: skip
# Labels that, just before a test's name, make the number after it an identifier.
_ID_LABELS = {
    "id", "mrn", "mr", "acct", "account", "accession", "acc", "pid", "csn", "fin", "encounter",
    "specimen", "req", "requisition", "chart", "claim", "dob", "ssn", "id#", "mrn#", "acct#",
}  # fmt: skip
# Words after a number that make it a dose, an amount given, or a frequency.
_DOSE_WORDS = re.compile(
    r"^(?:mg|mgs|mcg|µg|ug|g|gm|gms|grams?|milligrams?|micrograms?|kg/day|mg/kg|mg/day|units?"
    r"|u|iu|meq|milliequivalents?|tablets?|tabs?|caps?|capsules?|puffs?|sprays?|drops?|ml|cc"
    r"|liters?|daily|bid|tid|qid|qhs|qd|q\.?d\.?|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|po"
    r"|p\.?o\.?|iv|im|sq|subq|prn|p\.?r\.?n\.?|nightly|twice|once|a\s+day|per\s+day|q\d+h?)[.,;:]?$",
    re.IGNORECASE,
)
# Words after a number that make it a duration, a count of events or a time of day.
_TIME_WORDS = re.compile(
    r"^(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?"
    r"|yrs?|y/o|yo|times|visits?|doses?|refills?|pack|packs?|am|pm|a\.m\.?|p\.m\.?|o'clock"
    r"|percentile|mph|feet|ft|inches|miles?|blocks?|steps?|flights?|lbs?|pounds?)[.,;:)]?$",
    re.IGNORECASE,
)
# Words between a test's name and a value that keep them together ("BUN is 37", "AST at 138").
_LINKS = {"is", "was", "of", "at", "were", "are", "now", "=", ":", "-", "–", "level", "value",
          "today", "came", "out", "back", "remained", "had", "has", "showed", "shows", "high",
          "low", "elevated", "decreased", "normal", "increased", "down", "up", "from",
          "slightly", "mildly", "markedly", "a", "only", "revealed"}  # fmt: skip
_REPORTED = {"was", "were", "is", "are", "showed", "shows", "came", "had", "has", "revealed"}
# A plan or schedule about a test, not its result ("recheck A1c in 3 months").
_PLANS = {"in", "for", "every", "x", "within", "after", "until", "by", "q", "next", "over",
          "past", "last", "to", "since", "per", "on"}  # fmt: skip
_PLAN_VERBS = re.compile(
    r"^(?:recheck|re-check|repeat|check|follow|f/u|monitor|order|ordered|obtain|draw|schedule"
    r"|scheduled|will|plan|planned|due|goal|target|keep|maintain|titrate)$",
    re.IGNORECASE,
)
# Drugs measured in blood by the same name they are prescribed by: a level needs a lab unit
# or the word "level" beside it, else "aspirin 325" is a dose.
_DRUG_LEVELS = {
    "lithium", "digoxin", "phenytoin", "valproate", "carbamazepine", "acetaminophen",
    "salicylate", "vancomycin", "gentamicin", "tobramycin", "tacrolimus", "cyclosporine",
    "sirolimus", "theophylline", "ethanol", "insulin", "testosterone", "estradiol",
    "progesterone", "phenobarbital", "methotrexate",
}  # fmt: skip
_BRANDS = {"aspirin", "asa", "tylenol", "dilantin", "lanoxin", "depakote", "tegretol",
           "coumadin", "lantus", "humalog", "novolog", "nph"}  # fmt: skip
_LEVEL = re.compile(r"\b(?:level|levels|concentration|serum|plasma|trough|peak|random)\b", re.I)
# English words that are also a test's short name: in a sentence, in lower case, the word.
_WORDS_NOT_NAMES = {"pt", "na", "ca", "t", "p", "hr", "rr", "ld", "ag", "tp"}
_NEVER_NAMES = {"id", "got", "all", "am", "be", "he", "an"}  # "ID" folds into "LD" (LDH)
_QUALITATIVE = {"positive", "negative", "detected", "not detected", "reactive", "nonreactive",
                "non-reactive"}  # fmt: skip
_DATE = re.compile(r"\d{1,4}(?:[/\-]\d{1,2}(?:[/\-]\d{1,4})?|\.\d{1,2}\.\d{2,4})")
_ARTERIAL = re.compile(r"\b(?:arterial|abg|blood\s+gas(?:es)?)\b", re.I)
# Fluids other than blood a sentence may name its results in ("CSF glucose was 68").
_OTHER_FLUID = re.compile(
    r"\b(?:csf|spinal\s+fluid|cerebrospinal|pleural|peritoneal|ascitic|synovial|joint\s+fluid"
    r"|pericardial|drain(?:age)?|stool|gastric)\b",
    re.I,
)
_THOUSANDS = re.compile(r"^(\d{1,3}(?:,\d{3})+)(?:\.\d+)?[,.;]?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MAX_SENTENCE_NAME_WORDS = 5
_COUNTS = {"wbc", "platelets", "neutrophils_abs", "lymphocytes_abs", "anc"}
# The one unit a value printed without one can be in, by test: (lowest, highest, unit). Only
# where the test's units give values that cannot be confused (creatinine 1.2 is mg/dL; in
# µmol/L it would be 106); elsewhere a bare number keeps no unit.
IMPLIED: dict[str, tuple[float, float, str]] = {
    "sodium": (90, 200, "mmol/L"), "potassium": (1, 12, "mmol/L"), "chloride": (50, 160, "mmol/L"),
    "co2": (2, 60, "mmol/L"), "anion_gap": (0, 60, "mmol/L"), "hba1c": (3, 20, "%"),
    "creatinine": (0.05, 15, "mg/dL"), "glucose": (40, 2000, "mg/dL"), "bun": (1, 300, "mg/dL"),
    "hemoglobin": (2, 25, "g/dL"), "hematocrit": (8, 75, "%"), "calcium": (4, 20, "mg/dL"),
    "wbc": (0.1, 200, "10^3/µL"), "platelets": (3, 2500, "10^3/µL"), "alt": (1, 20000, "U/L"),
    "ast": (1, 20000, "U/L"), "alp": (5, 5000, "U/L"), "albumin": (0.5, 7, "g/dL"),
    "protein_total": (1, 15, "g/dL"), "tsh": (0.001, 500, "mIU/L"), "ldl": (20, 600, "mg/dL"),
    "hdl": (10, 200, "mg/dL"), "cholesterol": (40, 1500, "mg/dL"),
    "triglycerides": (30, 10000, "mg/dL"),
}  # fmt: skip
# Vital signs in the catalogue are read by `ocr.facts.vitals`, never as lab results.
VITAL = "vital"


def vet(result: LabResult, row: Row, line: Line, tabled: bool) -> LabResult | None:
    """`result` with its confidence, or None when the words around it say it is no result."""
    analyte = catalogue.BY_KEY.get(result.analyte or "")
    if result.category == VITAL or (analyte is not None and analyte.category == VITAL):
        return None
    if tabled:
        return _scored(result, analyte, "table")
    before, name, gap, value, after = _around(row, line)
    if value is None:
        return None
    near = " ".join(t.text for t in [*before[-10:], *name])
    if result.analyte == "o2_saturation" and not _ARTERIAL.search(near):
        return None  # "O2 saturation 97% on room air" is SpO2, a vital sign
    # An identifier carries no unit ("ID 9534717", "MRN: LDH 12345"); with one, "#" in a name
    # is a count ("WBC # Bld Auto ..... 12.50 x10E3/uL").
    if not result.unit and _identifier(result.name, before):
        return None
    if result.analyte == "ua_ph" and _ARTERIAL.search(near):
        arterial = catalogue.BY_KEY["ph_arterial"]  # "Arterial blood gases: pH 7.46"
        result = replace(result, analyte=arterial.key, loinc=arterial.loinc)
        analyte = arterial
    # A report's line, not a sentence: little around the result, or words set apart in
    # four cells or more (the columns of a table whose titles were not found).
    tabular = len(line.cells(_CELL_GAP)) >= 4
    source = "line" if (len(before) <= 1 and len(after) <= 6) or tabular else "sentence"
    if _not_a_result(result, analyte, before, name, gap, value, after, source):
        return None
    whole = _whole_thousands(result, value)
    if whole is None:
        return None
    if whole.unit and whole.unit[-1] in ".,;:":
        whole = replace(whole, unit=whole.unit.rstrip(".,;:"))  # "K/uL," ends a clause
    return _scored(_implied(whole, analyte), analyte, source)


_CELL_GAP = 1.5  # line heights between the cells of a table row; prose has a third of one


def _implied(result: LabResult, analyte: Analyte | None) -> LabResult:
    """`result` in its test's unit when the value allows only one (a note says so)."""
    number = result.value.number
    if analyte is None or result.unit or number is None or analyte.key not in IMPLIED:
        return result
    low, high, unit = IMPLIED[analyte.key]
    if not low <= number <= high or "," in result.value.text:
        return result
    converted = catalogue.convert(number, unit, analyte)
    if converted is None:
        return result
    prefix = result.value.comparator or ""
    note = f"no unit printed; {unit} is the only unit {analyte.name} of {number:g} can be in"
    return replace(
        result,
        canonical=Quantity(converted, analyte.unit, f"{prefix}{converted:g}"),
        notes=(*result.notes, note),
    )


def _around(
    row: Row, line: Line
) -> tuple[list[Token], list[Token], list[Token], Token | None, list[Token]]:
    """The line's tokens before the result's name, the name, between name and value, the
    value's token, and after it."""
    if not row.tokens:
        return [], [], [], None, []
    positions = {id(t): i for i, t in enumerate(line.tokens)}
    first = positions.get(id(row.tokens[0]))
    if first is None:
        return [], [], [], None, []
    size = max(1, len(row.name.split()))
    index = None
    for at, token in enumerate(row.tokens[1:], 1):
        if at >= size and _starts_value(token.text, row.value.text):
            index = at
            break
    if index is None:
        return [], [], [], None, []
    value = row.tokens[index]
    where = positions.get(id(value))
    if where is None:
        return [], [], [], None, []
    names = row.tokens[: min(size, index)]
    gap = row.tokens[len(names) : index]
    return line.tokens[:first], names, gap, value, line.tokens[where + 1 :]


def _starts_value(token: str, value: str) -> bool:
    """Whether `token` is where `value` was read (its digits, if a repair moved its point)."""
    digits, wanted = re.sub(r"\D", "", token), re.sub(r"\D", "", value)
    if wanted:
        return bool(digits) and (digits.startswith(wanted[:3]) or wanted.startswith(digits))
    token = token.lower().lstrip("(<>=≤≥")
    value = value.lower().lstrip("(<>=≤≥")
    return bool(token) and bool(value) and (token.startswith(value[:3]) or value.startswith(token))


def _identifier(name: str, before: list[Token]) -> bool:
    """Whether the number is an identifier: its label is one ("ID 9534717", read as LDH), or
    one stands just before the name ("MRN: LDH 12345")."""
    words = [_bare(w) for w in name.split()]
    if any(w in _IDENTIFIERS for w in words):
        return True
    return any(_bare(t.text) in _ID_LABELS for t in before[-2:])


def _bare(text: str) -> str:
    return text.lower().strip(".,:;()[]")


def _not_a_result(
    result: LabResult,
    analyte: Analyte | None,
    before: list[Token],
    name: list[Token],
    gap: list[Token],
    value: Token,
    after: list[Token],
    source: str,
) -> bool:
    """Whether the words around a reading make it something other than a result."""
    return (
        _fragment(result, name, source)
        or _planned(result, before, gap, after)
        or _other_fluid(analyte, before)
        or _dose(result, analyte, before, name, after)
        or _not_a_value(result, value, after)
        or _loose_text(result, analyte, source)
    )


def _fragment(result: LabResult, name: list[Token], source: str) -> bool:
    """A name that is part of a sentence: cut by a comma ("2+ protein, and 1+ esterase": the
    value belongs to the next item), too long, or an English word ("she has got clear")."""
    printed = result.name.strip()
    # A line of its own with a unit is a report's line, whose names have commas
    # ("Carbon dioxide, total ..... 29 mmol/L"); in a sentence a comma cuts the name.
    listed = source == "line" and bool(result.unit)
    if not listed and (
        any(t.text.endswith((",", ";")) for t in name) or re.search(r"[,;]|\band$", printed)
    ):
        return True
    if source == "sentence" and len(printed.split()) > _MAX_SENTENCE_NAME_WORDS:
        return True
    lowered = printed.lower()
    return lowered in _NEVER_NAMES or (printed.islower() and lowered in _WORDS_NOT_NAMES)


_RANGE_PART = re.compile(
    r"[(\[]?(?:(?:[<>≤≥]=?\s*)?\d[\d.,]*(?:\s*[-–]\s*\d[\d.,]*)?|[-–]|to|range:?|ref\.?:?"
    r"|reference:?|normal:?)[)\]]?",
    re.IGNORECASE,
)


def _range_part(text: str) -> bool:
    """A word of a reference range printed between a name and its value: a bound, a label,
    or the unit printed with the range."""
    return bool(_RANGE_PART.fullmatch(text)) or units.parse(text.strip("()[]")) is not None


def _planned(result: LabResult, before: list[Token], gap: list[Token], after: list[Token]) -> bool:
    """A plan or a time: "recheck A1c in 3 months", "temperature over the past 24 hours"."""
    # A report line prints a unit and a reference range after the value: a plan word between
    # name and value is then the cut end of a long name ("Potassium [Moles/volume] in").
    report_line = bool(result.unit) and result.reference is not None
    for token in gap:  # only links ("is", "of", "at") keep a name and a value together
        word = _bare(token.text)
        if word in _PLANS and not report_line:
            return True
        if word in _PLANS:
            continue
        if result.reference is not None and _range_part(token.text):
            continue  # "Glucose (70-99 mg/dL) 105": the range printed before the value
        if word and word not in _LINKS and not _punctuation(word) and not _dust(token.text):
            return True
    reported = any(_bare(t.text) in _REPORTED for t in gap)
    if any(_PLAN_VERBS.match(_bare(t.text)) for t in before[-3:]) and not (result.unit or reported):
        return True  # "recheck A1c 3 months", but not "repeat glucose was 109"
    following = _bare(after[0].text) if after else ""
    return bool(following) and bool(_TIME_WORDS.match(following)) and not result.unit


def _other_fluid(analyte: Analyte | None, before: list[Token]) -> bool:
    """A blood test's name in a sentence about another fluid ("CSF glucose was 68"; "Spinal
    fluid was clear with 11 red cells, glucose 75, protein 67, white count 0"): the sentence
    before the name, up to its start."""
    clause = re.split(r"[.;:]\s", " ".join(t.text for t in before[-30:]) + " ")[-1]
    return analyte is not None and analyte.specimen == "blood" and bool(_OTHER_FLUID.search(clause))


def _dose(
    result: LabResult,
    analyte: Analyte | None,
    before: list[Token],
    name: list[Token],
    after: list[Token],
) -> bool:
    """A dose: a drug word before the name ("docusate sodium 100 mg"), a dose unit or a
    frequency after the value ("aspirin 81 mg daily"), a drug's level without "level"."""
    if before and _drug_word(_bare(before[-1].text)):
        return True
    unit_word = (result.unit or "").lower().strip(".,;")
    if unit_word and _DOSE_WORDS.match(unit_word):
        return True  # "mg", "units": an amount, where a result has a concentration
    following = [_bare(t.text) for t in after[:2]]
    dosed = bool(following) and bool(
        _DOSE_WORDS.match(following[0]) or _DOSE_WORDS.match(" ".join(following))
    )
    if dosed and not (result.unit and units.parse(result.unit)):
        return True
    lowered = result.name.strip().lower()
    if analyte is not None and analyte.key in _DRUG_LEVELS:
        near = " ".join(t.text for t in [*before[-3:], *name, *after[:3]])
        lab_unit = result.canonical is not None and result.unit is not None
        if not (lab_unit or _LEVEL.search(near)):
            return True
    return lowered in _BRANDS and not _LEVEL.search(" ".join(t.text for t in after[:3]))


def _not_a_value(result: LabResult, value: Token, after: list[Token]) -> bool:
    """A date, a page number ("2 of 3"), a year, or a long integer (an identifier)."""
    text = value.text
    if _DATE.fullmatch(text.rstrip(".,;:)")):
        return True
    if after and _bare(after[0].text) == "of" and len(after) > 1 and after[1].text[:1].isdigit():
        return True
    if result.value.number is None or result.value.comparator:
        return False
    digits = re.sub(r"\D", "", result.value.text)
    if _YEAR.match(result.value.text) and not result.unit:
        return True
    return "." not in result.value.text and "," not in text and len(digits) >= 5


def _loose_text(result: LabResult, analyte: Analyte | None, source: str) -> bool:
    """A word after a name in a sentence ("PSA was in the normal range"): only what a
    qualitative test reports counts."""
    if result.value.number is not None or source != "sentence":
        return False
    if analyte is None or analyte.unit is not None:
        return True
    return result.value.coded not in _QUALITATIVE


def _drug_word(word: str) -> bool:
    """A drug's name that is not also a test's ("docusate", not "iron" in "iron TIBC 514")."""
    return (word in DRUGS or word in _BRANDS) and not catalogue.lookup(word, fuzzy=False)


def _dust(text: str) -> bool:
    """What OCR makes of a dot leader between a name and its value (`oo`, `cccseccsse`)."""
    return is_leader(text) or is_leader_tail(text) or is_leaderish(text)


def _punctuation(word: str) -> bool:
    return not re.search(r"\w", word)


def _whole_thousands(result: LabResult, value: Token) -> LabResult | None:
    """A count printed with thousands separators ("platelets 81,000") read whole, not as 81."""
    found = _THOUSANDS.match(value.text)
    if found is None or result.value.number is None:
        return result
    if "," not in found.group(1) or result.value.text.replace(",", "") == found.group(1).replace(
        ",", ""
    ):
        return result
    number = float(found.group(1).replace(",", ""))
    if result.analyte not in _COUNTS:
        return None  # "12,345" after a name that is no count: an identifier or an amount
    whole = ResultValue(found.group(1), number=number)
    return replace(result, value=whole, canonical=None, unit=None, unit_normal=None)


def plausible(analyte: Analyte | None, value: ResultValue, canonical: Quantity | None) -> bool:
    """Whether a living person can have this value of this test (True when unknown)."""
    if analyte is None or value.number is None:
        return True
    limits = LIMITS.get(analyte.key)
    if limits is None:
        return value.number >= 0
    number = canonical.value if canonical is not None else value.number
    low, high = limits
    if low <= number <= high:
        return True
    # Counts are often printed per microlitre in notes ("WBC 9200", "platelets 148,000").
    return canonical is None and analyte.key in _COUNTS and low <= number / 1000 <= high


def unit_evidence(analyte: Analyte | None, result: LabResult) -> str:
    """What the unit says for the result: "valid", "invalid", "missing" or "none"."""
    if analyte is None or analyte.unit is None or result.value.number is None:
        return "valid" if result.unit and units.parse(result.unit) else "none"
    if analyte.unit in ("ratio", "index"):
        return "none"
    if not result.unit:
        return "implied" if result.canonical is not None else "missing"
    return "valid" if result.canonical is not None else "invalid"


def _scored(result: LabResult, analyte: Analyte | None, source: str) -> LabResult | None:
    repairs = sum(
        1 for note in result.notes if "restored" in note or "taken as" in note or "read as" in note
    )
    score = confidence.lab(
        source,
        known=analyte is not None,
        unit=unit_evidence(analyte, result),
        plausible=plausible(analyte, result.value, result.canonical),
        repairs=repairs,
        ranged=result.reference is not None,
    )
    if score < confidence.DROP_BELOW:
        return None
    return replace(result, confidence=score)
