"""The same result from two documents, as people see it: once, with "2 sources", both
citations linked; owners and caregivers can say "these are different", viewers cannot."""

from __future__ import annotations

import re
from datetime import date

import httpx
from starlette.applications import Starlette

from server.db.tables import Fact
from server.facts import same
from tests.fixtures.health_facts import add_document, add_fact
from tests.fixtures.people import Household, csrf_from, login
from tests.server.conftest import new_client

DAY = date(2026, 2, 1)


async def _two_sources(household: Household) -> tuple[int, int, int, int]:
    dad = household.profiles["dad"]
    ids = []
    for name, page in (("lab-report.pdf", 1), ("visit-record.xml", None)):
        doc = await add_document(dad, name, doc_date=DAY)
        fact = await add_fact(
            dad, doc, "lab", "Glucose", analyte="glucose", value_num=105.0, value_text="105",
            unit="mg/dL", effective=DAY, page=page, status="extracted", flag="H",
        )  # fmt: skip
        ids += [doc, fact]
    await same.relink(dad)
    return ids[0], ids[1], ids[2], ids[3]


def _rows(html: str) -> int:
    return len(re.findall(r'data-testid="lab-row"', html))


async def _page(client: httpx.AsyncClient, url: str) -> str:
    r = await client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.text


async def test_the_same_result_is_shown_once_with_both_sources(
    app: Starlette, household: Household
) -> None:
    pdf, pdf_fact, xml, xml_fact = await _two_sources(household)
    async with new_client(app) as client:
        await login(client, "carol")  # a viewer sees it once, with both sources
        series = await _page(client, "/profiles/dad/labs/glucose")
        assert _rows(series) == 1
        assert 'data-testid="source-count"' in series and "2 sources" in series
        assert f"/documents/{xml}?fact={xml_fact}" in series
        assert f"/documents/{pdf}?fact={pdf_fact}" in series
        overview = await _page(client, "/profiles/dad/labs")
        assert "2 sources" in overview
        summary = await _page(client, "/profiles/dad/summary")
        assert "2 sources" in summary
        home = await _page(client, "/")  # out of range and to check: once, not twice
        assert "Results newly out of range (1)" in home
        # Each citation names the other source; a viewer may not split them.
        cited = await _page(client, f"/documents/{xml}?fact={xml_fact}")
        assert 'data-testid="same-result"' in cited and "lab-report.pdf" in cited
        assert 'data-testid="keep-apart"' not in cited
        r = await client.post(f"/facts/{xml_fact}/apart", data={"csrf_token": csrf_from(cited)})
        assert r.status_code == 403
    assert await Fact.count().where(Fact.same_as.is_not_null()) == 1


async def test_a_caregiver_says_these_are_different(app: Starlette, household: Household) -> None:
    pdf, pdf_fact, _xml, _xml_fact = await _two_sources(household)
    async with new_client(app) as client:
        await login(client, "bob")
        assert "1 fact waiting to be checked" in await _page(client, "/")
        cited = await _page(client, f"/documents/{pdf}?fact={pdf_fact}")
        assert 'data-testid="keep-apart"' in cited and "visit-record.xml" in cited
        back = f"/documents/{pdf}?fact={pdf_fact}"
        r = await client.post(
            f"/facts/{pdf_fact}/apart", data={"csrf_token": csrf_from(cited), "back": back}
        )
        assert r.status_code == 303 and r.headers["location"].startswith(back)
        series = await _page(client, "/profiles/dad/labs/glucose")
        assert _rows(series) == 2 and "2 sources" not in series
        assert "2 facts waiting to be checked" in await _page(client, "/")
        cited = await _page(client, f"/documents/{pdf}?fact={pdf_fact}")
        assert 'data-testid="same-result"' not in cited
    kept = await Fact.select(Fact.apart, Fact.same_as).where(Fact.id == pdf_fact).first()
    assert kept == {"apart": True, "same_as": None}


async def test_someone_without_a_role_learns_nothing(app: Starlette, household: Household) -> None:
    _, _, xml, xml_fact = await _two_sources(household)
    async with new_client(app) as client:
        await login(client, "dave")
        r = await client.get(f"/documents/{xml}?fact={xml_fact}")
        assert r.status_code == 404 and "lab-report.pdf" not in r.text
