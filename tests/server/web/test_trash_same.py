"""The trash and the same result from several sources together, as people see them: a result
read from two documents is shown once; trashing the document whose fact is the one shown
leaves the result shown once from the other source; restoring gives "2 sources" again with the
review kept; purging one source leaves the other with its review. The pages come from the
read-model cache (server/health/readmodel.py), requested before and after each change in the
same app: they change at once."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
from starlette.applications import Starlette

from ocr.facts import extract
from ocr.facts.model import DocumentFacts
from server.db.tables import CONFIRMED, Fact
from server.facts import persist, service
from server.health.records import profile_facts
from server.runtime import Services
from tests.fixtures.facts import COLLECTED, ROWS
from tests.fixtures.people import Household, caller_named, login, make_document
from tests.ocr.facts.lab_pages import Report, columns, page_reading
from tests.server.conftest import new_client


def _dads_report() -> DocumentFacts:
    """What the extractor reads from a lab report printed for dad (the household's profile)."""
    report = Report(ROWS, patient="Secret Dad", born=date(1950, 3, 14), collected=COLLECTED)
    return extract([page_reading(p, i + 1) for i, p in enumerate(columns(report))])


async def _glucose_page(client: httpx.AsyncClient) -> str:
    r = await client.get("/profiles/dad/labs/glucose")
    assert r.status_code == 200, r.status_code
    return r.text


async def _page(client: httpx.AsyncClient, path: str) -> str:
    r = await client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return r.text


def _rows(html: str) -> int:
    return len(re.findall(r'data-testid="lab-row"', html))


def _cites(html: str, doc: int) -> bool:
    return f"/documents/{doc}?fact=" in html


async def _shown_glucose(dad: int) -> list[Any]:
    return [f for f in await profile_facts(dad, "lab") if f.analyte == "glucose"]


async def test_trash_restore_and_purge_of_one_source_of_a_merged_result(
    app: Starlette, app_services: Services, household: Household
) -> None:
    dad = household.profiles["dad"]
    first = await make_document(app_services.store, "lab-report-first.pdf", dad)
    second = await make_document(app_services.store, "lab-report-second.pdf", dad)
    for doc in (first, second):
        await persist.store(app_services.engine, doc, _dads_report())
    (glucose,) = await _shown_glucose(dad)
    assert glucose.source_count == 2
    shown_doc = glucose.document
    other_doc = second if shown_doc == first else first
    other_fact = glucose.sources[0].fact
    olga = await caller_named("olga")
    await service.confirm(olga, glucose.id)

    async with new_client(app) as client:
        await login(client, "olga")
        # Before: once, with both sources, on the trend, the overview and the Summary.
        series = await _glucose_page(client)
        assert _rows(series) == 1 and "2 sources" in series
        assert _cites(series, shown_doc) and _cites(series, other_doc)
        assert "2 sources" in await _page(client, "/profiles/dad/labs")
        assert "2 sources" in await _page(client, "/profiles/dad/summary")

        # Trash the document whose fact is shown: the other source's fact is shown, once.
        r = await client.post(f"/documents/{shown_doc}/delete")
        assert r.status_code == 303
        series = await _glucose_page(client)
        assert _rows(series) == 1 and "2 sources" not in series
        assert _cites(series, other_doc) and not _cites(series, shown_doc)
        labs = await _page(client, "/profiles/dad/labs")
        summary = await _page(client, "/profiles/dad/summary")
        assert "2 sources" not in labs and "2 sources" not in summary
        assert "Glucose" in labs and "Glucose" in summary
        (left,) = await _shown_glucose(dad)
        assert left.id == other_fact and left.source_count == 1
        assert left.status == CONFIRMED

        # Restore: "2 sources" again, the review kept on both.
        r = await client.post(f"/documents/{shown_doc}/restore")
        assert r.status_code == 303
        series = await _glucose_page(client)
        assert _rows(series) == 1 and "2 sources" in series
        assert _cites(series, shown_doc) and _cites(series, other_doc)
        assert "2 sources" in await _page(client, "/profiles/dad/labs")
        assert "2 sources" in await _page(client, "/profiles/dad/summary")
        (back,) = await _shown_glucose(dad)
        assert back.source_count == 2 and back.status == CONFIRMED
        statuses = {
            r["id"]: r["status"]
            for r in await Fact.select(Fact.id, Fact.status).where(
                Fact.id.is_in([glucose.id, other_fact])
            )
        }
        assert set(statuses.values()) == {CONFIRMED}

        # Purge one (trash, then delete for good): the other remains, with its review.
        assert (await client.post(f"/documents/{shown_doc}/delete")).status_code == 303
        assert (await client.post(f"/documents/{shown_doc}/purge")).status_code == 303
        series = await _glucose_page(client)
        assert _rows(series) == 1 and "2 sources" not in series
        assert _cites(series, other_doc) and not _cites(series, shown_doc)
        labs = await _page(client, "/profiles/dad/labs")
        summary = await _page(client, "/profiles/dad/summary")
        assert "2 sources" not in labs and "2 sources" not in summary
        assert "Glucose" in summary
    (kept,) = await _shown_glucose(dad)
    assert kept.id == other_fact and kept.source_count == 1
    assert kept.status == CONFIRMED
    assert not await Fact.exists().where(Fact.document == shown_doc)
    assert not await Fact.exists().where(Fact.same_as.is_not_null())
