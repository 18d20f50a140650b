"""Appointments per person (viewers read; owners and caregivers add, change, delete) and the
per-user calendar feed: its secret address on the account page, and the feed itself, which
answers to whoever holds a live address (like a share link) and to nobody else."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import Caller
from server.appointments import feed, service
from server.appointments.service import AppointmentError
from server.health import medications
from server.people import accounts
from server.web._common import caller_of, done, render


def _id(request: Request) -> int:
    try:
        return int(request.path_params["appt_id"])
    except ValueError:
        raise HTTPException(404, "No such appointment.") from None


async def appointments_page(
    request: Request, error: AppointmentError | None = None, values: Any = None
) -> Response:
    caller = caller_of(request)
    context = await service.listing(caller, request.path_params["slug"])
    context.update(
        section="appointments",
        can_edit=caller.may("edit", context["profile"]["id"]),
        error=error,
        values=values or {},
        chosen=[str(d) for d in (values or {}).get("documents", [])],
    )
    return render(request, "appointments/list.html", context, status_code=400 if error else 200)


async def add(request: Request) -> Response:
    caller = caller_of(request)
    slug = request.path_params["slug"]
    form = await request.form()
    try:
        row = await service.add(caller, slug, form, request)
    except AppointmentError as exc:
        values = {**dict(form), "documents": form.getlist("documents")}
        return await appointments_page(request, exc, values)
    return done(request, f"/profiles/{slug}/appointments#appt-{row['id']}", "Appointment added.")


async def edit_form(
    request: Request, error: AppointmentError | None = None, values: Any = None
) -> Response:
    caller = caller_of(request)
    row = await service.appointment_for(caller, request.path_params["slug"], _id(request), "edit")
    profile = row.pop("profile_row")
    if values is None:
        values = {k: row[k] for k in service.FIELDS}
        values["documents"] = row["documents"] or []
    context = {
        "profile": profile,
        "appt": row,
        "values": values,
        "chosen": [str(d) for d in values.get("documents", [])],
        "documents": await service.documents_of(profile["id"]),
        "error": error,
        "section": "appointments",
    }
    return render(request, "appointments/edit.html", context, status_code=400 if error else 200)


async def change(request: Request) -> Response:
    caller = caller_of(request)
    slug = request.path_params["slug"]
    form = await request.form()
    try:
        row = await service.change(caller, slug, _id(request), form, request)
    except AppointmentError as exc:
        return await edit_form(request, exc, {**dict(form), "documents": form.getlist("documents")})
    return done(request, f"/profiles/{slug}/appointments#appt-{row['id']}", "Appointment saved.")


async def delete(request: Request) -> Response:
    caller = caller_of(request)
    slug = request.path_params["slug"]
    await service.delete(caller, slug, _id(request), request)
    return done(request, f"/profiles/{slug}/appointments", "Appointment deleted.")


async def prepare(request: Request) -> Response:
    """"Prepare for this visit": the person's questions, the medication list to go through
    with the clinician, the linked documents and the printable summary, on one printable page.
    Whoever may see the appointment may print it."""
    caller = caller_of(request)
    row = await service.appointment_for(caller, request.path_params["slug"], _id(request), "view")
    profile = row.pop("profile_row")
    docs = {d["id"]: d for d in await service.documents_of(profile["id"])}
    row["linked"] = [docs[d] for d in row["documents"] or [] if d in docs]
    context = {
        "profile": profile,
        "appt": row,
        "meds": await medications.of_profile(profile["id"]),
        "can_edit": caller.may("edit", profile["id"]),
        "section": "appointments",
    }
    return render(request, "appointments/prepare.html", context)


# The calendar feed ----------------------------------------------------------------------


async def _account_page(request: Request, caller: Caller, **extra: Any) -> Response:
    context = {**await accounts.overview(caller), **extra}
    context["calendar_feed"] = await feed.status(caller)
    return render(request, "accounts/account.html", context)


async def feed_regenerate(request: Request) -> Response:
    caller = caller_of(request)
    raw = await feed.regenerate(caller)
    await audit.record(
        "calendar_feed_created", caller=caller, request=request, subject=caller.username
    )
    url = f"{str(request.base_url).rstrip('/')}/calendar/{raw}.ics"
    # Shown in this response only: the address is stored as a hash.
    return await _account_page(request, caller, new_calendar_url=url)


async def feed_revoke(request: Request) -> Response:
    caller = caller_of(request)
    if await feed.revoke(caller):
        await audit.record(
            "calendar_feed_revoked", caller=caller, request=request, subject=caller.username
        )
    return done(request, "/account#calendar", "Calendar address revoked: it no longer works.")


async def calendar_feed(request: Request) -> Response:
    caller = await feed.caller_for(request.path_params["feed_token"])
    if caller is None:
        raise HTTPException(404, "No such calendar.")
    body = await feed.calendar(caller, str(request.base_url).rstrip("/"))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": 'inline; filename="kinchart.ics"',
        },
    )


routes = [
    Route("/profiles/{slug}/appointments", appointments_page, methods=["GET"]),
    Route("/profiles/{slug}/appointments", add, methods=["POST"]),
    Route("/profiles/{slug}/appointments/{appt_id}/edit", edit_form, methods=["GET"]),
    Route("/profiles/{slug}/appointments/{appt_id}", change, methods=["POST"]),
    Route("/profiles/{slug}/appointments/{appt_id}/delete", delete, methods=["POST"]),
    Route("/profiles/{slug}/appointments/{appt_id}/prepare", prepare, methods=["GET"]),
    Route("/account/calendar", feed_regenerate, methods=["POST"]),
    Route("/account/calendar/revoke", feed_revoke, methods=["POST"]),
    Route("/calendar/{feed_token}.ics", calendar_feed, methods=["GET"]),
]
