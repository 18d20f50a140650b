"""Workers: slots that claim queued documents and take each through its life (lifecycle.py)."""

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
        """Work until `stop` is set; then hand unfinished documents back to the queue.

        A supervisor: a slot that ends for any reason but `stop` is logged and started again.
        """
        self._loop = asyncio.get_running_loop()
        with contextlib.suppress(Exception):  # the sweeper does it later if the db is down
            await queue.requeue_expired()
        await self._clean_stale_work()
        slots: dict[asyncio.Task[Any], int] = {
            asyncio.create_task(self._slot(stop), name=f"worker-{i}"): i
            for i in range(self.settings.effective_ocr_workers)
        }
        sweeper = asyncio.create_task(self._sweep(stop), name="lease-sweeper")
        stopping = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                done, _ = await asyncio.wait(
                    [*slots, stopping], return_when=asyncio.FIRST_COMPLETED
                )
                for task in done:
                    if task is stopping:
                        continue
                    i = slots.pop(task)
                    if stop.is_set():
                        continue
                    error = task.exception() if not task.cancelled() else None
                    log.error("worker slot %d ended (%r); starting it again", i, error)
                    await asyncio.sleep(1)
                    slots[asyncio.create_task(self._slot(stop), name=f"worker-{i}")] = i
        finally:
            for t in [*slots, sweeper, stopping]:
                t.cancel()
            await asyncio.gather(*slots, sweeper, stopping, return_exceptions=True)
            with contextlib.suppress(Exception):
                await queue.release_owned(self.owner)
            if self._own_pool:
                await asyncio.to_thread(self.pool.close)

    async def _clean_stale_work(self) -> None:
        """Work folders of readings that were interrupted (a kill, a crash) go at start."""
        try:
            folders = [p for p in self.store.work.iterdir() if p.is_dir()]
            ids = {
                int(p.name.split("-", 1)[0]) for p in folders if p.name.split("-", 1)[0].isdigit()
            }
            busy = await queue.being_read(ids)
        except Exception:
            log.exception("could not look for stale work folders; they stay until next start")
            return
        for folder in folders:
            head = folder.name.split("-", 1)[0]
            if not head.isdigit() or int(head) not in busy:
                await asyncio.to_thread(shutil.rmtree, folder, True)

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
        """Claim and work documents one at a time. A database or disk error never ends it:
        it is logged, the document goes back to the queue, and the slot waits (longer each
        time the fault persists) and tries again."""
        pause = Backoff()
        while not stop.is_set():
            try:
                doc = await queue.claim(self.engine, self.owner, self.settings.lease_seconds)
            except Exception:
                delay = pause.next()
                log.exception("claiming work failed; trying again in %.0f s", delay)
                await _sleep(stop, delay)
                continue
            if doc is None:
                pause.reset()
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=2.0)
                continue
            try:
                await self.process(doc)
                pause.reset()
            except Exception:
                delay = pause.next()
                log.exception(
                    "document %s: reading stopped by an error (database or disk?); it goes "
                    "back to the queue and this worker tries again in %.0f s",
                    doc["id"],
                    delay,
                )
                with contextlib.suppress(Exception):  # else its lease expires: the sweeper
                    await queue.release(doc["id"], self.owner)
                await _sleep(stop, delay)

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


def _doc_id(folder: Path) -> int | None:
    head = folder.name.split("-", 1)[0]  # store.work_dir: "<document id>-<random>"
    return int(head) if head.isdigit() else None


class Backoff:
    """Waits that double while a fault lasts: 1 s, 2 s, 4 s … at most `most` seconds."""

    def __init__(self, first: float = 1.0, most: float = 30.0) -> None:
        self.first, self.most, self.wait = first, most, 0.0

    def next(self) -> float:
        self.wait = min(self.most, self.wait * 2 if self.wait else self.first)
        return self.wait

    def reset(self) -> None:
        self.wait = 0.0


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
