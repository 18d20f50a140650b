from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Float
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T09:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Fact.confidence: how far a machine-read fact can be trusted"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Fact",
        tablename="fact",
        column_name="confidence",
        db_column_name="confidence",
        column_class_name="Float",
        column_class=Float,
        params={
            "default": None,
            "null": True,
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
