"""Layouts of lab_layouts.py through the real pipeline: a scanned cumulative table and
born-digital panels side by side and a fixed-width printout (small pages; OCR is slow)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lab_layouts import LAYOUTS
from lab_pages import SIX_LINES, SIX_ROWS, Report, Row, digital_pdf, page_image, scanned_pdf

from ocr.facts import extract
from ocr.options import ReadOptions
from ocr.pipeline import read_document

pytestmark = pytest.mark.nodb

COLLECTED, BEFORE = date(2013, 10, 20), date(2013, 7, 15)
ROWS = [
    Row("Glucose", "95", "mg/dL", "70-99", "", ("101",)),
    Row("Creatinine", "1.3", "mg/dL", "0.6-1.2", "H", ("1.1",)),
    Row("Potassium", "4.1", "mmol/L", "3.5-5.1", "", ("4.4",)),
    Row("WBC", "6.7", "K/uL", "3.8-10.8", "", ("7.9",)),
]
REPORT = Report(ROWS, collected=COLLECTED, earlier=(BEFORE,))
CURRENT = {
    ("glucose", 95.0, "mg/dL", COLLECTED),
    ("creatinine", 1.3, "mg/dL", COLLECTED),
    ("potassium", 4.1, "mmol/L", COLLECTED),
    ("wbc", 6.7, "10^3/µL", COLLECTED),
}


def read(path: Path, work: Path) -> set[tuple[str | None, float | None, str | None, date | None]]:
    reading = read_document(path, work, ReadOptions())
    return {
        (r.analyte, r.value.number, r.unit_normal, r.collected) for r in extract(reading.pages).labs
    }


def test_a_scanned_cumulative_table_dates_each_column(tmp_path: Path) -> None:
    image = page_image(LAYOUTS["cumulative"](REPORT)[0], dpi=300, skew=0.8, blur=0.6, seed=5)
    pdf = scanned_pdf([image], tmp_path / "scan.pdf", 300)
    assert read(pdf, tmp_path / "work") == CURRENT | {
        ("glucose", 101.0, "mg/dL", BEFORE),
        ("creatinine", 1.1, "mg/dL", BEFORE),
        ("potassium", 4.4, "mmol/L", BEFORE),
        ("wbc", 7.9, "10^3/µL", BEFORE),
    }


@pytest.mark.parametrize("layout", ["two-panels", "lis-mono", "previous"])
def test_born_digital_layouts(layout: str, tmp_path: Path) -> None:
    pdf = digital_pdf(LAYOUTS[layout](REPORT), tmp_path / "digital.pdf")
    assert read(pdf, tmp_path / "work") == CURRENT


@pytest.mark.parametrize("seed", [1, 3, 5])
def test_a_200_dpi_scan_is_read_from_an_enlarged_copy(seed: int, tmp_path: Path) -> None:
    """A blurred, speckled 200 dpi scan: Tesseract reads an enlarged copy (the engine's
    READ_AT_LEAST_DPI), and every word box still lands where the word is printed. Read as
    scanned, these pages gave 12-16 of their 24 rows exactly; enlarged, 22-24."""
    pages = LAYOUTS["columns"](Report(SIX_ROWS * 4, collected=COLLECTED))
    image = page_image(pages[0], dpi=200, blur=0.9, noise=0.003, skew=0.0, seed=seed)
    reading = read_document(scanned_pdf([image], tmp_path / "scan.pdf", 200), tmp_path / "w",
                            ReadOptions())  # fmt: skip
    (page,) = reading.pages
    assert sum(page.text.count(line) for line in SIX_LINES) >= 21
    printed = next(t for t in pages[0].texts if t.text == "Ordering Physician: Dr. Alan Grant")
    word = next(w for w in page.words if w.text == "Ordering")
    width, height = pages[0].size
    assert word.x0 == pytest.approx(printed.x / width, abs=0.01)
    assert word.y1 == pytest.approx(printed.y / height, abs=0.01)
