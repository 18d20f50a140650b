"""A second empty database, for restoring into."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _backend


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A second empty database, to restore into."""
    if _backend() != "postgres":
        yield f"sqlite:///{tmp_path / 'restored' / 'data' / 'kinchart.sqlite3'}"
        return
    import asyncpg

    admin = os.environ["KINCHART_TEST_PG_ADMIN_URL"]
    name = f"kc_{uuid.uuid4().hex[:12]}"

    def run(sql: str) -> None:
        async def go() -> None:
            con = await asyncpg.connect(admin)
            try:
                await con.execute(sql)
            finally:
                await con.close()

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, go()).result()

    run(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
