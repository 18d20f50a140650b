from __future__ import annotations

import httpx

from server.db.tables import Document
from tests.fixtures.people import SECRET_NAME, Household, login


async def test_pages_have_security_headers_and_no_store(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "alice")
    r = await client.get("/profiles/dad")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["cache-control"] == "no-store"
    assert 'data-testid="upload-form"' in r.text and SECRET_NAME in r.text
    img = await client.get(f"/documents/{household.docs['dad']}/page/1")
    assert img.status_code == 200 and "no-store" in img.headers["cache-control"]


async def test_upload_several_files_into_a_profile(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "bob")  # caregiver of dad
    files = [
        ("files", ("lab one.pdf", b"%PDF-1.4 one", "application/pdf")),
        ("files", ("photo.jpg", b"\xff\xd8\xff two", "image/jpeg")),
        ("files", ("again.pdf", b"%PDF-1.4 one", "application/pdf")),
        ("files", ("empty.pdf", b"", "application/pdf")),
    ]
    r = await client.post(
        "/upload", data={"profile": "dad"}, files=files, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200, r.text
    assert r.text.count('data-outcome="new"') == 2
    assert 'data-outcome="duplicate"' in r.text
    assert 'data-outcome="rejected"' in r.text and "empty" in r.text
    new = await Document.select(Document.original_name, Document.profile).where(
        Document.original_name.is_in(["lab one.pdf", "photo.jpg"])
    )
    assert {d["profile"] for d in new} == {household.profiles["dad"]}
    listing = await client.get("/profiles/dad")
    assert "lab one.pdf" in listing.text and "photo.jpg" in listing.text
    doc = await Document.objects().where(Document.original_name == "photo.jpg").first()
    assert doc is not None
    row = await client.get(f"/documents/{doc.id}/row", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in row.text and 'data-state="queued"' in row.text


async def test_viewer_cannot_upload_and_duplicate_never_links_across_profiles(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "carol")  # viewer of dad
    r = await client.post(
        "/upload",
        data={"profile": "dad"},
        files=[("files", ("x.pdf", b"%PDF x", "application/pdf"))],
    )
    assert r.status_code == 403
    await client.post("/logout")
    await login(client, "erin")  # owner of kid, uploads bytes identical to dad's document
    r = await client.post(
        "/upload",
        data={"profile": "kid"},
        files=[("files", ("same.pdf", f"%PDF-1.4 {SECRET_NAME}".encode(), "application/pdf"))],
        headers={"HX-Request": "true"},
    )
    # Answered exactly as a new file (issue 11, finding 8): nothing says dad's document exists.
    assert 'data-outcome="new"' in r.text and 'data-outcome="duplicate"' not in r.text
    assert f"/documents/{household.docs['dad']}\"" not in r.text


async def test_cross_site_post_is_refused(client: httpx.AsyncClient, household: Household) -> None:
    await login(client, "alice")
    before = await Document.count()
    r = await client.post(
        "/upload",
        data={"profile": "dad"},
        files=[("files", ("x.pdf", b"%PDF x", "application/pdf"))],
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert r.status_code == 403
    assert await Document.count() == before


async def test_original_download_is_byte_identical_with_safe_name(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "alice")
    body = b"%PDF-1.4 original bytes"
    name = 'Bl\u00fcttest "2024".pdf'
    await client.post(
        "/upload", data={"profile": "dad"}, files=[("files", (name, body, "application/pdf"))]
    )
    doc = await Document.objects().where(Document.size == len(body)).first()
    assert doc is not None
    r = await client.get(f"/documents/{doc.id}/original")
    assert r.status_code == 200 and r.content == body
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Bl%C3%BCttest" in disposition
    assert '"2024"' not in disposition


async def test_failed_document_shows_reason_and_retry_requeues(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "bob")
    doc_id = household.docs["dad"]
    await Document.update(
        {Document.state: "failed", Document.failure_reason: "The PDF is damaged beyond repair."}
    ).where(Document.id == doc_id)
    page = await client.get(f"/documents/{doc_id}")
    assert "damaged beyond repair" in page.text and 'data-testid="retry"' in page.text
    r = await client.post(f"/documents/{doc_id}/retry", follow_redirects=False)
    assert r.status_code == 303
    assert (await Document.objects().get(Document.id == doc_id)).state == "queued"
    again = await client.post(f"/documents/{doc_id}/retry")
    assert again.status_code == 409


async def test_missing_things_are_404_pages(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "alice")
    for path in [
        "/documents/999",
        "/documents/abc",
        "/documents/999/original",
        f"/documents/{household.docs['dad']}/page/7",
        "/profiles/nobody",
    ]:
        r = await client.get(path)
        assert r.status_code == 404, path
        assert 'data-testid="error"' in r.text


async def test_document_warnings_are_shown_as_sentences(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "alice")
    doc_id = household.docs["dad"]
    await Document.update({Document.warnings: ["Page 2 had no text after OCR."]}).where(
        Document.id == doc_id
    )
    page = await client.get(f"/documents/{doc_id}")
    assert '<p class="warning">Page 2 had no text after OCR.</p>' in page.text
    assert '<p class="warning">[</p>' not in page.text
