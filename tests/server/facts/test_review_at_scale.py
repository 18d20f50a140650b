"""Review at scale: a document's facts confirmed or rejected in one action, weak ones only
when ticked; a fact filed as another kind. Per role, and never across profiles."""

from __future__ import annotations

import pytest

from ocr.facts.confidence import REVIEW_BELOW
from server.access.policy import AccessDenied, Caller
from server.db.tables import CONFIRMED, CORRECTED, EXTRACTED, REJECTED, Fact, User
from server.facts import service
from server.people import household
from server.runtime import Services
from tests.fixtures.health_facts import add_document, add_fact


async def _setup(services: Services) -> tuple[dict[str, Caller], int, dict[str, int]]:
    mum = (await household.add_profile("Mum", slug="mum"))["id"]
    other = (await household.add_profile("Other", slug="other"))["id"]
    callers = {}
    for i, (name, roles) in enumerate(
        {
            "owner": {mum: "owner"},
            "caregiver": {mum: "caregiver"},
            "viewer": {mum: "viewer"},
            "stranger": {other: "owner"},
        }.items()
    ):
        rows = await User.insert(User(username=f"u{i}", password_hash="-")).returning(User.id)
        callers[name] = Caller(rows[0]["id"], f"u{i}", roles=roles)
    doc = await add_document(mum, "labs.pdf")
    facts = {
        "strong": await add_fact(mum, doc, "lab", "Glucose", confidence=0.95),
        "structured": await add_fact(mum, doc, "lab", "Potassium", confidence=None),
        "weak": await add_fact(mum, doc, "lab", "A1c", confidence=REVIEW_BELOW - 0.3),
        "weaker": await add_fact(mum, doc, "lab", "RBC", confidence=REVIEW_BELOW - 0.35),
        "rejected": await add_fact(mum, doc, "lab", "LDH", confidence=0.9, status=REJECTED),
    }
    return callers, doc, facts


async def _status(fact_id: int) -> str:
    row = await Fact.select(Fact.status).where(Fact.id == fact_id).first()
    assert row is not None
    return str(row["status"])


async def test_confirm_all_leaves_weak_facts_unless_ticked(services: Services) -> None:
    callers, doc, facts = await _setup(services)
    done = await service.confirm_document(callers["caregiver"], doc, include=[facts["weak"]])
    assert (done.changed, done.left) == (3, 1)
    assert {k: await _status(v) for k, v in facts.items()} == {
        "strong": CONFIRMED,
        "structured": CONFIRMED,
        "weak": CONFIRMED,  # ticked
        "weaker": EXTRACTED,  # not ticked: still waits for a look
        "rejected": REJECTED,  # a person's earlier word stays
    }
    again = await service.confirm_document(callers["owner"], doc)
    assert (again.changed, again.left) == (0, 1)


async def test_reject_all_and_change_kind(services: Services) -> None:
    callers, doc, facts = await _setup(services)
    moved = await service.change_kind(callers["owner"], facts["strong"], "medication")
    assert moved["kind"] == "medication" and moved["status"] == CORRECTED
    assert moved["corrected"]["kind"] == "medication"
    done = await service.reject_document(callers["owner"], doc)
    assert done.changed == 3  # the unreviewed ones; the corrected and rejected stay as they are
    assert await _status(facts["strong"]) == CORRECTED


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("stranger", 404)])
async def test_only_those_who_may_edit_review_a_document(
    services: Services, who: str, status: int
) -> None:
    callers, doc, facts = await _setup(services)
    for call in (
        service.confirm_document(callers[who], doc),
        service.reject_document(callers[who], doc),
        service.change_kind(callers[who], facts["strong"], "vital"),
    ):
        with pytest.raises(AccessDenied) as denied:
            await call
        assert denied.value.status == status
    assert {await _status(f) for f in facts.values()} == {EXTRACTED, REJECTED}
