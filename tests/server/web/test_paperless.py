"""The Paperless-ngx compatible API (server/web/paperless.py) through httpx against the app.

Real clients run against a real server in test_paperless_clients.py; these pin the answers,
the versions, the login limits, and that a token for one profile never reaches another.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from server.access.scope import load_caller
from server.db.tables import ApiToken, AuditEvent, Document, Grant, PaperlessTask, User
from server.people.tokens import create_token, revoke
from server.runtime import Services
from server.search import projection
from tests.fixtures.people import (
    PASSWORD,
    SECRET_NAME,
    SECRET_TEXT,
    Household,
    csrf_from,
    login,
)
from tests.server.conftest import new_client

PDF = b"%PDF-1.4 a letter from the clinic"
V9 = {"Accept": "application/json; version=9"}
V10 = {"Accept": "application/json; version=10"}


async def _token(username: str, *slugs: str) -> str:
    user = await User.select().where(User.username == username).first()
    assert user is not None
    raw, _row = await create_token(await load_caller(user), "test app", list(slugs))
    return raw


def _auth(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}", **extra}


@pytest.fixture
async def api(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as c:
        yield c


async def _upload(
    api: httpx.AsyncClient, token: str, body: bytes = PDF, **data: str
) -> httpx.Response:
    return await api.post(
        "/api/documents/post_document/",
        files={"document": ("clinic-letter.pdf", body, "application/pdf")},
        data=data,
        headers=_auth(token),
    )


async def test_the_index_names_the_paperless_version_and_negotiates_the_api_version(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    r = await api.get("/api/", headers=_auth(token))
    assert r.status_code == 200
    assert r.headers["X-Version"] == "3.0.0" and r.headers["X-Api-Version"] == "10"
    assert r.json()["documents"] == "http://127.0.0.1:8000/api/documents/"
    assert (await api.get("/api/", headers=_auth(token, **V10))).status_code == 200
    too_new = await api.get("/api/", headers=_auth(token, Accept="application/json; version=11"))
    assert too_new.status_code == 406 and "version" in too_new.json()["detail"]
    schema = await api.get("/api/schema/", headers=_auth(token))
    assert "/api/documents/{doc_id}/download/" in schema.json()["paths"]
    anonymous = await api.get("/api/")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == "Token"


async def test_login_gives_a_token_for_the_profiles_the_user_may_add_to_listed_and_revocable(
    app: Starlette, household: Household, api: httpx.AsyncClient
) -> None:
    alice, kid = household.users["alice"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{alice}:{kid}", user=alice, profile=kid, role="viewer"))
    r = await api.post(
        "/api/token/", json={"username": "alice", "password": PASSWORD}, headers={"User-Agent": "x"}
    )
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    stored = await ApiToken.select().output(load_json=True).first()
    # Owner of dad, only a viewer of kid: the token may add to dad alone.
    assert stored and stored["profiles"] == [household.profiles["dad"]]
    assert stored["user"] == alice and stored["name"] == "Paperless login: x"
    settings = await api.get("/api/ui_settings/", headers=_auth(token))
    assert settings.json()["user"]["username"] == "alice"
    assert "add_document" in settings.json()["permissions"]
    async with new_client(app) as browser:
        await login(browser, "alice")
        page = await browser.get("/account")
        assert "Paperless login: x" in page.text
        r = await browser.post(f"/account/tokens/{stored['id']}/revoke")
        assert r.status_code == 303
    refused = await api.get("/api/", headers=_auth(token))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    form = await api.post("/api/token/", data={"username": "alice", "password": PASSWORD})
    assert form.status_code == 200 and form.json()["token"] != token


async def test_a_login_as_user_slash_profile_gives_a_token_for_that_profile_alone(
    household: Household, api: httpx.AsyncClient
) -> None:
    alice, kid = household.users["alice"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{alice}:{kid}", user=alice, profile=kid, role="caregiver"))
    both = await api.post("/api/token/", json={"username": "alice", "password": PASSWORD})
    unnamed = await _upload(api, both.json()["token"])
    assert unnamed.status_code == 400 and "profile" in unnamed.json()["detail"]
    r = await api.post("/api/token/", json={"username": "Alice/kid", "password": PASSWORD})
    assert r.status_code == 200, r.text
    up = await _upload(api, r.json()["token"])
    task = await PaperlessTask.select().where(PaperlessTask.task_id == up.json()).first()
    assert task is not None
    doc = await Document.select(Document.profile).where(Document.id == task["document"]).first()
    assert doc == {"profile": kid}
    for name in ("bob/kid", "alice/nobody"):  # bob has no role on kid
        refused = await api.post("/api/token/", json={"username": name, "password": PASSWORD})
        assert refused.status_code == 400 and "Choose at least one profile" in refused.text
    wrong = await api.post("/api/token/", json={"username": "alice/kid", "password": "nope"})
    assert wrong.status_code == 400 and "credentials" in wrong.text
    assert await ApiToken.count() == 2


async def test_login_refuses_wrong_passwords_viewers_and_is_throttled_like_the_login_form(
    app: Starlette, household: Household, api: httpx.AsyncClient
) -> None:
    wrong = await api.post("/api/token/", json={"username": "bob", "password": "nope"})
    assert wrong.status_code == 400
    assert wrong.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    viewer = await api.post("/api/token/", json={"username": "carol", "password": PASSWORD})
    assert viewer.status_code == 400 and "Choose at least one profile" in viewer.text
    assert await ApiToken.count() == 0
    # Failures at the login form count for /api/token/ too (one throttled check for both).
    async with new_client(app) as browser:
        csrf = csrf_from((await browser.get("/login")).text)
        for _ in range(6):
            r = await browser.post(
                "/login", data={"username": "bob", "password": "wrong", "csrf_token": csrf}
            )
            assert r.status_code in (401, 429)
    blocked = await api.post("/api/token/", json={"username": "bob", "password": PASSWORD})
    assert blocked.status_code == 429 and blocked.json()["detail"]
    assert await ApiToken.count() == 0
    kinds = [e["kind"] for e in await AuditEvent.select(AuditEvent.kind)]
    assert "login_blocked" in kinds


async def test_an_upload_is_a_task_that_follows_the_document_to_its_end(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    up = await _upload(api, token, title="Letter from Dr. Who", created="2024-03-05T10:00:00Z")
    assert up.status_code == 200, up.text
    task_id = up.json()
    assert isinstance(task_id, str) and len(task_id) == 36
    task = await PaperlessTask.select().where(PaperlessTask.task_id == task_id).first()
    assert task is not None and task["title"] == "Letter from Dr. Who"
    doc_id = task["document"]

    async def poll(headers: dict[str, str]) -> Any:
        r = await api.get("/api/tasks/", params={"task_id": task_id}, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    old = await poll(_auth(token))  # no version asked: a plain list, as Paperless 2.x
    assert isinstance(old, list) and old[0]["status"] == "PENDING"
    assert old[0]["related_document"] is None and old[0]["task_file_name"] == "clinic-letter.pdf"
    for state, expected in (("processing", "STARTED"), ("ready", "SUCCESS")):
        await Document.update({Document.state: state}).where(Document.id == doc_id)
        assert (await poll(_auth(token, **V9)))[0]["status"] == expected
    done = (await poll(_auth(token, **V9)))[0]
    assert done["related_document"] == str(doc_id) and done["date_done"]
    new = await poll(_auth(token, **V10))  # Paperless 3: a page, lower-case states
    assert new["count"] == 1 and new["results"][0]["status"] == "success"
    assert new["results"][0]["related_document_ids"] == [doc_id]
    detail = await api.get(f"/api/documents/{doc_id}/", headers=_auth(token))
    assert detail.json()["title"] == "Letter from Dr. Who"
    assert detail.json()["created"] == "2024-03-05" and detail.json()["tags"] == []
    reason = "The PDF is encrypted; open it and save it without a password."
    await Document.update({Document.state: "failed", Document.failure_reason: reason}).where(
        Document.id == doc_id
    )
    failed = (await poll(_auth(token, **V9)))[0]
    assert failed["status"] == "FAILURE" and reason in failed["result"]
    gone = await api.get(f"/api/documents/{doc_id}/", headers=_auth(token))
    assert gone.status_code == 404, "a document that failed is no Paperless document"
    everything = await api.get("/api/tasks/", headers=_auth(token))
    assert [t["task_id"] for t in everything.json()] == [task_id]


async def test_uploads_with_bad_dates_or_no_file_are_refused_before_anything_is_taken(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    bad = await _upload(api, token, created="5th of May")
    assert bad.status_code == 400 and "created" in bad.json()["detail"]
    nothing = await api.post(
        "/api/documents/post_document/", data={"title": "x"}, headers=_auth(token)
    )
    assert nothing.status_code == 400
    assert await Document.count() == 3 and await PaperlessTask.count() == 0


async def test_documents_are_paged_ordered_and_searched_like_paperless(
    household: Household, api: httpx.AsyncClient, app_services: Services
) -> None:
    token = await _token("olga", "dad")
    ids = [household.docs["dad"]]
    for n in range(3):
        up = await _upload(api, token, body=PDF + bytes([n]), title=f"Report {n}")
        task = await PaperlessTask.select().where(PaperlessTask.task_id == up.json()).first()
        assert task is not None
        ids.append(task["document"])
    await Document.update({Document.state: "ready"}).where(Document.id.is_in(ids))
    r = await api.get(
        "/api/documents/", params={"page_size": 2, "ordering": "title"}, headers=_auth(token)
    )
    page = r.json()
    assert page["count"] == 4 and sorted(page["all"]) == sorted(ids)
    assert [d["title"] for d in page["results"]] == ["dad-confidential-labs", "Report 0"]
    assert page["next"].endswith("page=2") and page["previous"] is None
    second = await api.get(page["next"], headers=_auth(token))
    assert [d["title"] for d in second.json()["results"]] == ["Report 1", "Report 2"]
    assert (await api.get("/api/documents/?page=9", headers=_auth(token))).status_code == 404
    newest = await api.get("/api/documents/", params={"ordering": "-id"}, headers=_auth(token))
    assert [d["id"] for d in newest.json()["results"]] == sorted(ids, reverse=True)
    bad = await api.get("/api/documents/", params={"ordering": "tags"}, headers=_auth(token))
    assert bad.status_code == 400
    assert app_services.search is not None
    await projection.catch_up(app_services.search)
    found = await api.get(
        "/api/documents/", params={"query": "creatinine-secret-4242"}, headers=_auth(token)
    )
    assert found.json()["all"] == [household.docs["dad"]]
    assert SECRET_TEXT in found.json()["results"][0]["content"]
    filters = {
        "search": "report 1",
        "title_content": "creatinine-secret",
        "title__icontains": "REPORT",
        "content__icontains": "secret-4242 for dad",
        "id__in": f"{ids[1]},{ids[2]}",
        "original_filename__icontains": "confidential",
    }
    expected = [[ids[2]], [ids[0]], ids[1:], [ids[0]], ids[1:3], [ids[0]]]
    for (name, value), want in zip(filters.items(), expected, strict=True):
        r = await api.get("/api/documents/", params={name: value}, headers=_auth(token))
        assert sorted(r.json()["all"]) == sorted(want), name
    unknown = await api.get("/api/documents/", params={"tags__id__all": "1"}, headers=_auth(token))
    assert unknown.status_code == 400 and "tags__id__all" in unknown.json()["detail"]


async def test_files_and_metadata_of_a_document(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    doc = household.docs["dad"]
    original = await api.get(f"/api/documents/{doc}/download/?original=true", headers=_auth(token))
    body = f"%PDF-1.4 {SECRET_NAME}".encode()
    assert original.status_code == 200 and original.content == body
    assert original.headers["content-disposition"].startswith("attachment;")
    preview = await api.get(f"/api/documents/{doc}/preview/", headers=_auth(token))
    assert preview.headers["content-disposition"].startswith("inline;")
    thumb = await api.get(f"/api/documents/{doc}/thumb/", headers=_auth(token))
    assert thumb.headers["content-type"] == "image/webp" and thumb.content.startswith(b"RIFF")
    meta = (await api.get(f"/api/documents/{doc}/metadata/", headers=_auth(token))).json()
    assert meta["original_checksum"] == hashlib.md5(body).hexdigest()
    assert meta["has_archive_version"] is True and meta["original_filename"] == SECRET_NAME
    downloads = await AuditEvent.count().where(AuditEvent.kind == "document_downloaded")
    assert downloads == 2


async def test_document_types_are_kinchart_s_and_tags_and_correspondents_are_empty(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    await Document.update({Document.doc_type: "lab report"}).where(
        Document.id.is_in(list(household.docs.values()))
    )
    types = (await api.get("/api/document_types/", headers=_auth(token))).json()
    lab = next(t for t in types["results"] if t["name"] == "Lab report")
    assert lab["document_count"] == 1, "only the token's documents are counted"
    one = await api.get(f"/api/document_types/{lab['id']}/", headers=_auth(token))
    assert one.json()["name"] == "Lab report"
    detail = await api.get(f"/api/documents/{household.docs['dad']}/", headers=_auth(token))
    assert detail.json()["document_type"] == lab["id"]
    for name in ("tags", "correspondents", "custom_fields", "storage_paths", "saved_views"):
        r = await api.get(f"/api/{name}/", headers=_auth(token))
        assert r.json() == {"count": 0, "next": None, "previous": None, "all": [], "results": []}


async def test_everything_else_answers_a_clear_json_404_or_405(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    missing = await api.get("/api/mail_accounts/", headers=_auth(token))
    assert missing.status_code == 404 and "mail_accounts" in missing.json()["detail"]
    edit = await api.patch(
        f"/api/documents/{household.docs['dad']}/", json={"title": "x"}, headers=_auth(token)
    )
    assert edit.status_code == 405 and edit.headers["allow"] == "GET, HEAD"
    assert "PATCH" in edit.json()["detail"]
    bulk = await api.post("/api/documents/bulk_edit/", json={}, headers=_auth(token))
    assert bulk.status_code == 404 and bulk.headers["content-type"] == "application/json"
    slashless = await api.get("/api/documents", headers=_auth(token))
    assert slashless.status_code == 301 and slashless.headers["location"].endswith("/documents/")


async def test_a_token_for_profile_a_never_reaches_profile_b_through_any_route(
    app: Starlette, household: Household, api: httpx.AsyncClient
) -> None:
    """alice may add to dad and kid; her token for kid alone, and erin's (kid's owner), never
    see, fetch or add to dad, whatever route they try; and tasks are their uploader's."""
    alice, kid = household.users["alice"], household.profiles["kid"]
    await Grant.insert(Grant(key=f"{alice}:{kid}", user=alice, profile=kid, role="caregiver"))
    dad_token = await _token("alice", "dad")
    dad_task = (await _upload(api, dad_token, title="Dad's letter")).json()
    for token in (await _token("alice", "kid"), await _token("erin", "kid")):
        dad = household.docs["dad"]
        reads = [
            "/api/documents/",
            "/api/documents/?query=creatinine",
            "/api/documents/?ordering=-created",
            f"/api/documents/{dad}/",
            f"/api/documents/{dad}/metadata/",
            f"/api/documents/{dad}/download/",
            f"/api/documents/{dad}/download/?original=true",
            f"/api/documents/{dad}/preview/",
            f"/api/documents/{dad}/thumb/",
            f"/api/documents/{household.docs['unfiled']}/",
            "/api/tasks/",
            f"/api/tasks/?task_id={dad_task}",
            "/api/document_types/",
            "/api/ui_settings/",
        ]
        for url in reads:
            for headers in (_auth(token), _auth(token, **V10)):
                r = await api.get(url, headers=headers)
                text = r.content.decode("latin-1")
                # (SECRET_TEXT is in every test document's text; the names are dad's alone.)
                for secret in (SECRET_NAME, "Secret Dad", "Dad's letter", dad_task):
                    assert secret not in text, (url, secret)
                if f"/{dad}/" in url:
                    assert r.status_code == 404, url
        own = (await api.get("/api/documents/", headers=_auth(token))).json()
        assert own["all"] == [household.docs["kid"]]
        to_dad = await _upload(api, token, body=PDF + b"kid", profile="dad")
        assert to_dad.status_code == 403
    assert await Document.count().where(Document.profile == household.profiles["dad"]) == 2
    # alice's kid-only token does not show her upload to dad, though the task is hers.
    tasks = await api.get("/api/tasks/", headers=_auth(await _token("alice", "kid")))
    assert tasks.json() == []


async def test_revoked_and_disabled_users_tokens_are_refused_everywhere(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    assert (await api.get("/api/documents/", headers=_auth(token))).status_code == 200
    caller = await load_caller({"id": household.users["bob"], "username": "bob", "is_admin": 0})
    row = await ApiToken.select(ApiToken.id).first()
    assert row is not None and await revoke(caller, row["id"]) == "test app"
    for url in (
        "/api/",
        "/api/documents/",
        "/api/tasks/",
        f"/api/documents/{household.docs['dad']}/",
    ):
        r = await api.get(url, headers=_auth(token))
        assert r.status_code == 401 and SECRET_NAME not in r.text, url
    assert (await _upload(api, token)).status_code == 401


async def test_an_upload_of_bytes_another_profile_holds_never_names_that_document(
    household: Household, api: httpx.AsyncClient
) -> None:
    token = await _token("bob", "dad")
    up = await _upload(api, token, body=b"%PDF-1.4 kid-vaccines.pdf")
    assert up.status_code == 200
    for headers in (_auth(token, **V9), _auth(token, **V10)):
        r = await api.get("/api/tasks/", params={"task_id": up.json()}, headers=headers)
        assert r.status_code == 200 and "kid-vaccines" not in r.text
        assert f'"{household.docs["kid"]}"' not in r.text
        task = r.json()[0] if isinstance(r.json(), list) else r.json()["results"][0]
        assert household.docs["kid"] not in task.get("related_document_ids", [])
        assert task.get("related_document") != str(household.docs["kid"])
    listed = await api.get("/api/documents/", headers=_auth(token))
    assert household.docs["kid"] not in listed.json()["all"]
