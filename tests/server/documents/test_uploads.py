"""Saving an upload: the one function behind the web form and the API."""

from __future__ import annotations

import dataclasses
import io

import pytest

from server.access.policy import AccessDenied
from server.db.tables import Arrival, Document
from server.documents.uploads import save_upload
from server.runtime import Services
from tests.fixtures.people import AS_ROLE, SECRET_NAME, UNFILED_NAME, Household, caller_named


class _File:
    """An uploaded file, as Starlette hands it over."""

    def __init__(self, name: str, body: bytes) -> None:
        self.filename = name
        self._body = io.BytesIO(body)

    async def read(self, size: int = -1) -> bytes:
        return self._body.read(size)


@pytest.mark.parametrize("role", ["owner", "caregiver"])
async def test_a_new_file_is_queued_under_the_profile(
    app_services: Services, household: Household, role: str
) -> None:
    caller = await caller_named(AS_ROLE[role])
    dad = household.profiles["dad"]
    saved = await save_upload(
        caller, app_services.intake, _File("lab.pdf", b"%PDF-1.4 new"), dad, source="upload"
    )
    assert saved.outcome == "new" and saved.state == "queued" and saved.document_id
    row = await Document.select().where(Document.id == saved.document_id).first()
    assert row and row["profile"] == dad and row["source"] == "upload"
    assert not list(app_services.store.tmp.iterdir()), "the temporary copy is gone"


@pytest.mark.parametrize("role", ["viewer", "admin", "none"])
async def test_viewers_admins_without_a_grant_and_strangers_cannot_save_to_a_profile(
    app_services: Services, household: Household, role: str
) -> None:
    caller = await caller_named(AS_ROLE[role])
    before = await Document.count()
    with pytest.raises(AccessDenied):
        await save_upload(
            caller,
            app_services.intake,
            _File("x.pdf", b"%PDF x"),
            household.profiles["dad"],
            source="upload",
        )
    assert await Document.count() == before


async def test_only_an_admin_saves_to_the_triage_queue(
    app_services: Services, household: Household
) -> None:
    saved = await save_upload(
        await caller_named("admin"),
        app_services.intake,
        _File("a.pdf", b"%PDF a"),
        None,
        source="upload",
    )
    assert saved.outcome == "new" and saved.document_id is not None
    with pytest.raises(AccessDenied):
        await save_upload(
            await caller_named("olga"),
            app_services.intake,
            _File("b.pdf", b"%PDF b"),
            None,
            source="upload",
        )


async def _untouched(doc_id: int) -> tuple[int, dict[str, object] | None]:
    """What an upload elsewhere must not change about a document: its arrivals and its row."""
    row = (
        await Document.select(
            Document.profile, Document.original_name, Document.state, Document.updated_at
        )
        .where(Document.id == doc_id)
        .first()
    )
    return await Arrival.count().where(Arrival.document == doc_id), row


async def test_bytes_of_a_document_the_caller_may_not_see_are_a_new_document(
    app_services: Services, household: Household
) -> None:
    """Finding 8: answered exactly as a new file; nothing written to the other document."""
    dad_doc = household.docs["dad"]
    before = await _untouched(dad_doc)
    erin = await caller_named("erin")  # owner of kid; dad's document has these very bytes
    body = f"%PDF-1.4 {SECRET_NAME}".encode()
    saved = await save_upload(
        erin,
        app_services.intake,
        _File("mine.pdf", body),
        household.profiles["kid"],
        source="upload",
    )
    assert saved.outcome == "new" and saved.state == "queued" and saved.reason == ""
    assert saved.document_id and saved.document_id != dad_doc
    mine = await Document.select().where(Document.id == saved.document_id).first()
    dads = await Document.select().where(Document.id == dad_doc).first()
    assert mine and dads and mine["profile"] == household.profiles["kid"]
    assert mine["sha256"] == dads["sha256"] and mine["original_name"] == "mine.pdf"
    store = app_services.store
    assert store.original_path(mine["sha256"]).read_bytes() == body, "one shared original"
    assert await _untouched(dad_doc) == before, "no arrival, no name on dad's document"
    assert (
        not await Arrival.exists()
        .where(Arrival.original_name == "mine.pdf")
        .where(Arrival.document == dad_doc)
    )
    # In erin's own profile the same bytes stay one document, with one more arrival.
    again = await save_upload(
        erin,
        app_services.intake,
        _File("again.pdf", body),
        household.profiles["kid"],
        source="upload",
    )
    assert again.outcome == "duplicate" and again.document_id == saved.document_id
    assert await Arrival.count().where(Arrival.document == saved.document_id) == 2
    # Dad's owner uploading them to dad: the duplicate of dad's document, as before.
    olga = await caller_named("olga")
    dup = await save_upload(
        olga,
        app_services.intake,
        _File("same.pdf", body),
        household.profiles["dad"],
        source="upload",
    )
    assert dup.outcome == "duplicate" and dup.document_id == dad_doc
    assert await Document.count().where(Document.sha256 == mine["sha256"]) == 2


async def test_bytes_of_an_unfiled_document_do_not_file_it(
    app_services: Services, household: Household
) -> None:
    unfiled = household.docs["unfiled"]
    before = await _untouched(unfiled)
    erin = await caller_named("erin")
    saved = await save_upload(
        erin,
        app_services.intake,
        _File("scan.pdf", f"%PDF-1.4 {UNFILED_NAME}".encode()),
        household.profiles["kid"],
        source="upload",
    )
    assert saved.outcome == "new" and saved.document_id not in (None, unfiled)
    assert await _untouched(unfiled) == before, "still in triage, nothing recorded on it"
    row = await Document.select(Document.profile).where(Document.id == saved.document_id).first()
    assert row == {"profile": household.profiles["kid"]}


async def test_too_large_empty_and_unreadable_files_are_refused_with_a_reason(
    app_services: Services, household: Household
) -> None:
    bob, dad = await caller_named("bob"), household.profiles["dad"]
    intake = dataclasses.replace(app_services.intake, max_bytes=1024)
    big = _File("big.pdf", b"%PDF" + b"x" * 1024)
    saved = await save_upload(bob, intake, big, dad, source="api", refuse_unreadable=True)
    assert saved.outcome == "rejected" and saved.problem == "too_large"
    empty = await save_upload(
        bob, intake, _File("e.pdf", b""), dad, source="api", refuse_unreadable=True
    )
    assert empty.problem == "empty" and "empty" in empty.reason
    odd = await save_upload(
        bob,
        intake,
        _File("x.bin", b"\x00\x01 not a document"),
        dad,
        source="api",
        refuse_unreadable=True,
    )
    assert odd.problem == "unsupported" and odd.reason
    # The web form lets the intake judge an empty file (it records why it was refused).
    web = await save_upload(bob, intake, _File("e.pdf", b""), dad, source="upload")
    assert web.outcome == "rejected" and web.problem == "" and "empty" in web.reason
    assert not list(app_services.store.tmp.iterdir())
