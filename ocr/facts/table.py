"""Lab tables: find the header row, and put each word of a row under its column."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr.facts.lines import Line, Token

# Header phrases → the role of their column. "outside" is a result column that only holds
# results out of range (Quest's IN RANGE / OUT OF RANGE); "ignore" columns hold values
# that are not this result (previous results, performing lab, codes).
_PHRASES: dict[str, str] = {
    "reference range": "range", "reference interval": "range", "ref range": "range",
    "normal range": "range", "reference ranges": "range", "reference values": "range",
    "normal values": "range", "expected range": "range", "standard range": "range",
    "biological reference interval": "range", "ref interval": "range", "reference": "range",
    "range": "range", "expected": "range", "normal": "range", "ref": "range",
    "test name": "name", "test description": "name", "lab test": "name", "test": "name",
    "tests": "name", "analyte": "name", "analytes": "name", "component": "name",
    "description": "name", "procedure": "name", "investigation": "name", "parameter": "name",
    "examination": "name", "assay": "name", "name": "name", "determination": "name",
    "your result": "result", "your value": "result", "result value": "result",
    "results": "result", "result": "result", "value": "result", "observed value": "result",
    "current result": "result", "in range": "result", "within range": "result",
    "out of range": "outside", "outside range": "outside",
    "abnormal flag": "flag", "flags": "flag", "flag": "flag", "abn": "flag",
    "abnormal": "flag", "indicator": "flag", "h/l": "flag", "status": "flag",
    "interpretation": "flag", "interp": "flag",
    "units": "unit", "unit": "unit", "uom": "unit",
    "previous result": "ignore", "prior result": "ignore", "previous": "ignore",
    "prior": "ignore", "lab": "ignore", "site": "ignore", "performing lab": "ignore",
    "comments": "ignore", "comment": "ignore", "method": "ignore", "specimen": "ignore",
    "loinc": "ignore", "code": "ignore", "notes": "ignore",
    "date collected": "date", "collection date": "date", "collected": "date", "date": "date",
}  # fmt: skip
_LONGEST = max(len(p.split()) for p in _PHRASES)
_MIN_MATCHED = 0.7
_PAD = 0.3  # line heights a column reaches beyond its header words


@dataclass(frozen=True)
class Column:
    """A column of a lab table: its role and the span of its header (levelled points)."""

    role: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Header:
    """A table's columns, left to right, and the header line's text."""

    columns: tuple[Column, ...]
    text: str


def find_header(line: Line) -> Header | None:
    """The table header `line` is, if it names a result column and at least one other."""
    spans = _words(line)
    words = [w for w, _, _ in spans]
    if not words or any(any(c.isdigit() for c in w) for w in words):
        return None
    columns: list[Column] = []
    matched, index = 0, 0
    while index < len(words):
        for size in range(min(_LONGEST, len(words) - index), 0, -1):
            role = _PHRASES.get(" ".join(words[index : index + size]))
            if role is not None:
                columns.append(Column(role, spans[index][1], spans[index + size - 1][2]))
                matched += size
                index += size
                break
        else:
            index += 1
    roles = {c.role for c in columns}
    if not roles & {"result", "outside"} or len(roles - {"ignore", "date"}) < 2:
        return None
    if matched < _MIN_MATCHED * len(words):
        return None
    if "name" not in roles:
        # Unlabelled first column: test names sit left of the first labelled column.
        first = min(c.x0 for c in columns)
        columns.insert(0, Column("name", -1e9, first - line.height))
    return Header(tuple(sorted(columns, key=lambda c: c.x0)), line.text)


def _words(line: Line) -> list[tuple[str, float, float]]:
    """The line's words in lower case with their spans; OCR's `REFERENCE.RANGE` is two."""
    words = []
    for token in line.tokens:
        parts = [p for p in re.split(r"[^\w/]+", token.text.lower()) if p]
        width = (token.x1 - token.x0) / max(1, len(token.text))
        position = 0
        for part in parts:
            start = token.text.lower().find(part, position)
            words.append((part, token.x0 + start * width, token.x0 + (start + len(part)) * width))
            position = start + len(part)
    return words


def assign(line: Line, header: Header) -> dict[str, list[Token]]:
    """The row's tokens by column role: by overlap with a header, then by cell, then nearest."""
    columns = header.columns
    pad = _PAD * line.height
    chosen: dict[int, Column] = {}
    for token in line.tokens:
        best, best_overlap = None, 0.0
        for column in columns:
            overlap = min(token.x1, column.x1 + pad) - max(token.x0, column.x0 - pad)
            if overlap > best_overlap:
                best, best_overlap = column, overlap
        if best is not None:
            chosen[id(token)] = best
    for cell in line.cells():
        for position, token in enumerate(cell):
            if id(token) in chosen:
                continue
            # A word between header spans belongs with its neighbours in the same cell.
            placed = [
                (abs(position - p), chosen[id(t)]) for p, t in enumerate(cell) if id(t) in chosen
            ]
            if placed:
                chosen[id(token)] = min(placed, key=lambda pair: pair[0])[1]
            else:
                chosen[id(token)] = min(columns, key=lambda c: _distance(token, c))
    for cell in line.cells():
        # A name runs on in its cell past the name column ("Hemoglobin A1c" in a tight
        # table); a number there is a value that sits close to it.
        if chosen[id(cell[0])].role == "name":
            for token in cell[1:]:
                if not re.match(r"[<>=]*\d", token.text):
                    chosen[id(token)] = chosen[id(cell[0])]
    parts: dict[str, list[Token]] = {}
    for token in line.tokens:
        parts.setdefault(chosen[id(token)].role, []).append(token)
    return parts


def _distance(token: Token, column: Column) -> float:
    if token.x1 < column.x0:
        return column.x0 - token.x1
    if token.x0 > column.x1:
        return token.x0 - column.x1
    return 0.0


def spans_columns(line: Line, header: Header) -> bool:
    """Whether one run of closely spaced words crosses three columns (prose, not a row)."""
    for cell in line.cells():
        if len(cell) < 4:
            continue
        x0, x1 = cell[0].x0, cell[-1].x1
        crossed = [c for c in header.columns if c.x0 < x1 and c.x1 > x0 and c.role != "name"]
        if len(crossed) >= 2:
            return True
    return False
