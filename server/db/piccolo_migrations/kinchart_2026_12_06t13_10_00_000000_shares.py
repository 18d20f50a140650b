from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-06T13:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Share links (SMART Health Links), their view log; blood type, emergency contacts"


def _serial():
    return Serial(null=False, primary_key=True, unique=False, index=False,
                  index_method=IndexMethod.btree, choices=None, db_column_name=None, secret=False)


class Profile(Table, tablename="profile", schema=None):
    id = _serial()


class User(Table, tablename="kc_user", schema=None):
    id = _serial()


class ShareLink(Table, tablename="share_link", schema=None):
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
        "null": null,
        "primary_key": False,
        "unique": False,
        "index": index,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


SERIAL = {
    "null": False,
    "primary_key": True,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}

COLUMNS = {
    ("ShareLink", "share_link"): [
        ("id", Serial, SERIAL),
        ("profile", ForeignKey, _fk(Profile, OnDelete.cascade, null=True, index=True)),
        ("label", Varchar, _params("", length=80)),
        ("kind", Varchar, _params("normal", length=20)),
        ("created_by", ForeignKey, _fk(User, OnDelete.set_null, null=True, index=False)),
        ("created_at", Timestamptz, _params(TimestamptzNow())),
        ("expires_at", Timestamptz, _params(None, null=True)),
        ("revoked_at", Timestamptz, _params(None, null=True)),
        ("token_hash", Varchar, _params("", length=64, unique=True, index=True)),
        ("token_encrypted", Text, _params("")),
        ("key_encrypted", Text, _params("")),
        ("passcode_hash", Text, _params("")),
        ("failed_attempts", Integer, _params(0)),
        ("last_failed", Float, _params(0.0)),
        ("locked_at", Timestamptz, _params(None, null=True)),
        ("documents", JSON, _params("[]")),
        ("labs", Boolean, _params(True)),
        ("vitals", Boolean, _params(True)),
        ("views", Integer, _params(0)),
        ("last_viewed", Timestamptz, _params(None, null=True)),
    ],
    ("ShareView", "share_view"): [
        ("id", Serial, SERIAL),
        ("link", ForeignKey, _fk(ShareLink, OnDelete.cascade, null=True, index=True)),
        ("at", Timestamptz, _params(TimestamptzNow())),
        ("what", Varchar, _params("page", length=20)),
        ("outcome", Varchar, _params("ok", length=20)),
        ("ip", Varchar, _params("", length=64)),
        ("user_agent", Varchar, _params("", length=255)),
        ("recipient", Varchar, _params("", length=255)),
        ("document", Integer, _params(None, null=True)),
    ],
    ("Profile", "profile"): [
        ("blood_type", Varchar, _params("", length=8)),
        ("emergency_contacts", Text, _params("")),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kinchart", description=DESCRIPTION)
    for class_name, tablename in (("ShareLink", "share_link"), ("ShareView", "share_view")):
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
