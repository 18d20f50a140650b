"""Household admin: users, the triage queue of unfiled documents, and account events."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import Caller
from server.documents import service as documents
from server.people import accounts, household
from server.people.household import HouseholdError
from server.web._common import admin_of, done, render


async def _users_page(
    request: Request, caller: Caller, status: int = 200, **extra: object
) -> Response:
    context = {"users": await accounts.users(caller), **extra}
    return render(request, "admin/users.html", context, status_code=status)


async def users(request: Request) -> Response:
    return await _users_page(request, admin_of(request))


async def user_add(request: Request) -> Response:
    caller = admin_of(request)
    form = await request.form()
    try:
        user = await household.add_user(
            str(form.get("username", "")),
            str(form.get("password", "")),
            display_name=str(form.get("display_name", "")),
            is_admin=form.get("is_admin") == "on",
        )
    except HouseholdError as exc:
        return await _users_page(request, caller, 400, error=exc.user_message)
    await audit.record(
        "user_added",
        caller=caller,
        request=request,
        subject=user["username"],
        admin=user["is_admin"],
    )
    return done(request, "/admin/users", f"Added {user['username']}.")


async def _user(request: Request, caller: Caller) -> dict[str, Any]:
    try:
        user_id = int(request.path_params["user_id"])
    except ValueError:
        user_id = -1
    row = await accounts.user(caller, user_id)
    if row is None:
        raise HTTPException(404, "No such user.")
    return row


async def user_disable(request: Request) -> Response:
    caller = admin_of(request)
    user = await _user(request, caller)
    disable = request.url.path.endswith("/disable")
    try:
        await household.set_disabled(user["id"], disable)
    except HouseholdError as exc:
        return await _users_page(request, caller, 400, error=exc.user_message)
    kind = "user_disabled" if disable else "user_enabled"
    await audit.record(kind, caller=caller, request=request, subject=user["username"])
    what = "disabled: they are logged out and cannot log in" if disable else "enabled again"
    return done(request, "/admin/users", f"{user['username']} is {what}.")


async def user_reset(request: Request) -> Response:
    caller = admin_of(request)
    user = await _user(request, caller)
    form = await request.form()
    try:
        await household.reset_password(user["id"], str(form.get("password", "")))
    except HouseholdError as exc:
        return await _users_page(request, caller, 400, error=exc.user_message)
    await audit.record("password_reset", caller=caller, request=request, subject=user["username"])
    return done(request, "/admin/users", f"New password set for {user['username']}.")


async def account_audit(request: Request) -> Response:
    admin_of(request)
    return render(request, "admin/audit.html", {"events": await audit.account_events()})


async def triage(request: Request) -> Response:
    caller = admin_of(request)
    return render(request, "admin/triage.html", await documents.triage(caller))


routes = [
    Route("/admin/users", users, methods=["GET"]),
    Route("/admin/users", user_add, methods=["POST"]),
    Route("/admin/users/{user_id}/disable", user_disable, methods=["POST"]),
    Route("/admin/users/{user_id}/enable", user_disable, methods=["POST"]),
    Route("/admin/users/{user_id}/password", user_reset, methods=["POST"]),
    Route("/admin/audit", account_audit, methods=["GET"]),
    Route("/triage", triage, methods=["GET"]),
]
