from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from server.db.tables import Arrival, Document
from server.runtime import Services, running
from server.settings import Settings


async def _until(cond: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = cond()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture
async def watching(settings: Settings) -> AsyncIterator[Services]:
    settings.inbox_dir.mkdir(parents=True, exist_ok=True)
    (settings.inbox_dir / "before.pdf").write_bytes(b"%PDF there before start")
    os.utime(settings.inbox_dir / "before.pdf", (time.time() - 60, time.time() - 60))
    slow = dataclasses.replace(settings, inbox_stable_seconds=2.0)
    async with running(slow, watcher=True) as s:
        yield s


async def test_files_present_at_start_are_taken(watching: Services) -> None:
    inbox = watching.settings.inbox_dir
    await _until(lambda: not (inbox / "before.pdf").exists())
    doc = await Document.objects().first()
    assert doc and doc.original_name == "before.pdf" and doc.state == "queued"
    assert watching.store.original_path(doc.sha256).read_bytes() == b"%PDF there before start"


async def test_closed_file_is_taken_without_waiting_for_stability(watching: Services) -> None:
    inbox = watching.settings.inbox_dir
    (inbox / "dad").mkdir()
    # inotify watches a new folder only once its creation is seen; files written before that
    # are caught by the stability timer instead (tested below), not by their close event.
    await asyncio.sleep(0.5)
    t0 = time.monotonic()
    with open(inbox / "dad" / "closed.pdf", "wb") as f:
        f.write(b"%PDF written and closed")
    await _until(lambda: not (inbox / "dad" / "closed.pdf").exists())
    assert time.monotonic() - t0 < 1.9, "close event should not wait for the stable period"
    doc = await Document.objects().where(Document.original_name == "closed.pdf").first()
    assert doc and doc.profile_hint == "dad"


async def test_write_then_rename_and_moved_in_files_are_taken(
    watching: Services, tmp_path: Path
) -> None:
    inbox = watching.settings.inbox_dir
    (inbox / "scan.pdf.part").write_bytes(b"%PDF renamed")
    os.rename(inbox / "scan.pdf.part", inbox / "scan.pdf")
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"\xff\xd8\xff moved in from outside")
    os.rename(outside, inbox / "moved.jpg")
    await _until(lambda: not (inbox / "scan.pdf").exists() and not (inbox / "moved.jpg").exists())
    names = {r["original_name"] for r in await Document.select(Document.original_name)}
    assert {"scan.pdf", "moved.jpg"} <= names


async def test_growing_file_is_not_taken_until_complete(watching: Services) -> None:
    inbox = watching.settings.inbox_dir
    path = inbox / "slow-copy.pdf"
    # An SMB-style writer: keeps the file open and appends, no close until the end.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        for i in range(12):
            os.write(fd, b"%%PDF chunk %d\n" % i)
            await asyncio.sleep(0.25)
            assert path.exists(), "taken while still being written"
    finally:
        os.close(fd)
    await _until(lambda: not path.exists())
    doc = await Document.objects().where(Document.original_name == "slow-copy.pdf").first()
    assert doc and doc.size == sum(len(b"%%PDF chunk %d\n" % i) for i in range(12))


async def test_ignored_files_stay_and_bad_files_go_to_failed_with_reason(
    watching: Services, tmp_path: Path
) -> None:
    inbox = watching.settings.inbox_dir
    failed = watching.settings.effective_failed_dir
    for name in (".hidden.pdf", "x.crdownload", "Thumbs.db"):
        (inbox / name).write_bytes(b"junk")
    (inbox / "empty.pdf").touch()
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF outside the inbox")
    (inbox / "link.pdf").symlink_to(secret)
    await _until(lambda: (failed / "empty.pdf.reason.txt").exists())
    await _until(lambda: (failed / "link.pdf.reason.txt").exists())
    assert "empty" in (failed / "empty.pdf.reason.txt").read_text()
    assert "outside the inbox" in (failed / "link.pdf.reason.txt").read_text()
    assert secret.read_bytes() == b"%PDF outside the inbox", "the link target is untouched"
    await asyncio.sleep(2.5)
    for name in (".hidden.pdf", "x.crdownload", "Thumbs.db"):
        assert (inbox / name).exists()
    names = {r["original_name"] for r in await Document.select(Document.original_name)}
    assert names == {"before.pdf"}
    rejected = await Arrival.count().where(Arrival.outcome == "rejected")
    assert rejected >= 1


async def test_folder_moved_into_inbox_is_scanned(watching: Services, tmp_path: Path) -> None:
    inbox = watching.settings.inbox_dir
    folder = tmp_path / "mum"
    (folder / "2023").mkdir(parents=True)
    (folder / "2023" / "a.pdf").write_bytes(b"%PDF a")
    (folder / "b.pdf").write_bytes(b"%PDF b")
    os.rename(folder, inbox / "mum")
    await _until(lambda: not any((inbox / "mum").rglob("*.pdf")))
    hints = {r["profile_hint"] for r in await Document.select(Document.profile_hint)}
    assert "mum" in hints
