"""The index follows the database: catch-up, state changes, filing, and a broken index at start."""

from __future__ import annotations

import asyncio
import datetime
import shutil
import time
from pathlib import Path

import httpx

from server.app import create_app
from server.db.tables import FAILED, Document, Page
from server.runtime import Services
from server.search import UNFILED
from server.search import projection as sync
from server.search.contract import SearchBackend
from server.settings import Settings
from tests.fixtures.people import SECRET_NAME, UNFILED_NAME, Household, login, make_household
from tests.server.conftest import new_client

EVERYONE = frozenset({UNFILED, 1, 2, 3})


def _search(backend: SearchBackend, q: str) -> list[int]:
    return [h.doc_id for h in backend.query(q, profiles=EVERYONE).hits]


async def test_catch_up_indexes_missing_and_stale_and_drops_what_is_gone(
    app_services: Services, household: Household
) -> None:
    backend = app_services.search
    assert backend is not None
    assert await sync.catch_up(backend) == (3, 0)
    assert await sync.catch_up(backend) == (0, 0)  # nothing to do the second time
    dad, kid, unfiled = household.docs["dad"], household.docs["kid"], household.docs["unfiled"]
    assert backend.stamps()[unfiled][0] == UNFILED
    # Read again (new text, new updated_at), failed, and deleted, all behind the index's back.
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)
    await Page.update({Page.text: "Ferritin 18 ng/mL"}).where(Page.document == dad)
    await Document.update({Document.updated_at: later}).where(Document.id == dad)
    await Document.update({Document.state: FAILED}).where(Document.id == kid)
    await Page.delete().where(Page.document == unfiled)
    await Document.delete().where(Document.id == unfiled)
    assert await sync.catch_up(backend) == (1, 2)
    assert _search(backend, "ferritin") == [dad]
    assert _search(backend, "creatinine") == []
    assert set(backend.stamps()) == {dad}


async def test_refresh_follows_the_database(app_services: Services, household: Household) -> None:
    backend = app_services.search
    assert backend is not None
    await sync.catch_up(backend)
    dad = household.docs["dad"]
    await Document.update({Document.state: FAILED}).where(Document.id == dad)
    assert await sync.refresh([dad, 12345]) is True
    assert dad not in backend.stamps()
    assert await sync.refresh([]) is True


async def test_retrying_a_failed_document_keeps_the_index_in_step(
    client: httpx.AsyncClient, app_services: Services, household: Household
) -> None:
    backend = app_services.search
    assert backend is not None
    await sync.catch_up(backend)
    dad = household.docs["dad"]
    # A document that was searchable, read again and failed: retrying queues it again.
    await Document.update({Document.state: FAILED}).where(Document.id == dad)
    await login(client, "alice")
    r = await client.post(f"/documents/{dad}/retry")
    assert r.status_code == 303
    assert dad not in backend.stamps()


async def test_uploading_an_unfiled_documents_bytes_leaves_it_in_triage_in_the_index(
    app_services: Services, household: Household, tmp_path: Path
) -> None:
    backend = app_services.search
    assert backend is not None
    await sync.catch_up(backend)
    again = tmp_path / "again.pdf"
    again.write_bytes(f"%PDF-1.4 {UNFILED_NAME}".encode())
    result = await app_services.intake.take(
        again, source="upload", profile_id=household.profiles["kid"]
    )
    assert result.outcome == "new" and result.document_id != household.docs["unfiled"]
    assert backend.stamps()[household.docs["unfiled"]][0] == 0, "unfiled: not filed by an upload"


async def test_failed_updates_are_logged_not_raised(
    app_services: Services, household: Household
) -> None:
    class Broken(SearchBackend):
        def _query(self, *a: object) -> object:  # type: ignore[override]
            raise AssertionError

        def _suggest(self, *a: object) -> list[str]:  # type: ignore[override]
            raise AssertionError

        def index(self, docs: object) -> int:  # type: ignore[override]
            raise OSError("disk full")

        remove = rebuild = count = stamps = index  # type: ignore[assignment]

    assert await sync.refresh([household.docs["dad"]], Broken()) is False


async def _wait_for(backend: SearchBackend, count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while backend.count() != count:
        assert time.monotonic() < deadline, f"index has {backend.count()} documents, not {count}"
        await asyncio.sleep(0.05)


async def test_a_broken_or_missing_index_is_rebuilt_at_start(settings: Settings) -> None:
    app = create_app(settings, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        household = await make_household(app.state.services.store)
    index_dir = settings.data_dir / "search"
    for damage in ("corrupt", "missing", "half"):
        if damage == "corrupt":
            for f in index_dir.iterdir():
                if f.is_file():
                    f.write_bytes(b"\x00garbage")
        elif damage == "missing":
            shutil.rmtree(index_dir)
        else:
            for f in index_dir.rglob("*.idx"):
                f.unlink()
        app = create_app(settings, workers=False, watcher=False)
        async with app.router.lifespan_context(app), new_client(app) as client:
            assert (await client.get("/healthz")).status_code == 200  # serving at once
            backend = app.state.services.search
            await _wait_for(backend, 3)
            await login(client, "alice")
            r = await client.get("/search", params={"q": "creatinine"})
            assert SECRET_NAME in r.text, damage
            assert f'data-doc="{household.docs["dad"]}"' in r.text
