"""Turning what the extractor read into Fact rows: values, units, citations, keys, exclusions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from ocr.facts.model import (
    Allergy,
    Citation,
    Condition,
    DocumentFacts,
    Immunization,
    Medication,
)
from server.facts.records import document_values, from_document
from tests.fixtures.facts import COLLECTED, lab_facts
from tests.ocr.facts.lab_pages import Row

pytestmark = pytest.mark.nodb
CITE = Citation(1, ((0.1, 0.2, 0.5, 0.22),), "a printed line")


def test_lab_rows_keep_the_printed_value_and_the_canonical_number() -> None:
    rows = {r.analyte: r for r in from_document(lab_facts()) if r.kind == "lab"}
    assert set(rows) == {"glucose", "creatinine", "hba1c", "potassium"}
    creatinine = rows["creatinine"]
    # 88 µmol/L printed; the number is in the catalogue's unit (mg/dL), the text as printed.
    assert creatinine.value_text == "88"
    assert creatinine.unit == "mg/dL"
    assert creatinine.value_num == pytest.approx(0.995, abs=0.001)
    assert creatinine.data["unit"] == "umol/L" and creatinine.data["value"]["number"] == 88
    assert creatinine.code == "2160-0" and creatinine.effective == COLLECTED
    assert creatinine.flag == "" and rows["glucose"].flag == "H"
    assert rows["glucose"].value_num == 105 and rows["glucose"].unit == "mg/dL"
    # The citation: page, a box per source line (fractions of the page), and the line.
    assert creatinine.page == 1 and creatinine.line.startswith("Creatinine 88")
    ((x0, y0, x1, y1),) = creatinine.boxes
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    for row in rows.values():
        json.dumps(row.data)  # the whole record is stored as JSON


def test_document_values_come_from_the_extractor() -> None:
    values = document_values(lab_facts())
    assert values["doc_type"] == "lab report"
    assert values["doc_date"] == COLLECTED and values["doc_date_kind"] == "collected"
    assert values["provider"] == "Dr. Alan Grant"
    assert values["facility"] == "Riverside Clinical Laboratory"
    null_date = DocumentFacts(kind="other", date=date(1, 1, 1), date_kind="created")
    assert document_values(null_date)["doc_date"] is None  # C-CDA's "no date"
    assert document_values(null_date)["doc_date_kind"] == ""


def test_what_is_not_the_patients_is_left_out_and_nkda_is_kept() -> None:
    found = DocumentFacts(
        date=date(2022, 5, 1),
        conditions=[
            Condition("Type 2 diabetes mellitus", CITE, icd10="E11.9"),
            Condition("Asthma", CITE, assertion="absent"),
        ],
        excluded=[Condition("Breast cancer", CITE, assertion="family")],
        allergies=[
            Allergy(None, CITE, none_known=True, scope="drug"),
            Allergy("latex", CITE, status="refuted"),
            Allergy("Penicillin", CITE, reaction="hives", severity="moderate"),
        ],
        medications=[Medication("Metformin", CITE, strength="500 mg", status="stopped")],
        immunizations=[Immunization("Tdap", CITE, given=date(2021, 9, 1), dose_number=2)],
    )
    rows = from_document(found)
    names = [(r.kind, r.name, r.state) for r in rows]
    assert names == [
        ("medication", "Metformin", "stopped"),
        ("condition", "Type 2 diabetes mellitus", "active"),
        ("allergy", "No known drug allergies", "none-known"),
        ("allergy", "Penicillin", "active"),
        ("immunization", "Tdap", "completed"),
    ]
    by_name = {r.name: r for r in rows}
    assert by_name["Type 2 diabetes mellitus"].code == "E11.9"
    assert by_name["Penicillin"].value_text == "hives"
    assert by_name["Penicillin"].data["severity"] == "moderate"
    assert by_name["Metformin"].value_text == "500 mg"
    assert by_name["Tdap"].value_text == "dose 2"
    assert by_name["Tdap"].effective == date(2021, 9, 1)
    assert by_name["Metformin"].effective == date(2022, 5, 1)  # the document's date
    assert [r.seq for r in rows] == list(range(5))


def test_keys_ignore_the_value_and_tell_repeats_apart() -> None:
    first = from_document(lab_facts())
    # The same report read again, a value read differently: the keys stay the same.
    misread = lab_facts([Row("Glucose", "150", "mg/dL", "70-99", "H"), *_rest()])
    second = from_document(misread)
    assert [r.key for r in first] == [r.key for r in second]
    assert len({r.key for r in first}) == len(first)
    twice = lab_facts([Row("Glucose", "105", "mg/dL"), Row("Glucose", "99", "mg/dL")])
    keys = [r.key for r in from_document(twice)]
    assert keys[0].endswith("#1") and keys[1].endswith("#2") and keys[0][:-2] == keys[1][:-2]


def test_long_text_is_cut_to_the_column_width() -> None:
    long = Medication("X" * 400, replace(CITE, locator="L" * 400), strength="1" * 300)
    (row,) = from_document(DocumentFacts(medications=[long]))
    columns = row.columns()
    assert len(columns["name"]) == 255 and columns["name"].endswith("…")
    assert len(columns["value_text"]) == 255 and len(columns["locator"]) == 255
    assert row.data["name"] == "X" * 400  # what was read stays whole


def _rest() -> list[Row]:
    return [
        Row("Creatinine", "88", "umol/L", "62-115"),
        Row("Hemoglobin A1c", "6.1", "%", "4.0-5.6", "H"),
        Row("Potassium", "4.1", "mmol/L", "3.5-5.1"),
    ]
