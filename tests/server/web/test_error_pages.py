"""Error pages (issue 11, finding 9): a bug's 500 page carries the security headers and no
exception text; an upload form carries no token in its URL, and a cross-site upload is
refused without it."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request

from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

SECRET = "secret-detail-of-the-bug"


async def test_a_bug_answers_500_in_words_with_the_security_headers(
    app: Starlette, household: Household
) -> None:
    async def broken(request: Request) -> None:
        raise RuntimeError(SECRET)

    app.add_route("/broken-for-test", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        await login(c, "bob")
        r = await c.get("/broken-for-test")
    assert r.status_code == 500
    assert SECRET not in r.text and "RuntimeError" not in r.text
    assert "still running" in r.text
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"


async def test_the_upload_form_has_no_token_in_its_url_and_cross_site_posts_fail(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as client:
        await login(client, "bob")
        page = await client.get("/profiles/dad")
        assert 'action="/upload"' in page.text and "/upload?csrf_token" not in page.text
        client.headers.pop("X-CSRF-Token", None)  # a plain form post: no header token
        files = [("files", ("a.pdf", b"%PDF-1.4 x", "application/pdf"))]
        cross = await client.post(
            "/upload",
            data={"profile": "dad"},
            files=files,
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        assert cross.status_code == 403
        unproven = await client.post("/upload", data={"profile": "dad"}, files=files)
        assert unproven.status_code == 403, "no header, no origin: the token is needed"
        same = await client.post(
            "/upload",
            data={"profile": "dad"},
            files=files,
            headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8000"},
        )
        assert same.status_code == 200, same.text[:300]
