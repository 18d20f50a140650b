"""Applying migrations atomically: each one and its record commit together, or not at all.

Piccolo's own runner commits a migration, then records it in a second statement; a kill in
between left tables that the next start tried to create again ("table already exists"), and the
server never started again. Here the migration's statements and its row in the migration table
run in one transaction (SQLite and PostgreSQL both roll DDL back), so a start after a kill at
any moment finds each migration either fully applied and recorded, or not at all.

Before migrations change a database that already has some applied (an upgrade, not a first
start), a copy of it is taken into `<data dir>/backups/`: the SQLite backup API, or `pg_dump`
when it is installed. A copy that cannot be written (disk full) stops the start: an upgrade
never runs without its way back.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import io
import logging
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from server.errors import Unavailable

log = logging.getLogger(__name__)

APP = "kinchart"


class MigrationFailed(Unavailable):
    """A migration could not be applied; nothing of it was kept."""

    def __init__(self, migration: str, cause: BaseException) -> None:
        self.migration = migration
        self.user_message = (
            f"Database migration {migration} failed and was rolled back: {cause}. The database "
            "is as it was before this start. Kinchart will not start on a half-migrated "
            "database: free disk space or fix the database connection and start again; if it "
            "fails again, restore the last backup (deploy/BACKUP.md) and report this message."
        )
        super().__init__(self.user_message)


class PreMigrationBackupFailed(Unavailable):
    """The copy of the database taken before migrating it could not be written."""


async def pending() -> list[str]:
    """The ids of migrations not yet applied, oldest first."""
    finder = BaseMigrationManager()
    await finder.create_migration_table()
    config = finder.get_app_config(APP)
    modules = finder.get_migration_modules(config.resolved_migrations_folder_path)
    ran = set(await Migration.get_migrations_which_ran(app_name=APP))
    return sorted(set(finder.get_migration_ids(modules)) - ran)


async def apply(
    engine: Engine, *, upto: str | None = None, backup_dir: Path | None = None
) -> list[str]:
    """Apply pending migrations (up to and including `upto`, else all), each in one
    transaction with its record; their ids. With `backup_dir`, a database that had
    migrations applied before is copied there first."""
    todo = [m for m in await pending() if upto is None or m <= upto]
    if not todo:
        return []
    if backup_dir is not None and await Migration.get_migrations_which_ran(app_name=APP):
        where = await asyncio.to_thread(backup_before, engine, backup_dir, todo[0])
        if where is not None:
            log.warning(
                "database backed up to %s before applying migration(s) %s; to go back to the "
                "version before this upgrade, restore it (deploy/BACKUP.md)",
                where,
                ", ".join(todo),
            )
    finder = BaseMigrationManager()
    modules = finder.get_migration_modules(
        finder.get_app_config(APP).resolved_migrations_folder_path
    )
    for migration in todo:
        log.info("applying database migration %s", migration)
        try:
            async with engine.transaction():
                manager = await modules[migration].forwards()
                if isinstance(manager, MigrationManager):
                    # Its own transaction joins ours; it prints progress with emoji.
                    with contextlib.redirect_stdout(io.StringIO()):
                        await manager.run()
                await Migration.insert(Migration(name=migration, app_name=APP))
        except Exception as exc:
            raise MigrationFailed(migration, exc) from exc
    return todo


def backup_before(engine: Engine, folder: Path, first: str) -> Path | None:
    """Copy the database into `folder` before migration `first` changes it; where, or None
    when no copy can be made here (PostgreSQL without pg_dump: said in the log)."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"pre-migrate-{re.sub(r'[^0-9A-Za-z_.-]', '-', first)}-{stamp}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(engine, SQLiteEngine):
            return _sqlite_copy(Path(engine.path), folder / f"{name}.sqlite")
        if isinstance(engine, PostgresEngine):
            return _pg_dump(engine.config, folder / f"{name}.pgdump")
    except (OSError, sqlite3.Error, subprocess.SubprocessError) as exc:
        raise PreMigrationBackupFailed(
            f"Before migrating the database, Kinchart copies it into {folder}, and that "
            f"failed: {exc}. Nothing was changed. Free disk space there and start again."
        ) from exc
    return None


def _sqlite_copy(src: Path, dest: Path) -> Path:
    tmp = dest.with_name(dest.name + ".part")
    con = sqlite3.connect(src, timeout=60)
    out = sqlite3.connect(tmp)
    try:
        con.backup(out)
    finally:
        out.close()
        con.close()
    os.replace(tmp, dest)
    return dest


def _pg_dump(config: dict[str, object], dest: Path) -> Path | None:
    tool = shutil.which("pg_dump")
    if tool is None:
        log.warning(
            "pg_dump is not installed, so no copy of the PostgreSQL database was taken before "
            "migrating it: take one with `kinchart backup` (or pg_dump) before upgrading"
        )
        return None
    env = {**os.environ, "PGPASSWORD": str(config.get("password", ""))}
    tmp = dest.with_name(dest.name + ".part")
    r = subprocess.run(
        [
            tool, "--format=custom", f"--file={tmp}",
            f"--host={config.get('host', 'localhost')}", f"--port={config.get('port', 5432)}",
            f"--username={config.get('user', '')}", f"--dbname={config.get('database', '')}",
        ],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if r.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise subprocess.SubprocessError(f"pg_dump failed: {r.stderr.strip()}")
    os.replace(tmp, dest)
    return dest
