from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "Fact.same_as and Fact.apart: the same result from several sources is one fact with "
    "several citations (issue 14), and a person can keep a fact apart"
)


def _params(**extra: object) -> dict[str, object]:
    return {
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
        table_class_name="Fact",
        tablename="fact",
        column_name="same_as",
        db_column_name="same_as",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=None, null=True, index=True),
        schema=None,
    )
    manager.add_column(
        table_class_name="Fact",
        tablename="fact",
        column_name="apart",
        db_column_name="apart",
        column_class_name="Boolean",
        column_class=Boolean,
        params=_params(default=False),
        schema=None,
    )
    return manager
