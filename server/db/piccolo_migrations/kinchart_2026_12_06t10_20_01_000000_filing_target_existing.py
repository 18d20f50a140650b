from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-06T10:20:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Profiles that stay filing targets on upgrade"

# Existing profiles stay filing targets when an admin owns them or nobody does (made with the
# CLI, the operator's act); profiles only non-admins own wait for an admin to confirm them.
EXISTING = """
UPDATE profile SET filing_target = TRUE
WHERE NOT EXISTS (SELECT 1 FROM kc_grant g WHERE g.profile = profile.id AND g.role = 'owner')
   OR EXISTS (
       SELECT 1 FROM kc_grant g JOIN kc_user u ON u.id = g."user"
       WHERE g.profile = profile.id AND g.role = 'owner' AND u.is_admin = TRUE
   )
"""


async def _existing() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(EXISTING)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)
    manager.add_raw(_existing)
    return manager
