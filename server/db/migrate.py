"""Applying migrations atomically: each one and its record commit together, or not at all.

Piccolo's own runner commits a migration, then records it in a second statement; a kill in
between left tables that the next start tried to create again ("table already exists"), and the
server never started again. Here the migration's statements and its row in the migration table
run in one transaction (SQLite and PostgreSQL both roll DDL back), so a start after a kill at
any moment finds each migration either fully applied and recorded, or not at all.
"""

from __future__ import annotations

import contextlib
import io
import logging

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine

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


async def pending() -> list[str]:
    """The ids of migrations not yet applied, oldest first."""
    finder = BaseMigrationManager()
    await finder.create_migration_table()
    config = finder.get_app_config(APP)
    modules = finder.get_migration_modules(config.resolved_migrations_folder_path)
    ran = set(await Migration.get_migrations_which_ran(app_name=APP))
    return sorted(set(finder.get_migration_ids(modules)) - ran)


async def apply(engine: Engine, *, upto: str | None = None) -> list[str]:
    """Apply pending migrations (up to and including `upto`, else all), each in one
    transaction with its record; their ids."""
    todo = [m for m in await pending() if upto is None or m <= upto]
    if not todo:
        return []
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
