from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    JSON,
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

ID = "2026-12-06T14:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Appointments per profile; per-user secret calendar feed addresses (hashed)"


def _serial():
    return Serial(null=False, primary_key=True, unique=False, index=False,
                  index_method=IndexMethod.btree, choices=None, db_column_name=None, secret=False)


class Profile(Table, tablename="profile", schema=None):
    id = _serial()


class User(Table, tablename="kc_user", schema=None):
    id = _serial()


def _params(default, *, null=False, unique=False, index=False, **extra):
    return {
        "default": default,
        "null": null,
        "primary_key": False,
        "unique": unique,
        "index": index,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


def _fk(references, on_delete, *, null, index):
    return {
        "references": references,
        "on_delete": on_delete,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        **_params(None, null=null, index=index),
    }


SERIAL = {**{k: v for k, v in _params(None).items() if k != "default"}, "primary_key": True}

# (name, column class, its parameters), as the table classes in server/db/tables.py have them.
COLUMNS = {
    ("Appointment", "appointment"): [
        ("id", Serial, SERIAL),
        ("profile", ForeignKey, _fk(Profile, OnDelete.cascade, null=False, index=True)),
        ("day", Date, _params(None, index=True)),
        ("time", Varchar, _params("", length=5)),
        ("clinician", Varchar, _params("", length=255)),
        ("place", Varchar, _params("", length=255)),
        ("reason", Varchar, _params("", length=255)),
        ("notes", Text, _params("")),
        ("follow_up", Text, _params("")),
        ("documents", JSON, _params("[]")),
        ("created_by", ForeignKey, _fk(User, OnDelete.set_null, null=True, index=False)),
        ("created_at", Timestamptz, _params(TimestamptzNow())),
    ],
    ("CalendarFeed", "calendar_feed"): [
        ("id", Serial, SERIAL),
        ("user", ForeignKey, _fk(User, OnDelete.cascade, null=False, index=True)),
        ("token_hash", Varchar, _params("", length=64, unique=True, index=True)),
        ("created_at", Timestamptz, _params(TimestamptzNow())),
        ("revoked_at", Timestamptz, _params(None, null=True)),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)
    for class_name, tablename in COLUMNS:
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
    for (class_name, tablename), columns in COLUMNS.items():
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=column_class.__name__,
                column_class=column_class,
                params=params,
                schema=None,
            )
    return manager
