"""One error type for everything a person can act on: a message, an HTTP status, an exit code."""

from __future__ import annotations
