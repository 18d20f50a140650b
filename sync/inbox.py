"""The inbox source: watchdog events plus a stability tracker, handing complete files on."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchdog.events import (
    DirCreatedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from sync.failed import quarantine
from sync.rules import escapes, is_ignored, profile_hint

log = logging.getLogger(__name__)


class Delivered(Protocol):
    """What the intake reports back about one file."""

    @property
    def outcome(self) -> str: ...  # new | duplicate | rejected

    @property
    def reason(self) -> str: ...

    @property
    def transient(self) -> bool: ...


Deliver = Callable[[Path, str | None, str], Awaitable[Delivered]]


@dataclass
class _Pending:
    size: int
    mtime: float
    since: float
    now_complete: bool = False
    not_before: float = 0.0


class _Handler(FileSystemEventHandler):
    def __init__(self, push: Callable[[str, Path], None]) -> None:
        self._push = push

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, FileClosedEvent):
            self._push("complete", Path(os.fsdecode(event.src_path)))
        elif isinstance(event, FileMovedEvent):
            self._push("complete", Path(os.fsdecode(event.dest_path)))
        elif isinstance(event, (FileCreatedEvent, FileModifiedEvent)):
            self._push("changed", Path(os.fsdecode(event.src_path)))
        elif isinstance(event, DirMovedEvent):
            self._push("scan", Path(os.fsdecode(event.dest_path)))
        elif isinstance(event, DirCreatedEvent):
            self._push("scan", Path(os.fsdecode(event.src_path)))


class InboxWatcher:
    """Watches a folder tree and delivers each complete file exactly once."""

    def __init__(
        self,
        inbox: Path,
        failed_dir: Path,
        deliver: Deliver,
        *,
        stable_seconds: float = 5.0,
        rescan_seconds: float = 60.0,
    ) -> None:
        self.inbox = inbox.absolute()
        self.failed_dir = failed_dir
        self.deliver = deliver
        self.stable_seconds = stable_seconds
        self.rescan_seconds = rescan_seconds
        self._pending: dict[Path, _Pending] = {}
        self._events: asyncio.Queue[tuple[str, Path]] = asyncio.Queue()
        self.taken = 0

    async def run(self, stop: asyncio.Event) -> None:
        self.inbox.mkdir(parents=True, exist_ok=True)
        loop = asyncio.get_running_loop()
        observer = Observer()

        def push(kind: str, path: Path) -> None:
            loop.call_soon_threadsafe(self._events.put_nowait, (kind, path))

        observer.schedule(_Handler(push), str(self.inbox), recursive=True)
        observer.start()
        log.info("watching inbox %s", self.inbox)
        try:
            self.scan(self.inbox)
            next_rescan = time.monotonic() + self.rescan_seconds
            while not stop.is_set():
                await self._drain_events(timeout=0.25)
                await self._take_due()
                if time.monotonic() >= next_rescan:
                    self.scan(self.inbox)
                    next_rescan = time.monotonic() + self.rescan_seconds
        finally:
            observer.stop()
            await asyncio.to_thread(observer.join, 5)

    def scan(self, folder: Path) -> None:
        """Consider every file under `folder` (startup, folders moved in, periodic rescans)."""
        for dirpath, dirnames, filenames in os.walk(folder):
            base = Path(dirpath)
            dirnames[:] = [d for d in dirnames if not is_ignored(Path(d, "x"))]
            for name in filenames:
                self._consider(base / name, complete=False)
            for name in dirnames:
                if (base / name).is_symlink():
                    self._consider(base / name, complete=True)

    async def _drain_events(self, timeout: float) -> None:
        try:
            kind, path = await asyncio.wait_for(self._events.get(), timeout=timeout)
        except TimeoutError:
            return
        while True:
            if kind == "scan":
                self.scan(path)
            else:
                self._consider(path, complete=kind == "complete")
            try:
                kind, path = self._events.get_nowait()
            except asyncio.QueueEmpty:
                return

    def _consider(self, path: Path, *, complete: bool) -> None:
        try:
            rel = path.relative_to(self.inbox)
        except ValueError:
            return
        if is_ignored(rel):
            return
        try:
            st = os.lstat(path)
        except OSError:
            self._pending.pop(path, None)
            return
        now = time.monotonic()
        old = self._pending.get(path)
        if old is None or (old.size, old.mtime) != (st.st_size, st.st_mtime):
            # Files already sitting untouched for the stable period count as complete now.
            settled = time.time() - st.st_mtime >= self.stable_seconds
            # An empty file is often a writer's placeholder: only time says it is final.
            now_complete = (complete or settled) and st.st_size > 0
            self._pending[path] = _Pending(st.st_size, st.st_mtime, now, now_complete)
        elif complete and st.st_size > 0:
            old.now_complete = True

    async def _take_due(self) -> None:
        now = time.monotonic()
        for path, p in list(self._pending.items()):
            if now < p.not_before:
                continue
            if not (p.now_complete or now - p.since >= self.stable_seconds):
                continue
            try:
                st = os.lstat(path)
            except OSError:
                del self._pending[path]
                continue
            if (st.st_size, st.st_mtime) != (p.size, p.mtime):
                self._consider(path, complete=False)
                continue
            await self._take(path, p)

    async def _take(self, path: Path, p: _Pending) -> None:
        rel = path.relative_to(self.inbox)
        if escapes(self.inbox, path):
            reason = "Symbolic links and paths leading outside the inbox are not taken in."
            self._quarantine(path, rel, reason)
            return
        result = await self.deliver(path, profile_hint(rel), str(rel))
        if result.outcome in ("new", "duplicate"):
            try:
                st = os.lstat(path)
                if (st.st_size, st.st_mtime) == (p.size, p.mtime):
                    os.unlink(path)  # the durable copy is committed: the inbox copy can go
                    self._pending.pop(path, None)
                    self.taken += 1
                else:
                    log.warning("%s changed while being taken in; it will be taken again", rel)
                    self._consider(path, complete=False)
            except FileNotFoundError:
                self._pending.pop(path, None)
        elif result.transient:
            p.not_before = time.monotonic() + 30
            log.warning("could not take %s yet: %s", rel, result.reason)
        else:
            self._quarantine(path, rel, result.reason)

    def _quarantine(self, path: Path, rel: Path, reason: str) -> None:
        self._pending.pop(path, None)
        try:
            target = quarantine(path, rel, self.failed_dir, reason)
            log.warning("moved %s to %s: %s", rel, target, reason)
        except OSError as exc:
            log.error("could not move %s to the failed folder: %s", rel, exc)
