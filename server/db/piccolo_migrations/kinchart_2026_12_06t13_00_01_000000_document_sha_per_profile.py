import re
import sqlite3

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-06T13:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Document.sha256 unique per profile, not overall (issue 11, finding 8)"

# The same bytes may now be one document in each profile (an upload never touches a document
# the uploader cannot see). The store stays content-addressed: those documents share one
# original. Within one profile the bytes stay one document: a unique (profile, sha256) index.
PER_PROFILE = 'CREATE UNIQUE INDEX IF NOT EXISTS "document_profile_sha256" ON "document" ("profile", "sha256")'


def _sqlite_rebuild(path: str) -> None:
    """SQLite cannot drop a column's UNIQUE: the table is rebuilt (its documented 12 steps) on a
    connection of its own, with foreign keys off so that dropping the old table deletes nothing
    that refers to it. Idempotent: a table without the constraint is left alone."""
    con = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("BEGIN IMMEDIATE")
        (sql,) = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document'"
        ).fetchone()
        new_sql, n = re.subn(r'("sha256"\s+VARCHAR\(64\)[^,]*?)\s+UNIQUE', r"\1", sql)
        if n != 1:
            con.execute("ROLLBACK")
            return
        indexes = [
            row[0]
            for row in con.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'document' "
                "AND sql IS NOT NULL"
            )
        ]
        con.execute(
            new_sql.replace('"document"', '"document_new"', 1).replace(
                "CREATE TABLE document", 'CREATE TABLE "document_new"', 1
            )
        )
        con.execute('INSERT INTO "document_new" SELECT * FROM "document"')
        con.execute('DROP TABLE "document"')
        con.execute('ALTER TABLE "document_new" RENAME TO "document"')
        for index in indexes:
            con.execute(index)
        if con.execute("PRAGMA foreign_key_check").fetchall():
            raise RuntimeError("foreign keys broken by the rebuild of table document")
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


async def _per_profile() -> None:
    engine = engine_finder()
    assert engine is not None
    if isinstance(engine, SQLiteEngine):
        _sqlite_rebuild(engine.path)
    else:
        await engine.run_ddl(
            'ALTER TABLE "document" DROP CONSTRAINT IF EXISTS "document_sha256_key"'
        )
    await engine.run_ddl(PER_PROFILE)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)
    manager.add_raw(_per_profile)
    return manager
