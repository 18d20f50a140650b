"""Dates printed in a document and what their labels say they are.

The date grammar (numeric, ISO, month names, English and German) is `ocr.identity`'s, so
a date reads the same whether it routes a document or dates it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ocr.facts.lines import Line, Token, cite
from ocr.facts.model import DatedMention
from ocr.identity import _DATE_FORMS, _parse_date

# Label → kind, most specific first; "birth" dates are never a document's date.
_LABELS: list[tuple[str, str]] = [
    ("birth", r"d\.?\s?o\.?\s?b\.?|date of birth|birth\s?date|born"),
    ("collected", r"(?:date\s+|time\s+)?(?:specimen\s+|sample\s+)?collect(?:ed|ion)"
     r"(?:\s+(?:date|on|time))?|coll\.?\s+date|date\s+drawn|drawn|(?:specimen|sample)\s+date"),
    ("discharge", r"discharge(?:d)?(?:\s+date)?|date\s+of\s+discharge"),
    ("admitted", r"admission(?:\s+date)?|admitted|admit\s+date|date\s+of\s+admission"),
    ("service", r"date\s+of\s+service|d\.?o\.?s\.?|service\s+date|visit\s+date|date\s+of\s+visit"
     r"|encounter\s+date|appointment\s+date|(?:exam|examination|study|procedure)\s+date"
     r"|date\s+of\s+(?:exam|examination|procedure|study|encounter)|seen\s+on|visit"
     r"|date\s+(?:given|administered)|administered|vaccination\s+date"),
    ("ordered", r"order(?:ed)?(?:\s+date)?"),
    ("reported", r"report(?:ed)?(?:\s+date)?|date\s+(?:of\s+)?report(?:ed)?"
     r"|result(?:ed)?(?:\s+date)?|final(?:\s+report)?|verified|received|date\s+received|(?:electronically\s+)?signed(?:\s+on)?"
     r"|dictated|transcribed|date\s+of\s+dictation"),
    ("printed", r"print(?:ed)?(?:\s+(?:date|on))?|date\s+printed|run\s+date|generated(?:\s+on)?"
     r"|created(?:\s+on)?|page\s+printed"),
    ("date", r"date|datum"),
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
_START = re.compile(r"(?<![\w/.\-])(?=\d|[a-zäA-ZÄ]{3})")


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
            if parsed is not None:
                found.append((parsed, start, match.end()))
                end = match.end()
            break
    return found


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
            if kind is None and not _OWN_LABEL.search(text[:start]):
                # Only a date without a label of its own takes one printed above it.
                kind = _label_above(lines, index, offsets, start, end)
            tokens = _covering(line, offsets, start, end)
            mentions.append(DatedMention(value, kind or "unlabelled", cite([line], tokens)))
    return mentions


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
    above = [t for t in lines[index - 1].tokens if t.x1 > x0 - 2 * t.height and t.x0 < x1]
    return _label_of(above)


def _label_of(tokens: list[Token]) -> str | None:
    text = " ".join(t.text for t in tokens)
    kinds = [m.lastgroup for m in _LABEL.finditer(text)]
    specific = [k for k in kinds if k != "date"]  # "Date Collected" is a collection date
    return (specific or kinds or [None])[0]
