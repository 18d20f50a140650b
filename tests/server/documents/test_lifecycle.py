"""A document's life (documents/lifecycle.py): `ready` comes last, after filing, facts, index."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from server.db.tables import FAILED, READY, Document, Fact
from server.people import household
from server.runtime import running
from server.settings import Settings
from tests.fixtures.make_docs import digital_pdf

# A word no other document has, so a hit can only come from this one.
WORD = "Zanthoxylum"


async def test_a_ready_document_is_filed_has_its_facts_and_is_found_by_search(
    settings: Settings, tmp_path: Path
) -> None:
    pdf = digital_pdf(
        tmp_path / "labs.pdf",
        [
            [
                "City Lab  Laboratory report",
                f"Patient: Jane Q Doe   Note: {WORD}",
                "Collected: 2026-03-02",
                "Glucose 105 mg/dL 70-99 H",
                "Potassium 4.2 mmol/L 3.5-5.1",
            ]
        ],
    )
    async with running(settings, workers=True) as services:
        assert services.search is not None
        jane = await household.add_profile("Jane Q Doe", slug="jane")
        # From the inbox folder `jane/`: the worker files it (it arrives unfiled).
        taken = await services.intake.take(pdf, source="inbox", profile_hint="jane")
        assert taken.document_id is not None
        doc_id = taken.document_id
        deadline = time.monotonic() + 120
        # Poll tightly: the checks run right after the first look that sees `ready`.
        while True:
            row = (
                await Document.select(Document.state, Document.profile)
                .where(Document.id == doc_id)
                .first()
            )
            assert row is not None and row["state"] != FAILED
            if row["state"] == READY:
                break
            assert time.monotonic() < deadline, "not ready in 120 s"
            await asyncio.sleep(0.005)
        hits = services.search.query(WORD, profiles=frozenset({jane["id"]}))
        facts = await Fact.select(Fact.profile, Fact.analyte).where(Fact.document == doc_id)
    assert row["profile"] == jane["id"], "filed before ready"
    assert {f["analyte"] for f in facts} >= {"glucose", "potassium"}, "facts before ready"
    assert {f["profile"] for f in facts} == {jane["id"]}
    assert [h.doc_id for h in hits.hits] == [doc_id], "indexed before ready"


@pytest.mark.parametrize("where", ["store", "ready"])
async def test_a_worker_that_lost_its_lease_changes_nothing(
    settings: Settings, tmp_path: Path, where: str
) -> None:
    """Another worker has the document: a late worker's pages or `ready` are refused."""
    from server.documents import queue

    pdf = digital_pdf(tmp_path / "a.pdf", [["A page"]])
    async with running(settings) as services:
        taken = await services.intake.take(pdf, source="cli")
        assert taken.document_id is not None
        assert await queue.claim(services.engine, "late", 0.01)
        await asyncio.sleep(0.05)
        assert await queue.requeue_expired() == 1
        assert await queue.claim(services.engine, "current", 300)
        if where == "store":
            assert not await queue.store_reading(services.engine, taken.document_id, "late", {}, [])
        else:
            assert not await queue.mark_ready(taken.document_id, "late")
        assert await queue.mark_ready(taken.document_id, "current")


async def test_the_index_holds_the_stamp_the_ready_document_keeps(
    settings: Settings, tmp_path: Path
) -> None:
    """A document read by a worker is current in the index: the periodic catch-up finds
    nothing to index again (it re-indexed every document read since its last run when the
    index got the stamp from before `mark_ready` changed it)."""
    from server.search import projection

    pdfs = [digital_pdf(tmp_path / f"d{i}.pdf", [[f"Report {i}", WORD]]) for i in range(3)]
    async with running(settings, workers=True) as services:
        assert services.search is not None
        ids = []
        for pdf in pdfs:
            taken = await services.intake.take(pdf, source="cli")
            assert taken.document_id is not None
            ids.append(taken.document_id)
        deadline = time.monotonic() + 120
        while await Document.count().where(Document.state == READY) < len(ids):
            assert time.monotonic() < deadline, "not ready in 120 s"
            await asyncio.sleep(0.1)
        held = services.search.stamps()
        rows = await Document.select(Document.id, Document.updated_at)
        assert {r["id"]: held[r["id"]][1] for r in rows} == {
            r["id"]: projection.stamp(r["updated_at"]) for r in rows
        }
        assert await projection.differences(services.search) == ([], [])
        assert await projection.catch_up(services.search) == (0, 0)
