"""Disk full (issue 15): the data folder on a 20 MB filesystem, a 30 MB batch in the inbox.

Nothing is lost (each file is a document or still in the inbox), `kinchart status` says
"disk full" and lists the files waiting, and once the filesystem has room again (remounted
larger, the server still running) everything is taken in.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.procs import Server, kinchart, kinchart_json, wait_for

FILES = 10
SIZE = 3 * 1024 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 20 MB tmpfs where the test's data folder goes."""
    mount = tmp_path / "data"
    mount.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if r.returncode != 0:
        pytest.skip(
            "this machine forbids mounting a size-limited filesystem "
            f"(mount -t tmpfs -o size=20m: {r.stderr.strip() or r.returncode})"
        )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _batch(inbox: Path) -> set[str]:
    """Files the size of scanned PDFs (content the reader refuses: reading is not the point)."""
    rnd = random.Random(15)
    folder = inbox / "scans"
    folder.mkdir(parents=True)
    shas = set()
    for i in range(FILES):
        body = b"%PDF-1.4\n" + rnd.randbytes(SIZE)
        shas.add(hashlib.sha256(body).hexdigest())
        tmp = inbox / f".scan-{i}.part"
        tmp.write_bytes(body)
        os.replace(tmp, folder / f"scan-{i:02d}.pdf")
    return shas


def _inbox_files(inbox: Path) -> list[Path]:
    return [p for p in (inbox / "scans").iterdir() if not p.name.startswith(".")]


def test_disk_full_loses_nothing_says_so_and_resumes(
    small_disk: Path, env: dict[str, str], tmp_path: Path
) -> None:
    assert Path(env["KINCHART_DATA_DIR"]) == small_disk
    inbox = Path(env["KINCHART_INBOX_DIR"])
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        shas = _batch(inbox)

        def full() -> bool:
            status = kinchart_json("status", env=env)
            return bool(status["waiting"]["disk_full"]) and status["waiting"]["count"] > 0

        wait_for(full, 120, "the disk to fill up")
        listed = {d["sha256"] for d in kinchart_json("documents", env=env)}
        waiting = _inbox_files(inbox)
        # Nothing lost: every file is a document, or still in the inbox.
        assert listed <= shas
        assert len(listed) + len(waiting) == FILES, (listed, waiting)
        assert waiting and len(listed) < FILES
        assert not (small_disk / "failed").exists() or not any((small_disk / "failed").iterdir())
        r = kinchart("status", env=env)
        assert r.returncode == 0, r.stderr
        assert "disk full" in r.stdout
        assert f"{len(waiting)} file(s) wait in the inbox" in r.stdout
        for path in waiting:
            assert f"scans/{path.name}" in r.stdout

        # Room again, the server still running: everything is taken in.
        subprocess.run(["mount", "-o", "remount,size=200m", str(small_disk)], check=True)
        wait_for(lambda: not _inbox_files(inbox), 120, "the waiting files to be taken in")
        wait_for(
            lambda: {d["sha256"] for d in kinchart_json("documents", env=env)} == shas,
            60,
            "every file to be a document",
        )
        status = kinchart_json("status", env=env)
        assert not status["waiting"]["disk_full"] and status["waiting"]["count"] == 0
        assert server.proc is not None and server.proc.poll() is None  # never restarted
    finally:
        server.stop()
