"""The upload API: tokens from the account page, their scope, refusals, Paperless compatibility."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from server.access.scope import load_caller
from server.db.tables import ApiToken, Document, Grant, User
from server.people.auth import token_hash
from server.people.tokens import create_token
from server.settings import Settings
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

PDF = b"%PDF-1.4 a scan from the phone app"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, max_file_mb=1)


async def _token(username: str, *slugs: str) -> str:
    user = await User.select().where(User.username == username).first()
    assert user is not None
    raw, _row = await create_token(await load_caller(user), "test app", list(slugs))
    return raw


def _auth(token: str, scheme: str = "Token") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}


@pytest.fixture
async def api(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as c:
        yield c


async def test_token_is_made_on_the_account_page_shown_once_and_stored_hashed(
    app: Starlette, household: Household, api: httpx.AsyncClient
) -> None:
    async with new_client(app) as browser:
        await login(browser, "bob")
        r = await browser.post("/account/tokens", data={"name": "Scanner", "profile": "dad"})
        assert r.status_code == 200
        match = re.search(r'data-testid="new-token-value">(kc_[^<]+)<', r.text)
        assert match, "the new token is shown"
        token = match.group(1)
        again = await browser.get("/account")
        assert token not in again.text and "Scanner" in again.text
    stored = await ApiToken.select().first()
    assert stored and stored["token_hash"] == token_hash(token)
    assert token not in str(stored)
    up = await api.post(
        "/api/v1/documents",
        files={"file": ("scan.pdf", PDF, "application/pdf")},
        headers=_auth(token),
    )
    assert up.status_code == 201, up.text
    assert up.json()["state"] == "queued" and isinstance(up.json()["id"], int)
    doc = await Document.select().where(Document.id == up.json()["id"]).first()
    assert doc and doc["profile"] == household.profiles["dad"] and doc["source"] == "api"
    used = await ApiToken.select(ApiToken.last_used).first()
    assert used and used["last_used"] is not None


async def test_viewers_cannot_make_tokens_and_no_one_adds_profiles_they_cannot_upload_to(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as browser:
        await login(browser, "carol")  # viewer of dad
        r = await browser.post("/account/tokens", data={"name": "x", "profile": "dad"})
        assert r.status_code == 400 and "Choose at least one profile" in r.text
        await login(browser, "bob")  # caregiver of dad, nothing on kid
        r = await browser.post("/account/tokens", data={"name": "x", "profile": ["dad", "kid"]})
        assert r.status_code == 400
    assert await ApiToken.count() == 0


async def test_a_token_for_profile_a_cannot_upload_to_or_read_profile_b(
    household: Household, api: httpx.AsyncClient
) -> None:
    alice, kid = household.users["alice"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{alice}:{kid}", user=alice, profile=kid, role="caregiver"))
    token = await _token("alice", "dad")  # alice may upload to both; this token only to dad
    files = {"file": ("lab.pdf", PDF, "application/pdf")}
    to_kid = await api.post(
        "/api/v1/documents", files=files, data={"profile": "kid"}, headers=_auth(token)
    )
    assert to_kid.status_code == 403 and to_kid.json()["error"] == "forbidden"
    nowhere = await api.post(
        "/api/v1/documents", files=files, data={"profile": "no-such"}, headers=_auth(token)
    )
    assert nowhere.status_code == 403 and nowhere.json()["detail"].endswith("'no-such'.")
    assert await Document.count() == 3, "nothing was added"
    own = await api.post("/api/v1/documents", files=files, headers=_auth(token))
    assert own.status_code == 201
    state = await api.get(f"/api/v1/documents/{own.json()['id']}", headers=_auth(token))
    assert state.status_code == 200 and state.json()["profile"] == "dad"
    for other in (household.docs["kid"], household.docs["unfiled"], 999999):
        r = await api.get(f"/api/v1/documents/{other}", headers=_auth(token))
        assert r.status_code == 404 and "kid-vaccines" not in r.text, other
    dad_doc = await api.get(f"/api/v1/documents/{household.docs['dad']}", headers=_auth(token))
    assert dad_doc.status_code == 200 and dad_doc.json()["state"] == "ready"
    # Bytes already filed under kid: answered exactly as a new file (a new document in dad),
    # so the token learns nothing about that document.
    kid_bytes = b"%PDF-1.4 kid-vaccines.pdf"
    dup = await api.post(
        "/api/v1/documents", files={"file": ("x.pdf", kid_bytes)}, headers=_auth(token)
    )
    assert dup.status_code == own.status_code == 201
    assert set(dup.json()) == set(own.json()) and dup.json()["state"] == own.json()["state"]
    assert dup.json()["id"] not in (household.docs["kid"], own.json()["id"])
    kid_doc = await Document.select(Document.profile).where(Document.id == household.docs["kid"])
    assert kid_doc[0]["profile"] == kid


async def test_several_profiles_need_a_profile_field_and_lost_grants_shrink_the_token(
    household: Household, api: httpx.AsyncClient
) -> None:
    alice, kid = household.users["alice"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{alice}:{kid}", user=alice, profile=kid, role="caregiver"))
    token = await _token("alice", "dad", "kid")
    files = {"file": ("lab.pdf", PDF, "application/pdf")}
    r = await api.post("/api/v1/documents", files=files, headers=_auth(token))
    assert r.status_code == 400 and r.json()["error"] == "profile_required"
    await Grant.delete().where(Grant.key == f"{alice}:{kid}")
    r = await api.post(
        "/api/v1/documents", files=files, data={"profile": "kid"}, headers=_auth(token)
    )
    assert r.status_code == 403
    r = await api.post("/api/v1/documents", files=files, headers=_auth(token, "Bearer"))
    assert r.status_code == 201  # only dad is left, so no profile field is needed


async def test_revoked_missing_wrong_and_disabled_tokens_are_refused(
    app: Starlette, household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    files = {"file": ("lab.pdf", PDF, "application/pdf")}
    token_id = (await ApiToken.select(ApiToken.id).first() or {})["id"]
    async with new_client(app) as browser:
        await login(browser, "dave")  # someone else cannot revoke bob's token
        await browser.post(f"/account/tokens/{token_id}/revoke")
        assert (await api.get("/api/v1/documents/1", headers=_auth(token))).status_code != 401
        await login(browser, "bob")
        r = await browser.post(f"/account/tokens/{token_id}/revoke")
        assert r.status_code == 303
    for headers in (_auth(token), {}, _auth("kc_" + "x" * 43), {"Authorization": "Basic Ym9iOng="}):
        r = await api.post("/api/v1/documents", files=files, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Token", headers
        assert r.json()["error"] == "unauthorized"
    assert (
        "revoked" in (await api.get("/api/v1/documents/1", headers=_auth(token))).json()["detail"]
    )
    live = await _token("bob", "dad")
    await User.update({User.disabled: True}).where(User.username == "bob")
    assert (
        await api.post("/api/v1/documents", files=files, headers=_auth(live))
    ).status_code == 401
    assert await Document.count() == 3


async def test_a_browser_session_does_not_open_the_api(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as browser:
        await login(browser, "bob")
        r = await browser.post(
            "/api/v1/documents", files={"file": ("lab.pdf", PDF, "application/pdf")}
        )
        assert r.status_code == 401
        r = await browser.get(f"/api/v1/documents/{household.docs['dad']}")
        assert r.status_code == 401 and "Secret Dad" not in r.text
    assert await Document.count() == 3


async def test_oversized_and_non_document_uploads_are_refused_with_clear_errors(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    big = b"%PDF-1.4 " + b"0" * (3 * 1024 * 1024)
    r = await api.post("/api/v1/documents", files={"file": ("big.pdf", big)}, headers=_auth(token))
    assert r.status_code == 413 and "larger than 1 MB" in r.json()["detail"]
    assert "KINCHART_MAX_FILE_MB" in r.json()["detail"]

    # Without a Content-Length (chunked), the body is cut off as it streams in.
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()

    async def body() -> AsyncIterator[bytes]:
        yield head
        for _ in range(4):
            yield b"0" * (1024 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    r = await api.post(
        "/api/v1/documents",
        content=body(),
        headers={**_auth(token), "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 413 and r.json()["error"] == "too_large"

    cases = [
        (b"just some words, not a document", 415, "This is a plain text file."),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00 a program", 415, "cannot read this kind of file"),
        (b"\x1f\x8b\x08\x00compressed", 415, "compressed archive"),
        (b"", 400, "empty"),
    ]
    for content, status, words in cases:
        r = await api.post(
            "/api/v1/documents", files={"file": ("f.pdf", content)}, headers=_auth(token)
        )
        assert r.status_code == status and words in r.json()["detail"], (content, r.text)
    r = await api.post("/api/v1/documents", data={"profile": "dad"}, headers=_auth(token))
    assert r.status_code == 400
    assert await Document.count() == 3


async def test_paperless_ngx_apps_upload_unchanged(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    r = await api.post(
        "/api/documents/post_document/",
        files={"document": ("Scan 2026-11-21.pdf", PDF, "application/pdf")},
        data={"title": "Blood test", "tags": "3"},
        headers={**_auth(token), "Accept": "application/json; version=5"},
    )
    assert r.status_code == 200, r.text
    assert uuid.UUID(r.json())  # a task id string, as Paperless-ngx answers
    doc = await Document.select().where(Document.original_name == "Scan 2026-11-21.pdf").first()
    assert doc and doc["profile"] == household.profiles["dad"] and doc["state"] == "queued"
    refused = await api.post(
        "/api/documents/post_document/", files={"document": ("x.pdf", PDF)}, headers={}
    )
    assert refused.status_code == 401 and "detail" in refused.json()
