from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T16:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Document.trashed_at / trashed_by: a deleted document waits in its profile's trash"


def _params(default, *, null, index, **extra):
    return {
        "default": default,
        "null": null,
        "primary_key": False,
        "unique": False,
        "index": index,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Document",
        tablename="document",
        column_name="trashed_at",
        db_column_name="trashed_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(None, null=True, index=False),
        schema=None,
    )
    manager.add_column(
        table_class_name="Document",
        tablename="document",
        column_name="trashed_by",
        db_column_name="trashed_by",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params("", null=False, index=False, length=100),
        schema=None,
    )

    return manager
