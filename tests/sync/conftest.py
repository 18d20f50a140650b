from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from server.runtime import Services
from server.sources.config import NewSource, add_source
from server.sources.runner import SourceRunner
from server.sources.vault import Vault
from sync.pull import Report
from tests.fixtures.davserver import PASSWORD, USER, DavServer

SETTLE = 0.2


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


@pytest.fixture
def dav(share: Path) -> Iterator[DavServer]:
    server = DavServer(share).start()
    yield server
    server.release.set()
    server.stop()


@pytest.fixture
def runner(services: Services) -> SourceRunner:
    return SourceRunner(
        services.intake,
        services.store.tmp,
        Vault(services.settings.data_dir),
        settle_seconds=SETTLE,
    )


AddSource = Callable[..., Awaitable[int]]


@pytest.fixture
def add(services: Services, dav: DavServer) -> AddSource:
    async def add_(**kw: object) -> int:
        fields: dict[str, object] = {"url": dav.url, "username": USER, "password": PASSWORD}
        fields.update(kw)
        row = await add_source(NewSource(**fields), Vault(services.settings.data_dir))  # type: ignore[arg-type]
        return int(row["id"])

    return add_


async def settle_and_run(runner: SourceRunner, source_id: int) -> Report:
    """Two listings a settle time apart: what a polling source does for a new file."""
    first = await runner.run_source(source_id)
    assert first is not None
    await asyncio.sleep(SETTLE)
    second = await runner.run_source(source_id)
    assert second is not None
    second.taken += first.taken
    return second
