"""Backup benchmark: `kinchart backup` and `restore` of ~1 GB of originals vs `cp -a` and `tar`.

Run: uv run python bench/backup.py [--docs 2000] [--min-kb 100] [--max-kb 900] [--tmp /work]
                                    [--rounds 3]

A data folder is generated in a temporary folder (on /work by default, removed at the end):
`--docs` random PDF-sized files written straight into the originals store, named by their
SHA-256, with one ready Document row each in a SQLite database (no OCR: a backup copies
bytes). Baselines, in the same run on the same disk, each followed by `sync` as the backup
is: `cp -a` of the originals folder and `tar -cf` of it. Then `kinchart backup` (the database
through the SQLite backup API, every original read, hashed and written, a manifest); a second
backup after 10 new documents (only those are copied); and `kinchart restore` of the backup
into an empty home (every file read back and checked against the manifest, then moved in).
Targets: backup ≥ 0.7 of `cp -a`'s MB/s; the second backup ≤ 5 % of the first's time.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.db.tables import READY, Document  # noqa: E402
from server.maintenance import backup as backups  # noqa: E402
from server.maintenance import restore as restores  # noqa: E402
from server.runtime import running  # noqa: E402
from server.settings import Settings, load_settings  # noqa: E402
from server.store import Store  # noqa: E402


def settings_for(home: Path) -> Settings:
    return load_settings(
        environ={},
        env_file=None,
        data_dir=home / "data",
        inbox_dir=home / "inbox",
        watch_inbox=False,
        sync_sources=False,
    )


async def add_documents(settings: Settings, n: int, min_kb: int, max_kb: int, seed: int) -> int:
    """`n` random files in the originals store, each with a ready Document row; their bytes."""
    rnd = random.Random(seed)
    total = 0
    async with running(settings) as services:
        store = services.store
        rows = []
        for i in range(n):
            size = rnd.randint(min_kb, max_kb) * 1024
            body = b"%PDF-1.4\n" + rnd.randbytes(size)
            sha = hashlib.sha256(body).hexdigest()
            path = store.original_path(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            path.chmod(0o400)
            total += len(body)
            rows.append(
                Document(
                    sha256=sha,
                    original_name=f"scan-{seed}-{i:05d}.pdf",
                    size=len(body),
                    mime="application/pdf",
                    kind="pdf",
                    state=READY,
                    page_count=1,
                )
            )
            if len(rows) == 500:
                await Document.insert(*rows)
                rows = []
        if rows:
            await Document.insert(*rows)
    return total


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    subprocess.run(["sync"], check=True)
    return time.perf_counter() - t0


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--min-kb", type=int, default=100)
    parser.add_argument("--max-kb", type=int, default=900)
    parser.add_argument("--tmp", type=Path, default=Path("/work"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kinchart-bench-backup-", dir=args.tmp))
    try:
        home = tmp / "home"
        settings = settings_for(home)
        t0 = time.perf_counter()
        total = asyncio.run(add_documents(settings, args.docs, args.min_kb, args.max_kb, 1))
        subprocess.run(["sync"], check=True)
        mb = total / 1e6
        print(f"cores: {os.cpu_count()}; {args.docs} documents, {mb:.0f} MB of originals "
              f"(generated in {time.perf_counter() - t0:.1f} s)")  # fmt: skip
        originals = Store(settings.data_dir).originals

        # Rounds, each baseline right before the backup, and the medians: a shared disk's
        # speed wanders by a factor of two from one minute to the next.
        dest = tmp / "backup"
        store = Store(settings.data_dir)
        cps, tars, ours = [], [], []
        for _ in range(args.rounds):
            cps.append(timed(["cp", "-a", str(originals), str(tmp / "cp-copy")]))
            shutil.rmtree(tmp / "cp-copy")
            tar = ["tar", "-cf", str(tmp / "copy.tar"), "-C", str(settings.data_dir), "originals"]
            tars.append(timed(tar))
            (tmp / "copy.tar").unlink()
            shutil.rmtree(dest, ignore_errors=True)
            first = asyncio.run(backups.backup(settings, store, dest))
            ours.append(first.seconds)
        cp_s, tar_s, ours_s = (statistics.median(x) for x in (cps, tars, ours))
        print(f"cp -a:            {cp_s:7.2f} s  {mb / cp_s:7.1f} MB/s  (rounds: {_list(cps)})")
        print(f"tar -cf:          {tar_s:7.2f} s  {mb / tar_s:7.1f} MB/s  (rounds: {_list(tars)})")
        rate = mb / ours_s
        print(
            f"kinchart backup:  {ours_s:7.2f} s  {rate:7.1f} MB/s  (rounds: {_list(ours)}; "
            f"{first.originals_copied} originals copied; {rate / (mb / cp_s):.2f} of cp -a, "
            f"{rate / (mb / tar_s):.2f} of tar; target >= 0.70)"
        )

        asyncio.run(add_documents(settings, 10, args.min_kb, args.max_kb, 2))
        second = asyncio.run(backups.backup(settings, store, dest))
        share = 100 * second.seconds / ours_s
        print(
            f"second backup:    {second.seconds:7.2f} s  after 10 new documents "
            f"({second.originals_copied} copied, {second.originals_kept} already there; "
            f"{share:.1f} % of the first, target <= 5 %)"
        )

        fresh = settings_for(tmp / "restored")
        t0 = time.perf_counter()
        result = asyncio.run(restores.restore(fresh, dest))
        restore_s = time.perf_counter() - t0
        print(f"kinchart restore: {restore_s:7.2f} s  {result.bytes / 1e6 / restore_s:7.1f} MB/s  "
              f"({result.files} files checked and moved in)")  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
