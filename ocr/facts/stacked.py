"""Results printed as cards: the test's name on one line, its value and unit under it (often
in larger type), and the range and flag under that, with several cards side by side.

  Glucose              Hemoglobin A1c        WBC
  95 mg/dL             7.2 %                 6.7 K/uL
  Range 70-99          Range 4.0-5.6  H      Range 3.8-10.8

Each card is read as the one-line row it stands for ("Glucose 95 mg/dL 70-99"): its words
are laid out left to right, keeping the words (and so the boxes a citation shows) they
came from. Only a line of names with no number in it, over a line whose every cell starts
with a number under one of those names, makes cards; the reader then asks for names the
catalogue knows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ocr.facts import units
from ocr.facts.lines import Line, Token
from ocr.facts.values import parse_flag

_NUMBER = re.compile(r"[<>]?\d[\d.,]*%?$")
_RANGE_LABEL = re.compile(r"^(?:range|ref\.?|reference|normal|interval|range:|ref:|reference:)$",
                          re.IGNORECASE)  # fmt: skip
# What OCR makes of specks between cards: marks alone, a stray lower-case letter.
_SPECK = re.compile(r"^(?:[^\w%<>]{1,3}|[a-z])$")
_VALUE_WORDS = 4  # a value, its unit, a flag: a card's middle line is no longer
_NAME_WORDS = 9  # "Glomerular filtration rate/1.73 sq M.predicted ...": longer is a sentence
_GAP = 2.5  # line heights between the lines of a card, at most
_ALIGN = 1.5  # line heights a card's lines may start apart, at most


def stacked(lines: Sequence[Line], index: int) -> tuple[list[Line], int] | None:
    """The cards whose names are on `lines[index]`, each as a one-line row, and how many
    lines they take (2, or 3 with a line of ranges, and lines of specks between them); None
    when the line opens no cards."""
    after = _next(lines, index)
    if after is None:
        return None
    names, values = lines[index], lines[after]
    if names.page != values.page or any(_NUMBER.match(c[0].text) for c in names.cells(1.0)):
        return None  # a number opening a cell: a row of its own, not a name ("gap 3 in" is)
    if not re.search(r"[^\W\d_]{2}", names.text):
        return None
    height = max(names.height, values.height)
    if not 0 < values.tokens[0].y - names.tokens[-1].y <= _GAP * height:
        return None
    kept = [t for t in values.tokens if not _SPECK.match(t.text)]
    if not kept:
        return None
    cells = Line(values.page, kept).cells(1.0)
    if any(len(cell) > _VALUE_WORDS for cell in cells):
        return None  # "41, moderate amount of bacteria.": a sentence, not a value and unit
    numbered = [bool(_NUMBER.match(cell[0].text)) for cell in cells]
    if not cells or 2 * sum(numbered) < len(cells):
        return None  # most cells must open with a number (OCR may garble one)
    named = _under([t for t in names.tokens if not _SPECK.match(t.text)], cells, height)
    if named is None or any(len(name) > _NAME_WORDS for name in named):
        return None
    taken = after - index + 1
    ranges: list[list[Token]] = [[] for _ in cells]
    under = _next(lines, after)
    if under is not None:
        below = lines[under]
        gap = below.tokens[0].y - values.tokens[-1].y
        if below.page == values.page and 0 < gap <= _GAP * height:
            spread = _under(below.tokens, cells, height)
            if spread is not None and all(_ranged(part) for part in spread if part):
                ranges, taken = spread, under - index + 1
    cards = []
    for name, value, tail, number in zip(named, cells, ranges, numbered, strict=True):
        if not name:
            return None  # a number with no name above it: no card
        if not number:
            continue  # a value OCR garbled past reading: that card is lost, not the others
        tail = [t for t in tail if not _RANGE_LABEL.match(t.text)]
        cards.append(_row(names.page, name, value, tail))
    return cards, taken


def _next(lines: Sequence[Line], index: int) -> int | None:
    """The index of the line after `lines[index]` that is more than specks, if any."""
    for number in range(index + 1, len(lines)):
        if not all(_SPECK.match(t.text) for t in lines[number].tokens):
            return number
    return None


def _under(
    tokens: list[Token], cells: list[list[Token]], height: float
) -> list[list[Token]] | None:
    """`tokens` shared out to the cells they start over (left edges within `_ALIGN` line
    heights of a cell's, or past it and before the next cell), or None when a token falls
    before the first cell or the first token of a share is not aligned with its cell."""
    shares: list[list[Token]] = [[] for _ in cells]
    for token in tokens:
        place = None
        for number, cell in enumerate(cells):
            if token.x0 >= cell[0].x0 - _ALIGN * height:
                place = number
        if place is None:
            return None
        shares[place].append(token)
    for share, cell in zip(shares, cells, strict=True):
        if share and abs(share[0].x0 - cell[0].x0) > _ALIGN * height:
            return None
    return shares


def _ranged(tokens: list[Token]) -> bool:
    """Whether the words under a value are its range, unit and flag ("Range 70-99 H",
    "Range mmol/L"): each a label, a number, a unit or a flag."""
    return all(
        _RANGE_LABEL.match(t.text)
        or re.search(r"\d", t.text)
        or units.parse(t.text) is not None
        or parse_flag(t.text) is not None
        or t.text in ("-", "–")
        for t in tokens
    )


def _row(page: int, name: list[Token], value: list[Token], tail: list[Token]) -> Line:
    """One line of the card's words: name, then value and unit, then range and flag, laid
    out left to right with a wide gap between the parts, on the name's height."""
    y, height = name[0].y, name[0].height
    out: list[Token] = []
    x = name[0].x0
    for part in (name, value, tail):
        if not part:
            continue
        shift = x - part[0].x0
        for token in part:
            out.append(replace(token, x0=token.x0 + shift, x1=token.x1 + shift, y=y,
                               height=height))  # fmt: skip
        x = out[-1].x1 + 3 * height
    return Line(page, out)
