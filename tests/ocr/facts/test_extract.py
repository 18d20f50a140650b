"""End to end: a lab report printed, scanned and read by the real pipeline (OCRmyPDF included)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lab_pages import Report, Row, columns, digital_pdf, page_image, scanned_pdf

from ocr.facts import extract
from ocr.options import ReadOptions
from ocr.pipeline import read_document

pytestmark = pytest.mark.nodb

ROWS = [
    Row("Glucose", "95", "mg/dL", "70-99"),
    Row("Hemoglobin A1c", "7.2", "%", "4.0-5.6", "H"),
    Row("Creatinine", "1.3", "mg/dL", "0.6-1.2", "H"),
    Row("Potassium", "4.1", "mmol/L", "3.5-5.1"),
    Row("WBC", "11.2", "x10E3/uL", "3.8-10.8", "H"),
    Row("Platelets", "250", "K/uL", "150-400"),
]
REPORT = Report(ROWS, born=date(1951, 3, 14), collected=date(2023, 3, 14))
EXPECTED = [
    ("glucose", 95.0, "mg/dL"),
    ("hba1c", 7.2, "%"),
    ("creatinine", 1.3, "mg/dL"),
    ("potassium", 4.1, "mmol/L"),
    ("wbc", 11.2, "10^3/µL"),
    ("platelets", 250.0, "10^3/µL"),
]


def test_scanned_report_through_the_pipeline(tmp_path: Path) -> None:
    image = page_image(columns(REPORT)[0], dpi=300, skew=1.1, blur=0.8, noise=0.001, seed=3)
    pdf = scanned_pdf([image], tmp_path / "scan.pdf", 300)
    reading = read_document(pdf, tmp_path / "work", ReadOptions())
    assert reading.pages[0].ocr_applied
    facts = extract(reading.pages)
    assert [(r.analyte, r.value.number, r.unit_normal) for r in facts.labs] == EXPECTED
    assert facts.kind == "lab report"
    assert facts.date == date(2023, 3, 14)
    assert date(1951, 3, 14) in facts.patient.birth_dates
    hba1c = facts.labs[1]
    assert hba1c.flag == "H"
    # The citation's box holds the word OCR read for the value, on the page it came from.
    value = next(w for w in reading.pages[0].words if w.text.startswith("7.2"))
    ((x0, y0, x1, y1),) = hba1c.citation.boxes
    assert x0 <= value.x0 <= value.x1 <= x1 and y0 <= value.y0 <= value.y1 <= y1


def test_born_digital_report_through_the_pipeline(tmp_path: Path) -> None:
    pdf = digital_pdf(columns(REPORT), tmp_path / "digital.pdf")
    reading = read_document(pdf, tmp_path / "work", ReadOptions())
    assert not reading.pages[0].ocr_applied
    facts = extract(reading.pages)
    assert [(r.analyte, r.value.number, r.unit_normal) for r in facts.labs] == EXPECTED
    assert [r.flag for r in facts.labs] == [None, "H", "H", None, "H", None]
