"""The long-lived parts of a running Kinchart, opened and closed together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from piccolo.engine.base import Engine

from server import memory
from server.db import engine as db
from server.documents import trash
from server.documents.intake import Intake
from server.search import SearchBackend, open_backend
from server.search import projection as sync
from server.settings import Settings
from server.sources.runner import SourceRunner
from server.sources.vault import Vault
from server.store import Store
from sync import addresses
from sync.inbox import Delivered, InboxWatcher

if TYPE_CHECKING:
    from server.documents.workers import Workers

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Database engine, store, intake, and (when running) workers and the inbox watcher."""

    settings: Settings
    engine: Engine
    store: Store
    intake: Intake
    search: SearchBackend | None = None
    workers: Workers | None = None
    watcher: InboxWatcher | None = None
    sources: SourceRunner | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    def start_workers(self) -> Workers:
        # Imported here, not above: it loads the OCR pool (ocrmypdf, tesserocr), which commands
        # that read no documents (kinchart user, facts, search…) should not pay for at start.
        from server.documents.workers import Workers

        self.workers = Workers(self.settings, self.engine, self.store)
        self.intake.on_queued = self.workers.notify
        self._tasks.append(asyncio.create_task(self.workers.run(self._stop), name="workers"))
        # Reading leaves freed heap behind; give it back so the idle server stays small.
        self._tasks.append(asyncio.create_task(memory.trim_when_grown(self._stop), name="trim"))
        return self.workers

    def start_watcher(self) -> InboxWatcher:
        async def deliver(path: Path, hint: str | None, rel: str) -> Delivered:
            return await self.intake.take(path, source="inbox", profile_hint=hint, source_path=rel)

        self.watcher = InboxWatcher(
            self.settings.inbox_dir,
            self.settings.effective_failed_dir,
            deliver,
            stable_seconds=self.settings.inbox_stable_seconds,
            rescan_seconds=self.settings.inbox_rescan_seconds,
        )
        self._tasks.append(asyncio.create_task(self._guard(self.watcher.run), name="inbox"))
        return self.watcher

    def start_sync(self) -> SourceRunner:
        self.sources = SourceRunner(
            self.intake,
            self.store.tmp,
            Vault(self.settings.data_dir),
            settle_seconds=self.settings.sync_settle_seconds,
        )
        self._tasks.append(asyncio.create_task(self._guard(self.sources.run), name="sync"))
        return self.sources

    def start_trash_purge(self, every: float = trash.PURGE_EVERY_SECONDS) -> None:
        """Purge documents whose time in the trash ran out, now and every `every` seconds."""

        async def loop() -> None:
            while not self._stop.is_set():
                try:
                    await trash.purge_expired(self.engine, self.store)
                except Exception:
                    log.exception("purging the trash failed; trying again later")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=every)

        self._tasks.append(asyncio.create_task(loop(), name="trash-purge"))

    async def _guard(self, run: object) -> None:
        # The watcher must never take the server down; restart it after unexpected errors.
        while not self._stop.is_set():
            try:
                await run(self._stop)  # type: ignore[operator]
            except Exception:
                log.exception("inbox watcher stopped unexpectedly; restarting in 5 s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=5)

    async def close(self) -> None:
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=30)
        await sync.unbind(self.search)
        await db.close(self.engine)


async def open_services(settings: Settings) -> Services:
    # Every WebDAV Share of this process (checks, pulls) connects only where this allows.
    addresses.set_default(settings.webdav_addresses)
    # Health data: everything Kinchart writes (database, originals, pages, index) is readable
    # by its own user only, whatever the umask it was started with.
    os.umask(0o077)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)
    engine = await db.connect(settings)
    store = Store(settings.data_dir)
    store.ensure()
    intake = Intake(engine, store, settings.max_file_mb * 1024 * 1024)
    # Every process that changes documents keeps the index current, not only the server.
    search = sync.bind(open_backend(settings))
    return Services(settings, engine, store, intake, search)


@contextlib.asynccontextmanager
async def running(
    settings: Settings, *, workers: bool = False, watcher: bool = False
) -> AsyncIterator[Services]:
    services = await open_services(settings)
    try:
        if workers:
            services.start_workers()
        if watcher:
            services.start_watcher()
        yield services
    finally:
        await services.close()
