"""Document type, date, provider, facility and patient."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lab_pages import LAYOUTS, Report, Row, page_reading

from ocr.facts import extract
from ocr.facts.dates import find_dates
from ocr.model import PageReading

pytestmark = pytest.mark.nodb

TODAY = date(2025, 1, 1)
GROUNDTRUTH = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "corpus"
    / "scans"
    / "medical"
    / "derived__UD_sample.groundtruth.txt"
)


def page(text: str) -> PageReading:
    return PageReading(1, 612, 792, text, [], "", "", False)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "DISCHARGE SUMMARY\nDate of Admission: 01/02/2023\nHOSPITAL COURSE: uneventful.",
            "discharge summary",
        ),
        (
            "RADIOLOGY REPORT\nEXAM: Chest x-ray\nFINDINGS: clear lungs.\nIMPRESSION: normal.",
            "imaging report",
        ),
        ("PROGRESS NOTE\nCHIEF COMPLAINT: cough\nASSESSMENT AND PLAN: rest.", "visit note"),
        ("IMMUNIZATION RECORD\nInfluenza vaccine 10/01/2022 Lot AB123", "immunization record"),
        (
            "EXPLANATION OF BENEFITS\nClaim number 123\nAmount billed $120\nPatient responsibility",
            "billing",
        ),
        ("REFERRAL\nReason for referral: knee pain\nReferred to: Orthopedics", "referral"),
        ("Rx: Amoxicillin 500 mg\nSig: 1 cap TID\nDisp: #30 Refills: 0", "medication list"),
        ("Dear friend, see you at the picnic on Saturday.", "other"),
    ],
)
def test_document_types(text: str, kind: str) -> None:
    assert extract([page(text)], TODAY).kind == kind


def test_lab_report_is_a_lab_report_dated_by_collection() -> None:
    rows = [Row("Glucose", "95", "mg/dL", "70-99"), Row("Sodium", "140", "mmol/L", "136-145")]
    report = Report(
        rows,
        born=date(1951, 3, 14),
        collected=date(2023, 3, 14),
        reported=date(2023, 3, 16),
        printed=date(2024, 11, 2),
    )
    for layout in LAYOUTS:
        facts = extract([page_reading(p) for p in LAYOUTS[layout](report)], TODAY)
        assert facts.kind == "lab report", layout
        assert facts.date == date(2023, 3, 14), layout
        assert facts.patient.birth_dates == (date(1951, 3, 14),), layout
        assert facts.patient.names == ("Jane Q Doe",), layout
        assert facts.date_citation is not None and facts.date_citation.page == 1


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        (
            "DOB: 04/05/1960\nPrinted: 06/07/2024\nDate of Service: 05/01/2024",
            date(2024, 5, 1),
            "service",
        ),
        ("Date of Birth 04/05/1960\nPrinted on 06/07/2024", date(2024, 6, 7), "printed"),
        ("DOB: 04/05/1960\nVisit 2024-05-01", date(2024, 5, 1), "service"),
        ("Collected        Received\n03/14/2023 08:15 03/15/2023", date(2023, 3, 14), "collected"),
        ("Geburtsdatum: 04.05.1960\nDatum: 01.02.2023", date(2023, 2, 1), "date"),
    ],
)
def test_document_date_is_never_the_birth_date(text: str, expected: date, kind: str) -> None:
    facts = extract([page(text)], TODAY)
    assert (facts.date, facts.date_kind) == (expected, kind)


def test_discharge_summary_is_dated_by_discharge() -> None:
    facts = extract(
        [page("DISCHARGE SUMMARY\nAdmission Date: 01/02/2023\nDischarge Date: 01/09/2023")], TODAY
    )
    assert facts.date == date(2023, 1, 9)


def test_dates_in_ocr_text() -> None:
    assert [d for d, _, _ in find_dates("Date of Service: 25:07.2010", TODAY)] == [
        date(2010, 7, 25)
    ]
    assert [d for d, _, _ in find_dates("at 08:15 on Mar 3, 2021", TODAY)] == [date(2021, 3, 3)]
    assert find_dates("Range 4.0-5.6 and 1:160", TODAY) == []


def test_provider_and_facility() -> None:
    facts = extract(
        [
            page(
                "Riverside Clinical Laboratory\n123 Main St\nOrdering Physician: Alan Grant, MD\n"
                "Name: Jane Doe   D.O.B. 01.02.1950\n"
            )
        ],
        TODAY,
    )
    assert facts.provider == "Alan Grant, MD"
    assert facts.facility == "Riverside Clinical Laboratory"
    assert facts.provider_citation is not None and "Alan Grant" in facts.provider_citation.line


def test_discharge_summary_groundtruth() -> None:
    if not GROUNDTRUTH.is_file():
        pytest.skip(f"corpus not found at {GROUNDTRUTH}")
    text = GROUNDTRUTH.read_text(encoding="utf-8", errors="replace")
    pages = [page(part) for part in text.split("\f") if part.strip()]
    facts = extract(pages, TODAY)
    assert facts.kind == "discharge summary"
    assert facts.date is not None and facts.date not in facts.patient.birth_dates
    assert facts.medications or facts.conditions
