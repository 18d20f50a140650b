"""Rebuilding what is derived from the originals: page images, PDFs, page text (`kinchart
rebuild`, and after a restore). The documents go back to the queue and the workers read them
again; facts people reviewed are kept."""

from __future__ import annotations

from server.db.tables import READY, Document
from server.documents import queue
from server.errors import NotFound
from server.store import Store


async def missing_derived(store: Store) -> list[int]:
    """Ready documents whose page files are not in the data folder."""
    rows = await Document.select(Document.id).where(Document.state == READY)
    return [r["id"] for r in rows if not store.derived_dir(r["id"]).is_dir()]


async def rebuild(doc_ids: list[int] | None) -> list[int]:
    """Queue these documents (every ready or failed one when None) to be read again."""
    if doc_ids:
        known = {
            r["id"] for r in await Document.select(Document.id).where(Document.id.is_in(doc_ids))
        }
        unknown = sorted(set(doc_ids) - known)
        if unknown:
            raise NotFound(f"No document {', '.join(map(str, unknown))}.")
    return await queue.reread(doc_ids)
