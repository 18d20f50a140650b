from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-06T17:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "An index on fact (profile, kind): the Summary's lists, the Medications page and a "
    "timeline filtered by kind read one kind of a profile's facts, not all of them"
)

# A profile's lab results are most of its facts (20,000 against 600 medications in
# bench/pages.py): the profile index alone read every one of them to find the medications,
# 15-75 ms on SQLite against 2 ms with this one, on every first request after a write.
PROFILE_KIND = 'CREATE INDEX IF NOT EXISTS "fact_profile_kind" ON "fact" ("profile", "kind")'


async def _profile_kind() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(PROFILE_KIND)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)
    manager.add_raw(_profile_kind)
    return manager
