"""Find the patient's printed name and date of birth in document text and match them to profiles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PatientIdentity:
    """Candidate patient names and birth dates printed in a document, and where they were found."""

    names: tuple[str, ...]
    birth_dates: tuple[date, ...]
    evidence: tuple[str, ...]


# OCR confuses these glyphs; tolerating more would let labels match ordinary words.
_OCR = {"o": "[o0]", "i": "[il1|]", "l": "[il1|]", "m": "(?:m|rn)", "'": "['’]", " ": r"\.?\s*"}


def _fuzzy(*labels: str) -> str:
    """Regex alternation of `labels`, longest first, tolerant of common OCR confusions."""
    ordered = sorted(labels, key=len, reverse=True)
    return "|".join("".join(_OCR.get(c, re.escape(c)) for c in label) for label in ordered)


_FULL = ("patient name", "patients name", "patient's name", "pt name", "name of patient")
_DOB = ("date of birth", "birth date", "birthdate", "birthday", "geburtsdatum", "geboren am")
# Labels of dates that are not the birth date; a DOB column beside them is a table we skip.
_DATE_STOPS = (
    "date", "dos", "visit", "collected", "received", "reported", "printed", "service", "admitted",
    "admit", "discharged", "discharge",
)  # fmt: skip
_STOPS = (
    "sex", "gender", "age", "mrn", "acct", "account", "id", "ssn", "phone", "tel", "fax",
    "address", "email", "encounter", "provider", "physician", "doctor", "ordering", "referring",
    "attending", "accession", "specimen", "insurance", "claim", "room", "location", "guarantor",
    "dear", *_DATE_STOPS,
)  # fmt: skip
_LABELS = re.compile(
    r"(?<![^\W_])(?:"
    rf"(?P<dob>{_fuzzy(*_DOB, 'geb', 'born')}|d\.?\s?[o0]\.?\s?b\.?)"
    rf"|(?P<full>{_fuzzy(*_FULL)})"
    rf"|(?P<bare>{_fuzzy('patient', 'pt')})"
    rf"|(?P<name>{_fuzzy('name')})"
    r"|(?P<re>re)"
    rf"|(?P<stop>{_fuzzy(*_STOPS)}|mr\s?#)"
    r")(?![^\W\d_])",
    re.IGNORECASE,
)
# Words that put a label on someone or something other than the patient ("Guarantor Name").
_OTHER_PERSON = {
    "guarantor", "subscriber", "insured", "policyholder", "holder", "mother", "father", "parent",
    "guardian", "spouse", "partner", "contact", "emergency", "physician", "provider", "doctor",
    "referring", "ordering", "attending", "responsible", "party", "employer", "test",
}  # fmt: skip
_NAME_LEADS = {"patient", "pt", "information", "full", "legal"}
_DATE_LABEL = re.compile(rf"(?<![^\W_])(?:{_fuzzy(*_DATE_STOPS)})(?![^\W\d_])", re.IGNORECASE)
_SEPARATOR = re.compile(r"[ \t]*([:;#=])?[ \t]*")
_CUT = re.compile(r"[(\[|/\t\d]|\s{3,}")  # a word with a colon is caught as the next label
_DOB_PREFIX = re.compile(r"(?:\s*/\s*age)?[\s:;#=.\-]*(?:on\s+)?\(?\s*", re.IGNORECASE)

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "md", "phd", "dds", "rn", "np", "esq"}
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "bin"}
_NOT_NAMES = {
    "patient", "name", "information", "unknown", "none", "male", "female", "test", "report",
    "summary", "sample", "copy", "sheet", "form", "record", "records", "history", "portal",
    "signature", "instructions", "education", "consent", "label", "number", "result", "results",
    "the", "and", "of", "for", "with", "your", "see", "above", "same", "refused", "abc", "xyz",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"(.)\1{2,}", re.IGNORECASE)  # "XXXX" in de-identified text

_MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec"
_GERMAN_MONTHS = {"mär": "mar", "mai": "may", "okt": "oct", "dez": "dec"}
_MON = r"(?P<mon>jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz])[a-zä]*\.?"
_YEAR = r"(?P<y>\d{4}|\d{2})(?!\d)"
_DATE_FORMS = [
    re.compile(r"(?P<y>\d{4})\s?[-/.]\s?(?P<m>\d{1,2})\s?[-/.]\s?(?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?P<y>\d{{4}})[\s\-/]{_MON}[\s\-/](?P<d>\d{{1,2}})(?!\d)", re.I),
    re.compile(rf"(?P<a>\d{{1,2}})\s?(?P<sep>[/.\-])\s?(?P<b>\d{{1,2}})\s?(?P=sep)\s?{_YEAR}"),
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?[\s\-/]*{_MON}[\s\-/,]*{_YEAR}", re.I),
    re.compile(rf"{_MON}[\s\-/]*(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?,?[\s\-/]*{_YEAR}", re.I),
]


def find_patient(pages: Sequence[str]) -> PatientIdentity:
    """Collect the patient names and birth dates printed beside their labels on `pages`."""
    names: dict[str, None] = {}
    births: dict[date, None] = {}
    evidence: dict[str, None] = {}
    today = date.today()
    for page in pages:
        lines = page.splitlines()
        for index, line in enumerate(lines):
            labels = list(_LABELS.finditer(line))
            for number, label in enumerate(labels):
                kind = label.lastgroup or ""
                if kind == "stop" or not _label_applies(kind, line[: label.start()]):
                    continue
                end = labels[number + 1].start() if number + 1 < len(labels) else len(line)
                found: str | date | None
                if kind == "dob":
                    found, source = _birth_date(lines, index, label, today)
                else:
                    found, source = _patient_name(lines, index, label, end)
                if found is None:
                    continue
                if isinstance(found, date):
                    births[found] = None
                else:
                    names[found] = None
                evidence.update(dict.fromkeys(s.strip() for s in source))
    return PatientIdentity(tuple(names), tuple(births), tuple(evidence))


def _label_applies(kind: str, before: str) -> bool:
    """Whether the text before a label on its line leaves it introducing the patient's details."""
    lead = re.search(r"([^\W\d_]+)(?:['’]?s)?([ \t]*)$", before[-40:])  # only the tail matters
    if lead is None or len(lead.group(2)) > 1:
        return True  # start of line, after punctuation or a digit, or a table gap
    word = lead.group(1).lower()
    if word in _OTHER_PERSON or word.removesuffix("s") in _OTHER_PERSON:
        return False
    if kind == "name":
        return word in _NAME_LEADS
    # Inside running prose ("instructions to patient:"), a bare label is not a field.
    return kind not in ("bare", "re")


def _patient_name(
    lines: list[str], index: int, label: re.Match[str], end: int
) -> tuple[str | None, list[str]]:
    """The name following a name label, on its line or, when that is empty, on the next."""
    line = lines[index]
    gap = _SEPARATOR.match(line, label.end())
    assert gap is not None  # the pattern can match the empty string
    punctuated = gap.group(1) is not None
    if label.lastgroup == "re" and not punctuated:
        return None, []
    if label.lastgroup in ("bare", "name") and not punctuated and len(gap.group()) < 2:
        return None, []  # "Patient was seen": a one-word label needs a colon or a table gap
    value = line[gap.end() : end]
    if not line[gap.end() :].strip() and (punctuated or label.lastgroup == "full"):
        following = _next_line(lines, index)
        if following is None:
            return None, []
        value = lines[following]
        return _name_from(value), [line, value]
    return _name_from(value), [line]


def _name_from(value: str) -> str | None:
    """The title-cased 'Given [Middle] Family' at the start of a label's value, if it is one."""
    value = _CUT.split(value, maxsplit=1)[0]
    kept = []
    for raw in value.split():
        word = raw.strip(",.")
        if word and not (_WORD.fullmatch(word) and (word[0].isupper() or word in _PARTICLES)):
            break  # prose or a code, not part of a name
        kept.append(raw)
    parts = _split_name(" ".join(kept))
    if parts is None:
        return None
    given, middles, family = parts
    words = [given, *middles, *family]
    if len(words) > 5 or any(w.lower() in _NOT_NAMES or _PLACEHOLDER.fullmatch(w) for w in words):
        return None
    return " ".join(w if w in _PARTICLES else _title(w) for w in words)


def _title(word: str) -> str:
    """Title-case an all-caps or all-lowercase word, leaving mixed case such as McDonald alone."""
    if not (word.isupper() or word.islower()):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), word)


def _split_name(text: str) -> tuple[str, list[str], list[str]] | None:
    """Split a printed name into given name, middle names and family name; None if incomplete."""
    chunks = [[w.strip(".") for w in c.split()] for c in text.split(",")]
    chunks = [[w for w in c if w and w.lower() not in _SUFFIXES] for c in chunks]
    chunks = [c for c in chunks if c]
    if not chunks:
        return None
    family = chunks[0] if len(chunks) > 1 else []  # "Family, Given Middle"
    rest = chunks[1] if len(chunks) > 1 else chunks[0]
    while rest and rest[0].lower() in _TITLES:
        rest = rest[1:]
    if not family and len(rest) > 1:
        split = len(rest) - 1
        while split > 1 and rest[split - 1].lower() in _PARTICLES:
            split -= 1
        rest, family = rest[:split], rest[split:]
    if not rest or not family or len(rest[0]) < 2 or len(family[-1]) < 2:
        return None
    return rest[0], rest[1:], family


def _birth_date(
    lines: list[str], index: int, label: re.Match[str], today: date
) -> tuple[date | None, list[str]]:
    """The date right after a birth-date label, or at the start of the next line if none follows."""
    line = lines[index]
    prefix = _DOB_PREFIX.match(line, label.end())
    assert prefix is not None  # the pattern can match the empty string
    if line[prefix.end() :].strip():
        return _parse_date(line[prefix.end() :], today), [line]
    # A header row ("Collected   DOB") puts values in columns we cannot line up: skip it.
    if _DATE_LABEL.search(line[: label.start()] + " " + line[label.end() :]):
        return None, []
    following = _next_line(lines, index)
    if following is None:
        return None, []
    return _parse_date(lines[following].lstrip(" \t("), today), [line, lines[following]]


def _next_line(lines: list[str], index: int) -> int | None:
    """Index of the next non-blank line after `index`, if any."""
    return next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)


def _parse_date(text: str, today: date) -> date | None:
    """The plausible past date at the start of `text`, in any of the common printed forms."""
    for form in _DATE_FORMS:
        found = form.match(text)
        if found is None:
            continue
        parts = found.groupdict()
        if parts.get("a"):
            first, second = int(parts["a"]), int(parts["b"])
            # Dotted dates are European; US-style slashes unless the first number cannot be a month.
            day_first = parts["sep"] == "." or first > 12
            month, day = (second, first) if day_first else (first, second)
        else:
            month = int(parts["m"]) if parts.get("m") else _month(parts["mon"])
            day = int(parts["d"])
        return _plausible(parts["y"], month, day, today)
    return None


def _month(name: str) -> int:
    """The number of an English or German month name or abbreviation."""
    key = name[:3].lower()
    return _MONTHS.index(_GERMAN_MONTHS.get(key, key)) // 3 + 1


def _plausible(year: str, month: int, day: int, today: date) -> date | None:
    """The date if it exists and lies between 1900 and today; two-digit years go to the past."""
    try:
        found = date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        if len(year) == 2 and found > today:
            found = found.replace(year=found.year - 100)
    except ValueError:
        return None
    return found if date(1900, 1, 1) <= found <= today else None


def name_matches(printed: str, profile_name: str) -> bool:
    """Whether a printed name names the profile: same given and family name, middles optional."""
    ours, theirs = _split_name(_normal(printed, ocr=True)), _split_name(_normal(profile_name))
    if ours is None or theirs is None:
        return False
    (given, middles, family), (their_given, their_middles, their_family) = ours, theirs
    if not (_same(given, their_given) and _same("".join(family), "".join(their_family))):
        return False
    if middles and their_middles:
        a, b = middles[0], their_middles[0]
        return a[0] == b[0] if min(len(a), len(b)) == 1 else _same(a, b)
    return True


def matches(identity: PatientIdentity, profile_name: str, date_of_birth: date | None) -> bool:
    """Whether the document belongs to the profile: its DOB (when the profile has one) and name."""
    if date_of_birth is not None and date_of_birth not in identity.birth_dates:
        return False
    return any(name_matches(name, profile_name) for name in identity.names)


def _normal(text: str, *, ocr: bool = False) -> str:
    """Lowercase ASCII-folded name text with punctuation other than commas removed."""
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    if ocr:
        text = text.translate(str.maketrans("01", "ol"))  # digits in a name are misread letters
    text = re.sub(r"[.\s]+", " ", text)
    return re.sub(r"[^\w\s,]|[\d_]", "", text)


def _same(a: str, b: str) -> bool:
    """Equal name parts, allowing one OCR edit in parts of five or more letters."""
    if a == b:
        return True
    if "rn" in a or "rn" in b:  # OCR reads "rn" as "m", which is two edits
        a, b = a.replace("rn", "m"), b.replace("rn", "m")
    return a == b or (min(len(a), len(b)) >= 5 and _one_edit(a, b))


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` are at Levenshtein distance of at most one."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
