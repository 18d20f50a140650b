"""Tables with tests across and dates down (flowsheets): a row per collection date, a column
per test, the test's name and unit only in the column header.

    Date         Glucose     Hemoglobin A1c     Sodium
                 (mg/dL)     (%)                (mmol/L)
    10/20/2013   95          7.2 H              140
    07/15/2013   101         6.8                138
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ocr.facts import catalogue, units
from ocr.facts.dates import find_dates
from ocr.facts.lines import Line, Token
from ocr.facts.values import clean_name, parse_flag, parse_value, split_token

_MAX_HEADER_LINES = 4
_HEADER_GAP = 2.4  # line heights between the centres of header lines, at most
_CELL_GAP = 1.2  # line heights between words of one header cell, at most
_NUMBER = re.compile(r"[<>=]*[\d.,:;/\-]*\d[\d.,:;/\-]*[A-Za-z]?")
_TITLE_SLACK = 1.5  # line heights a title may start left of its values
_VALUE_PAD = 0.3  # line heights by which values of one column may be out of line
_LABEL = re.compile(r"[^:\s]+:")  # "Received:", not "CREATININE:MCNC:PT:BLD:QN:"
_MAX_UNREADABLE = 3  # characters of a token taken for a value OCR garbled, at most
_SPECK = re.compile(r"[.,:;'`~_|\-—–©®°»«=+]+")


@dataclass
class Cell:
    """One value of an across table: its words, its line and the date of its row."""

    tokens: list[Token]
    line: Line
    collected: date


@dataclass
class Across:
    """A column of an across table: its name and unit, from the header, and its cells."""

    name: str
    unit: str | None
    x0: float
    x1: float
    header: list[Token] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


def find_across(lines: Sequence[Line]) -> tuple[list[Across], set[int]]:
    """The columns of every across table on `lines`, and the indexes of the lines they use
    (header and date rows), which hold no other results."""
    tables: list[Across] = []
    used: set[int] = set()
    index = 0
    while index < len(lines):
        if _date_row(lines[index]) is None:
            index += 1
            continue
        end = index
        while end + 1 < len(lines) and lines[end + 1].page == lines[index].page:
            if _date_row(lines[end + 1]) is not None:
                end += 1
            elif (
                end + 2 < len(lines)
                and _stray(lines[end + 1])
                and _date_row(lines[end + 2]) is not None
            ):
                end += 2  # a value that fell off its row onto a line of its own: not read
            else:
                break
        heads = _header_lines(lines, index)
        rows = [line for line in lines[index : end + 1] if _date_row(line) is not None]
        columns = _columns(heads, rows) if heads else None
        if columns:
            tables.extend(columns)
            used.update(range(index - len(heads), end + 1))
        index = end + 1
    return tables, used


def _stray(line: Line) -> bool:
    """Whether a line is a value or two and nothing else (OCR put them off their row)."""
    return len(line.tokens) <= 2 and all(parse_value([t.text])[0] for t in line.tokens)


def _date_row(line: Line) -> tuple[date, list[list[Token]], float] | None:
    """A line that starts with a date and holds only values (with flags) after it: the
    date, the value cells and where the date ends. Specks of dust (`:`, `©`, `-`) are
    passed over and a flag OCR stuck to its value (`123L`) is split off."""
    line = Line(line.page, [t for t in line.tokens if not _SPECK.fullmatch(t.text)])
    if not line.tokens:
        return None
    text = line.text
    dates = find_dates(text)
    if not dates or dates[0][1] != 0:
        return None
    day, _, end = dates[0]
    position, rest, date_end = 0, [], line.tokens[0].x1
    for token in line.tokens:
        if position >= end:
            rest.append(token)
        else:
            date_end = token.x1
        position += len(token.text) + 1
    rest = [t for t in rest if not re.fullmatch(r"\(?\d{1,2}:\d{2}\)?", t.text)]
    if not rest:
        return None
    cells: list[list[Token]] = []
    for token in rest:
        parts = split_token(token.text.rstrip(":;,"))
        if parse_flag(token.text) is not None and cells:
            cells[-1].append(token)
        elif parse_value(parts[:1])[0] is not None and all(parse_flag(p) for p in parts[1:]):
            cells.append([token])
        elif len(token.text) > _MAX_UNREADABLE or re.search(r"[a-z]{3}", token.text):
            return None  # a word: not a row of values
        # else a value OCR could not read (`SO`, `oO`): its column goes without
    if not cells:
        return None
    return day, cells, date_end


def _header_lines(lines: Sequence[Line], first: int) -> list[Line]:
    """The lines right above the first date row that title its columns, top to bottom."""
    heads: list[Line] = []
    below = lines[first]
    for index in range(first - 1, max(-1, first - 1 - _MAX_HEADER_LINES), -1):
        line = lines[index]
        if line.page != below.page or below.tokens[0].y - line.tokens[0].y > _HEADER_GAP * max(
            line.height, below.height
        ):
            break
        if _date_row(line) is not None or not _titles(line):
            break
        heads.insert(0, line)
        below = line
    return heads


def _titles(line: Line) -> bool:
    """Whether a line can title columns: words and bracketed units, no labelled fields
    (`Received:`), dates or loose numbers."""
    if not line.tokens or _NUMBER.fullmatch(line.tokens[0].text) or find_dates(line.text):
        return False  # values left of a row above, or a date
    for token in line.tokens:
        text = token.text
        if re.fullmatch(r"\(\S*\)|\[\S*\]?|\S*\]", text) or units.parse(text):
            continue
        if re.fullmatch(r"\d+[.,]\d+[A-Za-z]?", text) or _LABEL.fullmatch(text):
            return False  # a value (`3.1`, `4.2L`) or a field's label ("Received:")
    return True


def _columns(heads: list[Line], rows: Sequence[Line]) -> list[Across] | None:
    """The titled columns and their values. Columns are found from the values, which line
    up; each title word goes to the column whose stretch of the line it starts in (a long
    title may run on over the next column's)."""
    columns: list[Across] = []
    dates_end = 0.0
    for line in rows:
        found = _date_row(line)
        assert found is not None
        day, cells, date_end = found
        dates_end = max(dates_end, date_end)
        pad = _VALUE_PAD * line.height
        for tokens in cells:
            x0, x1 = tokens[0].x0, tokens[0].x1
            home = [c for c in columns if x0 < c.x1 + pad and x1 > c.x0 - pad]
            if len(home) > 1:
                continue  # between two columns: no column of its own
            if not home:
                columns.append(Across("", None, x0, x1))
                home = columns[-1:]
            home[0].x0, home[0].x1 = min(home[0].x0, x0), max(home[0].x1, x1)
            home[0].cells.append(Cell(tokens, line, day))
    columns.sort(key=lambda c: c.x0)
    if not columns:
        return None
    # A column's stretch starts a little before its values and runs to the next one's. A
    # run of title words goes whole to the stretch it starts in, unless a word of it starts
    # right where the next column's values do (its title, printed close).
    for line in heads:
        slack = _TITLE_SLACK * line.height
        bounds = [dates_end, *(c.x0 - slack for c in columns[1:])]
        placed: dict[int, list[Token]] = {}
        for cell in line.cells(_CELL_GAP):
            index = sum(1 for bound in bounds if cell[0].x0 >= bound) - 1
            for token in cell:
                starts = [i for i, c in enumerate(columns) if abs(token.x0 - c.x0) <= slack]
                if starts and starts[0] > index:
                    index = starts[0]
                if index < 0:
                    continue
                taken = placed.setdefault(index, [])
                if taken and token.x0 - taken[-1].x1 > _CELL_GAP * line.height:
                    # A second title in one column's stretch: that of a column whose values
                    # OCR lost. Only the title nearer the values is this column's.
                    if abs(token.x0 - columns[index].x0) < abs(taken[0].x0 - columns[index].x0):
                        taken.clear()
                    else:
                        continue
                taken.append(token)
        for index, taken in placed.items():
            columns[index].header.extend(taken)
    out = []
    for column in columns:
        words = [t.text for t in column.header]
        unit = None
        bracketed = bool(words) and re.fullmatch(r"\(\S+\)", words[-1]) is not None
        if bracketed and len(column.header) > 1 and _unit_line(heads, column.header[-1]):
            unit = _unit(words[-1]) or words[-1].strip("()")  # the units' line: as printed
            words.pop()
        elif (
            words
            and (_unit(words[-1]) is not None or re.fullmatch(r"\(\S*[/%\d]\S*\)", words[-1]))
            and not (words[-1][:1] != "(" and catalogue.lookup(clean_name(" ".join(words)), False))
        ):
            # The unit's title, bracketed: kept as printed even when OCR garbled it; a word
            # that could be a unit but ends a test's name stays ("Free Thyroxine Index").
            unit = _unit(words[-1]) or words[-1].strip("()")
            words.pop()
        column.name = clean_name(" ".join(words))
        column.unit = unit
        if column.cells and column.name and (catalogue.lookup(column.name) or unit):
            out.append(column)
    return out or None


def _unit_line(heads: list[Line], token: Token) -> bool:
    """Whether `token` is on the last title line and that line holds only bracketed words
    (the line of units under the names)."""
    last = heads[-1]
    return any(t is token for t in last.tokens) and all(
        re.fullmatch(r"\(\S*\)", t.text) for t in last.tokens
    )


def _unit(text: str) -> str | None:
    inner = text.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1]
    return inner if units.parse(inner) is not None else None
