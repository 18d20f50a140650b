"""Pieces of a result row: values, flags and reference ranges as labs print them.

OCR misreads a few glyphs inside numbers (`O` for `0`, `l`/`I`/`|` for `1`); those are
repaired, because a number cannot hold letters. A dropped decimal point (`7.2` read as
`72`) cannot be told from a real value and is left alone.
"""

from __future__ import annotations

import re

from ocr.facts.model import ReferenceBand, ReferenceRange, ResultValue

_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_NUMBERISH = re.compile(r"[+-]?[0-9OolI|]*[.,]?[0-9OolI|]+")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+|[+-]?\d+,\d{1,2}")
_COMPARATOR = re.compile(r"<=|>=|=<|=>|≤|≥|<|>")
_COMPARATORS = {
    "≤": "<=", "=<": "<=", "≥": ">=", "=>": ">=", "less than": "<", "under": "<",
    "greater than": ">", "over": ">",
}  # fmt: skip
_TITRE = re.compile(r"(<=|>=|<|>)?1:(\d{1,6})")
_DOTS = re.compile(r"^[.·•…:_\-~'`,]{2,}$|^(.)\1{3,}$")
_ROUND = set("ceosaunmwrvxdbt.,:;'`")
_TRAILING_DOTS = re.compile(r"(?<=\w)[.·…_]{2,}.*$|\s*[.·…_]{3,}$")

# Text results, as printed (lower case) → coded form.
TEXT_RESULTS = {
    "negative": "negative", "neg": "negative", "positive": "positive", "pos": "positive",
    "not detected": "not detected", "none detected": "not detected",
    "undetected": "not detected", "detected": "detected", "non-reactive": "non-reactive",
    "nonreactive": "non-reactive", "non reactive": "non-reactive", "reactive": "reactive",
    "normal": "normal", "abnormal": "abnormal", "trace": "trace", "small": "small",
    "moderate": "moderate", "large": "large", "few": "few", "many": "many", "rare": "rare",
    "occasional": "occasional", "none seen": "none seen", "none": "none", "present": "present",
    "absent": "absent", "clear": "clear", "hazy": "hazy", "cloudy": "cloudy",
    "slightly cloudy": "slightly cloudy", "turbid": "turbid", "yellow": "yellow",
    "pale yellow": "pale yellow", "light yellow": "light yellow", "dark yellow": "dark yellow",
    "straw": "straw", "amber": "amber", "colorless": "colorless", "pending": "pending",
    "see note": "see note", "see comment": "see comment", "indeterminate": "indeterminate",
    "equivocal": "equivocal", "borderline": "borderline", "immune": "immune",
    "non-immune": "non-immune", "not immune": "non-immune", "1+": "1+", "2+": "2+",
    "3+": "3+", "4+": "4+", "tnp": "not performed", "not performed": "not performed",
}  # fmt: skip
_TEXT_WORDS = sorted(TEXT_RESULTS, key=lambda t: -len(t.split()))
_RESULT_WORDS = frozenset(word for phrase in TEXT_RESULTS for word in phrase.split())

# Abnormal flags, as printed (upper case, brackets removed) → normal form.
FLAGS = {
    "H": "H", "HI": "H", "HIGH": "H", "L": "L", "LO": "L", "LOW": "L", "A": "A",
    "ABN": "A", "ABNORMAL": "A", "*": "A", "HH": "HH", "LL": "LL", "H*": "HH", "L*": "LL",
    "*H": "H", "*L": "L", "C": "critical", "CRIT": "critical", "CRITICAL": "critical",
    "!": "critical", "!!": "critical", "AA": "critical", "PANIC": "critical",
    "CRITICAL HIGH": "HH", "CRITICAL LOW": "LL", "N": "N", "NORMAL": "N",
}  # fmt: skip
_MERGED_FLAG = re.compile(
    r"^(?P<v>[<>≤≥]?=?\s*[0-9OolI|.,]*\d[0-9OolI|.,]*)(?P<f>HH|LL|H|L|A|\*+|!)$"
)
# A value with an abnormal mark glued before it ("*35.3", "!!6.9"), as some labs print.
_MARKED_VALUE = re.compile(r"(?P<f>\*{1,2}|!{1,2})(?P<v>[<>]?\d+(?:[.,]\d+)?)")
_MERGED_UNIT = re.compile(r"^(?P<v>[<>≤≥]?=?\d+(?:[.,]\d+)?)(?P<u>%|[a-zA-Zµμ][\w/^*µμ.]*)$")
# "hematocrit of 32", "sodium was 129": words prose puts between a name and its value.
_CONNECTIVES = re.compile(r"(?:[\s,]+(?:of|was|is|are|were|at|level|levels|value|=))+$", re.I)
# "Potassium [Moles/volume] in": a long name cut or wrapped after a linking word.
_CUT_TAIL = re.compile(r"(?:[\s.,]+(?:in|of|by|or|and|from|for|with|per))+$", re.I)
_SEX = re.compile(r"^(?:m|male|males|men|f|female|females|women)$", re.I)
_RANGE_LABEL = re.compile(r"^(?:normal|ref(?:erence)?(?: range)?|range|adult)\s*:?\s*", re.I)
_NUM = r"[+-]?\d+(?:[.,]\d+)?"
# Numbers no lab prints as a result: zero-padded (`00482913`; `07` is 0.7 that lost its
# point) or of seven digits and more without separators (`9534717`): patient, accession
# and order numbers.
_IDENTIFIER = re.compile(r"0\d+|\d{7,}")
# Labels of identifiers and other numbers that are not results ("Patient ID", "MRN", "Acc #").
_ID_LABEL = re.compile(
    r"(?:^|\s)(?:id|ids|mrn|mr|accession|accn|acc|acct|account|order|ord|req|requisition|"
    r"barcode|ssn|npi|phone|tel|fax|zip|#|page|room|bed|encounter|visit|csn|fin|episode|chart|"
    r"member|policy|lab\s+no)\s*[#:.]*$",
    re.IGNORECASE,
)
# Bounds printed as labelled fields: "Low: 12.0 High: 16.0", "Min 3.5 Max 5.1".
_LABELLED_BOUNDS = re.compile(
    rf"(?:low(?:er)?|min)\s*:?\s*(?P<lo>{_NUM})\s*[,;/]?\s*"
    rf"(?:high|upper|max)\s*:?\s*(?P<hi>{_NUM})",
    re.I,
)
_BOUNDS = re.compile(
    rf"(?P<lo>{_NUM}|\.\d+)(?:\s*(?:-|–|—|to|\.\.|à|bis)\s*|\s+a\s+)(?P<hi>{_NUM})"
    rf"|(?P<cmp><=|>=|=<|=>|≤|≥|<|>|less than|greater than|up to|under|over)\s*(?P<n>{_NUM})",
    re.I,
)


def repair_number(text: str) -> str:
    """`text` with OCR misreads fixed, if it is otherwise a number: letters for digits, a
    colon for the decimal point (`3:9`, `15:0`; `1:40` stays a titre and `10:45` a time), a
    speck before it (`.1.90`) or after it (`6.7.`: a point with no digit after ends nothing)."""
    body = text.lstrip("<>≤≥=")
    prefix = text[: len(text) - len(body)]
    # A colon in a titre follows a lone 1, in a time two digits follow it.
    colon = re.fullmatch(r"(?:(?P<a>[02-9]\d*):(?P<b>\d+)|(?P<c>1\d+):(?P<d>\d))", body)
    if colon:
        body = f"{colon['a'] or colon['c']}.{colon['b'] or colon['d']}"
    body = re.sub(r"^[.,'`](?=\d+[.,]\d)", "", body)
    body = re.sub(r"(?<=[\dOolI|])\.$", "", body)
    if body and _NUMBERISH.fullmatch(body) and any(c.isdigit() for c in body):
        return prefix + body.translate(_DIGIT_FIX)
    return prefix + body


def to_float(text: str) -> float | None:
    """A printed number (`12,500`, `7.2`, `7,2` as a decimal comma) as a float."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    if re.fullmatch(r"[+-]?\d+,\d{1,2}", text):
        return float(text.replace(",", "."))
    return float(text.replace(",", ""))


def is_leaderish(text: str) -> bool:
    """Whether a token is, or holds, a dot leader (`........2`, `00.2` read from dots)."""
    return (
        is_leader(text) or ".." in text or ". ." in text or bool(re.fullmatch(r"0\d[\d.]*", text))
    )


def is_leader(text: str) -> bool:
    """Whether a token is a dot leader or ruling (`.....`, `____`), or what OCR makes of one:
    long runs of the round letters dots are misread as (`eecseessesestesecste`)."""
    if _DOTS.fullmatch(text):
        return True
    if any(c.isdigit() for c in text):
        return False
    if len(text) >= 6 and text.count(".") >= 3 and sum(c.isalpha() for c in text) <= 2:
        return True
    letters = text.strip(".,:;'`").lower()
    if len(letters) < 8 or sum(c in _ROUND for c in letters) < 0.9 * len(letters):
        return False
    return sum(c in "ces" for c in letters) >= 0.6 * len(letters)


def is_leader_tail(text: str) -> bool:
    """Whether a word that follows a dot leader is more of it: lower-case letters dots are
    misread as (`teens`, `ee`), and no word of a text result (`trace`, `see note`)."""
    letters = text.strip(".,:;'`")
    return (
        bool(letters)
        and letters.isalpha()
        and letters.islower()
        and all(c in _ROUND for c in letters)
        and letters not in _RESULT_WORDS
    )


def leader_start(text: str) -> str | None:
    """A short upper-case name with the first dots of the leader after it read as letters
    (`Ko` for `K ....`, `PLTcc`): the name, else None."""
    found = re.fullmatch(r"([A-Z][A-Z0-9]{0,4})([ceos]{1,2})", text)
    return found[1] if found else None


def clean_name(text: str) -> str:
    """A printed test name without dot leaders, bullets and trailing colons."""
    text = _TRAILING_DOTS.sub("", text.strip()).strip(" :.-–—*•·\t")
    text = _CONNECTIVES.sub("", text).strip(" :.,-–—*•·\t")
    text = text.strip(" '\"‘’“”|`°©®~")  # specks OCR read before or after the name
    return _CUT_TAIL.sub("", text).strip(" :.,-*•·\t") or text


def split_token(text: str) -> list[str]:
    """Split a token in which OCR or the printer merged a value with its flag or unit."""
    text = text.strip("()[]") if re.fullmatch(r"[(\[][A-Z*!]{1,2}[)\]]", text) else text
    merged = _MERGED_FLAG.fullmatch(text)
    if merged:
        return [merged["v"].strip(), merged["f"]]
    glued = re.fullmatch(r"(\d+(?:[.,]\d+)?)[:;,'`](\S+)", text)
    if glued and not re.fullmatch(r"\d+", glued[2]) and not _is_unit(text):
        return [glued[1], glued[2]]  # "152:10*3/uL": a speck OCR read between value and unit
    dotted = re.fullmatch(r"(\d+(?:\.\d+)?)\.(\S+)", text)
    if (
        dotted
        and re.search(r"[^\W\d_]|%", dotted[2])
        and _is_unit(dotted[2])
        and not _is_unit(text)
    ):
        return [dotted[1], dotted[2]]  # "4.21.10*12/L", "99.U/L": a speck read as a point
    unit = _MERGED_UNIT.fullmatch(text)
    if unit and unit["u"].upper() not in FLAGS and not _is_unit(text):
        return [unit["v"], unit["u"]]
    return [text]


def split_marked(text: str) -> list[str] | None:
    """A value with an abnormal mark glued before it ("*35.3") as the value and the mark;
    None for any other word. Only a row's first number is one ("95 mg/dL *2" ends with a
    footnote's mark)."""
    marked = _MARKED_VALUE.fullmatch(text)
    return [marked["v"], marked["f"]] if marked else None


def _is_unit(text: str) -> bool:
    """Whether a whole token is a unit (`10X9cells/L` is not the value 10 and a unit)."""
    from ocr.facts.units import parse  # values is imported by units' users; keep it light

    return parse(text) is not None


def parse_flag(text: str) -> str | None:
    """The normal form of an abnormal flag such as `H`, `(L)`, `HIGH`, `*`, `CRIT`."""
    key = text.strip().strip("()[]").upper()
    return FLAGS.get(key)


def parse_value(tokens: list[str]) -> tuple[ResultValue | None, int]:
    """The result at the start of `tokens` and how many tokens it used."""
    if not tokens:
        return None, 0
    tokens = tokens[:4]  # a value is at most a few words; lines of prose run long
    lowered = [t.lower().strip(",;") for t in tokens]
    for phrase in _TEXT_WORDS:
        words = phrase.split()
        if lowered[: len(words)] == words:
            text = " ".join(tokens[: len(words)]).strip(",;")
            return ResultValue(text, coded=TEXT_RESULTS[phrase]), len(words)
    comparator, used = None, 0
    if _COMPARATOR.fullmatch(lowered[0]):
        comparator, used = lowered[0], 1
    elif " ".join(lowered[:2]) in ("less than", "greater than"):
        comparator, used = " ".join(lowered[:2]), 2
    if comparator is not None:
        if used >= len(tokens):
            return None, 0
        token = tokens[used]
    else:
        attached = re.fullmatch(r"(<=|>=|=<|=>|≤|≥|<|>)(.+)", tokens[0])
        comparator, token = (attached[1], attached[2]) if attached else (None, tokens[0])
    if comparator is not None:
        comparator = _COMPARATORS.get(comparator, comparator)
    titre = _TITRE.fullmatch(token)
    if titre:
        text = f"{comparator or ''}{token}"
        return ResultValue(text, comparator=comparator, titre=int(titre[2])), used + 1
    token = repair_number(token.rstrip(",;"))
    number = to_float(token)
    if number is None or _IDENTIFIER.fullmatch(token):
        return None, 0
    text = f"{comparator}{token}" if comparator else token
    return ResultValue(text, number=number, comparator=comparator), used + 1


def is_identifier_label(name: str) -> bool:
    """Whether a name ends with the label of an identifier (`Patient ID`, `MRN:`), not a
    test; OCR and the catalogue's folding would otherwise take `ID` for `LD`."""
    # "Ph (02)": a telephone's label and area code
    return bool(_ID_LABEL.search(name.strip()) or re.search(r"\(\d{1,4}\)$", name.strip()))


def parse_range(text: str) -> ReferenceRange | None:
    """A printed reference range: `4.0-5.6`, `(3.8-10.8)`, `<100`, `>=40`, `Negative`,
    `M: 13.5-17.5 F: 12.0-15.5`; None when `text` is not one."""
    raw = text.strip()
    body = _RANGE_LABEL.sub("", raw.strip("()[] ")).strip("()[] ")
    if not body:
        return None
    labelled = _LABELLED_BOUNDS.fullmatch(body)
    if labelled:
        body = f"{labelled['lo']}-{labelled['hi']}"  # "Low: 12.0 High: 16.0"
    body = re.sub(r"\d+:\d+", lambda m: repair_number(m[0]), body)  # "4:3-10.8", not "1:40"
    pieces = re.split(r"[;\n]|(?=\b(?:m|male|men|f|female|women)\s*[:=]?\s*[<>≤≥\d])", body,
                      flags=re.I)  # fmt: skip
    bands = []
    for piece in (p.strip(" ,") for p in pieces):
        if not piece:
            continue
        sex = None
        lead = re.match(r"^(males?|men|m|females?|women|f)\b\s*[:=]?\s*", piece, re.I)
        if lead:
            sex = "M" if lead.group(1).lower().startswith("m") else "F"
            piece = piece[lead.end() :]
        band = _band(piece.strip("() "), sex)
        if band is not None:
            bands.append(band)
    return ReferenceRange(raw, tuple(bands)) if bands else None


def _band(text: str, sex: str | None) -> ReferenceBand | None:
    lowered = text.lower().strip(" .")
    if lowered in TEXT_RESULTS:
        return ReferenceBand(text=TEXT_RESULTS[lowered], sex=sex)
    titre = _TITRE.fullmatch(text.replace(" ", ""))
    if titre:
        return ReferenceBand(text=text.replace(" ", ""), sex=sex)
    found = _BOUNDS.match(text)
    if found is None:
        return None
    leftover = text[found.end() :].strip()
    if leftover and not re.fullmatch(r"[^\d]{0,20}", leftover):
        return None  # more numbers follow: not a range we understand
    if found["lo"] is not None:
        low, high = to_float(found["lo"]), to_float(found["hi"])
        if low is None or high is None or low > high:
            return None
        return ReferenceBand(low, high, sex=sex)
    bound = to_float(found["n"])
    comparator = _COMPARATORS.get(found["cmp"].lower(), found["cmp"].lower())
    if comparator in ("<", "<=", "up to"):
        return ReferenceBand(high=bound, high_inclusive=comparator != "<", sex=sex)
    return ReferenceBand(low=bound, low_inclusive=comparator != ">", sex=sex)


def is_sex_marker(token: str) -> bool:
    """Whether a token introduces a sex-specific band (`M:`, `Female`)."""
    return bool(_SEX.fullmatch(token.strip(":=")))
