"""Decimal points lost by OCR come back only when the word's width and the range agree."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lab_pages import LAYOUTS, Report, Row, page_reading

from ocr.facts import extract
from ocr.model import PageReading

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
    # A white count of 67 is possible (leukaemia): it stays as read.
    assert found["wbc"][0] == "67"
    assert found["alt"] == ("640", ())
