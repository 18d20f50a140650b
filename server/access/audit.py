"""The audit log: one function records; owners read their profiles' events, admins accounts'."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from server.access.policy import Caller
from server.db.tables import AuditEvent

# Events about accounts (admins see these); the rest concern a profile's records (owners).
ACCOUNT_EVENTS = (
    "login",
    "login_failed",
    "login_blocked",
    "logout",
    "logout_all",
    "password_changed",
    "password_reset",
    "user_added",
    "user_disabled",
    "user_enabled",
    "admin_created",
)


def hashed(name: str) -> str:
    """How the log names something it must not keep as typed (an unknown login name)."""
    return "unknown:" + hashlib.sha256(name.encode()).hexdigest()[:16]


def client_ip(request: Request | None) -> str:
    if request is None:
        return "cli"
    ip = request.scope.get("kinchart.client_ip")
    if ip:
        return str(ip)
    return request.client.host if request.client else ""


async def record(
    kind: str,
    *,
    caller: Caller | None = None,
    request: Request | None = None,
    actor_name: str = "",
    profile: int | None = None,
    document: int | None = None,
    subject: str = "",
    **detail: Any,
) -> int:
    """Record an event; its id (see `settle`)."""
    rows = await AuditEvent.insert(
        AuditEvent(
            kind=kind,
            actor=caller.user_id if caller else None,
            actor_name=((actor_name or caller.username) if caller else actor_name)[:64],
            profile=profile,
            document=document,
            subject=subject[:64],
            ip=client_ip(request)[:64],
            detail=detail,
        )
    ).returning(AuditEvent.id)
    return int(rows[0]["id"])


async def settle(event_id: int, kind: str | None) -> None:
    """Give an event recorded ahead of the outcome its final kind (None: it did not happen).

    A login attempt is recorded as failed before the password is checked (check-and-count);
    it becomes "login" when the password was right, or "login_blocked" when refused unchecked.
    """
    if kind is None:
        await AuditEvent.delete().where(AuditEvent.id == event_id)
    else:
        await AuditEvent.update({AuditEvent.kind: kind}).where(AuditEvent.id == event_id)


async def restamp(event_id: int) -> None:
    """Date an event recorded ahead of its outcome to now: a login attempt let through to its
    password check is dated when it was let through, not when its row was first built (under
    load an insert can wait on the write lock for a second, and the next delay counts from it).
    """
    await AuditEvent.update({AuditEvent.at: datetime.now(UTC)}).where(AuditEvent.id == event_id)


async def settle_refused(event_id: int) -> None:
    """A login attempt refused unchecked (it had to wait): counted in one "login_blocked" row
    per (address, account or hashed name, hour) with `detail.count`, so a flood of refused
    attempts adds a few rows, not one each. Admins see the rows and their counts.
    """
    row = (
        await AuditEvent.select(AuditEvent.ip, AuditEvent.subject, AuditEvent.at)
        .where(AuditEvent.id == event_id)
        .first()
    )
    if row is None:
        return
    at = row["at"] if row["at"].tzinfo else row["at"].replace(tzinfo=UTC)
    hour = at.replace(minute=0, second=0, microsecond=0)
    same = (
        (AuditEvent.kind == "login_blocked")
        & (AuditEvent.ip == row["ip"])
        & (AuditEvent.subject == row["subject"])
        & (AuditEvent.at >= hour)
        & (AuditEvent.id != event_id)
    )
    earlier = (
        await AuditEvent.select(AuditEvent.id, AuditEvent.detail)
        .where(same)
        .order_by(AuditEvent.id)
        .output(load_json=True)
        .first()
    )
    if earlier is None:
        await AuditEvent.update({AuditEvent.kind: "login_blocked"}).where(AuditEvent.id == event_id)
        return
    detail = earlier["detail"] if isinstance(earlier["detail"], dict) else {}
    detail = {**detail, "count": int(detail.get("count", 1)) + 1}
    await AuditEvent.update({AuditEvent.detail: detail}).where(AuditEvent.id == earlier["id"])
    await AuditEvent.delete().where(AuditEvent.id == event_id)


async def profile_events(profile_id: int, limit: int = 200) -> list[dict[str, Any]]:
    rows = (
        await AuditEvent.select(
            AuditEvent.at,
            AuditEvent.kind,
            AuditEvent.actor_name,
            AuditEvent.actor.display_name.as_alias("actor_display"),
            AuditEvent.document,
            AuditEvent.document.original_name.as_alias("document_name"),
            AuditEvent.subject,
            AuditEvent.detail,
        )
        .where(AuditEvent.profile == profile_id)
        .order_by(AuditEvent.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return list(rows)


async def account_events(limit: int = 300) -> list[dict[str, Any]]:
    rows = (
        await AuditEvent.select(
            AuditEvent.at,
            AuditEvent.kind,
            AuditEvent.actor_name,
            AuditEvent.actor.display_name.as_alias("actor_display"),
            AuditEvent.subject,
            AuditEvent.ip,
            AuditEvent.detail,
        )
        .where(AuditEvent.kind.is_in(list(ACCOUNT_EVENTS)))
        .order_by(AuditEvent.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return list(rows)
