"""Account hardening (issue 11, finding 8): API tokens end with the logins, unknown login
names are not kept as typed."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from server.access.scope import load_caller
from server.db.tables import AuditEvent, User
from server.people import household as hh
from server.people import tokens
from tests.fixtures.people import PASSWORD, Household, login
from tests.server.conftest import new_client


async def _token_for(username: str) -> str:
    user = await User.select().where(User.username == username).first()
    assert user is not None
    raw, _ = await tokens.create_token(await load_caller(user), "scanner app", ["dad"])
    assert await tokens.caller_for_token(raw) is not None
    return raw


@pytest.mark.parametrize("how", ["password reset", "disabled", "log out everywhere"])
async def test_api_tokens_end_with_the_logins(
    app: Starlette, household: Household, how: str
) -> None:
    raw = await _token_for("bob")
    uid = household.users["bob"]
    if how == "password reset":
        await hh.reset_password(uid, "a brand new password")
    elif how == "disabled":
        await hh.set_disabled(uid, True)
        await hh.set_disabled(uid, False)  # enabling again brings no token back
    else:
        async with new_client(app) as client:
            await login(client, "bob")
            r = await client.post("/account/logout-all")
            assert r.status_code in (200, 303)
    assert await tokens.caller_for_token(raw) is None


async def test_an_unknown_login_name_is_logged_as_a_hash(
    app: Starlette, household: Household
) -> None:
    typed = "MySecret-Passw0rd!"  # a password typed into the username field
    async with new_client(app) as client:
        page = await client.get("/login")
        assert page.status_code == 200
        from tests.fixtures.people import csrf_from

        await client.post(
            "/login",
            data={"username": typed, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        )
        await client.post(
            "/login",
            data={"username": "bob", "password": "wrong one", "csrf_token": csrf_from(page.text)},
        )
    rows = await AuditEvent.select(AuditEvent.subject, AuditEvent.actor_name).where(
        AuditEvent.kind == "login_failed"
    )
    names = {r["subject"] for r in rows} | {r["actor_name"] for r in rows}
    assert "bob" in names, "a real user's failed login still names them"
    assert not any(typed.lower() in n for n in names)
    assert any(n.startswith("unknown:") for n in names)


async def test_the_current_password_check_is_throttled_and_audited(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as client:
        await login(client, "bob")
        new = {"password": "a brand new password", "password2": "a brand new password"}
        codes = [
            (
                await client.post("/account/password", data={"current": f"guess {i}", **new})
            ).status_code
            for i in range(6)
        ]
        assert codes == [400] * 5 + [429]
        right = await client.post("/account/password", data={"current": PASSWORD, **new})
        assert right.status_code == 429, "limited like a login, the right password too"
        assert right.headers["retry-after"] == "1"
    failed = await AuditEvent.count().where(
        (AuditEvent.kind == "login_failed") & (AuditEvent.subject == "bob")
    )
    assert failed == 5
