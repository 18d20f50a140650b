"""Lab tables: find the header row, and put each word of a row under its column."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ocr.facts import units
from ocr.facts.dates import find_dates
from ocr.facts.lines import Line, Token
from ocr.facts.values import parse_flag

# Header phrases → the role of their column. "outside" is a result column that only holds
# results out of range (Quest's IN RANGE / OUT OF RANGE); "previous" and "ignore" columns
# hold values that are not this result (earlier results, performing lab, codes). A date
# printed as a column title makes a result column of that collection date.
_PHRASES: dict[str, str] = {
    "reference range": "range", "reference interval": "range", "ref range": "range",
    "normal range": "range", "reference ranges": "range", "reference values": "range",
    "normal values": "range", "expected range": "range", "standard range": "range",
    "biological reference interval": "range", "ref interval": "range", "reference": "range",
    "range": "range", "expected": "range", "normal": "range", "ref": "range",
    "limits": "range", "reference limits": "range", "normal limits": "range",
    "ref limits": "range", "desirable range": "range", "desired range": "range",
    "target range": "range", "therapeutic range": "range", "reference value": "range",
    "expected values": "range", "bio ref interval": "range", "reference intervals": "range",
    "test name": "name", "test description": "name", "lab test": "name", "test": "name",
    "tests": "name", "analyte": "name", "analytes": "name", "component": "name",
    "description": "name", "procedure": "name", "investigation": "name", "parameter": "name",
    "examination": "name", "assay": "name", "name": "name", "determination": "name",
    "analysis": "name", "analyses": "name", "test performed": "name",
    "your result": "result", "your value": "result", "result value": "result",
    "results": "result", "result": "result", "value": "result", "observed value": "result",
    "current result": "result", "in range": "result", "within range": "result",
    "current": "result", "current value": "result", "this result": "result",
    "latest result": "result", "latest": "result", "observation": "result",
    "observed": "result", "patient result": "result", "patient value": "result",
    "measured value": "result", "your results": "result", "finding": "result",
    "findings": "result", "unit of measure": "unit", "units of measure": "unit",
    "out of range": "outside", "outside range": "outside",
    "abnormal flag": "flag", "flags": "flag", "flag": "flag", "abn": "flag",
    "abnormal": "flag", "indicator": "flag", "h/l": "flag", "status": "flag",
    "interpretation": "flag", "interp": "flag", "remark": "flag", "remarks": "flag",
    "units": "unit", "unit": "unit", "uom": "unit",
    "previous result": "previous", "prior result": "previous", "previous": "previous",
    "prior": "previous", "last result": "previous", "previous value": "previous",
    "prior value": "previous", "lab": "ignore", "site": "ignore", "performing lab": "ignore",
    "comments": "ignore", "comment": "ignore", "method": "ignore", "specimen": "ignore",
    "loinc": "ignore", "code": "ignore", "notes": "ignore",
    "date collected": "date", "collection date": "date", "collected": "date", "date": "date",
    "item": "name", "items": "name", "test item": "name", "examination item": "name",
    # The group a test is printed under, and a checkup's grade of it ("A: no abnormality",
    # "C: re-examination recommended"): neither is part of the name nor a flag.
    "category": "ignore", "section": "ignore", "department": "ignore", "dept": "ignore",
    "judgment": "ignore", "judgement": "ignore", "judg": "ignore", "grade": "ignore",
    # Lab reports from abroad (German, Spanish, French, Italian, Portuguese, Dutch).
    "untersuchung": "name", "analyt": "name", "ergebnis": "result", "messwert": "result",
    "wert": "result", "einheit": "unit", "referenzbereich": "range", "normbereich": "range",
    "referenzwerte": "range", "referenzwert": "range", "vorwert": "previous",
    "estudio": "name", "prueba": "name", "examen": "name", "determinación": "name",
    "análisis": "name", "resultado": "result", "resultados": "result", "unidades": "unit",
    "unidad": "unit", "valores de referencia": "range", "valor de referencia": "range",
    "intervalo de referencia": "range", "rango de referencia": "range",
    "valores normales": "range", "rango": "range", "analyse": "name", "résultat": "result",
    "résultats": "result", "unité": "unit", "unités": "unit", "valeurs de référence": "range",
    "valeurs normales": "range", "antériorité": "previous", "antériorités": "previous",
    "esame": "name", "risultato": "result", "unità": "unit", "valori di riferimento": "range",
    "intervallo di riferimento": "range", "exame": "name", "unidade": "unit",
    "valores de referência": "range", "bepaling": "name", "uitslag": "result",
    "eenheid": "unit", "referentiewaarden": "range", "referentiewaarde": "range",
}  # fmt: skip
_LONGEST = max(len(p.split()) for p in _PHRASES)
_MIN_MATCHED = 0.7
_PAD = 0.3  # line heights a column reaches beyond its header words


@dataclass(frozen=True)
class Column:
    """A column of a lab table: its role and the span of its header (levelled points), and
    for a result column headed by a date, that collection date."""

    role: str
    x0: float
    x1: float
    collected: date | None = None


@dataclass(frozen=True)
class Header:
    """A table's columns, left to right, and the header line's text; `delimited` when its
    cells are set apart by a separator ("TEST | RESULT | UNITS"), not by where they stand."""

    columns: tuple[Column, ...]
    text: str
    delimited: bool = False


def find_header(line: Line) -> Header | None:
    """The table header `line` is, if it names a result column and at least one other; dates
    in it head result columns of their own (a cumulative table)."""
    delimited = _delimited_header(line)
    if delimited is not None:
        return delimited
    dated = _dates(line)
    if dated is None:
        return None
    dates, others = dated
    spans = _words(Line(line.page, others)) if others else []
    words = [w for w, _, _ in spans]
    if not words or any(any(c.isdigit() for c in w) for w in words):
        return None
    columns: list[Column] = [Column("result", t[0].x0, t[-1].x1, day) for day, t in dates]
    matched, index = 0, 0
    unmatched: list[int] = []
    while index < len(words):
        for size in range(min(_LONGEST, len(words) - index), 0, -1):
            role = _PHRASES.get(" ".join(words[index : index + size]))
            if role is not None:
                columns.append(Column(role, spans[index][1], spans[index + size - 1][2]))
                matched += size
                index += size
                break
        else:
            unmatched.append(index)
            index += 1
    roles = {c.role for c in columns}
    if not roles & {"result", "outside"} or len(roles - {"ignore", "date", "previous"}) < 2:
        return None
    if matched < _MIN_MATCHED * len(words):
        return None
    titled = sorted((c for c in columns if c.collected is None), key=lambda c: c.x0)
    if len(titled) == 2 and titled[1].x0 - titled[0].x1 < 1.5 * line.height:
        return None  # "‹ Test Results": a page's title, not the titles of two columns
    if "name" not in roles:
        results = min(c.x0 for c in columns if c.role in ("result", "outside"))
        garbled = [
            spans[i]
            for i in unmatched
            if spans[i][2] < results
            and all(c.role == "ignore" for c in columns if c.x0 < spans[i][1])
            and any(c.role == "ignore" for c in columns if c.x0 < spans[i][1])
        ]
        if garbled:
            # "Category  tem.  Result …": the name's title OCR garbled ("Item"), after a
            # column of groups: the names sit under it, not left of the first column.
            columns.append(Column("name", garbled[0][1], garbled[0][2]))
        else:
            # Unlabelled first column: test names sit left of the first labelled column.
            first = min(c.x0 for c in columns)
            columns.insert(0, Column("name", -1e9, first - line.height))
    ordered = sorted(columns, key=lambda c: c.x0)
    for index in range(1, len(ordered)):
        if ordered[index].role == "date" and ordered[index - 1].role == "previous":
            # PREVIOUS | DATE: the date of the previous result, not of this one.
            ordered[index] = replace(ordered[index], role="previous")
    return Header(tuple(ordered), line.text)


def _dates(line: Line) -> tuple[list[tuple[date, list[Token]]], list[Token]] | None:
    """The dates on a line with the tokens of each, and its other tokens (times of day
    dropped); None when a token holds a date and more."""
    text, offsets, position = line.text, [], 0
    for token in line.tokens:
        offsets.append((position, position + len(token.text)))
        position += len(token.text) + 1
    dates, used = [], set()
    for day, start, end in find_dates(text):
        covering = [i for i, (a, b) in enumerate(offsets) if a < end and b > start]
        if any(offsets[i][0] < start or offsets[i][1] > end + 1 for i in covering):
            return None
        dates.append((day, [line.tokens[i] for i in covering]))
        used.update(covering)
    others = [t for i, t in enumerate(line.tokens) if i not in used and not _TIME.fullmatch(t.text)]
    return dates, others


_TIME = re.compile(r"\(?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?\)?", re.IGNORECASE)


def dated_by(header: Header, line: Line) -> Header | None:
    """The header with the dates of `line` printed under its result columns, when the line
    holds only dates (and times): "Current | Prior" over "10/20/2013 | 04/02/2013"."""
    found = _dates(line)
    if not found or not found[0] or found[1]:
        return None
    columns = list(header.columns)
    pad = line.height
    for day, tokens in found[0]:
        x0, x1 = tokens[0].x0, tokens[-1].x1
        under = [
            i for i, c in enumerate(columns)
            if c.role in ("result", "outside", "previous") and c.x0 - pad < x1 and c.x1 + pad > x0
        ]  # fmt: skip
        if len(under) != 1:
            return None
        index = under[0]
        if columns[index].role != "previous":
            columns[index] = replace(columns[index], collected=day)
    return Header(tuple(columns), f"{header.text}\n{line.text}")


def _words(line: Line) -> list[tuple[str, float, float]]:
    """The line's words in lower case with their spans; OCR's `REFERENCE.RANGE` is two."""
    words = []
    for token in line.tokens:
        # "/" alone joins a title's two languages ("Result / Résultat"): no word of its own
        parts = [p for p in re.split(r"[^\w/]+", token.text.lower()) if p.strip("/")]
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
                near = min(placed, key=lambda pair: pair[0])[1]
                chosen[id(token)] = _name_tail(token, near, columns, pad) or near
            else:
                near = min(columns, key=lambda c: _distance(token, c))
                chosen[id(token)] = _name_tail(token, near, columns, pad) or near
    for cell in line.cells():
        # A name runs on in its cell past the name column ("Hemoglobin A1c" in a tight
        # table); a number there is a value that sits close to it.
        if chosen[id(cell[0])].role == "name":
            for token in cell[1:]:
                if chosen[id(token)].role == "unit" and units.parse(token.text) is not None:
                    continue  # a unit under UNITS, printed close after a long name
                if re.match(r"[<>=]*\d", token.text):
                    break  # the value: a unit after it is no part of the name ("91 mg/dL")
                chosen[id(token)] = chosen[id(cell[0])]
    parts: dict[str, list[Token]] = {}
    for token in line.tokens:
        parts.setdefault(_part(chosen[id(token)]), []).append(token)
    unit = parts.get("unit", [])
    if (
        "result" in {c.role for c in columns}
        and not parts.get("result")
        and len(unit) > 1
        and re.fullmatch(r"[<>]?\d[\d.,]*", unit[0].text)
        and any(units.parse(t.text) for t in unit[1:])
    ):
        # "16 = g/dl" set close together right of the result column: the value is the
        # result, not part of the unit
        parts["result"], parts["unit"] = unit[:1], unit[1:]
    return parts


def _name_tail(
    token: Token, near: Column, columns: tuple[Column, ...], pad: float
) -> Column | None:
    """The name column, for a word of a name that ran on to just left of the result column
    ("CARBON DIOXIDE, TOTAL [MOLES/VOLU 26"): a word, no flag, and wholly left of the
    result column it sits next to, under no column of its own."""
    text = token.text
    if near.role not in ("result", "outside") or token.x1 >= near.x0 - pad:
        return None
    if any(c.isdigit() for c in text) or sum(c.isalpha() for c in text) < 3 or parse_flag(text):
        return None
    left = [c for c in columns if c.x0 <= token.x0]  # the columns are left to right
    return left[-1] if left and left[-1].role == "name" else None


def _part(column: Column) -> str:
    """The key of a column's tokens in `assign`: its role, or `result@<date>` for a result
    column of its own date."""
    if column.collected is not None and column.role in ("result", "outside"):
        return f"result@{column.collected.isoformat()}"
    return column.role


def _distance(token: Token, column: Column) -> float:
    if token.x1 < column.x0:
        return column.x0 - token.x1
    if token.x0 > column.x1:
        return token.x0 - column.x1
    return 0.0


def spans_columns(line: Line, header: Header) -> bool:
    """Whether one run of closely spaced words crosses three columns (prose, not a row). A
    run of numbers, units and remarks in brackets is a cell printed across two columns
    ("4.3 - 10.8 x10E3/uL" under "Ref Range & Units", "<130 mg/dL (calc)"), not prose."""
    for cell in line.cells():
        if len(cell) < 4 or sum(1 for token in cell if _wordy(token.text)) < 2:
            continue
        x0, x1 = cell[0].x0, cell[-1].x1
        crossed = [c for c in header.columns if c.x0 < x1 and c.x1 > x0 and c.role != "name"]
        if len(crossed) >= 2:
            return True
    return False


def _wordy(text: str) -> bool:
    """Whether a token is a word of prose: two letters or more, neither a unit nor a remark
    in brackets."""
    if sum(c.isalpha() for c in text) < 2 or re.fullmatch(r"[(\[].*[)\]]", text):
        return False
    return units.parse(text.strip(",;:")) is None


_SEPARATORS = frozenset({"|", "¦", ";"})
_CELL = 100.0  # the width of a cell of a delimited table once its cells are set in place


def _split(line: Line) -> list[list[Token]] | None:
    """The cells of a line whose cells a separator sets apart ("HGB | 13.2 | g/dl | | N"),
    empty ones included; None for a line of fewer than three separators."""
    cells: list[list[Token]] = [[]]
    for token in line.tokens:
        if token.text in _SEPARATORS:
            cells.append([])
        else:
            cells[-1].append(token)
    if len(cells) < 4:
        return None
    if not cells[0]:
        cells = cells[1:]  # "| HGB | 13.2 |": a separator opens the line
    if cells and not cells[-1]:
        cells = cells[:-1]  # and closes it
    return cells


def _delimited_header(line: Line) -> Header | None:
    """A header whose titles a separator sets apart: every cell a title we know, one of them
    the result's."""
    cells = _split(line)
    if cells is None or not all(cells):
        return None
    roles = [_PHRASES.get(" ".join(w for w, _, _ in _words(Line(line.page, c)))) for c in cells]
    if None in roles or "result" not in roles or "name" not in roles:
        return None
    columns = tuple(
        Column(role or "ignore", index * _CELL, index * _CELL + _CELL / 2)
        for index, role in enumerate(roles)
    )
    return Header(columns, line.text, delimited=True)


def realign(line: Line, header: Header) -> Line | None:
    """A row of a delimited table with each cell's words set under its column, as a printed
    table stands; None when the row has not the header's number of cells."""
    cells = _split(line)
    if cells is None or len(cells) != len(header.columns):
        return None
    tokens = []
    for index, cell in enumerate(cells):
        step = _CELL / 2 / max(1, len(cell))
        for at, token in enumerate(cell):
            x0 = index * _CELL + at * step
            tokens.append(replace(token, x0=x0, x1=x0 + step * 0.9))
    return Line(line.page, tokens) if tokens else None
