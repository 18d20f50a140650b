from __future__ import annotations

import asyncio
import time
from pathlib import Path

from server.db.tables import Document
from server.documents import queue
from server.runtime import Services


async def _queued(services: Services, tmp_path: Path, n: int) -> list[int]:
    ids = []
    for i in range(n):
        p = tmp_path / f"f{i}.pdf"
        p.write_bytes(f"%PDF {i}".encode())
        r = await services.intake.take(p, source="cli")
        assert r.document_id is not None
        ids.append(r.document_id)
    return ids


async def test_each_document_is_claimed_by_exactly_one_worker(
    services: Services, tmp_path: Path
) -> None:
    ids = await _queued(services, tmp_path, 6)
    claims = await asyncio.gather(*(queue.claim(services.engine, f"w{i}", 30) for i in range(10)))
    got = [c["id"] for c in claims if c]
    assert sorted(got) == ids, "every queued document claimed once, none twice"
    assert await Document.count().where(Document.state == "processing") == 6


async def test_expired_lease_returns_to_queue_and_live_lease_does_not(
    services: Services, tmp_path: Path
) -> None:
    a, b = await _queued(services, tmp_path, 2)
    await queue.claim(services.engine, "dead-worker", 0.01)
    await queue.claim(services.engine, "live-worker", 300)
    await asyncio.sleep(0.05)
    assert await queue.requeue_expired() == 1
    states = {r["id"]: r["state"] for r in await Document.select(Document.id, Document.state)}
    assert states == {a: "queued", b: "processing"}
    # The dead worker's late result is refused: it no longer holds the lease.
    assert not await queue.store_reading(services.engine, a, "dead-worker", {}, [])
    assert not await queue.mark_ready(a, "dead-worker")


async def test_transient_failures_back_off_then_fail_for_good(
    services: Services, tmp_path: Path
) -> None:
    (doc_id,) = await _queued(services, tmp_path, 1)
    for attempt in range(1, 4):
        claimed = await queue.claim(services.engine, "w", 30)
        assert claimed and claimed["attempts"] == attempt
        state = await queue.fail(
            doc_id,
            "w",
            code="timeout",
            reason="Reading took too long.",
            permanent=False,
            attempts=claimed["attempts"],
            max_attempts=3,
            backoff_seconds=0.05,
        )
        if attempt < 3:
            assert state == "queued"
            row = await Document.select(Document.not_before).where(Document.id == doc_id).first()
            assert row and row["not_before"] > time.time()
            assert await queue.claim(services.engine, "w", 30) is None, "not before the backoff"
            await asyncio.sleep(0.05 * 2 ** (attempt - 1) + 0.05)
    assert state == "failed"
    doc = await Document.objects().get(Document.id == doc_id)
    assert "gave up after 3 attempts" in doc.failure_reason


async def test_permanent_failure_is_immediate_and_retry_requeues(
    services: Services, tmp_path: Path
) -> None:
    (doc_id,) = await _queued(services, tmp_path, 1)
    claimed = await queue.claim(services.engine, "w", 30)
    assert claimed
    state = await queue.fail(
        doc_id,
        "w",
        code="encrypted",
        reason="This PDF is protected by a password.",
        permanent=True,
        attempts=1,
        max_attempts=5,
        backoff_seconds=1,
    )
    assert state == "failed"
    assert await queue.retry([doc_id]) == [doc_id]
    doc = await Document.objects().get(Document.id == doc_id)
    assert (doc.state, doc.attempts, doc.failure_reason) == ("queued", 0, "")
    assert await queue.retry(None) == []
