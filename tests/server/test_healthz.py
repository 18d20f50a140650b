"""/healthz says when the queue does not move: documents due, none being read (issue 15)."""

from __future__ import annotations

import datetime

from starlette.applications import Starlette

from server.db.tables import Document
from server.documents import queue
from tests.server.conftest import new_client


async def _health(app: Starlette) -> tuple[int, dict]:
    app.state.stall_checked = -1e9  # read the queue now, not from the last few seconds
    async with new_client(app) as client:
        r = await client.get("/healthz")
    return r.status_code, r.json()


async def test_healthz_is_unhealthy_while_due_documents_wait_with_nobody_reading(
    app: Starlette,
) -> None:
    assert await _health(app) == (200, {"ok": True})
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=11)
    rows = await Document.insert(
        Document(sha256="b" * 64, original_name="waiting.pdf", size=1, updated_at=long_ago)
    ).returning(Document.id)
    status, body = await _health(app)
    assert status == 503 and not body["ok"] and "11 minutes" in body["reason"]
    # A worker takes it: the queue moves again.
    assert await queue.claim(app.state.services.engine, "worker", 60)
    assert await _health(app) == (200, {"ok": True})
    # Just queued (not waited long): healthy.
    await Document.update(
        {Document.state: "queued", Document.updated_at: datetime.datetime.now(datetime.UTC)}
    ).where(Document.id == rows[0]["id"])
    assert await _health(app) == (200, {"ok": True})
