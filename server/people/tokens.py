"""Per-user API tokens: made and revoked by their user, shown once, stored as SHA-256."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from server.access.policy import CAREGIVER, RANK, Caller
from server.access.scope import load_caller, profiles_for
from server.db.tables import ApiToken, Profile, User
from server.errors import BadInput
from server.people.auth import token_hash

PREFIX = "kc_"
MAX_TOKENS = 50  # per user, live ones


async def create_token(caller: Caller, name: str, slugs: list[str]) -> tuple[str, dict[str, Any]]:
    """A new token for `caller`, limited to the named profiles where they may upload."""
    may = {p["slug"]: p["id"] for p in await profiles_for(caller, "upload")}
    name = name.strip()[:100]
    if not name:
        raise TokenError("Give the token a name, such as the app or device that will use it.")
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


class TokenError(BadInput):
    """A token cannot be made as asked; the message says why."""


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
    uploadable = await profiles_for(caller, "upload")
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
    return {"tokens": rows, "token_profiles": uploadable}


async def revoke(caller: Caller, token_id: int) -> str | None:
    """Revoke one of the caller's own live tokens; its name, or None if there was none."""
    rows = (
        await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)})
        .where(
            (ApiToken.id == token_id)
            & (ApiToken.user == caller.user_id)  # only one's own tokens
            & ApiToken.revoked_at.is_null()
        )
        .returning(ApiToken.name)
    )
    return str(rows[0]["name"]) if rows else None
