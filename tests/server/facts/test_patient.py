"""Whose document is it: a document naming someone else is flagged, its facts held back."""

from __future__ import annotations

from datetime import date

import pytest

from server.db.tables import Document
from server.documents import filing
from server.facts import patient, persist
from server.health.records import profile_facts
from server.people import household
from server.runtime import Services
from tests.fixtures.facts import lab_facts
from tests.fixtures.health_facts import add_document


@pytest.mark.parametrize(
    ("names", "births", "profile", "dob", "verdict"),
    [
        (["Levin, Henry L."], [], "John Smith", None, patient.MISMATCH),
        (["SMITH, JOHN"], ["1950-03-14"], "John Smith", date(1950, 3, 14), patient.MATCH),
        (["John Smith"], ["1947-05-01"], "John Smith", date(1950, 3, 14), patient.MISMATCH),
        (["Joe Grandpa"], [], "Grandpa Joe", None, patient.MATCH),  # any order
        (["DOE, JANE Q"], [], "Jane Doe", None, patient.MATCH),
        (["Levin, Henry L."], [], "Henry Smith", None, patient.MISMATCH),
        (["Isabella Jones"], [], "Dad", None, patient.UNKNOWN),  # a nickname names no one
        (["Isabella Jones"], [], "Dad", date(1950, 3, 14), patient.UNKNOWN),  # no printed DOB
        ([], ["1947-05-01"], "Dad", date(1950, 3, 14), patient.MISMATCH),
        ([], [], "John Smith", date(1950, 3, 14), patient.UNKNOWN),  # prints no patient
    ],
)
def test_check(
    names: list[str], births: list[str], profile: str, dob: date | None, verdict: str
) -> None:
    printed = {"names": names, "birth_dates": births}
    assert patient.check(printed, {"display_name": profile, "date_of_birth": dob}) == verdict


async def _check(doc_id: int) -> str:
    row = await Document.select(Document.patient_check).where(Document.id == doc_id).first()
    assert row is not None
    return str(row["patient_check"])


async def test_a_document_for_another_patient_is_flagged_until_a_person_confirms_it(
    services: Services,
) -> None:
    dad = await household.add_profile("Henry Smith", slug="dad", dob=date(1950, 3, 14))
    jane = await household.add_profile("Jane Q Doe", slug="jane", dob=date(1951, 3, 14))
    found = lab_facts()  # the report prints "Jane Q Doe", born 1951-03-14
    assert found.patient.names and found.labs
    doc = await add_document(dad["id"], "labs.pdf")
    await persist.store(services.engine, doc, found)
    assert await _check(doc) == patient.MISMATCH
    assert await profile_facts(dad["id"]) == [], "held back from Dad's health views"
    assert {f.foreign for f in await profile_facts(dad["id"], held=True)} == {True}
    # Read again (a new extractor): still flagged.
    await persist.store(services.engine, doc, found)
    assert await _check(doc) == patient.MISMATCH
    # Moved to the profile it names: it matches there, and its facts show.
    await filing.refile(services.engine, doc, jane["id"])
    assert await _check(doc) == patient.MATCH
    assert len(await profile_facts(jane["id"])) == len(found.labs)
    # A person files it under Dad after all: their word stands, even across a new reading.
    await filing.refile(services.engine, doc, dad["id"], by_person=True)
    assert await _check(doc) == patient.CONFIRMED
    await persist.store(services.engine, doc, found)
    assert await _check(doc) == patient.CONFIRMED
    assert len(await profile_facts(dad["id"])) == len(found.labs)
