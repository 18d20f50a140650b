"""Running the sync sources: on their interval inside `kinchart serve`, or now from the CLI."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from server.db.tables import SyncSource
from server.documents.intake import Incoming, Intake, IntakeResult, Stored
from server.sources.config import Ledger, share_for
from server.sources.vault import Vault, VaultError
from sync.pull import Puller, Report
from sync.rules import profile_hint
from sync.webdav import After, RemoteEntry, SyncError

log = logging.getLogger(__name__)

LEASE_SECONDS = 120.0
IDLE_CHECK_SECONDS = 60.0  # how soon sources added by another process are noticed
STALE_DOWNLOAD_SECONDS = 3600.0


class SourceRunner:
    """Runs each enabled source on its interval; one process at a time per source (a lease)."""

    def __init__(
        self,
        intake: Intake,
        tmp_dir: Path,
        vault: Vault,
        *,
        settle_seconds: float = 10.0,
        concurrency: int = 4,
    ) -> None:
        self.intake = intake
        self.tmp_dir = tmp_dir
        self.vault = vault
        self.settle_seconds = settle_seconds
        self.concurrency = concurrency
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._previous: dict[int, dict[str, RemoteEntry] | None] = {}
        self._wanted: set[int] = set()
        self._wake = asyncio.Event()
        self._stop: asyncio.Event | None = None

    def wake(self, source_id: int) -> None:
        """Run this source as soon as possible ("Run now")."""
        self._wanted.add(source_id)
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        self._remove_stale_downloads()
        due: dict[int, float] = {}
        while not stop.is_set():
            rows = await SyncSource.select(SyncSource.id, SyncSource.interval_seconds).where(
                SyncSource.enabled == True  # noqa: E712
            )
            for row in rows:
                source_id = row["id"]
                if stop.is_set():
                    break
                if due.get(source_id, 0.0) > time.monotonic() and source_id not in self._wanted:
                    continue
                self._wanted.discard(source_id)
                try:
                    report = await self.run_source(source_id)
                except Exception:
                    log.exception("sync source %s failed unexpectedly", source_id)
                    report = None
                soon = report is None or report.pending > 0
                wait = self.settle_seconds if soon else float(row["interval_seconds"])
                due[source_id] = time.monotonic() + wait
            self._wanted &= {r["id"] for r in rows}  # removed or disabled meanwhile
            active = [due[r["id"]] for r in rows if r["id"] in due]
            pause = min([*active, time.monotonic() + IDLE_CHECK_SECONDS]) - time.monotonic()
            self._wake.clear()
            if self._wanted:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(stop, self._wake), timeout=max(0.05, pause))

    async def run_source(self, source_id: int) -> Report | None:
        """One pass over one source; None when another process is running it right now."""
        row = await self._claim(source_id)
        if row is None:
            return None
        renew = asyncio.create_task(self._renew(source_id))
        try:
            report = await self._pass(row)
        finally:
            renew.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renew
            await SyncSource.update(
                {SyncSource.lease_owner: "", SyncSource.lease_until: 0.0}
            ).where((SyncSource.id == source_id) & (SyncSource.lease_owner == self.owner))
        await SyncSource.update(
            {
                SyncSource.last_run: datetime.now(UTC),
                SyncSource.last_taken: report.taken,
                SyncSource.total_taken: SyncSource.total_taken + report.taken,
                SyncSource.last_error: report.error,
            }
        ).where(SyncSource.id == source_id)
        if report.error:
            log.warning("sync source %s: %s", source_id, report.error)
        elif report.taken or report.rejected:
            log.info(
                "sync source %s: %d taken, %d refused", source_id, report.taken, report.rejected
            )
        return report

    async def _pass(self, row: dict[str, Any]) -> Report:
        started = time.perf_counter()
        try:
            share = share_for(row, self.vault)
        except (VaultError, SyncError) as exc:
            return Report(error=exc.user_message)
        puller = Puller(
            share,
            Ledger(row["id"]),
            IntakeReceiver(self.intake, row),
            self.tmp_dir,
            After.parse(row["after"]),
            concurrency=self.concurrency,
            stop=self._stop,
        )
        try:
            report, listing = await puller.run(self._previous.get(row["id"]))
        finally:
            share.close()
        self._previous[row["id"]] = listing
        report.seconds = time.perf_counter() - started
        return report

    def _remove_stale_downloads(self) -> None:
        # Left by a process killed mid-download. ctime, not mtime: mtime is set to the remote one.
        for path in self.tmp_dir.glob("webdav-*"):
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_ctime > STALE_DOWNLOAD_SECONDS:
                    path.unlink()

    async def _claim(self, source_id: int) -> dict[str, Any] | None:
        now = time.time()
        rows = (
            await SyncSource.update(
                {SyncSource.lease_owner: self.owner, SyncSource.lease_until: now + LEASE_SECONDS}
            )
            .where(
                (SyncSource.id == source_id)
                & ((SyncSource.lease_until < now) | (SyncSource.lease_owner == self.owner))
            )
            .returning(*SyncSource.all_columns())
        )
        return rows[0] if rows else None

    async def _renew(self, source_id: int) -> None:
        while True:
            await asyncio.sleep(LEASE_SECONDS / 4)
            await SyncSource.update({SyncSource.lease_until: time.time() + LEASE_SECONDS}).where(
                (SyncSource.id == source_id) & (SyncSource.lease_owner == self.owner)
            )


class IntakeReceiver:
    """A source's downloads into the intake: moved into the store, then recorded in batches."""

    def __init__(self, intake: Intake, row: dict[str, Any]) -> None:
        self.intake = intake
        self.row = row

    async def store(self, path: Path, entry: RemoteEntry) -> Stored:
        row = self.row
        hint = profile_hint(PurePosixPath(entry.rel)) if row["by_subfolder"] else None
        incoming = Incoming(
            path,
            source="webdav",
            original_name=entry.name,
            profile_hint=hint,
            source_path=row["url"] + entry.path,
            profile_id=row["profile"],
            own=True,  # our own download, in the data folder: moved into the store, not copied
        )
        return await self.intake.store_one(incoming)

    async def record(self, stored: list[Stored]) -> list[IntakeResult]:
        return await self.intake.record(stored)


async def _first(*events: asyncio.Event) -> None:
    waits = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
