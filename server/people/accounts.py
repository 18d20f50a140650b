"""A user's own account: first-run setup, logging in, the account page, changing the password."""

from __future__ import annotations

from typing import Any

from piccolo.engine.base import Engine
from starlette.requests import Request

from server.access import audit
from server.access.policy import Caller, require_admin
from server.db.engine import write_transaction
from server.db.tables import Session, User
from server.errors import KinchartError
from server.people import tokens
from server.people.auth import (
    AuthBusy,
    AuthError,
    end_all_sessions,
    hash_password_async,
    login_blocked,
    verify_password_async,
)

WRONG_CURRENT = "The current password is not right."


class LoginThrottled(KinchartError):
    """Too many recent failed logins for this account or address; nothing was checked."""

    user_message = "Too many failed attempts. Wait 15 minutes and try again."
    status = 429


async def admin_exists() -> bool:
    """Setup is done once there is an admin."""
    return bool(await User.exists().where(User.is_admin == True))  # noqa: E712


async def create_first_admin(
    engine: Engine, username: str, display_name: str, password_hash: str
) -> dict[str, Any] | None:
    """The household's first admin, or None when another setup got there first."""
    async with write_transaction(engine):
        if await admin_exists():
            return None
        rows = await User.insert(
            User(
                username=username,
                display_name=display_name.strip()[:100] or username,
                password_hash=password_hash,
                is_admin=True,
            )
        ).returning(*User.all_columns())
    return rows[0]


async def username_exists(username: str) -> bool:
    return bool(await User.exists().where(User.username == username))


async def check_login(username: str, password: str) -> dict[str, Any] | None:
    """The user if the password is theirs and they are not disabled (one answer otherwise).

    A hash made with outdated parameters is replaced on the way.
    """
    user = await User.select().where(User.username == username).first()
    usable = user is not None and not user["disabled"]
    stored = user["password_hash"] if usable and user else None
    ok, new_hash = await verify_password_async(stored, password)
    if not ok or user is None:
        return None
    if new_hash:
        await User.update({User.password_hash: new_hash}).where(User.id == user["id"])
    return user


async def password_login(username: str, password: str, request: Request) -> dict[str, Any] | None:
    """The one throttled password check (the login form, the API's `/api/token/`): the user
    when the password is theirs, None when not (one answer for unknown user, wrong password
    and disabled account). LoginThrottled while the limits hold; AuthBusy when nothing could
    be checked. Every attempt is in the audit log.
    """
    username = username.strip().lower()[:64]
    # Counted before it is checked, so that concurrent attempts cannot all pass the limits.
    # A name that is no user's is kept as a hash: it may be a password typed in the wrong field.
    shown = username if await username_exists(username) else audit.hashed(username)
    attempt = await audit.record("login_failed", request=request, actor_name=shown, subject=shown)
    if await login_blocked(shown, audit.client_ip(request), counted=True):
        await audit.settle(attempt, "login_blocked")
        raise LoginThrottled()
    try:
        user = await check_login(username, password)
    except AuthBusy:
        await audit.settle(attempt, None)  # nothing was checked
        raise
    if user is not None:
        await audit.settle(attempt, "login")
    return user


DATE_FORMATS = ("", "dmy", "mdy", "iso")  # "" = as the browser's language writes dates


async def overview(caller: Caller) -> dict[str, Any]:
    """The account page: how many browsers are logged in, the caller's preferences and tokens."""
    sessions = await Session.count().where(Session.user == caller.user_id)
    me = await User.select(User.display_name, User.date_format).where(User.id == caller.user_id)
    prefs = me[0] if me else {"display_name": caller.display_name, "date_format": ""}
    return {"sessions": sessions, "prefs": prefs, **await tokens.listing(caller)}


async def set_preferences(caller: Caller, display_name: str, date_format: str) -> str:
    """The name others see and how dates are written; returns the name (AuthError if bad)."""
    name = " ".join(display_name.split())
    if len(name) > 100:
        raise AuthError("A name is at most 100 characters.")
    if date_format not in DATE_FORMATS:
        raise AuthError("Choose one of the date formats shown.")
    await User.update(
        {User.display_name: name or caller.username, User.date_format: date_format}
    ).where(User.id == caller.user_id)
    return name or caller.username


async def change_password(caller: Caller, current: str, new: str, again: str) -> dict[str, Any]:
    """Set a new password (AuthError says what is wrong) and end every session of the user.

    Returns the user, for the new session of the browser that made the change.
    """
    user = await User.select(User.password_hash).where(User.id == caller.user_id).first()
    assert user is not None
    ok, _ = await verify_password_async(user["password_hash"], current)
    if not ok:
        raise AuthError(WRONG_CURRENT)
    if new != again:
        raise AuthError("The two new passwords are not the same.")
    new_hash = await hash_password_async(new)
    await User.update({User.password_hash: new_hash}).where(User.id == caller.user_id)
    # Every browser logged in with the old password is logged out.
    await end_all_sessions(caller.user_id)
    row = await User.select().where(User.id == caller.user_id).first()
    assert row is not None
    return row


async def users(caller: Caller) -> list[dict[str, Any]]:
    """Every user, for the admin's users page."""
    require_admin(caller)
    rows = await User.select(
        User.id, User.username, User.display_name, User.is_admin, User.disabled, User.created_at
    ).order_by(User.username)
    return list(rows)


async def user(caller: Caller, user_id: int) -> dict[str, Any] | None:
    """One user's id and username, for an admin changing the account."""
    require_admin(caller)
    return await User.select(User.id, User.username).where(User.id == user_id).first()
