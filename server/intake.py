"""The one intake function every source (inbox, upload, CLI, WebDAV) hands files to."""

from __future__ import annotations

import logging
import os
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from piccolo.engine.base import Engine

from server.db import write_transaction
from server.search import sync as search_sync
from server.store import Store, StoreError
from server.tables import QUEUED, Arrival, Document

log = logging.getLogger(__name__)

Outcome = Literal["new", "duplicate", "rejected"]


@dataclass(frozen=True)
class IntakeResult:
    """What became of one file handed to Kinchart."""

    outcome: Outcome
    document_id: int | None
    reason: str = ""
    # True when the permanent copy already existed for this very arrival (a replay after a crash).
    replayed: bool = False
    transient: bool = False


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
        name = clean_name(original_name or path.name)
        try:
            st = os.lstat(path)
        except OSError as exc:
            return IntakeResult("rejected", None, f"The file could not be read: {exc.strerror}.")
        reason = _check_stat(st, self.max_bytes)
        if reason:
            await self._record_rejection(name, source, source_path, profile_hint, st, reason)
            return IntakeResult("rejected", None, reason)
        try:
            sha, size = self.store.put_original(path, max_bytes=self.max_bytes)
        except StoreError as exc:
            if exc.permanent:
                await self._record_rejection(
                    name, source, source_path, profile_hint, st, exc.user_message
                )
            return IntakeResult("rejected", None, exc.user_message, transient=not exc.permanent)
        result = await self._record(
            sha, size, st.st_mtime, name, source, source_path, profile_hint, profile_id
        )
        if result.outcome == "new" and self.on_queued:
            self.on_queued()
        if result.outcome == "duplicate" and profile_id is not None:
            await search_sync.refresh([result.document_id or 0])  # it may have just been filed
        return result

    async def _record(
        self,
        sha: str,
        size: int,
        mtime: float,
        name: str,
        source: str,
        source_path: str,
        profile_hint: str | None,
        profile_id: int | None,
    ) -> IntakeResult:
        for attempt in range(3):
            try:
                return await self._record_once(
                    sha, size, mtime, name, source, source_path, profile_hint, profile_id
                )
            except Exception as exc:  # a concurrent insert of the same sha256 (unique index)
                if attempt == 2 or "unique" not in str(exc).lower():
                    raise
        raise AssertionError("unreachable")

    async def _record_once(
        self,
        sha: str,
        size: int,
        mtime: float,
        name: str,
        source: str,
        source_path: str,
        profile_hint: str | None,
        profile_id: int | None,
    ) -> IntakeResult:
        async with write_transaction(self.engine):
            existing = (
                await Document.select(Document.id, Document.profile)
                .where(Document.sha256 == sha)
                .first()
            )
            if existing is not None:
                doc_id = existing["id"]
                if profile_id is not None and existing["profile"] is None:
                    # Handing in an unfiled document again, for someone, files it.
                    await Document.update({Document.profile: profile_id}).where(
                        Document.id == doc_id
                    )
                if source_path and await _same_arrival(doc_id, source, source_path, size, mtime):
                    return IntakeResult("duplicate", doc_id, replayed=True)
                await Arrival.insert(
                    Arrival(
                        document=doc_id,
                        source=source,
                        original_name=name,
                        source_path=source_path,
                        profile_hint=profile_hint,
                        sha256=sha,
                        size=size,
                        source_mtime=mtime,
                        outcome="duplicate",
                        reason=f"Same bytes as document {doc_id}.",
                    )
                )
                return IntakeResult("duplicate", doc_id)
            rows = await Document.insert(
                Document(
                    sha256=sha,
                    original_name=name,
                    size=size,
                    source=source,
                    profile_hint=profile_hint,
                    profile=profile_id,
                    state=QUEUED,
                )
            ).returning(Document.id)
            doc_id = rows[0]["id"]
            await Arrival.insert(
                Arrival(
                    document=doc_id,
                    source=source,
                    original_name=name,
                    source_path=source_path,
                    profile_hint=profile_hint,
                    sha256=sha,
                    size=size,
                    source_mtime=mtime,
                    outcome="new",
                )
            )
        log.info("queued document %s (%s, %d bytes)", doc_id, name, size)
        return IntakeResult("new", doc_id)

    async def _record_rejection(
        self,
        name: str,
        source: str,
        source_path: str,
        profile_hint: str | None,
        st: os.stat_result,
        reason: str,
    ) -> None:
        await Arrival.insert(
            Arrival(
                source=source,
                original_name=name,
                source_path=source_path,
                profile_hint=profile_hint,
                size=st.st_size,
                source_mtime=st.st_mtime,
                outcome="rejected",
                reason=reason,
            )
        )
        log.warning("rejected %s: %s", name, reason)


async def _same_arrival(
    doc_id: int, source: str, source_path: str, size: int, mtime: float
) -> bool:
    row = (
        await Arrival.select(Arrival.id)
        .where(
            (Arrival.document == doc_id)
            & (Arrival.source == source)
            & (Arrival.source_path == source_path)
            & (Arrival.size == size)
            & (Arrival.source_mtime == mtime)
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
