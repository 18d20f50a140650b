"""The SMART Health Link manifest request (IG STU1): `POST {recipient, passcode}` to the
manifest URL; the answer embeds the profile's International Patient Summary as compact JWE.

Answers: 200 with the manifest; 400 for a body that is not the IG's; 401 with
`remainingAttempts` for a missing or wrong passcode (0 while the link is locked, until an
owner unlocks it); 429 while tries are throttled; 404 (from the route) for a link that is
unknown, revoked or expired. Every request is logged with its recipient.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from server.shares import links, shl
from server.shares.ips import build_ips
from server.shares.links import Opened
from server.vault import Vault

RECIPIENT_MAX = 255


async def answer(
    opened: Opened,
    vault: Vault,
    body: Any,
    *,
    ip: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(HTTP status, JSON body, extra headers) for one manifest request."""
    recipient = body.get("recipient") if isinstance(body, dict) else None
    if not isinstance(recipient, str) or not recipient.strip():
        await links.log_view(opened, "manifest", "bad_request", ip=ip, user_agent=user_agent)
        return 400, {"error": "The request needs a recipient (who is asking), as JSON."}, {}
    recipient = recipient.strip()[:RECIPIENT_MAX]
    if opened.needs_passcode:
        passcode = body.get("passcode")
        attempt = await links.try_passcode(opened, passcode if isinstance(passcode, str) else "")
        if not attempt.ok:
            await links.log_view(
                opened,
                "manifest",
                attempt.outcome,
                recipient=recipient,
                ip=ip,
                user_agent=user_agent,
            )
            if attempt.outcome == "throttled":
                retry = {"retry-after": str(int(links.THROTTLE_SECONDS) + 1)}
                return 429, {"remainingAttempts": attempt.remaining}, retry
            return 401, {"remainingAttempts": attempt.remaining}, {}
    share = opened.share
    now = now or datetime.now(UTC)
    bundle = await build_ips(
        share.profile_id,
        document_ids=sorted(share.documents),
        include_labs=share.labs,
        include_vitals=share.vitals,
        now=now,
    )
    content = json.dumps(bundle, separators=(",", ":"), default=str).encode()
    encrypted = shl.encrypt(links.link_key(opened.row, vault), content, shl.FHIR_JSON)
    await links.log_view(opened, "manifest", recipient=recipient, ip=ip, user_agent=user_agent)
    return 200, shl.manifest([(shl.FHIR_JSON, encrypted)], last_updated=now), {}
