"""Deleting documents through HTTP: the trash keeps a document out of every view until it is
restored (facts and search as they were) or purged; who may do which, per role."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from starlette.applications import Starlette

from server.db.tables import AuditEvent, Document, Fact, Grant
from server.people.tokens import create_token
from server.runtime import Services
from server.search import projection
from server.shares import links
from server.vault import Vault
from tests.fixtures.people import SECRET_NAME, Household, caller_named, login, make_document
from tests.server.conftest import new_client

LAB = "Zyxoglobin"
MED = "Quuxamab"
# Pages of dad's record an owner reads, and which of the document's traces each shows.
PAGES = {
    "/": [LAB],
    "/documents": [SECRET_NAME],
    "/profiles/dad": [SECRET_NAME],
    "/profiles/dad/summary": [LAB, MED],
    "/profiles/dad/labs": [LAB],
    "/profiles/dad/timeline": [LAB, SECRET_NAME],
    "/profiles/dad/review": [MED],
    "/profiles/dad/medications": [MED],
    "/search?q=CREATININE-SECRET-4242": [SECRET_NAME],
}


@pytest.fixture
async def facts(household: Household) -> dict[str, int]:
    """A confirmed lab result and an unchecked medication read from dad's document."""
    dad, doc = household.profiles["dad"], household.docs["dad"]
    common = {"profile": dad, "document": doc, "page": 1, "effective": date(2024, 5, 2)}
    lab = await Fact.insert(
        Fact(kind="lab", name=LAB, value_text="42", value_num=42.0, unit="mg/dL", flag="H",
             status="confirmed", data={"key": "lab|zyx"}, **common)
    ).returning(Fact.id)  # fmt: skip
    med = await Fact.insert(
        Fact(kind="medication", name=MED, value_text="5 mg", state="active",
             status="extracted", data={"key": "med|quux"}, **common)
    ).returning(Fact.id)  # fmt: skip
    await projection.refresh([doc])
    return {"lab": lab[0]["id"], "med": med[0]["id"]}


async def _shown(client: httpx.AsyncClient) -> dict[str, list[str]]:
    out = {}
    for path, marks in PAGES.items():
        r = await client.get(path)
        assert r.status_code == 200, (path, r.status_code)
        out[path] = [m for m in marks if m in r.text]
    return out


async def _api_ids(app: Starlette, token: str) -> set[int]:
    """The document ids the Paperless-compatible API lists and answers for the app's token."""
    async with new_client(app) as api:
        headers = {"Authorization": f"Token {token}", "Accept": "application/json; version=9"}
        r = await api.get("/api/documents/", headers=headers)
        assert r.status_code == 200, r.text[:200]
        return {int(d["id"]) for d in r.json()["results"]}


async def test_a_deleted_document_leaves_every_view_and_comes_back_restored(
    app: Starlette, app_services: Services, household: Household, facts: dict[str, int]
) -> None:
    doc = household.docs["dad"]
    olga = await caller_named("olga")
    _, token = await links.create(
        olga, Vault(app_services.settings.data_dir), household.profiles["dad"], documents=[doc]
    )
    api_token, _ = await create_token(olga, "scanner app", ["dad"])
    assert doc in await _api_ids(app, api_token)
    async with new_client(app) as client:
        await login(client, "olga")
        assert await _shown(client) == PAGES, "every page shows the document before"
        assert SECRET_NAME in (await client.get(f"/s/{token}")).text
        r = await client.post(f"/documents/{doc}/delete")
        assert r.status_code == 303 and r.headers["location"] == "/profiles/dad"
        assert "in the trash" in (await client.get("/profiles/dad")).text  # the message
        assert await _shown(client) == {p: [] for p in PAGES}
        for path in (f"/documents/{doc}", f"/documents/{doc}/original", f"/facts/{facts['lab']}"):
            assert (await client.get(path)).status_code == 404, path
        assert SECRET_NAME not in (await client.get(f"/s/{token}")).text
        assert (await client.get(f"/s/{token}/documents/{doc}")).status_code == 404
        assert doc not in await _api_ids(app, api_token)
        trash = await client.get("/profiles/dad/trash")
        assert SECRET_NAME in trash.text and "by Olga" in trash.text
        assert 'data-testid="purge"' in trash.text and 'data-testid="restore"' in trash.text
        # Deleting it twice: it is not there to delete.
        assert (await client.post(f"/documents/{doc}/delete")).status_code == 404

        r = await client.post(f"/documents/{doc}/restore")
        assert r.status_code == 303 and r.headers["location"] == f"/documents/{doc}"
        assert await _shown(client) == PAGES
        assert SECRET_NAME in (await client.get(f"/s/{token}")).text
        assert SECRET_NAME not in (await client.get("/profiles/dad/trash")).text
        assert doc in await _api_ids(app, api_token)
    statuses = {r["id"]: r["status"] for r in await Fact.select(Fact.id, Fact.status)}
    assert statuses == {facts["lab"]: "confirmed", facts["med"]: "extracted"}
    kinds = [r["kind"] for r in await AuditEvent.select(AuditEvent.kind).order_by(AuditEvent.id)]
    assert kinds.count("document_deleted") == 1 and kinds.count("document_restored") == 1


async def _upload(client: httpx.AsyncClient, name: str) -> int:
    r = await client.post(
        "/upload",
        data={"profile": "dad"},
        files=[("files", (name, f"%PDF-1.4 {name}".encode(), "application/pdf"))],
    )
    assert r.status_code == 200, r.text[:300]
    row = await Document.select(Document.id).where(Document.original_name == name).first()
    assert row is not None
    return int(row["id"])


async def _trashed(doc_id: int) -> bool:
    row = await Document.select(Document.trashed_at).where(Document.id == doc_id).first()
    assert row is not None
    return row["trashed_at"] is not None


async def test_caregivers_delete_and_restore_only_what_they_uploaded(
    app: Starlette, household: Household
) -> None:
    dads = household.docs["dad"]
    async with new_client(app) as client:
        await login(client, "bob")  # caregiver of dad
        own = await _upload(client, "bobs-own-scan.pdf")
        assert (await client.post(f"/documents/{dads}/delete")).status_code == 403
        page = (await client.get(f"/documents/{dads}")).text
        assert 'data-testid="delete-document"' not in page
        assert 'data-testid="delete-document"' in (await client.get(f"/documents/{own}")).text
        assert (await client.post(f"/documents/{own}/delete")).status_code == 303
        trash = (await client.get("/profiles/dad/trash")).text
        assert "bobs-own-scan.pdf" in trash and 'data-testid="restore"' in trash
        assert 'data-testid="purge"' not in trash  # deleting for good is the owners'
        assert (await client.post(f"/documents/{own}/purge")).status_code == 403
        assert (await client.post(f"/documents/{own}/restore")).status_code == 303
        assert not await _trashed(own)
    async with new_client(app) as client:
        await login(client, "olga")  # an owner deletes it; bob, who uploaded it, may restore
        assert (await client.post(f"/documents/{own}/delete")).status_code == 303
    async with new_client(app) as client:
        await login(client, "bob")
        assert (await client.post(f"/documents/{own}/restore")).status_code == 303
    assert not await _trashed(dads) and not await _trashed(own)


@pytest.mark.parametrize(("who", "status"), [("carol", 403), ("dave", 404), ("admin", 404)])
async def test_viewers_strangers_and_admins_cannot_delete_restore_or_purge(
    app: Starlette, household: Household, who: str, status: int
) -> None:
    doc, kid_doc = household.docs["dad"], household.docs["kid"]
    async with new_client(app) as client:
        await login(client, "olga")
        await client.post(f"/documents/{doc}/delete")
    async with new_client(app) as client:
        await login(client, who)
        assert (await client.get("/profiles/dad/trash")).status_code == status
        assert SECRET_NAME not in (await client.get("/profiles/dad/trash")).text
        for action in ("restore", "purge"):
            assert (await client.post(f"/documents/{doc}/{action}")).status_code in (403, 404)
        assert (await client.post(f"/documents/{kid_doc}/delete")).status_code == 404
    assert await _trashed(doc) and not await _trashed(kid_doc)
    assert await Document.exists().where(Document.id == doc)


async def test_olga_cannot_touch_another_profiles_trash(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as client:
        await login(client, "erin")  # kid's owner
        kid_doc = household.docs["kid"]
        assert (await client.post(f"/documents/{kid_doc}/delete")).status_code == 303
    async with new_client(app) as client:
        await login(client, "olga")
        assert (await client.get("/profiles/kid/trash")).status_code == 404
        for action in ("restore", "purge"):
            assert (await client.post(f"/documents/{kid_doc}/{action}")).status_code == 404
    assert await _trashed(kid_doc)


async def test_uploading_a_deleted_document_again_brings_it_back(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as client:
        await login(client, "olga")
        doc = await _upload(client, "sent-twice.pdf")
        assert (await client.post(f"/documents/{doc}/delete")).status_code == 303
        again = await _upload(client, "sent-twice.pdf")
        assert again == doc and not await _trashed(doc)
        assert (await client.get(f"/documents/{doc}")).status_code == 200
        # The same bytes for another profile make a document there; dad's stays in the trash.
        assert (await client.post(f"/documents/{doc}/delete")).status_code == 303
    kid = household.profiles["kid"]
    olga = household.users["olga"]
    await Grant.insert(Grant(key=f"{olga}:{kid}", user=olga, profile=kid, role="owner"))
    async with new_client(app) as client:
        await login(client, "olga")
        r = await client.post(
            "/upload",
            data={"profile": "kid"},
            files=[("files", ("sent-twice.pdf", b"%PDF-1.4 sent-twice.pdf", "application/pdf"))],
        )
        assert r.status_code == 200
    assert await _trashed(doc)
    restored = (
        await AuditEvent.select(AuditEvent.actor_name, AuditEvent.detail)
        .where(AuditEvent.kind == "document_restored")
        .output(load_json=True)
    )
    assert restored == [
        {"actor_name": "kinchart", "detail": {"name": "sent-twice.pdf", "reason": "taken in again"}}
    ]


async def _deleted(app_services: Services, name: str, profile: int) -> int:
    doc = await make_document(app_services.store, name, profile)
    await Document.update({Document.trashed_at: datetime.now(UTC)}).where(Document.id == doc)
    return doc


async def test_owners_empty_the_trash_after_confirming_nobody_else(
    app: Starlette, app_services: Services, household: Household
) -> None:
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    gone = [await _deleted(app_services, f"dad-deleted-{i}.pdf", dad) for i in range(2)]
    kids = await _deleted(app_services, "kid-deleted.pdf", kid)
    live = household.docs["dad"]
    for who, status in (("bob", 403), ("carol", 403), ("dave", 404), ("erin", 404)):
        async with new_client(app) as client:
            await login(client, who)
            page = await client.get("/profiles/dad/trash")
            assert 'data-testid="empty-trash"' not in page.text
            r = await client.post("/profiles/dad/trash/empty")
            assert r.status_code == status, (who, r.status_code)
    assert await Document.count().where(Document.trashed_at.is_not_null()) == 3
    async with new_client(app) as client:
        await login(client, "olga")
        page = (await client.get("/profiles/dad/trash")).text
        assert 'data-testid="empty-trash"' in page
        assert "Delete all 2 documents in the trash for good?" in page  # the confirmation
        r = await client.post("/profiles/dad/trash/empty")
        assert r.status_code == 303 and r.headers["location"] == "/profiles/dad/trash"
        page = (await client.get("/profiles/dad/trash")).text
        assert "2 documents deleted for good." in page and 'data-testid="trash-empty"' in page
    left = {r["id"] for r in await Document.select(Document.id)}
    assert not set(gone) & left and {kids, live} <= left  # kid's trash and the live one kept
    for doc in gone:
        assert not app_services.store.derived_dir(doc).exists()
    events = (
        await AuditEvent.select(AuditEvent.detail, AuditEvent.profile)
        .where(AuditEvent.kind == "trash_emptied")
        .output(load_json=True)
    )
    assert len(events) == 1 and events[0]["profile"] == dad
    assert events[0]["detail"]["count"] == 2
