"""API tokens: made for profiles one may upload to, revoked only by their user, capped."""

from __future__ import annotations

import pytest

from server.people.tokens import TokenError, caller_for_token, create_token, listing, revoke
from tests.fixtures.people import AS_ROLE, Household, caller_named


@pytest.mark.parametrize("role", ["viewer", "admin", "none"])
async def test_only_those_who_may_upload_get_a_token(household: Household, role: str) -> None:
    caller = await caller_named(AS_ROLE[role])
    with pytest.raises(TokenError):
        await create_token(caller, "phone", ["dad"])
    assert (await listing(caller))["token_profiles"] == []


async def test_an_owners_token_speaks_as_a_caregiver_of_its_profiles_only(
    household: Household,
) -> None:
    olga = await caller_named("olga")
    raw, _row = await create_token(olga, "scanner", ["dad"])
    token_caller = await caller_for_token(raw)
    assert token_caller is not None and not token_caller.is_admin
    assert dict(token_caller.roles) == {household.profiles["dad"]: "caregiver"}
    shown = await listing(olga)
    assert [t["name"] for t in shown["tokens"]] == ["scanner"]
    assert shown["tokens"][0]["profile_names"] == ["Secret Dad"]


async def test_a_token_is_revoked_only_by_its_user(household: Household) -> None:
    raw, row = await create_token(await caller_named("bob"), "phone", ["dad"])
    assert await revoke(await caller_named("olga"), row["id"]) is None
    assert await caller_for_token(raw) is not None
    assert await revoke(await caller_named("bob"), row["id"]) == "phone"
    assert await caller_for_token(raw) is None
    assert await revoke(await caller_named("bob"), row["id"]) is None, "once"
