"""`kinchart purge-trash`: documents deleted long enough ago are deleted for good, as the
server does every hour; the rest of the trash and the live documents stay."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from server.db.tables import Document
from tests.fixtures.people import make_household
from tests.fixtures.procs import kinchart


async def test_purge_trash_deletes_what_waited_long_enough(
    services: Any, env: dict[str, str]
) -> None:
    household = await make_household(services.store)
    doc, kid = household.docs["dad"], household.docs["kid"]
    now = datetime.now(UTC)
    await Document.update({Document.trashed_at: now - timedelta(days=40)}).where(Document.id == doc)
    await Document.update({Document.trashed_at: now - timedelta(days=3)}).where(Document.id == kid)
    proc = await asyncio.to_thread(kinchart, "purge-trash", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "purged 1 document(s) deleted more than 30 day(s) ago" in proc.stdout
    left = {r["id"] for r in await Document.select(Document.id)}
    assert doc not in left and kid in left and household.docs["unfiled"] in left
    assert not services.store.derived_dir(doc).exists()
    proc = await asyncio.to_thread(kinchart, "purge-trash", "--days", "0", env=env)
    assert proc.returncode == 0 and "purged 1 document(s)" in proc.stdout
    assert {r["id"] for r in await Document.select(Document.id)} == {household.docs["unfiled"]}
