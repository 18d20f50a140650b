from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-06T16:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "Profile.read_version: a new random value on every write to a profile's facts or "
    "documents, set by triggers (the health views' in-process cache is keyed on it)"
)

# Triggers, not calls in the code: every write path (a worker's extraction, a review, a move,
# an import, a restore, a delete that cascades) changes the version in its own transaction,
# including the ones written later. A random value rather than a counter: a database restored
# from a backup never reuses a value with other contents behind it.
TABLES = ("fact", "document")


def _sqlite() -> list[str]:
    bump = 'UPDATE "profile" SET "read_version" = random() WHERE "id" = {};'
    out = []
    for table in TABLES:
        out += [
            f'CREATE TRIGGER IF NOT EXISTS "{table}_read_version_insert" AFTER INSERT ON '
            f'"{table}" BEGIN {bump.format("NEW.profile")} END',
            f'CREATE TRIGGER IF NOT EXISTS "{table}_read_version_update" AFTER UPDATE ON '
            f'"{table}" BEGIN {bump.format("OLD.profile")} {bump.format("NEW.profile")} END',
            f'CREATE TRIGGER IF NOT EXISTS "{table}_read_version_delete" AFTER DELETE ON '
            f'"{table}" BEGIN {bump.format("OLD.profile")} END',
        ]
    return out


def _postgres() -> list[str]:
    # Once per statement (a batch of 1,000 facts changes the profile row once), from the
    # statement's transition tables.
    def function(name: str, rows: str) -> str:
        return (
            f'CREATE OR REPLACE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ '
            'BEGIN UPDATE "profile" SET "read_version" = '
            "(random() * 9000000000000000000)::bigint "
            f'WHERE "id" IN ({rows}); RETURN NULL; END $$'
        )

    out = [
        function("kinchart_read_version_new", 'SELECT "profile" FROM new_rows'),
        function(
            "kinchart_read_version_both",
            'SELECT "profile" FROM new_rows UNION SELECT "profile" FROM old_rows',
        ),
        function("kinchart_read_version_old", 'SELECT "profile" FROM old_rows'),
    ]
    for table in TABLES:
        for event, refs, fn in (
            ("INSERT", "NEW TABLE AS new_rows", "new"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "both"),
            ("DELETE", "OLD TABLE AS old_rows", "old"),
        ):
            out.append(
                f'CREATE TRIGGER "{table}_read_version_{event.lower()}" AFTER {event} ON '
                f'"{table}" REFERENCING {refs} FOR EACH STATEMENT '
                f'EXECUTE FUNCTION "kinchart_read_version_{fn}"()'
            )
    return out


async def _read_version() -> None:
    engine = engine_finder()
    assert engine is not None
    sqlite = isinstance(engine, SQLiteEngine)
    kind = "INTEGER" if sqlite else "BIGINT"
    await engine.run_ddl(
        f'ALTER TABLE "profile" ADD COLUMN "read_version" {kind} NOT NULL DEFAULT 0'
    )
    first = "random()" if sqlite else "(random() * 9000000000000000000)::bigint"
    await engine.run_ddl(f'UPDATE "profile" SET "read_version" = {first}')
    for statement in _sqlite() if sqlite else _postgres():
        await engine.run_ddl(statement)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)
    manager.add_raw(_read_version)
    return manager
