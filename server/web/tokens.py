"""Per-user API tokens: made and revoked on the account page, shown once, stored as SHA-256."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import CAREGIVER, RANK, Caller
from server.access.scope import load_caller
from server.db.tables import ApiToken, Profile, Session, User
from server.people.auth import token_hash
from server.web._common import caller_of, render
from server.web.documents import profiles_for

PREFIX = "kc_"
MAX_TOKENS = 50  # per user, live ones


async def create_token(caller: Caller, name: str, slugs: list[str]) -> tuple[str, dict[str, Any]]:
    """A new token for `caller`, limited to the named profiles where they may upload."""
    name = name.strip()[:100]
    if not name:
        raise TokenError("Give the token a name, such as the app or device that will use it.")
    may = {p["slug"]: p["id"] for p in await profiles_for(caller, "upload")}
    chosen = sorted({may[s] for s in slugs if s in may})
    if not chosen or len(chosen) != len(set(slugs)):
        raise TokenError("Choose at least one profile you may add documents to.")
    live = await ApiToken.count().where(
        (ApiToken.user == caller.user_id) & ApiToken.revoked_at.is_null()
    )
    if live >= MAX_TOKENS:
        raise TokenError(f"You have {live} tokens; revoke some you no longer use first.")
    raw = PREFIX + secrets.token_urlsafe(32)
    rows = await ApiToken.insert(
        ApiToken(user=caller.user_id, name=name, token_hash=token_hash(raw), profiles=chosen)
    ).returning(ApiToken.id, ApiToken.name)
    return raw, rows[0]


class TokenError(Exception):
    """A token cannot be made as asked; the message says why."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


async def caller_for_token(raw: str) -> Caller | None:
    """The caller a token speaks for: its owner, only on its profiles, never more than caregiver."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    row = (
        await ApiToken.select()
        .where(ApiToken.token_hash == token_hash(raw))
        .output(load_json=True)
        .first()
    )
    if row is None or row["revoked_at"] is not None:
        return None
    user = await User.select().where(User.id == row["user"]).first()
    if user is None or user["disabled"]:
        return None
    full = await load_caller(user)
    allowed = set(row["profiles"] or [])
    roles = {
        pid: role if RANK[role] <= RANK[CAREGIVER] else CAREGIVER
        for pid, role in full.roles.items()
        if pid in allowed
    }
    now = datetime.now(UTC)
    if row["last_used"] is None or now - row["last_used"] > timedelta(minutes=1):
        await ApiToken.update({ApiToken.last_used: now}).where(ApiToken.id == row["id"])
    # Admin powers (the triage queue) never travel with a token.
    return Caller(full.user_id, full.username, full.display_name, False, roles)


async def listing(caller: Caller) -> dict[str, Any]:
    """The account page's token section: the caller's tokens and where new ones may upload."""
    names = {
        p["id"]: p["display_name"] for p in await Profile.select(Profile.id, Profile.display_name)
    }
    rows = (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.name,
            ApiToken.profiles,
            ApiToken.created_at,
            ApiToken.last_used,
            ApiToken.revoked_at,
        )
        .where(ApiToken.user == caller.user_id)
        .order_by(ApiToken.id, ascending=False)
        .output(load_json=True)
    )
    for r in rows:
        r["profile_names"] = [names[i] for i in r["profiles"] or [] if i in names]
    return {"tokens": rows, "token_profiles": await profiles_for(caller, "upload")}


async def _account_page(
    request: Request, caller: Caller, status: int = 200, **extra: Any
) -> Response:
    context = {
        "sessions": await Session.count().where(Session.user == caller.user_id),
        **await listing(caller),
        **extra,
    }
    return render(request, "accounts/account.html", context, status_code=status)


async def token_create(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    try:
        raw, row = await create_token(
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
    rows = (
        await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)})
        .where(
            (ApiToken.id == token_id)
            & (ApiToken.user == caller.user_id)  # only one's own tokens
            & ApiToken.revoked_at.is_null()
        )
        .returning(ApiToken.name)
    )
    if rows:
        await audit.record(
            "api_token_revoked",
            caller=caller,
            request=request,
            subject=caller.username,
            name=rows[0]["name"],
        )
    return RedirectResponse("/account#tokens", status_code=303)


routes = [
    Route("/account/tokens", token_create, methods=["POST"]),
    Route("/account/tokens/{token_id}/revoke", token_revoke, methods=["POST"]),
]
