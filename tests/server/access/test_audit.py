"""The audit log under a flood of refused logins: aggregated, bounded, still shown to admins."""

from __future__ import annotations

import json

from starlette.applications import Starlette

from server.db.tables import AuditEvent
from tests.fixtures.people import Household, csrf_from, login
from tests.server.conftest import new_client

ATTEMPTS = 500
NAMES = 5


async def test_500_refused_anonymous_logins_add_a_bounded_number_of_rows(
    app: Starlette, household: Household
) -> None:
    admin = new_client(app)
    await login(admin, "admin")  # before the flood: the address is delayed afterwards
    before = await AuditEvent.count()
    async with new_client(app) as client:
        token = csrf_from((await client.get("/login")).text)
        codes = []
        for i in range(ATTEMPTS):
            r = await client.post(
                "/login",
                data={"username": f"nobody{i % NAMES}", "password": "x", "csrf_token": token},
            )
            codes.append(r.status_code)
    refused = codes.count(429)
    assert codes.count(401) + refused == ATTEMPTS and refused > 400, "the delays refuse most"
    rows = await AuditEvent.select(AuditEvent.kind, AuditEvent.subject, AuditEvent.detail).where(
        AuditEvent.kind.is_in(["login_failed", "login_blocked"])
    )
    blocked = [r for r in rows if r["kind"] == "login_blocked"]
    # One row per (address, hashed name, hour): at most two hours are touched by this test.
    assert len(blocked) <= 2 * NAMES
    assert await AuditEvent.count() - before < 60, "not one row per refused attempt"
    counts = [
        json.loads(r["detail"]).get("count", 1)
        if isinstance(r["detail"], str)
        else r["detail"].get("count", 1)
        for r in blocked
    ]
    assert sum(counts) == refused, "every refused attempt is counted"
    assert all(r["subject"].startswith("unknown:") for r in blocked), "names kept as hashes"
    # Admins still see them, with their counts.
    page = await admin.get("/admin/audit")
    await admin.aclose()
    assert page.status_code == 200
    assert page.text.count("times this hour") == len(blocked) and "login blocked" in page.text
