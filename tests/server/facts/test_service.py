"""Facts as a person reads them: the row's page strip and the fact's profile, behind access."""

from __future__ import annotations

import pytest

from server.access.policy import AccessDenied
from server.db.tables import Fact, Page
from server.facts import service
from tests.fixtures.people import AS_ROLE, Household, caller_named


async def _fact(household: Household) -> int:
    doc = household.docs["dad"]
    await Page.update({Page.width_pt: 612.0, Page.height_pt: 792.0}).where(Page.document == doc)
    rows = await Fact.insert(
        Fact(
            profile=household.profiles["dad"],
            document=doc,
            kind="lab",
            name="Glucose",
            value_text="105",
            page=1,
            boxes=[[0.1, 0.2, 0.3, 0.22]],
        )
    ).returning(Fact.id)
    return int(rows[0]["id"])


@pytest.mark.parametrize("role", ["owner", "caregiver"])
async def test_a_facts_row_shows_the_strip_of_its_page(household: Household, role: str) -> None:
    caller = await caller_named(AS_ROLE[role])
    fact = await service.fact_for(caller, await _fact(household), "edit")
    shown = await service.with_crop(caller, fact)
    assert shown["crop"] is not None and shown["crop"]["rects"]
    assert (await service.profile_of(caller, fact))["slug"] == "dad"


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("admin", 404), ("none", 404)])
async def test_viewers_admins_without_a_grant_and_strangers_cannot_review_it(
    household: Household, role: str, status: int
) -> None:
    fact_id = await _fact(household)
    caller = await caller_named(AS_ROLE[role])
    with pytest.raises(AccessDenied) as refused:
        await service.fact_for(caller, fact_id, "edit")
    assert refused.value.status == status
    # A fact read by someone else is not shown to them through the helpers either.
    fact = await service.fact_for(await caller_named("olga"), fact_id, "view")
    if role != "viewer":
        with pytest.raises(AccessDenied):
            await service.with_crop(caller, fact)
        with pytest.raises(AccessDenied):
            await service.profile_of(caller, fact)
