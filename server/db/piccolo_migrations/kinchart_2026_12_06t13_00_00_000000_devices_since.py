from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Float
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "User.devices_since: device cookies issued before it (log out everywhere, reset) no longer count"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)

    manager.add_column(
        table_class_name="User",
        tablename="kc_user",
        column_name="devices_since",
        db_column_name="devices_since",
        column_class_name="Float",
        column_class=Float,
        params={
            "default": 0.0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
