"""Inputs for the facts tests: a lab report printed with exact word boxes, and what it reads as."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ocr.facts import extract
from ocr.facts.model import DocumentFacts
from ocr.model import Reading
from ocr.options import ReadOptions
from tests.ocr.facts.lab_pages import Report, Row, columns, page_reading

ROWS = [
    Row("Glucose", "105", "mg/dL", "70-99", "H"),
    Row("Creatinine", "88", "umol/L", "62-115"),
    Row("Hemoglobin A1c", "6.1", "%", "4.0-5.6", "H"),
    Row("Potassium", "4.1", "mmol/L", "3.5-5.1"),
]
COLLECTED = date(2023, 3, 14)


def report(rows: list[Row] | None = None, patient: str = "Jane Q Doe") -> Report:
    return Report(rows or ROWS, patient=patient, born=date(1951, 3, 14), collected=COLLECTED)


def lab_facts(rows: list[Row] | None = None) -> DocumentFacts:
    """What the extractor reads from the report, without OCR (born-digital word boxes)."""
    pages = [page_reading(p, i + 1) for i, p in enumerate(columns(report(rows)))]
    return extract(pages)


def plain_reader(src: Path, workdir: Path, options: ReadOptions) -> Reading:
    """The pipeline alone, without facts (a ReaderPool child runs it by module and name)."""
    from ocr.pipeline import read_document

    return read_document(src, workdir, options)
