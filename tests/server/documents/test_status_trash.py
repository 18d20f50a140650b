"""Documents in a trash are nobody's work: `kinchart status` counts them apart ("in the trash:
N"), never as queued, being read or failed, and the stalled-queue check of /healthz ignores
them (a deleted document left queued, or left "processing" by a worker that died)."""

from __future__ import annotations

import datetime
import json

from server.db.tables import FAILED, PROCESSING, QUEUED, READY, Document
from server.documents import queue
from server.runtime import Services
from tests.fixtures.procs import kinchart

LONG_AGO = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=30)


async def _doc(name: str, state: str, *, trashed: bool) -> int:
    rows = await Document.insert(
        Document(
            sha256=name[0] * 64, original_name=name, size=1, state=state, updated_at=LONG_AGO,
            trashed_at=LONG_AGO if trashed else None, failure_reason="Could not read it.",
        )
    ).returning(Document.id)  # fmt: skip
    return int(rows[0]["id"])


async def test_status_counts_trashed_documents_apart(
    services: Services, env: dict[str, str]
) -> None:
    await _doc("ready.pdf", READY, trashed=False)
    await _doc("failed.pdf", FAILED, trashed=False)
    await _doc("queued-deleted.pdf", QUEUED, trashed=True)
    await _doc("failed-deleted.pdf", FAILED, trashed=True)
    await _doc("xready-deleted.pdf", READY, trashed=True)
    assert await queue.counts() == {
        QUEUED: 0, PROCESSING: 0, READY: 1, FAILED: 1, queue.TRASHED: 3
    }  # fmt: skip

    r = kinchart("status", "--json", env=env)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["counts"] == {"queued": 0, "processing": 0, "ready": 1, "failed": 1, "trashed": 3}
    assert [f["original_name"] for f in data["failures"]] == ["failed.pdf"]
    r = kinchart("status", env=env)
    assert r.returncode == 0, r.stderr
    assert "queued: 0" in r.stdout and "failed: 1" in r.stdout
    assert "in the trash: 3" in r.stdout
    assert "failed-deleted.pdf" not in r.stdout


async def test_a_stalled_queue_check_ignores_trashed_documents(services: Services) -> None:
    deleted = await _doc("queued-deleted.pdf", QUEUED, trashed=True)
    assert await queue.stalled() is None  # waiting for 30 minutes, but in the trash
    # A deleted document left "processing" (its worker died) does not hide a real stall.
    await Document.update({Document.state: PROCESSING}).where(Document.id == deleted)
    waiting = await _doc("waiting.pdf", QUEUED, trashed=False)
    waited = await queue.stalled()
    assert waited is not None and waited > 25 * 60
    # A live document being read: the queue moves.
    await Document.update({Document.state: PROCESSING}).where(Document.id == waiting)
    await _doc("next.pdf", QUEUED, trashed=False)
    assert await queue.stalled() is None
