"""Where documents stand, as the `kinchart` command reports it: states, failures, text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server.access.policy import Caller
from server.access.scope import visible_documents
from server.db.tables import Arrival, Document, Page
from server.documents import queue
from server.documents.states import FAILED
from server.errors import NotFound


async def overview(caller: Caller) -> dict[str, Any]:
    """Counts per state, each failed document with its reason, and files not taken in."""
    failures = await visible_documents(
        caller,
        Document.select(
            Document.id, Document.original_name, Document.failure_code, Document.failure_reason
        ).where(Document.state == FAILED),
    ).order_by(Document.id)
    rejected: list[dict[str, Any]] = []
    if caller.is_admin:  # a refused file belongs to no profile yet: only admins triage it
        rejected = list(
            await Arrival.select(
                Arrival.original_name, Arrival.source, Arrival.reason, Arrival.received_at
            )
            .where(Arrival.outcome == "rejected")
            .order_by(Arrival.id)
        )
        for r in rejected:
            r["received_at"] = r["received_at"].isoformat()
    return {"counts": await queue.counts(), "failures": list(failures), "rejected": rejected}


async def documents(caller: Caller) -> list[dict[str, Any]]:
    """One row per document the caller may see, with its profile's slug."""
    rows = await visible_documents(
        caller,
        Document.select(
            Document.id,
            Document.original_name,
            Document.sha256,
            Document.state,
            Document.failure_reason,
            Document.page_count,
            Document.created_at,
            Document.profile.slug.as_alias("profile"),
        ),
    ).order_by(Document.id)
    for r in rows:
        r["created_at"] = r["created_at"].isoformat()
    return list(rows)


async def text(caller: Caller, doc_id: int) -> str:
    """The document's text, pages separated by form feeds."""
    found = await visible_documents(
        caller, Document.select(Document.id).where(Document.id == doc_id)
    ).first()
    if found is None:
        raise NotFound(f"There is no document {doc_id}.")
    pages = await Page.select(Page.text).where(Page.document == doc_id).order_by(Page.number)
    return "\f".join(p["text"] for p in pages)


async def states(caller: Caller, doc_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each document's state and failure reason, by id."""
    rows = await visible_documents(
        caller,
        Document.select(Document.id, Document.state, Document.failure_reason).where(
            Document.id.is_in(list(doc_ids) or [-1])
        ),
    )
    return {row["id"]: row for row in rows}
