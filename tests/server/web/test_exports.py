"""The export from the profile's page: owners and caregivers build the archive in the
background, watch its progress and download it; nobody else gets it, not even another
person with a role on the profile."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import zipfile

from starlette.applications import Starlette

from server.runtime import Services
from tests.fixtures.people import SECRET_NAME, Household, login
from tests.server.conftest import new_client

HTMX = {"HX-Request": "true"}


async def test_caregiver_builds_and_downloads_the_archive(
    app: Starlette, app_services: Services, household: Household
) -> None:
    async with new_client(app) as client:
        await login(client, "bob")  # caregiver of dad
        page = await client.get("/profiles/dad")
        assert 'data-testid="export-link"' in page.text
        r = await client.get("/profiles/dad/export")
        assert r.status_code == 200 and 'data-testid="export-form"' in r.text
        assert (await client.get("/profiles/dad/export.zip")).status_code == 409
        r = await client.post("/profiles/dad/export", headers=HTMX)
        assert r.status_code == 202 and r.text.lstrip().startswith('<section id="export"')
        for _ in range(100):
            if 'data-testid="export-ready"' in r.text or "export-error" in r.text:
                break
            assert 'hx-trigger="every 1s"' in r.text and "export-progress" in r.text
            await asyncio.sleep(0.1)
            r = await client.get("/profiles/dad/export", headers=HTMX)
        assert 'data-testid="export-ready"' in r.text, r.text
        got = await client.get("/profiles/dad/export.zip")
        assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
        assert "attachment" in got.headers["content-disposition"]
        with zipfile.ZipFile(io.BytesIO(got.content)) as z:
            manifest = json.loads(z.read("dad/manifest.json"))
            original = z.read(f"dad/originals/{SECRET_NAME}")
        stored = app_services.store.original_path(hashlib.sha256(original).hexdigest())
        assert stored.read_bytes() == original
        assert {d["original_name"] for d in manifest["documents"]} == {SECRET_NAME}

    async with new_client(app) as other:
        await login(other, "olga")  # owner of dad, but bob's archive is bob's
        assert (await other.get("/profiles/dad/export.zip")).status_code == 409
    async with new_client(app) as viewer:
        await login(viewer, "carol")  # viewer: may not export
        assert (await viewer.post("/profiles/dad/export")).status_code == 403
        assert (await viewer.get("/profiles/dad/export.zip")).status_code == 403
        page = await viewer.get("/profiles/dad")
        assert 'data-testid="export-link"' not in page.text
