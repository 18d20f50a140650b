"""The analyte catalogue: find an analyte by printed name or LOINC, convert to its unit."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache

from ocr.facts.analyte import Analyte
from ocr.facts.analytes_chemistry import CHEMISTRY
from ocr.facts.analytes_other import GASES_AND_VITALS, HAEMATOLOGY, SEROLOGY, URINE
from ocr.facts.units import Unit, parse, rescale, significant

ANALYTES: tuple[Analyte, ...] = (*CHEMISTRY, *HAEMATOLOGY, *URINE, *SEROLOGY, *GASES_AND_VITALS)
BY_KEY = {analyte.key: analyte for analyte in ANALYTES}

# LOINC long names ("Glucose [Mass/volume] in Serum or Plasma") and short names
# ("Hgb A1c MFr Bld", "LDLc SerPl-mCnc") are printed by EHR exports; reduce them to the
# analyte's words. The specimen is kept when it is urine (it changes the analyte).
_PROPERTY = re.compile(r"[\[{][^\]}]*(?:[\]}]|$)")  # "{Mass/volume]": OCR's brace for [
_FSN = re.compile(r"^([^:;]+)[:;][a-z]+[:;]pt[:;\-\s]", re.IGNORECASE)
_URINE_PHRASE = re.compile(r"\b(?:in|of)\s+(?:unspecified time\s+|24 hour\s+|random\s+)?urine\b")
_SPECIMEN_PHRASE = re.compile(
    r"\b(?:in|of)\s+(?:serum or plasma|serum/plasma|serum|plasma|whole blood|venous blood|"
    r"arterial blood|capillary blood|blood|platelet poor plasma)\b"
)
_METHOD = re.compile(r"\s+by\s+(?!creatinine-based formula).*$|\s+by\s+creatinine.*$")
_SHORT = re.compile(
    r"(?:-[a-z]{0,2}n[ce]\b|\bserp[li1|]|\bm\w?fr\b|\bql\b|\bqn\b|\bb[li1|][dgo]\b)"
)
# The parts of a LOINC short name that say specimen, method and property, not the analyte.
_SHORT_PARTS = re.compile(
    r"(?<![\w/])(?:serp[li1|]\w*|b[li1|][dgoc]|ser/plas|ser|plas|stl|xxx|strip|auto|calc|m\w?fr"
    r"|m[ef][rtf?]|fr|ql|qn|imp|eia|rapid)(?![\w/])|-[a-z]{0,2}n[ce]\b"
)
_SHORT_UR = re.compile(r"\sur\b")
_TRAILING = re.compile(
    r"(?:[\s,]+(?:serum/plasma|s[ce]rum|plasma|whole(?:\s+b[l1i][o0]{2}d)?|level|fr|mfr|#? auto))+$"
)
# Glyphs OCR takes for one another fold together (in both the catalogue and what is read).
_SYMBOLS = str.maketrans({"€": "e", "¢": "c", "©": "c", "®": "r", "£": "e", "@": "e"})
_OCR_SAME = str.maketrans({"l": "1", "i": "1", "|": "1", "!": "1", "o": "0", "e": "c"})


# Specimen words as OCR misreads them ("Setum", "Biood"), so their phrase is recognised.
_SPECIMEN_SLIPS = [
    (re.compile(r"(?<![a-z])s[ec][rt][uv][mn](?![a-z])"), "serum"),
    (re.compile(r"(?<![a-z])b[il1|][o0]{2}d(?![a-z])"), "blood"),
    (re.compile(r"(?<![a-z])p[l1i|]asma(?![a-z])"), "plasma"),
]


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A printed test name reduced for lookup: lower case, no punctuation, OCR-confusable
    letters and digits folded together (so "Hemoglobin Alc" finds "Hemoglobin A1c")."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("µ", "u").replace("μ", "u")
    text = text.translate(_SYMBOLS)
    text = re.sub(r"(?<=\w)[.,;:](?=\s)", "", text)
    text = text.replace("\u200b", "").replace("_", " ")  # "Plasma_": a rule OCR glued on
    text = re.sub(r"[‘’`“”]", "", text)  # specks OCR reads as curly quotes
    # "inSerumor", "3inSerumor": OCR lost the spaces of a specimen phrase.
    text = re.sub(
        r"(?<![a-z])(\d*)(in|of)(serum|plasma|blood|urine)(or)?(?![a-z])", r"\1 \2 \3 \4", text
    )
    text = re.sub(r"(?<![a-z])(serum|plasma|blood)or(?![a-z])", r"\1 or", text)
    for slip, word in _SPECIMEN_SLIPS:
        text = slip.sub(word, text)
    text = re.sub(r"(?<=[a-z])[.\-](?=[a-z]{2})", " ", text)  # "in.Serum", "in-Serum"
    fsn = _FSN.match(text)
    if fsn and not re.search(r"\d", text[fsn.end() :]):
        # "CREATININE:MCNC:PT:BLD:QN": the component of a fully specified name (but not when
        # a value follows: "CREATININE:MCNC:PT:BLD:QN: 0.8 mg/dL 0.5" is no name)
        text = fsn.group(1)
    text = _PROPERTY.sub(" ", text)
    text = _URINE_PHRASE.sub(" urine", text)
    text = _SPECIMEN_PHRASE.sub(" ", text)
    text = _DANGLING.sub("", _cut_specimen_tail(text))
    text = _METHOD.sub("", text)
    if _SHORT.search(text) or _near_short_parts(text):
        short = _SHORT_UR.sub(" urine", _SHORT_PARTS.sub(" ", text))
        # Three-letter words are left: "Alc" (OCR'd A1c) is one edit from "calc".
        short = " ".join(w for w in short.split() if len(w) < 4 or not _is_short_part(w))
        text = short if short.strip(" -#") else text
    text = re.sub(r"(?<=[a-z])\.(?=[a-z])", " ", text)
    text = re.sub(r"(?<!\d)-|-(?!\d)", " ", text)
    text = re.sub(r"[^\w\s%#/+.\-]|_", " ", text)
    text = re.sub(r"\s*([/%#+])\s*", r" \1 ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = _TRAILING.sub("", text).strip()
    return text.replace("rn", "m").translate(_OCR_SAME)


_PARTS = ("serpl", "bld", "mcnc", "scnc", "acnc", "ncnc", "auto", "calc", "mfr")


@lru_cache(maxsize=16384)
def _is_short_part(word: str) -> bool:
    """Whether a word is a LOINC short-name part that OCR changed a letter of (`Blg`, `SerP`)."""
    word = word.strip(".-,")
    if not 3 <= len(word) <= 6:
        return False
    return any(abs(len(word) - len(p)) <= 1 and _edits(word, p, 1) <= 1 for p in _PARTS)


def _near_short_parts(text: str) -> bool:
    """Whether a name reads as a LOINC short name: two such parts, or one of four letters."""
    words = text.split()
    parts = [w for w in words[1:] if _is_short_part(w)]
    return len(words) >= 2 and (len(parts) >= 2 or any(len(w.strip(".-,")) >= 4 for w in parts))


def _cut_specimen_tail(text: str) -> str:
    """Drop a specimen phrase cut short by the printer ("… in Serum or Pl", "… of B"); one
    cut in its urine ("… in Uri") says urine, which changes the test."""
    words = text.split()
    linking = [i for i, w in enumerate(words) if w in ("in", "of") and i > 0]
    if not linking:
        return text
    last = linking[-1]
    tail = words[last + 1 :]
    if tail and len(tail[0]) >= 2 and "urine".startswith(tail[0]) and len(tail) == 1:
        return " ".join([*words[:last], "urine"])
    if all(any(s.startswith(w) for s in _SPECIMEN_WORDS) for w in tail):
        return " ".join(words[:last])
    return text


_DANGLING = re.compile(r"(?:\s+(?:or|and|in|by|of))+\s*$")
_SPECIMEN_WORDS = ("serum", "or", "plasma", "blood", "whole", "venous", "arterial", "capillary")


@cache
def _index() -> dict[str, tuple[Analyte, ...]]:
    index: dict[str, list[Analyte]] = {}
    for analyte in ANALYTES:
        for synonym in analyte.synonyms:
            found = index.setdefault(name_key(synonym), [])
            if analyte not in found:
                found.append(analyte)
    return {key: tuple(found) for key, found in index.items()}


@cache
def _first_words() -> frozenset[str]:
    return frozenset(key.split()[0] for key in _index() if key)


# Words that open many test names without naming a test ("Total", "Free", "Urine").
_NOT_FAMILIES = (
    "total free direct indirect absolute relative blood serum plasma urine whole fasting random",
    "ionized calculated estimated corrected cardiac high low mean white red percent occult oxygen",
    "rapid arterial venous nucleated immature erythrocyte leukocyte creatine lactic thyroid",
    "cancer fecal",
)


@cache
def _families() -> dict[str, tuple[Analyte, ...]]:
    """First words of several tests' names that are no test's name themselves: "troponin"
    (Troponin I and T), each with the tests it may mean."""
    heads: dict[str, list[Analyte]] = {}
    for key, analytes in _index().items():
        words = key.split()
        if len(words) < 2 or len(words[0]) < 5 or words[0] in _not_families():
            continue
        found = heads.setdefault(words[0], [])
        found.extend(a for a in analytes if a not in found)
    return {
        head: tuple(found)
        for head, found in heads.items()
        if len(found) >= 2 and head not in _index()
    }


@cache
def _not_families() -> frozenset[str]:
    return frozenset(name_key(word) for words in _NOT_FAMILIES for word in words.split())


def family(name: str) -> tuple[Analyte, ...]:
    """The tests a printed name may stand for when it is the shared first word of their
    names and no test's own name ("TROPONIN": Troponin I or T); () otherwise. Such a result
    is read with its test left unresolved, for a person to settle."""
    return _families().get(name_key(name), ())


def could_start(word: str) -> bool:
    """Whether a catalogue name can begin with `word` (a cheap test before trying names)."""
    key = name_key(word)
    return bool(key) and key.split()[0] in _first_words()


@cache
def _loinc_index() -> dict[str, Analyte]:
    index: dict[str, Analyte] = {}
    for analyte in ANALYTES:
        for code in (analyte.loinc, *analyte.other_loincs):
            index.setdefault(code, analyte)
    return index


def by_loinc(code: str | None) -> Analyte | None:
    """The analyte a LOINC code belongs to."""
    return _loinc_index().get(code.strip()) if code else None


def lookup(name: str, fuzzy: bool = True) -> tuple[Analyte, ...]:
    """Analytes a printed name may mean (several for names such as "Glucose" or "WBC");
    with `fuzzy`, also a name one or two OCR slips away."""
    key = name_key(name)
    if not key or not re.search(r"[^\W\d_]", name):
        return ()  # "11" folds like "li" (lithium), but a name has letters
    found = _index().get(key) or (_near(key) if fuzzy else ())
    if found:
        return found
    if "(" in name and not re.search(r"\)[^)]*\d", name):
        # "Glomerular Filtration Rate (eGFR)": the name, else the abbreviation; not when a
        # number follows the bracket ("HGB (HEMOGLOBIN) 15 g/dL": that is the value)
        outer = re.sub(r"\([^)]*\)?", " ", name)
        for part in (outer, *re.findall(r"\(([^)]*)\)", name)):
            found = lookup(part, fuzzy) if part.strip() and part != name else ()
            if found:
                return found
    if fuzzy:
        words = key.split()
        for size in range(len(words) - 1, 1, -1):  # a long name with a printed tail
            head = " ".join(words[:size])
            if len(head) >= 12 and head in _index():
                return _index()[head]
    if fuzzy and len(key) >= 20 and len(key.split()) >= 3:
        found = _cut_short(key)  # "ERYTHROCYTE MEAN CORPUSCULAR HEMO": a narrow column
        if found:
            return found
    if key.endswith(" #"):  # LOINC short names count things with "#": "WBC # Bld"
        return lookup(key[:-2], fuzzy)
    if fuzzy and _SHORT.search(name.lower()):
        # A LOINC short name with its parts garbled ("LDLc SerPl-MCi"): the analyte leads.
        words = key.split()
        for size in range(len(words) - 1, 0, -1):
            found = _index().get(" ".join(words[:size]), ())
            if found:
                return found
    if key.endswith(" ur1ne"):
        return tuple(a for a in lookup(key[:-6], fuzzy) if a.specimen == "urine")
    return ()


@cache
def _cut_short(key: str) -> tuple[Analyte, ...]:
    """The analytes whose name `key` is the start of, cut inside or after a word by a narrow
    column (three words and 20 letters at least), when at most three are (the unit then
    chooses: "ERYTHROCYTE MEAN CORPUSCULAR HEMO" in pg is MCH, in g/dL MCHC)."""
    meanings: list[Analyte] = []
    for name, found in _index().items():
        if name.startswith(key):
            meanings.extend(a for a in found if a not in meanings)
    return tuple(meanings) if len(meanings) <= 3 else ()


# Real words (tests we do not know, specimens) one slip from a test we know: never that test.
_OTHER_WORDS = frozenset({"crcat1nc", "crcat1nc k1nasc", "crcat1nc wh01c b100d", "b100d"})


@cache
def _near(key: str) -> tuple[Analyte, ...]:
    """Analytes whose name is one edit away (two for long names), if exactly one name is."""
    if len(key) < 4 or key in _OTHER_WORDS:
        return ()
    limit = 2 if len(key) >= 12 else 1
    best: list[str] = []
    best_distance = limit + 1
    letters = Counter(key)
    for candidate, counts in _by_length(len(key), limit):
        # Each edit changes the letter counts by at most two: a cheap test before the costly one.
        if sum(((letters - counts) + (counts - letters)).values()) > 2 * limit:
            continue
        distance = _edits(key, candidate, limit)
        if distance > limit:
            continue
        if distance < best_distance:
            best, best_distance = [candidate], distance
        elif distance == best_distance:
            best.append(candidate)
    meanings = {_index()[key] for key in best}
    return meanings.pop() if len(meanings) == 1 else ()


@cache
def _by_length(length: int, limit: int) -> list[tuple[str, Counter[str]]]:
    """Catalogue keys within `limit` of `length` characters (and at least four), with counts."""
    return [
        (key, Counter(key)) for key in _index() if abs(len(key) - length) <= limit and len(key) >= 4
    ]


def _edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or `limit + 1` once it must exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


# Glyphs OCR reads for one another in a blurred capital abbreviation, both ways (lower case).
_LOOKALIKES = (
    "be", "bs", "b8", "b3", "b6", "ce", "co", "cg", "do", "d0", "g6", "gq", "hn", "o0", "oq",
    "s5", "s8", "t1", "tl", "ti", "tf", "l1", "li", "i1", "uv", "z2", "mn",
)  # fmt: skip
_LOOKALIKE: dict[str, str] = {}
for _pair in _LOOKALIKES:
    _LOOKALIKE[_pair[0]] = _LOOKALIKE.get(_pair[0], "") + _pair[1]
    _LOOKALIKE[_pair[1]] = _LOOKALIKE.get(_pair[1], "") + _pair[0]


_DOUBLED = re.compile(r"([A-Z])(?=[a-z])(?i:\1)")


def misread(name: str) -> str | None:
    """The catalogue name a test name is, when OCR took one glyph of a short abbreviation in
    it for a look-alike (`wsc` and `WEC # Bld Auto` for WBC: B read as s and E); None unless
    exactly one test is one such glyph away (and the name is not itself a test)."""
    if lookup(name):
        return None
    # "CcOo2" for CO2: a capital read twice, once in each case.
    doubled = _DOUBLED.sub(lambda m: m.group(1), name)
    if doubled != name and lookup(doubled, fuzzy=False):
        return doubled
    words = name.split(" ")
    found: dict[tuple[Analyte, ...], str] = {}
    for index, word in enumerate(words):
        if not 3 <= len(word) <= 4 or not word.isalnum():
            continue
        for at, glyph in enumerate(word.lower()):
            for other in _LOOKALIKE.get(glyph, ""):
                swapped = word[:at] + (other.upper() if word[at].isupper() else other)
                swapped += word[at + 1 :]
                candidate = " ".join([*words[:index], swapped, *words[index + 1 :]])
                analytes = lookup(candidate, fuzzy=False)
                if analytes:
                    found.setdefault(analytes, candidate)
    return next(iter(found.values())) if len(found) == 1 else None


def resolve(
    name: str, unit: str | None = None, *, text_value: bool = False, context: str = ""
) -> Analyte | None:
    """The analyte a printed name means, using the unit, result kind and section to choose."""
    candidates = lookup(name)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    parsed = parse(unit)
    if parsed is not None:
        fitting = tuple(c for c in candidates if _convertible(parsed, c))
        candidates = fitting or candidates
    urine = bool(re.search(r"urin|\bua\b|dipstick|microscop", context, re.IGNORECASE))
    if re.search(r"\b(?:serum|plasma|ser/plas|serpl)\b", name, re.IGNORECASE):
        # "Protein [Mass/volume] in Serum" under a urine heading: the name says the specimen
        candidates = tuple(c for c in candidates if c.specimen != "urine") or candidates
    elif urine:
        candidates = tuple(c for c in candidates if c.specimen == "urine") or candidates
    elif text_value:
        qualitative = tuple(c for c in candidates if c.specimen == "urine" or c.unit is None)
        candidates = qualitative or candidates
    else:
        candidates = tuple(c for c in candidates if c.specimen != "urine") or candidates
    if len(candidates) > 1 and parsed is None and len({c.specimen for c in candidates}) == 1:
        # "Erythrocyte mean corpuscular 33" (MCV, MCH or MCHC, cut short): without a unit
        # to choose, no guess
        return None
    return candidates[0]


def _convertible(unit: Unit, analyte: Analyte) -> bool:
    return convert(1.0, unit.text, analyte) is not None


def convert(value: float, unit: str | None, analyte: Analyte) -> float | None:
    """`value` in `unit` expressed in the analyte's canonical unit, if that is valid for it."""
    source, target = parse(unit), parse(analyte.unit)
    if source is None or target is None:
        return None
    direct = rescale(value, source, target)
    if direct is not None:
        return significant(direct)
    for text, factor in analyte.factors:
        if source.text == text:
            return significant(value * factor)
    if analyte.key == "hba1c":
        return _hba1c(value, source, target)
    if analyte.fraction and {source.dimension, target.dimension} == {"percent", "fraction"}:
        return significant(value * source.scale / target.scale)
    moles = _to_moles(value, source, analyte)
    if moles is None:
        return None
    converted = _from_moles(moles, target, analyte)
    return None if converted is None else significant(converted)


def _hba1c(value: float, source: Unit, target: Unit) -> float | None:
    """NGSP % ↔ IFCC mmol/mol by the master equation IFCC = 10.929 × (NGSP − 2.15)."""
    if source.dimension == "mmol/mol" and target.dimension == "percent":
        return round(value / 10.929 + 2.15, 2)
    if source.dimension == "percent" and target.dimension == "mmol/mol":
        return round((value - 2.15) * 10.929, 1)
    return None


def _to_moles(value: float, unit: Unit, analyte: Analyte) -> float | None:
    """`value` as mol/L, when this analyte's molar mass or valence allows it."""
    if unit.dimension == "amount/vol":
        return value * unit.scale
    if unit.dimension == "mass/vol" and analyte.molar_mass:
        return value * unit.scale / analyte.molar_mass
    if unit.dimension == "eq/vol" and analyte.valence:
        return value * unit.scale / analyte.valence
    return None


def _from_moles(moles: float, unit: Unit, analyte: Analyte) -> float | None:
    if unit.dimension == "amount/vol":
        return moles / unit.scale
    if unit.dimension == "mass/vol" and analyte.molar_mass:
        return moles * analyte.molar_mass / unit.scale
    if unit.dimension == "eq/vol" and analyte.valence:
        return moles * analyte.valence / unit.scale
    return None
