"""Opening the database named by the settings, and applying committed migrations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    dict_factory,
)
from piccolo.querystring import QueryString
from piccolo.table import Table

from server.db import migrate, piccolo_conf
from server.db.tables import TABLES
from server.errors import Unavailable
from server.settings import Settings, SettingsError

log = logging.getLogger(__name__)


class DatabaseError(Unavailable):
    """The database could not be opened or migrated."""


class DatabaseBusy(Unavailable):
    """Another process held the SQLite database's write lock for longer than the busy timeout."""


def make_engine(url: str, *, busy_seconds: float = 60.0) -> Engine:
    """An engine for a `sqlite:///path` or `postgresql://` URL.

    As everywhere else (SQLAlchemy, Django's dj-database-url): what follows `sqlite:///` is the
    path, so `sqlite:///data/k.sqlite3` is relative to the working folder and
    `sqlite:////var/lib/k.sqlite3` is absolute.
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A long busy timeout: the server, `kinchart ingest` and workers share one file.
        return PooledSQLiteEngine(path=str(path), timeout=busy_seconds)
    if parsed.scheme in ("postgres", "postgresql"):
        config = {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or 5432,
            "user": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "database": parsed.path.lstrip("/"),
        }
        return PostgresEngine(config={k: v for k, v in config.items() if v != ""})
    raise SettingsError(
        f"KINCHART_DATABASE_URL must start with sqlite:/// or postgresql:// (got {parsed.scheme!r})"
    )


def sqlite_path(url: str) -> Path:
    """The file a `sqlite://` URL names (see `make_engine`)."""
    rest = url.split(":", 1)[1].split("?", 1)[0]
    if rest.startswith("///"):
        rest = rest[3:]
    elif rest.startswith("//"):  # sqlite://file.db, a form some tools write
        rest = rest[2:]
    if not rest:
        raise SettingsError("KINCHART_DATABASE_URL names no SQLite file (sqlite:///path)")
    return Path(unquote(rest))


def bind(engine: Engine) -> None:
    """Point Piccolo (our tables, its migration table and its config) at one engine."""
    piccolo_conf.DB = engine
    tables: list[type[Table]] = [*TABLES, Migration]
    for table in tables:
        table._meta.db = engine


async def connect(settings: Settings, *, migrate: bool = True) -> Engine:
    """Open the database, apply pending migrations and return the engine."""
    try:
        engine = make_engine(
            settings.effective_database_url, busy_seconds=settings.sqlite_busy_seconds
        )
    except OSError as exc:  # the SQLite file's folder cannot be made
        raise DatabaseError(f"Cannot open the SQLite database: {exc}") from exc
    bind(engine)
    if isinstance(engine, SQLiteEngine):
        _warn_if_misplaced(settings, Path(engine.path))
        try:
            _prepare_sqlite(Path(engine.path))
        except sqlite3.Error as exc:
            raise DatabaseError(f"Cannot open the SQLite database {engine.path}: {exc}") from exc
    elif isinstance(engine, PostgresEngine):
        await _start_pool(engine)
    if migrate:
        try:
            await apply_migrations(engine, settings.data_dir / "backups")
        except BaseException:
            await close(engine)  # a start that fails leaves no pool behind
            raise
    return engine


def _warn_if_misplaced(settings: Settings, path: Path, root: Path = Path("/")) -> None:
    """Versions before 2026-11-21 read a relative default path as absolute (./data -> /data)."""
    if settings.database_url or path.is_absolute() or path.exists():
        return
    old = root / path
    if old.exists():
        log.warning(
            "A database from an earlier Kinchart was left at %s, outside the data folder. "
            "Kinchart now uses %s: stop the server and move the file (with any -wal and -shm "
            "files beside it) there to keep its users, profiles and documents.",
            old,
            path.resolve(),
        )


async def close(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    elif isinstance(engine, PooledSQLiteEngine):
        await asyncio.to_thread(engine.close_readers)


async def apply_migrations(engine: Engine, backup_dir: Path | None = None) -> None:
    """Apply pending migrations, each atomically, after a copy of a database that had some
    applied already (db/migrate.py)."""
    try:
        await migrate.apply(engine, backup_dir=backup_dir)
    except migrate.MigrationFailed as exc:
        raise DatabaseError(exc.user_message) from exc


def write_transaction(engine: Engine) -> contextlib.AbstractAsyncContextManager[object]:
    """A transaction that takes the write lock up front (SQLite) so it cannot deadlock."""
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def _prepare_sqlite(path: Path) -> None:
    # WAL lets readers (web pages) run while a worker writes; it persists in the file.
    con = sqlite3.connect(path, timeout=60)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
    finally:
        con.close()


async def _start_pool(engine: PostgresEngine) -> None:
    try:
        await engine.start_connection_pool(min_size=1, max_size=10)
    except Exception as exc:  # asyncpg raises many kinds; all mean "cannot connect"
        raise DatabaseError(f"Cannot connect to PostgreSQL: {exc}") from exc


READERS = 4  # kept-open read connections; WAL lets them all read while one writer writes


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, with plain SELECTs on a few connections kept open.

    Piccolo opens a new connection (and a new thread) for every query, which costs more than
    a typical query here. Outside a transaction, a SELECT runs instead in one hop to a small
    pool of threads, each with its own connection. Each statement is its own read transaction
    (autocommit), so it sees everything committed before it started, by this process or any
    other: a revoked grant or an ended session shows on the very next query. These connections
    are `query_only`: a write mistaken for a read would fail loudly rather than run there.
    Writes and transactions take Piccolo's own path, unchanged.
    """

    def __init__(self, path: str, readers: int = READERS, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._pool = ThreadPoolExecutor(readers, thread_name_prefix="kinchart-sqlite-read")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return ClosingTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False) -> Any:
        if (
            self._closed
            or self.current_transaction.get() is not None
            or not _is_select(querystring)
        ):
            return await super().run_querystring(querystring, in_pool)
        sql, args = querystring.compile_string(engine_type=self.engine_type)
        query_id = self.get_query_id()
        if self.log_queries:
            self.print_query(query_id=query_id, query=str(querystring))
        loop = asyncio.get_running_loop()
        try:
            pending = loop.run_in_executor(self._pool, self._read, sql, args)
        except RuntimeError:  # the pool closed in the meantime
            return await super().run_querystring(querystring, in_pool)
        response = await pending
        if self.log_responses:
            self.print_response(query_id=query_id, response=response)
        return response

    def _read(self, sql: str, args: list[Any]) -> list[dict[str, Any]]:
        con = getattr(self._local, "connection", None)
        if con is None:
            con = self._local.connection = self._open()
        cursor = con.execute(sql, args)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()
            if con.in_transaction:  # never keep a snapshot open between queries
                con.rollback()

    def _open(self) -> sqlite3.Connection:
        # Closed by `close_readers` from another thread once the pool has stopped.
        con = sqlite3.connect(**self.connection_kwargs, check_same_thread=False)
        con.row_factory = dict_factory
        con.execute("PRAGMA foreign_keys = 1")
        con.execute("PRAGMA query_only = 1")
        with self._guard:
            self._connections.append(con)
        return con

    @property
    def open_readers(self) -> int:
        """How many read connections are open."""
        with self._guard:
            return len(self._connections)

    def close_readers(self) -> None:
        """Stop the read pool and close its connections (later queries open their own)."""
        self._closed = True
        self._pool.shutdown(wait=True)
        with self._guard:
            connections, self._connections = self._connections, []
        for con in connections:
            con.close()


def _is_select(querystring: QueryString) -> bool:
    """Whether the query starts with SELECT, read from its template without compiling it (a
    large insert costs more to compile than to run). Only speed depends on it: the read
    connections refuse anything that is not a read."""
    while True:
        template = querystring.template.lstrip()
        first = querystring.args[0] if querystring.args else None
        if template.startswith("{}") and isinstance(first, QueryString):
            querystring = first  # Piccolo nests the statement's first part
            continue
        head = template[:7].upper()
        return head.startswith("SELECT") and not head[6:].isalnum()


class ClosingTransaction(SQLiteTransaction):
    """Piccolo's SQLite transaction, with its connection closed however it ends.

    Piccolo's leaves the connection open when BEGIN or COMMIT fails (a database locked by
    another process past the busy timeout): its thread, not a daemon, then kept `kinchart
    ingest` from ever exiting. A lock held too long becomes `DatabaseBusy`, in words.
    """

    async def __aenter__(self) -> SQLiteTransaction:
        try:
            return await super().__aenter__()
        except BaseException as exc:
            connection = getattr(self, "connection", None)
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.close()
            _raise_busy(self.engine, exc)
            raise

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent is not None:
            return await super().__aexit__(exception_type, exception, traceback)
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await self.connection.close()
            with contextlib.suppress(Exception):
                self.engine.current_transaction.reset(self.context)
            _raise_busy(self.engine, exc)
            raise


def _raise_busy(engine: Engine, exc: BaseException) -> None:
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        timeout = getattr(engine, "connection_kwargs", {}).get("timeout", "?")
        raise DatabaseBusy(
            f"The database is locked: another process has held its write lock for more than "
            f"{timeout} s (KINCHART_SQLITE_BUSY_SECONDS). Nothing was recorded; try again "
            "when it is done (a long `sqlite3` session or a stuck process?)."
        ) from exc
