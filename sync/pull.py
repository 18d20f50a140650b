"""One pass over a remote folder: list, take complete files never taken before, then clean up."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sync.webdav import After, Changed, Gone, RemoteEntry, Share, SyncError

log = logging.getLogger(__name__)

TAKEN = "taken"  # the intake committed it; deleting or moving it on the server failed so far
DONE = "done"  # taken, and kept on the server as the source says
REJECTED = "rejected"  # the intake refused this version; it is not fetched again


class Delivered(Protocol):
    """What the intake reports back about one file."""

    @property
    def outcome(self) -> str: ...  # new | duplicate | rejected

    @property
    def document_id(self) -> int | None: ...

    @property
    def reason(self) -> str: ...

    @property
    def transient(self) -> bool: ...


class Receiver(Protocol):
    """The intake, in two steps: each download made durable on its own, then recorded in batches.

    `store` may take its file away (into the originals store); what it returns is handed back
    to `record`, which commits a batch and answers one outcome per file, in order.
    """

    async def store(self, path: Path, entry: RemoteEntry) -> Any: ...

    async def record(self, stored: list[Any]) -> Sequence[Delivered]: ...


KEPT_BATCH = 100
COMMIT_BATCH = 50  # downloaded files recorded in one commit at most
HELD = 2 * COMMIT_BATCH  # downloads waiting for their commit at most (disk space)
Version = tuple[str, str, int]  # remote path, ETag, size


class Ledger(Protocol):
    """What a source remembers about remote files, by (path, ETag, size)."""

    async def known(self) -> dict[Version, str]: ...

    async def remember(
        self, entry: RemoteEntry, state: str, document_id: int | None, reason: str = ""
    ) -> None: ...

    async def remember_many(
        self, entries: list[tuple[RemoteEntry, int | None]], state: str
    ) -> None: ...

    async def forget_absent(self, present: set[Version]) -> None: ...


@dataclass
class Report:
    """What one pass did."""

    listed: int = 0
    taken: int = 0
    rejected: int = 0
    pending: int = 0  # new or still changing: looked at again after the settle time
    cleaned: int = 0
    error: str = ""
    seconds: float = 0.0

    def fail(self, message: str) -> None:
        self.error = self.error or message


def signature(entry: RemoteEntry) -> tuple[int, str, float]:
    return (entry.size, entry.etag, entry.modified)


def version(entry: RemoteEntry) -> Version:
    return (entry.path, entry.etag, entry.size)


class _GroupCommit:
    """Records stored files in batches: those stored during one commit share the next.

    Taking a file in costs mostly per commit (a database fsync), so files made durable while
    one batch is being recorded are recorded together afterwards.
    """

    def __init__(self, receiver: Receiver, writing: asyncio.Lock) -> None:
        self.receiver = receiver
        self.writing = writing
        self._waiting: list[tuple[Any, asyncio.Future[Delivered]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, stored: Any) -> Delivered:
        future: asyncio.Future[Delivered] = asyncio.get_running_loop().create_future()
        self._waiting.append((stored, future))
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[Any, asyncio.Future[Delivered]]] = []
        try:
            while self._waiting:
                batch = self._waiting[:COMMIT_BATCH]
                del self._waiting[:COMMIT_BATCH]
                try:
                    async with self.writing:
                        results = await self.receiver.record([stored for stored, _ in batch])
                except Exception as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._task = None
            for _, future in batch + self._waiting:
                future.cancel()  # only those still waiting: cancelled while being recorded
            self._waiting = []


class Puller:
    """Takes each complete remote file exactly once; cleans up only after the intake committed."""

    def __init__(
        self,
        share: Share,
        ledger: Ledger,
        receiver: Receiver,
        tmp_dir: Path,
        after: After,
        *,
        concurrency: int = 4,
        stop: asyncio.Event | None = None,
    ) -> None:
        self.share = share
        self.stop = stop
        self.ledger = ledger
        self.receiver = receiver
        self.tmp_dir = tmp_dir
        self.after = after
        self.concurrency = concurrency
        self._unreachable = False
        # One database writer at a time: on SQLite, concurrent writers wait in sleeps.
        self._writing = asyncio.Lock()
        self._kept: list[tuple[RemoteEntry, int | None]] = []
        self._pool: ThreadPoolExecutor | None = None
        self._commit = _GroupCommit(receiver, self._writing)

    async def run(
        self, previous: dict[str, RemoteEntry] | None
    ) -> tuple[Report, dict[str, RemoteEntry] | None]:
        """One pass; `previous` is the last listing, so files unchanged since then are complete."""
        report = Report()
        self._unreachable = False
        try:
            listing = await asyncio.to_thread(self.share.list_files)
        except SyncError as exc:
            report.fail(exc.user_message)
            return report, previous
        report.listed = len(listing)
        known = await self.ledger.known()
        cleanup: list[RemoteEntry] = []
        take: list[RemoteEntry] = []
        for rel, entry in listing.items():
            state = known.get(version(entry))
            if state == TAKEN:
                cleanup.append(entry)
            elif state in (DONE, REJECTED):
                continue
            elif (
                previous is not None
                and rel in previous
                and (signature(previous[rel]) == signature(entry))
            ):
                take.append(entry)
            else:
                report.pending += 1  # first seen, or changed since the last listing
        held = asyncio.Semaphore(HELD)
        # The requests to the server, `concurrency` at a time, in threads of their own: a thread
        # that finishes one goes straight on to the next, without waiting for the event loop.
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="kinchart-sync")

        async def fetch(entry: RemoteEntry) -> None:
            async with held:
                result = await self._take(entry, report)
            if result is not None:
                await self._clean_up(entry, report, result.document_id, fresh=True)

        tasks = [asyncio.create_task(self._clean_up(e, report)) for e in cleanup]
        tasks += [asyncio.create_task(fetch(e)) for e in take]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()  # after a failure the others stop too: nothing goes on unwatched
            await asyncio.gather(*tasks, return_exceptions=True)
            self._pool.shutdown(wait=False, cancel_futures=True)
            await self._flush_kept()
        if not report.error:
            # Forget versions no longer on the server, so the memory does not grow for ever.
            await self.ledger.forget_absent({version(e) for e in listing.values()})
        return report, listing

    def _halted(self) -> bool:
        return self._unreachable or (self.stop is not None and self.stop.is_set())

    async def _request(self, call: Callable[..., object], *args: object) -> bool:
        """Run one request to the server in the pool; False when the pass stopped before it."""

        def unless_halted() -> bool:
            # Checked when a thread takes it up: requests queued behind a failure are dropped.
            if self._halted():
                return False
            try:
                call(*args)
            except SyncError as exc:
                self._unreachable = self._unreachable or exc.unreachable
                raise
            return True

        assert self._pool is not None
        return await asyncio.get_running_loop().run_in_executor(self._pool, unless_halted)

    async def _take(self, entry: RemoteEntry, report: Report) -> Delivered | None:
        """Download and hand over one file; the outcome when the intake holds it, else None."""
        tmp = self.tmp_dir / f"webdav-{uuid.uuid4().hex}"
        try:
            try:
                if not await self._request(self.share.download, entry, tmp):
                    return None  # the rest waits for the next pass
            except Gone:
                return None  # renamed or deleted since listed: the next listing shows where
            except Changed:
                report.pending += 1
                return None
            except SyncError as exc:
                self._unreachable = self._unreachable or exc.unreachable
                report.fail(exc.user_message)
                return None
            # The remote time becomes the file's, so a replay after a crash is recognised.
            os.utime(tmp, (entry.modified, entry.modified))
            # Made durable here, many at once; only the commit waits for the others.
            stored = await self.receiver.store(tmp, entry)
            result = await self._commit.submit(stored)
        finally:
            tmp.unlink(missing_ok=True)
        if result.outcome in ("new", "duplicate"):
            report.taken += 1
            return result
        if result.transient:
            report.fail(f"{entry.rel} could not be stored yet: {result.reason}")
        else:
            # Never deleted: the file stays on the server, with the reason in the triage list.
            async with self._writing:
                await self.ledger.remember(entry, REJECTED, None, result.reason)
            report.rejected += 1
            log.warning("not taken in: %s: %s", entry.rel, result.reason)
        return None

    async def _clean_up(
        self,
        entry: RemoteEntry,
        report: Report,
        document_id: int | None = None,
        *,
        fresh: bool = False,
    ) -> None:
        """Delete, move or keep a file the intake holds; only runs after the intake committed.

        `fresh` is for a file taken in by this pass, not yet remembered as taken.
        """
        try:
            done = True
            if self.after.kind == "delete":
                done = await self._request(self.share.remove, entry)
            elif self.after.kind == "move":
                done = await self._request(self.share.move, entry, self.after.target)
            if not done:
                if fresh:  # stopped first: the next pass cleans up without fetching it again
                    async with self._writing:
                        await self.ledger.remember(entry, TAKEN, document_id)
                return
        except Changed as exc:
            log.warning("%s: %s", entry.rel, exc.user_message)
        except SyncError as exc:
            # Remembered as taken: the next pass cleans up without fetching the file again.
            async with self._writing:
                await self.ledger.remember(entry, TAKEN, document_id)
            self._unreachable = self._unreachable or exc.unreachable
            report.fail(exc.user_message)
            return
        if self.after.kind == "keep":
            # A deleted or moved file is simply no longer listed; a kept one must be remembered.
            # In batches: one commit per file would halve the pace, and a batch lost in a crash
            # only means those files are fetched again and recognised by the intake.
            self._kept.append((entry, document_id))
            if len(self._kept) >= KEPT_BATCH:
                await self._flush_kept()
        report.cleaned += 1

    async def _flush_kept(self) -> None:
        batch, self._kept = self._kept, []
        async with self._writing:
            await self.ledger.remember_many(batch, DONE)
