"""Rebuild printed lines from word boxes, levelling skewed scans first.

OCR and PDF text give words with boxes on the page as it is, so on a scan tilted by 1–2°
one table row drifts by more than a line height across the page; rows and columns are
found in levelled coordinates (a shear by the median slope between neighbouring words),
while citations keep the words' own boxes.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ocr.facts import units
from ocr.facts.model import Box, Citation
from ocr.facts.values import parse_flag
from ocr.model import Word

_CHAR_WIDTH = 0.6  # width of one character of plain text, in line heights
_MIN_PAIRS = 8


class PageLike(Protocol):
    """What extraction needs of a page (`ocr.model.PageReading` has it)."""

    number: int
    width_pt: float
    height_pt: float
    text: str
    words: list[Word]


@dataclass(frozen=True)
class Token:
    """A word in levelled page coordinates (points), with the word it came from."""

    text: str
    x0: float
    x1: float
    y: float  # centre
    height: float
    word: Word | None


@dataclass
class Line:
    """One printed line: its tokens left to right."""

    page: int
    tokens: list[Token]

    @property
    def text(self) -> str:
        """The line's words joined by single spaces."""
        return " ".join(t.text for t in self.tokens)

    @property
    def height(self) -> float:
        """The median height of the line's words."""
        return statistics.median(t.height for t in self.tokens)

    def cells(self, gap: float = 1.0) -> list[list[Token]]:
        """Runs of tokens separated by gaps wider than `gap` line heights."""
        cells: list[list[Token]] = []
        limit = gap * self.height
        for token in self.tokens:
            if cells and token.x0 - cells[-1][-1].x1 <= limit:
                cells[-1].append(token)
            else:
                cells.append([token])
        return cells


def page_lines(page: PageLike) -> list[Line]:
    """The page's lines top to bottom, from its word boxes (or its text when it has none)."""
    words = [w for w in page.words if w.text.strip()]
    if not words:
        return text_lines(page.text, page.number)
    width, height = page.width_pt or 612.0, page.height_pt or 792.0
    slope = _skew(words, width, height)
    tokens = []
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2 * width, (word.y0 + word.y1) / 2 * height
        shift = slope * cy  # shear: a point's x moves with its height on the page
        tokens.append(
            Token(
                word.text,
                word.x0 * width + shift,
                word.x1 * width + shift,
                cy - slope * cx,
                max(0.1, (word.y1 - word.y0) * height),
                word,
            )
        )
    return apart(_group(tokens, page.number))


def text_lines(text: str, page: int = 1) -> list[Line]:
    """Lines of plain text, with character positions standing in for word boxes."""
    lines = []
    for row, raw in enumerate(text.splitlines()):
        tokens = [
            Token(m.group(), m.start() * _CHAR_WIDTH, m.end() * _CHAR_WIDTH, row * 2.0, 1.0, None)
            for m in re.finditer(r"\S+", raw.expandtabs(8))
        ]
        if tokens:
            lines.append(Line(page, tokens))
    return lines


def _skew(words: Sequence[Word], width: float, height: float) -> float:
    """The median slope (dy/dx, in points) between horizontally neighbouring words."""
    boxes = sorted(
        ((w.x0 * width, w.x1 * width, (w.y0 + w.y1) / 2 * height, (w.y1 - w.y0) * height)
         for w in words),
        key=lambda b: b[0],
    )  # fmt: skip
    slopes = []
    for index, (_, x1, cy, h) in enumerate(boxes):
        for other in boxes[index + 1 :]:
            if other[0] - x1 > 3 * h:
                break
            if other[0] >= x1 - 0.1 * h and abs(other[2] - cy) < 0.6 * h:
                centre_gap = (other[0] + other[1]) / 2 - (boxes[index][0] + x1) / 2
                if centre_gap > 0:
                    slopes.append((other[2] - cy) / centre_gap)
                break
    return statistics.median(slopes) if len(slopes) >= _MIN_PAIRS else 0.0


def _group(tokens: list[Token], page: int) -> list[Line]:
    """Chain tokens whose levelled centres lie within half a line height into lines."""
    if not tokens:
        return []
    typical = statistics.median(t.height for t in tokens)
    ordered = sorted(tokens, key=lambda t: t.y)
    groups: list[list[Token]] = [[ordered[0]]]
    centre = ordered[0].y
    for token in ordered[1:]:
        if abs(token.y - centre) <= 0.5 * typical:
            groups[-1].append(token)
            centre += (token.y - centre) / len(groups[-1])
        else:
            groups.append([token])
            centre = token.y
    return [Line(page, sorted(g, key=lambda t: t.x0)) for g in groups]


def apart(lines: list[Line]) -> list[Line]:
    """Lines of a page printed in two columns (panels side by side) cut at the gutter
    between them and read column by column: each run of lines that share the gutter gives
    its left halves, then its right halves. Lines that cross the gutter (titles) stay whole."""
    gutter = _gutter(lines)
    if gutter is None:
        return lines
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for line in lines:
        if any(t.x0 < gutter < t.x1 for t in line.tokens):
            out.extend(left + right)
            left, right = [], []
            out.append(line)
            continue
        before = [t for t in line.tokens if t.x1 <= gutter]
        after = [t for t in line.tokens if t.x0 >= gutter]
        if before:
            left.append(Line(line.page, before))
        if after:
            right.append(Line(line.page, after))
    return out + left + right


_GUTTER = 2.0  # line heights of blank a gutter is wide, at least
_GUTTER_ROWS = 6  # lines with a result row on each side of the gutter, at least


def _gutter(lines: list[Line]) -> float | None:
    """The x of a gutter between two columns of result rows, if the page has one: a blank
    band that many lines hold a whole row (a name, then a number) on each side of."""
    if len(lines) < _GUTTER_ROWS:
        return None
    best: tuple[int, float] | None = None
    candidates = {
        round((a.x1 + b.x0) / 2)
        for line in lines
        for a, b in zip(line.tokens, line.tokens[1:], strict=False)
        if b.x0 - a.x1 >= _GUTTER * line.height
    }
    for x in sorted(candidates):
        crossing = rows = 0
        for line in lines:
            if any(t.x0 - line.height < x < t.x1 + line.height for t in line.tokens):
                crossing += 1
                continue
            before = [t for t in line.tokens if t.x1 <= x]
            after = [t for t in line.tokens if t.x0 >= x]
            rows += _row_like(before) and _row_like(after)
        if rows >= _GUTTER_ROWS and crossing <= rows and (best is None or rows > best[0]):
            best = (rows, float(x))
    return best[1] if best else None


def _row_like(tokens: list[Token]) -> bool:
    """Whether tokens read as a result row: a name first (a word, not a unit or a flag, as
    starts the unit-and-range part of a single table's row), a number after it."""
    if len(tokens) < 2 or not re.match(r"[^\W\d_]{2}", tokens[0].text):
        return False
    first = tokens[0].text
    if units.parse(first) is not None or parse_flag(first) is not None:
        return False
    if re.match(r"(?:range|ref\b|ref\.|reference|normal|units?:|flags?:)", first, re.IGNORECASE):
        # "Range 22-31 mmol/L": the range under a result, not a row of its own; "Units: mg/dL
        # Range: 70-99": the fields after a labelled value ("Value: 95"), no row either
        return False
    return any(re.match(r"[<>]?\d", t.text) for t in tokens[1:])


def union(tokens: Iterable[Token]) -> Box | None:
    """The box around the words of `tokens` (as page fractions), if they have boxes."""
    words = [t.word for t in tokens if t.word is not None]
    if not words:
        return None
    return (
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )


def cite(lines: Sequence[Line], tokens: Iterable[Token] | None = None) -> Citation:
    """A citation of `lines`: one union box per line (only of `tokens`, when given)."""
    chosen = set(map(id, tokens)) if tokens is not None else None
    boxes = []
    for line in lines:
        box = union(t for t in line.tokens if chosen is None or id(t) in chosen)
        if box is None and chosen is not None:
            box = union(line.tokens)
        if box is not None:
            boxes.append(box)
    page = lines[0].page if lines else None
    return Citation(page, tuple(boxes), "\n".join(line.text for line in lines))
