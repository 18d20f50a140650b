"""The household at a glance: its users, and the profiles a caller may see with their grants."""

from __future__ import annotations

from typing import Any

from server.access.policy import Caller
from server.access.scope import visible_profiles
from server.db.tables import Profile, User
from server.people.household import grants_of


async def users() -> list[dict[str, Any]]:
    """Every user (no password hashes), by username."""
    return list(
        await User.select(
            User.id, User.username, User.display_name, User.is_admin, User.disabled
        ).order_by(User.username)
    )


async def profiles(caller: Caller) -> list[dict[str, Any]]:
    """The profiles the caller may see, by slug, each with `grants`: {username: role}."""
    rows = list(
        await visible_profiles(
            caller,
            Profile.select(Profile.id, Profile.slug, Profile.display_name, Profile.date_of_birth),
        ).order_by(Profile.slug)
    )
    for r in rows:
        r["date_of_birth"] = str(r["date_of_birth"] or "")
        r["grants"] = {g["username"]: g["role"] for g in await grants_of(r["id"])}
    return rows
