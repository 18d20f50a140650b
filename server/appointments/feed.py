"""Each user's calendar feed: an iCalendar file at a secret address that calendar apps poll.

The address holds 256 random bits; only their SHA-256 is stored, so the address is shown once,
when made. Making a new one revokes the old one. What the feed holds is decided at each
request: the appointments of the profiles its user may see *now* (a grant revoked since, or
a disabled account, and they are gone from it).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from server.access.policy import Caller
from server.access.scope import load_caller, profiles_for
from server.appointments import service
from server.db.tables import CalendarFeed, User

DURATION = timedelta(hours=1)  # a visit with no end written down


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def status(caller: Caller) -> dict[str, Any] | None:
    """The caller's live feed (when it was made), or None."""
    row: dict[str, Any] | None = (
        await CalendarFeed.select(CalendarFeed.id, CalendarFeed.created_at)
        .where((CalendarFeed.user == caller.user_id) & CalendarFeed.revoked_at.is_null())
        .first()
    )
    return row


async def revoke(caller: Caller) -> bool:
    """Revoke the caller's feed address; whether there was one."""
    rows = await (
        CalendarFeed.update({CalendarFeed.revoked_at: datetime.now(UTC)})
        .where((CalendarFeed.user == caller.user_id) & CalendarFeed.revoked_at.is_null())
        .returning(CalendarFeed.id)
    )
    return bool(rows)


async def regenerate(caller: Caller) -> str:
    """A new secret address token for the caller (the old one stops working)."""
    await revoke(caller)
    raw = secrets.token_urlsafe(32)
    await CalendarFeed.insert(CalendarFeed(user=caller.user_id, token_hash=token_hash(raw)))
    return raw


async def caller_for(raw: str) -> Caller | None:
    """Whom a feed token speaks for, with their grants as they are now; None if it is not live."""
    if not raw or len(raw) > 100:
        return None
    row = (
        await CalendarFeed.select(CalendarFeed.user, CalendarFeed.revoked_at)
        .where(CalendarFeed.token_hash == token_hash(raw))
        .first()
    )
    if row is None or row["revoked_at"] is not None:
        return None
    user = await User.select().where(User.id == row["user"]).first()
    if user is None or user["disabled"]:
        return None
    return await load_caller(user)


async def calendar(caller: Caller, site: str) -> bytes:
    """The feed's iCalendar text: upcoming and recent appointments the caller may see now."""
    names = {p["id"]: p["display_name"] for p in await profiles_for(caller, "view")}
    slugs = {p["id"]: p["slug"] for p in await profiles_for(caller, "view")}
    rows = await service.upcoming(caller, limit=1000)
    return build(rows, names, slugs, site)


def build(
    rows: Iterable[Mapping[str, Any]], names: Mapping[int, str], slugs: Mapping[int, str], site: str
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Kinchart//Appointments//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Kinchart appointments")
    stamp = datetime.now(UTC)
    for row in rows:
        pid = row["profile"]
        if pid not in names:  # never another profile's (service.upcoming already scopes)
            continue
        event = Event()
        event.add("uid", f"appointment-{row['id']}@{site}")
        event.add("dtstamp", stamp)
        start = service.starts(row)
        event.add("dtstart", start)
        if isinstance(start, datetime):
            event.add("dtend", start + DURATION)
        what = row["reason"] or "Appointment"
        with_whom = f" with {row['clinician']}" if row["clinician"] else ""
        event.add("summary", f"{names[pid]}: {what}{with_whom}")
        if row["place"]:
            event.add("location", row["place"])
        notes = [row["notes"], f"Follow-up: {row['follow_up']}" if row["follow_up"] else ""]
        description = "\n\n".join(n for n in notes if n)
        if description:
            event.add("description", description)
        event.add("url", f"{site}/profiles/{slugs[pid]}/appointments")
        cal.add_component(event)
    return cal.to_ical()
