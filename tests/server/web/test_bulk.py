"""Bulk actions on the documents lists, through plain form posts: move to a person, tag,
delete, confirm facts; every chosen document checked, a batch refused whole; per role."""

from __future__ import annotations

from starlette.applications import Starlette

from server.db.tables import AuditEvent, Document, DocumentTag, Fact, Grant
from server.runtime import Services
from tests.fixtures.people import Household, csrf_from, login, make_document
from tests.server.conftest import new_client


async def _docs(app_services: Services, household: Household, *names: str) -> list[int]:
    return [await make_document(app_services.store, n, household.profiles["dad"]) for n in names]


async def _profile_of(doc_id: int) -> int | None:
    row = await Document.select(Document.profile).where(Document.id == doc_id).first()
    assert row is not None
    return row["profile"]


async def _tags(doc_id: int) -> list[str]:
    rows = await DocumentTag.select(DocumentTag.tag).where(DocumentTag.document == doc_id)
    return sorted(r["tag"] for r in rows)


def _form(action: str, ids: list[int], **extra: str) -> dict[str, str | list[str]]:
    return {"action": action, "doc": [str(i) for i in ids], **extra}


async def test_the_list_offers_checkboxes_and_the_action_bar_to_caregivers_only(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as client:
        await login(client, "bob")
        page = (await client.get("/profiles/dad")).text
        assert 'data-testid="bulk-form"' in page and 'form="bulk-form"' in page
        assert 'data-testid="bulk-delete"' in page and "data-confirm" in page
        grid = (await client.get("/documents?view=grid")).text
        assert 'form="bulk-form"' in grid
    async with new_client(app) as client:
        await login(client, "carol")  # viewer
        page = (await client.get("/profiles/dad")).text
        assert 'data-testid="bulk-form"' not in page and 'form="bulk-form"' not in page


async def test_tag_and_move_many_documents(
    app: Starlette, app_services: Services, household: Household
) -> None:
    a, b = await _docs(app_services, household, "bulk-a.pdf", "bulk-b.pdf")
    olga, kid = household.users["olga"], household.profiles["kid"]
    async with new_client(app) as client:
        await login(client, "olga")
        r = await client.post(
            "/documents/bulk",
            data=_form("tag", [a, b], tag=" Insurance ", back="/profiles/dad?page=1"),
        )
        assert r.status_code == 303 and r.headers["location"] == "/profiles/dad?page=1"
        assert "Tagged 2 documents “insurance”." in (await client.get("/profiles/dad")).text
        assert await _tags(a) == ["insurance"] == await _tags(b)
        # Moving needs a right on both profiles: olga has none on kid's yet.
        r = await client.post("/documents/bulk", data=_form("move", [a, b], profile="kid"))
        assert r.status_code == 403
        assert await _profile_of(a) == household.profiles["dad"]
        await Grant.insert(Grant(key=f"{olga}:{kid}", user=olga, profile=kid, role="caregiver"))
        await client.post("/logout")
    async with new_client(app) as client:
        await login(client, "olga")
        r = await client.post("/documents/bulk", data=_form("move", [a, b], profile="kid"))
        assert r.status_code == 303
        assert "Moved 2 documents to Kiddo." in (await client.get("/documents")).text
    assert await _profile_of(a) == kid == await _profile_of(b)
    tagged = (
        await AuditEvent.select(AuditEvent.detail)
        .where(AuditEvent.kind == "document_tagged")
        .output(load_json=True)
    )
    assert sorted(e["detail"]["name"] for e in tagged) == ["bulk-a.pdf", "bulk-b.pdf"]
    assert await AuditEvent.count().where(AuditEvent.kind == "document_reassigned") == 4


async def test_a_batch_with_one_document_the_caller_may_not_touch_changes_nothing(
    app: Starlette, app_services: Services, household: Household
) -> None:
    (a,) = await _docs(app_services, household, "bulk-mine.pdf")
    kid_doc = household.docs["kid"]
    async with new_client(app) as client:
        await login(client, "olga")
        for action in ("tag", "delete", "confirm", "move"):
            r = await client.post(
                "/documents/bulk", data=_form(action, [a, kid_doc], tag="x", profile="dad")
            )
            assert r.status_code == 404, action  # kid's document: not even named
            assert "kid-vaccines" not in r.text
    assert await _tags(a) == [] and await _tags(kid_doc) == []
    assert (await Document.select(Document.trashed_at).where(Document.id == a))[0][
        "trashed_at"
    ] is None


async def test_viewers_cannot_and_caregivers_delete_only_their_uploads(
    app: Starlette, app_services: Services, household: Household
) -> None:
    (a,) = await _docs(app_services, household, "bulk-owned-by-nobody.pdf")
    async with new_client(app) as client:
        await login(client, "carol")  # viewer
        for action in ("tag", "delete", "confirm", "move"):
            r = await client.post("/documents/bulk", data=_form(action, [a], tag="x"))
            assert r.status_code == 403, action
    async with new_client(app) as client:
        await login(client, "bob")  # caregiver: tags, but did not upload it
        assert (await client.post("/documents/bulk", data=_form("delete", [a]))).status_code == 403
        r = await client.post("/documents/bulk", data=_form("tag", [a], tag="ok"))
        assert r.status_code == 303
    assert await _tags(a) == ["ok"]
    async with new_client(app) as client:
        await login(client, "olga")
        r = await client.post("/documents/bulk", data=_form("delete", [a, household.docs["dad"]]))
        assert r.status_code == 303
        assert "Moved 2 documents to the trash." in (await client.get("/documents")).text
    trashed = await Document.count().where(Document.trashed_at.is_not_null())
    assert trashed == 2


async def test_confirm_facts_of_many_documents(
    app: Starlette, app_services: Services, household: Household
) -> None:
    a, b = await _docs(app_services, household, "bulk-f1.pdf", "bulk-f2.pdf")
    dad = household.profiles["dad"]
    for doc in (a, b):
        await Fact.insert(
            Fact(profile=dad, document=doc, kind="lab", name="Sodium", value_text="140"),
            Fact(profile=dad, document=doc, kind="lab", name="Weak", value_text="1",
                 confidence=0.1),
        )  # fmt: skip
    async with new_client(app) as client:
        await login(client, "bob")
        r = await client.post("/documents/bulk", data=_form("confirm", [a, b]))
        assert r.status_code == 303
        page = (await client.get("/documents")).text
        assert "Confirmed 2 facts in 2 documents." in page and "2 read with too little" in page
    rows = await Fact.select(Fact.name, Fact.status)
    assert sorted((r["name"], r["status"]) for r in rows) == [
        ("Sodium", "confirmed"), ("Sodium", "confirmed"),
        ("Weak", "extracted"), ("Weak", "extracted"),
    ]  # fmt: skip


async def test_bad_input_and_the_csrf_token(app: Starlette, household: Household) -> None:
    doc = household.docs["dad"]
    async with new_client(app) as client:
        await login(client, "olga")
        for data in (_form("tag", []), _form("explode", [doc]), _form("tag", [doc], tag=" ")):
            r = await client.post("/documents/bulk", data=data)
            assert r.status_code == 400, data
        r = await client.post("/documents/bulk", data=_form("tag", [doc] * 1 + list(range(1, 250))))
        assert r.status_code == 400 and "at most 200" in r.text
        # Without the token (a cross-site form): refused, nothing tagged.
        del client.headers["X-CSRF-Token"]
        r = await client.post("/documents/bulk", data=_form("tag", [doc], tag="csrf"))
        assert r.status_code == 403
        page = await client.get("/profiles/dad")
        r = await client.post(
            "/documents/bulk",
            data={**_form("tag", [doc], tag="form"), "csrf_token": csrf_from(page.text)},
        )
        assert r.status_code == 303
    assert await _tags(doc) == ["form"]
