"""Piccolo configuration; `server.db.engine.connect` sets DB to the engine for the settings."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

DB: Engine | None = None

APP_REGISTRY = AppRegistry(apps=["server.db.piccolo_app"])
