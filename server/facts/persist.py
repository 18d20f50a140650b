"""Writing a document's facts, keeping them with the document, and reading old documents again.

A new reading replaces the facts still `extracted` (the same fact, by key, keeps its row and
id); facts a person reviewed (confirmed, corrected, rejected) stay, and the new reading's
fact with the same key is not added again.
Facts always carry their document's profile: every change of a document's profile goes
through `follow` in the same transaction, and `store` takes the document's row lock first,
so a move that races with a reading cannot leave facts under the old profile.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from piccolo.engine.base import Engine

from ocr.facts.model import DocumentFacts
from server.db.engine import write_transaction
from server.db.tables import EXTRACTED, READY, Document, Fact, Page, Profile
from server.facts import FACTS_VERSION, patient, same
from server.facts.reading import CCDA_MIME, FHIR_MIMES, facts_of, stored_pages
from server.facts.records import document_values, from_document
from server.search import projection as search_sync
from server.store import Store

log = logging.getLogger(__name__)
RESTORED = "restored"  # in Fact.data: restored from a Kinchart archive, never read again
_INSERT_BATCH = 40  # rows per INSERT: SQLite limits the number of bound values
_SLICE = 200


@dataclass(frozen=True)
class Stored:
    """What `store` did: facts written, reviewed facts kept, the document's profile."""

    written: int
    kept: int
    profile: int | None


async def store(
    engine: Engine, doc_id: int, found: DocumentFacts, *, only_if_stale: bool = False
) -> Stored | None:
    """Write the document's facts and type, date, provider, facility; None if skipped.

    `only_if_stale` skips documents whose facts are already at FACTS_VERSION (another
    process got there first).
    """
    rows = from_document(found)
    read: dict[Any, Any] = {
        getattr(Document, name): value for name, value in document_values(found).items()
    }
    values: dict[Any, Any] = {Document.facts_version: FACTS_VERSION}
    values[Document.printed_patient] = patient.printed(found.patient)
    # The stamp the search index compares: type and date come from here now.
    values[Document.updated_at] = datetime.datetime.now(datetime.UTC)
    if found.warnings:
        values[Document.warnings] = await _warnings(doc_id, found.warnings)
    where: Any = Document.id == doc_id
    if only_if_stale:
        where = where & (Document.facts_version < FACTS_VERSION)
    async with write_transaction(engine):
        # First statement: locks the document's row until commit (see the module docstring).
        updated = await (
            Document.update(values)
            .where(where)
            .returning(Document.profile, Document.patient_check, Document.trashed_at)
        )
        if not updated:
            return None
        profile = updated[0]["profile"]
        # A document deleted while it was read: its facts stay out of every view with it.
        owner = None if updated[0]["trashed_at"] is not None else profile
        have = (
            await Fact.select(Fact.id, Fact.status, Fact.data, Fact.effective)
            .where(Fact.document == doc_id)
            .output(load_json=True)
        )
        if any((r["data"] or {}).get(RESTORED) for r in have):
            # Restored from a Kinchart archive (server/shares/archive_import.py): its facts and
            # metadata are as they were; a reading leaves them alone.
            return Stored(0, len(have), profile)
        if read:
            await Document.update(read).where(Document.id == doc_id)
        if updated[0]["patient_check"] != patient.CONFIRMED:  # a person's word stays
            await recheck_patient(doc_id, profile, values[Document.printed_patient])
        reviewed = {_key(r) for r in have if r["status"] != EXTRACTED}
        unreviewed = {_key(r): r["id"] for r in have if r["status"] == EXTRACTED}
        new, kept_ids = [], set()
        for row in rows:
            if row.key in reviewed:
                continue
            fact_id = unreviewed.get(row.key)
            if fact_id is not None:
                # The same fact read again keeps its id, so links to it stay valid. Only while
                # still unreviewed: a review that committed meanwhile wins.
                columns = {getattr(Fact, k): v for k, v in row.columns().items()}
                changed = await (
                    Fact.update({**columns, Fact.profile: owner})
                    .where((Fact.id == fact_id) & (Fact.status == EXTRACTED))
                    .returning(Fact.id)
                )
                if changed:
                    kept_ids.add(fact_id)
                continue
            new.append(Fact(profile=owner, document=doc_id, status=EXTRACTED, **row.columns()))
        gone = [i for i in unreviewed.values() if i not in kept_ids]
        if gone:
            await Fact.delete().where(Fact.id.is_in(gone) & (Fact.status == EXTRACTED))
        for i in range(0, len(new), _INSERT_BATCH):
            await Fact.insert(*new[i : i + _INSERT_BATCH])
        # Links are recomputed on the days the facts are on now and were on before.
        await follow(
            doc_id,
            owner,
            days={r["effective"] for r in have},
            trashed=updated[0]["trashed_at"] is not None,
        )
    return Stored(len(new) + len(kept_ids), len(have) - len(unreviewed), profile)


def _key(row: dict[str, Any]) -> str:
    return str((row["data"] or {}).get("key") or f"id:{row['id']}")


async def _warnings(doc_id: int, extra: list[str]) -> list[str]:
    row = (
        await Document.select(Document.warnings)
        .where(Document.id == doc_id)
        .output(load_json=True)
        .first()
    )
    have = list((row or {}).get("warnings") or [])
    return have + [w for w in extra if w not in have]


async def recheck_patient(
    doc_id: int, profile_id: int | None, printed: Any = None, *, confirmed: bool = False
) -> str:
    """Compare the document's printed patient with its profile and keep the verdict (inside
    the caller's transaction); `confirmed`: a person said it belongs there."""
    if confirmed:
        verdict = patient.CONFIRMED
    else:
        if printed is None:
            row = await (
                Document.select(Document.printed_patient)
                .where(Document.id == doc_id)
                .output(load_json=True)
                .first()
            )
            printed = (row or {}).get("printed_patient")
        profile = None
        if profile_id is not None:
            profile = await (
                Profile.select(Profile.display_name, Profile.date_of_birth)
                .where(Profile.id == profile_id)
                .first()
            )
        verdict = patient.check(printed, profile)
    await Document.update({Document.patient_check: verdict}).where(Document.id == doc_id)
    if confirmed and profile_id is not None:  # its facts may now be the same as others'
        await same.lock_profile(profile_id)
        await same.relink(profile_id, document=doc_id)
    return verdict


async def follow(
    doc_id: int,
    profile_id: int | None,
    days: Iterable[Any] = (),
    *,
    trashed: bool | None = None,
) -> None:
    """Give the document's facts its new profile, and recompute which facts are the same
    result (server/facts/same.py) in the profiles concerned; call inside the transaction that
    moves it (or writes its facts). A document in the trash (documents/trash.py) keeps its
    facts in no profile: `trashed` says whether it is when the caller just read or wrote
    that in this transaction, else it is asked here."""
    if trashed is None:
        trashed = await Document.exists().where(
            (Document.id == doc_id) & Document.trashed_at.is_not_null()
        )
    if trashed:
        profile_id = None
    before = await Fact.select(Fact.profile).where(Fact.document == doc_id).distinct()
    await Fact.update({Fact.profile: profile_id}).where(Fact.document == doc_id)
    concerned = {int(r["profile"]) for r in before if r["profile"] is not None}
    profiles = sorted(concerned | ({profile_id} if profile_id is not None else set()))
    for profile in profiles:  # in id order: two moves lock profiles in the same order
        await same.lock_profile(profile)
    for profile in profiles:
        await same.relink(profile, document=doc_id, days=days)


async def read_stored(store_: Store, doc_id: int) -> DocumentFacts | None:
    """Extract a ready document's facts again from its stored pages (or its C-CDA original)."""
    doc = (
        await Document.select(Document.sha256, Document.kind, Document.mime)
        .where(Document.id == doc_id)
        .first()
    )
    if doc is None:
        return None
    rows = (
        await Page.select(Page.number, Page.width_pt, Page.height_pt, Page.text, Page.words)
        .where(Page.document == doc_id)
        .order_by(Page.number)
        .output(load_json=True)
    )
    structured = None
    if doc["kind"] == "structured":
        structured = (
            "ccda"
            if doc["mime"] == CCDA_MIME
            else ("fhir" if doc["mime"] in FHIR_MIMES else "other")
        )
    src = store_.original_path(doc["sha256"])
    found, error = await asyncio.to_thread(facts_of, structured, src, stored_pages(rows))
    if found is None:
        log.warning("document %s: facts not extracted (%s)", doc_id, error)
    return found


async def reextract(
    engine: Engine,
    store_: Store,
    *,
    everything: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Read the facts of ready documents again: those below FACTS_VERSION, or `everything`.

    Returns (documents done, documents whose extraction failed). Safe to run in several
    processes at once, and while the server runs.
    """
    stale: Any = Document.state == READY
    if not everything:
        stale = stale & (Document.facts_version < FACTS_VERSION)
    total = int(await Document.count().where(stale))
    done = failed = 0
    last = 0
    if progress:
        progress(0, total)
    while True:
        batch = (
            await Document.select(Document.id)
            .where(stale & (Document.id > last))
            .order_by(Document.id)
            .limit(_SLICE)
        )
        if not batch:
            break
        last = batch[-1]["id"]
        changed = []
        for row in batch:
            found = await read_stored(store_, row["id"])
            if found is None:
                failed += 1
            elif await store(engine, row["id"], found, only_if_stale=not everything):
                changed.append(row["id"])
            done += 1
            if progress:
                progress(done, total)
        await search_sync.refresh(changed)
    return done, failed


def start_backfill(engine: Engine, store_: Store) -> asyncio.Task[None]:
    """Give documents read before facts existed (or by an older extractor) their facts."""

    async def run() -> None:
        try:
            done, failed = await reextract(engine, store_)
            if done:
                log.info("facts read again for %d documents (%d failed)", done, failed)
        except Exception:
            log.exception("reading facts of older documents stopped; `kinchart facts --reextract`")

    task = asyncio.get_running_loop().create_task(run(), name="facts-backfill")
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task


async def stop_backfill() -> None:
    """Stop reading older documents (at shutdown); what is written so far stays."""
    for task in list(_tasks):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


_tasks: set[asyncio.Task[None]] = set()
