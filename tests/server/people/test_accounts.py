"""A user's own account: setup, login, changing the password; the admin's user list."""

from __future__ import annotations

import pytest

from server.access.policy import AccessDenied
from server.db.tables import Session, User
from server.people import accounts
from server.people.auth import AuthError, create_session
from server.runtime import Services
from tests.fixtures.people import AS_ROLE, PASSWORD, Household, caller_named, password_hash


async def test_the_first_admin_is_made_once(app_services: Services) -> None:
    assert not await accounts.admin_exists()
    first = await accounts.create_first_admin(app_services.engine, "root", "", password_hash())
    assert first is not None and first["is_admin"] and first["display_name"] == "root"
    assert await accounts.admin_exists()
    again = await accounts.create_first_admin(app_services.engine, "other", "", password_hash())
    assert again is None and await User.count() == 1


async def test_login_gives_one_answer_for_wrong_password_unknown_and_disabled(
    household: Household,
) -> None:
    assert (await accounts.check_login("bob", PASSWORD) or {}).get("username") == "bob"
    assert await accounts.check_login("bob", "wrong password!") is None
    assert await accounts.check_login("nobody", PASSWORD) is None
    await User.update({User.disabled: True}).where(User.username == "bob")
    assert await accounts.check_login("bob", PASSWORD) is None


async def test_changing_the_password_ends_every_session(household: Household) -> None:
    bob = await caller_named("bob")
    await create_session(bob.user_id, "1.2.3.4", "test")
    assert (await accounts.overview(bob))["sessions"] == 1
    with pytest.raises(AuthError, match="current password"):
        await accounts.change_password(bob, "wrong", "a new password 1", "a new password 1")
    with pytest.raises(AuthError, match="not the same"):
        await accounts.change_password(bob, PASSWORD, "a new password 1", "a new password 2")
    user = await accounts.change_password(bob, PASSWORD, "a new password 1", "a new password 1")
    assert user["username"] == "bob"
    assert await Session.count().where(Session.user == bob.user_id) == 0
    assert await accounts.check_login("bob", "a new password 1") is not None


@pytest.mark.parametrize("role", ["owner", "caregiver", "viewer", "none"])
async def test_only_admins_list_and_look_up_users(household: Household, role: str) -> None:
    admin = await caller_named("admin")
    assert "carol" in [u["username"] for u in await accounts.users(admin)]
    assert (await accounts.user(admin, household.users["carol"]) or {})["username"] == "carol"
    caller = await caller_named(AS_ROLE[role])
    with pytest.raises(AccessDenied):
        await accounts.users(caller)
    with pytest.raises(AccessDenied):
        await accounts.user(caller, household.users["carol"])
