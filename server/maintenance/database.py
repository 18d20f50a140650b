"""A consistent copy of the database while it is in use, putting one back, and checking it.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent state while
the server writes (WAL readers never block the writer). PostgreSQL: `pg_dump` in the snapshot
of a transaction of ours (`pg_export_snapshot`), so that the list of originals read in that
transaction is exactly the list the dump names.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse, urlunparse

import asyncpg

from server.db.engine import sqlite_path
from server.errors import BadInput, Unavailable


class DatabaseCopyError(Unavailable):
    """The database could not be copied, restored or checked."""


@dataclass(frozen=True)
class Snapshot:
    """A copy of the database in a file, and the originals it names."""

    kind: str  # "sqlite" | "postgresql"
    path: Path
    originals: dict[str, int]  # sha256 -> size, as the copy records them


def kind_of(url: str) -> str:
    return "sqlite" if urlparse(url).scheme == "sqlite" else "postgresql"


async def snapshot(url: str, dest: Path) -> Snapshot:
    """Copy the database named by `url` into the file `dest`, consistently, while it is used."""
    if kind_of(url) == "sqlite":
        return await asyncio.to_thread(_sqlite_snapshot, sqlite_path(url), dest)
    return await _pg_snapshot(url, dest)


def _sqlite_snapshot(src: Path, dest: Path) -> Snapshot:
    if not src.exists():
        raise DatabaseCopyError(f"There is no database at {src} to back up.")
    dest.unlink(missing_ok=True)
    con = sqlite3.connect(src, timeout=60)
    out = sqlite3.connect(dest)
    try:
        # In one step: a WAL read transaction does not hold up the server's writes meanwhile.
        con.backup(out)
        originals = {r[0]: r[1] for r in out.execute("SELECT sha256, size FROM document")}
    except sqlite3.Error as exc:
        raise DatabaseCopyError(f"Could not copy the SQLite database {src}: {exc}") from exc
    finally:
        out.close()
        con.close()
    return Snapshot("sqlite", dest, originals)


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseCopyError(
            f"`{name}` was not found: install the PostgreSQL client (Debian: postgresql-client) "
            "of the server's major version or newer."
        )
    return path


def _tool_major(tool: str) -> int:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(m.group(1)) if m else 0


async def _check_versions(con: asyncpg.Connection, tool: str) -> None:
    """pg_dump refuses (or worse, misreads) a server newer than itself: say so first."""
    server = int(await con.fetchval("SHOW server_version_num")) // 10000
    client = await asyncio.to_thread(_tool_major, tool)
    if client < server:
        raise DatabaseCopyError(
            f"{Path(tool).name} is version {client} but the PostgreSQL server is version "
            f"{server}: install the PostgreSQL {server} client tools (or newer)."
        )


async def _pg_connect(url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(url)
    except Exception as exc:  # asyncpg raises many kinds; all mean "cannot connect"
        raise DatabaseCopyError(f"Cannot connect to PostgreSQL: {exc}") from exc


async def _pg_snapshot(url: str, dest: Path) -> Snapshot:
    tool = pg_tool("pg_dump")
    con = await _pg_connect(url)
    try:
        await _check_versions(con, tool)
        async with con.transaction(isolation="repeatable_read", readonly=True):
            snap = await con.fetchval("SELECT pg_export_snapshot()")
            rows = await con.fetch("SELECT sha256, size FROM document")
            originals = {r["sha256"]: r["size"] for r in rows}
            dest.unlink(missing_ok=True)
            dbname, env = _without_password(url)
            proc = await asyncio.create_subprocess_exec(
                tool, "--format=custom", "--no-owner", "--no-privileges",
                f"--snapshot={snap}", f"--file={dest}", f"--dbname={dbname}", env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, err = await proc.communicate()
            if proc.returncode != 0:
                raise DatabaseCopyError(f"pg_dump failed: {err.decode(errors='replace').strip()}")
    finally:
        await con.close()
    return Snapshot("postgresql", dest, originals)


def _without_password(url: str) -> tuple[str, dict[str, str]]:
    """The URL for pg_dump's command line without its password (any local user can read a
    command line), and an environment carrying it instead."""
    parsed = urlparse(url)
    env = dict(os.environ)
    if parsed.password is None:
        return url, env
    env["PGPASSWORD"] = unquote(parsed.password)
    host = parsed.hostname or ""
    netloc = f"{parsed.username or ''}@{host}" + (f":{parsed.port}" if parsed.port else "")
    return urlunparse(parsed._replace(netloc=netloc)), env


async def is_empty(url: str) -> bool:
    """Whether the database has no tables (a fresh one to restore into)."""
    if kind_of(url) == "sqlite":
        path = sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return True
        con = sqlite3.connect(path)
        try:
            return con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            con.close()
    con = await _pg_connect(url)
    try:
        n = await con.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        return int(n) == 0
    finally:
        await con.close()


async def put_back(url: str, src: Path, kind: str) -> None:
    """Replace the database named by `url` with the copy in `src` (checked empty before)."""
    if kind != kind_of(url):
        raise BadInput(
            f"This backup holds a {kind} database but KINCHART_DATABASE_URL names a "
            f"{kind_of(url)} one: restore into the same kind of database."
        )
    if kind == "sqlite":
        await asyncio.to_thread(_sqlite_put_back, sqlite_path(url), src)
        return
    con = await _pg_connect(url)
    try:
        await con.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await con.close()
    dbname, env = _without_password(url)
    proc = await asyncio.create_subprocess_exec(
        pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
        "--exit-on-error", f"--dbname={dbname}", str(src), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise DatabaseCopyError(f"pg_restore failed: {err.decode(errors='replace').strip()}")


def _sqlite_put_back(dest: Path, src: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    tmp = dest.with_name(dest.name + ".restoring")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(src)
    out = sqlite3.connect(tmp)
    try:
        con.backup(out)
    finally:
        out.close()
        con.close()
    tmp.replace(dest)


async def integrity(url: str) -> list[str]:
    """The database's own integrity check: what it reports wrong (empty when sound)."""
    if kind_of(url) == "sqlite":
        return await asyncio.to_thread(_sqlite_integrity, sqlite_path(url))
    con = await _pg_connect(url)
    problems: list[str] = []
    try:
        # PostgreSQL has no single integrity check: amcheck verifies every B-tree index
        # against its table when the extension is there; else reading every table end to
        # end finds unreadable pages (checksums, when the cluster has them).
        tables = [
            r["tablename"]
            for r in await con.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        for table in tables:
            try:
                await con.fetchval(f'SELECT count(*) FROM (SELECT * FROM "{table}") AS t')
            except asyncpg.PostgresError as exc:
                problems.append(f"table {table} cannot be read: {exc}")
        if await con.fetchval("SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'"):
            indexes = await con.fetch(
                "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = current_schema()"
            )
            for idx in indexes:
                try:
                    await con.execute("SELECT bt_index_check($1, true)", idx["oid"])
                except asyncpg.PostgresError as exc:
                    problems.append(f"index {idx['relname']}: {exc}")
    finally:
        await con.close()
    return problems


def _sqlite_integrity(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        problems = [r for r in rows if r != "ok"]
        problems += [
            f"row {r[1]} of {r[0]} refers to a missing row of {r[2]}"
            for r in con.execute("PRAGMA foreign_key_check")
        ]
        return problems
    except sqlite3.Error as exc:
        return [f"the SQLite file cannot be read: {exc}"]
    finally:
        con.close()
