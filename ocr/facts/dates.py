"""Dates printed in a document and what their labels say they are.

The date grammar (numeric, ISO, month names, English and German) is `ocr.identity`'s, so
a date reads the same whether it routes a document or dates it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from ocr.facts.lines import Line, Token, cite
from ocr.facts.model import DatedMention
from ocr.identity import _DATE_FORMS, _parse_date

# Label → kind, most specific first; "birth" dates are never a document's date.
_LABELS: list[tuple[str, str]] = [
    ("birth", r"d\.?\s?o\.?\s?b\.?|date of birth|birth\s?date|born"
     # German, Spanish, French, Italian, Portuguese, Dutch
     r"|geb(?:\.|oren)?(?:\s*-?\s*datum)?|geburtsdatum|(?:fecha\s+de\s+)?nacimiento"
     r"|f\.?\s*(?:de\s+)?nac\.?|(?:date\s+de\s+)?naissance|n[ée]e?\s+le"
     r"|(?:data\s+di\s+)?nascita|nat[oa]\s+il|(?:data\s+de\s+)?nascimento|geboortedatum"),
    ("collected", r"(?:date\s+|time\s+)?(?:specimen\s+|sample\s+)?collect(?:ed|ion)?"
     r"(?:\s+(?:date|on|time)(?:\s*(?:/|and|&)\s*time)?)?|coll\.?\s+(?:date|time)|coll\.?(?=\s*:)"
     r"|date\s+drawn|drawn|(?:specimen|sample)\s+(?:date|taken|drawn)|(?:date\s+)?sampled"
     r"|sampling\s+date|date\s+of\s+sampling|(?:date|specimen|sample)\s+obtained|obtained(?:\s+on|(?=\s*:))|draw\s+(?:date|time)"
     r"|date\s+of\s+(?:specimen|sample)|coll\.?\s+dt(?:\s*/\s*tm)?|entnahme(?:datum)?"
     r"|abnahme(?:datum)?|(?:date\s+de\s+)?pr[ée]l[èe]vement"
     r"|(?:proben|blut)(?:entnahme|abnahme)(?:datum|zeit)?"
     r"|fecha\s+de\s+(?:toma|extracci[óo]n|recolecci[óo]n|obtenci[óo]n)(?:\s+de\s+(?:la\s+)?muestra)?"
     r"|toma\s+de\s+(?:la\s+)?muestra|extracci[óo]n|(?:data\s+(?:del\s+)?)?prelievo"
     r"|(?:data\s+(?:da\s+)?)?(?:colheita|coleta)|afname(?:datum)?"),
    ("discharge", r"discharge(?:d)?(?:\s+date)?|date\s+of\s+discharge"),
    ("admitted", r"admission(?:\s+date)?|admitted|admit\s+date|date\s+of\s+admission"),
    ("service", r"date\s+of\s+service|d\.?o\.?s\.?|service\s+date|visit\s+date|date\s+of\s+visit"
     r"|encounter\s+date|appointment\s+date|(?:exam|examination|study|procedure)\s+date"
     r"|date\s+of\s+(?:exam|examination|procedure|study|encounter)|seen\s+on|visit"
     r"|date\s+(?:given|administered)|administered|vaccination\s+date"),
    ("ordered", r"order(?:ed)?(?:\s+date)?"),
    ("reported", r"report(?:ed)?(?:\s+date)?|date\s+(?:of\s+)?report(?:ed)?"
     r"|result(?:ed)?(?:\s+date)?|final(?:\s+report)?|verified|received|date\s+received|(?:electronically\s+)?signed(?:\s+on)?"
     r"|dictated|transcribed|date\s+of\s+dictation"
     r"|befund(?:datum)?|eingang(?:sdatum)?|ausgang|freigabe|validiert"
     r"|fecha\s+de\s+(?:entrega|informe|emisi[óo]n|reporte|validaci[óo]n|recepci[óo]n)"
     r"|(?:data\s+(?:del\s+)?)?referto|date\s+d[e']\s*(?:édition|compte\s+rendu)|réception"
     r"|data\s+de\s+libera[çc][ãa]o|libera[çc][ãa]o"),
    ("printed", r"print(?:ed)?(?:\s+(?:date|on))?|date\s+printed|run\s+date|generated(?:\s+on)?"
     r"|created(?:\s+on)?|page\s+printed|gedruckt(?:\s+am)?|druckdatum|impreso(?:\s+el)?"
     r"|fecha\s+de\s+impresi[óo]n|stampato(?:\s+il)?|imprimé(?:\s+le)?"),
    ("date", r"date|datum|fecha"),
]  # fmt: skip
_LABEL = re.compile(
    "|".join(rf"(?P<{kind}>(?<![^\W\d_])(?:{pattern})(?![^\W\d_]))" for kind, pattern in _LABELS),
    re.IGNORECASE,
)
# "25:07.2010": OCR read one dot of a dotted date as a colon (times have no dots).
_MIXED = re.compile(r"(?<![\d.:])\d{1,2}[.:;,]\d{1,2}[.:;,]\d{4}(?![\d.:])")
_OWN_LABEL = re.compile(r"[^\W\d_]{2,}[.)]?\s*[:#=]\s*$")  # "Senvice: " right before the date
# "Mar 19; 2008": OCR read the comma after a month-name date's day as a semicolon or point.
_MONTH_DAY = re.compile(
    r"(\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2})[;:.](?=\s*\d{4})",
    re.IGNORECASE,
)
_SPECK_AFTER_LABEL = re.compile(r"(?<=[:;])[.,'`‘’](?=\d)")
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\b\.?,?\s*$",
    re.IGNORECASE,
)
_WORD_GAP = 0.9  # line heights between the words of one title, at most (columns are wider)
_START = re.compile(r"(?<![\w/.\-])(?=\d|[a-zäA-ZÄ]{3})")
# "05/03/2024": month first (US) unless the document prints a day past 12 first.
_NUMERIC = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s?([/\-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/\-])"
)
_DAY_FIRST: ContextVar[bool] = ContextVar("day_first", default=False)


def day_first(texts: Sequence[str]) -> bool:
    """Whether the slashed and dashed dates of a document put the day first, as UK and
    European labs print them: some date has a first number past 12 (a day) and none has a
    second one past 12. Dotted dates are always day first; ISO dates say nothing.

    When every numeric date could be either, two weaker cues decide, in this order: dates
    with a month name written day first ("25 Nov 1954") and none month first ("Nov 25,
    1954"); else the reading that puts more of the document's dates within a fortnight of
    one another, and none so month first (a sample is collected, received and reported
    within days: 05/03 and 07/03 are two days apart day first, two months month first; a
    print date, any time later, is left out). Month first otherwise."""
    days = months = False
    pairs: list[tuple[int, int, int]] = []
    for text in texts:
        for match in _NUMERIC.finditer(text):
            first, second = int(match.group(1)), int(match.group(3))
            days = days or (12 < first <= 31 and 1 <= second <= 12)
            months = months or (12 < second <= 31 and 1 <= first <= 12)
            year = int(match.group(4))
            printed = "print" in text.lower()  # printed any time later: no clue
            if 1 <= first <= 12 and 1 <= second <= 12 and year >= 1900 and not printed:
                pairs.append((first, second, year))
    if days or months:
        return days and not months
    named_days = any(_NAMED_DAY_FIRST.search(text) for text in texts)
    named_months = any(_NAMED_MONTH_FIRST.search(text) for text in texts)
    if named_days != named_months:
        return named_days
    return _closer(pairs, day_first=True) > 0 == _closer(pairs, day_first=False)


_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NAMED_DAY_FIRST = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAME}\s+\d{{4}}\b", re.I)
_NAMED_MONTH_FIRST = re.compile(rf"\b{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I)
_FORTNIGHT = 14


def _closer(pairs: list[tuple[int, int, int]], *, day_first: bool) -> int:
    """How many pairs of distinct dates fall within a fortnight of each other, read so."""
    days = set()
    for first, second, year in pairs:
        month, day = (second, first) if day_first else (first, second)
        try:
            days.add(date(year, month, day))
        except ValueError:
            continue
    ordered = sorted(days)
    return sum(
        1 for i, a in enumerate(ordered) for b in ordered[i + 1 :] if (b - a).days <= _FORTNIGHT
    )


@contextmanager
def date_order(texts: Sequence[str]) -> Iterator[bool]:
    """Within the block, ambiguous numeric dates ("05/03/2024") are read in the order the
    document's unambiguous ones show (`day_first`)."""
    token = _DAY_FIRST.set(day_first(texts))
    try:
        yield _DAY_FIRST.get()
    finally:
        _DAY_FIRST.reset(token)


def find_dates(text: str, today: date | None = None) -> list[tuple[date, int, int]]:
    """Every plausible past date in `text`, with its start and end offsets."""
    today = today or date.today()
    text = _MIXED.sub(_dotted, text)
    text = _MONTH_DAY.sub(r"\1,", text)
    text = _SPECK_AFTER_LABEL.sub(" ", text)  # "Collected:.2011-01-25" (same length)
    found: list[tuple[date, int, int]] = []
    end = 0
    for start in (m.start() for m in _START.finditer(text)):
        if start < end:
            continue
        for form in _DATE_FORMS:
            match = form.match(text, start)
            if match is None:
                continue
            if match.end() < len(text) and text[match.end()].isdigit():
                continue
            parsed = _parse_date(match.group(), today)
            if parsed is not None and _DAY_FIRST.get():
                parsed = _day_first(match, parsed, today)
            if parsed is not None:
                found.append((parsed, start, match.end()))
                end = match.end()
            break
    return found


def _day_first(match: re.Match[str], parsed: date, today: date) -> date | None:
    """`parsed`, read day first when it was a numeric date that could be either."""
    parts = match.groupdict()
    if not parts.get("a") or parts["sep"] == ".":
        return parsed
    first, second = int(parts["a"]), int(parts["b"])
    if first > 12 or second > 12:
        return parsed
    try:
        swapped = parsed.replace(month=second, day=first)
    except ValueError:
        return parsed
    return swapped if swapped <= today else parsed


def _dotted(match: re.Match[str]) -> str:
    """A date with mixed separators written with dots, if one of them was a dot."""
    found = match.group()
    return re.sub(r"[:;,]", ".", found) if "." in found else found


def dated_mentions(lines: Sequence[Line], today: date | None = None) -> list[DatedMention]:
    """The dates on `lines`, each with the kind its label (same line, or above it) gives."""
    mentions = []
    for index, line in enumerate(lines):
        text, offsets = _offsets(line)
        for value, start, end in find_dates(text, today):
            kind = _label_before(text[:start])
            if kind is None and _SAMPLE_GIVEN.search(text[max(0, start - 80) : start]):
                kind = "collected"  # "The blood sample you gave on March 19, 2008 was tested"
            if kind is None and not _OWN_LABEL.search(text[:start]):
                # Only a date without a label of its own takes one printed above it.
                kind = _label_above(lines, index, offsets, start, end)
            tokens = _covering(line, offsets, start, end)
            mentions.append(DatedMention(value, kind or "unlabelled", cite([line], tokens)))
    return mentions


# A sentence that says when the sample was taken, ending right before the date.
_SAMPLE_GIVEN = re.compile(
    r"\b(?:sample|specimen|blood|urine|swab)s?\b[^.;:]{0,40}?\b(?:gave|given|drawn|collected"
    r"|taken|provided|obtained|left)\s+(?:on\s+|at\s+)?$",
    re.IGNORECASE,
)


def _offsets(line: Line) -> tuple[str, list[tuple[int, int]]]:
    offsets, position = [], 0
    for token in line.tokens:
        offsets.append((position, position + len(token.text)))
        position += len(token.text) + 1
    return line.text, offsets


def _covering(line: Line, offsets: list[tuple[int, int]], start: int, end: int) -> list[Token]:
    """The tokens of `line` that overlap the characters `start:end` of its text."""
    return [t for t, (a, b) in zip(line.tokens, offsets, strict=True) if a < end and b > start]


def _label_before(before: str) -> str | None:
    """The kind of the nearest label ending within a few characters before a date."""
    tail = re.sub(r"(?<=[A-Za-z])[-_](?=[A-Za-z])", " ", before[-60:])  # "Date-of Service"
    last = None
    for match in _LABEL.finditer(tail):
        last = match
    if last is None:
        return None
    between = tail[last.end() :]
    # A label is followed by punctuation or a short gap, not by other words or dates.
    between = _WEEKDAY.sub(" ", between)  # "Collected: Tuesday, March 5, 2024"
    if not re.fullmatch(r"[\s:;#=\-/.()]*(?:\w{1,4}[\s:;#=\-.()]*)?", between):
        return None
    return last.lastgroup


def _label_above(
    lines: Sequence[Line], index: int, offsets: list[tuple[int, int]], start: int, end: int
) -> str | None:
    """A label printed over the date, as in a header row over a row of values."""
    if index == 0:
        return None
    tokens = _covering(lines[index], offsets, start, end)
    if not tokens:
        return None
    x0, x1 = min(t.x0 for t in tokens), max(t.x1 for t in tokens)
    row = lines[index - 1].tokens
    over = [n for n, t in enumerate(row) if t.x1 > x0 - 2 * t.height and t.x0 < x1]
    if not over:
        return None
    first, last = over[0], over[-1]
    # The whole title over the date: "Date/Time Collected" goes on past a date's width.
    while first > 0 and row[first].x0 - row[first - 1].x1 < _WORD_GAP * row[first].height:
        first -= 1
    while last + 1 < len(row) and row[last + 1].x0 - row[last].x1 < _WORD_GAP * row[last].height:
        last += 1
    return _label_of(row[first : last + 1])


def _label_of(tokens: list[Token]) -> str | None:
    text = " ".join(t.text for t in tokens)
    kinds = [m.lastgroup for m in _LABEL.finditer(text)]
    specific = [k for k in kinds if k != "date"]  # "Date Collected" is a collection date
    return (specific or kinds or [None])[0]
