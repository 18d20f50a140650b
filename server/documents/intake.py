"""The one intake function every source (inbox, upload, CLI, WebDAV) hands files to."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

from piccolo.columns import Column
from piccolo.engine.base import Engine
from piccolo.table import Table

from server.db.engine import write_transaction
from server.db.tables import QUEUED, Arrival, Document
from server.documents import archives, trash
from server.store import Store, StoreError

log = logging.getLogger(__name__)

Outcome = Literal["new", "duplicate", "rejected"]
# Files hashed and fsynced at once. Mostly waiting on the disk, and fsyncs that wait together
# share the file system's journal commits; a pool of their own, so they never hold up (or wait
# behind) the downloads and other work in asyncio's default threads.
STORE_THREADS = 8
_store_pool = ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="kinchart-store")


@dataclass(frozen=True)
class IntakeResult:
    """What became of one file handed to Kinchart."""

    outcome: Outcome
    document_id: int | None
    reason: str = ""
    # True when the permanent copy already existed for this very arrival (a replay after a crash).
    replayed: bool = False
    transient: bool = False


@dataclass(frozen=True)
class Incoming:
    """One file handed to the intake, and where it came from.

    `own` says the file is a temporary file of the caller's on the data folder's disk that the
    intake may move into the store instead of copying (a download); otherwise it is never touched.
    """

    path: Path
    source: str
    original_name: str | None = None
    profile_hint: str | None = None
    source_path: str = ""
    profile_id: int | None = None
    own: bool = False


@dataclass
class Stored:
    """A file stored durably by the intake and not yet recorded (or refused, with why)."""

    incoming: Incoming
    name: str
    st: os.stat_result | None = None
    sha: str = ""
    size: int = 0
    result: IntakeResult | None = None  # settled before the database step (refused, unreadable)
    reject: str = ""  # a refusal to record as an arrival
    # The original's shared lock (server/store.py), held until the row naming it is committed:
    # a purge of a document with the same bytes cannot remove the file meanwhile.
    holds: list[BinaryIO] = field(default_factory=list)

    def release(self) -> None:
        for lock in self.holds:
            lock.close()
        self.holds.clear()


@dataclass
class Intake:
    """Takes files into the originals store and the queue."""

    engine: Engine
    store: Store
    max_bytes: int
    on_queued: Callable[[], None] | None = None

    async def take(
        self,
        path: Path,
        *,
        source: str,
        original_name: str | None = None,
        profile_hint: str | None = None,
        source_path: str = "",
        profile_id: int | None = None,
    ) -> IntakeResult:
        """Copy `path` durably, record it, and return the outcome; never touches `path` itself."""
        incoming = Incoming(path, source, original_name, profile_hint, source_path, profile_id)
        return (await self.take_many([incoming]))[0]

    async def take_many(self, batch: Sequence[Incoming]) -> list[IntakeResult]:
        """Take several files at once: each stored durably, then all recorded in one commit.

        One outcome per file, in order. A file that cannot be stored does not hold up the
        others; when the commit fails, none of them is recorded and the error is raised.
        """
        plan: list[tuple[int, Incoming]] = []  # (index in batch, file to take)
        refused: dict[int, Stored] = {}
        zips: dict[int, str] = {}
        folders: list[Path] = []
        try:
            for i, incoming in enumerate(batch):
                if not await asyncio.to_thread(archives.is_record_zip, incoming.path):
                    plan.append((i, incoming))
                    continue
                folder = Path(tempfile.mkdtemp(prefix="kinchart-zip-"))
                folders.append(folder)
                name = clean_name(incoming.original_name or incoming.path.name)
                try:
                    members = await asyncio.to_thread(
                        archives.expand, incoming.path, folder, self.max_bytes
                    )
                except archives.ArchiveRefused as refusal:
                    item = Stored(incoming, name, reject=str(refusal))
                    item.st = os.lstat(incoming.path)
                    refused[i] = item
                    continue
                zips[i] = name
                for member in members:
                    plan.append((i, _member(incoming, name, member)))
            stored = list(await asyncio.gather(*(self.store_one(m) for _, m in plan)))
            everything = stored + list(refused.values())
            results = await self.record(everything)
        finally:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
        by_index: dict[int, list[IntakeResult]] = {}
        for (i, _), result in zip(plan, results, strict=False):
            by_index.setdefault(i, []).append(result)
        for i, result in zip(refused, results[len(stored) :], strict=True):
            by_index[i] = [result]
        return [
            _grouped(zips[i], by_index.get(i, [])) if i in zips else by_index[i][0]
            for i in range(len(batch))
        ]

    async def store_one(self, incoming: Incoming) -> Stored:
        """The first half of taking a file in: check it and make its copy durable (fsynced).

        Nothing is recorded yet: a stored file counts only once `record` has committed it.
        """
        item = Stored(incoming, clean_name(incoming.original_name or incoming.path.name))
        await asyncio.get_running_loop().run_in_executor(_store_pool, self._store, item)
        return item

    async def record(self, items: Sequence[Stored]) -> list[IntakeResult]:
        """The second half: record stored files in one commit; one outcome each, in order."""
        try:
            if any(item.result is None or item.reject for item in items):
                await self._record(items)
        finally:
            for item in items:
                item.release()
        results = [item.result or IntakeResult("rejected", None) for item in items]
        again = [
            (r.document_id, item.incoming.profile_id)
            for item, r in zip(items, results, strict=True)
            if r.outcome == "duplicate" and r.document_id is not None
        ]
        if again:  # the same bytes for the same person, while in the trash: out they come
            await trash.revive(self.engine, again)
        if self.on_queued and any(r.outcome == "new" for r in results):
            self.on_queued()
        return results

    def _store(self, item: Stored) -> None:
        """Check and store one file (in a worker thread); settles `item` unless it is stored."""
        try:
            item.st = os.lstat(item.incoming.path)
        except OSError as exc:
            item.result = IntakeResult(
                "rejected", None, f"The file could not be read: {exc.strerror}."
            )
            return
        reason = _check_stat(item.st, self.max_bytes)
        if reason:
            item.reject = reason
            return
        try:
            item.sha, item.size = self.store.put_original(
                item.incoming.path,
                max_bytes=self.max_bytes,
                move=item.incoming.own,
                hold=item.holds,
            )
        except StoreError as exc:
            if exc.permanent:
                item.reject = exc.user_message
            else:
                item.result = IntakeResult("rejected", None, exc.user_message, transient=True)

    async def _record(self, items: Sequence[Stored]) -> None:
        for attempt in range(3):
            try:
                async with write_transaction(self.engine):
                    results = await self._record_once(items)
                break
            except Exception as exc:  # a concurrent insert of the same bytes for the same profile
                if attempt == 2 or "unique" not in str(exc).lower():
                    raise
        for item, result in zip(items, results, strict=True):
            item.result = item.result or result
            if item.reject:
                log.warning("rejected %s: %s", item.name, item.reject)
            elif result.outcome == "new":
                log.info(
                    "queued document %s (%s, %d bytes)", result.document_id, item.name, item.size
                )

    async def _record_once(self, items: Sequence[Stored]) -> list[IntakeResult]:
        """Inside one transaction: what each stored file becomes, in a few statements."""
        results = [item.result or IntakeResult("rejected", None, item.reject) for item in items]
        stored = [item for item in items if item.result is None and not item.reject]
        # Duplicates are per profile: a file for a profile is the same document only as one
        # already in that profile. Bytes identical to a document elsewhere (another profile's,
        # or unfiled in triage) make a new document here, sharing the stored original, and
        # write nothing to the other one: the uploader learns nothing of it and files nothing.
        # A file for no profile (a source's, for triage) matches the first document with its
        # bytes, wherever it is, as before.
        existing: dict[tuple[str, int | None], dict[str, Any]] = {}
        if stored:
            rows = (
                await Document.select(Document.id, Document.profile, Document.sha256)
                .where(Document.sha256.is_in(sorted({item.sha for item in stored})))
                .order_by(Document.id)
            )
            for r in rows:
                existing.setdefault((r["sha256"], r["profile"]), r)
                existing.setdefault((r["sha256"], None), r)

        def key(item: Stored) -> tuple[str, int | None]:
            return item.sha, item.incoming.profile_id

        # The new documents in one statement; the first file with their bytes makes each.
        now = datetime.now(UTC)
        fresh: dict[tuple[str, int | None], dict[Column, Any]] = {}
        for item in stored:
            if key(item) not in existing and key(item) not in fresh:
                fresh[key(item)] = {
                    Document.sha256: item.sha,
                    Document.original_name: item.name,
                    Document.size: item.size,
                    Document.source: item.incoming.source,
                    Document.profile_hint: item.incoming.profile_hint,
                    Document.profile: item.incoming.profile_id,
                    Document.state: QUEUED,
                    Document.created_at: now,
                    Document.updated_at: now,
                }
        made: dict[tuple[str, int | None], int] = {}
        if fresh:
            rows = await _insert(
                Document, list(fresh.values()), Document.id, Document.sha256, Document.profile
            )
            made = {(r["sha256"], r["profile"]): r["id"] for r in rows}
        arrivals: list[dict[Column, Any]] = []
        for i, item in enumerate(items):
            if item.result is not None:
                continue  # not readable: nothing to record
            if item.reject:
                arrivals.append(_arrival(item, now, "rejected", reason=item.reject))
                continue
            if fresh.pop(key(item), None) is not None:
                doc_id = made[key(item)]
                results[i] = IntakeResult("new", doc_id)
                arrivals.append(_arrival(item, now, "new", doc_id))
                continue
            found = existing.get(key(item))
            doc_id = found["id"] if found else made[key(item)]  # else: twice in this batch
            if found and await _same_arrival(doc_id, item):
                results[i] = IntakeResult("duplicate", doc_id, replayed=True)
                continue
            reason = f"Same bytes as document {doc_id}."
            arrivals.append(_arrival(item, now, "duplicate", doc_id, reason))
            results[i] = IntakeResult("duplicate", doc_id)
        if arrivals:
            await _insert(Arrival, arrivals)
        return results


def _member(zip_in: Incoming, zip_name: str, member: archives.Member) -> Incoming:
    """A record taken from a ZIP, filed as the ZIP is, its arrival naming the ZIP it came in."""
    inside = member.name.replace("\\", "/")
    where = zip_in.source_path or zip_name
    return Incoming(
        member.path,
        zip_in.source,
        f"{zip_name.removesuffix('.zip').removesuffix('.ZIP')} - {inside.rsplit('/', 1)[-1]}",
        zip_in.profile_hint,
        f"{where}!/{inside}",
        zip_in.profile_id,
    )


def _grouped(zip_name: str, results: list[IntakeResult]) -> IntakeResult:
    """One outcome for a ZIP: new when any record inside was new; the first record's id."""
    taken = [r for r in results if r.outcome != "rejected"]
    outcome: Outcome = "new" if any(r.outcome == "new" for r in results) else "duplicate"
    if not taken:
        outcome = "rejected"
    first = taken[0].document_id if taken else None
    reason = f"{len(taken)} record(s) taken from {zip_name}"
    if len(taken) < len(results):
        reason += f"; {len(results) - len(taken)} could not be taken"
    return IntakeResult(outcome, first, reason + ".")


def _arrival(
    item: Stored, now: datetime, outcome: str, document: int | None = None, reason: str = ""
) -> dict[Column, Any]:
    """The arrival row of one file, and what became of it."""
    assert item.st is not None
    return {
        Arrival.document: document,
        Arrival.source: item.incoming.source,
        Arrival.original_name: item.name,
        Arrival.source_path: item.incoming.source_path,
        Arrival.profile_hint: item.incoming.profile_hint,
        Arrival.sha256: item.sha,
        Arrival.size: item.size if item.sha else item.st.st_size,
        Arrival.source_mtime: item.st.st_mtime,
        Arrival.outcome: outcome,
        Arrival.reason: reason,
        Arrival.received_at: now,
    }


async def _insert(
    table: type[Table], rows: list[dict[Column, Any]], *returning: Column
) -> list[dict[str, Any]]:
    """Insert rows naming only these columns (the others take their database defaults).

    Piccolo's own insert renders every column of every row in Python: for a batch of documents
    (some thirty columns each) that cost more than the database work and held up the downloads.
    """
    columns = list(rows[0])
    names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
    values = "(" + ", ".join("{}" for _ in columns) + ")"
    back = " RETURNING " + ", ".join(f'"{c._meta.db_column_name}"' for c in returning)
    out: list[dict[str, Any]] = []
    for i in range(0, len(rows), 200):  # well below every database's limit on parameters
        chunk = rows[i : i + 200]
        sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES '
        sql += ", ".join(values for _ in chunk) + (back if returning else "")
        out += await table.raw(sql, *(row[c] for row in chunk for c in columns))
    return out


async def _same_arrival(doc_id: int, item: Stored) -> bool:
    """Whether this very file (same source, path, size and time) was recorded before."""
    if not item.incoming.source_path or item.st is None:
        return False
    row = (
        await Arrival.select(Arrival.id)
        .where(
            (Arrival.document == doc_id)
            & (Arrival.source == item.incoming.source)
            & (Arrival.source_path == item.incoming.source_path)
            & (Arrival.size == item.size)
            & (Arrival.source_mtime == item.st.st_mtime)
        )
        .first()
    )
    return row is not None


def _check_stat(st: os.stat_result, max_bytes: int) -> str:
    if stat.S_ISLNK(st.st_mode):
        return "Symbolic links are not taken in; copy the file itself into the inbox."
    if not stat.S_ISREG(st.st_mode):
        return "This is not a regular file."
    if st.st_size == 0:
        return "The file is empty (0 bytes); the scan or copy may not have finished. Add it again."
    if st.st_size > max_bytes:
        return (
            f"The file is {st.st_size / 1048576:.0f} MB, above the limit of "
            f"{max_bytes // 1048576} MB (KINCHART_MAX_FILE_MB)."
        )
    return ""


def clean_name(name: str) -> str:
    """A file name safe to show and to offer back as a download name."""
    name = unicodedata.normalize("NFC", name).replace("/", "_").replace("\\", "_")
    name = "".join(ch if unicodedata.category(ch)[0] != "C" else "_" for ch in name).strip()
    if name in ("", ".", ".."):
        name = "unnamed"
    encoded = name.encode("utf-8")
    if len(encoded) > 200:
        _stem, dot, ext = name.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        name = encoded[:190].decode("utf-8", "ignore") + ("." + ext if ext else "")
    return name
