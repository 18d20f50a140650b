"""The admin's sync sources page against a real WsgiDAV server: add, run now, errors shown."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from server.db.tables import Document, SyncSource
from server.runtime import Services
from server.settings import Settings
from server.sources.config import NewSource, add_source
from server.sources.vault import Vault
from tests.fixtures.davserver import PASSWORD, USER, DavServer
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, sync_settle_seconds=0.2)


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[DavServer]:
    (tmp_path / "share").mkdir()
    server = DavServer(tmp_path / "share").start()
    yield server
    server.stop()


def _form(dav: DavServer, **kw: str) -> dict[str, str]:
    return {
        "url": dav.url,
        "username": USER,
        "password": PASSWORD,
        "remote_path": "/",
        "target": "dad",
        "after": "delete",
        "interval": "3600",
        **kw,
    }


async def _until_documents(n: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while await Document.count() < n:
        assert time.monotonic() < deadline, f"fewer than {n} documents after {timeout} s"
        await asyncio.sleep(0.1)


async def test_admin_adds_a_source_and_run_now_brings_files_in(
    app: Starlette, app_services: Services, household: Household, dav: DavServer
) -> None:
    app_services.start_sync()
    async with new_client(app) as browser:
        await login(browser, "admin")
        bad = await browser.post("/admin/sources", data=_form(dav, password="wrong-password-1"))
        assert bad.status_code == 400 and "wrong password" in bad.text
        assert "wrong-password-1" not in bad.text and dav.url in bad.text  # the form is kept
        assert await SyncSource.count() == 0

        (dav.root / "first.pdf").write_bytes(b"%PDF-1.4 first")
        ok = await browser.post("/admin/sources", data=_form(dav))
        assert ok.status_code == 303
        await _until_documents(4)  # three in the household, and first.pdf
        # The source's counts are written when its pass ends, a moment after the document.
        deadline = time.monotonic() + 15
        while True:
            page = await browser.get("/admin/sources")
            assert page.status_code == 200 and 'data-testid="source-row"' in page.text
            if "1 in all" in page.text or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert PASSWORD not in page.text and "1 in all" in page.text

        (dav.root / "second.pdf").write_bytes(b"%PDF-1.4 second")
        row = await SyncSource.select(SyncSource.id).first()
        assert row is not None
        ran = await browser.post(f"/admin/sources/{row['id']}/run")
        assert ran.status_code == 303
        await _until_documents(5)  # the interval is an hour: only "Run now" did this
        docs = await Document.select(Document.profile).where(Document.source == "webdav")
        assert {d["profile"] for d in docs} == {household.profiles["dad"]}

        removed = await browser.post(f"/admin/sources/{row['id']}/remove")
        assert removed.status_code == 303 and await SyncSource.count() == 0


async def test_the_last_error_is_shown_in_plain_words(
    app: Starlette, app_services: Services, household: Household, dav: DavServer
) -> None:
    vault = Vault(app_services.settings.data_dir)
    row = await add_source(NewSource(dav.url, USER, "stale-password-2"), vault)
    async with new_client(app) as browser:
        await login(browser, "admin")
        no_runner = await browser.post(f"/admin/sources/{row['id']}/run")
        assert no_runner.status_code == 409 and "kinchart sync --once" in no_runner.text
        app_services.start_sync()
        deadline = time.monotonic() + 10
        while True:
            page = await browser.get("/admin/sources")
            if 'data-testid="source-error"' in page.text or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert "refused the user name or password (wrong password?)" in page.text
        assert "stale-password-2" not in page.text
        partial = await browser.get("/admin/sources", headers={"HX-Request": "true"})
        assert partial.text.lstrip().startswith('<div id="sources"')
