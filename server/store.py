"""The data folder: content-addressed originals, derived page files, work and failed folders.

Originals are shared by every document with the same bytes, so removing one (a purge, in
server/documents/trash.py) and taking the same bytes in again must not overlap: the intake
holds a shared lock on the original's group (`hold`) from finding or writing the file until
its document row is committed, and a purge removes the file only under the exclusive lock,
after checking again that no row names it (`removing_original`). The locks are `flock`s on
one small file per group of originals (the first two hex digits), so they hold between the
server, its workers and the command line alike, and a process that dies drops its locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from server.errors import Unavailable

CHUNK = 1024 * 1024


class StoreError(Unavailable):
    """A file could not be stored durably; `permanent` when trying again will not help."""

    def __init__(self, user_message: str, *, permanent: bool = True) -> None:
        super().__init__(user_message)
        self.permanent = permanent


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _digest(fin: BinaryIO, fout: BinaryIO | None, max_bytes: int) -> tuple[str, int]:
    """Read `fin` to the end, copying it to `fout`; its SHA-256 and size, within the limit."""
    digest = hashlib.sha256()
    size = 0
    while chunk := fin.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise StoreError(
                f"The file is larger than the limit of {max_bytes // (1024 * 1024)} MB "
                "(KINCHART_MAX_FILE_MB)."
            )
        digest.update(chunk)
        if fout is not None:
            fout.write(chunk)
    return digest.hexdigest(), size


class Store:
    """Paths and durable writes inside the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir.resolve()
        self.originals = self.root / "originals"
        self.derived = self.root / "derived"
        self.work = self.root / "work"
        self.tmp = self.root / "tmp"
        self.locks = self.root / "locks"
        self._settled_dirs: set[str] = set()

    def ensure(self) -> None:
        for p in (self.originals, self.derived, self.work, self.tmp):
            p.mkdir(parents=True, exist_ok=True)

    def original_path(self, sha256: str) -> Path:
        return self.originals / sha256[:2] / sha256

    def derived_dir(self, document_id: int) -> Path:
        return self.derived / str(document_id)

    def work_dir(self, document_id: int) -> Path:
        return self.work / f"{document_id}-{uuid.uuid4().hex[:8]}"

    def _lock_file(self, sha256: str) -> BinaryIO:
        self.locks.mkdir(parents=True, exist_ok=True)
        return open(self.locks / sha256[:2], "ab")  # closed by its holder: that unlocks

    def hold(self, sha256: str, into: list[BinaryIO]) -> None:
        """Take the shared lock on the original's group (blocking: call from a thread) and
        add it to `into`; closing the file releases it."""
        lock = self._lock_file(sha256)
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_SH)
        except BaseException:
            lock.close()
            raise
        into.append(lock)

    @contextlib.asynccontextmanager
    async def removing_original(
        self, sha256: str, *, wait_s: float = 60.0
    ) -> AsyncIterator[bool]:
        """The exclusive lock on the original's group while the block decides (from the
        database, again) whether to remove it: True when taken, False when intakes held it
        for longer than `wait_s` (keep the file then: an unused file is no loss)."""
        lock = self._lock_file(sha256)
        try:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        yield False
                        return
                    await asyncio.sleep(0.02)
            yield True
        finally:
            lock.close()

    def put_original(
        self,
        src: Path,
        *,
        max_bytes: int,
        move: bool = False,
        hold: list[BinaryIO] | None = None,
    ) -> tuple[str, int]:
        """Store `src` in the originals store, fsynced, and return (sha256, size).

        The copy and the hash are one pass; the source is opened without following
        symlinks so a file swapped for a link after checking cannot be read through it.
        With `move`, `src` is a temporary file of the caller's on this disk: it is hashed,
        fsynced and renamed into place instead of copied (its bytes are written once).
        With `hold`, the original's shared lock is taken before the file is looked for and
        kept in `hold` (the caller closes it once its document row is committed).
        """
        self.ensure()
        try:
            fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            raise StoreError(f"Could not open the file: {exc.strerror}") from exc
        tmp = self.tmp / f"in-{uuid.uuid4().hex}"
        try:
            with os.fdopen(fd, "rb") as fin:
                if move:
                    sha, size = _digest(fin, None, max_bytes)
                    os.fsync(fin.fileno())
                    os.fchmod(fin.fileno(), 0o400)
                else:
                    with open(tmp, "wb") as fout:
                        sha, size = _digest(fin, fout, max_bytes)
                        fout.flush()
                        os.fsync(fout.fileno())
                        os.fchmod(fout.fileno(), 0o400)
            dest = self.original_path(sha)
            if hold is not None and not hold:
                self.hold(sha, hold)
            if dest.exists() and dest.stat().st_size == size:
                return sha, size
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(src if move else tmp, dest)
            except OSError as exc:
                if not move or exc.errno != errno.EXDEV:
                    raise
                return self.put_original(src, max_bytes=max_bytes, hold=hold)  # another disk
            fsync_dir(dest.parent)
            if dest.parent.name not in self._settled_dirs:
                # The folder may be new: its own entry must be durable too, once per process.
                fsync_dir(self.originals)
                self._settled_dirs.add(dest.parent.name)
            return sha, size
        except OSError as exc:
            raise StoreError(f"Could not store the file: {exc.strerror}", permanent=False) from exc
        finally:
            tmp.unlink(missing_ok=True)

    def replace_derived(self, document_id: int, files: dict[str, Path]) -> None:
        """Move a reading's files (relative name -> path in the work folder) into place."""
        final = self.derived_dir(document_id)
        staging = self.derived / f".{document_id}-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        for rel, path in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), target)
        if final.exists():
            old = self.derived / f".old-{document_id}-{uuid.uuid4().hex[:8]}"
            os.replace(final, old)
            os.replace(staging, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, final)
