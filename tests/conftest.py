"""Shared fixtures: real SQLite or real PostgreSQL (KINCHART_TEST_DB), fresh per test."""

from __future__ import annotations

import concurrent.futures
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from server.settings import Settings, load_settings

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CORPUS = SHARED / "corpus"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that never open a database run once, in the SQLite pass.
    for item in items:
        if "tests/ocr/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.nodb)


def _backend() -> str:
    return os.environ.get("KINCHART_TEST_DB", "sqlite")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database for one test."""
    if _backend() != "postgres":
        yield f"sqlite:///{tmp_path / 'data' / 'kinchart.sqlite3'}"
        return
    import asyncio

    import asyncpg

    admin = os.environ.get("KINCHART_TEST_PG_ADMIN_URL")
    if not admin:
        pytest.fail("KINCHART_TEST_DB=postgres needs KINCHART_TEST_PG_ADMIN_URL (see run.sh)")
    name = f"kc_{uuid.uuid4().hex[:12]}"

    async def admin_sql(sql: str) -> None:
        con = await asyncpg.connect(admin)
        try:
            await con.execute(sql)
        finally:
            await con.close()

    def run(sql: str) -> None:
        # In a thread of its own: sync Playwright keeps an event loop running in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, admin_sql(sql)).result()

    run(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        environ={},
        env_file=None,
        data_dir=tmp_path / "data",
        inbox_dir=tmp_path / "inbox",
        database_url=database_url,
        ocr_workers=2,
        inbox_stable_seconds=1.0,
        lease_seconds=5.0,
        retry_backoff_seconds=0.1,
        ocr_idle_exit_seconds=30,
    )


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    """Environment for a `kinchart` subprocess using the test's settings."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("KINCHART_")}
    e.update(
        KINCHART_DATA_DIR=str(settings.data_dir),
        KINCHART_INBOX_DIR=str(settings.inbox_dir),
        KINCHART_DATABASE_URL=settings.database_url,
        KINCHART_OCR_WORKERS=str(settings.ocr_workers),
        KINCHART_INBOX_STABLE_SECONDS=str(settings.inbox_stable_seconds),
        KINCHART_LEASE_SECONDS=str(settings.lease_seconds),
        KINCHART_RETRY_BACKOFF_SECONDS="0.1",
    )
    return e


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[object]:
    from server.runtime import running

    async with running(settings) as s:
        yield s
