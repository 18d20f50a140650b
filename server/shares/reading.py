"""What a share link's reader sees: the clinician's summary, the chosen documents with their
citations, page images; each read checked against the link's `ShareCaller`."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Any

from server.access.policy import ShareCaller
from server.access.scope import LIVE, shared_document
from server.db.tables import READY, REJECTED, Document, Page
from server.errors import NotFound
from server.health import citation
from server.health.clinician import ClinicianSummary, clinician_summary
from server.store import Store

IMAGE_KINDS = {"page": "pages", "thumb": "thumbs"}
IMAGE_SUFFIXES = ((".webp", "image/webp"), (".jpg", "image/jpeg"), (".png", "image/png"))


async def summary(share: ShareCaller, *, now: datetime | None = None) -> ClinicianSummary:
    """The profile's clinician summary, citing only the chosen documents; lab results and
    vital signs only when the link shares them."""
    built = await clinician_summary(share.profile_id, now=now, document_ids=sorted(share.documents))
    if not share.labs:
        built = dataclasses.replace(built, labs=())
    if not share.vitals:
        built = dataclasses.replace(built, vitals=())
    return built


async def documents(share: ShareCaller) -> list[dict[str, Any]]:
    """The chosen documents that are still the profile's and read, oldest first."""
    if not share.documents:
        return []
    rows = await (
        Document.select(
            Document.id,
            Document.original_name,
            Document.doc_type,
            Document.doc_date,
            Document.page_count,
        )
        .where(
            Document.id.is_in(sorted(share.documents))
            & (Document.profile == share.profile_id)
            & (Document.state == READY)
            & LIVE
        )
        .order_by(Document.id)
    )
    return list(rows)


async def document(share: ShareCaller, doc_id: int, fact: str | None) -> dict[str, Any]:
    """A chosen document's pages, and the cited fact (`?fact=`) when it is one of its own and
    not rejected; 404 for anything else."""
    doc = await shared_document(share, doc_id)
    if doc["state"] != READY:
        raise NotFound("This document is not available.")
    pages = (
        await Page.select(Page.number, Page.text, Page.width_pt, Page.height_pt)
        .where(Page.document == doc["id"])
        .order_by(Page.number)
    )
    cited = await citation.cited(doc, fact)
    if cited is not None and cited.status == REJECTED:
        raise NotFound("No such fact in this document.")
    if cited is not None and cited.sources:
        # The other sources may be documents the link does not share: not even their names.
        cited = dataclasses.replace(cited, sources=())
    return {"doc": doc, "pages": pages, "citation": cited}


async def page_image(
    share: ShareCaller, store: Store, doc_id: int, kind: str, number: int
) -> tuple[Path, str]:
    """The file and media type of a chosen document's page image."""
    doc = await shared_document(share, doc_id, "id", "state")
    folder = IMAGE_KINDS.get(kind)
    if folder is None or doc["state"] != READY:
        raise NotFound("No such file.")
    base = store.derived_dir(doc["id"]) / folder
    for suffix, media in IMAGE_SUFFIXES:
        path = base / f"{number}{suffix}"
        if path.exists():
            return path, media
    raise NotFound("No image for this page.")
