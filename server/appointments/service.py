"""Appointments of a profile: viewers read them, owners and caregivers add, change and delete.

Every call checks access through `server.access.scope`; an appointment is reached only
through its profile, so an id of another profile's appointment is "not found".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from starlette.requests import Request

from server.access import audit
from server.access.policy import Caller
from server.access.scope import LIVE, profile_for, profiles_for
from server.db.tables import Appointment, Document
from server.errors import BadInput, NotFound

FIELDS = ("day", "time", "clinician", "place", "reason", "notes", "follow_up")
_SHORT = 255
_LONG = 5000


class AppointmentError(BadInput):
    """An appointment cannot be saved as entered; `field` names what to change."""

    def __init__(self, field: str, user_message: str) -> None:
        super().__init__(user_message)
        self.field = field


class NoSuchAppointment(NotFound):
    user_message = "No such appointment."


def cleaned(form: Mapping[str, Any], allowed_docs: set[int]) -> dict[str, Any]:
    """The columns from a submitted form; raises AppointmentError."""
    text = {k: str(form.get(k, "") or "").strip() for k in FIELDS}
    try:
        day = date.fromisoformat(text["day"])
    except ValueError:
        raise AppointmentError("day", "Enter the day as YYYY-MM-DD, like 2027-01-15.") from None
    if not 1900 <= day.year <= 2200:
        raise AppointmentError("day", "That day is not between 1900 and 2200.")
    time = text["time"]
    if time and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", time):
        raise AppointmentError("time", "Enter the time as HH:MM (24-hour), like 09:30.")
    for name in ("clinician", "place", "reason"):
        text[name] = " ".join(text[name].split())
        if len(text[name]) > _SHORT:
            raise AppointmentError(name, f"At most {_SHORT} characters here.")
    for name in ("notes", "follow_up"):
        if len(text[name]) > _LONG:
            raise AppointmentError(name, f"At most {_LONG} characters here.")
    if not (text["clinician"] or text["reason"] or text["place"]):
        raise AppointmentError("reason", "Say who, where or what the appointment is for.")
    docs: list[int] = []
    for value in _getlist(form, "documents"):
        try:
            doc = int(value)
        except ValueError:
            raise AppointmentError("documents", "Choose documents from the list.") from None
        if doc not in allowed_docs:
            raise AppointmentError("documents", "Choose documents from the list.")
        if doc not in docs:
            docs.append(doc)
    return {**text, "day": day, "time": time, "documents": docs}


def _getlist(form: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name) if str(v)]
    value = form.get(name)
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])


async def documents_of(profile_id: int) -> list[dict[str, Any]]:
    """The profile's documents an appointment may link to (call after an access check)."""
    return list(
        await Document.select(
            Document.id, Document.original_name, Document.title, Document.doc_date
        )
        .where((Document.profile == profile_id) & LIVE)
        .order_by(Document.id, ascending=False)
        .limit(500)
    )


async def listing(caller: Caller, slug: str) -> dict[str, Any]:
    """The profile's appointments: upcoming (soonest first) and past (latest first)."""
    profile = await profile_for(caller, slug, "view")
    rows = list(
        await Appointment.select()
        .where(Appointment.profile == profile["id"])
        .order_by(Appointment.day)
        .order_by(Appointment.time)
        .output(load_json=True)
    )
    docs = {d["id"]: d for d in await documents_of(profile["id"])}
    for row in rows:
        row["linked"] = [docs[d] for d in row["documents"] or [] if d in docs]
    today = date.today()
    return {
        "profile": profile,
        "upcoming": [r for r in rows if r["day"] >= today],
        "past": [r for r in reversed(rows) if r["day"] < today],
        "documents": list(docs.values()),
    }


async def appointment_for(caller: Caller, slug: str, appt_id: int, action: str) -> dict[str, Any]:
    profile = await profile_for(caller, slug, action)
    row = (
        await Appointment.select()
        .where((Appointment.id == appt_id) & (Appointment.profile == profile["id"]))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NoSuchAppointment()
    row["profile_row"] = profile
    return row


async def add(
    caller: Caller, slug: str, form: Mapping[str, Any], request: Request | None = None
) -> dict[str, Any]:
    profile = await profile_for(caller, slug, "edit")
    allowed = {d["id"] for d in await documents_of(profile["id"])}
    values = cleaned(form, allowed)
    rows = await Appointment.insert(
        Appointment(profile=profile["id"], created_by=caller.user_id, **values)
    ).returning(Appointment.id)
    await audit.record(
        "appointment_added", caller=caller, request=request, profile=profile["id"],
        appointment=rows[0]["id"], day=values["day"].isoformat(),
    )  # fmt: skip
    return {"id": rows[0]["id"], **values}


async def change(
    caller: Caller, slug: str, appt_id: int, form: Mapping[str, Any], request: Request | None = None
) -> dict[str, Any]:
    row = await appointment_for(caller, slug, appt_id, "edit")
    allowed = {d["id"] for d in await documents_of(row["profile"])}
    values = cleaned(form, allowed)
    await Appointment.update({getattr(Appointment, k): v for k, v in values.items()}).where(
        Appointment.id == appt_id
    )
    await audit.record(
        "appointment_changed", caller=caller, request=request, profile=row["profile"],
        appointment=appt_id, day=values["day"].isoformat(),
    )  # fmt: skip
    return {"id": appt_id, **values}


async def delete(
    caller: Caller, slug: str, appt_id: int, request: Request | None = None
) -> dict[str, Any]:
    row = await appointment_for(caller, slug, appt_id, "edit")
    await Appointment.delete().where(Appointment.id == appt_id)
    await audit.record(
        "appointment_deleted", caller=caller, request=request, profile=row["profile"],
        appointment=appt_id, day=row["day"].isoformat(),
    )  # fmt: skip
    return row


async def upcoming(caller: Caller, limit: int = 200) -> list[dict[str, Any]]:
    """Appointments from today on, of every profile the caller may see, soonest first."""
    ids = [p["id"] for p in await profiles_for(caller, "view")]
    if not ids:
        return []
    return list(
        await Appointment.select()
        .where(Appointment.profile.is_in(ids) & (Appointment.day >= date.today()))
        .order_by(Appointment.day)
        .order_by(Appointment.time)
        .limit(limit)
        .output(load_json=True)
    )


def starts(row: Mapping[str, Any]) -> datetime | date:
    """When it starts: a (floating) date and time, or the day for an all-day appointment."""
    if row["time"]:
        hour, minute = (int(x) for x in row["time"].split(":"))
        return datetime(row["day"].year, row["day"].month, row["day"].day, hour, minute)
    day: date = row["day"]
    return day
