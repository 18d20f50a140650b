"""The durable work queue: document states with leases, in the database."""

from __future__ import annotations

import datetime
import time
from typing import Any

from piccolo.engine.base import Engine
from piccolo.query.functions.aggregate import Count

from server.db.engine import write_transaction
from server.db.tables import FAILED, PROCESSING, QUEUED, READY, Document, Page


async def claim(engine: Engine, owner: str, lease_seconds: float) -> dict[str, Any] | None:
    """Claim the oldest due queued document for `owner`, or return None."""
    while True:  # each lost race means another worker took that row: progress is guaranteed
        now = time.time()
        row = (
            await Document.select(Document.id)
            .where(_due(now))
            .order_by(Document.id)
            .first()
        )
        if row is None:
            return None
        # Only one claimer can move the row out of `queued`; losers try the next one.
        won = (
            await Document.update(
                {
                    Document.state: PROCESSING,
                    Document.lease_owner: owner,
                    Document.lease_expires: now + lease_seconds,
                    Document.attempts: Document.attempts + 1,
                }
            )
            .where((Document.id == row["id"]) & _due(now))
            .returning(*Document.all_columns())
        )
        if won:
            return won[0]


async def renew(doc_id: int, owner: str, lease_seconds: float) -> bool:
    rows = (
        await Document.update({Document.lease_expires: time.time() + lease_seconds})
        .where(_held(doc_id, owner))
        .returning(Document.id)
    )
    return bool(rows)


async def requeue_expired() -> int:
    """Return documents whose worker stopped renewing its lease (killed, crashed) to the queue."""
    rows = (
        await Document.update({Document.state: QUEUED, Document.lease_owner: ""})
        .where((Document.state == PROCESSING) & (Document.lease_expires < time.time()))
        .returning(Document.id)
    )
    return len(rows)


async def release_owned(owner: str) -> int:
    """On a clean shutdown, hand this worker's documents straight back (no lease wait)."""
    rows = (
        await Document.update(
            {
                Document.state: QUEUED,
                Document.lease_owner: "",
                Document.attempts: Document.attempts - 1,
            }
        )
        .where((Document.state == PROCESSING) & (Document.lease_owner == owner))
        .returning(Document.id)
    )
    return len(rows)


async def release(doc_id: int, owner: str) -> bool:
    """Hand one document back to the queue without counting the attempt (the fault was not
    the document's: a database or disk error)."""
    rows = (
        await Document.update(
            {
                Document.state: QUEUED,
                Document.lease_owner: "",
                Document.attempts: Document.attempts - 1,
            }
        )
        .where(_held(doc_id, owner))
        .returning(Document.id)
    )
    return bool(rows)


async def being_read(doc_ids: set[int]) -> set[int]:
    """Those of `doc_ids` that some worker holds now."""
    if not doc_ids:
        return set()
    rows = await Document.select(Document.id).where(
        Document.id.is_in(list(doc_ids)) & (Document.state == PROCESSING)
    )
    return {r["id"] for r in rows}


async def store_reading(
    engine: Engine, doc_id: int, owner: str, values: dict[Any, Any], pages: list[Page]
) -> bool:
    """Store a reading's pages and columns, if this worker still holds the lease.

    The document stays `processing`: it is filed, its facts stored and indexed before
    `mark_ready` (documents/lifecycle.py).
    """
    async with write_transaction(engine):
        rows = (
            await Document.update({**values, Document.updated_at: _now()})
            .where(_held(doc_id, owner))
            .returning(Document.id)
        )
        if not rows:
            return False
        await Page.delete().where(Page.document == doc_id)
        if pages:
            await Page.insert(*pages)
    return True


async def stamp_final(doc_id: int, owner: str) -> bool:
    """Give the document the `updated_at` it keeps when ready, if this worker still holds the
    lease. It is indexed after this and `mark_ready` leaves the stamp alone, so the index's
    stamp is the database's and the catch-up finds nothing stale (search/projection.py)."""
    rows = (
        await Document.update({Document.updated_at: _now()})
        .where(_held(doc_id, owner))
        .returning(Document.id)
    )
    return bool(rows)


async def mark_ready(doc_id: int, owner: str) -> bool:
    """The last step of a document's life: ready, if this worker still holds the lease.
    `updated_at` is not changed here: it was made final before indexing (`stamp_final`)."""
    rows = (
        await Document.update(
            {
                Document.state: READY,
                Document.lease_owner: "",
                Document.failure_code: "",
                Document.failure_reason: "",
            }
        )
        .where(_held(doc_id, owner))
        .returning(Document.id)
    )
    return bool(rows)


def _due(now: float) -> Any:
    """Queued, its wait over, and not deleted meanwhile (a deleted document is read no more)."""
    return (
        (Document.state == QUEUED) & (Document.not_before <= now) & Document.trashed_at.is_null()
    )


def _held(doc_id: int, owner: str) -> Any:
    return (
        (Document.id == doc_id) & (Document.lease_owner == owner) & (Document.state == PROCESSING)
    )


async def fail(
    doc_id: int,
    owner: str,
    *,
    code: str,
    reason: str,
    permanent: bool,
    attempts: int,
    max_attempts: int,
    backoff_seconds: float,
    extra: dict[Any, Any] | None = None,
) -> str | None:
    """Record a failed attempt: retry later with backoff, or fail for good; return the state."""
    if permanent or attempts >= max_attempts:
        if not permanent:
            reason = f"{reason} (gave up after {attempts} attempts)"
        values: dict[Any, Any] = {Document.state: FAILED}
    else:
        delay = backoff_seconds * (2 ** max(0, attempts - 1))
        values = {Document.state: QUEUED, Document.not_before: time.time() + delay}
    values.update(
        {
            Document.failure_code: code,
            Document.failure_reason: reason,
            Document.lease_owner: "",
            Document.updated_at: _now(),
            **(extra or {}),
        }
    )
    rows = await Document.update(values).where(_held(doc_id, owner)).returning(Document.state)
    return rows[0]["state"] if rows else None


async def retry(doc_ids: list[int] | None = None) -> list[int]:
    """Put failed documents back in the queue (all failed ones when `doc_ids` is None)."""
    return await _requeue([FAILED], doc_ids)


async def reread(doc_ids: list[int] | None = None) -> list[int]:
    """Put ready or failed documents back in the queue to be read again (all when `doc_ids` is
    None): their page images and PDF are made again, their pages and unreviewed facts
    replaced; facts a person reviewed are kept (facts/persist.py)."""
    return await _requeue([READY, FAILED], doc_ids)


async def _requeue(states: list[str], doc_ids: list[int] | None) -> list[int]:
    """Documents in `states` (those of `doc_ids`, or all) queued afresh: no attempts, no wait,
    no failure left on them."""
    where: Any = Document.state.is_in(states) & Document.trashed_at.is_null()
    if doc_ids is not None:
        where = where & Document.id.is_in(doc_ids or [-1])
    rows = (
        await Document.update(
            {
                Document.state: QUEUED,
                Document.attempts: 0,
                Document.not_before: 0.0,
                Document.failure_code: "",
                Document.failure_reason: "",
                Document.updated_at: _now(),
            }
        )
        .where(where)
        .returning(Document.id)
    )
    return [r["id"] for r in rows]


# A document due in the queue this long, while none is being read, means the workers are
# stalled (dead, or stuck on a database they cannot reach): /healthz says so.
STALL_SECONDS = 600.0
TRASHED = "trashed"  # the count of documents in a trash, beside the states (`counts`)


async def stalled(after_s: float = STALL_SECONDS) -> float | None:
    """How long the oldest due document has waited when nothing is being read and it has
    waited more than `after_s` seconds; None when the queue moves."""
    # Documents in a trash are nobody's work: one left "processing" does not hide a stall.
    if await Document.exists().where(
        (Document.state == PROCESSING) & Document.trashed_at.is_null()
    ):
        return None
    now = time.time()
    oldest = (
        await Document.select(Document.updated_at)
        .where(_due(now))
        .order_by(Document.updated_at)
        .first()
    )
    if oldest is None:
        return None
    waited = now - oldest["updated_at"].timestamp()
    return waited if waited > after_s else None


async def counts() -> dict[str, int]:
    """Documents per state, and apart from them those in a trash (`TRASHED`): a deleted
    document is no work queued, being read or failed, whatever state it was left in."""
    out = dict.fromkeys((QUEUED, PROCESSING, READY, FAILED), 0)
    query = Document.select(Document.state, Count(Document.id, alias="n")).where(
        Document.trashed_at.is_null()
    )
    for row in await query.group_by(Document.state):
        out[row["state"]] = row["n"]
    out[TRASHED] = await Document.count().where(Document.trashed_at.is_not_null())
    return out


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
