"""The home page: for each person the caller cares for, what is new and what needs them.

Bounded queries over all of the caller's profiles at once (never every fact of a record):
documents read lately, facts still to check, results newly out of range, upcoming
appointments, and documents waiting, being read or failed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.query.functions.aggregate import Count

from server.access.policy import Caller
from server.access.scope import LIVE, profiles_for
from server.appointments import service as appointments
from server.db.tables import EXTRACTED, FAILED, PROCESSING, QUEUED, READY, Document, Fact

RECENT_DAYS = 14
SHOWN = 3  # items of each kind named per person; the rest are counted
SCAN = 200  # rows read per kind, at most, for everyone together


async def overview(caller: Caller, now: datetime | None = None) -> list[dict[str, Any]]:
    """One entry per profile the caller sees, in the switcher's order."""
    profiles = await profiles_for(caller, "view")
    if not profiles:
        return []
    ids = [p["id"] for p in profiles]
    since = (now or datetime.now(UTC)) - timedelta(days=RECENT_DAYS)
    doc_cols = (
        Document.id,
        Document.profile,
        Document.original_name,
        Document.title,
        Document.doc_type,
        Document.doc_date,
        Document.provider,
        Document.facility,
        Document.created_at,
        Document.state,
        Document.failure_reason,
    )
    recent = (
        await Document.select(*doc_cols)
        .where(
            Document.profile.is_in(ids)
            & (Document.state == READY)
            & (Document.created_at >= since)
            & LIVE
        )
        .order_by(Document.id, ascending=False)
        .limit(SCAN)
    )
    busy = (
        await Document.select(*doc_cols)
        .where(
            Document.profile.is_in(ids)
            & Document.state.is_in([QUEUED, PROCESSING, FAILED])
            & LIVE
        )
        .order_by(Document.id, ascending=False)
        .limit(SCAN)
    )
    waiting = await (
        Fact.select(Fact.profile, Count(Fact.id, alias="n"))
        # Another source's copy of a result is reviewed with it (server/facts/same.py).
        .where(Fact.profile.is_in(ids) & (Fact.status == EXTRACTED) & Fact.same_as.is_null())
        .group_by(Fact.profile)
    )
    flagged = (
        await Fact.select(
            Fact.id,
            Fact.profile,
            Fact.document,
            Fact.name,
            Fact.value_text,
            Fact.unit,
            Fact.flag,
            Fact.page,
            Fact.effective,
        )
        .where(
            Fact.profile.is_in(ids)
            & (Fact.kind == "lab")
            & (Fact.flag != "")
            & (Fact.status != "rejected")
            & Fact.same_as.is_null()
            & (Fact.created_at >= since)
        )
        .order_by(Fact.id, ascending=False)
        .limit(SCAN)
    )
    coming = await appointments.upcoming(caller, limit=SCAN)
    out = []
    for p in profiles:
        pid = p["id"]
        mine_recent = [d for d in recent if d["profile"] == pid]
        mine_busy = [d for d in busy if d["profile"] == pid]
        mine_flagged = [f for f in flagged if f["profile"] == pid]
        mine_coming = [a for a in coming if a["profile"] == pid]
        out.append(
            {
                "profile": p,
                "role": caller.role(pid),
                "recent": mine_recent[:SHOWN],
                "recent_count": len(mine_recent),
                "to_review": next((int(w["n"]) for w in waiting if w["profile"] == pid), 0),
                "flagged": mine_flagged[:SHOWN],
                "flagged_count": len(mine_flagged),
                "failed": [d for d in mine_busy if d["state"] == FAILED][:SHOWN],
                "failed_count": sum(1 for d in mine_busy if d["state"] == FAILED),
                "reading": sum(1 for d in mine_busy if d["state"] != FAILED),
                "upcoming": mine_coming[:SHOWN],
                "upcoming_count": len(mine_coming),
            }
        )
    return out
