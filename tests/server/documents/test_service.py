"""Documents as a person sees and changes them: lists, moving (the triage rule), retry, triage."""

from __future__ import annotations

import pytest

from server.access.policy import AccessDenied
from server.db.tables import Document, Grant
from server.documents import service
from server.runtime import Services
from tests.fixtures.people import AS_ROLE, Household, caller_named


async def _profile(household: Household, doc: str) -> int | None:
    row = await Document.select(Document.profile).where(Document.id == household.docs[doc]).first()
    assert row is not None
    return row["profile"]


async def test_owners_and_caregivers_move_a_document_where_they_may_upload(
    app_services: Services, household: Household
) -> None:
    bob, kid = household.users["bob"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{bob}:{kid}", user=bob, profile=kid, role="caregiver"))
    caller = await caller_named("bob")
    await service.move(caller, app_services.engine, household.docs["dad"], "kid")
    assert await _profile(household, "dad") == kid


@pytest.mark.parametrize(("role", "status"), [("owner", 403), ("caregiver", 403)])
async def test_not_to_a_profile_they_may_not_upload_to(
    app_services: Services, household: Household, role: str, status: int
) -> None:
    caller = await caller_named(AS_ROLE[role])
    for target in ("kid", "no-such"):
        with pytest.raises(AccessDenied) as refused:
            await service.move(caller, app_services.engine, household.docs["dad"], target)
        assert refused.value.status == status
    assert await _profile(household, "dad") == household.profiles["dad"]


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("admin", 404), ("none", 404)])
async def test_viewers_admins_without_a_grant_and_strangers_cannot_move_it(
    app_services: Services, household: Household, role: str, status: int
) -> None:
    caller = await caller_named(AS_ROLE[role])
    with pytest.raises(AccessDenied) as refused:
        await service.move(caller, app_services.engine, household.docs["dad"], "kid")
    assert refused.value.status == status
    assert await _profile(household, "dad") == household.profiles["dad"]


async def test_only_an_admin_files_from_the_triage_queue_under_any_profile(
    app_services: Services, household: Household
) -> None:
    for role in ("owner", "caregiver", "viewer", "none"):
        with pytest.raises(AccessDenied) as refused:
            await service.move(
                await caller_named(AS_ROLE[role]),
                app_services.engine,
                household.docs["unfiled"],
                "dad",
            )
        assert refused.value.status == 404, role
    admin = await caller_named("admin")
    await service.move(admin, app_services.engine, household.docs["unfiled"], "kid")
    assert await _profile(household, "unfiled") == household.profiles["kid"]
    # Filed, it is no longer the admin's: admin alone opens no records.
    with pytest.raises(AccessDenied):
        await service.move(admin, app_services.engine, household.docs["unfiled"], "dad")


@pytest.mark.parametrize("role", ["owner", "caregiver", "viewer", "admin", "none"])
async def test_the_triage_queue_is_for_admins(household: Household, role: str) -> None:
    caller = await caller_named(AS_ROLE[role])
    if role != "admin":
        with pytest.raises(AccessDenied):
            await service.triage(caller)
        return
    queue = await service.triage(caller)
    assert [d["id"] for d in queue["documents"]] == [household.docs["unfiled"]]


@pytest.mark.parametrize(
    ("role", "shown"),
    [("owner", ["dad"]), ("caregiver", ["dad"]), ("viewer", ["dad"]), ("admin", []), ("none", [])],
)
async def test_the_documents_list_shows_what_the_caller_may_see(
    household: Household, role: str, shown: list[str]
) -> None:
    listing = await service.listing(await caller_named(AS_ROLE[role]), None)
    assert [d["id"] for d in listing["documents"]] == [household.docs[k] for k in shown]
    assert listing["counts"]["ready"] == len(shown)


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("admin", 404), ("none", 404)])
async def test_only_those_who_may_edit_retry_and_only_failed_documents(
    household: Household, role: str, status: int
) -> None:
    with pytest.raises(AccessDenied) as refused:
        await service.retry(await caller_named(AS_ROLE[role]), household.docs["dad"])
    assert refused.value.status == status
    assert await service.retry(await caller_named("bob"), household.docs["dad"]) is False
    await Document.update({Document.state: "failed"}).where(Document.id == household.docs["dad"])
    assert await service.retry(await caller_named("bob"), household.docs["dad"]) is True
    row = await Document.select(Document.state).where(Document.id == household.docs["dad"]).first()
    assert row and row["state"] == "queued"
