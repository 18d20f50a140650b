"""Share links through the web, on a real app and database: making them, the clinician's page
with its passcode, revocation and expiry at the next request, the view log, the emergency card."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pypdfium2 as pdfium
from starlette.applications import Starlette

from server.db.tables import AuditEvent, Document, Grant, ShareLink, ShareView
from server.runtime import Services
from server.shares import links
from server.web._security import SECURITY_HEADERS
from tests.fixtures.clinical_profile import Clinical, make_clinical
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

CSP = dict(SECURITY_HEADERS)[b"content-security-policy"].decode()


async def _grace(household: Household) -> Clinical:
    """The clinical test profile, owned by olga, cared for by bob, viewed by carol."""
    c = await make_clinical()
    for user, role in (("olga", "owner"), ("bob", "caregiver"), ("carol", "viewer")):
        uid = household.users[user]
        await Grant.insert(Grant(key=f"{uid}:{c.profile}", user=uid, profile=c.profile, role=role))
    return c


async def _make(client: httpx.AsyncClient, slug: str, **form: str | list[str]) -> tuple[int, str]:
    """Make a link through the form; its id and full address (with the SHL fragment)."""
    r = await client.post(f"/profiles/{slug}/sharing", data={"expires": "7d", **form})
    assert r.status_code == 303, r.text[:500]
    page = await client.get(r.headers["location"])
    assert page.status_code == 200
    share_id = int(r.headers["location"].split("/")[-1].split("?")[0])
    match = re.search(
        r'data-testid="share-url"[^>]*|value="([^"]+)" data-testid="share-url"', page.text
    )
    assert match and match.group(1), page.text[:2000]
    return share_id, match.group(1).replace("&amp;", "&")


def _path(full: str) -> str:
    return "/" + full.split("#")[0].split("/", 3)[3]


async def test_owner_makes_a_link_and_a_clinician_reads_the_summary(
    app: Starlette, household: Household
) -> None:
    c = await _grace(household)
    async with new_client(app) as owner, new_client(app) as clinician:
        await login(owner, "olga")
        share_id, full = await _make(
            owner, c.slug, label="Dr. Patel, cardiology", document=[str(c.docs["labs"])], labs="on"
        )
        assert full.startswith("http://127.0.0.1:8000/s/") and "#shlink:/" in full
        r = await clinician.get(_path(full), headers={"user-agent": "ClinicBrowser/1.0"})
        assert r.status_code == 200
        assert r.headers["content-security-policy"] == CSP
        text = r.text
        assert "Grace Hopper" in text and "1946-12-09" in text and "Dr. Patel, cardiology" in text
        assert "Hypertension" in text and "Penicillin" in text and "Lisinopril" in text
        assert 'data-testid="unreviewed"' in text  # unreviewed facts visibly marked
        for hidden in c.hidden:  # rejected, held, another patient's document: never shown
            assert hidden not in text, hidden
        # Citations lead only into the chosen document, inside the share.
        cited = re.findall(r'href="([^"]+)" data-testid="citation-link"', text)
        assert cited and all(
            u.startswith(f"{_path(full)}/documents/{c.docs['labs']}?fact=") for u in cited
        )
        doc = await clinician.get(cited[0].replace("&amp;", "&").split("#")[0])
        assert doc.status_code == 200 and 'data-testid="citation"' in doc.text
        listing = await owner.get(f"/profiles/{c.slug}/sharing")
        assert "opened 1 time, last on" in listing.text
        log = await owner.get(f"/profiles/{c.slug}/sharing/{share_id}")
        assert "ClinicBrowser/1.0" in log.text


async def test_labs_and_vitals_only_when_chosen(app: Starlette, household: Household) -> None:
    c = await _grace(household)
    async with new_client(app) as owner, new_client(app) as clinician:
        await login(owner, "olga")
        _, with_labs = await _make(owner, c.slug, labs="on", vitals="on")
        _, without = await _make(owner, c.slug)
        full = (await clinician.get(_path(with_labs))).text
        bare = (await clinician.get(_path(without))).text
        assert 'data-testid="lab"' in full and 'data-testid="lab"' not in bare
        assert "Hypertension" in bare


async def test_passcode_first_then_throttle_and_lock(app: Starlette, household: Household) -> None:
    c = await _grace(household)
    async with new_client(app) as owner, new_client(app) as clinician:
        await login(owner, "olga")
        share_id, full = await _make(owner, c.slug, passcode="sesame-42")
        base = _path(full)
        first = await clinician.get(base)
        assert first.status_code == 200 and 'data-testid="passcode-form"' in first.text
        assert "Grace" not in first.text and "Hypertension" not in first.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', first.text)
        assert token
        csrf = token.group(1)
        wrong = await clinician.post(base, data={"passcode": "nope-nope", "csrf_token": csrf})
        assert wrong.status_code == 401 and f"{links.LOCK_AFTER - 1} tries left" in wrong.text
        # The document and its images stay closed without the passcode.
        doc = await clinician.get(f"{base}/documents/{c.docs['labs']}")
        assert doc.status_code == 303
        right = await clinician.post(base, data={"passcode": "sesame-42", "csrf_token": csrf})
        assert right.status_code == 303
        page = await clinician.get(base)
        assert "Hypertension" in page.text
        # Another browser has not given the passcode.
        async with new_client(app) as stranger:
            theirs = await stranger.get(base)
            assert "Hypertension" not in theirs.text
            mine = re.search(r'name="csrf_token" value="([^"]+)"', theirs.text)
            assert mine
            for n in range(links.LOCK_AFTER):
                await ShareLink.update({ShareLink.last_failed: 0.0}).where(ShareLink.id == share_id)
                guess = {"passcode": f"guess-{n}", "csrf_token": mine.group(1)}
                assert (await stranger.post(base, data=guess)).status_code in (401, 403)
            locked = await stranger.get(base)
            assert locked.status_code == 403 and 'data-testid="share-locked"' in locked.text
        # Locked: even the browser that knew the passcode is shown nothing more.
        assert "Hypertension" not in (await clinician.get(base)).text
        listing = await owner.get(f"/profiles/{c.slug}/sharing/{share_id}")
        assert 'data-testid="share-status">locked' in listing.text
        assert "wrong passcode" in listing.text
        r = await owner.post(f"/profiles/{c.slug}/sharing/{share_id}/unlock")
        assert r.status_code == 303
        assert "Hypertension" in (await clinician.get(base)).text


async def test_revocation_and_expiry_end_an_open_page_at_its_next_request(
    app: Starlette, household: Household
) -> None:
    c = await _grace(household)
    async with new_client(app) as owner, new_client(app) as clinician:
        await login(owner, "olga")
        share_id, full = await _make(owner, c.slug, document=[str(c.docs["labs"])])
        base = _path(full)
        doc = f"{base}/documents/{c.docs['labs']}"
        assert (await clinician.get(base)).status_code == 200
        assert (await clinician.get(doc)).status_code == 200
        r = await owner.post(f"/profiles/{c.slug}/sharing/{share_id}/revoke")
        assert r.status_code == 303
        for path in (base, doc, f"{doc}/page/1"):
            gone = await clinician.get(path)
            assert gone.status_code == 404 and "Grace" not in gone.text, path
        _, other = await _make(owner, c.slug)
        assert (await clinician.get(_path(other))).status_code == 200
        await ShareLink.update(
            {ShareLink.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True
        )
        assert (await clinician.get(_path(other))).status_code == 404


async def test_viewers_and_strangers_cannot_share(app: Starlette, household: Household) -> None:
    c = await _grace(household)
    async with new_client(app) as carol, new_client(app) as dave:
        await login(carol, "carol")
        await login(dave, "dave")
        assert (await carol.get(f"/profiles/{c.slug}/sharing")).status_code == 403
        r = await carol.post(f"/profiles/{c.slug}/sharing", data={"expires": "7d"})
        assert r.status_code == 403
        assert (await dave.get(f"/profiles/{c.slug}/sharing")).status_code == 404
        assert await ShareLink.count() == 0


async def test_bad_input_is_said_plainly(app: Starlette, household: Household) -> None:
    c = await _grace(household)
    async with new_client(app) as owner:
        await login(owner, "bob")  # caregivers share too
        for form, message in (
            ({"expires": "date", "expires_date": "2020-01-01"}, "must be in the future"),
            ({"passcode": "123"}, "at least 6 characters"),
            ({"document": str(household.docs["kid"])}, "documents of this profile"),
        ):
            r = await owner.post(f"/profiles/{c.slug}/sharing", data=form)
            assert r.status_code == 400 and message in r.text, form
        assert await ShareLink.count() == 0


async def test_base_url_setting_builds_the_links(
    app: Starlette, household: Household, app_services: Services
) -> None:
    c = await _grace(household)
    object.__setattr__(app_services.settings, "base_url", "https://kc.example.org/")
    async with new_client(app) as owner:
        await login(owner, "olga")
        _, full = await _make(owner, c.slug)
        assert full.startswith("https://kc.example.org/s/")
        page = await owner.get(f"/profiles/{c.slug}/sharing")
        assert 'data-testid="share-row"' in page.text


async def test_every_view_is_logged(app: Starlette, household: Household) -> None:
    c = await _grace(household)
    async with new_client(app) as owner, new_client(app) as clinician:
        await login(owner, "olga")
        share_id, full = await _make(owner, c.slug, passcode="sesame-42")
        base = _path(full)
        first = await clinician.get(base)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', first.text)
        assert csrf
        await clinician.post(base, data={"passcode": "nope-nope", "csrf_token": csrf.group(1)})
        await clinician.post(base, data={"passcode": "sesame-42", "csrf_token": csrf.group(1)})
        await clinician.get(base)
        rows = (
            await ShareView.select(ShareView.what, ShareView.outcome)
            .where(ShareView.link == share_id)
            .order_by(ShareView.id)
        )
        assert [(r["what"], r["outcome"]) for r in rows] == [
            ("page", "passcode_asked"),
            ("passcode", "wrong_passcode"),
            ("passcode", "ok"),
            ("page", "ok"),
        ]
        link = await ShareLink.select(ShareLink.views).where(ShareLink.id == share_id).first()
        assert link == {"views": 1}


async def test_emergency_card(app: Starlette, household: Household) -> None:
    c = await _grace(household)
    async with new_client(app) as owner, new_client(app) as carol, new_client(app) as responder:
        await login(owner, "bob")
        await login(carol, "carol")
        r = await owner.post(
            f"/profiles/{c.slug}/emergency",
            data={"blood_type": "ab-", "emergency_contacts": "Ada (daughter) +1 555 0100\n\n"},
        )
        assert r.status_code == 303
        bad = await owner.post(f"/profiles/{c.slug}/emergency", data={"blood_type": "Z"})
        assert bad.status_code == 400 and "Blood type" in bad.text
        assert (await carol.get(f"/profiles/{c.slug}/emergency")).status_code == 403
        assert (await carol.post(f"/profiles/{c.slug}/emergency", data={})).status_code == 403
        card = await owner.get(f"/profiles/{c.slug}/emergency")
        assert 'data-testid="emergency-no-link"' in card.text
        assert "AB-" in card.text and "Ada (daughter) +1 555 0100" in card.text
        assert "Penicillin" in card.text and "Lisinopril" in card.text
        assert "Hypertension" in card.text
        r = await owner.post(f"/profiles/{c.slug}/emergency/link", data={"passcode": ""})
        assert r.status_code == 303
        card = await owner.get(f"/profiles/{c.slug}/emergency")
        assert 'data-testid="emergency-qr"' in card.text and "<svg" in card.text
        first = await ShareLink.select().where(ShareLink.kind == "emergency").first()
        assert first and first["expires_at"] is None and first["revoked_at"] is None
        # Replacing it revokes the old one: one card, one way in.
        await owner.post(f"/profiles/{c.slug}/emergency/link", data={"passcode": ""})
        rows = await ShareLink.select(ShareLink.revoked_at).where(ShareLink.kind == "emergency")
        assert sorted(r["revoked_at"] is None for r in rows) == [False, True]
        page = await owner.get(f"/profiles/{c.slug}/emergency")
        qr_link = re.search(r"/profiles/[^/]+/sharing/(\d+)", page.text)
        assert qr_link
        detail = await owner.get(f"/profiles/{c.slug}/sharing/{qr_link.group(1)}")
        url = re.search(r'value="([^"]+)" data-testid="share-url"', detail.text)
        assert url
        shared = await responder.get(_path(url.group(1).replace("&amp;", "&")))
        assert "AB-" in shared.text and "Ada (daughter)" in shared.text


async def test_qr_codes_and_the_printout(app: Starlette, household: Household) -> None:
    c = await _grace(household)
    async with new_client(app) as owner:
        await login(owner, "olga")
        share_id, full = await _make(owner, c.slug, label="Dr. Patel")
        page = await owner.get(f"/profiles/{c.slug}/sharing/{share_id}")
        qr = re.search(r'data-testid="share-qr">(<svg.*?</svg>)', page.text, re.S)
        assert qr and "style=" not in qr.group(1) and "<script" not in qr.group(1)
        printout = await owner.get(f"/profiles/{c.slug}/sharing/{share_id}/print")
        assert printout.status_code == 200 and "<svg" in printout.text
        assert _path(full) in printout.text and "Dr. Patel" in printout.text
        assert 'data-testid="profile-nav"' not in printout.text
        assert printout.headers["content-security-policy"] == CSP
        pdf = await owner.get(f"/profiles/{c.slug}/sharing/{share_id}/summary.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf.headers["content-type"] == "application/pdf"
        document = pdfium.PdfDocument(pdf.content)
        printed = document[0].get_textpage().get_text_range().replace("\r", "").replace("\n", "")
        assert _path(full) in printed  # the link's address is printed beside its QR code
        await owner.post(f"/profiles/{c.slug}/sharing/{share_id}/revoke")
        gone = await owner.get(f"/profiles/{c.slug}/sharing/{share_id}/summary.pdf")
        assert gone.status_code == 404
        # Another profile's link is not found under this one.
        assert (await owner.get(f"/profiles/dad/sharing/{share_id}")).status_code == 404


async def test_a_document_filed_elsewhere_leaves_the_share(
    app: Starlette, household: Household
) -> None:
    c = await _grace(household)
    async with new_client(app) as owner, new_client(app) as clinician:
        await login(owner, "olga")
        _, full = await _make(owner, c.slug, document=[str(c.docs["labs"])], labs="on")
        doc = f"{_path(full)}/documents/{c.docs['labs']}"
        assert (await clinician.get(doc)).status_code == 200
        await Document.update({Document.profile: household.profiles["kid"]}).where(
            Document.id == c.docs["labs"]
        )
        assert (await clinician.get(doc)).status_code == 404
        page = await clinician.get(_path(full))
        assert f"/documents/{c.docs['labs']}" not in page.text


async def test_making_revoking_and_unlocking_are_in_the_profiles_audit_log(
    app: Starlette, household: Household
) -> None:
    c = await _grace(household)
    async with new_client(app) as owner:
        await login(owner, "olga")
        share_id, _ = await _make(owner, c.slug, label="Dr. Patel")
        await owner.post(f"/profiles/{c.slug}/sharing/{share_id}/unlock")
        await owner.post(f"/profiles/{c.slug}/sharing/{share_id}/revoke")
        await owner.post(f"/profiles/{c.slug}/emergency", data={"blood_type": "O+"})
    rows = await AuditEvent.select(
        AuditEvent.kind, AuditEvent.actor_name, AuditEvent.ip, AuditEvent.subject
    ).where((AuditEvent.profile == c.profile) & AuditEvent.kind.like("%share%"))
    assert [(r["kind"], r["actor_name"], r["subject"]) for r in rows] == [
        ("share_created", "olga", f"share:{share_id}"),
        ("share_unlocked", "olga", f"share:{share_id}"),
        ("share_revoked", "olga", f"share:{share_id}"),
    ]
    assert all(r["ip"] == "127.0.0.1" for r in rows)
    assert await AuditEvent.exists().where(AuditEvent.kind == "emergency_details_changed")
