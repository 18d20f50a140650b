"""The life of a document, as one recipe (DESIGN.md, "The life of a document").

A worker has claimed the document (documents/queue.py, with a lease). Then:

    read → store pages → file → store facts → final stamp → index → mark ready

`ready` comes last: a document someone can see as ready is filed, has its facts and is
found by search. Each step is a small function below; `live` runs them in order.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine

from ocr.errors import ReadError
from ocr.model import Reading
from ocr.pool import ReaderPool
from server.access import audit
from server.db.tables import READY, Document, Page
from server.documents import queue
from server.documents.filing import refile, route
from server.facts import persist as facts
from server.facts.reading import ReadingWithFacts, facts_of
from server.search import projection
from server.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Life:
    """What the steps work with: the database, the store, the OCR pool, the lease holder."""

    engine: Engine
    store: Store
    pool: ReaderPool
    owner: str  # the lease holder: every write checks the lease is still ours
    max_attempts: int
    backoff_seconds: float


async def live(life: Life, doc: dict[str, Any]) -> str | None:
    """Take one claimed document through its life; the state it ends in (None: lease lost)."""
    # One line per read started: which worker, which attempt (tests count them).
    log.info("document %s: reading, attempt %d, by %s", doc["id"], doc["attempts"], life.owner)
    workdir = life.store.work_dir(doc["id"])
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        reading = await read(life, doc, workdir)
        if not isinstance(reading, Reading):
            return reading
        if not await store_pages(life, doc, reading, workdir):
            _lost(doc)
            return None
        await file(life, doc, reading)
        await store_facts(life, doc, reading)
        if not await queue.stamp_final(doc["id"], life.owner):
            _lost(doc)
            return None
        await index(doc)
        return await mark_ready(life, doc, reading)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


async def read(life: Life, doc: dict[str, Any], workdir: Path) -> Reading | str | None:
    """OCR and page images in the pool; a failure is recorded (retry later, or failed)."""
    try:
        return await life.pool.aread(life.store.original_path(doc["sha256"]), workdir)
    except ReadError as exc:
        return await _failed(life, doc, exc.code, exc.user_message, exc.permanent)
    except Exception as exc:  # a bug of ours must not stop the worker
        log.exception("reading document %s failed", doc["id"])
        return await _failed(life, doc, "internal", f"Internal error while reading: {exc}", False)


async def store_pages(life: Life, doc: dict[str, Any], reading: Reading, workdir: Path) -> bool:
    """Page images into the store, page text and word boxes into the database."""
    doc_id = doc["id"]
    files: dict[str, Path] = {}
    pages = []
    for page in reading.pages:
        for folder, path in (("pages", page.image), ("thumbs", page.thumbnail)):
            if path:
                files[f"{folder}/{page.number}{Path(path).suffix}"] = Path(path)
        pages.append(
            Page(
                document=doc_id,
                number=page.number,
                text=page.text,
                words=[
                    [w.text, round(w.x0, 4), round(w.y0, 4), round(w.x1, 4), round(w.y1, 4)]
                    for w in page.words
                ],
                width_pt=page.width_pt,
                height_pt=page.height_pt,
                ocr_applied=page.ocr_applied,
            )
        )
    pdf = Path(reading.pdf) if reading.pdf else None
    if pdf is not None and pdf.is_relative_to(workdir):
        files["document.pdf"] = pdf
    await asyncio.to_thread(life.store.replace_derived, doc_id, files)
    values = {
        Document.mime: reading.mime,
        Document.kind: reading.kind,
        Document.page_count: len(reading.pages),
        Document.has_pdf: pdf is not None,
        Document.warnings: reading.warnings,
        Document.read_seconds: reading.seconds,
    }
    return await queue.store_reading(life.engine, doc_id, life.owner, values, pages)


async def file(life: Life, doc: dict[str, Any], reading: Reading) -> None:
    """An unfiled document goes under the profile its inbox folder or printed patient names."""
    if doc["profile"] is not None:
        return
    routing = await route(doc["profile_hint"], [p.text for p in reading.pages])
    # Only if nobody filed it meanwhile (an admin may have, from the triage queue).
    filed = await refile(
        life.engine,
        doc["id"],
        routing.profile_id,
        suggestions=routing.suggestions,
        only_if_unfiled=True,
    )
    if filed and routing.profile_id is not None:
        await audit.record(
            "document_routed",
            actor_name="kinchart",
            profile=routing.profile_id,
            document=doc["id"],
            reason=routing.reason,
        )


async def store_facts(life: Life, doc: dict[str, Any], reading: Reading) -> None:
    """The facts the pool child extracted (or extract them here, in a thread).

    A failure here does not fail the document: its reading is safe, and facts missing or
    below FACTS_VERSION are read again when a server starts (facts/persist.start_backfill).
    """
    if isinstance(reading, ReadingWithFacts):
        found, error = reading.facts, reading.facts_error
    else:  # a pool with another reader (tests)
        src = life.store.original_path(doc["sha256"])
        found, error = await asyncio.to_thread(
            facts_of, reading.structured_format, src, reading.pages
        )
    if found is None:
        log.error("document %s: facts not extracted: %s", doc["id"], error)
        return
    try:
        await facts.store(life.engine, doc["id"], found)
    except Exception:
        log.exception("document %s: facts not stored; tried again at the next start", doc["id"])


async def index(doc: dict[str, Any]) -> None:
    """Into the search index before it is ready, so that ready means searchable; after
    `queue.stamp_final`, so the index holds the stamp the ready document keeps.

    An index that cannot be written (Meilisearch down) does not hold the document back: the
    database is the truth and the index catches up (search/projection.catch_up).
    """
    await projection.refresh([doc["id"]], about_to_be_ready=True)


async def mark_ready(life: Life, doc: dict[str, Any], reading: Reading) -> str | None:
    if not await queue.mark_ready(doc["id"], life.owner):
        _lost(doc)
        return None
    log.info(
        "document %s ready: %d pages in %.1fs, by %s",
        doc["id"],
        len(reading.pages),
        reading.seconds,
        life.owner,
    )
    return READY


async def _failed(
    life: Life, doc: dict[str, Any], code: str, reason: str, permanent: bool
) -> str | None:
    state = await queue.fail(
        doc["id"],
        life.owner,
        code=code,
        reason=reason,
        permanent=permanent,
        attempts=doc["attempts"],
        max_attempts=life.max_attempts,
        backoff_seconds=life.backoff_seconds,
    )
    log.warning("document %s: %s (%s) -> %s", doc["id"], reason, code, state)
    return state


def _lost(doc: dict[str, Any]) -> None:
    # The lease expired (this process stalled) and another worker has the document now.
    log.warning("document %s: lease lost; another worker has it", doc["id"])
