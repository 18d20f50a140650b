"""Deleting documents: to the profile's trash, back out of it, and for good (purge).

The one module that moves documents in and out of the trash, so whatever must follow such a
move (the search index here; caches later) follows it in one place: `_changed`.

A deleted document keeps its row, pages, facts and files for TRASH_DAYS, out of every view:
`access.scope` finds it only for the trash (`LIVE`, `document_for(..., trashed=True)`), its
facts leave the profile (`Fact.profile` is None, as in triage: every fact query is by profile)
with their review status kept, and the search index drops it. Restoring undoes all three.
Purging removes the original (unless another document has the same bytes: originals are
content-addressed), the derived files (page images, thumbnails, the searchable PDF), pages
(the text), facts and their citations, tags, arrivals and the row; the audit log keeps its
entries, which name the document by its title.

Who may: owners delete, restore and purge; a caregiver deletes and restores documents they
uploaded themselves (the audit log's `document_uploaded`); viewers never.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine
from starlette.requests import Request

from server.access import audit
from server.access.policy import AccessDenied, Caller
from server.access.scope import document_for, profile_for
from server.db.engine import write_transaction
from server.db.tables import (
    PROCESSING,
    Appointment,
    Arrival,
    AuditEvent,
    Document,
    DocumentTag,
    Fact,
    Page,
    PaperlessTask,
    RemoteFile,
    ShareLink,
)
from server.documents import titles
from server.errors import ExitCode, KinchartError
from server.facts import persist as facts_persist
from server.search import projection
from server.store import Store

log = logging.getLogger(__name__)

TRASH_DAYS = 30
PURGE_EVERY_SECONDS = 3600.0
SYSTEM = "kinchart"  # the audit log's actor for purges nobody asked for (the 30 days ran out)

_COLUMNS = (
    Document.id,
    Document.profile,
    Document.sha256,
    Document.state,
    Document.original_name,
    Document.title,
    Document.doc_type,
    Document.doc_date,
    Document.provider,
    Document.facility,
    Document.trashed_at,
    Document.trashed_by,
    Document.profile.slug.as_alias("profile_slug"),
)


class BeingRead(KinchartError):
    """The document is being read right now; it can be deleted for good once that is over."""

    status = 409
    exit_code = ExitCode.failed
    user_message = "This document is being read right now; try again in a minute."


async def may_delete(caller: Caller, doc: dict[str, Any]) -> bool:
    """Owners delete (and restore) any document of theirs; caregivers those they uploaded."""
    if caller.may("delete", doc["profile"]):
        return True
    if not caller.may("upload", doc["profile"]):
        return False
    return await uploaded_by(caller.user_id, int(doc["id"]))


async def uploaded_by(user_id: int, doc_id: int) -> bool:
    """Whether this user's upload made the document (not only sent the same bytes again)."""
    rows = (
        await AuditEvent.select(AuditEvent.detail)
        .where(
            (AuditEvent.kind == "document_uploaded")
            & (AuditEvent.document == doc_id)
            & (AuditEvent.actor == user_id)
        )
        .output(load_json=True)
    )
    return any((r["detail"] or {}).get("outcome") == "new" for r in rows)


def name_of(doc: dict[str, Any]) -> str:
    """How the audit log and messages name the document (its title, as everywhere)."""
    day = doc.get("doc_date")
    return titles.title_of(doc, day.isoformat() if day is not None else "")[:200]


async def _audited(kind: str, doc: dict[str, Any], **details: Any) -> None:
    """The audit record of a trash action on `doc`: its profile and name, and `details`."""
    await audit.record(kind, profile=doc["profile"], name=name_of(doc), **details)


async def delete(
    caller: Caller, engine: Engine, doc_id: int, request: Request | None = None
) -> dict[str, Any]:
    """Move a document to its profile's trash; raises AccessDenied (404/403)."""
    doc = await document_for(caller, doc_id, "view", *_COLUMNS)
    if not await may_delete(caller, doc):
        raise AccessDenied("Your role on this profile does not allow deleting this document.", 403)
    now = datetime.now(UTC)
    async with write_transaction(engine):
        await Document.update(
            {Document.trashed_at: now, Document.trashed_by: caller.display_name[:100]}
        ).where(Document.id == doc_id)
        await facts_persist.follow(doc_id, None)
    await _changed([doc_id])
    await _audited("document_deleted", doc, caller=caller, request=request, document=doc_id)
    return doc


async def restore(
    caller: Caller, engine: Engine, doc_id: int, request: Request | None = None
) -> dict[str, Any]:
    """Bring a document back from the trash with its facts (as reviewed) and index entry."""
    doc = await document_for(caller, doc_id, "view", *_COLUMNS, trashed=True)
    if not await may_delete(caller, doc):
        raise AccessDenied("Your role on this profile does not allow restoring this document.", 403)
    await _take_out(engine, doc)
    await _changed([doc_id])
    await _audited("document_restored", doc, caller=caller, request=request, document=doc_id)
    return doc


async def revive(engine: Engine, arrived: list[tuple[int, int | None]]) -> list[int]:
    """Documents in a trash whose bytes arrived again for the same profile (document id,
    profile it was sent for) come back out of the trash: whoever sent them wants them, and the
    arrival would otherwise vanish into the trash unseen. The ids brought back."""
    wanted = {(doc_id, profile) for doc_id, profile in arrived if profile is not None}
    if not wanted:
        return []
    rows = await Document.select(*_COLUMNS).where(
        Document.id.is_in(sorted({d for d, _ in wanted})) & Document.trashed_at.is_not_null()
    )
    back = []
    for doc in rows:
        if (doc["id"], doc["profile"]) not in wanted:
            continue
        await _take_out(engine, doc)
        await _audited(
            "document_restored", doc, actor_name=SYSTEM, document=doc["id"], reason="taken in again"
        )
        back.append(int(doc["id"]))
    if back:
        await _changed(back)
    return back


async def _take_out(engine: Engine, doc: dict[str, Any]) -> None:
    async with write_transaction(engine):
        await Document.update({Document.trashed_at: None, Document.trashed_by: ""}).where(
            Document.id == doc["id"]
        )
        await facts_persist.follow(doc["id"], doc["profile"])


async def purge(
    caller: Caller,
    engine: Engine,
    store: Store,
    doc_id: int,
    request: Request | None = None,
) -> dict[str, Any]:
    """Delete a document in the trash for good (owners only)."""
    doc = await document_for(caller, doc_id, "delete", *_COLUMNS, trashed=True)
    if doc["state"] == PROCESSING:
        raise BeingRead()
    await _purge(engine, store, doc)
    await _audited("document_purged", doc, caller=caller, request=request)
    return doc


async def empty(
    caller: Caller, engine: Engine, store: Store, slug: str, request: Request | None = None
) -> tuple[dict[str, Any], int, int]:
    """Delete every document in the profile's trash for good (owners only): the profile, how
    many were purged, and how many were left because they are being read right now."""
    profile = await profile_for(caller, slug, "delete")
    rows = await Document.select(*_COLUMNS).where(
        (Document.profile == profile["id"]) & Document.trashed_at.is_not_null()
    )
    purged = busy = 0
    for doc in rows:
        if doc["state"] == PROCESSING:
            busy += 1
            continue
        await _purge(engine, store, doc)
        purged += 1
    await audit.record(
        "trash_emptied",
        caller=caller,
        request=request,
        profile=profile["id"],
        count=purged,
        left_being_read=busy,
    )
    return profile, purged, busy


async def purge_expired(
    engine: Engine, store: Store, *, now: datetime | None = None, days: int = TRASH_DAYS
) -> int:
    """Purge every document that has been in a trash longer than `days`; how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    rows = await Document.select(*_COLUMNS).where(
        Document.trashed_at.is_not_null()
        & (Document.trashed_at < cutoff)
        & (Document.state != PROCESSING)
    )
    for doc in rows:
        await _purge(engine, store, doc)
        await _audited("document_purged", doc, actor_name=SYSTEM, after_days=days)
    if rows:
        log.info("purged %d document(s) deleted more than %d days ago", len(rows), days)
    return len(rows)


async def listing(caller: Caller, slug: str) -> dict[str, Any]:
    """A profile's trash, newest deletion first, with what the caller may do with each."""
    profile = await profile_for(caller, slug, "edit")
    rows = list(
        await Document.select(*_COLUMNS, Document.page_count)
        .where((Document.profile == profile["id"]) & Document.trashed_at.is_not_null())
        .order_by(Document.trashed_at, ascending=False)
    )
    for r in rows:
        r["purge_on"] = r["trashed_at"] + timedelta(days=TRASH_DAYS)
        r["may_restore"] = await may_delete(caller, r)
        r["may_purge"] = caller.may("delete", r["profile"])
    may_empty = caller.may("delete", profile["id"])
    return {"profile": profile, "documents": rows, "days": TRASH_DAYS, "may_empty": may_empty}


async def _purge(engine: Engine, store: Store, doc: dict[str, Any]) -> None:
    doc_id = int(doc["id"])
    sqlite = isinstance(engine, SQLiteEngine)
    async with write_transaction(engine):
        if sqlite:  # deleted rows' bytes are overwritten, not left in free pages of the file
            await Document.raw("PRAGMA secure_delete = ON")
        await Fact.delete().where(Fact.document == doc_id)
        await Page.delete().where(Page.document == doc_id)
        await DocumentTag.delete().where(DocumentTag.document == doc_id)
        await Arrival.delete().where(Arrival.document == doc_id)
        await PaperlessTask.delete().where(PaperlessTask.document == doc_id)
        # Kept, without the document: the log names it by title; a synced file's record keeps
        # the same version from being taken in again.
        await AuditEvent.update({AuditEvent.document: None}).where(AuditEvent.document == doc_id)
        await RemoteFile.update({RemoteFile.document: None}).where(RemoteFile.document == doc_id)
        await _unlink(ShareLink, doc_id, doc["profile"])
        await _unlink(Appointment, doc_id, doc["profile"])
        await Document.delete().where(Document.id == doc_id)
        shared = await Document.exists().where(Document.sha256 == doc["sha256"])
    if sqlite:  # and the write-ahead log, which held the pages as they were, is emptied
        await Document.raw("PRAGMA wal_checkpoint(TRUNCATE)")
    # Files after the commit: a failure here leaves files, never rows pointing at nothing.
    shutil.rmtree(store.derived_dir(doc_id), ignore_errors=True)
    for work in store.work.glob(f"{doc_id}-*"):
        shutil.rmtree(work, ignore_errors=True)
    if not shared:
        await _remove_original(store, doc["sha256"])
    await _changed([doc_id])


async def _remove_original(store: Store, sha256: str) -> None:
    """Remove the original unless a document took the same bytes in since the purge decided
    (server/store.py: the intake holds the lock from finding the file to committing its row)."""
    async with store.removing_original(sha256) as locked:
        if not locked:
            log.warning("an intake held the original %s… too long: kept", sha256[:12])
            return
        if not await Document.exists().where(Document.sha256 == sha256):
            store.original_path(sha256).unlink(missing_ok=True)


async def _unlink(table: type[ShareLink] | type[Appointment], doc_id: int, profile: Any) -> None:
    """Take the document out of the lists of documents a share link or appointment names."""
    if profile is None:
        return
    rows = (
        await table.select(table.id, table.documents)
        .where(table.profile == profile)
        .output(load_json=True)
    )
    for r in rows:
        ids = [int(i) for i in r["documents"] or []]
        if doc_id in ids:
            kept = [i for i in ids if i != doc_id]
            await table.update({table.documents: kept}).where(table.id == r["id"])


async def _changed(doc_ids: list[int]) -> None:
    """What follows a document into or out of the trash, or out of existence."""
    await projection.refresh(doc_ids)
