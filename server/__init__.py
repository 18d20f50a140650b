"""Kinchart server: the Starlette app, database, queue, workers and CLI."""

import os

# Piccolo finds its configuration through this variable; ours lives inside the package.
os.environ["PICCOLO_CONF"] = "server.db.piccolo_conf"
