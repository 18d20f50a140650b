from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from server.tables import Document


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app: Starlette = create_app(settings, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
            c.app = app  # type: ignore[attr-defined]
            yield c


async def test_list_page_has_security_headers_and_no_store(client: httpx.AsyncClient) -> None:
    r = await client.get("/documents")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    assert 'data-testid="upload-form"' in r.text


async def test_upload_several_files_queues_them_and_lists_them(client: httpx.AsyncClient) -> None:
    files = [
        ("files", ("lab one.pdf", b"%PDF-1.4 one", "application/pdf")),
        ("files", ("photo.jpg", b"\xff\xd8\xff two", "image/jpeg")),
        ("files", ("again.pdf", b"%PDF-1.4 one", "application/pdf")),
        ("files", ("empty.pdf", b"", "application/pdf")),
    ]
    r = await client.post("/upload", files=files, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.count('data-outcome="new"') == 2
    assert 'data-outcome="duplicate"' in r.text
    assert 'data-outcome="rejected"' in r.text and "empty" in r.text
    assert await Document.count() == 2
    listing = await client.get("/documents")
    assert "lab one.pdf" in listing.text and "photo.jpg" in listing.text
    # A queued row polls itself until it is done.
    doc = await Document.objects().where(Document.original_name == "photo.jpg").first()
    assert doc is not None
    row = await client.get(f"/documents/{doc.id}/row", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in row.text and 'data-state="queued"' in row.text


async def test_cross_site_post_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/upload",
        files=[("files", ("x.pdf", b"%PDF x", "application/pdf"))],
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert r.status_code == 403
    assert await Document.count() == 0


async def test_original_download_is_byte_identical_with_safe_name(
    client: httpx.AsyncClient,
) -> None:
    body = b"%PDF-1.4 original bytes"
    name = 'Bl\u00fcttest "2024".pdf'
    await client.post("/upload", files=[("files", (name, body, "application/pdf"))])
    doc = await Document.objects().first()
    assert doc is not None
    r = await client.get(f"/documents/{doc.id}/original")
    assert r.status_code == 200 and r.content == body
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Bl%C3%BCttest" in disposition
    assert '"2024"' not in disposition


async def test_failed_document_shows_reason_and_retry_requeues(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await client.post("/upload", files=[("files", ("bad.pdf", b"%PDF broken", "application/pdf"))])
    doc = await Document.objects().first()
    assert doc is not None
    await Document.update(
        {Document.state: "failed", Document.failure_reason: "The PDF is damaged beyond repair."}
    ).where(Document.id == doc.id)
    page = await client.get(f"/documents/{doc.id}")
    assert "damaged beyond repair" in page.text and 'data-testid="retry"' in page.text
    r = await client.post(f"/documents/{doc.id}/retry", follow_redirects=False)
    assert r.status_code == 303
    assert (await Document.objects().get(Document.id == doc.id)).state == "queued"
    again = await client.post(f"/documents/{doc.id}/retry")
    assert again.status_code == 409


@pytest.mark.parametrize(
    "path", ["/documents/999", "/documents/abc", "/documents/999/original", "/documents/1/page/1"]
)
async def test_missing_things_are_404_pages(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 404
    assert 'data-testid="error"' in r.text


async def test_document_warnings_are_shown_as_sentences(client: httpx.AsyncClient) -> None:
    await client.post("/upload", files=[("files", ("w.pdf", b"%PDF warn", "application/pdf"))])
    doc = await Document.objects().first()
    assert doc is not None
    await Document.update({Document.warnings: ["Page 2 had no text after OCR."]}).where(
        Document.id == doc.id
    )
    page = await client.get(f"/documents/{doc.id}")
    assert '<p class="warning">Page 2 had no text after OCR.</p>' in page.text
    assert '<p class="warning">[</p>' not in page.text
