"""Setup, sessions, CSRF and login throttling, including the ways they must refuse."""

from __future__ import annotations

import asyncio
import re
import time

import httpx
from argon2 import PasswordHasher
from starlette.applications import Starlette

from server.app import create_app
from server.db.tables import AuditEvent, Session, User
from server.settings import Settings
from tests.fixtures.people import PASSWORD, Household, csrf_from, login
from tests.fixtures.procs import kinchart
from tests.server.conftest import new_client

SWITCHER = 'data-testid="profile-switcher"'


async def test_first_run_asks_for_the_admin_and_nothing_else_is_served(app: Starlette) -> None:
    async with new_client(app) as c:
        for path in ("/", "/documents", "/profiles", "/login", "/admin/users"):
            r = await c.get(path)
            assert r.status_code == 303 and r.headers["location"] == "/setup", path
        page = await c.get("/setup")
        assert 'data-testid="setup-form"' in page.text
        token = csrf_from(page.text)
        bad = await c.post(
            "/setup",
            data={
                "username": "root",
                "password": "short",
                "password2": "short",
                "csrf_token": token,
            },
        )
        assert bad.status_code == 400 and "at least 10" in bad.text
        r = await c.post(
            "/setup",
            data={
                "username": "Root",
                "password": PASSWORD,
                "password2": PASSWORD,
                "csrf_token": token,
            },
        )
        assert r.status_code == 303
        assert (await c.get("/account")).status_code == 200, "the new admin is logged in"
    async with new_client(app) as other:
        page = await other.get("/setup")
        assert page.status_code == 303 and page.headers["location"] == "/login"
        token = csrf_from((await other.get("/login")).text)
        again = await other.post(
            "/setup",
            data={
                "username": "evil",
                "password": PASSWORD,
                "password2": PASSWORD,
                "csrf_token": token,
            },
        )
        assert again.status_code == 303 and again.headers["location"] == "/login"
    assert await User.count() == 1
    assert (await User.objects().first()).username == "root"  # type: ignore[union-attr]


async def test_session_cookie_flags_and_trusted_proxy_https(
    settings: Settings, household: Household
) -> None:
    import dataclasses

    proxied = dataclasses.replace(settings, trusted_proxies="127.0.0.1", allowed_hosts="kc.home")
    app = create_app(proxied, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        for proto, secure in (("http", False), ("https", True)):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
            # The browser sees the proxy's scheme; the proxy speaks plain HTTP to Kinchart.
            async with httpx.AsyncClient(transport=transport, base_url=f"{proto}://kc.home") as c:
                headers = {"X-Forwarded-Proto": proto, "X-Forwarded-For": "192.168.1.50"}
                page = await c.get("/login", headers=headers)
                r = await c.post(
                    "/login",
                    headers=headers,
                    data={
                        "username": "alice",
                        "password": PASSWORD,
                        "csrf_token": csrf_from(page.text),
                    },
                )
                cookie = r.headers["set-cookie"]
                assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
                assert ("Secure" in cookie) == secure
        event = await AuditEvent.select(AuditEvent.ip).where(AuditEvent.kind == "login").first()
        assert event and event["ip"] == "192.168.1.50", "the proxy's client address is logged"


async def test_replayed_logout_cookie_is_dead(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "alice")
    cookie = client.cookies.get("kinchart_session")
    assert cookie
    assert (await client.post("/logout")).status_code == 303
    client.cookies.set("kinchart_session", cookie)
    r = await client.get("/profiles/dad")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


async def test_csrf_missing_forged_or_foreign_tokens_are_refused(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as alice, new_client(app) as bob:
        await login(alice, "alice")
        bob_token = await login(bob, "bob")
        alice.headers.pop("X-CSRF-Token")
        data = {"display_name": "Evil twin"}
        assert (await alice.post("/profiles", data=data)).status_code == 403
        assert (
            await alice.post("/profiles", data={**data, "csrf_token": "forged"})
        ).status_code == 403
        assert (
            await alice.post("/profiles", headers={"X-CSRF-Token": bob_token}, data=data)
        ).status_code == 403
        assert not await _profile_named("Evil twin")
        ok = await alice.post(
            "/profiles",
            data=data,
            headers={"X-CSRF-Token": csrf_from((await alice.get("/account")).text)},
        )
        assert ok.status_code == 303 and await _profile_named("Evil twin")
    async with new_client(app) as anon:
        r = await anon.post("/login", data={"username": "alice", "password": PASSWORD})
        assert r.status_code == 403, "a login form without its token is refused"


async def _profile_named(name: str) -> bool:
    from server.db.tables import Profile

    return bool(await Profile.exists().where(Profile.display_name == name))


async def test_wrong_passwords_delay_the_account_then_the_address_never_lock_them(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as c:
        token = csrf_from((await c.get("/login")).text)
        statuses = []
        for _ in range(20):
            r = await c.post(
                "/login", data={"username": "alice", "password": "guess", "csrf_token": token}
            )
            statuses.append(r.status_code)
            assert "Wrong username or password" in r.text or "Try again in 1 second" in r.text
        assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
        assert r.headers["retry-after"] == "1", "five free failures, then one second"
        right = await c.post(
            "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
        )
        assert right.status_code == 429, "within the delay even the right password waits"
        # Waiting out the delay is enough: there is no lock (refused attempts add nothing).
        await asyncio.sleep(1.1)
        wrong = await c.post(
            "/login", data={"username": "alice", "password": "guess", "csrf_token": token}
        )
        assert wrong.status_code == 401
        again = await c.post(
            "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
        )
        assert again.status_code == 429 and again.headers["retry-after"] == "2", "it doubles"
        await asyncio.sleep(2.1)
        right = await c.post(
            "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
        )
        assert right.status_code == 303, "the owner gets in once the delay has passed"
    # Other accounts from this address: checked until the address has 20 failures.
    async with new_client(app) as c2:
        token = csrf_from((await c2.get("/login")).text)
        codes = [
            (
                await c2.post(
                    "/login", data={"username": f"ghost{i}", "password": "x", "csrf_token": token}
                )
            ).status_code
            for i in range(20)
        ]
        assert codes == [401] * 14 + [429] * 6, "6 for alice, then 14 ghosts reach 20"
        blocked = await c2.post(
            "/login", data={"username": "carol", "password": PASSWORD, "csrf_token": token}
        )
        assert blocked.status_code == 429, "20 failures from one address delay it"
    assert await AuditEvent.count().where(AuditEvent.kind == "login_failed") == 20
    # Refused attempts are counted in one row per address, account (or hashed name) and hour.
    blocked = await AuditEvent.select(AuditEvent.subject, AuditEvent.detail).where(
        AuditEvent.kind == "login_blocked"
    ).output(load_json=True)
    assert len(blocked) == 8, "alice, six ghosts, carol"
    counts = {r["subject"]: r["detail"].get("count", 1) for r in blocked}
    assert counts["alice"] == 17, "15 + 1 + 1 refused for alice"


async def test_idle_and_absolute_expiry(
    client: httpx.AsyncClient, household: Household, settings: Settings
) -> None:
    await login(client, "alice")
    idle = settings.session_idle_minutes * 60
    await Session.update({Session.last_seen: time.time() - idle - 5}).where(Session.id > 0)
    assert (await client.get("/account")).status_code == 303
    await login(client, "alice")
    await Session.update(
        {Session.created: time.time() - settings.session_max_days * 86400 - 5}
    ).where(Session.id > 0)
    assert (await client.get("/account")).status_code == 303
    assert await Session.count() == 0


async def test_log_out_everywhere_and_password_change_end_other_sessions(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as phone, new_client(app) as laptop:
        await login(phone, "alice")
        await login(laptop, "alice")
        assert (await phone.post("/account/logout-all")).status_code == 303
        assert (await laptop.get("/account")).status_code == 303
        await login(phone, "alice")
        await login(laptop, "alice")
        r = await laptop.post(
            "/account/password",
            data={
                "current": PASSWORD,
                "password": "a brand new secret",
                "password2": "a brand new secret",
            },
        )
        assert r.status_code == 303
        assert (await phone.get("/account")).status_code == 303, "the old password's session ended"
        assert (await laptop.get("/account")).status_code == 200, "the changer stays logged in"
        await login(phone, "alice", "a brand new secret")


async def test_outdated_hash_is_rehashed_and_disabled_user_is_refused(
    app: Starlette, household: Household
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    await User.update({User.password_hash: weak}).where(User.username == "bob")
    async with new_client(app) as c:
        await login(c, "bob")
        stored = await User.select(User.password_hash).where(User.username == "bob").first()
        assert stored and stored["password_hash"] != weak and "m=65536" in stored["password_hash"]
        await User.update({User.disabled: True}).where(User.username == "bob")
        assert (await c.get("/account")).status_code == 303, "disabling ends the session"
        c.headers.pop("X-CSRF-Token")
        token = csrf_from((await c.get("/login")).text)
        r = await c.post(
            "/login", data={"username": "bob", "password": PASSWORD, "csrf_token": token}
        )
        assert r.status_code == 401 and "Wrong username or password" in r.text


async def test_a_revoked_grant_applies_on_the_very_next_request(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as alice, new_client(app) as carol:
        await login(alice, "alice")
        await login(carol, "carol")
        page = await carol.get(f"/documents/{household.docs['dad']}")
        assert page.status_code == 200 and SWITCHER in page.text
        r = await alice.post(f"/profiles/dad/grants/{household.users['carol']}/revoke")
        assert r.status_code == 303
        assert (await carol.get(f"/documents/{household.docs['dad']}")).status_code == 404
        assert (await carol.get("/profiles/dad")).status_code == 404
        assert SWITCHER not in (await carol.get("/account")).text, "gone from the switcher too"


async def test_changes_made_by_another_process_apply_on_the_very_next_request(
    app: Starlette, household: Household, env: dict[str, str]
) -> None:
    # `kinchart revoke` and `kinchart user disable` write through connections of their own:
    # nothing this server keeps open may hide their commits.
    async with new_client(app) as bob, new_client(app) as olga:
        await login(bob, "bob")
        await login(olga, "olga")
        assert (await bob.get("/profiles/dad")).status_code == 200
        assert SWITCHER in (await bob.get("/account")).text
        done = await asyncio.to_thread(kinchart, "revoke", "bob", "dad", env=env)
        assert done.returncode == 0, done.stderr
        assert (await bob.get("/profiles/dad")).status_code == 404
        assert SWITCHER not in (await bob.get("/account")).text
        assert (await olga.get("/profiles/dad")).status_code == 200
        done = await asyncio.to_thread(kinchart, "user", "disable", "olga", env=env)
        assert done.returncode == 0, done.stderr
        r = await olga.get("/profiles/dad")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert not await Session.exists().where(Session.user == household.users["olga"])


async def test_the_switcher_lists_exactly_the_callers_profiles_by_name(
    app: Starlette, household: Household
) -> None:
    from server.db.tables import Grant

    uid, kid = household.users["alice"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{uid}:{kid}", user=uid, profile=kid, role="viewer"))
    async with new_client(app) as alice, new_client(app) as dave:
        await login(alice, "alice")
        await login(dave, "dave")
        page = (await alice.get("/account")).text
        switcher = page[page.index('id="people-menu"') : page.index("</ul>", page.index(SWITCHER))]
        names = re.findall(r'<a href="/profiles/([^"]+)">', switcher)
        assert names == ["kid", "dad"], "Kiddo before Secret Dad"
        assert SWITCHER not in (await dave.get("/account")).text, "no grants, no profiles"
