"""Unreviewed facts are marked; weak ones (low confidence) stay out of the health views."""

from __future__ import annotations

from datetime import date

from ocr.facts.confidence import REVIEW_BELOW
from server.db.tables import CONFIRMED, EXTRACTED, MANUAL
from server.health.records import profile_facts
from server.people import household
from server.runtime import Services
from tests.fixtures.health_facts import add_document, add_fact

WEAK = REVIEW_BELOW - 0.2
STRONG = min(1.0, REVIEW_BELOW + 0.2)


async def test_weak_unreviewed_facts_are_held_back_until_confirmed(services: Services) -> None:
    mum = (await household.add_profile("Mum", slug="mum"))["id"]
    doc = await add_document(mum, "note.pdf", doc_date=date(2026, 3, 1))
    facts = {
        "weak": await add_fact(mum, doc, "lab", "A1c", confidence=WEAK, status=EXTRACTED),
        "strong": await add_fact(mum, doc, "lab", "LDL", confidence=STRONG, status=EXTRACTED),
        "structured": await add_fact(mum, doc, "lab", "K", confidence=None, status=EXTRACTED),
        "weak confirmed": await add_fact(mum, doc, "lab", "Na", confidence=WEAK, status=CONFIRMED),
        "typed in": await add_fact(mum, None, "vital", "Weight", status=MANUAL),
    }
    shown = {f.id: f for f in await profile_facts(mum)}
    assert set(shown) == set(facts.values()) - {facts["weak"]}
    assert {f.id for f in shown.values() if f.unreviewed} == {
        facts["strong"],
        facts["structured"],
    }, "every machine-read fact nobody confirmed carries the mark"
    everything = {f.id: f for f in await profile_facts(mum, held=True)}
    assert everything[facts["weak"]].held and not everything[facts["strong"]].held
    assert [f.id for f in await profile_facts(mum, "vital")] == [facts["typed in"]]


async def test_json_fields_read_as_stored_when_first_used(services: Services) -> None:
    """`data` and `corrected` are decoded on first use: they read exactly as stored."""
    mum = (await household.add_profile("Mum", slug="mum"))["id"]
    doc = await add_document(mum, "note.pdf", doc_date=date(2026, 3, 1))
    record = {"unit": "mg/dL", "reference": {"text": "70-99", "bands": [{"low": 70}]}, "n": [1]}
    await add_fact(mum, doc, "lab", "Glucose", data=record, corrected={"unit": "mmol/L"},
                   status=CONFIRMED)  # fmt: skip
    await add_fact(mum, doc, "lab", "Sodium", data={}, status=CONFIRMED)
    by_name = {f.name: f for f in await profile_facts(mum)}
    glucose, sodium = by_name["Glucose"], by_name["Sodium"]
    assert dict(glucose.data) == record and dict(glucose.corrected) == {"unit": "mmol/L"}
    assert glucose.get("unit") == "mmol/L" and glucose.get("n") == [1]
    assert glucose.reference_text == "70-99"
    assert not sodium.data and not sodium.corrected and sodium.get("unit") is None
