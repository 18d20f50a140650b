"""`kinchart backup`: a consistent, verified, optionally encrypted snapshot of a running Kinchart.

A backup folder holds:

    kinchart-backup.json        format and encryption (none | passphrase | recipient)
    backup-key.age              with a passphrase: the age identity, sealed with it
    originals/packs/<UTC time>.pack   unencrypted: the originals a run copied, one after the
                                other in one file (as tar does): one file made per run, not
                                one per original, which cost the kernel more than the copying
    originals/ab/<sha256>.age   encrypted: every original, each in its own age file
    snapshots/<UTC time>/       one per run, complete once its manifest is written:
        database.sqlite3 | database.pgdump
        secret.key              the key of the sync-source passwords
        derived/…               page images and PDFs, only with --with-derived
        originals.txt           the originals this snapshot needs, one a line: the SHA-256,
                                and for a packed one its pack and offset (--keep and the next
                                run read it; it is never encrypted, and names nothing else)
        manifest.json           SHA-256 and size of every file above and of every original,
                                and where each packed original is (what restore trusts)

(each file with `.age` appended when encrypted). Originals are shared by all snapshots:
content-addressed files never change, so a new backup copies only the new ones (into a new pack,
or new files). The database is copied first; the originals copied are those the copy names, so
a restore never finds a document without its file. A pack goes when no kept snapshot needs any
original in it (packs are not rewritten to drop a few). Backups made before packs (loose
`originals/ab/<sha256>` files) are still read, and added to.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import datetime
import functools
import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from server.maintenance import database, sealing
from server.settings import Settings
from server.store import Store

SNAPSHOTS = "snapshots"
ORIGINALS = "originals"
MANIFEST = "manifest.json"
NEEDED = "originals.txt"
PACKS = "packs"  # under originals/
PACK_SUFFIX = ".pack"
SECRET = "secret.key"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
COPIERS = 4  # originals copied at once: hashing releases the GIL, and NAS disks like a queue

# (stage, bytes or files done, total); called from worker threads too.
Progress = Callable[[str, int, int], None]


@dataclass
class BackupResult:
    snapshot: Path
    documents: int
    originals_copied: int
    originals_kept: int
    bytes_copied: int
    seconds: float
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def snapshot_name(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H%M%S.%fZ")


def complete_snapshots(dest: Path) -> list[Path]:
    """The finished snapshots in `dest`, oldest first."""
    root = dest / SNAPSHOTS
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and _done(p)
    )


def _done(snap: Path) -> bool:
    return any((snap / f"{MANIFEST}{s}").exists() for s in ("", ".age"))


async def backup(
    settings: Settings,
    store: Store,
    dest: Path,
    *,
    passphrase: str | None = None,
    recipient: str | None = None,
    with_derived: bool = False,
    keep: int | None = None,
    progress: Progress = _quiet,
) -> BackupResult:
    """Take a snapshot into `dest` while the server may run and ingest."""
    started = time.monotonic()
    seal = await asyncio.to_thread(
        sealing.for_backup, dest, passphrase=passphrase, recipient=recipient
    )
    name = snapshot_name()
    partial = dest / SNAPSHOTS / f".{name}.partial"
    partial.mkdir(parents=True)
    files: dict[str, dict[str, Any]] = {}
    try:
        progress("database", 0, 1)
        url = settings.effective_database_url
        kind = database.kind_of(url)
        raw = partial / f".raw-{DB_FILES[kind]}"
        snap = await database.snapshot(url, raw)
        files[DB_FILES[kind]] = await _put(seal, raw, partial / DB_FILES[kind])
        raw.unlink()
        secret = settings.data_dir / SECRET
        if secret.exists():
            files[SECRET] = await _put(seal, secret, partial / SECRET)
        progress("database", 1, 1)
        result = BackupResult(partial, len(snap.originals), 0, 0, 0, 0.0)
        packed: dict[str, tuple[str, int]] = {}
        if seal.mode == "none":
            originals, packed = await asyncio.to_thread(
                _pack_originals, store, dest, name, snap.originals, result, progress
            )
        else:
            originals = await asyncio.to_thread(
                _copy_originals, seal, store, dest / ORIGINALS, snap.originals, result, progress
            )
        if with_derived:
            files.update(await asyncio.to_thread(_copy_derived, seal, store, partial, progress))
        manifest = {
            "format": sealing.FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "kinchart": version("kinchart"),
            "database": {"kind": kind, "file": DB_FILES[kind]},
            "with_derived": with_derived,
            "files": files,
            "originals": originals,
            "packed": {sha: [pack, offset] for sha, (pack, offset) in sorted(packed.items())},
        }
        (partial / NEEDED).write_text(
            "".join(
                f"{sha}\t{packed[sha][0]}\t{packed[sha][1]}\n" if sha in packed else f"{sha}\n"
                for sha in sorted(originals)
            )
        )
        # Everything on disk before the manifest says the snapshot is complete.
        await asyncio.to_thread(_sync, dest)
        seal.put_bytes(json.dumps(manifest, indent=1).encode(), partial / MANIFEST)
        final = dest / SNAPSHOTS / name
        os.replace(partial, final)
        result.snapshot = final
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if keep is not None:
        result.removed = await asyncio.to_thread(rotate, dest, keep)
    result.seconds = time.monotonic() - started
    return result


async def _put(seal: sealing.Sealing, src: Path, dest: Path) -> dict[str, Any]:
    sha, size = await asyncio.to_thread(seal.put, src, dest)
    return {"sha256": sha, "size": size}


def _copy_originals(
    seal: sealing.Sealing,
    store: Store,
    root: Path,
    wanted: dict[str, int],
    result: BackupResult,
    progress: Progress,
) -> dict[str, int]:
    """Copy the originals the backup lacks (checking each against its name); name -> size.

    Per file, only what a copy needs: the backup's originals are listed once per folder (not
    looked up one by one), sizes come from the database, the folders are made up front, and a
    missing source shows as the open failing. Each copy is hashed as it is written.
    """
    sizes: dict[str, int] = {}
    there = _present(root, seal.suffix)
    todo: list[str] = []
    for sha in sorted(wanted):
        if sha in there:
            # Copied and checked by an earlier run (complete files only: each is written
            # under a temporary name first); files in the store never change.
            sizes[sha] = wanted[sha]
            result.originals_kept += 1
        else:
            todo.append(sha)
    for prefix in sorted({sha[:2] for sha in todo}):
        (root / prefix).mkdir(parents=True, exist_ok=True)
    total = sum(wanted[sha] for sha in todo)
    done = 0
    progress("originals", 0, total)

    def one(sha: str) -> tuple[str, str, int] | None:
        try:
            return sha, *seal.put(store.original_path(sha), root / sha[:2] / sha, folder_made=True)
        except FileNotFoundError:
            return None

    with ThreadPoolExecutor(COPIERS) as pool:
        for sha, copied in zip(todo, pool.map(one, todo), strict=True):
            if copied is None:
                result.problems.append(
                    f"original {sha} is named by the database but missing from the data folder "
                    "(run `kinchart check`)"
                )
                continue
            _, got, size = copied
            done += size
            progress("originals", done, total)
            if got != sha or size != wanted[sha]:
                # A damaged file in the store: keep no copy that claims to be it.
                os.unlink(f"{root / sha[:2] / sha}{seal.suffix}")
                result.problems.append(
                    f"original {sha} does not match its SHA-256 (damaged on disk); not backed "
                    "up (run `kinchart check`)"
                )
                continue
            sizes[sha] = size
            result.originals_copied += 1
            result.bytes_copied += size
    return sizes


def _pack_originals(
    store: Store,
    dest: Path,
    name: str,
    wanted: dict[str, int],
    result: BackupResult,
    progress: Progress,
) -> tuple[dict[str, int], dict[str, tuple[str, int]]]:
    """Unencrypted: the originals the backup lacks, appended to one new pack, each hashed as
    it is written; name -> size, and name -> (pack, offset) of every packed original needed.

    The pack is written under a temporary name and renamed once complete; only a complete
    snapshot's originals.txt makes an original count as there, so a run killed midway leaves
    nothing that a later one trusts (and --keep removes its leftovers).
    """
    root = dest / ORIGINALS
    index = packed_in(dest)
    loose = _present(root, "")
    sizes: dict[str, int] = {}
    packed: dict[str, tuple[str, int]] = {}
    todo: list[str] = []
    for sha in sorted(wanted):
        if sha in index:
            packed[sha] = index[sha]
        elif sha not in loose:  # a loose one: copied by a run from before packs
            todo.append(sha)
            continue
        sizes[sha] = wanted[sha]
        result.originals_kept += 1
    total = sum(wanted[sha] for sha in todo)
    progress("originals", 0, total)
    if not todo:
        return sizes, packed
    pack = f"{name}{PACK_SUFFIX}"
    folder = root / PACKS
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{pack}.part"
    offset = done = 0
    try:
        with open(tmp, "wb", buffering=0) as out:
            for sha in todo:
                try:
                    got, size = sealing.append_hashed(store.original_path(sha), out)
                except FileNotFoundError:
                    result.problems.append(
                        f"original {sha} is named by the database but missing from the data "
                        "folder (run `kinchart check`)"
                    )
                    continue
                done += size
                progress("originals", done, total)
                if got != sha or size != wanted[sha]:
                    # A damaged file in the store: its bytes stay in the pack, named by nothing.
                    result.problems.append(
                        f"original {sha} does not match its SHA-256 (damaged on disk); not "
                        "backed up (run `kinchart check`)"
                    )
                else:
                    sizes[sha] = size
                    packed[sha] = (pack, offset)
                    result.originals_copied += 1
                    result.bytes_copied += size
                offset += size
        os.replace(tmp, folder / pack)
    finally:
        tmp.unlink(missing_ok=True)
    return sizes, packed


def packed_in(dest: Path) -> dict[str, tuple[str, int]]:
    """Where the complete snapshots in `dest` say each packed original is: name -> (pack,
    offset), from their originals.txt (the newest first: any one is right, they never move)."""
    out: dict[str, tuple[str, int]] = {}
    for snap in reversed(complete_snapshots(dest)):
        for line in (snap / NEEDED).read_text().splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[0] not in out:
                out[parts[0]] = (parts[1], int(parts[2]))
    return out


def _present(root: Path, suffix: str) -> set[str]:
    """The originals already in the backup, by name (temporary `.…part` files are not)."""
    out: set[str] = set()
    if not root.is_dir():
        return out
    with os.scandir(root) as folders:
        for folder in folders:
            if not folder.is_dir() or len(folder.name) != 2:
                continue
            with os.scandir(folder.path) as files:
                for f in files:
                    name = f.name
                    if suffix:
                        if not name.endswith(suffix):
                            continue
                        name = name[: -len(suffix)]
                    if not name.startswith("."):
                        out.add(name)
    return out


def _sync(folder: Path) -> None:
    """Everything written to the file system of `folder` on disk: syncfs(2), not sync(2),
    which would also wait for every other disk's writes (the data disk's, on a NAS)."""
    syncfs = getattr(_libc(), "syncfs", None)
    if syncfs is None:
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            raise OSError(ctypes.get_errno(), f"syncfs failed for {folder}")
    finally:
        os.close(fd)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def _copy_derived(
    seal: sealing.Sealing, store: Store, snap: Path, progress: Progress
) -> dict[str, dict[str, Any]]:
    if not store.derived.is_dir():
        return {}
    paths = [
        p
        for d in sorted(store.derived.iterdir())
        if d.is_dir() and d.name.isdigit()  # not a reading's staging folder (".12-…")
        for p in sorted(d.rglob("*"))
        if p.is_file()
    ]
    out: dict[str, dict[str, Any]] = {}
    for i, path in enumerate(paths):
        rel = f"derived/{path.relative_to(store.derived).as_posix()}"
        sha, size = seal.put(path, snap / rel)
        out[rel] = {"sha256": sha, "size": size}
        progress("derived files", i + 1, len(paths))
    return out


def rotate(dest: Path, keep: int) -> list[str]:
    """Keep the newest `keep` snapshots; drop the others and the originals only they needed."""
    keep = max(1, keep)
    snaps = complete_snapshots(dest)
    gone = snaps[:-keep]
    for snap in gone:
        shutil.rmtree(snap)
    root = dest / SNAPSHOTS
    for stale in root.glob(".*.partial"):  # an interrupted run's leftovers
        shutil.rmtree(stale, ignore_errors=True)
    needed: set[str] = set()
    packs: set[str] = set()
    for snap in snaps[-keep:]:
        for line in (snap / NEEDED).read_text().splitlines():
            sha, *where = line.split("\t")
            needed.add(sha)
            if where:
                packs.add(where[0])
    if gone:
        for path in (dest / ORIGINALS).glob("??/*"):
            if path.name.split(".", 1)[0] not in needed:
                path.unlink()
    folder = dest / ORIGINALS / PACKS
    if folder.is_dir():
        for path in folder.iterdir():
            # Those no kept snapshot needs, and an interrupted run's `.…part`; a pack made
            # after the snapshots were listed (a backup running meanwhile) is newer than all.
            newest = snaps[-1].name if snaps else ""
            if path.name not in packs and (
                path.name.startswith(".") or path.name.removesuffix(PACK_SUFFIX) < newest
            ):
                path.unlink()
    return [s.name for s in gone]
