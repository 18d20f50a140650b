"""Purging a deleted document leaves nothing of it in the data folder or the database (but the
audit log, naming it by title); an original with the same bytes as another document stays."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from server.access.policy import AccessDenied
from server.db.tables import (
    TABLES,
    Appointment,
    Arrival,
    AuditEvent,
    Document,
    DocumentTag,
    Fact,
    ShareLink,
)
from server.documents import filing, trash
from server.documents.intake import Incoming
from server.facts import persist as facts_persist
from server.runtime import Services
from server.search import projection
from server.search.scoped import search_as
from server.shares import links
from server.store import Store
from server.vault import Vault
from tests.fixtures.facts import lab_facts
from tests.fixtures.people import Household, caller_named, make_document

NAME = "purge-me-zqx-scan.pdf"  # in the original's bytes, the page text and the page images
# What only the document's content holds: its page text and its fact (the log names the title).
CONTENT = (f"for {NAME}".encode(), b"Purgeol")


def _files_with(root: Path, *markers: bytes) -> list[Path]:
    """Files of the data folder holding a marker. The search index is left out: its segments
    keep a removed document's terms until they are merged (SECURITY.md); search answers are
    checked instead. The database file may hold the document's name in the audit log."""
    found = []
    for folder, _dirs, files in os.walk(root):
        if Path(folder).is_relative_to(root / "search"):
            continue
        for f in files:
            path = Path(folder) / f
            body = path.read_bytes() if path.is_file() else b""
            wanted = markers if not f.startswith("kinchart.sqlite3") else markers[1:]
            if any(m in body for m in wanted):
                found.append(path)
    return found


async def _rows_with(doc_id: int, marker: str) -> list[str]:
    """Every row of every table (but the audit log) that names the document or holds `marker`."""
    found = []
    for table in TABLES:
        if table is AuditEvent:
            continue
        refs = [c for c in table._meta.foreign_key_columns if c._meta.name == "document"]
        for row in await table.select().output(load_json=False):
            text = repr(row)
            if marker in text or any(row[c._meta.name] == doc_id for c in refs):
                found.append(f"{table.__name__}: {text[:200]}")
            if table is Document and row["id"] == doc_id:
                found.append("Document row")
    return found


async def _with_everything(store: Store, household: Household, doc: int) -> None:
    """Facts, a tag, an arrival, and a share link and appointment naming the document."""
    dad = household.profiles["dad"]
    await Fact.insert(
        Fact(profile=dad, document=doc, kind="lab", name="Purgeol", value_text="1", page=1,
             line=f"Purgeol 1 {NAME}", boxes=[[0.1, 0.1, 0.2, 0.2]])
    )  # fmt: skip
    await DocumentTag.insert(DocumentTag(document=doc, tag="purge-tag"))
    await Arrival.insert(Arrival(document=doc, source="upload", original_name=NAME, outcome="new"))
    olga = await caller_named("olga")
    await links.create(olga, Vault(store.root), dad, documents=[doc])
    await Appointment.insert(
        Appointment(profile=dad, day=datetime.now(UTC).date(), documents=[doc, 999])
    )
    (store.work / f"{doc}-abcd1234").mkdir(parents=True)
    (store.work / f"{doc}-abcd1234" / "page.txt").write_text(NAME)


async def test_purge_leaves_nothing_but_the_log_and_an_original_still_in_use(
    app_services: Services, household: Household
) -> None:
    store, engine = app_services.store, app_services.engine
    dad_doc = await make_document(store, NAME, household.profiles["dad"])
    kid_doc = await make_document(store, NAME, household.profiles["kid"])  # the same bytes
    sha = await Document.select(Document.sha256).where(Document.id == dad_doc).first() or {}
    original = store.original_path(sha["sha256"])
    await _with_everything(store, household, dad_doc)
    await projection.refresh([dad_doc, kid_doc])
    olga, erin = await caller_named("olga"), await caller_named("erin")
    assert _files_with(store.root, NAME.encode(), *CONTENT)
    with pytest.raises(AccessDenied):  # only from the trash
        await trash.purge(olga, engine, store, dad_doc)

    await trash.delete(olga, engine, dad_doc)
    await trash.purge(olga, engine, store, dad_doc)
    assert await _rows_with(dad_doc, "Purgeol") == []
    assert not store.derived_dir(dad_doc).exists()
    assert not list(store.work.glob(f"{dad_doc}-*"))
    assert original.is_file(), "kid's document has the same bytes: the original stays"
    assert store.derived_dir(kid_doc).exists()
    share = await ShareLink.select(ShareLink.documents).output(load_json=True).first()
    appt = await Appointment.select(Appointment.documents).output(load_json=True).first()
    assert share and share["documents"] == [] and appt and appt["documents"] == [999]
    results, _ = await search_as(app_services.search, olga, "CREATININE-SECRET-4242")  # type: ignore[arg-type]
    assert dad_doc not in {h.doc_id for h in results.hits}
    purged = (
        await AuditEvent.select(AuditEvent.detail, AuditEvent.actor_name)
        .where(AuditEvent.kind == "document_purged")
        .output(load_json=True)
    )
    assert purged == [{"detail": {"name": NAME}, "actor_name": "olga"}]

    await trash.delete(erin, engine, kid_doc)
    await trash.purge(erin, engine, store, kid_doc)
    assert not original.exists(), "the last document with these bytes is gone: so is the file"
    assert _files_with(store.root, NAME.encode(), *CONTENT) == []
    assert await _rows_with(kid_doc, NAME) == []
    # The log still names both, by title, and refers to no document row.
    events = (
        await AuditEvent.select(AuditEvent.document, AuditEvent.detail)
        .where(AuditEvent.kind.is_in(["document_deleted", "document_purged"]))
        .output(load_json=True)
    )
    assert len(events) == 4 and all(e["detail"]["name"] == NAME for e in events)
    assert all(e["document"] is None for e in events)


async def test_documents_deleted_more_than_30_days_ago_are_purged(
    app_services: Services, household: Household
) -> None:
    store, engine = app_services.store, app_services.engine
    old = await make_document(store, "old-deleted.pdf", household.profiles["dad"])
    recent = await make_document(store, "recent-deleted.pdf", household.profiles["dad"])
    now = datetime.now(UTC)
    await Document.update({Document.trashed_at: now - timedelta(days=31)}).where(Document.id == old)
    await Document.update({Document.trashed_at: now - timedelta(days=29)}).where(
        Document.id == recent
    )
    assert await trash.purge_expired(engine, store) == 1
    left: dict[str, Any] = {
        r["original_name"]: r["id"]
        for r in await Document.select(Document.id, Document.original_name)
    }
    assert "old-deleted.pdf" not in left and left["recent-deleted.pdf"] == recent
    assert left[next(iter(n for n in left if n.startswith("dad-")))] == household.docs["dad"]
    assert not store.derived_dir(old).exists() and store.derived_dir(recent).exists()
    event = (
        await AuditEvent.select(AuditEvent.actor_name, AuditEvent.detail)
        .where(AuditEvent.kind == "document_purged")
        .output(load_json=True)
        .first()
    )
    assert event == {
        "actor_name": "kinchart",
        "detail": {"name": "old-deleted.pdf", "after_days": 30},
    }
    # Two days later, the other one's time has run out too.
    assert await trash.purge_expired(engine, store, now=now + timedelta(days=2)) == 1
    assert await trash.purge_expired(engine, store, now=now + timedelta(days=2)) == 0


async def test_a_document_deleted_while_it_is_read_keeps_its_facts_out_of_the_profile(
    app_services: Services, household: Household
) -> None:
    """The reading stores facts and files the document after it was deleted: its facts stay
    in no profile until it is restored."""
    engine, doc, dad = app_services.engine, household.docs["dad"], household.profiles["dad"]
    olga = await caller_named("olga")
    await trash.delete(olga, engine, doc)
    stored = await facts_persist.store(engine, doc, lab_facts())
    assert stored is not None and stored.written > 0
    await filing.refile(engine, doc, dad)
    profiles = {r["profile"] for r in await Fact.select(Fact.profile).where(Fact.document == doc)}
    assert profiles == {None}
    await trash.restore(olga, engine, doc)
    profiles = {r["profile"] for r in await Fact.select(Fact.profile).where(Fact.document == doc)}
    assert profiles == {dad}


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(500):
        if await check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_a_purge_keeps_the_original_the_same_bytes_taken_in_meanwhile_need(
    app_services: Services, household: Household, tmp_path: Path
) -> None:
    """The intake found the original (the same bytes, for kid) before the purge of dad's only
    document with them committed, and records its row after: the purge must not remove the
    file from under the new document."""
    store, engine = app_services.store, app_services.engine
    doc = await make_document(store, NAME, household.profiles["dad"])
    sha = (await Document.select(Document.sha256).where(Document.id == doc).first() or {})["sha256"]
    original = store.original_path(sha)
    body = original.read_bytes()
    olga = await caller_named("olga")
    await trash.delete(olga, engine, doc)
    again = tmp_path / "scan-again.pdf"
    again.write_bytes(body)
    stored = await app_services.intake.store_one(
        Incoming(again, "cli", profile_id=household.profiles["kid"])
    )
    assert stored.sha == sha and stored.holds  # found the file; its row is not written yet
    purging = asyncio.create_task(trash.purge(olga, engine, store, doc))
    await _until(lambda: _gone(doc), "the purge committed")
    await asyncio.sleep(0.2)
    assert not purging.done() and original.is_file(), "the purge waits for the intake"
    (result,) = await app_services.intake.record([stored])
    assert result.outcome == "new" and result.document_id is not None
    await purging
    assert original.read_bytes() == body, "the new document's original is still there"
    # Its own purge, with nothing taking the bytes in, removes the file.
    erin = await caller_named("erin")
    await trash.delete(erin, engine, result.document_id)
    await trash.purge(erin, engine, store, result.document_id)
    assert not original.exists()


async def _gone(doc: int) -> bool:
    return not await Document.exists().where(Document.id == doc)


async def test_bytes_taken_in_while_a_purge_removes_their_original_are_stored_again(
    app_services: Services, household: Household, tmp_path: Path
) -> None:
    """The other order: the purge holds the original's lock (it decided to remove it); the
    intake of the same bytes waits for it, then finds no file and stores its own copy."""
    store = app_services.store
    doc = await make_document(store, NAME, household.profiles["dad"])
    sha = (await Document.select(Document.sha256).where(Document.id == doc).first() or {})["sha256"]
    original = store.original_path(sha)
    body = original.read_bytes()
    again = tmp_path / "scan-again.pdf"
    again.write_bytes(body)
    async with store.removing_original(sha) as locked:
        assert locked
        storing = asyncio.create_task(
            app_services.intake.store_one(
                Incoming(again, "cli", profile_id=household.profiles["kid"])
            )
        )
        await asyncio.sleep(0.3)
        assert not storing.done(), "the intake waits while the purge decides"
        original.unlink()  # the purge's decision: nobody named these bytes
    stored = await storing
    (result,) = await app_services.intake.record([stored])
    assert result.outcome == "new" and original.read_bytes() == body
    # With the intake's lock held, a purge's lock is not taken (it waits, here in vain).
    held = await app_services.intake.store_one(Incoming(again, "cli", profile_id=None))
    async with store.removing_original(sha, wait_s=0.2) as locked:
        assert not locked
    await app_services.intake.record([held])
    async with store.removing_original(sha, wait_s=0.2) as locked:
        assert locked
