"""Saving an upload: the one function behind the web form and the API."""

from __future__ import annotations

import dataclasses
import io

import pytest

from server.access.policy import AccessDenied
from server.db.tables import Document
from server.documents.uploads import save_upload
from server.runtime import Services
from tests.fixtures.people import AS_ROLE, SECRET_NAME, Household, caller_named


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


async def test_a_duplicate_the_caller_may_not_see_is_never_named(
    app_services: Services, household: Household
) -> None:
    erin = await caller_named("erin")  # owner of kid; dad's document has these very bytes
    saved = await save_upload(
        erin,
        app_services.intake,
        _File("same.pdf", f"%PDF-1.4 {SECRET_NAME}".encode()),
        household.profiles["kid"],
        source="upload",
    )
    assert saved.outcome == "duplicate"
    assert saved.document_id is None and saved.state is None
    olga = await caller_named("olga")  # owner of dad sees which document it is
    again = await save_upload(
        olga,
        app_services.intake,
        _File("same.pdf", f"%PDF-1.4 {SECRET_NAME}".encode()),
        household.profiles["dad"],
        source="upload",
    )
    assert again.outcome == "duplicate" and again.document_id == household.docs["dad"]


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
