"""Finding the patient's printed name and birth date, and matching them to household profiles."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest

from ocr.identity import PatientIdentity, find_patient, matches, name_matches

pytestmark = pytest.mark.nodb

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"  # ../shared/corpus
DISCHARGE = CORPUS / "scans" / "medical" / "derived__UD_sample.groundtruth.txt"
NOTES = CORPUS / "notes" / "mtsamples_subset.csv"
BORN = date(1951, 3, 14)


def found(*pages: str) -> PatientIdentity:
    """What the finder sees in `pages`."""
    return find_patient(list(pages))


@pytest.mark.parametrize(
    "text",
    [
        "Patient: Jane Doe",
        "Patient Name: Jane Doe",
        "PATIENT NAME JANE DOE",
        "Name: Jane Doe",
        "Pt: Jane Doe",
        "Pt Name Jane Doe",
        "Pt. Name: Jane Doe",
        "Patient's Name: Jane Doe",
        "Name of Patient: Jane Doe",
        "Patient Information   Name: Jane Doe",
        "PATIENT INFORMATION NAME: JANE DOE",
        "PATIENT INFORMATION\nName: Jane Doe",
        "Patient  DOE, JANE",
        "Accession: 88123   Patient: Doe, Jane   Collected: 04/01/2024",
        "Patient Name:\nDOE, JANE",
    ],
)
def test_name_labels(text: str) -> None:
    assert found(text).names == ("Jane Doe",)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Patient: DOE, JANE A", "Jane A Doe"),
        ("Patient: Doe, Jane Anne", "Jane Anne Doe"),
        ("Patient: Jane A. Doe", "Jane A Doe"),
        ("Patient: JANE DOE", "Jane Doe"),
        ("Patient: Mr. John Smith", "John Smith"),
        ("Patient: Mrs. Jane Doe", "Jane Doe"),
        ("Patient: Ms Jane Doe", "Jane Doe"),
        ("Patient: Miss Jane Doe", "Jane Doe"),
        ("Patient: Dr. Raj Patel", "Raj Patel"),
        ("Patient: John Smith Jr.", "John Smith"),
        ("Patient: SMITH, JOHN, III", "John Smith"),
        ("Patient: Smith, John Sr", "John Smith"),
        ("Patient: John Smith II", "John Smith"),
        ("Patient: Raj Patel, MD", "Raj Patel"),
        ("Patient: O'BRIEN, SEAN", "Sean O'Brien"),
        ("Patient: DOE-SMITH, MARY", "Mary Doe-Smith"),
        ("Patient: Anna van der Berg", "Anna van der Berg"),
        ("Patient: Sean McDonald", "Sean McDonald"),
        ("Patient: José Müller", "José Müller"),
    ],
)
def test_name_orders_titles_and_suffixes(text: str, name: str) -> None:
    assert found(text).names == (name,)


@pytest.mark.parametrize(
    "stop",
    [
        "DOB: 03/14/1951",
        "Sex: F",
        "Age: 73",
        "MRN: 12345",
        "MR# 12345",
        "Acct 4471",
        "Account: 4471",
        "ID: 12345",
        "Date: 04/01/2024",
        "Gender: Female",
        "Phone: 555-0101",
        "Address: 1 Main St",
        "Visit: Office",
        "Provider: Raj Patel",
        "Physician: Raj Patel",
        "Collected: 04/01/2024",
    ],
)
def test_name_value_stops_at_next_label(stop: str) -> None:
    assert found(f"Patient: DOE, JANE A {stop}").names == ("Jane A Doe",)


@pytest.mark.parametrize(
    "text",
    [
        "Patient: DOE, JANE A      Springfield Clinic",
        "Patient: Doe, Jane A Unit:4B",
        "Patient: Doe, Jane A(F)",
        "Patient: Doe, Jane A / F / 73",
        "Patient: Doe, Jane A 12345",
        "Patient: Doe, Jane A was seen today",
    ],
)
def test_name_value_stops_where_the_name_ends(text: str) -> None:
    assert found(text).names == ("Jane A Doe",)


def test_table_line_gives_name_and_birth_date() -> None:
    identity = found("Patient: DOE, JANE A    DOB: 03/14/1951   Sex: F   MRN: 12345")
    assert identity == PatientIdentity(
        names=("Jane A Doe",),
        birth_dates=(BORN,),
        evidence=("Patient: DOE, JANE A    DOB: 03/14/1951   Sex: F   MRN: 12345",),
    )


def test_letter_re_line() -> None:
    identity = found("Dear Dr. Patel,\n\nRe: Jane Doe (DOB 3/14/1951)\n\nThank you for seeing her.")
    assert identity.names == ("Jane Doe",)
    assert identity.birth_dates == (BORN,)
    assert identity.evidence == ("Re: Jane Doe (DOB 3/14/1951)",)


@pytest.mark.parametrize(
    "label",
    [
        "DOB:",
        "DOB",
        "D.O.B.:",
        "D.O.B.",
        "Date of Birth:",
        "DATE OF BIRTH",
        "Birth Date:",
        "Birthdate:",
        "Born:",
        "born",
        "born on",
        "Geburtsdatum:",
        "Geb.",
        "Patient DOB:",
        "DOB/Age:",
    ],
)
def test_birth_date_labels(label: str) -> None:
    assert found(f"{label} 03/14/1951").birth_dates == (BORN,)


@pytest.mark.parametrize(
    "written",
    [
        "03/14/1951",
        "3/14/1951",
        "3/14/51",
        "03-14-1951",
        "1951-03-14",
        "1951/03/14",
        "14.03.1951",
        "14/03/1951",
        "14-Mar-1951",
        "14 Mar 1951",
        "14 March 1951",
        "March 14, 1951",
        "March 14th, 1951",
        "Mar 14 1951",
        "Mar. 14, 1951",
        "MAR 14 1951",
        "14. März 1951",
        "03 / 14 / 1951",
    ],
)
def test_birth_date_forms(written: str) -> None:
    assert found(f"DOB: {written}").birth_dates == (BORN,)


@pytest.mark.parametrize(
    ("written", "born"),
    [
        ("04/05/1990", date(1990, 4, 5)),  # US order when both numbers could be a month
        ("13/05/1990", date(1990, 5, 13)),  # the first number cannot be a month
        ("04.05.1990", date(1990, 5, 4)),  # dotted dates are day-first
        ("1/2/05", date(2005, 1, 2)),
        ("1/2/99", date(1999, 1, 2)),
    ],
)
def test_numeric_date_order(written: str, born: date) -> None:
    assert found(f"DOB: {written}").birth_dates == (born,)


def test_two_digit_year_takes_the_century_in_the_past() -> None:
    next_year = date.today().year + 1
    text = f"DOB: 01/01/{next_year % 100:02d}"
    assert found(text).birth_dates == (date(next_year - 100, 1, 1),)


@pytest.mark.parametrize(
    "written", ["02/30/1990", "13/13/1990", "00/10/1990", "1990-13-01", "31.04.1990", "1/1/1850"]
)
def test_impossible_dates_are_rejected(written: str) -> None:
    assert found(f"DOB: {written}").birth_dates == ()


def test_future_dates_are_rejected() -> None:
    today = date.today()
    tomorrow, later = today + timedelta(days=1), today + timedelta(days=400)
    text = f"DOB: {tomorrow:%m/%d/%Y}\nDate of Birth: {later:%Y-%m-%d}\nBorn: {today:%m/%d/%Y}"
    assert found(text).birth_dates == (today,)


@pytest.mark.parametrize(
    "text",
    [
        "DOB: 03/14/1951 (73 y)",
        "DOB: 03/14/1951 Age: 73",
        "DOB: 03/14/1951  73 yrs",
        "Age 73   DOB 03/14/1951",
        "DOB: 3/14/1951/73",
    ],
)
def test_age_beside_the_birth_date(text: str) -> None:
    assert found(text).birth_dates == (BORN,)


@pytest.mark.parametrize(
    "text",
    [
        "Collected: 04/01/2024   Reported: 04/02/2024",
        "Date of Service: 04/01/2024",
        "Visit Date: 04/01/2024",
        "Printed 04/02/2024 10:31",
        "Report Date: April 2, 2024",
        "Date of Discharge: 03/26/2009",
        "Patient: Jane Doe   Collected: 04/01/2024",
        "Collected    DOB\n04/01/2024   03/14/1951",  # a header row: columns we cannot line up
        "DOB: see chart\n04/01/2024",  # the label line has a value, so the next line is not it
        "Baby was born at ABCD Hospital at 1333 on 07/14/2006.",
        "DOB: MM/DD/YYYY",
        "Mother's DOB: 01/02/1960",
        "Guarantor DOB: 01/02/1960",
    ],
)
def test_other_dates_are_not_birth_dates(text: str) -> None:
    assert found(text).birth_dates == ()


@pytest.mark.parametrize(
    "text",
    [
        "Date of Birth:\n03/14/1951",
        "DOB\n\n  3/14/1951",
        "Patient: Jane Doe   DOB:\nMarch 14, 1951",
    ],
)
def test_birth_date_on_the_next_line(text: str) -> None:
    identity = found(text)
    assert identity.birth_dates == (BORN,)
    assert identity.evidence[-1] == text.splitlines()[-1].strip()


@pytest.mark.parametrize(
    "text",
    [
        "Patlent Narne: Jane Doe",
        "PATIENT NARNE: JANE DOE",
        "Pat1ent: Jane Doe",
        "Narne: Jane Doe",
        "Name; Jane Doe",
    ],
)
def test_ocr_noise_in_name_labels(text: str) -> None:
    assert found(text).names == ("Jane Doe",)


@pytest.mark.parametrize(
    "text", ["D0B: 03/14/1951", "DOB; 03/14/1951", "D.0.B. 03/14/1951", "Date 0f Birth: 03/14/1951"]
)
def test_ocr_noise_in_birth_date_labels(text: str) -> None:
    assert found(text).birth_dates == (BORN,)


@pytest.mark.parametrize(
    "text", ["DXB: 03/14/1951", "D8B: 03/14/1951", "Pxtient: Jane Doe", "Nome: Jane Doe"]
)
def test_arbitrary_label_noise_is_not_tolerated(text: str) -> None:
    identity = found(text)
    assert (identity.names, identity.birth_dates) == ((), ())


@pytest.mark.parametrize(
    "text",
    [
        "Ordering Physician: Dr. Raj Patel",
        "Ordering Physician Name: Dr. Raj Patel",
        "Physician Name: Raj Patel",
        "Name of test: Hemoglobin A1c",
        "Name of Test: Complete Blood Count",
        "Test Name: Complete Blood Count",
        "Guarantor Name: John Doe",
        "Guarantor name: John Doe",
        "Facility Name: Springfield General Hospital",
        "Drug Name: Lisinopril Hydrochlorothiazide",
        "Subscriber Name: John Doe",
        "Emergency Contact Name: John Doe",
        "Mother's Name: Mary Doe",
        "The patient was seen today. Patient was brought to the OR.",
        "PATIENT INFORMATION",
        "Patient Instructions: Take Tylenol Every Day",
        "INSTRUCTIONS TO PATIENT:\nInclude Usual Diet",
        "Patient: Jane",
        "Patient: J. Doe",
        "RE:  XXXX, XXXX",
        "Re: Mrs. Sample Patient",
        "Re-excision was performed. PT Evaluation Summary",
        "Patient Name: Unknown",
        "Re: Your Test Results",
        "Name: Lab Results Summary",
    ],
)
def test_not_the_patients_name(text: str) -> None:
    assert found(text).names == ()


def test_results_are_deduplicated_in_order_across_pages() -> None:
    header = "Patient: DOE, JANE A   DOB: 03/14/1951"
    identity = found(
        f"{header}\nGlucose 95 mg/dL",
        f"{header}\nPatient Name: Jane A. Doe",
        "Patient: Doe, John   DOB: 1/2/1980",
    )
    assert identity.names == ("Jane A Doe", "John Doe")
    assert identity.birth_dates == (BORN, date(1980, 1, 2))
    assert identity.evidence == (
        header,
        "Patient Name: Jane A. Doe",
        "Patient: Doe, John   DOB: 1/2/1980",
    )


def test_nothing_found_in_an_empty_document() -> None:
    assert found("", "\n\n") == PatientIdentity((), (), ())


@pytest.mark.parametrize(
    ("printed", "profile"),
    [
        ("Jane Doe", "Jane Doe"),
        ("JANE DOE", "jane doe"),
        ("DOE, JANE", "Jane Doe"),
        ("Jane Doe", "Doe, Jane"),
        ("DOE, JANE A", "Jane Anne Doe"),
        ("Jane A. Doe", "Jane Doe"),
        ("Jane Doe", "Jane Anne Doe"),
        ("Jane Anne Doe", "Jane A Doe"),
        ("Mr. John Smith Jr.", "John Smith"),
        ("José Müller", "Jose Muller"),
        ("Jose Mueller", "José Müller"),
        ("Straße, Anna", "Anna Strasse"),
        ("Mary O'Brien", "Mary OBrien"),
        ("DOE-SMITH, MARY", "Mary Doe-Smith"),
        ("Michael Smyth", "Michael Smith"),  # one OCR edit in a 5+ letter part
        ("Michael Srnith", "Michael Smith"),  # "m" read as "rn"
        ("Bemard Shaw", "Bernard Shaw"),  # "rn" read as "m"
        ("J0HN DOE", "John Doe"),  # digits in a printed name are misread letters
        ("Henry L Levin", "Henry Levin"),
    ],
)
def test_name_matches(printed: str, profile: str) -> None:
    assert name_matches(printed, profile)


@pytest.mark.parametrize(
    ("printed", "profile"),
    [
        ("Jane", "Jane Doe"),  # a lone given name never matches
        ("Jane Doe", "Jane"),
        ("Doe", "Jane Doe"),
        ("Jane Roe", "Jane Doe"),  # family names must match: short parts allow no edit
        ("John Doe", "Jane Doe"),
        ("Jon Smith", "John Smith"),
        ("Janet Doe", "Jane Doe"),
        ("Michael Smithers", "Michael Smith"),
        ("Mikael Smith", "Michael Smith"),  # two edits
        ("Jane B. Doe", "Jane Anne Doe"),  # conflicting middle initial
        ("Jane Doe", "Jane Doe-Smith"),
        ("J. Doe", "Jane Doe"),
        ("Doe Jane", "Jane Doe"),
        ("", "Jane Doe"),
        ("Jane Doe", ""),
    ],
)
def test_name_does_not_match(printed: str, profile: str) -> None:
    assert not name_matches(printed, profile)


def test_matches_needs_the_birth_date_and_the_name() -> None:
    identity = found("Patient: DOE, JANE A   DOB: 03/14/1951")
    assert matches(identity, "Jane Anne Doe", BORN)
    assert not matches(identity, "Jane Anne Doe", date(1951, 3, 15))
    assert not matches(identity, "John Doe", BORN)
    assert matches(identity, "Jane Doe", None)
    assert not matches(identity, "Jane", None)
    assert not matches(identity, "Doe", None)


def test_matches_without_a_printed_birth_date() -> None:
    identity = found("Patient: Jane Doe")
    assert matches(identity, "Jane Doe", None)
    assert not matches(identity, "Jane Doe", BORN)


def test_matches_without_a_printed_name() -> None:
    assert not matches(found("DOB: 03/14/1951"), "Jane Doe", BORN)


def test_matches_any_of_several_candidates() -> None:
    identity = found("Patient: Jane Doe  DOB: 03/14/1951", "Patient: Jim Doe  DOB: 1/2/1980")
    assert matches(identity, "Jim Doe", date(1980, 1, 2))
    assert matches(identity, "Jane Doe", BORN)


@pytest.mark.corpus
def test_discharge_summary_from_the_corpus() -> None:
    if not DISCHARGE.exists():
        pytest.skip(f"corpus file not found at {DISCHARGE}")
    text = DISCHARGE.read_text(encoding="utf-8")
    # It prints the patient's name, a patient ID and many other dates, but no birth date.
    assert "Patient Name: Levin, Henry L." in text
    assert "Date of Discharge: 03/26/2009" in text
    identity = find_patient(text.split("|Page"))
    assert identity == PatientIdentity(
        names=("Henry L Levin",), birth_dates=(), evidence=("Patient Name: Levin, Henry L.",)
    )
    assert matches(identity, "Henry Levin", None)
    assert matches(identity, "Levin, Henry Lee", None)
    assert not matches(identity, "Henry Levin", date(1952, 6, 1))
    assert not matches(identity, "Harry Levin", None)


@cache
def _notes() -> dict[str, str]:
    """Transcriptions from the notes corpus by note id."""
    with NOTES.open(encoding="utf-8", newline="") as rows:
        return {row["note_id"]: row["transcription"] for row in csv.DictReader(rows)}


# Each note carries something a careless finder would take for the patient's details.
@pytest.mark.corpus
@pytest.mark.parametrize(
    ("note", "trap"),
    [
        ("1", "Weight was 130 pounds"),
        ("1361", "Weight:  225 pounds"),
        ("15", "Patient was brought to the operating room"),
        ("1907", "RE:  XXXX, XXXX"),
        ("3068", "DOB:  MM/DD/YYYY"),
        ("3073", "Re:  Mrs. Sample Patient"),
        ("3903", "born at ABCD Hospital at 1333 on 07/14/2006"),
        ("3966", "INSTRUCTIONS TO PATIENT:"),
        ("4608", "DATE OF INJURY : April 20, 2003"),
    ],
)
def test_transcribed_notes_have_no_patient_to_invent(note: str, trap: str) -> None:
    if not NOTES.exists():
        pytest.skip(f"corpus file not found at {NOTES}")
    text = _notes()[note]
    assert trap in text
    # The CSV encodes line breaks as commas: read it both as stored and with lines restored.
    for pages in ([text], [text.replace(",", "\n")]):
        identity = find_patient(pages)
        assert (identity.names, identity.birth_dates) == ((), ())
