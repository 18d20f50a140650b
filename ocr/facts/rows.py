"""One result row read from its words: by table column, or by the shape of the words."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ocr.facts import catalogue, units
from ocr.facts.analyte import Analyte
from ocr.facts.dates import find_dates
from ocr.facts.lines import Line, Token
from ocr.facts.model import ReferenceRange, ResultValue
from ocr.facts.table import Header, assign, realign, spans_columns
from ocr.facts.values import (
    TEXT_RESULTS,
    clean_name,
    is_identifier_label,
    is_leader,
    is_leader_tail,
    is_leaderish,
    is_sex_marker,
    leader_start,
    parse_flag,
    parse_range,
    parse_value,
    split_marked,
    split_token,
)  # fmt: skip

_MAX_NAME_TOKENS = 7
_UNIT_LIKE = re.compile(
    r"(?!(?:to|and|or|adult|adults|normal|high|low|neg|pos)$)[A-Za-zµ%][\w/%*^.\[\]]{0,11}", re.I
)
_RANGE_UNIT = re.compile(
    r"(?P<range>[<>=]*\d[\d.,]*(?:\s*[-–]\s*\d[\d.,]*)?)-?(?P<unit>%+|[a-zA-Zµ/][\w/^*.]*)"
)
_UNIT_SPECK = re.compile(r"[.,:;'`~_|\-—–©®°»«=+]+")
_SPECKS = re.compile(r"[.,:;'`~_|]+")  # punctuation alone is dust on the scan, not a word
_SPECK = re.compile(r"[a-z.,:;'`~\-]{1,4}|0\d[\d.]*|\S*\.\.\S*")
# Units that are also everyday words or measures ("seen 3 times in 2020"): not enough alone.
_MAX_TAIL = 12
# Words a reference range is written with: numbers, bounds, sex labels, brackets.
_RANGE_WORD = re.compile(
    r"[(\[]?(?:[<>≤≥=]*[+-]?\.?\d[\d.,:]*(?:\s*[-–]\s*[\d.,]+)?%?|[-–]|to|and|or|à|bis|[mf]:?|males?:?"
    r"|females?:?|men:?|women:?|normal:?|ref:?|adults?:?)[)\].,;:]?",
    re.IGNORECASE,
)
_PROSE_DIMENSIONS = {"length", "body mass", "time", "rate", "temperature", "ratio", "index"}


@dataclass
class Row:
    """One result as read from a line, before it is checked against the catalogue."""

    name: str
    value: ResultValue
    lines: list[Line]
    tokens: list[Token]
    unit: str | None = None
    flag_text: str | None = None
    reference: ReferenceRange | None = None
    collected: date | None = None
    outside: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class _Piece:
    """A token, or part of one that OCR merged, and the token it came from."""

    text: str
    token: Token
    note: str | None = None  # what was repaired, for the result's notes


def table_row(line: Line, header: Header) -> list[Row] | None:
    """The results on a table row, read column by column (one a dated result column, in a
    cumulative table); None when the row has no value."""
    if header.delimited:
        realigned = realign(line, header)
        if realigned is None:
            return None
        line = realigned
    elif spans_columns(line, header):
        return None
    parts = assign(line, header)
    name_tokens = [t for t in parts.get("name", []) if not is_leader(t.text)]
    marks: list[Token] = []
    while len(name_tokens) > 1 and _FLAG_MARK.fullmatch(name_tokens[-1].text):
        # "PLT *L 123 10+3/ul": the flag printed before the value, at the end of the name cell
        marks.insert(0, name_tokens.pop())
    dated = [key for key in parts if key.startswith("result@")]
    cells: list[tuple[list[Token], date | None]]
    if not dated:
        cells = [(parts.get("result", []) + parts.get("outside", []), None)]
    else:
        cells = [(parts[key], date.fromisoformat(key.split("@")[1])) for key in dated]
    rows = []
    for tokens, collected in cells:
        row = _table_cell(line, parts, name_tokens, tokens, single=len(cells) == 1)
        if row is not None:
            row.collected = collected or row.collected
            if marks and not row.flag_text:
                row.flag_text = " ".join(t.text for t in marks).strip("*() ")
                row.tokens = [*row.tokens, *marks]
            rows.append(row)
    return rows or None


def _table_cell(
    line: Line,
    parts: dict[str, list[Token]],
    name_tokens: list[Token],
    result_tokens: list[Token],
    single: bool,
) -> Row | None:
    """The result in one result cell of a row, with the row's name, unit and range."""
    pieces = _pieces(result_tokens)
    lead: list[_Piece] = []
    while len(pieces) > 1 and _FLAG_MARK.fullmatch(pieces[0].text):
        lead.append(pieces.pop(0))  # "*L 123 10+3/ul": the flag printed before the value
    value, used = parse_value([p.text for p in pieces])
    # In a row of dated cells a dash between two values is an empty date's mark ("50 - 45"),
    # not a range: only the cell's own words can make its value part of one.
    within = line if single else Line(line.page, result_tokens)
    if value is None or _is_range(within, pieces[used - 1].token, value):
        return None
    outside = bool(parts.get("outside"))
    row = Row(clean_name(" ".join(t.text for t in name_tokens)), value, [line], [], outside=outside)
    if is_identifier_label(row.name) or find_dates(" ".join(p.text for p in pieces)):
        return None
    shared = ("unit", "range", "date", "flag") if single else ("unit", "range", "date")
    row.tokens = name_tokens + result_tokens + [t for role in shared for t in parts.get(role, [])]
    rest = pieces[used:]
    _read_tail(row, rest + (_pieces(parts.get("flag", [])) if single else []))
    if lead and not row.flag_text:
        row.flag_text = " ".join(p.text for p in lead).strip("*() ")
    unit_tokens = [t for t in parts.get("unit", []) if not _UNIT_SPECK.fullmatch(t.text)]
    range_tokens = parts.get("range", [])
    if (
        len(unit_tokens) > 1
        and _column_unit(unit_tokens[-1].text)
        and any(_STRAYED_RANGE.search(t.text) for t in unit_tokens[:-1])
    ):
        # "0.29-5.11 IU/ml m[IU]/L" under UNITS: the range (with its own unit) strayed in;
        # the column's unit is its last word.
        range_tokens = [*range_tokens, *unit_tokens[:-1]]
        unit_tokens = unit_tokens[-1:]
    unit_text = _unit_text(unit_tokens) if unit_tokens else None
    glued = re.fullmatch(r"(\S+?)\(([^)]*\d[^)]*)\)?", unit_text or "")
    if glued and units.parse(glued[1]) and not units.parse(unit_text):
        unit_text = glued[1]  # "THOUS/MCL(140-400)": the range printed on against the unit
        range_tokens = [*range_tokens, Token(glued[2], 0.0, 0.0, 0.0, 1.0, None)]
    garbled = None
    fixed = _cell_unit(row, unit_text, range_tokens)
    if unit_text and units.parse(unit_text):
        row.unit = unit_text
    elif unit_text and fixed is not None:
        row.unit = fixed  # "x1OE3uL" under UNITS: a unit one OCR slip from the test's
        row.notes.append(f"unit read as {unit_text}; taken as {fixed}, a unit of the test "
                         "one OCR slip from it")  # fmt: skip
    elif unit_text and not any(c.isdigit() for c in unit_text):
        garbled = unit_text  # kept as printed unless the range cell names the unit
    else:
        range_tokens = unit_tokens + range_tokens  # a range that strayed under UNITS
    if range_tokens:
        _read_range(row, range_tokens)
    if row.unit is None:
        row.unit = garbled
    for token in parts.get("date", []):
        dates = find_dates(token.text)
        if dates:
            row.collected = dates[0][0]
    return row


# A flag printed as a mark of its own: "*L", "*HH", "H*", "(H)".
_FLAG_MARK = re.compile(r"\*(?:[HLA]|HH|LL)|(?:[HLA]|HH|LL)\*|\((?:[HLA]|HH|LL)\)")
_STRAYED_RANGE = re.compile(r"\d\s*[-–]\s*\d|^[<>≤≥]=?\d")


def _column_unit(text: str) -> bool:
    return units.parse(text) is not None and not any(c.isdigit() for c in text.split("/")[-1])


def _cell_unit(row: Row, unit_text: str | None, range_tokens: list[Token]) -> str | None:
    """The unit of the row's test a garbled unit cell is one OCR slip from, if any (the unit
    printed in the range cell settling between two)."""
    if not unit_text or units.parse(unit_text) is not None:
        return None
    candidates = catalogue.lookup(row.name)
    hints = [t.text.strip("()[]") for t in range_tokens]
    hint = next((h for h in hints if units.parse(h) is not None), None)
    return _garbled_unit(unit_text, candidates, hint) if candidates else None


_NAME_LABEL = re.compile(
    r"(?:test|analyte|component|parameter|investigation):[.,]?", re.IGNORECASE
)  # a speck OCR read after the colon too ("Test:.")


def free_rows(line: Line, require_known: bool = False) -> list[Row]:
    """Results on a line without table columns: name, value, then flag, unit and range."""
    pieces = _without_leaders(_pieces(line.tokens))
    dotted = any(is_leader(t.text) for t in line.tokens)
    texts = [p.text for p in pieces]
    leaders = [is_leaderish(t) for t in texts]
    rows: list[Row] = []
    # "Test: Sodium  Value: 140 ...": the label of the name's field opens the line.
    first = 1 if len(texts) > 2 and _NAME_LABEL.fullmatch(texts[0]) else 0
    start = last_end = first
    while start < len(pieces):
        known = require_known or bool(rows) or start > first
        row, end = _free_row(
            line, pieces, texts, leaders, start, known, start == first, dotted and not rows
        )
        if row is None:
            start += 1  # "Labs: WBC 12.3, …": results may follow a label
            continue
        skipped = start - (last_end if rows else first)
        if start > first and _inside_name(texts[start - 1]) and (not rows or skipped >= 2):
            # "Creatine, Whole Blood 1 mg/dL": "Blood" here is not a test (nor after an entry
            # before it: "HGB 14.5 g/dl; Creatine, Whole Blood 1 mg/dL")
            start += 1
            continue
        rows.append(row)
        start = last_end = end
    return rows


def _is_range(line: Line, token: Token, value: ResultValue) -> bool:
    """Whether what was read as a value is the start of a reference range, the value itself
    being lost: `42.9 - 49.1`, or `>=40` after the unit (`... mg/dL >=40 mg/dL`)."""
    index = next((i for i, t in enumerate(line.tokens) if t is token), None)
    if index is None:
        return False
    after = [t.text for t in line.tokens[index + 1 : index + 3]]
    if len(after) == 2 and after[0] in ("-", "–", "to") and parse_value(after[1:])[0]:
        return True
    before = line.tokens[:index]
    ahead = [t.text for t in before[-2:]]
    if len(ahead) == 2 and ahead[1] in ("-", "–", "to") and parse_value(ahead[:1])[0]:
        return True  # the upper end of a range
    return bool(value.comparator) and any(units.parse(t.text) for t in before[-3:])


def _inside_name(before: str) -> bool:
    """Whether the word before a known test name makes it part of a longer name: a word in
    title case not ending a label or clause ("Whole" in "Whole Blood"; not a test code in
    capitals, as LIS printouts put before the name)."""
    return bool(re.fullmatch(r"[A-Z][a-z][a-z\-]*", before)) and before.lower() not in _OPENERS


_OPENERS = frozenset({
    "labs", "lab", "results", "result", "and", "the", "with", "her", "his", "their",
    # Verbs a sentence reports results with ("Showed white count 6200, hematocrit 44.7").
    "showed", "shows", "revealed", "reveals", "demonstrated", "demonstrates", "found",
    "noted", "included", "includes",
})  # fmt: skip


def _without_leaders(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces without dot leaders and what OCR made of their ends: letters read from the
    dots after a leader (`teens`), and from its first dots stuck to a short name (`Ko`)."""
    kept: list[_Piece] = []
    after = False
    for piece in pieces:
        if is_leader(piece.text):
            name = leader_start(kept[-1].text) if kept and not after else None
            if (
                name
                and catalogue.lookup(name, False)
                and not catalogue.lookup(kept[-1].text, False)
            ):
                note = f"test name read as {kept[-1].text}; the dots of its leader taken off"
                kept[-1] = _Piece(name, kept[-1].token, note)
            elif not after:
                kept = _without_leader_start(kept)
            after = True
        elif not (after and is_leader_tail(piece.text)):
            kept.append(piece)
            after = False
    return kept


_LEADER_START = re.compile(r"[ceosaiun.,:;'`]{1,4}")


def _without_leader_start(kept: list[_Piece]) -> list[_Piece]:
    """The pieces before a dot leader without the words OCR made of its first dots ("Cl ici
    eeccc...", "HDL Cholesterol oe ccc..."): a short word of round letters is taken off only
    when the name before it is a test's and the name with it is none."""
    start = len(kept)
    while start > 0 and not any(c.isdigit() for c in kept[start - 1].text):
        start -= 1
    if len(kept) - start < 2 or not _LEADER_START.fullmatch(kept[-1].text):
        return kept
    with_it = clean_name(" ".join(p.text for p in kept[start:]))
    without = clean_name(" ".join(p.text for p in kept[start:-1]))
    if catalogue.lookup(without) and not catalogue.lookup(with_it):
        return kept[:-1]
    return kept


def _free_row(
    line: Line,
    pieces: list[_Piece],
    texts: list[str],
    leaders: list[bool],
    start: int,
    require_known: bool,
    opens: bool = False,  # the line's name opens at `start`: a near name will do
    dotted: bool = False,  # a dot leader ran from the name to the value
) -> tuple[Row | None, int]:
    if not re.match(r"[^\W\d_]", texts[start]):
        return None, start  # a name starts with a letter
    known = _known_name(texts, leaders, start, fuzzy=opens)
    if known is not None:
        size, name, value, used = known
    else:
        if require_known:
            return None, start
        window = range(start + 1, min(len(texts), start + _MAX_NAME_TOKENS + 1))
        size = next((i - start for i in window if parse_value(texts[i : i + 4])[0]), 0)
        leader = next((i for i in range(start + 1, start + size) if leaders[i]), None)
        name = clean_name(" ".join(texts[start : leader if leader else start + size]))
        if size == 0 or not re.search(r"[^\W\d_]{2}", name) or len(name) > 60:
            return None, start
        if re.search(r"\d[.,]\d", name):
            return None, start  # a decimal or a range in a name: two rows OCR ran together
        if any(_BRACKETED_RANGE.fullmatch(t) for t in texts[start : start + size]):
            return None, start  # "Glucose (70-99)": a range printed first, not a name
        parsed, used = parse_value(texts[start + size : start + size + 4])
        if parsed is None:
            return None, start
        value = parsed
    inside = _number_in_name(texts, leaders, start, start + size + used)
    if inside is not None:
        size, name, value, used = inside
    elif _specimen_follows(texts, start + size + used):
        return None, start  # "Anion gap 3 in Serum or Plasma" alone: a name, no value
    if is_identifier_label(name) or _is_range(line, pieces[start + size + used - 1].token, value):
        return None, start
    row = Row(name, value, [line], [])
    lead = _range_first(texts, start + size) if known is not None else 0
    if lead:
        # "Glucose (70-99 mg/dL) 105 H": the range, and the unit printed with it, first.
        words = [
            p.text.strip("()[]")
            for p in pieces[start + size : start + size + lead]
            if not _REMARK.fullmatch(p.text)
        ]
        if not re.match(r"[\d<>≤≥]", words[-1]) and units.parse(words[-1]) is not None:
            row.unit = words.pop()
        row.reference = parse_range(" ".join(words))
    candidates = catalogue.lookup(name) or catalogue.family(name)
    tail = pieces[start + size + used :]
    end = _read_tail(row, tail, lambda unit: _fits(unit, candidates))
    if end == 0 and row.unit is None and tail and candidates:
        hint = next((p.text for p in tail[1:5] if units.parse(p.text.strip("()[]"))), None)
        fixed = _garbled_unit(tail[0].text, candidates, hint and hint.strip("()[]"))
        if fixed is not None:
            row.unit = fixed
            row.notes.append(f"unit read as {tail[0].text}; taken as {fixed}, a unit of the "
                             "test one OCR slip from it")  # fmt: skip
            end = _read_tail(row, tail[1:], lambda unit: _fits(unit, candidates)) + 1
    if (
        end == 0
        and row.unit is None
        and len(tail) == 1
        and candidates
        and _BARE_UNIT.fullmatch(tail[0].text)
    ):
        row.unit, end = tail[0].text, 1  # "WBC Count .... 6 ul": kept as printed
    end += start + size + used
    if (
        not catalogue.lookup(name)
        and not _looks_like_result(row)
        and not (RESULT_LABEL.fullmatch(name) and _lab_unit(row))
        and not _of_family(row)
        and not _misread_fits(row)
        # "Deprecated Glucose [Mass/volume] in ...... 91 mg/dL": a name the catalogue does
        # not know, dotted to its value and a lab's unit, is a report's row like a table's
        and not (dotted and opens and _lab_unit(row) and end == len(pieces))
    ):
        return None, start
    repaired = [p.note for p in pieces[start : start + size] if p.note]
    if repaired and not _unit_fits(row):
        return None, start  # a repaired name needs the unit of the test it names
    row.notes.extend(repaired)
    lead_end = start + size + lead
    # Linking words the name was cut after ("ANION GAP 3 IN SERUM OR 10"): neither name
    # nor anything between name and value.
    unit = units.parse(row.unit)
    reported = unit is not None and unit.dimension not in _PROSE_DIMENSIONS  # a lab's unit
    cut = start + len(name.split()) if reported else end
    row.tokens = [
        p.token
        for at, p in enumerate(pieces[start:end], start)
        if not (start + size <= at < lead_end and _REMARK.fullmatch(p.text))  # on the range
        and not (cut <= at < start + size and p.text.lower().strip(".,") in _CUT_WORDS)
    ]
    return row, end


# A unit of amount or volume alone, last on a result's line: a unit as printed, though not
# the test's ("6 ul" for a count).
_BARE_UNIT = re.compile(r"(?:[mµu]?[lL]|[mµun]?g|[mµun]?mol|[mµ]?I?U)(?:/[mµu]?[lLg])?")
_CUT_WORDS = frozenset({"in", "of", "by", "or", "and", "from", "for", "with", "per"})


def _garbled_unit(text: str, analytes: Sequence[Analyte], hint: str | None) -> str | None:
    """The unit of one of the tests a name may mean that a word right after the value is,
    one OCR slip from it (one unit only, or the `hint` printed with the range:
    `units.nearest`)."""
    return units.nearest(
        text,
        lambda unit: any(catalogue.convert(1.0, unit, a) is not None for a in analytes),
        hint,
    )


_SPECIMENS = ("serum", "plasma", "blood", "urine", "whole", "venous", "arterial", "capillary")


def _specimen_follows(texts: list[str], after: int) -> bool:
    """Whether "in Serum" (or another specimen) follows the number: it is then a name's."""
    if after + 1 >= len(texts) or texts[after].lower().strip(".,’'") not in ("in", "of"):
        return False
    return texts[after + 1].lower().startswith(_SPECIMENS)


def _number_in_name(
    texts: list[str], leaders: list[bool], start: int, after: int
) -> tuple[int, str, ResultValue, int] | None:
    """The name and value when the number read as the value is part of the name: "Anion
    gap 3 in Serum or Plasma .... 14 mmol/L" (a number is never followed by "in Serum")."""
    if after + 1 >= len(texts) or texts[after].lower().strip(".,’'") not in ("in", "of"):
        return None
    if not re.match(r"[^\W\d_]", texts[after + 1]):
        return None
    for index in range(after + 1, min(len(texts), after + _MAX_NAME_TOKENS)):
        value, used = parse_value(texts[index : index + 4])
        if value is not None and value.number is not None:
            names = [t for t, leader in zip(texts[start:index], leaders[start:index], strict=True)
                     if not leader]  # fmt: skip
            return index - start, clean_name(" ".join(names)), value, used
    return None


def _unit_fits(row: Row) -> bool:
    """Whether the row's unit is one its test is reported in (convertible to its unit)."""
    analyte = catalogue.resolve(row.name, row.unit)
    return (
        analyte is not None
        and row.unit is not None
        and analyte.unit is not None
        and catalogue.convert(1.0, row.unit, analyte) is not None
    )


def _known_name(
    texts: list[str], leaders: list[bool], start: int, fuzzy: bool = True
) -> tuple[int, str, ResultValue, int] | None:
    """The longest catalogue name at `start` followed by a value (exact names before near
    ones; near ones only with `fuzzy`, for the start of a line)."""
    if not fuzzy and not catalogue.could_start(texts[start]):
        return None
    for near in (False, True) if fuzzy else (False,):
        for size in range(min(_MAX_NAME_TOKENS, len(texts) - start - 1), 0, -1):
            if any(leaders[start + 1 : start + size]):
                continue  # a name does not run through a dot leader
            if any(_BRACKETED_RANGE.fullmatch(t) for t in texts[start + 1 : start + size]):
                continue  # "Glucose (70-99 mg/dL) 105": a range in brackets is no part of a name
            name = clean_name(" ".join(texts[start : start + size]))
            if name and catalogue.lookup(name, near):
                gap = _junk(texts, start + size) or _range_first(texts, start + size)
                value, used = parse_value(texts[start + size + gap : start + size + gap + 4])
                if value is not None:
                    return size, name, value, used + gap
    return None


def _fits(unit: str, candidates: tuple[Analyte, ...]) -> bool:
    """Whether a unit can be the unit of one of the tests a name may mean (or of any test)."""
    parsed = units.parse(unit)
    if parsed is None:
        return False
    if parsed.dimension not in _PROSE_DIMENSIONS:
        return True  # a lab unit is kept even when wrong for the test (noted, not converted)
    return any(a.unit is None or catalogue.convert(1.0, unit, a) is not None for a in candidates)


_RANGE_LABEL = re.compile(r"[(\[]?(?:range|ref\.?|reference|normal|ref\.?\s*range):?", re.I)
_BOUNDS = re.compile(r"[(\[]?\d[\d.,]*\s*[-–]\s*\d[\d.,]*[)\]]?")
_BRACKETED_RANGE = re.compile(r"[(\[](?:[<>≤≥]=?\d[\d.,]*|\d[\d.,]*\s*[-–]\s*\d[\d.,]*)[)\]]?")
_BOUND = re.compile(r"[(\[]?[<>≤≥]=?\s*\d[\d.,]*[)\]]?")


def _range_first(texts: list[str], index: int) -> int:
    """How many words at `index` are a reference range printed before the value ("70-99",
    "(70 - 99 mg/dL)", "Ref: <200"), with the unit printed inside it; 0 unless a number
    follows them that is no range itself."""
    count = 1 if index < len(texts) and _RANGE_LABEL.fullmatch(texts[index]) else 0
    labelled = bool(count)
    words = texts[index + count : index + count + 3]
    if words and _BOUNDS.fullmatch(words[0]):
        count += 1
    elif (
        len(words) == 3
        and words[1] in ("-", "–", "to")
        and all(re.fullmatch(r"[(\[]?\d[\d.,]*[)\]]?", w) for w in (words[0], words[2]))
    ):
        count += 3
    elif words and _BOUND.fullmatch(words[0]) and (labelled or words[0][0] in "(["):
        count += 1  # "<200" alone could be the value: only in brackets or after a label
    elif words and _BOUND.fullmatch(words[0]) and _bound_first(texts[index + count :]):
        count += 1
    else:
        return 0
    opened = any(t[:1] in "([" for t in texts[index : index + count])
    if index + count < len(texts):
        unit = texts[index + count].rstrip(")]")
        if units.parse(unit) is not None and not is_sex_marker(unit):
            count += 1
            if index + count < len(texts) and _REMARK.fullmatch(texts[index + count]):
                count += 1  # "<130 mg/dL (calc)": a remark on the range
    if opened and not any(t.endswith((")", "]")) for t in texts[index : index + count]):
        return 0  # a bracket opened and not closed: not a range of its own
    after = texts[index + count : index + count + 4]
    value, used = parse_value(after)
    if value is None or value.number is None:
        return 0
    if len(after) > used and after[used] in ("-", "–", "to"):
        return 0  # another range, or a list of numbers
    rest = texts[index + count + used : index + count + used + 3]
    rest = rest[1:] if rest and parse_flag(rest[0]) is not None else rest
    if rest and re.fullmatch(r"[<>]?\d[\d.,]*[*]?", rest[0]):
        return 0  # values of several dates after one range: which is this result is unclear
    return count


_REMARK = re.compile(r"[(\[][^\W\d]+[)\]]")


def _bound_first(texts: list[str]) -> bool:
    """Whether a bound opening `texts` is a range printed before the value, not the value:
    its unit follows it, then (past a bracketed remark) a plain number and the same unit
    again (">=40 mg/dL 61 mg/dL", "<130 mg/dL (calc) 106.6 mg/dL")."""
    if len(texts) < 4 or units.parse(texts[1]) is None:
        return False
    rest = texts[3:] if _REMARK.fullmatch(texts[2]) else texts[2:]
    value, used = parse_value(rest[:4])
    if value is None or value.number is None or value.comparator or len(rest) <= used:
        return False
    return units.normalise(rest[used]) == units.normalise(texts[1])


def _junk(texts: list[str], index: int) -> int:
    """How many specks OCR made of a dot leader (`a.`, `on.`) sit before the value."""
    count = 0
    while index + count < len(texts) - 1 and _SPECK.fullmatch(texts[index + count]):
        if texts[index + count].lower() in TEXT_RESULTS:
            break
        count += 1
    return count


def _of_family(row: Row) -> bool:
    """Whether a name shared by several tests ("TROPONIN": I or T) has a number, and a unit
    one of them is reported in if any: a result whose test a person must settle."""
    tests = catalogue.family(row.name)
    if not tests or row.value.number is None:
        return False
    return row.unit is None or any(catalogue.convert(1.0, row.unit, a) is not None for a in tests)


def _misread_fits(row: Row) -> bool:
    """Whether an unknown name is a test's one look-alike glyph away (`catalogue.misread`:
    "wec # BLD AUTO" for WBC) and the printed unit is one that test is reported in: the
    reader then takes it for that test, with a note (the range may be past reading)."""
    meant = catalogue.misread(row.name) if row.unit and row.value.number is not None else None
    analyte = catalogue.resolve(meant, row.unit) if meant else None
    return (
        analyte is not None
        and analyte.unit is not None
        and catalogue.convert(1.0, row.unit, analyte) is not None
    )


# A label standing where a test's name would ("Result: 13.2 g/dL"), the name printed above.
RESULT_LABEL = re.compile(
    r"(?:your\s+|patient\s+|observed\s+|measured\s+)?(?:result|value)s?"
    r"|resultados?|ergebnis|r[ée]sultats?|risultato|valor|wert|valeur",
    re.IGNORECASE,
)


def _lab_unit(row: Row) -> bool:
    unit = units.parse(row.unit)
    return (
        row.value.number is not None
        and unit is not None
        and unit.dimension not in _PROSE_DIMENSIONS
    )


def _looks_like_result(row: Row) -> bool:
    """Whether an unknown test name has a result's shape: number, lab unit and range."""
    unit = units.parse(row.unit)
    return (
        row.value.number is not None
        and unit is not None
        and unit.dimension not in _PROSE_DIMENSIONS
        and row.reference is not None
    )


# Labels of the fields after a value ("Value: 140  Units: mmol/L  Range: ...  Flag: H"), and
# the words a range's bounds are labelled with ("Low 12.0 High 16.0").
_FIELD_LABEL = re.compile(
    r"(?:units?|flag|range|ref\.?\s*range|reference(?:\s*range)?|interval|refer[êe]ncia"
    r"|r[ée]f[ée]rence|referenz(?:bereich)?|normal|unidad(?:es)?|unidade|einheit):",
    re.IGNORECASE,
)
# Words a field's label starts with before its last word ("Valores de referência:").
_LABEL_LEAD = frozenset({"valores", "valor", "de", "intervalo", "rango", "valeurs", "valori", "di"})
_BOUND_WORD = re.compile(r"[(\[]?(?:low|high|lower|upper|min|max):?", re.IGNORECASE)


def _read_tail(
    row: Row, pieces: list[_Piece], fits: Callable[[str], bool] = lambda unit: True
) -> int:
    """Read flag, unit and range words after a value, up to the first word that is none of
    them (prose, or the name of the next result); returns how many pieces were used.
    `fits` says whether a unit can belong to the test (a pulse is not in inches)."""
    range_words: list[str] = []
    used = 0
    skip = closed = False  # closed: the unit was read right after the range's words
    for index, piece in enumerate(pieces[:_MAX_TAIL]):
        if skip:  # the second half of a unit OCR split in two ("10 3/ul")
            skip, used = False, index + 1
            continue
        text = piece.text
        following = pieces[index + 1].text if index + 1 < len(pieces) else ""
        if _FIELD_LABEL.fullmatch(text) and following:
            continue  # "Units: mg/dL  Flag: H": a field's label; what it labels is read next
        if text.lower() in _LABEL_LEAD and any(
            _FIELD_LABEL.fullmatch(p.text) for p in pieces[index + 1 : index + 3]
        ):
            continue  # "Valores de referência: 12,0 a 15,5 g/dL"
        if _BOUND_WORD.fullmatch(text) and re.fullmatch(r"\d[\d.,]*[)\]]?", following):
            range_words.append(text)  # "Range: Low 12.0 High 16.0": a bound's label, no flag
            used = index + 1
            continue
        if row.unit is None and index + 1 < len(pieces) and units.parse(text) is None:
            joined = text + pieces[index + 1].text
            if re.match(r"[x×]?10", text) and units.parse(joined) is not None and fits(joined):
                row.unit, skip, used = joined, True, index + 1
                continue
        if (
            text.lower() == "a"
            and range_words
            and re.fullmatch(r"[\d.,]+", range_words[-1])
            and re.fullmatch(r"[\d.,]+[)\]]?", following)
        ):
            range_words.append("-")  # "12,0 a 15,5": Portuguese and Spanish join bounds so
            used = index + 1
            continue
        flag = parse_flag(text)
        if flag is not None and not (range_words and is_sex_marker(text)) and row.flag_text is None:
            row.flag_text = text
        elif row.unit is None and units.parse(text) is not None and not is_sex_marker(text):
            if not fits(text):
                break
            # "15 (mg/dL) mg/dL": a unit in brackets where the range would stand
            row.unit, closed = _unbracketed(text), bool(range_words)
        elif (
            row.unit is None
            and _BARE_UNIT.fullmatch(text)
            and any(p.text.strip("()[]") == text for p in pieces[index + 1 : index + 9])
        ):
            row.unit = text  # "WBC Count 6 ul (4.3 - 10.8 ul)": the range's unit is the same
        elif closed and units.parse(text) is not None and not is_sex_marker(text) and fits(text):
            # "normal: 0.29-5.11 IU/ml m[IU]/L": the first unit was the range's own, the
            # one printed after it the result's.
            row.unit, closed = text, False
        elif row.unit and units.parse(text) and units.same(text, row.unit) and not range_words:
            # "<130 mg/dL 106.6 mg/dL": the unit printed with the range and the value;
            # "15 (mg/dL) mg/dL"
            pass
        elif (
            row.unit is None
            and range_words
            and text.endswith((")", "]"))
            and units.parse(text[:-1]) is not None
            and fits(text[:-1])
        ):
            # "105 H (70-99 mg/dL)": the unit closes the range (and may be the range's own:
            # "(normal: 0.29–5.11 IU/ml) m[IU]/L")
            row.unit, closed = text[:-1], True
        elif _RANGE_WORD.fullmatch(text) or text.lower().strip("().,;") in TEXT_RESULTS:
            if _starts_name([p.text for p in pieces[index : index + 5]]):
                break
            range_words.append(text)
        else:
            break
        used = index + 1
    if range_words and row.reference is None:
        row.reference = parse_range(" ".join(range_words))
    return used


def _unbracketed(text: str) -> str:
    """A unit without the brackets wrapped round it whole ("(mg/dL)"; "m[IU]/L" keeps)."""
    if re.fullmatch(r"\([^()]*\)|\[[^\[\]]*\]", text):
        return text[1:-1]
    return text


def _starts_name(texts: list[str]) -> bool:
    """Whether a known test name starts here (a second result on the same line)."""
    if not texts or not re.match(r"[^\W\d_]", texts[0]) or parse_flag(texts[0]):
        return False
    return any(
        catalogue.lookup(" ".join(texts[:size])) and parse_value(texts[size : size + 4])[0]
        for size in range(1, min(4, len(texts)))
    )


def _read_range(row: Row, tokens: list[Token]) -> None:
    """A range cell, which may carry the unit too (`70-99 mg/dL`, OCR'd `mmol/L_mmol/L.`)."""
    words: list[str] = []
    had_unit, printed = row.unit is not None, []
    for token in tokens:
        whole = units.parse(token.text) is not None
        parts = token.text.split("_") if "_" in token.text and not whole else [token.text]
        for part in parts:
            before = re.fullmatch(r"(\S+?)\(([^)]*\d[^)]*)\)?", part)
            if before and units.parse(before[1]) and not units.parse(part):
                row.unit = row.unit or before[1]  # "THOUS/MCL(140-400)"
                part = before[2]
            glued = None if units.parse(part) else _RANGE_UNIT.fullmatch(part)
            if glued and units.parse(glued["unit"]) is not None:
                words.append(glued["range"])  # "41-53%": a range with its unit attached
                part = glued["unit"]
            if part and units.parse(part) is not None and not is_sex_marker(part):
                row.unit = row.unit or part
                printed.append(part)
            elif part:
                words.append(part)
    if not had_unit and len(printed) >= 2 and printed[-1] == tokens[-1].text:
        row.unit = printed[-1]  # "normal: 0.29-5.11 IU/ml m[IU]/L": the range's, the result's
    if row.unit is None and words and _UNIT_LIKE.fullmatch(words[-1]):
        row.unit = words.pop()  # a unit we do not know, printed after the range
        if row.unit[-1] in ")]" and {")": "(", "]": "["}[row.unit[-1]] not in row.unit:
            row.unit = row.unit[:-1]  # "[4.3 - 10.8 ul]": the unit closes the bracketed range
    row.reference = parse_range(" ".join(words)) if words else None
    if row.reference is None and words:
        row.notes.append(f"reference range not understood: {' '.join(words)}")


def _unit_text(tokens: list[Token]) -> str:
    spaced = " ".join(t.text for t in tokens)
    joined = "".join(t.text for t in tokens)
    if units.parse(spaced) is None and units.parse(joined) is not None:
        return joined
    if units.parse(spaced) is None:
        # "mMo1/L mMol1/L": the unit printed twice (under UNITS and as the range)
        alone = next((t.text for t in tokens if units.parse(t.text) is not None), None)
        if alone is not None:
            return alone
    return spaced


def _pieces(tokens: Sequence[Token]) -> list[_Piece]:
    """The words of `tokens`, without specks of dust, stray quotes, or merged values split
    (and the first number's abnormal mark printed before it, "*35.3", put after it)."""
    pieces: list[_Piece] = []
    numbered = False
    for token in tokens:
        if _SPECKS.fullmatch(token.text):
            continue
        text = token.text.lstrip("‘’'`\"“”")
        marked = None if numbered else split_marked(text)
        numbered = numbered or bool(re.match(r"[<>]?\d", text))
        pieces.extend(_Piece(part, token) for part in marked or split_token(text) if part)
    return pieces
