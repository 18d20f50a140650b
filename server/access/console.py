"""Callers of the `kinchart` command: the console itself, or a user it acts as (`--user`)."""

from __future__ import annotations

from typing import Any

from server.access.policy import OWNER, Caller
from server.access.scope import load_caller
from server.db.tables import Profile, User
from server.errors import NotFound, PermissionDenied


async def console() -> Caller:
    """Whoever runs `kinchart` on the server. They hold the data folder, so they see what its
    owner and admin would: every profile and the triage queue."""
    profiles = await Profile.select(Profile.id)
    return Caller(
        user_id=0,
        username="cli",
        display_name="the console",
        is_admin=True,
        roles={row["id"]: OWNER for row in profiles},
    )


async def caller_named(username: str) -> Caller:
    """The caller a user is; NotFound without such a user, refused when they are disabled."""
    user = await User.select().where(User.username == username.strip().lower()).first()
    if user is None:
        raise NotFound(f"There is no user called {username}.")
    if user["disabled"]:
        raise PermissionDenied(f"User {username} is disabled.")
    return await load_caller(user)


async def profile_of(caller: Caller, slug: str, action: str = "view") -> dict[str, Any]:
    """The profile if the caller may `action` it. Unlike `scope.profile_for`, a refusal says
    so: at the console, whoever asks may know every profile."""
    row = await Profile.select().where(Profile.slug == slug.strip().lower()).first()
    if row is None:
        raise NotFound(f"There is no profile {slug!r}.")
    if caller.role(row["id"]) is None:
        raise PermissionDenied(f"{caller.username} has no role on profile {slug!r}.")
    if not caller.may(action, row["id"]):
        raise PermissionDenied(f"{caller.username}'s role on profile {slug!r} does not allow this.")
    return row
