"""What the Paperless-ngx compatible API reads and records (server/web/paperless.py shapes it).

An upload through it is a task its app polls; a ready document the caller may see is a
Paperless document. Every call takes the caller's scope from `server.access`: a token sees
the documents of its profiles, nothing else.
"""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime
from typing import Any

from ocr.facts.document import KINDS
from server.access.policy import AccessDenied, Caller
from server.access.scope import document_for, visible_documents
from server.db.tables import READY, Document, Page, PaperlessTask
from server.search.contract import SearchBackend
from server.search.scoped import search_as

# Paperless document types are numbered: Kinchart's types, in the extractor's order.
TYPE_IDS = {kind: number for number, kind in enumerate(KINDS, 1)}
TASK_LIMIT = 100  # the newest tasks a list shows, as Paperless keeps its list short
SEARCH_PAGES = 500  # matching pages a `query` looks through, best first
_COLUMNS = (
    Document.id,
    Document.original_name,
    Document.mime,
    Document.doc_type,
    Document.doc_date,
    Document.created_at,
    Document.updated_at,
    Document.page_count,
    Document.has_pdf,
    Document.sha256,
    Document.size,
)


async def record_upload(
    caller: Caller,
    document_id: int | None,
    file_name: str,
    *,
    title: str = "",
    created: date | None = None,
    result: str = "",
) -> str:
    """A new task for an upload the caller made; its id, which the app polls."""
    task_id = str(uuid.uuid4())
    await PaperlessTask.insert(
        PaperlessTask(
            task_id=task_id,
            user=caller.user_id,
            document=document_id,
            file_name=file_name[:255],
            title=title.strip()[:255],
            created=created,
            result=result,
        )
    )
    return task_id


async def tasks(caller: Caller, task_id: str | None = None) -> list[dict[str, Any]]:
    """The caller's own uploads, newest first, with the state of the document each became;
    an upload whose document they may no longer see is not shown."""
    query = PaperlessTask.select(
        PaperlessTask.id,
        PaperlessTask.task_id,
        PaperlessTask.file_name,
        PaperlessTask.document,
        PaperlessTask.result,
        PaperlessTask.acknowledged,
        PaperlessTask.created_at,
        PaperlessTask.document.state.as_alias("state"),
        PaperlessTask.document.failure_reason.as_alias("failure_reason"),
        PaperlessTask.document.profile.as_alias("profile"),
        PaperlessTask.document.updated_at.as_alias("updated_at"),
    ).where(PaperlessTask.user == caller.user_id)
    if task_id is not None:
        query = query.where(PaperlessTask.task_id == task_id[:36])
    rows = await query.order_by(PaperlessTask.id, ascending=False).limit(TASK_LIMIT)
    return [r for r in rows if r["document"] is None or caller.may("view", r["profile"])]


async def matching(backend: SearchBackend, caller: Caller, q: str) -> list[int]:
    """The caller's documents that match a search, best first (Kinchart's own search)."""
    results, _names = await search_as(backend, caller, q, per_page=SEARCH_PAGES)
    found: dict[int, None] = {}
    for hit in results.hits:
        found.setdefault(hit.doc_id, None)
    return list(found)


async def documents(caller: Caller, only: list[int] | None = None) -> list[dict[str, Any]]:
    """Every ready document the caller may see (of `only`, in that order, when given), with
    the title and date its uploader sent; without their page text (see `contents`)."""
    query = visible_documents(caller, Document.select(*_COLUMNS)).where(
        (Document.state == READY) & Document.profile.is_not_null()
    )
    if only is not None:
        if not only:
            return []
        query = query.where(Document.id.is_in(only))
    rows = await query
    await _with_upload_fields(rows)
    if only is not None:
        rank = {doc_id: n for n, doc_id in enumerate(only)}
        rows.sort(key=lambda r: rank[r["id"]])
    return rows


async def document(caller: Caller, doc_id: int, action: str = "view") -> dict[str, Any]:
    """One ready document the caller may `action`; 404 for any other (as Paperless knows no
    document before it is consumed)."""
    row = await document_for(caller, doc_id, action, *_COLUMNS, Document.state)
    if row["state"] != READY or row["profile"] is None:
        raise AccessDenied("No such document.", 404)
    await _with_upload_fields([row])
    return row


async def contents(doc_ids: list[int]) -> dict[int, str]:
    """The text of each document (of those a caller was already shown), pages joined by
    form feeds as `kinchart text` prints them."""
    if not doc_ids:
        return {}
    pages = (
        await Page.select(Page.document, Page.text)
        .where(Page.document.is_in(doc_ids))
        .order_by(Page.document)
        .order_by(Page.number)
    )
    texts: dict[int, list[str]] = {}
    for page in pages:
        texts.setdefault(page["document"], []).append(page["text"])
    return {doc_id: "\f".join(texts.get(doc_id, [])) for doc_id in doc_ids}


async def type_counts(caller: Caller) -> dict[str, int]:
    """How many of the caller's ready documents are of each type."""
    counts = dict.fromkeys(KINDS, 0)
    for row in await documents(caller):
        if row["doc_type"] in counts:
            counts[row["doc_type"]] += 1
    return counts


async def _with_upload_fields(rows: list[dict[str, Any]]) -> None:
    """Each row's `title` and `created`: what its latest uploader sent through this API, else
    the file name without its extension and the date read from the document (or its
    arrival)."""
    sent: dict[int, dict[str, Any]] = {}
    ids = [r["id"] for r in rows]
    if ids:
        for task in (
            await PaperlessTask.select(
                PaperlessTask.document, PaperlessTask.title, PaperlessTask.created
            )
            .where(PaperlessTask.document.is_in(ids))
            .order_by(PaperlessTask.id)
        ):
            mine = sent.setdefault(task["document"], {})
            if task["title"]:
                mine["title"] = task["title"]
            if task["created"]:
                mine["created"] = task["created"]
    for row in rows:
        mine = sent.get(row["id"], {})
        row["title"] = mine.get("title") or os.path.splitext(row["original_name"])[0]
        row["created"] = mine.get("created") or row["doc_date"] or _day(row["created_at"])


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
