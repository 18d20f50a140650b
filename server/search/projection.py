"""Keeping the search index a projection of the database: the one place that writes it.

Call `refresh(ids)` after anything changes a document's state, pages or profile (or deletes
it). A failed update is logged, never raised: the document itself is safe in the database,
and `catch_up` (at start, then every few minutes) or `kinchart reindex` repairs the index.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import date, datetime
from typing import Any

from server.access.scope import LIVE
from server.db.tables import PROCESSING, READY, REJECTED, Document, Fact, Page
from server.search.contract import UNFILED, PageText, SearchBackend, SearchDoc
from server.search.derive import doc_type, document_date, stored_type

log = logging.getLogger(__name__)

BATCH = 200
SLICE = 5000
CATCH_UP_SECONDS = 600.0

_bound: SearchBackend | None = None
_tasks: set[asyncio.Task[Any]] = set()  # catch-up loops and background refreshes
# Held by every write to the index from a worker thread, and by `unbind` to close it: a task
# cancelled on the loop leaves its thread running, and closing an index mid-write crashed
# the process (tantivy).
_writing = threading.Lock()


def bind(backend: SearchBackend) -> SearchBackend:
    """Make `backend` the index this process keeps current (like `db.bind` for the engine)."""
    global _bound
    _bound = backend
    return backend


def bound() -> SearchBackend | None:
    return _bound


async def unbind(backend: SearchBackend | None) -> None:
    """Stop catching up and close `backend`; the next process to start opens it again."""
    global _bound
    for task in list(_tasks):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    if backend is not None:
        await asyncio.to_thread(_locked, backend.close)
    if _bound is backend:
        _bound = None


def stamp(updated_at: datetime) -> int:
    return int(updated_at.timestamp() * 1000)


async def load(doc_ids: Iterable[int], *, about_to_be_ready: bool = False) -> list[SearchDoc]:
    """The ready documents among `doc_ids`, as the index holds them.

    `about_to_be_ready`: documents still `processing` count too (the last steps of a
    document's life index it, then mark it ready: documents/lifecycle.py).
    """
    ids = list(doc_ids)
    states = [READY, PROCESSING] if about_to_be_ready else [READY]
    if not ids:
        return []
    rows = await Document.select(
        Document.id,
        Document.original_name,
        Document.profile,
        Document.kind,
        Document.created_at,
        Document.updated_at,
        Document.doc_type,
        Document.doc_date,
    ).where(Document.id.is_in(ids) & Document.state.is_in(states) & LIVE)
    if not rows:
        return []
    texts: dict[int, list[PageText]] = {r["id"]: [] for r in rows}
    pages = (
        await Page.select(Page.document, Page.number, Page.text)
        .where(Page.document.is_in(list(texts)))
        .order_by(Page.document, Page.number)
    )
    for p in pages:
        texts[p["document"]].append(PageText(p["number"], p["text"] or ""))
    # A structured record has no pages: its text is the readable lines of its facts.
    records = [r["id"] for r in rows if r["kind"] == "structured" and not texts[r["id"]]]
    if records:
        lines: dict[int, list[str]] = {}
        for fact in (
            await Fact.select(Fact.document, Fact.line)
            .where(Fact.document.is_in(records) & (Fact.status != REJECTED))
            .order_by(Fact.document, Fact.seq)
        ):
            lines.setdefault(fact["document"], []).append(fact["line"] or "")
        for doc_id, found in lines.items():
            texts[doc_id].append(PageText(1, "\n".join(found)))
    return [_doc(r, texts[r["id"]]) for r in rows]


def _doc(row: dict[str, Any], pages: list[PageText]) -> SearchDoc:
    plain = [p.text for p in pages]
    return SearchDoc(
        doc_id=row["id"],
        profile=row["profile"] if row["profile"] is not None else UNFILED,
        name=row["original_name"],
        # What fact extraction stored, else a guess from the text.
        doc_type=stored_type(row["doc_type"], row["kind"]) or doc_type(plain, row["kind"]),
        date=_as_date(row["doc_date"]) or document_date(plain, row["created_at"].date()),
        stamp=stamp(row["updated_at"]),
        pages=tuple(pages),
    )


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


async def refresh(
    doc_ids: Iterable[int],
    backend: SearchBackend | None = None,
    *,
    about_to_be_ready: bool = False,
) -> bool:
    """Make the index agree with the database on these documents; False if it could not."""
    backend = backend or _bound
    ids = sorted(set(doc_ids))
    if backend is None or not ids:
        return True
    try:
        docs = await load(ids, about_to_be_ready=about_to_be_ready)
        gone = set(ids) - {d.doc_id for d in docs}
        await asyncio.to_thread(_apply, backend, docs, gone)
        return True
    except Exception:
        log.exception("search index not updated for documents %s; it catches up later", ids)
        return False


def schedule_refresh(doc_ids: Iterable[int]) -> None:
    """`refresh` in the background (for a request that must not wait for it)."""
    _track(asyncio.get_running_loop().create_task(refresh(doc_ids)))


def _track(task: asyncio.Task[Any]) -> None:
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def _apply(backend: SearchBackend, docs: list[SearchDoc], gone: set[int]) -> None:
    with _writing:
        if gone:
            backend.remove(gone)
        if docs:
            backend.index(docs)


def _locked(call: Callable[..., Any], *args: Any) -> Any:
    with _writing:
        return call(*args)


async def catch_up(backend: SearchBackend) -> tuple[int, int]:
    """Index what is missing or stale, drop what the database no longer has; (indexed, dropped)."""
    stale, extra = await differences(backend)
    if extra:
        await asyncio.to_thread(_locked, backend.remove, extra)
    for i in range(0, len(stale), BATCH):
        docs = await load(stale[i : i + BATCH])
        await asyncio.to_thread(_locked, backend.index, docs)
    if stale or extra:
        log.info("search index caught up: %d indexed, %d dropped", len(stale), len(extra))
    return len(stale), len(extra)


async def differences(
    backend: SearchBackend, *, stamps: bool = True
) -> tuple[list[int], list[int]]:
    """Ready documents missing from the index or stale in it, and indexed documents that are
    not ready in the database (gone, moved back to the queue). Without `stamps`, a document
    indexed under its profile counts as current, whenever it was indexed (`kinchart check`:
    before queue.stamp_final, workers indexed a document with the stamp it had just before
    `ready` changed it, so older indexes hold earlier stamps that are not a problem)."""
    have = await asyncio.to_thread(backend.stamps)
    seen: set[int] = set()
    stale: list[int] = []
    last = 0
    while True:  # in slices, so a large household does not hold up requests meanwhile
        rows = (
            await Document.select(Document.id, Document.profile, Document.updated_at)
            .where((Document.state == READY) & LIVE & (Document.id > last))
            .order_by(Document.id)
            .limit(SLICE)
        )
        if not rows:
            break
        last = rows[-1]["id"]
        for r in rows:
            seen.add(r["id"])
            profile = r["profile"] if r["profile"] is not None else UNFILED
            held = have.get(r["id"])
            if held is None or held[0] != profile or (stamps and held[1] != stamp(r["updated_at"])):
                stale.append(r["id"])
    return stale, sorted(set(have) - seen)


def start_catch_up(backend: SearchBackend, every: float = CATCH_UP_SECONDS) -> None:
    """Catch up in the background now and every `every` seconds; never stops the server."""

    async def loop() -> None:
        while True:
            try:
                await catch_up(backend)
            except Exception:
                log.exception("search index catch-up failed; searching may miss documents")
            await asyncio.sleep(every)

    _track(asyncio.create_task(loop(), name="search-catch-up"))


async def rebuild(backend: SearchBackend, progress: Callable[[int], None] | None = None) -> int:
    """Replace the index with every ready document, streamed from the database in batches."""
    batches: queue.Queue[list[SearchDoc] | None] = queue.Queue(maxsize=4)  # bounds memory

    def docs() -> Iterable[SearchDoc]:
        while (batch := batches.get()) is not None:
            yield from batch

    writer = asyncio.ensure_future(asyncio.to_thread(backend.rebuild, docs(), progress))

    async def feed(item: list[SearchDoc] | None) -> bool:
        while not writer.done():  # a writer that failed takes nothing more
            try:
                await asyncio.to_thread(batches.put, item, True, 0.5)
                return True
            except queue.Full:
                continue
        return False

    try:
        async for batch in _all_ready():
            if not await feed(batch):
                break
    finally:
        await feed(None)
    return await writer


async def _all_ready() -> AsyncIterator[list[SearchDoc]]:
    last = 0
    while True:
        rows = (
            await Document.select(Document.id)
            .where((Document.state == READY) & LIVE & (Document.id > last))
            .order_by(Document.id)
            .limit(BATCH)
        )
        if not rows:
            return
        last = rows[-1]["id"]
        yield await load(r["id"] for r in rows)


async def total_ready() -> int:
    return int(await Document.count().where((Document.state == READY) & LIVE))
