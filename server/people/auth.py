"""Passwords (argon2id), server-side sessions, and login throttling."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.db.tables import ApiToken, AuditEvent, Grant, Profile, Session, User
from server.errors import BadInput, Unavailable

T = TypeVar("T")

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash of a random password, verified when the username is unknown so both paths cost the same.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

# Login limits: growing delays, never a lock. Past a few free failures (counted over WINDOW),
# each further failure doubles the wait before the next attempt is checked, up to MAX_DELAY.
# Separately per account, per client address, and per known device (a browser that logged in
# before): a device's attempts are limited by its own failures only, so an attacker elsewhere
# never keeps the owner out.
ACCOUNT_FREE = 5
ADDRESS_FREE = 20
DEVICE_FREE = 5
FIRST_DELAY = 1.0  # seconds
MAX_DELAY = 15 * 60.0
WINDOW = timedelta(days=1)
DEVICE_TAG = "device:"  # actor_name of a failure from a known device: "device:<its id>"
MIN_PASSWORD = 10


USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def clean_username(raw: str) -> str:
    """The username as stored, or AuthError saying what a username may be."""
    name = raw.strip().lower()
    if not 2 <= len(name) <= 64 or not set(name) <= USERNAME_CHARS:
        raise AuthError("A username is 2–64 characters: letters, digits, dot, dash, underscore.")
    return name


class AuthError(BadInput):
    """Logging in or changing a password did not work; the message is safe to show."""


class AuthBusy(Unavailable, AuthError):
    """Too many passwords are being checked at once; nothing was checked."""


# argon2 costs ~50 ms of CPU and tens of MB a call: it runs off the event loop, in a small pool,
# and a request that would wait behind a long queue is refused at once rather than queued (an
# anonymous flood of logins must not stall every other request).
ARGON_THREADS = 2
ARGON_QUEUE = 6
_argon_pool = ThreadPoolExecutor(ARGON_THREADS, thread_name_prefix="kinchart-argon2")
_argon_busy = 0


async def _off_loop(call: Callable[..., T], *args: Any) -> T:
    global _argon_busy
    if _argon_busy >= ARGON_THREADS + ARGON_QUEUE:
        raise AuthBusy("Many sign-ins at once. Try again in a few seconds.")
    _argon_busy += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_argon_pool, call, *args)
    finally:
        _argon_busy -= 1


async def hash_password_async(password: str) -> str:
    """`hash_password`, off the event loop (AuthBusy when the pool is saturated)."""
    if len(password) < MIN_PASSWORD:  # say so without spending a hash
        raise AuthError(f"Choose a password of at least {MIN_PASSWORD} characters.")
    return await _off_loop(hash_password, password)


async def hash_secret_async(secret: str) -> str:
    """An argon2id hash of a short secret whose length its caller checked (a share link's
    passcode: the link locks after a few wrong ones), off the event loop."""
    return await _off_loop(_hasher.hash, secret)


async def verify_password_async(stored: str | None, password: str) -> tuple[bool, str | None]:
    """`verify_password`, off the event loop (AuthBusy when the pool is saturated)."""
    return await _off_loop(verify_password, stored, password)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"Choose a password of at least {MIN_PASSWORD} characters.")
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one uses outdated parameters)."""
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, _hasher.hash(password) if _hasher.check_needs_rehash(stored) else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionInfo:
    """A live session, its user (id, username, display_name, is_admin, disabled) and the user's
    grants (profile, role, and the profile's slug, display_name and color; by profile name)."""

    id: int
    token: str
    csrf_token: str
    user: dict[str, Any]
    grants: tuple[dict[str, Any], ...] = ()


async def create_session(user_id: int, ip: str, user_agent: str) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = time.time()
    await Session.insert(
        Session(
            token_hash=token_hash(token),
            user=user_id,
            csrf_token=csrf,
            created=now,
            last_seen=now,
            ip=ip[:64],
            user_agent=user_agent[:255],
        )
    )
    return token, csrf


# Everything a request needs to know who is asking, in one query on every request: the session,
# its user, and the user's grants with their profiles (one row per grant; one row with no grant
# for a user who has none). Written out because Piccolo spends longer compiling a join in
# Python (~0.6 ms) than the database spends answering it.
_SESSION_SQL = (
    'SELECT s."id", s."csrf_token", s."created", s."last_seen", u."id" AS "user_id", '
    'u."username", u."display_name", u."is_admin", u."disabled", u."date_format", '
    'g."profile", g."role", '
    'p."slug", p."display_name" AS "profile_name", p."color" '
    f'FROM "{Session._meta.tablename}" AS s JOIN "{User._meta.tablename}" AS u '
    'ON u."id" = s."user" '
    f'LEFT JOIN "{Grant._meta.tablename}" AS g ON g."user" = u."id" '
    f'LEFT JOIN "{Profile._meta.tablename}" AS p ON p."id" = g."profile" '
    'WHERE s."token_hash" = {} ORDER BY p."display_name", p."id"'
)


async def load_session(token: str, *, idle_s: float, max_age_s: float) -> SessionInfo | None:
    """The session for a cookie token, if it is live; expired sessions are deleted.

    Read from the database on every request, never cached: a session that was ended, expired
    or whose user was disabled, and a grant that was revoked, show on the very next request,
    whichever process did it.
    """
    if not token or len(token) > 100:
        return None
    rows = await Session.raw(_SESSION_SQL, token_hash(token))
    if not rows:
        return None
    row = rows[0]
    now = time.time()
    if now - row["last_seen"] > idle_s or now - row["created"] > max_age_s or row["disabled"]:
        await Session.delete().where(Session.id == row["id"])
        return None
    if now - row["last_seen"] > 60:  # write at most once a minute per session
        await Session.update({Session.last_seen: now}).where(Session.id == row["id"])
    user = {
        "id": row["user_id"],
        "username": row["username"],
        "display_name": row["display_name"],
        "is_admin": bool(row["is_admin"]),
        "disabled": bool(row["disabled"]),
        "date_format": row["date_format"] or "",
    }
    grants = tuple(
        {
            "profile": r["profile"],
            "role": r["role"],
            "slug": r["slug"],
            "display_name": r["profile_name"],
            "color": r["color"],
        }
        for r in rows
        if r["profile"] is not None
    )
    return SessionInfo(row["id"], token, row["csrf_token"], user, grants)


async def end_session(token: str) -> None:
    await Session.delete().where(Session.token_hash == token_hash(token))


async def end_all_sessions(user_id: int) -> int:
    """End every login of the user, forget their known devices and revoke their API tokens (a
    reset password, "log out everywhere" and a disabled account must also stop the scanner apps
    holding a token); returns how many logins ended."""
    rows = await Session.delete().where(Session.user == user_id).returning(Session.id)
    await User.update({User.devices_since: time.time()}).where(User.id == user_id)
    await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)}).where(
        (ApiToken.user == user_id) & ApiToken.revoked_at.is_null()
    )
    return len(rows)


def delay_after(failures: int, free: int) -> float:
    """The wait before the next attempt is checked, after `failures` recent failures."""
    if failures < free:
        return 0.0
    return min(FIRST_DELAY * 2 ** min(failures - free, 30), MAX_DELAY)


async def _wait_for(where: Any, attempt_id: int, free: int, now: datetime) -> float:
    prior = (
        (AuditEvent.kind == "login_failed")
        & (AuditEvent.at > now - WINDOW)
        & (AuditEvent.id < attempt_id)
        & where
    )
    failures = await AuditEvent.count().where(prior)
    delay = delay_after(failures, free)
    if not delay:
        return 0.0
    last = (
        await AuditEvent.select(AuditEvent.at)
        .where(prior)
        .order_by(AuditEvent.at, ascending=False)  # the latest let through (audit.restamp)
        .first()
    )
    if last is None:
        return 0.0
    at = last["at"] if last["at"].tzinfo else last["at"].replace(tzinfo=UTC)
    return max(0.0, (at - now).total_seconds() + delay)


async def login_wait(subject: str, ip: str, attempt_id: int, device: str | None = None) -> float:
    """Seconds this password attempt must still wait before it may be checked (0: check it).

    Check-and-count: the attempt is recorded as a failure (`attempt_id`) before this is asked,
    and only failures recorded before it count, so of many concurrent attempts at most the free
    ones are checked, and past them one at a time as the delays run out. Attempts refused
    unchecked (settled as "login_blocked") are no failures: waiting never makes it worse.

    `device`: the id of the caller's known-device cookie for this account (see
    `device_known`); its attempts count only its own failures, so delays caused from elsewhere,
    by account or by address, do not stop it.
    """
    now = datetime.now(UTC)
    if device:
        mine = (AuditEvent.subject == subject) & (AuditEvent.actor_name == DEVICE_TAG + device)
        return await _wait_for(mine, attempt_id, DEVICE_FREE, now)
    account = (AuditEvent.subject == subject) & AuditEvent.actor_name.not_like(DEVICE_TAG + "%")
    return max(
        await _wait_for(account, attempt_id, ACCOUNT_FREE, now),
        await _wait_for(AuditEvent.ip == ip, attempt_id, ADDRESS_FREE, now),
    )


async def device_known(username: str, user_id: int, issued: float) -> bool:
    """A device cookie for `user_id`, issued at `issued`, still names a known device of the
    account `username` (log out everywhere, a password change or reset, and disabling the
    account forget every device known before)."""
    row = (
        await User.select(User.id, User.devices_since, User.disabled)
        .where(User.username == username)
        .first()
    )
    return bool(
        row and row["id"] == user_id and not row["disabled"] and issued > row["devices_since"]
    )
