"""Sync benchmark: pulling files from a local WsgiDAV server through Kinchart vs plain webdav4.

Run: uv run python bench/sync.py [--files 500] [--min-kb 50] [--max-kb 1000] [--after delete]
                                  [--rounds 3]
Everything is generated in a temporary folder. The baseline lists the folder and downloads each
file with webdav4's `download_file`, one after the other, nothing more. Kinchart's figure is its
taking pass: listing, downloads (4 requests at a time), size and ETag checks, the intake (each
download hashed, fsynced and renamed into the originals store, then recorded in a SQLite commit
shared by the files stored meanwhile) and the after-import step (DELETE or MOVE on the server, only
after the commit). The wait between the two listings that proves a file complete
(KINCHART_SYNC_SETTLE_SECONDS) is a configured delay, reported but not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webdav4.client import Client  # noqa: E402

from server.db.tables import Document  # noqa: E402
from server.runtime import running  # noqa: E402
from server.settings import load_settings  # noqa: E402
from server.sources.config import NewSource, add_source  # noqa: E402
from server.sources.runner import SourceRunner  # noqa: E402
from server.sources.vault import Vault  # noqa: E402
from tests.fixtures.davserver import MOUNT, PASSWORD, USER  # noqa: E402
from tests.fixtures.procs import free_port  # noqa: E402


def make_share(folder: Path, n: int, min_kb: int, max_kb: int) -> int:
    rnd = random.Random(7)
    total = 0
    for i in range(n):
        sub = folder / f"batch-{i % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        size = rnd.randint(min_kb, max_kb) * 1024
        (sub / f"scan-{i:04d}.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(size))
        total += size + 9
    return total


def baseline(url: str, dest: Path) -> tuple[float, int]:
    """Plain webdav4: list each folder, download every file."""
    client = Client(url, auth=(USER, PASSWORD))
    t0 = time.perf_counter()
    n = 0
    for folder in client.ls("/", detail=False):
        for path in client.ls(str(folder), detail=False):
            client.download_file(str(path), dest / f"{n}.bin")
            n += 1
    seconds = time.perf_counter() - t0
    client.http.close()
    return seconds, n


async def through_kinchart(url: str, data: Path, after: str) -> tuple[float, float, int, str]:
    settings = load_settings(environ={}, env_file=None, data_dir=data, inbox_dir=data / "inbox")
    async with running(settings) as services:
        vault = Vault(settings.data_dir)
        row = await add_source(NewSource(url, USER, PASSWORD, after=after), vault)
        runner = SourceRunner(services.intake, services.store.tmp, vault)
        t0 = time.perf_counter()
        first = await runner.run_source(row["id"])  # notes sizes and ETags only
        listing_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = await runner.run_source(row["id"])
        seconds = time.perf_counter() - t0
        assert first is not None and report is not None
        return seconds, listing_s, await Document.count(), report.error


def one_round(work: Path, args: argparse.Namespace, kinchart_first: bool) -> tuple[float, ...]:
    """A fresh share and data folder; both pull it: plain s, Kinchart s, listing s, MB."""
    share, dest = work / "share", work / "plain"
    share.mkdir()
    dest.mkdir()
    total = make_share(share, args.files, args.min_kb, args.max_kb)
    # The WebDAV server runs in a process of its own, as a NAS or cloud would.
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fixtures.davserver", str(share), str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}{MOUNT}"
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        if kinchart_first and args.after == "keep":
            kc = asyncio.run(through_kinchart(url, work / "data", args.after))
            plain_s, plain_n = baseline(url, dest)
        else:
            # With delete or move, Kinchart empties the share: the plain loop goes first.
            plain_s, plain_n = baseline(url, dest)
            kc = asyncio.run(through_kinchart(url, work / "data", args.after))
    finally:
        server.terminate()
        server.wait(10)
    kc_s, list_s, docs, error = kc
    assert plain_n == args.files, plain_n
    assert docs == args.files and not error, (docs, error)
    # Every file was taken exactly once and cleaned up as the policy says.
    left = sum(1 for _ in share.glob("batch-*/*"))
    assert left == (args.files if args.after == "keep" else 0), left
    return plain_s, kc_s, list_s, total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--min-kb", type=int, default=50)
    parser.add_argument("--max-kb", type=int, default=1000)
    parser.add_argument("--after", default="delete", help="delete, keep or move:FOLDER")
    parser.add_argument("--rounds", type=int, default=3, help="fresh share each; median shown")
    args = parser.parse_args()
    rounds = []
    for r in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="kc-bench-sync-") as tmp:
            rounds.append(one_round(Path(tmp), args, kinchart_first=r % 2 == 1))
    mb = rounds[0][3]  # make_share is seeded: every round holds files of the same sizes
    print(f"machine: {os.cpu_count()} cores; {args.files} files, {mb:.1f} MB, after: {args.after}")
    for i, (plain_s, kc_s, list_s, _) in enumerate(rounds, 1):
        print(
            f"round {i}: plain webdav4 loop {plain_s:6.2f} s ({args.files / plain_s:6.1f} files/s, "
            f"{mb / plain_s:5.1f} MB/s); through Kinchart {kc_s:6.2f} s "
            f"({args.files / kc_s:6.1f} files/s, {mb / kc_s:5.1f} MB/s; first listing "
            f"{list_s:.2f} s, not counted); ratio {plain_s / kc_s:.2f}"
        )
    plain = statistics.median(r[0] for r in rounds)
    kc = statistics.median(r[1] for r in rounds)
    print(
        f"median: plain {args.files / plain:.1f} files/s {mb / plain:.1f} MB/s; "
        f"Kinchart {args.files / kc:.1f} files/s {mb / kc:.1f} MB/s"
    )
    ratios = sorted(r[0] / r[1] for r in rounds)
    print(
        f"ratio Kinchart / plain: median {statistics.median(ratios):.2f} "
        f"(rounds {', '.join(f'{x:.2f}' for x in ratios)}; target >= 0.8)"
    )


if __name__ == "__main__":
    main()
