"""Collection dates as US, UK and European labs label and print them (issue 12): every
result is dated by when the specimen was taken, never by when it was received, reported,
printed or by the patient's birth date. Texts written for these tests, not from any bench
layout."""

from __future__ import annotations

from datetime import date

import pytest

from ocr.facts import extract
from ocr.facts.dates import date_order, dated_mentions, day_first
from ocr.facts.lines import text_lines
from ocr.model import PageReading

pytestmark = pytest.mark.nodb

TODAY = date(2025, 1, 1)
TABLE = (
    "TEST            RESULT   UNITS    REFERENCE RANGE\n"
    "Glucose         95       mg/dL    70-99\n"
    "Sodium          140      mmol/L   136-145\n"
)


def page(text: str) -> PageReading:
    return PageReading(1, 612, 792, text, [], "", "", False)


def collected(text: str) -> set[date | None]:
    facts = extract([page(text)], TODAY)
    assert len(facts.labs) == 2
    return {result.collected for result in facts.labs}


@pytest.mark.parametrize(
    "label",
    [
        "Collected: 2024-03-05",  # ISO
        "Collected: 2024-03-05 08:15",
        "Collection Date/Time: 2024-03-05T08:15:00",
        "Collected: 05-Mar-2024 08:15",
        "Specimen collected on 03/05/2024",
        "Date/Time Collected: 03/05/2024 08:15",
        "DATE/TIME COLLECTED 03/05/2024 08:15",
        "Coll. date: 03/05/2024",
        "Coll.: 2024-03-05 08:15",
        "Coll Date: 03/05/24",
        "Collected Date: Mar 5, 2024 8:15 AM",
        "Specimen Collected: 3/5/2024 8:15 AM",
        "Collection date and time: 5 March 2024 08:15",
        "Date Collected: 05.03.2024 08:15",  # dotted: day first everywhere
        "Sample taken: 5 Mar 2024 08:15",
        "Specimen drawn: 2024/03/05 0815",
        "Date sampled: 05.03.2024",
        "Sampled: 2024-03-05 08:15:00",
        "Received: 03/06/2024 10:02   Collected: 03/05/2024 08:15",
        "Collected: 03/05/2024 08:15   Reported: 03/07/2024 14:30",
        "Collected: Tuesday, March 5, 2024",
        "Collected: 5th March 2024",
        "Collected 2024-Mar-05 08:15",
        "Collect Date/Time: 03/05/2024 08:15",
        "Draw Date: 03/05/2024",
        "Coll Dt/Tm: 03/05/2024 0815",
        "Date Obtained: 03/05/2024",
        "Date of specimen: 03/05/2024",
        "Entnahme: 05.03.2024 08:15",  # German
        "Abnahmedatum: 05.03.2024",
        "Date de prélèvement: 05.03.2024",  # French
    ],
)
def test_collection_date_labels_and_forms(label: str) -> None:
    # A received date above it: an unlabelled collection date would lose to it.
    text = (
        "Patient: Jane Doe   DOB: 04/07/1951\nPrinted: 03/09/2024\n"
        f"Received: 2024-03-06 10:02\n{label}\n{TABLE}"
    )
    assert collected(text) == {date(2024, 3, 5)}


def test_consent_obtained_is_no_collection() -> None:
    mentions = dated_mentions(text_lines("Consent obtained from the patient 03/05/2024"), TODAY)
    assert [m.kind for m in mentions] == ["unlabelled"]


def test_a_title_over_the_date_is_read_whole() -> None:
    # "Date/Time" alone is any date; the title goes on to say "Collected".
    text = (
        "Date/Time Reported         Date/Time Collected\n"
        "2024-03-07 14:30           2024-03-05 08:15\n" + TABLE
    )
    assert collected(text) == {date(2024, 3, 5)}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # A UK report: the birth date shows the day comes first.
        ("DOB: 21/02/1950\nSample taken: 05/03/2024 08:15", date(2024, 3, 5)),
        ("Birth date: 04/07/1951\nCollected: 05/03/2024\nReported: 19/03/2024", date(2024, 3, 5)),
        ("Collected: 05-03-2024   Reported: 14-03-2024", date(2024, 3, 5)),
        # A US report: month first, as before, even where a day past 12 comes second.
        ("DOB: 02/21/1950\nCollected: 05/03/2024", date(2024, 5, 3)),
        ("Collected: 05/03/2024", date(2024, 5, 3)),
        # Both orders in one document: nothing is certain, month first as before.
        ("DOB: 21/02/1950\nCollected: 05/03/2024\nPrinted: 03/19/2024", date(2024, 5, 3)),
    ],
)
def test_the_document_decides_day_or_month_first(header: str, expected: date) -> None:
    assert collected(f"{header}\n{TABLE}") == {expected}


def test_day_first_needs_a_day_past_twelve_and_ignores_ranges_and_times() -> None:
    assert day_first(["13/01/2024"]) is True
    assert day_first(["01/13/2024"]) is False
    assert day_first(["13/01/2024", "01/13/2024"]) is False
    assert day_first(["Range 13-14", "08:15", "2024-03-13", "13.01.2024"]) is False


def test_the_order_holds_only_inside_its_block() -> None:
    lines = text_lines("Collected: 05/03/2024")
    with date_order(["DOB: 21/02/1950"]) as first:
        assert first is True
        assert [m.value for m in dated_mentions(lines, TODAY)] == [date(2024, 3, 5)]
    assert [m.value for m in dated_mentions(lines, TODAY)] == [date(2024, 5, 3)]


@pytest.mark.parametrize("label", ["Printed: 07-Mar-2024 09:00", "Run date: 2024-03-07 09:00"])
def test_a_print_date_never_dates_the_results(label: str) -> None:
    facts = extract([page(f"{label}\n{TABLE}")], TODAY)
    assert facts.date == date(2024, 3, 7) and facts.date_kind == "printed"
    assert {r.collected for r in facts.labs} == {None}


def test_a_uk_cumulative_table_dates_each_column_day_first() -> None:
    text = (
        "Patient: Jane Doe   DOB: 23/04/1960\n"
        "TEST          05/03/2024   12/02/2024   UNITS\n"
        "              08:15        09:40\n"
        "Glucose       95           101          mg/dL\n"
    )
    facts = extract([page(text)], TODAY)
    assert [(r.value.text, r.collected) for r in facts.labs] == [
        ("95", date(2024, 3, 5)),
        ("101", date(2024, 2, 12)),
    ]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # Every numeric date could be either: a month name written day first decides...
        (["Born 25 Nov 1954", "Sample taken: 05/03/2024"], True),
        (["Born Nov 25, 1954", "Collected: 05/03/2024"], False),
        (["Date of birth: 2nd March 1961", "Collected: 05/03/2024"], True),
        # ...else the reading that puts collection and report within a fortnight.
        (["Collected: 05/03/2024", "Reported: 07/03/2024"], True),
        (["Collected: 03/05/2024", "Reported: 03/07/2024"], False),
        (["Collected: 03/05/2024", "Reported: 03/05/2024"], False),  # same either way
        # A print date comes any time later: no clue.
        (["Collected: 01/02/2024", "Printed: 11/02/2024"], False),
        # Unambiguous numeric dates still decide first.
        (["Born 25 Nov 1954", "Collected: 03/25/2024"], False),
    ],
)
def test_ambiguous_numeric_dates_follow_weaker_cues(texts: list[str], expected: bool) -> None:
    assert day_first(texts) is expected


def test_a_report_of_ambiguous_dates_with_an_age_dates_results_day_first() -> None:
    text = f"Age: 61 years\nSample taken: 05/03/2024\nReported: 07/03/2024\n{TABLE}"
    facts = extract([page(text)], TODAY)
    assert {r.collected for r in facts.labs} == {date(2024, 3, 5)}
