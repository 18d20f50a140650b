"""Per-user API tokens: made and revoked on the account page, shown once (server.people.tokens)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import Caller
from server.appointments import feed as calendar
from server.people import accounts, tokens
from server.people.tokens import TokenError
from server.web._common import caller_of, done, render


async def _account_page(
    request: Request, caller: Caller, status: int = 200, **extra: Any
) -> Response:
    context = {**await accounts.overview(caller), **extra}
    context["calendar_feed"] = await calendar.status(caller)
    return render(request, "accounts/account.html", context, status_code=status)


async def token_create(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    try:
        raw, row = await tokens.create_token(
            caller, str(form.get("name", "")), [str(s) for s in form.getlist("profile")]
        )
    except TokenError as exc:
        return await _account_page(request, caller, 400, token_error=exc.user_message)
    await audit.record(
        "api_token_created",
        caller=caller,
        request=request,
        subject=caller.username,
        name=row["name"],
    )
    # Shown in this response only: never in a URL, never stored.
    return await _account_page(request, caller, new_token=raw, new_token_name=row["name"])


async def token_revoke(request: Request) -> Response:
    caller = caller_of(request)
    try:
        token_id = int(request.path_params["token_id"])
    except ValueError:
        token_id = -1
    name = await tokens.revoke(caller, token_id)
    if name is not None:
        await audit.record(
            "api_token_revoked", caller=caller, request=request, subject=caller.username, name=name
        )
    if name is None:
        return RedirectResponse("/account#tokens", status_code=303)
    message = f"Token “{name}” revoked: apps using it can no longer upload."
    return done(request, "/account#tokens", message)


routes = [
    Route("/account/tokens", token_create, methods=["POST"]),
    Route("/account/tokens/{token_id}/revoke", token_revoke, methods=["POST"]),
]
