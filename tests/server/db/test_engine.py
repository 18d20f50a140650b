"""The SQLite engine's kept-open read connections: fresh reads, no held snapshots, no writes."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from piccolo.engine.sqlite import TransactionType
from piccolo.querystring import QueryString

from server.db.engine import (
    READERS,
    DatabaseBusy,
    PooledSQLiteEngine,
    SettingsError,
    make_engine,
    sqlite_path,
    write_transaction,
)
from server.settings import load_settings

# The SQLite engine itself, whatever KINCHART_TEST_DB says: run once, in the SQLite pass.
pytestmark = pytest.mark.nodb


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[PooledSQLiteEngine]:
    path = tmp_path / "db.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    assert isinstance(engine, PooledSQLiteEngine)
    with _other(path) as other:
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("CREATE TABLE t (x INTEGER)")
    yield engine
    engine.close_readers()


@contextlib.contextmanager
def _other(path: Path | str) -> Iterator[sqlite3.Connection]:
    """A connection of its own, as another process (a worker, `kinchart revoke`) would have."""
    con = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    try:
        yield con
    finally:
        con.close()


async def _xs(engine: PooledSQLiteEngine) -> list[int]:
    rows = await engine.run_querystring(QueryString("SELECT x FROM t ORDER BY x"))
    return [r["x"] for r in rows]


async def test_reads_reuse_connections_and_see_other_writers_at_once(
    engine: PooledSQLiteEngine,
) -> None:
    with _other(engine.path) as other:
        for i in range(30):
            other.execute("INSERT INTO t VALUES (?)", (i,))
            # The very next read sees what another connection just committed.
            assert await _xs(engine) == list(range(i + 1))
    assert 1 <= engine.open_readers <= READERS, "reads run on a few kept connections"


async def test_no_snapshot_is_held_between_reads(engine: PooledSQLiteEngine) -> None:
    with _other(engine.path) as other:
        other.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
        await asyncio.gather(*(_xs(engine) for _ in range(20)))
        # A truncating checkpoint has to wait for every open read transaction: none is left.
        busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    assert Path(str(engine.path) + "-wal").stat().st_size == 0


async def test_writes_never_run_on_the_read_connections(engine: PooledSQLiteEngine) -> None:
    await engine.run_querystring(QueryString("INSERT INTO t VALUES ({})", 7))
    assert await _xs(engine) == [7]
    await _xs(engine)
    # The read connections refuse writes outright, should one ever be sent there.
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await asyncio.get_running_loop().run_in_executor(
            engine._pool, engine._read, "DELETE FROM t", []
        )
    assert await _xs(engine) == [7]


async def test_transactions_keep_their_connection_and_do_not_block_readers(
    engine: PooledSQLiteEngine,
) -> None:
    async def outside() -> list[int]:
        # A task with no transaction in its context, like another request.
        return await asyncio.create_task(_xs(engine), context=contextvars.Context())

    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.run_querystring(QueryString("INSERT INTO t VALUES ({})", 1))
        assert await _xs(engine) == [1], "the transaction reads its own write"
        assert await asyncio.wait_for(outside(), 5) == [], "others read the last commit"
    assert await outside() == [1]


async def test_after_close_queries_still_work_on_their_own_connections(
    engine: PooledSQLiteEngine,
) -> None:
    await _xs(engine)
    engine.close_readers()
    assert engine.open_readers == 0
    await engine.run_querystring(QueryString("INSERT INTO t VALUES ({})", 3))
    assert await _xs(engine) == [3]
    assert engine.open_readers == 0


def test_reads_are_told_from_writes_without_compiling(engine: PooledSQLiteEngine) -> None:
    from server.db import engine as db
    from server.db import piccolo_conf
    from server.db.tables import User

    before = piccolo_conf.DB
    db.bind(engine)
    try:
        reads = [
            User.select(User.id).where(User.id == 1).first(),
            User.count(),
            User.exists().where(User.username == "x"),
            User.objects().where(User.id == 1),
            User.raw("select 1"),
        ]
        writes = [
            User.insert(User(username="x")),
            User.update({User.disabled: True}).where(User.id == 1),
            User.delete().where(User.id == 1),
            User.raw("INSERT INTO t VALUES (1)"),
            User.raw("WITH a AS (SELECT 1) SELECT * FROM a"),  # a read, but not sent there
        ]
        for query in reads:
            assert all(db._is_select(q) for q in query.querystrings), query
        for query in writes:
            assert not any(db._is_select(q) for q in query.querystrings), query
    finally:
        if before is not None:
            db.bind(before)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///data/kinchart.sqlite3", "data/kinchart.sqlite3"),  # relative
        ("sqlite:////var/lib/kinchart/k.sqlite3", "/var/lib/kinchart/k.sqlite3"),  # absolute
        ("sqlite:///my%20data/k.sqlite3", "my data/k.sqlite3"),
        ("sqlite://k.sqlite3", "k.sqlite3"),
    ],
)
def test_sqlite_urls_name_the_path_after_three_slashes(url: str, path: str) -> None:
    assert sqlite_path(url) == Path(path)


def test_the_default_database_is_inside_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README's first command runs with KINCHART_DATA_DIR=./data: the database must land in
    # ./data, not in /data (a relative path read as absolute).
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={}, env_file=None)
    engine = make_engine(settings.effective_database_url)
    assert isinstance(engine, PooledSQLiteEngine)
    assert Path(engine.path).resolve() == (tmp_path / "data" / "kinchart.sqlite3").resolve()
    assert (tmp_path / "data").is_dir()


def test_an_empty_sqlite_url_is_refused() -> None:
    with pytest.raises(SettingsError, match="names no SQLite file"):
        make_engine("sqlite:///")


def test_a_database_left_outside_the_data_folder_is_pointed_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from server.db.engine import _warn_if_misplaced

    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={}, env_file=None)
    path = sqlite_path(settings.effective_database_url)
    root = tmp_path / "root"
    _warn_if_misplaced(settings, path, root)
    assert not caplog.records  # nothing left behind: nothing to say
    (root / path).parent.mkdir(parents=True)
    (root / path).write_bytes(b"")
    _warn_if_misplaced(settings, path, root)
    [record] = caplog.records
    assert str(root / path) in record.getMessage()
    assert str((tmp_path / path).resolve()) in record.getMessage()
    # Once the database is where it belongs, the old file is not mentioned again.
    caplog.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    _warn_if_misplaced(settings, path, root)
    assert not caplog.records


async def test_a_write_locked_past_the_busy_timeout_says_so_and_leaves_no_thread(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    engine = make_engine(f"sqlite:///{path}", busy_seconds=0.3)
    assert isinstance(engine, PooledSQLiteEngine)
    with _other(path) as other:
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("CREATE TABLE t (x INTEGER)")
    threads = {t for t in threading.enumerate() if not t.daemon}
    try:
        with _other(path) as holder:
            holder.execute("BEGIN IMMEDIATE")  # another process writing, for too long
            with pytest.raises(DatabaseBusy, match=r"locked: .* more than 0.3 s"):
                async with write_transaction(engine):
                    await engine.run_querystring(QueryString("INSERT INTO t VALUES (1)"))
            holder.execute("ROLLBACK")
        # Piccolo left the connection's thread (not a daemon) running: the process never exited.
        # A closed connection's thread ends on its own, within moments on a busy machine.
        left = {t for t in threading.enumerate() if not t.daemon} - threads
        for t in left:
            t.join(10)
        left = {t for t in left if t.is_alive()}
        assert not left, left
        async with write_transaction(engine):  # the lock gone, writing works again
            await engine.run_querystring(QueryString("INSERT INTO t VALUES (2)"))
        assert await engine.run_querystring(QueryString("SELECT x FROM t")) == [{"x": 2}]
    finally:
        engine.close_readers()
