"""A user's own account: first-run setup, logging in, the account page, changing the password."""

from __future__ import annotations

import math
from dataclasses import dataclass
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
    DEVICE_TAG,
    AuthBusy,
    AuthError,
    device_known,
    end_all_sessions,
    hash_password_async,
    login_wait,
    verify_password_async,
)

WRONG_CURRENT = "The current password is not right."


class LoginThrottled(KinchartError):
    """Too many recent failed password checks for this account, address or device: this one
    must wait `retry_after` seconds; nothing was checked."""

    status = 429

    def __init__(self, wait: float) -> None:
        self.retry_after = max(1, math.ceil(wait))
        s = self.retry_after
        words = f"{s} second{'s' if s != 1 else ''}" if s < 90 else f"{math.ceil(s / 60)} minutes"
        super().__init__(
            f"Too many failed attempts for this account or from this address. Try again in {words}."
        )


@dataclass(frozen=True)
class DeviceClaim:
    """What a browser's known-device cookie says (read and authenticated by the web layer):
    whose device it is, its id, and when it was issued."""

    user_id: int
    device: str
    issued: float


async def password_attempt(
    subject: str,
    request: Request,
    claim: DeviceClaim | None = None,
    *,
    caller: Caller | None = None,
    **detail: Any,
) -> int:
    """Count a password check before it is made, then apply the limits (auth.login_wait):
    the attempt's audit event id (settle it with the outcome), or LoginThrottled.

    Every password check goes through here: the login form, `/api/token/`, and the current
    password when changing it. `claim`: the caller's device cookie; it counts only when it is a
    live one of the account `subject`, and then only that device's own failures limit it.
    """
    device = None
    if claim is not None and await device_known(subject, claim.user_id, claim.issued):
        device = claim.device
    attempt = await audit.record(
        "login_failed",
        caller=caller,
        request=request,
        actor_name=DEVICE_TAG + device if device else "" if caller else subject,
        subject=subject,
        **detail,
    )
    wait = await login_wait(subject, audit.client_ip(request), attempt, device)
    if wait > 0:
        await audit.settle_refused(attempt)
        raise LoginThrottled(wait)
    await audit.restamp(attempt)
    return attempt


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


async def password_login(
    username: str, password: str, request: Request, claim: DeviceClaim | None = None
) -> dict[str, Any] | None:
    """The one throttled password check (the login form, the API's `/api/token/`): the user
    when the password is theirs, None when not (one answer for unknown user, wrong password
    and disabled account). LoginThrottled while the limits hold; AuthBusy when nothing could
    be checked. Every attempt is in the audit log.
    """
    username = username.strip().lower()[:64]
    # A name that is no user's is kept as a hash: it may be a password typed in the wrong field.
    known = await username_exists(username)
    shown = username if known else audit.hashed(username)
    attempt = await password_attempt(shown, request, claim if known else None)
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


async def change_password(
    caller: Caller,
    current: str,
    new: str,
    again: str,
    request: Request | None = None,
    claim: DeviceClaim | None = None,
) -> dict[str, Any]:
    """Set a new password (AuthError says what is wrong) and end every session of the user.

    The current-password check is a password guess like a login: with a `request` it is
    counted and limited the same way (LoginThrottled). Returns the user, for the new session
    of the browser that made the change.
    """
    attempt = None
    if request is not None:
        attempt = await password_attempt(
            caller.username, request, claim, caller=caller, check="current"
        )
    user = await User.select(User.password_hash).where(User.id == caller.user_id).first()
    assert user is not None
    try:
        ok, _ = await verify_password_async(user["password_hash"], current)
    except AuthBusy:
        if attempt is not None:
            await audit.settle(attempt, None)  # nothing was checked
        raise
    if not ok:
        raise AuthError(WRONG_CURRENT)
    if attempt is not None:
        await audit.settle(attempt, None)  # the password was right
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
