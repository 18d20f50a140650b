"""Login limits hold under concurrency, and checking passwords does not stall the server
(issue 11, findings 2 and 4): real concurrent requests against a real `kinchart serve`."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.fixtures.people import PASSWORD, csrf_from
from tests.fixtures.procs import Server, add_user

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


async def _burst(url: str, attempts: list[tuple[str, str]]) -> Counter[int]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        token = csrf_from((await client.get("/login")).text)
        answers = await asyncio.gather(
            *(
                client.post("/login", data={"username": u, "password": p, "csrf_token": token})
                for u, p in attempts
            )
        )
    return Counter(r.status_code for r in answers)


async def test_concurrent_attempts_cannot_beat_the_limits(
    env: dict[str, str], tmp_path: Path
) -> None:
    add_user("admin", PASSWORD, "--admin", env=env)  # setup done: the login page is served
    add_user("ann", PASSWORD, env=env)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        # 40 at once on one account, the right password last: at most 5 are checked.
        tries = [("ann", "wrong password " + str(i)) for i in range(39)] + [("ann", PASSWORD)]
        codes = await _burst(server.url, tries)
        checked = codes[401] + codes[303]
        assert checked <= ACCOUNT_LIMIT, codes
        assert codes[429] + codes[503] >= len(tries) - ACCOUNT_LIMIT, codes
        # 35 at once from one address, each on another (unknown) account: at most 20 checked.
        codes = await _burst(server.url, [(f"nobody{i}", "wrong password") for i in range(35)])
        assert codes[401] <= ADDRESS_LIMIT, codes
        assert sum(codes.values()) == 35 and set(codes) <= {401, 429, 503}, codes
    finally:
        server.stop()


async def test_password_checks_do_not_stall_other_requests(
    env: dict[str, str], tmp_path: Path
) -> None:
    add_user("admin", PASSWORD, "--admin", env=env)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:

            async def health() -> float:
                start = time.monotonic()
                assert (await client.get("/healthz")).status_code == 200
                return time.monotonic() - start

            began = time.monotonic()
            logins = asyncio.ensure_future(
                _burst(server.url, [(f"user{i}", "wrong password") for i in range(20)])
            )
            waits = []
            while not logins.done():
                waits.append(await health())
                await asyncio.sleep(0.02)
            codes = await logins
            burst = time.monotonic() - began
        assert codes[401] >= 1, codes  # passwords were really checked meanwhile
        # With argon2 on the event loop a health check waited for the checks queued before it
        # (up to 17 s seen); now it is answered while they run, in a fraction of the burst.
        assert len(waits) >= 3 and max(waits) < burst / 3, (waits, burst)
    finally:
        server.stop()


async def test_forwarded_headers_are_believed_only_from_trusted_proxies(
    env: dict[str, str], tmp_path: Path
) -> None:
    """With KINCHART_TRUSTED_PROXIES empty, X-Forwarded-For from loopback is no address: the
    audit log and the per-address limit see the real peer (uvicorn believed it by default)."""
    from server.db.tables import AuditEvent
    from server.runtime import running
    from server.settings import load_settings

    add_user("admin", PASSWORD, "--admin", env=env)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            token = csrf_from((await client.get("/login")).text)
            r = await client.post(
                "/login",
                data={"username": "admin", "password": "wrong password", "csrf_token": token},
                headers={"X-Forwarded-For": "203.0.113.9"},
            )
            assert r.status_code == 401
    finally:
        server.stop()
    settings = load_settings(
        environ={k: v for k, v in env.items() if k.startswith("KINCHART_")}, env_file=None
    )
    async with running(settings):
        rows = await AuditEvent.select(AuditEvent.ip).where(AuditEvent.kind == "login_failed")
    assert [r["ip"] for r in rows] == ["127.0.0.1"]
