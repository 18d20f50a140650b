"""Share links: made, listed, revoked and unlocked by a profile's owners and caregivers; opened
by anyone holding one, as a `ShareCaller` that reads only the profile's chosen parts.

A link's token (256 random bits) is found by its SHA-256. The token itself, to show the link and
its QR code again, and the SMART Health Link key are stored encrypted with the vault's key
(`<data dir>/secret.key`): the database alone opens no link and decrypts no manifest.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.requests import Request

from server.access import audit
from server.access.policy import AccessDenied, Caller, ShareCaller
from server.access.scope import LIVE
from server.db.tables import (
    EMERGENCY_SHARE,
    NORMAL_SHARE,
    READY,
    Document,
    ShareLink,
    ShareView,
)
from server.errors import BadInput, NotFound
from server.people.auth import hash_secret_async, token_hash, verify_password_async
from server.shares import shl
from server.vault import Vault

DEFAULT_DAYS = 7
MAX_DAYS = 366  # "at most a year" from today, whatever the calendar
LOCK_AFTER = 8  # wrong passcodes before the link locks (its owners unlock or revoke it)
FREE_ATTEMPTS = 3  # wrong passcodes before each further try must wait THROTTLE_SECONDS
THROTTLE_SECONDS = 2.0
MIN_PASSCODE = 6
MAX_LIVE = 100  # live links per profile
UNLOCK_HOURS = 12  # a browser that gave the passcode reads this long without giving it again
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


class ShareError(BadInput):
    """A share link cannot be made or changed as asked; the message says why."""


class ShareGone(NotFound):
    """No live share link: unknown, revoked or expired (the same answer for each)."""

    user_message = "This share link does not exist, has expired or was revoked."


@dataclass(frozen=True)
class Links:
    """Where a link leads: the page (with the SHL payload in its fragment) and the manifest."""

    page: str  # the human page, without the fragment
    manifest: str
    shlink: str  # shlink:/…
    full: str  # page#shlink:/… : what the QR code and the copied link carry


@dataclass(frozen=True)
class Opened:
    """A live link, opened by its token."""

    row: dict[str, Any]
    share: ShareCaller
    token: str

    @property
    def needs_passcode(self) -> bool:
        return bool(self.row["passcode_hash"])

    @property
    def locked(self) -> bool:
        return self.row["locked_at"] is not None


def parse_expiry(text: str, now: datetime) -> datetime | None:
    """`7d`, `30d`, `never`, or a date (the end of that day, UTC) up to a year ahead."""
    text = (text or "").strip().lower() or f"{DEFAULT_DAYS}d"
    if text == "never":
        return None
    if m := re.fullmatch(r"(\d{1,3})d", text):
        days = int(m.group(1))
        if not 1 <= days <= MAX_DAYS:
            raise ShareError(f"A link lasts between 1 and {MAX_DAYS} days, or until revoked.")
        return now + timedelta(days=days)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ShareError(
            f"Expiry {text!r}: choose 7d, 30d, a date (YYYY-MM-DD) or never."
        ) from None
    end = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
    if end <= now:
        raise ShareError("The expiry date must be in the future.")
    if end - now > timedelta(days=MAX_DAYS):
        raise ShareError("A link with an expiry date lasts at most a year; or choose never.")
    return end


def links(row: dict[str, Any], vault: Vault, base_url: str) -> Links:
    """The addresses of a link (the caller may see it)."""
    token = vault.decrypt(row["token_encrypted"])
    key = shl.unb64url(vault.decrypt(row["key_encrypted"]))
    base = base_url.rstrip("/")
    page = f"{base}/s/{token}"
    manifest = f"{base}/shl/{token}/manifest"
    body = shl.payload(
        manifest,
        key,
        exp=row["expires_at"],
        passcode=bool(row["passcode_hash"]),
        label=row["label"],
    )
    uri = shl.shlink(body)
    return Links(page=page, manifest=manifest, shlink=uri, full=f"{page}#{uri}")


def link_key(row: dict[str, Any], vault: Vault) -> bytes:
    return shl.unb64url(vault.decrypt(row["key_encrypted"]))


async def create(
    caller: Caller,
    vault: Vault,
    profile_id: int,
    *,
    label: str = "",
    expires: str = "",
    passcode: str = "",
    documents: list[int] | tuple[int, ...] = (),
    labs: bool = True,
    vitals: bool = True,
    kind: str = NORMAL_SHARE,
    now: datetime | None = None,
    request: Request | None = None,
) -> tuple[dict[str, Any], str]:
    """A new link to `profile_id`'s summary (and the chosen documents); its row and token."""
    if not caller.may("share", profile_id):
        if caller.may("view", profile_id):
            raise AccessDenied("Your role on this profile does not allow sharing it.", 403)
        raise AccessDenied("No such profile.", 404)
    now = now or datetime.now(UTC)
    expires_at = parse_expiry(expires, now)
    label = " ".join(label.split())
    if len(label) > shl.LABEL_MAX:
        raise ShareError(f"A label is at most {shl.LABEL_MAX} characters.")
    if passcode and len(passcode) < MIN_PASSCODE:
        raise ShareError(f"A passcode is at least {MIN_PASSCODE} characters.")
    if kind not in (NORMAL_SHARE, EMERGENCY_SHARE):
        raise ShareError("Unknown kind of link.")
    chosen = sorted(set(documents))
    if chosen:
        found = await Document.select(Document.id).where(
            Document.id.is_in(chosen)
            & (Document.profile == profile_id)
            & (Document.state == READY)
            & LIVE
        )
        if len(found) != len(chosen):
            raise ShareError("Choose only documents of this profile that have been read.")
    live = await ShareLink.count().where(
        (ShareLink.profile == profile_id) & ShareLink.revoked_at.is_null()
    )
    if live >= MAX_LIVE:
        raise ShareError(f"This profile has {live} live links; revoke some first.")
    token = secrets.token_urlsafe(32)  # 256 bits
    key = secrets.token_bytes(32)
    rows = await ShareLink.insert(
        ShareLink(
            profile=profile_id,
            label=label,
            kind=kind,
            created_by=caller.user_id or None,
            expires_at=expires_at,
            token_hash=token_hash(token),
            token_encrypted=vault.encrypt(token),
            key_encrypted=vault.encrypt(shl.b64url(key)),
            passcode_hash=await hash_secret_async(passcode) if passcode else "",
            documents=chosen,
            labs=labs,
            vitals=vitals,
        )
    ).returning(ShareLink.id)
    row = await _row(rows[0]["id"])
    await audit.record(
        "share_created",
        caller=caller,
        request=request,
        profile=profile_id,
        subject=f"share:{row['id']}",
        label=label,
        documents=chosen,
        expires=expires_at.isoformat() if expires_at else "never",
    )
    return row, token


async def _row(share_id: int) -> dict[str, Any]:
    row = await ShareLink.select().where(ShareLink.id == share_id).output(load_json=True).first()
    if row is None:
        raise NotFound("No such share link.")
    return row


def status(row: dict[str, Any], now: datetime | None = None) -> str:
    """live, locked, expired or revoked."""
    now = now or datetime.now(UTC)
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] is not None and row["expires_at"] <= now:
        return "expired"
    if row["locked_at"] is not None:
        return "locked"
    return "live"


async def listing(caller: Caller, profile_id: int) -> list[dict[str, Any]]:
    """The profile's links, newest first, each with its status and view count."""
    _may_manage(caller, profile_id)
    rows = (
        await ShareLink.select()
        .where(ShareLink.profile == profile_id)
        .order_by(ShareLink.id, ascending=False)
        .output(load_json=True)
    )
    now = datetime.now(UTC)
    for r in rows:
        r["status"] = status(r, now)
    return list(rows)


async def managed(caller: Caller, share_id: int) -> dict[str, Any]:
    """A link the caller may manage (owner or caregiver of its profile); else 404 or 403."""
    row = await ShareLink.select().where(ShareLink.id == share_id).output(load_json=True).first()
    if row is None or not caller.may("view", row["profile"]):
        raise AccessDenied("No such share link.", 404)
    _may_manage(caller, row["profile"])
    row["status"] = status(row)
    return row


def _may_manage(caller: Caller, profile_id: int) -> None:
    if not caller.may("view", profile_id):
        raise AccessDenied("No such profile.", 404)
    if not caller.may("share", profile_id):
        raise AccessDenied("Your role on this profile does not allow managing its links.", 403)


async def revoke(caller: Caller, share_id: int, request: Request | None = None) -> dict[str, Any]:
    row = await managed(caller, share_id)
    if row["revoked_at"] is None:
        await ShareLink.update({ShareLink.revoked_at: datetime.now(UTC)}).where(
            ShareLink.id == share_id
        )
        await audit.record(
            "share_revoked",
            caller=caller,
            request=request,
            profile=row["profile"],
            subject=f"share:{share_id}",
        )
    return await managed(caller, share_id)


async def unlock(caller: Caller, share_id: int, request: Request | None = None) -> dict[str, Any]:
    """A locked link opens again (its wrong passcodes forgotten)."""
    row = await managed(caller, share_id)
    await ShareLink.update(
        {ShareLink.locked_at: None, ShareLink.failed_attempts: 0, ShareLink.last_failed: 0.0}
    ).where(ShareLink.id == share_id)
    await audit.record(
        "share_unlocked",
        caller=caller,
        request=request,
        profile=row["profile"],
        subject=f"share:{share_id}",
    )
    return await managed(caller, share_id)


async def view_log(caller: Caller, share_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Who opened the link and how it went, newest first."""
    await managed(caller, share_id)
    return list(
        await ShareView.select()
        .where(ShareView.link == share_id)
        .order_by(ShareView.id, ascending=False)
        .limit(limit)
    )


# --- the anonymous side -------------------------------------------------------------------


async def open_link(token: str, now: datetime | None = None) -> Opened:
    """The live link a token opens; ShareGone for an unknown, revoked or expired one. Read
    anew on every request, so revoking or expiry ends an open page at its next request."""
    if not _TOKEN.match(token or ""):
        raise ShareGone()
    row = (
        await ShareLink.select()
        .where(ShareLink.token_hash == token_hash(token))
        .output(load_json=True)
        .first()
    )
    if row is None or status(row, now) in ("revoked", "expired"):
        raise ShareGone()
    share = ShareCaller(
        link_id=int(row["id"]),
        profile_id=int(row["profile"]),
        documents=frozenset(int(d) for d in row["documents"] or []),
        labs=bool(row["labs"]),
        vitals=bool(row["vitals"]),
    )
    return Opened(row, share, token)


@dataclass(frozen=True)
class Attempt:
    """How a passcode try ended."""

    ok: bool
    remaining: int  # wrong tries left before the link locks
    outcome: str  # ok | wrong_passcode | locked | throttled


async def try_passcode(opened: Opened, passcode: str) -> Attempt:
    """Check a passcode. Each try is counted before it is checked (concurrent tries cannot
    pass the limit); after FREE_ATTEMPTS wrong ones, tries closer than THROTTLE_SECONDS are
    refused unchecked; after LOCK_AFTER the link locks until an owner unlocks it."""
    row = opened.row
    if not row["passcode_hash"]:
        return Attempt(True, LOCK_AFTER, "ok")
    now = time.time()
    fresh = (
        await ShareLink.select(
            ShareLink.failed_attempts, ShareLink.last_failed, ShareLink.locked_at
        )
        .where(ShareLink.id == row["id"])
        .first()
    )
    assert fresh is not None
    if fresh["locked_at"] is not None or fresh["failed_attempts"] >= LOCK_AFTER:
        return Attempt(False, 0, "locked")
    if fresh["failed_attempts"] >= FREE_ATTEMPTS and now - fresh["last_failed"] < THROTTLE_SECONDS:
        return Attempt(False, LOCK_AFTER - fresh["failed_attempts"], "throttled")
    counted = (
        await ShareLink.update(
            {ShareLink.failed_attempts: ShareLink.failed_attempts + 1, ShareLink.last_failed: now}
        )
        .where(
            (ShareLink.id == row["id"])
            & (ShareLink.failed_attempts < LOCK_AFTER)
            & ShareLink.locked_at.is_null()
        )
        .returning(ShareLink.failed_attempts)
    )
    if not counted:
        return Attempt(False, 0, "locked")
    used = int(counted[0]["failed_attempts"])
    ok, _ = await verify_password_async(row["passcode_hash"], passcode)
    if ok:
        # The count was for this try: give it back.
        await ShareLink.update({ShareLink.failed_attempts: ShareLink.failed_attempts - 1}).where(
            (ShareLink.id == row["id"]) & (ShareLink.failed_attempts > 0)
        )
        return Attempt(True, LOCK_AFTER - used + 1, "ok")
    if used >= LOCK_AFTER:
        await ShareLink.update({ShareLink.locked_at: datetime.now(UTC)}).where(
            (ShareLink.id == row["id"]) & ShareLink.locked_at.is_null()
        )
        return Attempt(False, 0, "locked")
    return Attempt(False, LOCK_AFTER - used, "wrong_passcode")


def unlock_proof(vault: Vault, opened: Opened) -> str:
    """What a browser that gave the right passcode keeps (a cookie): it names the link and its
    passcode (changing either voids it), encrypted, and expires after UNLOCK_HOURS."""
    return vault.encrypt(f"{opened.row['id']}:{_fingerprint(opened.row)}")


def proven(vault: Vault, opened: Opened, proof: str) -> bool:
    if not opened.needs_passcode:
        return True
    if not proof or opened.locked:
        return False
    try:
        text = vault.decrypt(proof, ttl=UNLOCK_HOURS * 3600)
    except Exception:  # tampered, too old, another server's key: not proven
        return False
    return secrets.compare_digest(text, f"{opened.row['id']}:{_fingerprint(opened.row)}")


def _fingerprint(row: dict[str, Any]) -> str:
    return hashlib.sha256(str(row["passcode_hash"]).encode()).hexdigest()[:24]


async def log_view(
    opened: Opened | dict[str, Any],
    what: str,
    outcome: str = "ok",
    *,
    ip: str = "",
    user_agent: str = "",
    recipient: str = "",
    document: int | None = None,
) -> None:
    """One line of the link's log; a successful page or manifest read counts as a view."""
    row = opened.row if isinstance(opened, Opened) else opened
    await ShareView.insert(
        ShareView(
            link=row["id"],
            what=what,
            outcome=outcome,
            ip=ip[:64],
            user_agent=user_agent[:255],
            recipient=recipient[:255],
            document=document,
        )
    )
    if outcome == "ok" and what in ("page", "manifest"):
        await ShareLink.update(
            {ShareLink.views: ShareLink.views + 1, ShareLink.last_viewed: datetime.now(UTC)}
        ).where(ShareLink.id == row["id"])
