"""The data folder: content-addressed originals, derived page files, work and failed folders."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

CHUNK = 1024 * 1024


class StoreError(Exception):
    """A file could not be stored durably."""

    def __init__(self, user_message: str, *, permanent: bool = True) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.permanent = permanent


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """Paths and durable writes inside the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir.resolve()
        self.originals = self.root / "originals"
        self.derived = self.root / "derived"
        self.work = self.root / "work"
        self.tmp = self.root / "tmp"

    def ensure(self) -> None:
        for p in (self.originals, self.derived, self.work, self.tmp):
            p.mkdir(parents=True, exist_ok=True)

    def original_path(self, sha256: str) -> Path:
        return self.originals / sha256[:2] / sha256

    def derived_dir(self, document_id: int) -> Path:
        return self.derived / str(document_id)

    def work_dir(self, document_id: int) -> Path:
        return self.work / f"{document_id}-{uuid.uuid4().hex[:8]}"

    def put_original(self, src: Path, *, max_bytes: int) -> tuple[str, int]:
        """Copy `src` into the originals store, fsynced, and return (sha256, size).

        The copy and the hash are one pass; the source is opened without following
        symlinks so a file swapped for a link after checking cannot be read through it.
        """
        self.ensure()
        tmp = self.tmp / f"in-{uuid.uuid4().hex}"
        digest = hashlib.sha256()
        size = 0
        try:
            fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            raise StoreError(f"Could not open the file: {exc.strerror}") from exc
        try:
            with os.fdopen(fd, "rb") as fin, open(tmp, "wb") as fout:
                while chunk := fin.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise StoreError(
                            f"The file is larger than the limit of {max_bytes // (1024 * 1024)} MB "
                            "(KINCHART_MAX_FILE_MB)."
                        )
                    digest.update(chunk)
                    fout.write(chunk)
                fout.flush()
                os.fsync(fout.fileno())
            sha = digest.hexdigest()
            dest = self.original_path(sha)
            if dest.exists() and dest.stat().st_size == size:
                tmp.unlink()
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, dest)
                os.chmod(dest, 0o440)
                fsync_dir(dest.parent)
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
