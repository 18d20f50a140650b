"""The household at a glance: the profiles a caller may see, with who holds which role."""

from __future__ import annotations

from typing import Any

from server.access.policy import Caller
from server.access.scope import visible_profiles
from server.db.tables import Profile
from server.people.household import grants_of


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
