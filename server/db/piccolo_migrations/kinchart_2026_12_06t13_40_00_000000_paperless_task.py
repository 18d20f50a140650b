from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    Boolean,
    Date,
    ForeignKey,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-06T13:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PaperlessTask: uploads through the Paperless-ngx API, by the task id apps poll"


class User(Table, tablename="kc_user", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False)


class Document(Table, tablename="document", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False)


def _fk(references: type[Table], null: bool) -> dict:
    return {
        "references": references,
        "on_delete": OnDelete.cascade,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        "null": null,
        "index": True,
    }


# (name, column class, its parameters), as the table class in server/db/tables.py has them.
COLUMNS = [
    ("id", Serial, {"null": False, "primary_key": True}),
    ("task_id", Varchar, {"length": 36, "default": "", "unique": True, "index": True}),
    ("user", ForeignKey, _fk(User, True)),
    ("document", ForeignKey, _fk(Document, True)),
    ("file_name", Varchar, {"length": 255, "default": ""}),
    ("title", Varchar, {"length": 255, "default": ""}),
    ("created", Date, {"default": None, "null": True}),
    ("result", Text, {"default": ""}),
    ("acknowledged", Boolean, {"default": False}),
    ("created_at", Timestamptz, {"default": TimestamptzNow()}),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)
    manager.add_table(
        class_name="PaperlessTask", tablename="paperless_task", schema=None, columns=None
    )
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="PaperlessTask",
            tablename="paperless_task",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
                "null": False,
                "primary_key": False,
                "unique": False,
                "index": False,
                "index_method": IndexMethod.btree,
                "choices": None,
                "db_column_name": None,
                "secret": False,
                **params,
            },
            schema=None,
        )
    return manager
