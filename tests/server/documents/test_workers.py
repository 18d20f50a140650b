"""Workers never die silently: a database error inside a reading is logged, the document goes
back to the queue, and the slot reads it (and the next one) once the fault clears."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from server.db.tables import FAILED, PROCESSING, READY, Document
from server.documents import queue
from server.documents.workers import Backoff
from server.runtime import running
from server.settings import Settings
from tests.fixtures.make_docs import digital_pdf


async def _state(doc_id: int) -> str:
    row = await Document.select(Document.state).where(Document.id == doc_id).first()
    assert row is not None
    return str(row["state"])


async def _until(doc_id: int, state: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while (now := await _state(doc_id)) != state:
        assert now != FAILED and time.monotonic() < deadline, f"document {doc_id}: {now}"
        await asyncio.sleep(0.1)


async def test_a_database_error_under_a_worker_is_logged_survived_and_read_after(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = digital_pdf(tmp_path / "first.pdf", [["First page, read after the fault"]])
    second = digital_pdf(tmp_path / "second.pdf", [["Second page, read without a restart"]])
    caplog.set_level(logging.ERROR, logger="server.documents.workers")
    async with running(settings, workers=True) as services:
        # The fault: the table a reading is stored in is gone (as when the database is away).
        await services.engine.run_ddl("ALTER TABLE page RENAME TO page_away")
        try:
            a = (await services.intake.take(first, source="cli")).document_id
            assert a is not None
            deadline = time.monotonic() + 60
            while "reading stopped by an error" not in caplog.text:
                assert time.monotonic() < deadline, "the worker said nothing"
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)
            assert await _state(a) in ("queued", PROCESSING)  # handed back, not failed
        finally:
            await services.engine.run_ddl("ALTER TABLE page_away RENAME TO page")
        await _until(a, READY)
        b = (await services.intake.take(second, source="cli")).document_id
        assert b is not None
        await _until(b, READY)
        row = await Document.select(Document.attempts).where(Document.id == a).first()
        assert row is not None and row["attempts"] == 1, "the fault was not the document's"


async def test_work_folders_of_interrupted_readings_are_removed_at_start(
    settings: Settings, tmp_path: Path
) -> None:
    pdf = digital_pdf(tmp_path / "a.pdf", [["A page"]])
    async with running(settings) as services:
        held = (await services.intake.take(pdf, source="cli")).document_id
        assert held is not None
        assert await queue.claim(services.engine, "another-machine", 300)
        stale = services.store.work / "99999-0a1b2c3d"
        live = services.store.work_dir(held)
        for folder in (stale, live):
            folder.mkdir(parents=True)
            (folder / "page-1.png").write_bytes(b"x")
    async with running(settings, workers=True):
        deadline = time.monotonic() + 30
        while stale.exists():
            assert time.monotonic() < deadline, "stale work folder kept"
            await asyncio.sleep(0.05)
        assert live.exists(), "a reading in progress elsewhere keeps its folder"


def test_backoff_doubles_to_a_ceiling_and_resets() -> None:
    pause = Backoff(first=1, most=8)
    assert [pause.next() for _ in range(5)] == [1, 2, 4, 8, 8]
    pause.reset()
    assert pause.next() == 1
