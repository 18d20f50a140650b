"""Lab results from printed lines: tables read by column when a header row names them,
free lines (`Glucose ....... 95 mg/dL  70-99`) read by the shape of their words otherwise."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise

from ocr.facts import catalogue, narrative, units
from ocr.facts.across import find_across
from ocr.facts.analyte import Analyte
from ocr.facts.dates import find_dates
from ocr.facts.decimals import (
    LIMITS,
    DigitWidths,
    could_have_lost_point,
    range_band,
    restore_point,
)
from ocr.facts.lines import Line, Token, cite
from ocr.facts.model import Citation, LabResult, Quantity, ResultValue
from ocr.facts.rows import RESULT_LABEL, Row, free_rows, table_row
from ocr.facts.stacked import stacked
from ocr.facts.table import Header, dated_by, find_header
from ocr.facts.values import clean_name, parse_flag, parse_value, split_token

_UNITLESS = ("ratio", "index")
_TAIL = re.compile(
    r"(?:in|of|by|or|and|b[il1][o0][o0d]d|serum|plasma|urine|whole|automated|count|manual)\b",
    re.I,
)


# No test is named with the label of a date ("Specimen Collection Date: Nov 25, 2010@08:15"
# read on a scan as a test "… Date: Nov" of value 25).
_DATE_LABEL = re.compile(r"\bdate\b|\bdatum\b|\bfecha\b", re.IGNORECASE)
# "Collected on Sep 8, 2010 8:15 AM": a date's label and month before its day.
_DATED_NAME = re.compile(
    r"\b(?:on|collected|drawn|received|reported|released|resulted|verified|printed|taken)[:,]?"
    r"\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$",
    re.IGNORECASE,
)
# A range's label taken for a test's name.
_RANGE_NAME = re.compile(
    r"(?:standard|reference|ref\.?|normal|expected|target|desirable)\s+(?:range|interval|values?"
    r"|limits?)s?\s*:?",
    re.IGNORECASE,
)
# A "name" of words that title a report's parts ("RESULTS, PANEL", "Test Results", "Page").
_HEADING_NAME = re.compile(
    r"(?:(?:results?|panels?|sections?|parts?|pages?|groups?|tests?|reports?|continued"
    r"|tables?|summary|your)\b[\s,:/&-]*)+",
    re.IGNORECASE,
)


def find_labs(lines: Sequence[Line], collected: date | None = None) -> list[LabResult]:
    """Every lab result printed on `lines` (one page or several, in reading order)."""
    results: list[LabResult] = []
    header: Header | None = None
    context = ""
    pending: list[Line] = []
    last_row: Line | None = None
    last_page: int | None = None
    just_headed = False
    headed = {line.page for line in lines if find_header(line) is not None}
    digits = {
        page: DigitWidths([line for line in lines if line.page == page])
        for page in {line.page for line in lines}
    }
    columns, across = find_across(lines)
    skip = 0
    for column in columns:
        for cell in column.cells:
            row = _across_row(column.name, column.unit, cell.tokens, cell.line, cell.collected)
            result = _result(row, collected, "", digits.get(cell.line.page)) if row else None
            if result is not None and row is not None:
                # A cell of a table: vetted and scored as read from a table row.
                result = narrative.vet(result, row, cell.line, True)
            if result is not None:
                results.append(result)
    for index, line in enumerate(lines):
        if index in across or skip:
            skip = max(0, skip - 1)
            continue
        if line.page != last_page and line.page in headed:
            # A page that prints its own table header starts afresh: the lines above it
            # (patient, IDs, dates) are no rows of the last page's table.
            header, pending, context = None, [], ""
        last_page = line.page
        found = find_header(line)
        if found is not None:
            header, pending, context = found, [], f"{context} {found.text}"
            just_headed = True
            continue
        if just_headed and header is not None:
            just_headed = False
            dated = dated_by(header, line)
            if dated is not None:
                header = dated  # a line of dates under the column titles
                continue
        just_headed = False
        cards = stacked(lines, index) if header is None else None
        if cards is not None and not any(i in across for i in range(index, index + cards[1])):
            # Cards: a name over its value (and range); read as the rows they stand for.
            carded = [(row, card) for card in cards[0] for row in _card_rows(card)]
            if carded:
                for row, card in carded:
                    result = _result(row, collected, context, digits.get(line.page))
                    result = narrative.vet(result, row, card, False) if result else None
                    if result is not None:
                        results.append(result)
                skip, pending, last_row = cards[1] - 1, [], None
                continue
        rows = table_row(line, header) if header is not None else None
        tabled = rows is not None
        if rows is None and header is None and _runs_on(line, lines, index):
            # "... Glucose is" / "157, BUN 14": a sentence wrapped inside a result.
            line = Line(line.page, [*line.tokens, *lines[index + 1].tokens])
            skip = 1
        if rows is None:
            rows = free_rows(line, require_known=header is not None)
        if not rows:
            if header is not None and _continues(results, line, last_row):
                last_row = line
                continue
            if not any(c.isdigit() for c in line.text):
                pending = [*pending[-1:], line]
                context = line.text
            else:
                pending = []
            continue
        stretches = _side_by_side(rows, line) if not tabled else [line] * len(rows)
        for row, stretch in zip(rows, stretches, strict=True):
            labelled = _labelled(row, _name_line(lines, index))
            pending = [] if labelled else _attach_wrapped(row, pending)
            if RESULT_LABEL.fullmatch(row.name):
                continue  # "Result: 44 mmol/L" under no test's name: whose result is unknown
            result = _result(row, collected, context, digits.get(line.page))
            if result is not None:
                # A labelled value under its test's name is a report's, as a table's cell is.
                result = narrative.vet(result, row, stretch, tabled or labelled)
            if result is not None:
                results.append(result)
                last_row = line
        pending = []
    return results


def _side_by_side(rows: list[Row], line: Line) -> list[Line]:
    """The stretch of `line` each of its rows is vetted on: its own, when every next row's
    name opens after a gap of two line heights (panels printed side by side, so a row's
    neighbour is no sentence it sits in); else, on a line of report entries set apart by
    semicolons or commas, the stretch from each entry that stands alone (see _entry) to the
    next; else the whole line for each (a sentence that lists results keeps its words around
    each)."""
    positions = {id(t): i for i, t in enumerate(line.tokens)}
    if len(rows) == 1:
        # "Blood Urea Nitrogen, Serum 15 (mg/dL) mg/dL; Creatine, Whole Blood 1 …": an entry
        # with its unit or range, closed by a semicolon, stands apart from the next one
        last = positions.get(id(rows[0].tokens[-1])) if rows[0].tokens else None
        closing = last is not None and line.tokens[last].text.endswith(";")
        if closing and last is not None and (rows[0].unit or rows[0].reference):
            return [Line(line.page, line.tokens[: last + 1])]
    if len(rows) < 2:
        return [line] * len(rows)
    starts = []
    for row in rows[1:]:
        first = positions.get(id(row.tokens[0])) if row.tokens else None
        if not first or line.tokens[first].x0 - line.tokens[first - 1].x1 < 2 * line.height:
            break
        starts.append(first)
    else:
        bounds = [0, *starts, len(line.tokens)]
        return [Line(line.page, line.tokens[a:b]) for a, b in pairwise(bounds)]
    # Entries run on a line: a stretch ends where the next entry follows its separator.
    cuts = [0]
    for row in rows[1:]:
        first = positions.get(id(row.tokens[0])) if row.tokens else None
        cut = first is not None and first > 0 and _entry(row, line.tokens[first - 1].text)
        cuts.append(first if cut and first is not None else cuts[-1])
    if len(set(cuts)) < 2:
        return [line] * len(rows)
    ends = {a: b for a, b in pairwise([*sorted(set(cuts)), len(line.tokens)])}
    return [Line(line.page, line.tokens[cut : ends[cut]]) for cut in cuts]


def _entry(row: Row, before: str) -> bool:
    """Whether a row whose name follows `before` is an entry of a list of report entries run on
    a line ("Sodium, Serum 139 (135-148) mmol/L; Chloride, Serum 101 (96-109) mmol/L"): set
    apart by a semicolon and printed with its unit or its range, or by a comma and printed
    with both."""
    if before.endswith(";"):
        return bool(row.unit or row.reference)
    return before.endswith(",") and bool(row.unit and row.reference)


_LINKING = frozenset({"is", "was", "of", "were", "=", "at"})


def _runs_on(line: Line, lines: Sequence[Line], index: int) -> bool:
    """Whether a sentence on `line` breaks between a test's name and its value on the next
    line ("... and platelets 199,000. Glucose is" / "157, BUN 14, ..."): the line is prose
    (6 words or more), ends with a name the catalogue knows and a linking word ("is",
    "was"), and the next line, just below, opens with a number."""
    if index + 1 >= len(lines) or len(line.tokens) < 6:
        return False
    below = lines[index + 1]
    if below.page != line.page or not below.tokens:
        return False
    if below.tokens[0].y - line.tokens[-1].y > 2.0 * line.height:
        return False
    first = below.tokens[0].text.rstrip(".,;:")
    if not re.fullmatch(r"\d[\d,]*(?:\.\d+)?", first):
        return False
    words = [t.text for t in line.tokens]
    if words[-1].lower() not in _LINKING:
        return False  # "... red blood cells 34, white blood cells" / "41, ...": a list runs on
    words = words[:-1]
    return any(
        catalogue.lookup(clean_name(" ".join(words[-size:])), False)
        and not re.search(r"\d", " ".join(words[-size:]))
        for size in (1, 2, 3)
    )


def _card_rows(card: Line) -> list[Row]:
    """The result a card stands for: under a name the catalogue knows, under a name several
    tests share ("TROPONIN", left unresolved), or under any name when a unit follows the
    value (the card's shape and its unit say it is a result)."""
    rows = free_rows(card, require_known=True)
    if rows:
        return rows
    return [
        row
        for row in free_rows(card)
        if (row.unit and units.parse(row.unit) is not None) or catalogue.family(row.name)
    ]


def _across_row(
    name: str, unit: str | None, tokens: list[Token], line: Line, collected: date
) -> Row | None:
    """A result of a table with tests across: the value cell under its titled column."""
    texts = [part for t in tokens for part in split_token(t.text.rstrip(":;,"))]
    value, used = parse_value(texts)
    if value is None:
        return None
    flags = [text for text in texts[used:] if parse_flag(text)]
    return Row(name, value, [line], list(tokens), unit=unit,
               flag_text=flags[0] if flags else None, collected=collected)  # fmt: skip


def _unit_fits_name(row: Row, name: str) -> bool:
    """Whether the row's unit (if it has one we know) is one a test of `name` is reported
    in: a name taken from another line must agree with the value's unit."""
    analytes = catalogue.lookup(name)
    if not analytes or not row.unit or units.parse(row.unit) is None:
        return True
    return any(a.unit is None or catalogue.convert(1.0, row.unit, a) is not None for a in analytes)


# A line of fields about the sample, printed between a test's name and its result
# ("Material: Soro  Método: Enzimático colorimétrico", "Specimen: Serum  Method: ISE").
_SAMPLE_FIELDS = re.compile(
    r"^(?:material|amostra|muestra|m[ée]todo|method|specimen|sample|probe|methode|m[ée]thode"
    r"|[ée]chantillon)\s*:",
    re.IGNORECASE,
)


def _name_line(lines: Sequence[Line], index: int) -> Line | None:
    """The line a labelled result's test name is printed on: the one above, or the one above
    a line of the sample's fields."""
    if index == 0:
        return None
    above = lines[index - 1]
    if index >= 2 and _SAMPLE_FIELDS.match(above.text) and lines[index - 2].page == above.page:
        return lines[index - 2]
    return above


def _labelled(row: Row, above: Line | None) -> bool:
    """Whether the row's name is a label ("Result: 13.2 g/dL  Ref: 12.0-15.5") standing for
    the test's name printed alone on the line above ("Hemoglobin", "CO2"); the row then
    takes that name."""
    if above is None or not RESULT_LABEL.fullmatch(row.name):
        return False
    name = clean_name(above.text)
    if above.page != row.lines[0].page or not catalogue.lookup(name):
        return False
    if not _unit_fits_name(row, name):
        return False
    row.name = name
    row.lines = [above, *row.lines]
    row.tokens = [*row.tokens, *above.tokens]  # the value's line first, for vetting
    return True


def _attach_wrapped(row: Row, pending: list[Line]) -> list[Line]:
    """Prefix a wrapped test name printed on the line(s) above its values."""
    if not pending:
        return pending
    if pending[-1].text.rstrip().endswith(":"):
        return pending  # "LABORATORY DATA:": a heading, not the head of a wrapped name
    first = row.lines[0].tokens[0] if row.lines and row.lines[0].tokens else None
    if row.tokens and first is not None and row.tokens[0] is not first:
        return pending  # a name inside a line ("... to 12.5, hemoglobin is 12") is whole
    above = " ".join(clean_name(line.text) for line in pending[-1:])
    if _TAIL.match(above) or above[:1].islower():
        return pending  # "Blood by Automated": the end of the name above, not this one's head
    combined = f"{above} {row.name}".strip()
    carried = bool(re.match(r"[(a-z]", row.name))  # "(eGFR)" under "Glomerular Filtration Rate"
    if carried and catalogue.lookup(row.name) and not catalogue.lookup(combined):
        carried = False  # "mcv" under a panel's heading ("URINALYSIS"): a name of its own
    if not _unit_fits_name(row, combined):
        return pending  # "HCT (HEMATOCRIT)" over "16 g/dl ...": another test's row
    if not row.name or carried or (not catalogue.lookup(row.name) and catalogue.lookup(combined)):
        row.name = combined
        row.lines = [*pending[-1:], *row.lines]
        row.tokens = [*pending[-1].tokens, *row.tokens]
        return []
    return pending


def _continues(results: list[LabResult], line: Line, above: Line | None) -> bool:
    """Whether `line` carries on the name of the result read from the line `above` (a long
    name wrapped under itself): it follows closely and starts in lower case or a bracket, or
    it completes a name the catalogue did not know."""
    if not results or above is None or line.page != above.page:
        return False
    if line.tokens[0].y - above.tokens[0].y > 2.0 * above.height:
        return False
    last = results[-1]
    combined = f"{last.name} {clean_name(line.text)}"
    analyte = catalogue.resolve(combined, last.unit)
    carried = bool(re.match(r"[(a-z]", line.text))
    if not carried and (last.analyte is not None or analyte is None):
        return False
    if analyte is None or (last.analyte is not None and analyte.key != last.analyte):
        analyte = catalogue.BY_KEY.get(last.analyte or "")
    boxes = last.citation.boxes + cite([line]).boxes
    citation = Citation(last.citation.page, boxes, f"{last.citation.line}\n{line.text}")
    results[-1] = _with(last, combined, analyte, citation)
    return True


def _with(result: LabResult, name: str, analyte: Analyte | None, citation: Citation) -> LabResult:
    canonical = _canonical(result.value, result.unit, analyte)
    return replace(result, name=name, analyte=analyte.key if analyte else None,
                   loinc=analyte.loinc if analyte else None, canonical=canonical,
                   citation=citation)  # fmt: skip


def _result(
    row: Row, collected: date | None, context: str, digits: DigitWidths | None = None
) -> LabResult | None:
    if not row.name or _HEADING_NAME.fullmatch(row.name.strip()):
        return None  # "RESULTS, PANEL 1": a heading that numbers its panels, not a test
    if _RANGE_NAME.fullmatch(row.name.strip()):
        return None  # "Standard range: >=40 mg/dL" on a line of its own: the range, no test
    if find_dates(row.name) or _DATE_LABEL.search(row.name) or _DATED_NAME.search(row.name):
        # "CBC with Differential - Final result (3/19/2008 8:15 AM)": a panel's heading with
        # its date and time, no test ("8:15" is no value)
        return None
    text_value = row.value.number is None
    analyte = catalogue.resolve(row.name, row.unit, text_value=text_value, context=context)
    misread = None
    if analyte is None and not text_value:
        analyte, misread = _misread(row, context)
    _repair_unit(row, analyte)
    limits = _limits(row, analyte) if digits and could_have_lost_point(row.value) else None
    restored = restore_point(row.value, row.tokens, row.reference, digits, limits)
    if restored is not None:
        clue = "the reference range" if range_band(row.reference) else "the limits of life"
        row.notes.append(
            f"read as {row.value.text}; the decimal point was restored from the width of the "
            f"printed number and {clue}"
        )
        row.value = restored
    if misread is not None:
        limits = _limits(row, analyte)
        number = row.value.number or 0.0
        if limits is not None and not limits[0] <= number <= limits[1]:
            analyte = None  # no patient has such a result of the test the name was taken for
        else:
            row.notes.append(misread)
    notes = list(row.notes)
    flag = parse_flag(row.flag_text) if row.flag_text else None
    if flag is None and row.outside:
        flag = "A"
    canonical = _canonical(row.value, row.unit, analyte)
    if analyte is not None and row.unit and canonical is None and row.value.number is not None:
        notes.append(f"{row.unit} is not convertible to {analyte.unit} for {analyte.name}")
    return LabResult(
        name=row.name,
        value=row.value,
        citation=cite(row.lines, row.tokens),
        analyte=analyte.key if analyte else None,
        loinc=analyte.loinc if analyte else None,
        unit=row.unit,
        unit_normal=units.normalise(row.unit),
        canonical=canonical,
        reference=row.reference,
        flag=flag,
        flag_text=row.flag_text,
        collected=row.collected or collected,
        category=analyte.category if analyte else "lab",
        notes=tuple(notes),
    )


def _repair_unit(row: Row, analyte: Analyte | None) -> None:
    """The row's unit read as the unit of its test it is one OCR slip from, when no repair
    of ours made it a unit ("MILUMCL" for MILL/MCL, "UAL" for U/L under ALT), with a note."""
    if analyte is None or analyte.unit is None or not row.unit or row.value.number is None:
        return
    fixed = units.nearest(row.unit, lambda unit: catalogue.convert(1.0, unit, analyte) is not None)
    if fixed is not None:
        row.notes.append(f"unit read as {row.unit}; taken as {fixed}, the unit of {analyte.name} "
                         "one OCR slip from it")  # fmt: skip
        row.unit = fixed


def _misread(row: Row, context: str) -> tuple[Analyte | None, str | None]:
    """The test a name means when OCR took one glyph of its abbreviation for a look-alike
    (`wsc` for WBC), only when the printed unit is one that test is reported in; and a note
    saying so."""
    name = catalogue.misread(row.name)
    analyte = catalogue.resolve(name, row.unit, context=context) if name else None
    if analyte is None or analyte.unit is None or row.value.number is None:
        return None, None
    if not row.unit or catalogue.convert(row.value.number, row.unit, analyte) is None:
        return None, None
    return analyte, (
        f"test name read as {row.name}; taken as {name}, one look-alike glyph away, as the "
        f"unit {row.unit} fits {analyte.name}"
    )


def _limits(row: Row, analyte: Analyte | None) -> tuple[float, float] | None:
    """The analyte's LIMITS in the unit the row is printed in (None when not comparable)."""
    number = row.value.number
    if not number:
        return None
    limits = LIMITS.get(analyte.key) if analyte else None
    canonical = _canonical(row.value, row.unit, analyte)
    if limits is None or canonical is None or not canonical.value:
        return None
    factor = canonical.value / number  # printed unit -> canonical unit
    return (limits[0] / factor, limits[1] / factor)


def _canonical(value: ResultValue, unit: str | None, analyte: Analyte | None) -> Quantity | None:
    if analyte is None or value.number is None or analyte.unit is None:
        return None
    if not unit and analyte.unit in _UNITLESS:
        return Quantity(value.number, analyte.unit, value.text)
    converted = catalogue.convert(value.number, unit, analyte)
    if converted is None:
        return None
    prefix = value.comparator or ""
    return Quantity(converted, analyte.unit, f"{prefix}{converted:g}")
