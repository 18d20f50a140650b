"""The SMART Health Link side of a share link, against the real app: the `shlink:/` payload's
fields, the manifest request as the IG describes it, and a real JWE decrypt (joserfc) of the
International Patient Summary it carries, parsed by fhir.resources (R4B)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from joserfc import jwe
from joserfc.jwk import OctKey
from starlette.applications import Starlette

from server.db.tables import ShareLink, ShareView
from server.runtime import Services
from server.shares import links, shl
from server.shares.links import ShareError
from server.vault import Vault
from tests.fixtures.clinical_profile import Clinical, make_clinical
from tests.fixtures.people import Household, caller_named
from tests.server.conftest import new_client

# Problems, medications, allergies, immunizations, results, vital signs, past illnesses.
IPS_SECTIONS = {"11450-4", "10160-0", "48765-2", "11369-6", "30954-2", "8716-3", "11348-0"}
BASE = "http://127.0.0.1:8000"


async def _link(services: Services, c: Clinical, **kw: object) -> tuple[dict, str, dict]:
    """A link to grace made by olga (owner); its row, token and decoded SHL payload."""
    vault = Vault(services.settings.data_dir)
    olga = await caller_named("olga")
    row, token = await links.create(olga, vault, c.profile, **kw)  # type: ignore[arg-type]
    payload = shl.decode(links.links(row, vault, BASE).full)
    return row, token, payload


@pytest.fixture
async def grace(household: Household) -> Clinical:
    from server.db.tables import Grant

    c = await make_clinical()
    uid = household.users["olga"]
    await Grant.insert(Grant(key=f"{uid}:{c.profile}", user=uid, profile=c.profile, role="owner"))
    return c


async def test_payload_has_the_ig_fields(app_services: Services, grace: Clinical) -> None:
    _, token, p = await _link(app_services, grace, label="Dr. Patel", expires="30d")
    assert set(p) <= {"url", "key", "exp", "flag", "label", "v"}
    assert p["url"] == f"{BASE}/shl/{token}/manifest" and len(p["url"]) <= 128
    assert len(p["key"]) == 43 and len(shl.unb64url(p["key"])) == 32
    exp = datetime.fromtimestamp(p["exp"], UTC)
    assert abs(exp - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)
    assert "flag" not in p and p["label"] == "Dr. Patel"
    _, _, forever = await _link(app_services, grace, expires="never", passcode="sesame-42")
    assert forever["flag"] == "LP" and "exp" not in forever
    with pytest.raises(ShareError):
        await _link(app_services, grace, label="x" * 81)


async def _post(client: httpx.AsyncClient, token: str, body: object) -> httpx.Response:
    return await client.post(
        f"/shl/{token}/manifest",
        content=json.dumps(body),
        headers={"content-type": "application/json", "origin": "https://ehr.example.org"},
    )


async def test_manifest_round_trip_decrypts_to_an_ips_bundle(
    app: Starlette, app_services: Services, grace: Clinical
) -> None:
    row, token, payload = await _link(app_services, grace, documents=[grace.docs["labs"]])
    async with new_client(app) as ehr:  # no session, no CSRF token, another origin
        r = await _post(ehr, token, {"recipient": "Example Clinic EHR"})
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    manifest = r.json()
    (file,) = manifest["files"]
    assert file["contentType"] == "application/fhir+json"
    key = OctKey.import_key(shl.unb64url(payload["key"]))
    decrypted = jwe.decrypt_compact(file["embedded"], key)
    assert decrypted.protected["alg"] == "dir" and decrypted.protected["enc"] == "A256GCM"
    assert decrypted.protected["cty"] == "application/fhir+json"
    bundle = Bundle.model_validate_json(decrypted.plaintext)
    assert bundle.type == "document"
    composition = bundle.entry[0].resource
    assert composition.__resource_type__ == "Composition"
    codes = {c.code for s in composition.section for c in s.code.coding}
    assert {"11450-4", "10160-0", "48765-2"} <= codes <= IPS_SECTIONS
    # Facts nobody checked say so (Hypertension was read by machine only).
    conditions = {
        e.resource.code.text or e.resource.code.coding[0].display: e.resource
        for e in bundle.entry
        if e.resource.__resource_type__ == "Condition"
    }
    verified = conditions["Hypertension"].verificationStatus.coding[0].code
    assert verified == "unconfirmed"
    text = decrypted.plaintext.decode()
    assert "Grace Hopper" in text and "Hypertension" in text
    for hidden in grace.hidden:  # rejected, held, another patient's: never in the bundle
        assert hidden not in text, hidden
    # Another key does not open it.
    with pytest.raises(Exception):  # noqa: B017 - joserfc's own decryption error
        jwe.decrypt_compact(file["embedded"], OctKey.import_key(b"\0" * 32))
    log = await ShareView.select().where(ShareView.link == row["id"])
    assert [(v["what"], v["outcome"], v["recipient"]) for v in log] == [
        ("manifest", "ok", "Example Clinic EHR")
    ]


async def test_manifest_passcode_revocation_and_expiry(
    app: Starlette, app_services: Services, grace: Clinical
) -> None:
    row, token, _ = await _link(app_services, grace, passcode="sesame-42")
    async with new_client(app) as ehr:
        missing = await _post(ehr, token, {"recipient": "EHR"})
        assert missing.status_code == 401
        assert missing.json() == {"remainingAttempts": links.LOCK_AFTER - 1}
        wrong = await _post(ehr, token, {"recipient": "EHR", "passcode": "nope-nope"})
        assert wrong.json() == {"remainingAttempts": links.LOCK_AFTER - 2}
        right = await _post(ehr, token, {"recipient": "EHR", "passcode": "sesame-42"})
        assert right.status_code == 200 and right.json()["files"]
        assert (await _post(ehr, token, {"passcode": "sesame-42"})).status_code == 400
        assert (await _post(ehr, token, "not an object")).status_code == 400
        preflight = await ehr.options(f"/shl/{token}/manifest")
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == "*"
        # Locked after LOCK_AFTER wrong tries in all: the right one is refused too.
        for n in range(links.LOCK_AFTER):
            await ShareLink.update({ShareLink.last_failed: 0.0}).where(ShareLink.id == row["id"])
            await _post(ehr, token, {"recipient": "EHR", "passcode": f"guess-{n}"})
        locked = await _post(ehr, token, {"recipient": "EHR", "passcode": "sesame-42"})
        assert locked.status_code == 401 and locked.json() == {"remainingAttempts": 0}
        # Revoked or expired: 404 at the very next request.
        _, open_token, _ = await _link(app_services, grace)
        assert (await _post(ehr, open_token, {"recipient": "EHR"})).status_code == 200
        await links.revoke(await caller_named("olga"), row["id"])
        revoked = await _post(ehr, token, {"recipient": "EHR", "passcode": "sesame-42"})
        assert revoked.status_code == 404
        await ShareLink.update(
            {ShareLink.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True
        )
        gone = await _post(ehr, open_token, {"recipient": "EHR"})
        assert gone.status_code == 404 and "Grace" not in gone.text
