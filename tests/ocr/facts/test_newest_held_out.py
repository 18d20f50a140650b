"""Reader fixes found on the newest four held-out layouts (result-letter, ccd-print,
au-pathology, vista) once they were tuned on after their first run (issue 12, 2026-12-07):
each test holds text written for it, in the shape those layouts print, and fails on the
reader before the fix."""

from __future__ import annotations

from datetime import date

import pytest

from ocr.facts import catalogue, extract
from ocr.facts.model import DocumentFacts
from ocr.model import PageReading

pytestmark = pytest.mark.nodb


def read(text: str) -> DocumentFacts:
    return extract([PageReading(1, 612, 792, text, [], "", "", False)])


def test_a_letter_dates_its_results_by_the_sample_not_by_the_letter() -> None:
    """A doctor's letter is dated two days after the blood was drawn; the sentence that says
    when is the collection date ("The blood sample you gave on March 19, 2008 …")."""
    text = (
        "March 21, 2008\n"
        "Re: Your laboratory results (date of birth 5/1/1975)\n"
        "Thank you for your recent visit. The blood sample you gave on March 19, 2008 was "
        "tested\n"
        "Test                Your result          Standard range    Flag\n"
        "Hemoglobin          13.2 g/dL            12.0 - 15.5\n"
    )
    facts = read(text)
    assert [(r.analyte, r.collected) for r in facts.labs] == [("hemoglobin", date(2008, 3, 19))]
    assert (facts.date, facts.date_kind) == (date(2008, 3, 19), "collected")


def test_a_panels_heading_with_its_date_and_time_is_no_result() -> None:
    """ "CBC with Differential - Final result (3/19/2008 8:15 AM)" was read as a test of
    value 8.15."""
    heading = "CBC with Differential - Final result (3/19/2008 8:15 AM)"
    at = heading.index("8:15")
    text = (
        f"{'Component':<{at}}Value     Units     Reference Range\n"
        f"{heading}\n"
        f"{'Hemoglobin':<{at}}13.2      g/dL      12.0 - 15.5\n"
    )
    assert [(r.analyte, r.value.text) for r in read(text).labs] == [("hemoglobin", "13.2")]


def test_a_telephone_number_is_no_ph() -> None:
    """ "Ph (02) 9447 1200" in a laboratory's address line was a urine pH of 9447, shown."""
    text = (
        "14 Giffnock Avenue, Macquarie Park NSW 2113 · Ph (02) 9447 1200 · ABN 47 003 012 451\n"
        "Urinalysis\n"
        "pH                  6.5\n"
    )
    assert [(r.analyte, r.value.text) for r in read(text).labs] == [("ua_ph", "6.5")]


def test_no_test_is_named_with_a_dates_label() -> None:
    """On a scan the date "Nov 25, 2010@08:15" fell apart under a table's columns: "Specimen
    Collection Date: Nov" was read as a test of value 25."""
    text = (
        "Test name                         Result    units      Ref. range\n"
        "Specimen Collection Date: Nov     25, 2010@08:15\n"
        "Glucose                           95        mg/dL      70-99\n"
    )
    assert [(r.analyte, r.value.text) for r in read(text).labs] == [("glucose", "95")]


def test_a_name_that_says_serum_is_no_urine_test_under_a_urine_heading() -> None:
    found = catalogue.resolve("Protein [Mass/volume] in Serum", "g/dL", context="URINALYSIS")
    assert found is not None and found.key == "protein_total"
    urine = catalogue.resolve("Protein", "mg/dL", context="URINALYSIS")
    assert urine is not None and urine.key == "ua_protein"
