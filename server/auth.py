"""Passwords (argon2id), server-side sessions, and login throttling."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.tables import AuditEvent, Session, User

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash of a random password, verified when the username is unknown so both paths cost the same.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

ACCOUNT_FAILURES = 5  # per account, in the window
ADDRESS_FAILURES = 20  # per client address, in the window
WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 10


class AuthError(Exception):
    """Logging in or changing a password did not work; the message is safe to show."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


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
    """A live session and its user."""

    id: int
    token: str
    csrf_token: str
    user: dict[str, Any]


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


async def load_session(token: str, *, idle_s: float, max_age_s: float) -> SessionInfo | None:
    """The session for a cookie token, if it is live; expired sessions are deleted."""
    if not token or len(token) > 100:
        return None
    row = await Session.select().where(Session.token_hash == token_hash(token)).first()
    if row is None:
        return None
    now = time.time()
    if now - row["last_seen"] > idle_s or now - row["created"] > max_age_s:
        await Session.delete().where(Session.id == row["id"])
        return None
    user = await User.select().where(User.id == row["user"]).first()
    if user is None or user["disabled"]:
        await Session.delete().where(Session.id == row["id"])
        return None
    if now - row["last_seen"] > 60:  # write at most once a minute per session
        await Session.update({Session.last_seen: now}).where(Session.id == row["id"])
    return SessionInfo(row["id"], token, row["csrf_token"], user)


async def end_session(token: str) -> None:
    await Session.delete().where(Session.token_hash == token_hash(token))


async def end_all_sessions(user_id: int) -> int:
    rows = await Session.delete().where(Session.user == user_id).returning(Session.id)
    return len(rows)


async def login_blocked(username: str, ip: str) -> bool:
    """True while an account or an address has too many recent failures."""
    since = datetime.now(UTC) - WINDOW
    recent = AuditEvent.count().where((AuditEvent.kind == "login_failed") & (AuditEvent.at > since))
    if await recent.where(AuditEvent.subject == username) >= ACCOUNT_FAILURES:
        return True
    recent = AuditEvent.count().where((AuditEvent.kind == "login_failed") & (AuditEvent.at > since))
    return bool(await recent.where(AuditEvent.ip == ip) >= ADDRESS_FAILURES)
