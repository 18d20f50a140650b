"""Workers: slots that claim queued documents and take each through its life (lifecycle.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from typing import Any

from piccolo.engine.base import Engine

from ocr.options import ReadOptions
from ocr.pool import ReaderPool
from server.documents import lifecycle, queue
from server.facts.reading import read_with_facts
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
        self.life = lifecycle.Life(
            engine,
            store,
            self.pool,
            self.owner,
            max_attempts=settings.max_attempts,
            backoff_seconds=settings.retry_backoff_seconds,
        )

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
            await self.process(doc)

    async def process(self, doc: dict[str, Any]) -> str | None:
        """Take a claimed document through its life, renewing its lease meanwhile."""
        heartbeat = asyncio.create_task(self._heartbeat(doc["id"]))
        try:
            return await lifecycle.live(self.life, doc)
        finally:
            heartbeat.cancel()

    async def _heartbeat(self, doc_id: int) -> None:
        while True:
            await asyncio.sleep(max(0.5, self.settings.lease_seconds / 3))
            with contextlib.suppress(Exception):
                await queue.renew(doc_id, self.owner, self.settings.lease_seconds)
