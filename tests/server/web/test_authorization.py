"""Every registered route, as every kind of caller, against someone else's profile and document.

A route added later without an entry in POLICY fails `test_every_route_has_a_policy`, so no
route can skip this check.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from server.appointments import feed
from server.db.tables import (
    Appointment,
    AuditEvent,
    Document,
    Fact,
    Grant,
    Profile,
    ShareLink,
    User,
)
from server.runtime import Services
from server.shares import links
from server.vault import Vault
from tests.fixtures.people import (
    ROLES,
    SECRET_NAME,
    SECRET_TEXT,
    UNFILED_NAME,
    Household,
    caller_named,
    csrf_from,
    login,
    make_document,
)
from tests.server.conftest import new_client

RANK = {"viewer": 1, "caregiver": 2, "owner": 3}
SECRETS = (SECRET_NAME, SECRET_TEXT, "Secret Dad")

# (method, path) -> who may: public | user | viewer | caregiver | owner | admin
POLICY: dict[tuple[str, str], str] = {
    ("GET", "/"): "user",
    ("GET", "/healthz"): "public",
    ("GET", "/setup"): "public",
    ("POST", "/setup"): "public",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "public",
    ("GET", "/account"): "user",
    ("POST", "/account/password"): "user",
    ("POST", "/account/preferences"): "user",
    ("POST", "/account/logout-all"): "user",
    ("GET", "/profiles"): "user",
    ("POST", "/profiles"): "user",
    ("GET", "/profiles/{slug}"): "viewer",
    ("GET", "/profiles/{slug}/settings"): "owner",
    ("POST", "/profiles/{slug}/settings"): "owner",
    ("POST", "/profiles/{slug}/filing"): "admin",
    ("POST", "/profiles/{slug}/grants"): "owner",
    ("POST", "/profiles/{slug}/grants/{user_id}/revoke"): "owner",
    ("GET", "/documents"): "user",
    ("GET", "/documents/{doc_id}"): "viewer",
    ("GET", "/documents/{doc_id}/row"): "viewer",
    ("GET", "/documents/{doc_id}/original"): "viewer",
    ("GET", "/documents/{doc_id}/pdf"): "viewer",
    ("GET", "/documents/{doc_id}/{kind:str}/{number:int}"): "viewer",
    ("POST", "/documents/{doc_id}/retry"): "caregiver",
    ("POST", "/documents/{doc_id}/move"): "caregiver",
    ("POST", "/documents/{doc_id}/title"): "caregiver",
    ("POST", "/documents/{doc_id}/notes"): "caregiver",
    ("POST", "/upload"): "caregiver",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/{user_id}/disable"): "admin",
    ("POST", "/admin/users/{user_id}/enable"): "admin",
    ("POST", "/admin/users/{user_id}/password"): "admin",
    ("GET", "/admin/audit"): "admin",
    ("GET", "/triage"): "admin",
    ("GET", "/search"): "user",
    ("GET", "/profiles/{slug}/timeline"): "viewer",
    ("GET", "/profiles/{slug}/labs"): "viewer",
    ("GET", "/profiles/{slug}/labs/{analyte}"): "viewer",
    ("GET", "/profiles/{slug}/vitals"): "viewer",
    ("GET", "/profiles/{slug}/vitals/{analyte}"): "viewer",
    ("GET", "/profiles/{slug}/summary"): "viewer",
    ("GET", "/profiles/{slug}/summary.pdf"): "viewer",
    ("GET", "/profiles/{slug}/export"): "caregiver",
    ("POST", "/profiles/{slug}/export"): "caregiver",
    ("GET", "/profiles/{slug}/export.zip"): "caregiver",
    ("GET", "/profiles/{slug}/export.fhir.json"): "caregiver",
    ("GET", "/profiles/{slug}/medications"): "viewer",
    ("POST", "/profiles/{slug}/medications"): "caregiver",
    ("POST", "/profiles/{slug}/medications/{fact_id}/stop"): "caregiver",
    ("GET", "/profiles/{slug}/review"): "caregiver",
    ("GET", "/profiles/{slug}/facts/new"): "caregiver",
    ("POST", "/profiles/{slug}/facts"): "caregiver",
    ("GET", "/facts/{fact_id}"): "caregiver",
    ("GET", "/facts/{fact_id}/edit"): "caregiver",
    ("POST", "/facts/{fact_id}/correct"): "caregiver",
    ("POST", "/facts/{fact_id}/confirm"): "caregiver",
    ("POST", "/facts/{fact_id}/reject"): "caregiver",
    ("POST", "/facts/{fact_id}/reopen"): "caregiver",
    ("POST", "/facts/{fact_id}/kind"): "caregiver",
    ("POST", "/facts/{fact_id}/apart"): "caregiver",
    ("POST", "/documents/{doc_id}/facts/confirm"): "caregiver",
    ("POST", "/documents/{doc_id}/facts/reject"): "caregiver",
    ("POST", "/documents/{doc_id}/belongs"): "caregiver",
    ("POST", "/account/tokens"): "user",
    ("POST", "/account/tokens/{token_id}/revoke"): "user",
    ("GET", "/admin/sources"): "admin",
    ("POST", "/admin/sources"): "admin",
    ("POST", "/admin/sources/{source_id}/run"): "admin",
    ("POST", "/admin/sources/{source_id}/remove"): "admin",
    # API token only: no browser session opens these (tokens are tested in test_api.py).
    ("POST", "/api/v1/documents"): "token",
    ("GET", "/api/v1/documents/{doc_id}"): "token",
    ("POST", "/api/documents/post_document/"): "token",
    # The Paperless-ngx layer (server/web/paperless.py; tokens in test_paperless.py).
    ("GET", "/api/"): "token",
    ("GET", "/api/schema/"): "token",
    ("POST", "/api/token/"): "public",  # a user name and password, throttled like /login
    ("GET", "/api/ui_settings/"): "token",
    ("GET", "/api/status/"): "token",
    ("GET", "/api/tasks/"): "token",
    ("GET", "/api/documents/"): "token",
    ("GET", "/api/documents/{doc_id:int}/"): "token",
    ("GET", "/api/documents/{doc_id:int}/metadata/"): "token",
    ("GET", "/api/documents/{doc_id:int}/download/"): "token",
    ("GET", "/api/documents/{doc_id:int}/preview/"): "token",
    ("GET", "/api/documents/{doc_id:int}/thumb/"): "token",
    ("GET", "/api/document_types/"): "token",
    ("GET", "/api/document_types/{type_id:int}/"): "token",
    ("GET", "/api/correspondents/"): "token",
    ("GET", "/api/custom_fields/"): "token",
    ("GET", "/api/saved_views/"): "token",
    ("GET", "/api/storage_paths/"): "token",
    ("GET", "/api/tags/"): "token",
    # Every other /api/ address: a JSON 404 (or 405) for anyone, naming nothing.
    ("GET", "/api/{rest:path}"): "public",
    ("POST", "/api/{rest:path}"): "public",
    ("PUT", "/api/{rest:path}"): "public",
    ("PATCH", "/api/{rest:path}"): "public",
    ("DELETE", "/api/{rest:path}"): "public",
    # Sharing (issue 13): a profile's owners and caregivers manage its links.
    ("GET", "/profiles/{slug}/sharing"): "caregiver",
    ("POST", "/profiles/{slug}/sharing"): "caregiver",
    ("GET", "/profiles/{slug}/sharing/{share_id}"): "caregiver",
    ("GET", "/profiles/{slug}/sharing/{share_id}/print"): "caregiver",
    ("GET", "/profiles/{slug}/sharing/{share_id}/summary.pdf"): "caregiver",
    ("POST", "/profiles/{slug}/sharing/{share_id}/revoke"): "caregiver",
    ("POST", "/profiles/{slug}/sharing/{share_id}/unlock"): "caregiver",
    ("GET", "/profiles/{slug}/emergency"): "caregiver",
    ("POST", "/profiles/{slug}/emergency"): "caregiver",
    ("POST", "/profiles/{slug}/emergency/link"): "caregiver",
    # A share link's token is the capability, whoever holds it (test_share_link_caller below).
    ("GET", "/s/{token}"): "share",
    ("POST", "/s/{token}"): "share",
    ("GET", "/s/{token}/documents/{doc_id}"): "share",
    ("GET", "/s/{token}/documents/{doc_id}/{kind:str}/{number:int}"): "share",
    ("POST", "/shl/{token}/manifest"): "share",  # SMART Health Link manifest (JSON, any origin)
    ("OPTIONS", "/shl/{token}/manifest"): "public",  # its CORS preflight: content-free
    # Appointments (issue 16): viewers read, owners and caregivers change.
    ("GET", "/profiles/{slug}/appointments"): "viewer",
    ("POST", "/profiles/{slug}/appointments"): "caregiver",
    ("GET", "/profiles/{slug}/appointments/{appt_id}/edit"): "caregiver",
    ("POST", "/profiles/{slug}/appointments/{appt_id}"): "caregiver",
    ("POST", "/profiles/{slug}/appointments/{appt_id}/delete"): "caregiver",
    ("GET", "/profiles/{slug}/appointments/{appt_id}/prepare"): "viewer",
    # Each user's own calendar address; the feed's token is the capability, like a share
    # link's (a revoked one: test_revoked_calendar_address_answers_nobody).
    ("POST", "/account/calendar"): "user",
    ("POST", "/account/calendar/revoke"): "user",
    ("GET", "/calendar/{feed_token}.ics"): "share",
    # The trash (issue 16): owners delete, restore and purge (caregivers only their own
    # uploads: test_trash.py); caregivers and owners see the trash. Each route acts on a
    # document of its own (TRASH_DOCS), so one route's success leaves the others' intact.
    ("GET", "/profiles/{slug}/trash"): "caregiver",
    ("POST", "/documents/{doc_id}/delete"): "owner",
    ("POST", "/documents/{doc_id}/restore"): "owner",
    ("POST", "/documents/{doc_id}/purge"): "owner",
    # Emptying the trash purges all of dad's deleted documents: owners only.
    ("POST", "/profiles/{slug}/trash/empty"): "owner",
    # Bulk actions check every chosen document (here: tag dad's), refusing the batch whole.
    ("POST", "/documents/bulk"): "caregiver",
}
# The trash routes' own documents of dad's: live for delete, already deleted for the others.
TRASH_DOCS = {
    "/documents/{doc_id}/delete": "dad-to-delete.pdf",
    "/documents/{doc_id}/restore": "dad-to-restore.pdf",
    "/documents/{doc_id}/purge": "dad-to-purge.pdf",
}
# Routes whose allowed response shows the secret document (so the test can fail both ways).
SHOWS_SECRET = {
    "/profiles/{slug}",
    "/documents/{doc_id}",
    "/documents/{doc_id}/row",
    "/documents/{doc_id}/original",
    "/documents/{doc_id}/pdf",
    "/profiles/{slug}/review",
    "/facts/{fact_id}/edit",
    "/s/{token}",
    "/s/{token}/documents/{doc_id}",
    "/s/{token}/documents/{doc_id}/{kind:str}/{number:int}",
    "/profiles/{slug}/appointments",
    "/profiles/{slug}/appointments/{appt_id}/edit",
    "/profiles/{slug}/appointments/{appt_id}/prepare",
    "/calendar/{feed_token}.ics",
    "/profiles/{slug}/trash",
}
# Requests that end the caller's session go last.
LAST = ("/account/logout-all", "/logout")
CALLERS = ["anonymous", "dave", "carol", "bob", "olga", "admin"]  # no grant..owner, admin


def _routes(app: Starlette) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if isinstance(route, Route):
            for method in sorted(route.methods or []):
                if method != "HEAD":
                    found.append((method, route.path))
        elif not isinstance(route, Mount):
            raise AssertionError(f"unexpected route type {route!r}")
    return found


def test_every_route_has_a_policy(app: Starlette) -> None:
    missing = [r for r in _routes(app) if r not in POLICY]
    assert not missing, f"classify these routes in POLICY: {missing}"
    stale = [r for r in POLICY if r not in _routes(app)]
    assert not stale, f"POLICY names routes that no longer exist: {stale}"


def _allowed(rule: str, caller: str) -> bool:
    if rule == "token":
        return False
    if rule in ("public", "share"):
        return True
    if caller == "anonymous":
        return False
    if rule == "user":
        return True
    if rule == "admin":
        return caller == "admin"
    role = ROLES.get(caller)
    return role is not None and RANK[role] >= RANK[rule]


def _request(method: str, path: str, h: Household) -> tuple[str, dict[str, Any]]:
    url = (
        path.replace("{slug}", "dad")
        .replace("{doc_id}", str(h.docs.get(TRASH_DOCS.get(path, ""), h.docs["dad"])))
        .replace("{user_id}", str(h.users["carol"]))
        .replace("{token_id}", "1")
        .replace("{source_id}", "1")
        .replace("{kind:str}", "page")
        .replace("{number:int}", "1")
        .replace("{fact_id}", str(h.facts.get("dad", 0)))
        .replace("{analyte}", "glucose")
        .replace("{type_id:int}", "1")
        .replace("{doc_id:int}", str(h.docs["dad"]))
        .replace("{rest:path}", f"documents/{h.docs['dad']}/notes/")
        .replace("{token}", h.shares.get("token", ""))
        .replace("{share_id}", h.shares.get("other", ""))
        .replace("{appt_id}", h.shares.get("appointment", "0"))
        .replace("{feed_token}", h.shares.get("feed", ""))
    )
    kwargs: dict[str, Any] = {}
    if method == "POST":
        data = {
            "/upload": {"profile": "dad"},
            "/documents/{doc_id}/move": {"profile": "dad"},
            "/profiles": {"display_name": "New Person"},
            "/profiles/{slug}/settings": {"display_name": "Secret Dad"},
            "/profiles/{slug}/grants": {"username": "dave", "role": "viewer"},
            "/admin/users": {"username": "newbie", "password": "long enough password"},
            "/admin/users/{user_id}/password": {"password": "another long password"},
            "/account/password": {"current": "wrong", "password": "x" * 12, "password2": "x" * 12},
            "/login": {"username": "nobody", "password": "wrong"},
            "/api/token/": {"username": "olga", "password": "wrong"},
            "/setup": {"username": "intruder", "password": "x" * 12, "password2": "x" * 12},
            "/profiles/{slug}/facts": {"kind": "lab", "name": "Glucose", "value": "99"},
            "/facts/{fact_id}/correct": {"value": "4243"},
            "/facts/{fact_id}/kind": {"kind": "medication"},
            # Refused as input (no name; no date) once access is granted: 400, nothing written.
            "/profiles/{slug}/medications": {"strength": "5 mg"},
            "/profiles/{slug}/medications/{fact_id}/stop": {"date": "not a date"},
            "/profiles/{slug}/sharing": {"label": "Dr. Secret Dad's", "expires": "7d"},
            "/profiles/{slug}/emergency": {"blood_type": "A+", "emergency_contacts": "x"},
            "/profiles/{slug}/appointments": {"day": "2030-01-02", "reason": "New visit"},
            "/profiles/{slug}/appointments/{appt_id}": {"day": "2030-01-03", "reason": "Moved"},
            "/documents/bulk": {"action": "tag", "tag": "matrix", "doc": str(h.docs["dad"])},
        }.get(path, {})
        kwargs["data"] = data
        if path == "/upload":
            kwargs["files"] = [("files", ("new.pdf", b"%PDF-1.4 new upload", "application/pdf"))]
    return url, kwargs


def _denied(r: httpx.Response, caller: str) -> bool:
    if caller == "anonymous" and r.status_code == 303:
        return r.headers["location"].startswith("/login")
    return r.status_code in (401, 403, 404)


@pytest.fixture(autouse=True)
async def dad_fact(household: Household) -> None:
    """A fact read from dad's document, for the /facts/{fact_id} routes."""
    rows = await Fact.insert(
        Fact(
            profile=household.profiles["dad"],
            document=household.docs["dad"],
            kind="lab",
            name="Creatinine",
            analyte="creatinine",
            value_text="4242",
            value_num=4242.0,
            unit="mg/dL",
            page=1,
            boxes=[[0.1, 0.1, 0.5, 0.12]],
            line=SECRET_TEXT,
            data={"key": "lab|1|creatinine|#1", "unit": "mg/dL"},
        )
    ).returning(Fact.id)
    household.facts["dad"] = rows[0]["id"]


@pytest.fixture(autouse=True)
async def dad_trash(household: Household, app_services: Services) -> None:
    """Dad's documents for the trash routes: one to delete, two deleted already (the one in
    the trash carries the secret name, so the trash page shows it to whoever may see it)."""
    for name in TRASH_DOCS.values():
        doc = await make_document(app_services.store, name, household.profiles["dad"])
        household.docs[name] = doc
        if name != "dad-to-delete.pdf":
            await Document.update(
                {Document.trashed_at: datetime.now(UTC), Document.trashed_by: "Olga"}
            ).where(Document.id == doc)
    shown = await make_document(
        app_services.store, f"trashed-{SECRET_NAME}", household.profiles["dad"]
    )
    await Document.update({Document.trashed_at: datetime.now(UTC)}).where(Document.id == shown)


@pytest.fixture(autouse=True)
async def dad_appointment(household: Household) -> None:
    """An appointment of dad's (its notes are the secret), and olga's calendar address."""
    rows = await Appointment.insert(
        Appointment(
            profile=household.profiles["dad"], day=date.today() + timedelta(days=3),
            time="09:30", clinician="Dr. Who", reason="Kidneys", notes=SECRET_TEXT,
        )
    ).returning(Appointment.id)  # fmt: skip
    household.shares["appointment"] = str(rows[0]["id"])
    household.shares["feed"] = await feed.regenerate(await caller_named("olga"))


@pytest.fixture(autouse=True)
async def dad_shares(household: Household, app_services: Services) -> None:
    """A live link to dad's summary and document (its token is the capability the /s/ routes
    take), and another link for the routes that manage one (revoking it spares the first)."""
    vault = Vault(app_services.settings.data_dir)
    olga = await caller_named("olga")
    dad = household.profiles["dad"]
    _, token = await links.create(olga, vault, dad, documents=[household.docs["dad"]])
    other, _ = await links.create(olga, vault, dad, label="other")
    household.shares.update(token=token, other=str(other["id"]))


@pytest.mark.parametrize("caller", CALLERS)
async def test_route_access_for_every_caller(
    app: Starlette, household: Household, caller: str
) -> None:
    async with new_client(app) as client:
        if caller != "anonymous":
            await login(client, caller)
        else:
            client.headers["X-CSRF-Token"] = csrf_from((await client.get("/login")).text)
        routes = sorted(_routes(app), key=lambda r: (r[1] in LAST, r[0] != "GET", r[1]))
        problems = []
        for method, path in routes:
            rule = POLICY[(method, path)]
            url, kwargs = _request(method, path, household)
            r = await client.request(method, url, **kwargs)
            body = (
                r.text
                if "text" in r.headers.get("content-type", "")
                else r.content.decode("latin-1")
            )
            allowed = _allowed(rule, caller)
            # Callers with a role on dad may see its name everywhere (the profile switcher).
            leaked = [s for s in SECRETS if s in body] if caller not in ROLES else []
            if not allowed:
                if not _denied(r, caller):
                    problems.append(f"{method} {path}: expected denial, got {r.status_code}")
                if leaked:
                    problems.append(f"{method} {path}: denied response leaks {leaked}")
            elif rule != "public":
                if _denied(r, caller):
                    problems.append(f"{method} {path}: expected access, got {r.status_code}")
                if (
                    path in SHOWS_SECRET
                    and method == "GET"
                    and SECRET_NAME not in body
                    and (SECRET_TEXT not in body and "%PDF-1.4" not in body)
                ):
                    problems.append(f"{method} {path}: allowed but the document is not shown")
            if (rule == "public" or rule == "user") and leaked:
                problems.append(f"{method} {path}: public route leaks {leaked}")
        assert not problems, "\n".join(problems)
    # Denied writes changed nothing.
    dad = household.profiles["dad"]
    grants = {g["user"] for g in await Grant.select(Grant.user).where(Grant.profile == dad)}
    carol = await User.select(User.disabled).where(User.id == household.users["carol"]).first()
    uploaded = await Document.count().where(Document.original_name == "new.pdf")
    if caller != "olga":
        assert household.users["carol"] in grants and household.users["dave"] not in grants
    if caller != "admin":
        assert carol and not carol["disabled"]
        assert not await User.exists().where(User.username == "newbie")
    assert uploaded == (1 if caller in ("bob", "olga") else 0)
    fact = await Fact.select(Fact.status, Fact.value_text).where(Fact.id == household.facts["dad"])
    entered = await Fact.count().where(Fact.status == "manual")
    if caller not in ("bob", "olga"):
        assert fact == [{"status": "extracted", "value_text": "4242"}] and entered == 0
    else:
        assert fact[0]["value_text"] == "4243" and entered == 1
    # "These are different" (kept apart from other sources) by owners and caregivers only.
    apart = await Fact.select(Fact.apart).where(Fact.id == household.facts["dad"])
    assert apart == [{"apart": caller in ("bob", "olga")}]
    assert not await User.exists().where(User.username == "intruder")
    # Appointments: changed and deleted by owners and caregivers only, added by them only.
    kept = await Appointment.exists().where(Appointment.reason == "Kidneys")
    added = await Appointment.count().where(Appointment.reason == "New visit")
    assert kept == (caller not in ("bob", "olga")) and added == (caller in ("bob", "olga"))
    # The trash: only the owner deleted, restored and purged; bob and olga tagged.
    docs = {
        r["original_name"]: r["trashed_at"] is not None
        for r in await Document.select(Document.original_name, Document.trashed_at)
    }
    owner = caller == "olga"
    # The owner deleted it, then emptied the trash (the routes run in path order).
    assert docs.get("dad-to-delete.pdf") is (None if owner else False)
    assert docs.get("dad-to-restore.pdf") is (not owner)
    assert ("dad-to-purge.pdf" in docs) is (not owner)
    assert docs.get(f"trashed-{SECRET_NAME}") is (None if owner else True)
    emptied = await AuditEvent.select(AuditEvent.detail).where(AuditEvent.kind == "trash_emptied")
    assert len(emptied) == (1 if owner else 0)
    # (the notes route replaced dad's tags later on: the log says it was tagged)
    tagged = await AuditEvent.exists().where(AuditEvent.kind == "document_tagged")
    assert tagged == (caller in ("bob", "olga"))


async def test_revoked_calendar_address_answers_nobody(
    app: Starlette, household: Household
) -> None:
    """Olga's calendar address after she made a new one, and after she revoked that: refused to
    everyone, naming nothing; the live one answers."""
    olga = await caller_named("olga")
    old = household.shares["feed"]
    new = await feed.regenerate(olga)
    async with new_client(app) as client:
        assert (await client.get(f"/calendar/{new}.ics")).status_code == 200
        await feed.revoke(olga)
        for who in CALLERS:
            if who != "anonymous":
                await login(client, who)
            for token in (old, new, "not-a-token", ""):
                r = await client.get(f"/calendar/{token}.ics")
                assert r.status_code == 404, (who, token)
                assert SECRET_TEXT not in r.text and "VCALENDAR" not in r.text


@pytest.mark.parametrize("caller", CALLERS)
async def test_lists_show_only_what_the_caller_may_see(
    app: Starlette, household: Household, caller: str
) -> None:
    async with new_client(app) as client:
        if caller != "anonymous":
            await login(client, caller)
        may_see_dad = caller in ROLES
        for path in ("/", "/profiles", "/documents"):
            r = await client.get(path, follow_redirects=True)
            assert (SECRET_NAME in r.text or "Secret Dad" in r.text) == may_see_dad, (path, caller)
            assert "kid-vaccines.pdf" not in r.text and "Kiddo" not in r.text
            assert UNFILED_NAME not in r.text
        triage = await client.get("/triage")
        assert (UNFILED_NAME in triage.text) == (caller == "admin")
        unfiled = await client.get(f"/documents/{household.docs['unfiled']}")
        assert (unfiled.status_code == 200) == (caller == "admin")
        if caller != "admin":
            assert UNFILED_NAME not in unfiled.text


async def test_share_link_caller_reaches_only_its_profiles_chosen_parts(
    app: Starlette, household: Household, app_services: Services
) -> None:
    """An anonymous reader holding a link to dad's summary and one of dad's documents: every
    other route answers as to anyone anonymous; the share routes refuse every other document
    (kid's, the triage queue's, dad's unchosen one) and page; nothing is written."""
    unchosen = await make_document(
        app_services.store, "dad-unchosen-scan.pdf", household.profiles["dad"]
    )
    kid_fact = await Fact.insert(
        Fact(profile=household.profiles["kid"], document=household.docs["kid"], kind="lab",
             name="Kid Secret Ferritin", value_text="77", page=1)
    ).returning(Fact.id)  # fmt: skip
    token = household.shares["token"]
    base = f"/s/{token}"
    before = {t.__name__: await t.count() for t in (Document, Fact, Grant, Profile, User)}
    async with new_client(app) as client:
        page = await client.get(base)
        assert page.status_code == 200 and SECRET_NAME in page.text
        for foreign in ("Kiddo", "kid-vaccines.pdf", UNFILED_NAME, "dad-unchosen-scan.pdf"):
            assert foreign not in page.text, foreign
        # No navigation, no search, no account: nothing leads anywhere else.
        assert 'href="/' not in page.text.replace('href="/static/', "").replace(f'href="{base}', "")
        assert "<form" not in page.text and 'action="/search' not in page.text
        client.headers["X-CSRF-Token"] = csrf_from((await client.get("/login")).text)
        for doc in (household.docs["kid"], household.docs["unfiled"], unchosen):
            for path in (f"{base}/documents/{doc}", f"{base}/documents/{doc}/page/1"):
                r = await client.get(path)
                assert r.status_code == 404, path
                assert "%PDF" not in r.text and "WEBP" not in r.text
        dad_doc = household.docs["dad"]
        assert (await client.get(f"{base}/documents/{dad_doc}")).status_code == 200
        r = await client.get(f"{base}/documents/{dad_doc}?fact={kid_fact[0]['id']}")
        assert r.status_code == 404 and "Kid Secret" not in r.text
        # Every other route, holding the link, is as closed as to anyone anonymous.
        problems = []
        for method, path in _routes(app):
            rule = POLICY[(method, path)]
            if rule in ("public", "share") or path in LAST:
                continue
            url, kwargs = _request(method, path, household)
            r = await client.request(method, url, **kwargs)
            if not _denied(r, "anonymous"):
                problems.append(f"{method} {path}: {r.status_code}")
        assert not problems, problems
    after = {t.__name__: await t.count() for t in (Document, Fact, Grant, Profile, User)}
    assert after == before
    assert await ShareLink.count().where(ShareLink.revoked_at.is_null()) == 2
