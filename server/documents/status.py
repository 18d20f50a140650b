"""Where documents stand, as the `kinchart` command reports it: states, failures, text."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from server.access.policy import Caller
from server.access.scope import visible_documents
from server.db.tables import Arrival, Document, Page
from server.documents import queue
from server.documents.states import FAILED
from server.errors import NotFound
from sync.rules import is_ignored

# Below this much free space (plus the smallest file waiting), the data folder's disk counts
# as full: nothing more can be taken in or read until space is freed.
MIN_FREE_BYTES = 2 * 1024 * 1024
WAITING_LISTED = 50


async def overview(
    caller: Caller, *, inbox: Path | None = None, data_dir: Path | None = None
) -> dict[str, Any]:
    """Counts per state, each failed document with its reason, and files not taken in; for
    an admin, with `inbox` and `data_dir`, the files still waiting in the inbox and whether
    the data folder's disk is full."""
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
    out = {"counts": await queue.counts(), "failures": list(failures), "rejected": rejected}
    if caller.is_admin and inbox is not None and data_dir is not None:
        out["waiting"] = waiting(inbox, data_dir)
    return out


def waiting(inbox: Path, data_dir: Path) -> dict[str, Any]:
    """Files in the inbox not taken in yet, and the room left for them in the data folder.

    Read from the disk, not the database: on a full disk the database may not be writable,
    and the files waiting are the ones nothing has recorded.
    """
    files: list[tuple[str, int]] = []
    for dirpath, dirnames, filenames in os.walk(inbox):
        base = Path(dirpath)
        dirnames[:] = [d for d in dirnames if not is_ignored(Path(d, "x"))]
        for name in filenames:
            rel = (base / name).relative_to(inbox)
            if is_ignored(rel):
                continue
            try:
                files.append((str(rel), (base / name).lstat().st_size))
            except OSError:
                continue  # taken in meanwhile
    st = os.statvfs(data_dir)
    free = st.f_bavail * st.f_frsize
    full = free < MIN_FREE_BYTES + min((size for _, size in files), default=0)
    files.sort()
    message = ""
    if full:
        message = f"disk full: {free / 1e6:.1f} MB free in {data_dir}. " + (
            f"{len(files)} file(s) wait in the inbox and are taken in by themselves once "
            "space is freed (nothing is lost)"
            if files
            else "Documents cannot be read until space is freed"
        )
    return {
        "disk_full": full,
        "free_bytes": free,
        "message": message,
        "count": len(files),
        "files": [name for name, _ in files[:WAITING_LISTED]],
    }


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
