"""`kinchart restore`: a snapshot back into an empty data folder and database, verified first.

Every file is first decrypted (or copied) into a staging folder inside the data folder and
checked against the manifest's SHA-256; only when all match is anything put in place (renames
on one disk). Page images and the search index are not in a backup (unless taken with
--with-derived): the restored documents whose page files are missing go back to the queue and
are read again by the server's workers after it starts (`documents.queue.reread`, which keeps
the facts people reviewed), and the server rebuilds the missing search index at its first
start.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server.errors import BadInput, NotFound
from server.maintenance import database, sealing
from server.maintenance.backup import (
    DB_FILES,
    MANIFEST,
    ORIGINALS,
    PACKS,
    SECRET,
    Progress,
    _quiet,
    _sync,
    complete_snapshots,
)
from server.settings import Settings
from server.store import Store


class BackupDamaged(BadInput):
    """Files of the backup are missing or do not match the manifest: nothing was restored."""


class NotEmpty(BadInput):
    """The data folder or the database already holds data."""


@dataclass
class RestoreResult:
    snapshot: str
    documents: int
    files: int
    bytes: int
    problems: list[str] = field(default_factory=list)


def pick(src: Path, snapshot: str | None) -> Path:
    snaps = complete_snapshots(src)
    if not snaps:
        raise NotFound(f"{src} holds no complete Kinchart backup.")
    if snapshot is None:
        return snaps[-1]
    for snap in snaps:
        if snap.name == snapshot:
            return snap
    names = ", ".join(s.name for s in snaps)
    raise NotFound(f"No snapshot {snapshot} in {src}; there are: {names}")


def _home_has_data(data_dir: Path) -> list[str]:
    if not data_dir.exists():
        return []
    return sorted(str(p.relative_to(data_dir)) for p in data_dir.rglob("*") if p.is_file())[:5]


async def restore(
    settings: Settings,
    src: Path,
    *,
    snapshot: str | None = None,
    force: bool = False,
    passphrase: str | None = None,
    identity: Path | None = None,
    progress: Progress = _quiet,
) -> RestoreResult:
    """Verify the snapshot, then put it in place; the documents it holds are not read yet."""
    header = sealing.read_header(src)
    if header is None:
        raise NotFound(f"{src} is not a Kinchart backup folder (no {sealing.HEADER}).")
    seal = await asyncio.to_thread(
        sealing.for_reading, src, header, passphrase=passphrase, identity=identity
    )
    snap = pick(src, snapshot)
    manifest: dict[str, Any] = json.loads(await asyncio.to_thread(seal.get_bytes, snap / MANIFEST))
    url = settings.effective_database_url
    data_dir = settings.data_dir
    if not force:
        found = _home_has_data(data_dir)
        if found:
            raise NotEmpty(
                f"The data folder {data_dir} is not empty ({', '.join(found)}…): restore into "
                "an empty one, or give --force to replace what is there."
            )
        if not await database.is_empty(url):
            raise NotEmpty(
                "The database in KINCHART_DATABASE_URL already has tables: restore into an "
                "empty database, or give --force to replace it."
            )
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    staging = data_dir / f".restore-{uuid.uuid4().hex[:8]}"
    try:
        result = await asyncio.to_thread(_stage, seal, src, snap, manifest, staging, progress)
        kind = manifest["database"]["kind"]
        progress("database", 0, 1)
        if force:
            await asyncio.to_thread(_clear, data_dir, staging)
        await database.put_back(url, staging / DB_FILES[kind], kind)
        progress("database", 1, 1)
        await asyncio.to_thread(_move_in, staging, Store(data_dir))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _stage(
    seal: sealing.Sealing,
    src: Path,
    snap: Path,
    manifest: dict[str, Any],
    staging: Path,
    progress: Progress,
) -> RestoreResult:
    """Every file of the snapshot into `staging`, checked; raise if any is missing or wrong."""
    packed: dict[str, list[Any]] = manifest.get("packed", {})
    work: list[tuple[Path, Path, str, int, int | None]] = [
        (snap / rel, staging / rel, meta["sha256"], meta["size"], None)
        for rel, meta in manifest["files"].items()
    ]
    work += [
        (src / ORIGINALS / PACKS / packed[sha][0], staging / ORIGINALS / sha[:2] / sha, sha,
         size, int(packed[sha][1]))
        if sha in packed
        else (src / ORIGINALS / sha[:2] / sha, staging / ORIGINALS / sha[:2] / sha, sha, size,
              None)
        for sha, size in manifest["originals"].items()
    ]  # fmt: skip
    total = sum(w[3] for w in work)
    done = 0
    problems: list[str] = []
    progress("verifying", 0, total)
    for source, target, sha, size, offset in work:
        if not seal.exists(source):
            problems.append(f"{source.relative_to(src)}: missing")
            continue
        try:
            if offset is None:
                got, got_size = seal.get(source, target)
            else:  # packs are never encrypted
                target.parent.mkdir(parents=True, exist_ok=True)
                got, got_size = sealing.extract_hashed(source, offset, size, target)
        except sealing.WrongKey:
            raise
        except OSError as exc:
            problems.append(f"{source.relative_to(src)}: cannot be read ({exc.strerror})")
            continue
        if (got, got_size) != (sha, size):
            where = "" if offset is None else f" (original {sha} at {offset})"
            problems.append(f"{source.relative_to(src)}{where}: does not match its SHA-256")
        done += size
        progress("verifying", done, total)
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise BackupDamaged(
            f"The backup {snap.name} is damaged, so nothing was restored: {len(problems)} "
            f"file(s) missing or changed ({shown}). Try an older snapshot (--snapshot)."
        )
    return RestoreResult(snap.name, len(manifest["originals"]), len(work), total)


def _clear(data_dir: Path, staging: Path) -> None:
    """--force: what a restore replaces goes first (never the staging folder)."""
    for child in data_dir.iterdir():
        if child == staging or child.name in ("failed", "backups"):
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def _move_in(staging: Path, store: Store) -> None:
    store.ensure()
    originals = staging / ORIGINALS
    if originals.is_dir():
        for folder in originals.iterdir():
            target = store.originals / folder.name
            target.mkdir(exist_ok=True)
            for f in folder.iterdir():
                f.chmod(0o400)
                os.replace(f, target / f.name)
    derived = staging / "derived"
    if derived.is_dir():
        for folder in derived.iterdir():
            shutil.rmtree(store.derived / folder.name, ignore_errors=True)
            os.replace(folder, store.derived / folder.name)
    secret = staging / SECRET
    if secret.exists():
        secret.chmod(0o600)
        os.replace(secret, store.root / SECRET)
    _sync(store.root)
