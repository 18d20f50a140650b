"""A document's states, for the layers above the database (DESIGN.md, The life of a document)."""

from __future__ import annotations

from server.db.tables import FAILED, PROCESSING, QUEUED, READY, STATES

DONE = (READY, FAILED)  # nothing more happens without a person: live views stop polling

__all__ = ["DONE", "FAILED", "PROCESSING", "QUEUED", "READY", "STATES"]
