"""Decimal points lost by OCR come back only when the word's width and the range agree."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lab_pages import LAYOUTS, Report, Row, page_reading

from ocr.facts import extract
from ocr.facts.decimals import DigitWidths, restore_point
from ocr.facts.lines import Line, Token
from ocr.facts.model import ReferenceBand, ReferenceRange, ResultValue
from ocr.model import PageReading, Word

pytestmark = pytest.mark.nodb

ROWS = [
    Row("Glucose", "95", "mg/dL", "70-99"),
    Row("Hemoglobin A1c", "7.1", "%", "4.0-5.6", "H"),
    Row("Potassium", "4.7", "mmol/L", "3.5-5.1"),
    Row("ALT", "640", "U/L", "7-56", "H"),
    Row("Sodium", "140", "mmol/L", "136-145"),
    Row("Albumin", "4.1", "g/dL", "3.5-5.0"),
    Row("Calcium", "9.8", "mg/dL", "8.6-10.3"),
    Row("WBC", "6.7", "x10E3/uL", "3.4-10.8"),
]


def _drop_point(page: PageReading, value: str) -> PageReading:
    """The page as OCR reads it when the point of `value` is lost: same box, no point."""
    words = [replace(w, text=w.text.replace(".", "")) if w.text == value else w for w in page.words]
    return replace(page, words=words, text=page.text.replace(value, value.replace(".", "")))


def _values(page: PageReading) -> dict[str | None, tuple[str, tuple[str, ...]]]:
    return {r.analyte: (r.value.text, r.notes) for r in extract([page]).labs}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_lost_points_come_back_from_width_and_range(layout: str) -> None:
    page = page_reading(LAYOUTS[layout](Report(ROWS))[0])
    for value in ("7.1", "4.7", "4.1", "6.7"):
        page = _drop_point(page, value)
    found = _values(page)
    assert found["hba1c"][0] == "7.1"
    assert found["potassium"][0] == "4.7"
    assert found["albumin"][0] == "4.1"
    assert found["wbc"][0] == "6.7"
    assert any("decimal point was restored" in note for note in found["hba1c"][1])
    # Numbers printed without a point keep their value, even when far out of range.
    assert found["alt"] == ("640", ())
    assert found["glucose"] == ("95", ())
    assert found["sodium"] == ("140", ())


def test_a_normal_width_number_is_not_changed() -> None:
    # "71" printed as such (its box holds two digits only) stays 71, however odd for an A1c.
    rows = [*ROWS[:1], Row("Hemoglobin A1c", "71", "%", "4.0-5.6", "H"), *ROWS[2:]]
    found = _values(page_reading(LAYOUTS["columns"](Report(rows))[0]))
    assert found["hba1c"] == ("71", ())


def test_no_range_no_limits_no_guess() -> None:
    rows = [Row(r.name, r.value, r.unit, "", r.flag) for r in ROWS]
    page = _drop_point(page_reading(LAYOUTS["columns"](Report(rows))[0]), "6.7")
    assert _values(page)["wbc"][0] == "67"  # no range printed, and 67 is a possible count


def test_without_a_range_the_limits_of_life_decide() -> None:
    rows = [Row(r.name, r.value, r.unit, "", r.flag) for r in ROWS]
    page = page_reading(LAYOUTS["inline"](Report(rows))[0])
    for value in ("7.1", "4.7", "4.1", "6.7"):
        page = _drop_point(page, value)
    found = _values(page)
    # A1c 71 %, potassium 47 mmol/L and albumin 41 g/dL are impossible; one point fixes each.
    assert (found["hba1c"][0], found["potassium"][0], found["albumin"][0]) == ("7.1", "4.7", "4.1")
    assert any("read as 71" in n and "limits of life" in n for n in found["hba1c"][1])
    # A white count of 67 is possible (leukaemia): it stays as read.
    assert found["wbc"][0] == "67"
    assert found["alt"] == ("640", ())


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_single_result_is_measured_against_the_dates_on_its_page(layout: str) -> None:
    # A report of one result has too few plain numbers to give a digit width; its dates
    # (`2010-01-02`, `02.01.2010`, `Jan 02, 2010`) and times count too.
    rows = [Row("Hgb A1c MFr Bld", "6.5", "%", "4-5.6%")]
    page = _drop_point(page_reading(LAYOUTS[layout](Report(rows))[0]), "6.5")
    value, notes = _values(page)["hba1c"]
    assert value == "6.5"
    assert any("read as 65" in note and "reference range" in note for note in notes)


def _token(text: str, x0: float, width: float) -> Token:
    return Token(text, x0, x0 + width, 100.0, 7.0, Word(text, 0.1, 0.1, 0.2, 0.12))


def test_the_digit_width_is_the_one_most_numbers_agree_on() -> None:
    # Three dates at the body size (5 pt a digit) and a footer in small print (4 pt): the
    # footer does not make the body's numbers look roomy.
    body = [_token("2010-01-02", 0, 5 * 9.2), _token("11/02/2024", 60, 5 * 9.0)]
    body.append(_token("08:15", 120, 5 * 4.5))
    small = [_token("11/02/2024", 0, 4 * 9.0), _token("20", 50, 8.0), _token("31", 60, 8.0)]
    value = _token("65", 200, 5 * 2.5)  # "6.5" printed, read without its point
    widths = DigitWidths([Line(1, [*body, value]), Line(1, small)])
    assert widths.besides(value) == pytest.approx(5.0)
    # Fewer than three numbers agreeing give no width, and no repair.
    few = DigitWidths([Line(1, [*body[:2], small[0], value])])
    assert few.besides(value) is None
    reference = ReferenceRange("4.0-5.6", (ReferenceBand(4.0, 5.6),))
    assert restore_point(ResultValue("65", number=65), [value], reference, few) is None
    restored = restore_point(ResultValue("65", number=65), [value], reference, widths)
    assert restored is not None and restored.text == "6.5"
