from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Document.printed_patient and patient_check: whose document is it"


def _params(default: str, **extra: object) -> dict[str, object]:
    return {
        "default": default,
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
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
        column_name="printed_patient",
        db_column_name="printed_patient",
        column_class_name="JSON",
        column_class=JSON,
        params=_params("{}"),
        schema=None,
    )
    manager.add_column(
        table_class_name="Document",
        tablename="document",
        column_name="patient_check",
        db_column_name="patient_check",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params("", length=20),
        schema=None,
    )

    return manager
