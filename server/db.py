"""Opening the database named by the settings, and applying committed migrations."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlparse

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from server import piccolo_conf
from server.settings import Settings, SettingsError
from server.tables import TABLES


class DatabaseError(Exception):
    """The database could not be opened or migrated."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def make_engine(url: str) -> Engine:
    """An engine for a `sqlite:///path` or `postgresql://` URL."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = Path(unquote(parsed.path if not parsed.netloc else parsed.netloc + parsed.path))
        path.parent.mkdir(parents=True, exist_ok=True)
        # A long busy timeout: the server, `kinchart ingest` and workers share one file.
        return SQLiteEngine(path=str(path), timeout=60)
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


def bind(engine: Engine) -> None:
    """Point Piccolo (our tables, its migration table and its config) at one engine."""
    piccolo_conf.DB = engine
    tables: list[type[Table]] = [*TABLES, Migration]
    for table in tables:
        table._meta.db = engine


async def connect(settings: Settings, *, migrate: bool = True) -> Engine:
    """Open the database, apply pending migrations and return the engine."""
    engine = make_engine(settings.effective_database_url)
    bind(engine)
    if isinstance(engine, SQLiteEngine):
        _prepare_sqlite(Path(engine.path))
    elif isinstance(engine, PostgresEngine):
        await _start_pool(engine)
    if migrate:
        await apply_migrations()
    return engine


async def close(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


async def apply_migrations() -> None:
    # Piccolo's runner prints progress with emoji; keep the server's output readable.
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = await run_forwards(app_name="kinchart")
    if not result.success:
        raise DatabaseError(f"Database migration failed: {result.message}\n{out.getvalue()}")


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
