"""Workers: claim queued documents, read them in the OCR pool, store the reading."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import uuid
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine

from ocr.errors import ReadError
from ocr.model import Reading
from ocr.options import ReadOptions
from ocr.pool import ReaderPool
from server.access import audit
from server.db.tables import Document, Page
from server.documents import queue
from server.documents.filing import route
from server.facts import persist as facts
from server.facts.reading import ReadingWithFacts, facts_of, read_with_facts
from server.search import projection as search_sync
from server.settings import Settings
from server.store import Store

log = logging.getLogger(__name__)


def read_options(settings: Settings) -> ReadOptions:
    workers = settings.effective_ocr_workers
    return ReadOptions(
        languages=settings.languages,
        # Spread the machine's cores over the concurrent documents.
        jobs=max(1, (os.cpu_count() or 1) // workers),
        max_pages=settings.max_pages,
    )


def make_pool(settings: Settings) -> ReaderPool:
    return ReaderPool(
        settings.effective_ocr_workers,
        read_options(settings),
        timeout_s=settings.ocr_timeout_seconds,
        idle_exit_s=settings.ocr_idle_exit_seconds,
        reader=read_with_facts,  # facts are extracted in the child too, off the event loop
    )


class Workers:
    """A fixed number of slots, each working one document at a time."""

    def __init__(
        self, settings: Settings, engine: Engine, store: Store, pool: ReaderPool | None = None
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store
        self.pool = pool or make_pool(settings)
        self._own_pool = pool is None
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        # Documents this process is working on. "ready" is set before routing, facts and the
        # search index are done; a caller waiting for a document waits for this too.
        self.in_flight: set[int] = set()

    def notify(self) -> None:
        """Wake idle slots (safe to call from any thread)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set; then hand unfinished documents back to the queue."""
        self._loop = asyncio.get_running_loop()
        await queue.requeue_expired()
        slots = [
            asyncio.create_task(self._slot(stop), name=f"worker-{i}")
            for i in range(self.settings.effective_ocr_workers)
        ]
        sweeper = asyncio.create_task(self._sweep(stop), name="lease-sweeper")
        try:
            await stop.wait()
        finally:
            for t in [*slots, sweeper]:
                t.cancel()
            await asyncio.gather(*slots, sweeper, return_exceptions=True)
            with contextlib.suppress(Exception):
                await queue.release_owned(self.owner)
            if self._own_pool:
                await asyncio.to_thread(self.pool.close)

    async def _sweep(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(max(1.0, self.settings.lease_seconds / 2))
            try:
                if await queue.requeue_expired():
                    self._wake.set()
            except Exception:
                log.exception("lease sweep failed")
            self.pool.reap()  # OCR processes that exited for being idle

    async def _slot(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                doc = await queue.claim(self.engine, self.owner, self.settings.lease_seconds)
            except Exception:
                log.exception("claiming work failed")
                doc = None
                await asyncio.sleep(2)
            if doc is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=2.0)
                continue
            self.in_flight.add(doc["id"])
            try:
                await self.process(doc)
            finally:
                self.in_flight.discard(doc["id"])

    async def process(self, doc: dict[str, Any]) -> None:
        doc_id = doc["id"]
        heartbeat = asyncio.create_task(self._heartbeat(doc_id))
        workdir = self.store.work_dir(doc_id)
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            try:
                reading = await self.pool.aread(self.store.original_path(doc["sha256"]), workdir)
            except ReadError as exc:
                await self._failed(doc, exc.code, exc.user_message, exc.permanent)
                return
            except Exception as exc:  # a bug of ours must not stop the worker
                log.exception("reading document %s failed", doc_id)
                await self._failed(doc, "internal", f"Internal error while reading: {exc}", False)
                return
            await self._store(doc, reading, workdir)
        finally:
            heartbeat.cancel()
            shutil.rmtree(workdir, ignore_errors=True)

    async def _heartbeat(self, doc_id: int) -> None:
        while True:
            await asyncio.sleep(max(0.5, self.settings.lease_seconds / 3))
            with contextlib.suppress(Exception):
                await queue.renew(doc_id, self.owner, self.settings.lease_seconds)

    async def _failed(self, doc: dict[str, Any], code: str, reason: str, permanent: bool) -> None:
        state = await queue.fail(
            doc["id"],
            self.owner,
            code=code,
            reason=reason,
            permanent=permanent,
            attempts=doc["attempts"],
            max_attempts=self.settings.max_attempts,
            backoff_seconds=self.settings.retry_backoff_seconds,
        )
        log.warning("document %s: %s (%s) -> %s", doc["id"], reason, code, state)

    async def _route(self, doc: dict[str, Any], texts: list[str]) -> None:
        routing = await route(doc["profile_hint"], texts)
        # Only if nobody filed it meanwhile (an admin may have, from the triage queue).
        values: dict[Any, Any] = {Document.suggested_profiles: routing.suggestions}
        if routing.profile_id is not None:
            values[Document.profile] = routing.profile_id
        moved = await facts.move_document(
            self.engine, doc["id"], values, (Document.id == doc["id"]) & Document.profile.is_null()
        )
        if moved and routing.profile_id is not None:
            await audit.record(
                "document_routed",
                actor_name="kinchart",
                profile=routing.profile_id,
                document=doc["id"],
                reason=routing.reason,
            )

    async def _store(self, doc: dict[str, Any], reading: Reading, workdir: Path) -> None:
        doc_id = doc["id"]
        files: dict[str, Path] = {}
        pages = []
        for page in reading.pages:
            for folder, path in (("pages", page.image), ("thumbs", page.thumbnail)):
                if path:
                    files[f"{folder}/{page.number}{Path(path).suffix}"] = Path(path)
            pages.append(
                Page(
                    document=doc_id,
                    number=page.number,
                    text=page.text,
                    words=[
                        [w.text, round(w.x0, 4), round(w.y0, 4), round(w.x1, 4), round(w.y1, 4)]
                        for w in page.words
                    ],
                    width_pt=page.width_pt,
                    height_pt=page.height_pt,
                    ocr_applied=page.ocr_applied,
                )
            )
        pdf = Path(reading.pdf) if reading.pdf else None
        if pdf is not None and pdf.is_relative_to(workdir):
            files["document.pdf"] = pdf
        await asyncio.to_thread(self.store.replace_derived, doc_id, files)
        stored = await queue.complete(
            self.engine,
            doc_id,
            self.owner,
            {
                Document.mime: reading.mime,
                Document.kind: reading.kind,
                Document.page_count: len(reading.pages),
                Document.has_pdf: pdf is not None,
                Document.warnings: reading.warnings,
                Document.read_seconds: reading.seconds,
            },
            pages,
        )
        if stored:
            log.info("document %s ready: %d pages in %.1fs", doc_id, len(pages), reading.seconds)
            if doc["profile"] is None:
                await self._route(doc, [p.text for p in reading.pages])
            await self._facts(doc, reading)
            await search_sync.refresh([doc_id])
        else:
            log.warning("document %s: lease lost before storing; another worker has it", doc_id)

    async def _facts(self, doc: dict[str, Any], reading: Reading) -> None:
        """Store the facts the pool child extracted (or extract them here, in a thread)."""
        if isinstance(reading, ReadingWithFacts):
            found, error = reading.facts, reading.facts_error
        else:  # a pool with another reader (tests)
            src = self.store.original_path(doc["sha256"])
            found, error = await asyncio.to_thread(
                facts_of, reading.structured_format, src, reading.pages
            )
        if found is None:
            # The reading is stored; the facts are tried again when a server starts.
            log.error("document %s: facts not extracted: %s", doc["id"], error)
            return
        try:
            await facts.store(self.engine, doc["id"], found)
        except Exception:
            log.exception("document %s: facts not stored; tried again at the next start", doc["id"])
