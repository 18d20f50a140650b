"""Scoped queries: the one upload rule, duplicates the caller may not see, profile lists."""

from __future__ import annotations

import pytest

from server.access.policy import AccessDenied
from server.access.scope import (
    all_profiles,
    profile_by_id,
    profiles_for,
    seen_document,
    upload_target,
)
from server.db.tables import Grant
from tests.fixtures.people import AS_ROLE, Household, caller_named


@pytest.mark.parametrize("role", ["owner", "caregiver"])
async def test_owners_and_caregivers_may_upload_to_their_profile(
    household: Household, role: str
) -> None:
    caller = await caller_named(AS_ROLE[role])
    assert await upload_target(caller, "dad") == household.profiles["dad"]
    # With no profile named, the one profile they may upload to.
    assert await upload_target(caller, "") == household.profiles["dad"]


@pytest.mark.parametrize("role", ["viewer", "admin", "none"])
async def test_viewers_admins_without_a_grant_and_strangers_may_not_upload_to_it(
    household: Household, role: str
) -> None:
    caller = await caller_named(AS_ROLE[role])
    with pytest.raises(AccessDenied) as refused:
        await upload_target(caller, "dad")
    assert refused.value.status == 403
    with pytest.raises(AccessDenied) as unknown:
        await upload_target(caller, "no-such")
    # The same answer for a profile that does not exist: existence does not leak.
    assert unknown.value.status == 403 and unknown.value.user_message.endswith("'no-such'.")


async def test_without_a_profile_an_admin_uploads_to_triage_and_others_must_choose(
    household: Household,
) -> None:
    assert await upload_target(await caller_named("admin"), "") is None
    for name in ("carol", "dave"):  # a viewer, and someone with no role: nowhere to upload
        with pytest.raises(AccessDenied) as refused:
            await upload_target(await caller_named(name), "")
        assert refused.value.status == 403
    alice, kid = household.users["alice"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{alice}:{kid}", user=alice, profile=kid, role="caregiver"))
    with pytest.raises(AccessDenied) as choose:
        await upload_target(await caller_named("alice"), "")
    assert choose.value.status == 400


@pytest.mark.parametrize("role", ["owner", "caregiver", "viewer"])
async def test_a_document_is_named_only_to_those_who_may_see_it(
    household: Household, role: str
) -> None:
    caller = await caller_named(AS_ROLE[role])
    seen = await seen_document(caller, household.docs["dad"])
    assert seen is not None and seen["id"] == household.docs["dad"]
    assert await seen_document(caller, household.docs["kid"]) is None
    assert await seen_document(caller, household.docs["unfiled"]) is None
    assert await seen_document(caller, None) is None


async def test_admins_see_the_triage_queue_but_no_ones_records(household: Household) -> None:
    admin = await caller_named("admin")
    assert await seen_document(admin, household.docs["unfiled"]) is not None
    assert await seen_document(admin, household.docs["dad"]) is None
    assert await seen_document(await caller_named("dave"), household.docs["dad"]) is None


async def test_profile_lists_follow_roles(household: Household) -> None:
    assert [p["slug"] for p in await profiles_for(await caller_named("carol"))] == ["dad"]
    assert await profiles_for(await caller_named("carol"), "upload") == []
    assert [p["slug"] for p in await profiles_for(await caller_named("bob"), "upload")] == ["dad"]
    assert await profiles_for(await caller_named("admin")) == []
    assert await profiles_for(await caller_named("dave")) == []
    # An admin sees every profile's name (to file documents), nothing more.
    names = {p["slug"] for p in await all_profiles(await caller_named("admin"))}
    assert names == {"dad", "kid"}
    for name in ("olga", "bob", "carol", "dave"):
        with pytest.raises(AccessDenied):
            await all_profiles(await caller_named(name))


@pytest.mark.parametrize(
    ("role", "action", "status"),
    [
        ("owner", "manage", None),
        ("caregiver", "manage", 403),
        ("viewer", "view", None),
        ("viewer", "edit", 403),
        ("admin", "view", 404),
        ("none", "view", 404),
    ],
)
async def test_profile_by_id(
    household: Household, role: str, action: str, status: int | None
) -> None:
    caller = await caller_named(AS_ROLE[role])
    if status is None:
        row = await profile_by_id(caller, household.profiles["dad"], action)
        assert row["slug"] == "dad"
        return
    with pytest.raises(AccessDenied) as refused:
        await profile_by_id(caller, household.profiles["dad"], action)
    assert refused.value.status == status
