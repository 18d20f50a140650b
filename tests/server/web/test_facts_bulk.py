"""Review at scale through HTTP: confirm or reject a document's facts at once, file a fact as
another kind; the weak ones listed first and left out unless ticked; per role."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from ocr.facts.confidence import REVIEW_BELOW
from server.db.tables import Fact
from server.facts import persist
from server.runtime import Services
from tests.fixtures.facts import lab_facts
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client


async def _statuses(doc_id: int) -> dict[int, str]:
    rows = await Fact.select(Fact.id, Fact.status).where(Fact.document == doc_id)
    return {r["id"]: r["status"] for r in rows}


@pytest.fixture
async def weak(app_services: Services, household: Household) -> int:
    """Dad's lab report read, with one fact made weak (as a note's sentence would read it)."""
    doc = household.docs["dad"]
    await persist.store(app_services.engine, doc, lab_facts())
    first = min(await _statuses(doc))
    await Fact.update({Fact.confidence: REVIEW_BELOW - 0.2}).where(Fact.id == first)
    return first


async def test_confirm_all_lists_weak_facts_first_and_leaves_them_unless_ticked(
    app: Starlette, household: Household, weak: int
) -> None:
    doc = household.docs["dad"]
    async with new_client(app) as client:
        await login(client, "bob")  # caregiver
        page = (await client.get("/profiles/dad/review")).text
        assert 'data-testid="confirm-all"' in page and f'value="{weak}"' in page
        first = page.index('data-testid="fact"')
        assert 'data-testid="weak"' in page[first : first + 600], "the weak fact comes first"
        r = await client.post(
            f"/documents/{doc}/facts/confirm", data={"back": "/profiles/dad/review"}
        )
        assert r.status_code == 303 and r.headers["location"] == "/profiles/dad/review"
        statuses = await _statuses(doc)
        assert statuses.pop(weak) == "extracted"
        assert set(statuses.values()) == {"confirmed"}
        # Ticked after a look: confirmed too.
        await client.post(f"/documents/{doc}/facts/confirm", data={"include": str(weak)})
        assert (await _statuses(doc))[weak] == "confirmed"


async def test_reject_all_and_file_as_another_kind(
    app: Starlette, household: Household, weak: int
) -> None:
    doc = household.docs["dad"]
    async with new_client(app) as client:
        await login(client, "olga")  # owner
        r = await client.post(f"/facts/{weak}/kind", data={"kind": "medication"})
        assert r.status_code == 303
        row = await Fact.select(Fact.kind, Fact.status).where(Fact.id == weak).first()
        assert row == {"kind": "medication", "status": "corrected"}
        assert (await client.post(f"/facts/{weak}/kind", data={"kind": "x"})).status_code == 400
        await client.post(f"/documents/{doc}/facts/reject")
        statuses = await _statuses(doc)
        assert statuses.pop(weak) == "corrected"
        assert set(statuses.values()) == {"rejected"}


@pytest.mark.parametrize(("who", "status"), [("carol", 403), ("erin", 404)])
async def test_viewers_and_strangers_review_nothing(
    app: Starlette, household: Household, weak: int, who: str, status: int
) -> None:
    doc = household.docs["dad"]
    async with new_client(app) as client:
        await login(client, who)
        for path in (f"/documents/{doc}/facts/confirm", f"/documents/{doc}/facts/reject"):
            assert (await client.post(path)).status_code == status
        r = await client.post(f"/facts/{weak}/kind", data={"kind": "vital"})
        assert r.status_code == status
    assert set((await _statuses(doc)).values()) == {"extracted"}
