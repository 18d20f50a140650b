"""One pass over a remote folder: list, take complete files never taken before, then clean up."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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


Deliver = Callable[[Path, RemoteEntry], Awaitable[Delivered]]
KEPT_BATCH = 100
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


class Puller:
    """Takes each complete remote file exactly once; cleans up only after the intake committed."""

    def __init__(
        self,
        share: Share,
        ledger: Ledger,
        deliver: Deliver,
        tmp_dir: Path,
        after: After,
        *,
        concurrency: int = 4,
        stop: asyncio.Event | None = None,
    ) -> None:
        self.share = share
        self.stop = stop
        self.ledger = ledger
        self.deliver = deliver
        self.tmp_dir = tmp_dir
        self.after = after
        self.concurrency = concurrency
        self._unreachable = False
        # One database writer at a time: on SQLite, concurrent writers wait in sleeps.
        self._writing = asyncio.Lock()
        self._kept: list[tuple[RemoteEntry, int | None]] = []

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
        gate = asyncio.Semaphore(self.concurrency)

        async def one(entry: RemoteEntry, fetch: bool) -> None:
            async with gate:
                if self._unreachable or (self.stop is not None and self.stop.is_set()):
                    return  # the rest waits for the next pass
                if fetch:
                    await self._take(entry, report)
                else:
                    await self._clean_up(entry, report)

        try:
            await asyncio.gather(*(one(e, False) for e in cleanup), *(one(e, True) for e in take))
        finally:
            await self._flush_kept()
        if not report.error:
            # Forget versions no longer on the server, so the memory does not grow for ever.
            await self.ledger.forget_absent({version(e) for e in listing.values()})
        return report, listing

    async def _take(self, entry: RemoteEntry, report: Report) -> None:
        tmp = self.tmp_dir / f"webdav-{uuid.uuid4().hex}"
        try:
            try:
                await asyncio.to_thread(self.share.download, entry, tmp)
            except Gone:
                return  # renamed or deleted since the listing: the next listing shows where
            except Changed:
                report.pending += 1
                return
            except SyncError as exc:
                self._unreachable = self._unreachable or exc.unreachable
                report.fail(exc.user_message)
                return
            # The remote time becomes the file's, so a replay after a crash is recognised.
            os.utime(tmp, (entry.modified, entry.modified))
            async with self._writing:
                result = await self.deliver(tmp, entry)
        finally:
            tmp.unlink(missing_ok=True)
        if result.outcome in ("new", "duplicate"):
            report.taken += 1
            await self._clean_up(entry, report, result.document_id)
        elif result.transient:
            report.fail(f"{entry.rel} could not be stored yet: {result.reason}")
        else:
            # Never deleted: the file stays on the server, with the reason in the triage list.
            async with self._writing:
                await self.ledger.remember(entry, REJECTED, None, result.reason)
            report.rejected += 1
            log.warning("not taken in: %s: %s", entry.rel, result.reason)

    async def _clean_up(
        self, entry: RemoteEntry, report: Report, document_id: int | None = None
    ) -> None:
        """Delete, move or keep a file the intake holds; only runs after the intake committed."""
        try:
            if self.after.kind == "delete":
                await asyncio.to_thread(self.share.remove, entry)
            elif self.after.kind == "move":
                await asyncio.to_thread(self.share.move, entry, self.after.target)
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
