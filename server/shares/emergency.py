"""The emergency card: allergies, current medications, key conditions, emergency contacts and
blood type on a wallet-size card, with the QR of a long-lived, revocable emergency link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request

from server.access import audit
from server.access.policy import AccessDenied, Caller
from server.access.scope import profile_by_id
from server.db.tables import EMERGENCY_SHARE, Profile, ShareLink
from server.health.clinician import ClinicianSummary, Entry, clinician_summary
from server.shares import links
from server.shares.links import ShareError
from server.vault import Vault

BLOOD_TYPES = ("", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")
CONTACTS_MAX = 1000
KEY_CONDITIONS = 6  # the card has room for this many problems


@dataclass(frozen=True)
class Card:
    """What the card shows."""

    profile: dict[str, Any]
    summary: ClinicianSummary
    conditions: tuple[Entry, ...]
    contacts: tuple[str, ...]
    blood_type: str
    link: dict[str, Any] | None  # the newest live emergency link


def contacts_of(profile: dict[str, Any]) -> tuple[str, ...]:
    text = str(profile.get("emergency_contacts") or "")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


async def card(caller: Caller, profile_id: int, *, now: datetime | None = None) -> Card:
    """The card of a profile the caller may share."""
    profile = await profile_by_id(caller, profile_id, "share")
    built = await clinician_summary(profile_id, now=now, document_ids=())
    live = [r for r in await links.listing(caller, profile_id) if r["kind"] == EMERGENCY_SHARE]
    live = [r for r in live if r["status"] in ("live", "locked")]
    return Card(
        profile=profile,
        summary=built,
        conditions=built.problems[:KEY_CONDITIONS],
        contacts=contacts_of(profile),
        blood_type=str(profile.get("blood_type") or ""),
        link=live[0] if live else None,
    )


async def set_details(
    caller: Caller,
    profile_id: int,
    blood_type: str,
    contacts: str,
    request: Request | None = None,
) -> None:
    """Blood type and emergency contacts, as an owner or caregiver types them."""
    if not caller.may("edit", profile_id):
        raise AccessDenied("Your role on this profile does not allow changing it.", 403)
    blood_type = blood_type.strip().upper()
    if blood_type not in BLOOD_TYPES:
        raise ShareError(f"Blood type: one of {', '.join(t for t in BLOOD_TYPES if t)}, or empty.")
    contacts = "\n".join(line.strip() for line in contacts.splitlines() if line.strip())
    if len(contacts) > CONTACTS_MAX:
        raise ShareError(f"Emergency contacts: at most {CONTACTS_MAX} characters.")
    await Profile.update(
        {Profile.blood_type: blood_type, Profile.emergency_contacts: contacts}
    ).where(Profile.id == profile_id)
    await audit.record(
        "emergency_details_changed", caller=caller, request=request, profile=profile_id
    )


async def make_link(
    caller: Caller,
    vault: Vault,
    profile_id: int,
    *,
    passcode: str = "",
    request: Request | None = None,
) -> tuple[dict[str, Any], str]:
    """A new emergency link (until revoked); the older live ones are revoked, so one card's
    QR code is the only way in."""
    row, token = await links.create(
        caller,
        vault,
        profile_id,
        label="Emergency card",
        expires="never",
        passcode=passcode,
        kind=EMERGENCY_SHARE,
        request=request,
    )
    older = await ShareLink.select(ShareLink.id).where(
        (ShareLink.profile == profile_id)
        & (ShareLink.kind == EMERGENCY_SHARE)
        & ShareLink.revoked_at.is_null()
        & (ShareLink.id != row["id"])
    )
    for old in older:
        await links.revoke(caller, int(old["id"]), request)
    return row, token


async def public_details(profile_id: int) -> dict[str, Any]:
    """Blood type and contacts, for the emergency link's own page."""
    row = (
        await Profile.select(Profile.blood_type, Profile.emergency_contacts)
        .where(Profile.id == profile_id)
        .first()
    )
    row = row or {}
    return {"blood_type": row.get("blood_type") or "", "contacts": contacts_of(row)}
