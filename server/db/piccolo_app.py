"""Piccolo app registration for Kinchart's tables and migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from server.db.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="kinchart",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)
