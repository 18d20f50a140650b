"""The review page and its actions, per role: who may see, confirm, correct, reject, enter."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from server.access import audit
from server.db.tables import Fact, Grant
from server.facts import persist
from server.runtime import Services
from tests.fixtures.facts import lab_facts
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

HTMX = {"HX-Request": "true"}


@pytest.fixture
async def facts(app_services: Services, household: Household) -> dict[str, int]:
    """Dad's lab report facts (by analyte) and one fact of the kid's document."""
    await persist.store(app_services.engine, household.docs["dad"], lab_facts())
    await persist.store(app_services.engine, household.docs["kid"], lab_facts())
    rows = await Fact.select(Fact.id, Fact.analyte, Fact.document, Fact.name)
    out = {
        r["analyte"] or r["name"]: r["id"] for r in rows if r["document"] == household.docs["dad"]
    }
    out["kid"] = next(r["id"] for r in rows if r["document"] == household.docs["kid"])
    return out


async def _fact(fact_id: int) -> dict[str, Any]:
    row = await Fact.select().where(Fact.id == fact_id).output(load_json=True).first()
    assert row is not None
    return dict(row)


@contextlib.asynccontextmanager
async def _client(app: Starlette, who: str) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as client:
        await login(client, who)
        yield client


async def test_caregiver_reviews_with_htmx_and_without(
    app: Starlette, household: Household, facts: dict[str, int]
) -> None:
    async with _client(app, "bob") as bob:
        page = await bob.get("/profiles/dad/review")
        assert page.status_code == 200
        assert page.text.count('data-testid="fact"') >= 4
        assert "dad-confidential-labs.pdf" in page.text and "Glucose" in page.text
        # Each fact links to its citation on the document page.
        glucose = facts["glucose"]
        assert f"/documents/{household.docs['dad']}?fact={glucose}#page-1" in page.text
        # The cited line: the page image cropped to the fact's boxes, highlighted.
        assert re.search(rf'<image href="/documents/{household.docs["dad"]}/page/1"', page.text)
        assert 'class="fact-box"' in page.text

        # A page older than the fact's last reading is refused, not applied to another fact.
        r = await bob.post(f"/facts/{glucose}/confirm", data={"key": "lab|1|other|#1"})
        assert r.status_code == 409 and "Reload" in r.text
        assert (await _fact(glucose))["status"] == "extracted"
        # htmx: the row comes back alone, confirmed.
        key = (await _fact(glucose))["data"]["key"]
        assert f'name="key" value="{key}"' in page.text
        r = await bob.post(f"/facts/{glucose}/confirm", data={"key": key}, headers=HTMX)
        assert r.status_code == 200 and "<html" not in r.text
        assert f'id="fact-{glucose}"' in r.text and 'data-status="confirmed"' in r.text
        row = await _fact(glucose)
        assert row["status"] == "confirmed" and row["reviewed_by"] == household.users["bob"]
        # Without JavaScript: a form post, then back to the review page at the fact.
        hba1c = facts["hba1c"]
        back = "/profiles/dad/review"
        r = await bob.post(f"/facts/{hba1c}/reject", data={"back": back})
        assert r.status_code == 303 and r.headers["location"] == f"{back}#fact-{hba1c}"
        assert (await _fact(hba1c))["status"] == "rejected"
        r = await bob.post(f"/facts/{hba1c}/reopen", headers=HTMX)
        assert (await _fact(hba1c))["status"] == "extracted"
        # Reviewed facts leave the list of facts to check; all of them stay on ?show=all.
        page = await bob.get("/profiles/dad/review")
        assert f'id="fact-{glucose}"' not in page.text and f'id="fact-{hba1c}"' in page.text
        page = await bob.get("/profiles/dad/review?show=all")
        assert f'id="fact-{glucose}"' in page.text
        # Another profile's facts are not there, and cannot be touched.
        assert f'id="fact-{facts["kid"]}"' not in page.text
        for path in ("confirm", "reject", "edit"):
            method = bob.get if path == "edit" else bob.post
            assert (await method(f"/facts/{facts['kid']}/{path}")).status_code == 404
        assert (await _fact(facts["kid"]))["status"] == "extracted"
    events = await audit.profile_events(household.profiles["dad"])
    kinds = [e["kind"] for e in events if e["kind"].startswith("fact_")]
    assert kinds == ["fact_reopened", "fact_rejected", "fact_confirmed"]
    assert events[0]["actor_name"] == "bob" and events[0]["detail"]["fact"] == hba1c


async def test_correcting_keeps_what_was_read(
    app: Starlette, household: Household, facts: dict[str, int]
) -> None:
    glucose = facts["glucose"]
    async with _client(app, "olga") as olga:
        form = await olga.get(f"/facts/{glucose}/edit", headers=HTMX)
        assert form.status_code == 200 and 'data-testid="correct-form"' in form.text
        assert 'value="105"' in form.text and 'value="mg/dL"' in form.text
        # Typed in mmol/L: stored in the catalogue's unit for the charts, as typed in `corrected`.
        r = await olga.post(
            f"/facts/{glucose}/correct",
            data={"name": "Glucose", "value": "5.8", "unit": "mmol/L", "flag": "", "date": ""},
            headers=HTMX,
        )
        assert r.status_code == 200 and 'data-status="corrected"' in r.text
        row = await _fact(glucose)
        assert row["status"] == "corrected"
        assert row["value_num"] == pytest.approx(104.5, abs=0.1) and row["unit"] == "mg/dL"
        assert row["corrected"] == {"value": "5.8", "unit": "mmol/L", "flag": "", "date": ""}
        assert row["flag"] == "" and row["effective"] is None
        assert row["data"]["value"]["text"] == "105" and row["data"]["unit"] == "mg/dL"
        # A bad date is refused, nothing changes, and the form says why.
        bad = await olga.post(f"/facts/{glucose}/correct", data={"date": "14/03/2023"})
        assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
        assert (await _fact(glucose))["corrected"] == row["corrected"]
        partial = await olga.post(
            f"/facts/{glucose}/correct", data={"date": "2999-01-01"}, headers=HTMX
        )
        assert partial.status_code == 200 and 'data-testid="field-error"' in partial.text
        # Submitting the form unchanged confirms an extracted fact.
        creatinine = facts["creatinine"]
        same = await olga.post(f"/facts/{creatinine}/correct", data={"value": "88"})
        assert same.status_code == 303 and (await _fact(creatinine))["status"] == "confirmed"
    events = await audit.profile_events(household.profiles["dad"])
    corrected = next(e for e in events if e["kind"] == "fact_corrected")
    assert corrected["detail"]["changes"]["value"] == ["105", "5.8"]


async def test_entering_a_fact_by_hand(app: Starlette, household: Household) -> None:
    async with _client(app, "bob") as bob:
        form = await bob.get("/profiles/dad/facts/new?kind=allergy")
        assert form.status_code == 200 and 'name="reaction"' in form.text
        r = await bob.post(
            "/profiles/dad/facts",
            data={"kind": "allergy", "name": "Penicillin", "reaction": "hives", "state": "active"},
        )
        assert r.status_code == 303 and r.headers["location"].startswith("/profiles/dad/review")
        refused = await bob.post("/profiles/dad/facts", data={"kind": "lab", "name": "Glucose"})
        assert refused.status_code == 400 and "needs a value" in refused.text
        nonsense = await bob.post("/profiles/dad/facts", data={"kind": "horoscope", "name": "x"})
        assert nonsense.status_code == 400
    (fact,) = await Fact.select().where(Fact.status == "manual").output(load_json=True)
    assert fact["document"] is None and fact["profile"] == household.profiles["dad"]
    assert (fact["kind"], fact["name"], fact["value_text"]) == ("allergy", "Penicillin", "hives")
    assert fact["corrected"]["reaction"] == "hives"
    async with _client(app, "bob") as bob:
        page = await bob.get("/profiles/dad/review?show=all")
        assert f'id="fact-{fact["id"]}"' in page.text and "Entered by hand" in page.text


@pytest.mark.parametrize("who", ["carol", "dave", "admin", "erin"])
async def test_who_may_not_review(
    app: Starlette, household: Household, facts: dict[str, int], who: str
) -> None:
    """A viewer reads but does not edit; no one else even learns the facts exist."""
    glucose = facts["glucose"]
    expected = 403 if who == "carol" else 404
    async with _client(app, who) as client:
        assert (await client.get("/profiles/dad/review")).status_code == expected
        assert (await client.get("/profiles/dad/facts/new")).status_code == expected
        for action in ("confirm", "reject", "reopen"):
            r = await client.post(f"/facts/{glucose}/{action}", headers=HTMX)
            assert r.status_code == expected, action
            assert "Glucose" not in r.text and "105" not in r.text
        r = await client.post(f"/facts/{glucose}/correct", data={"value": "1"})
        assert r.status_code == expected
        r = await client.post(
            "/profiles/dad/facts", data={"kind": "lab", "name": "X", "value": "1"}
        )
        assert r.status_code == expected
        assert (await client.get(f"/facts/{glucose}/edit")).status_code == expected
    row = await _fact(glucose)
    assert row["status"] == "extracted" and row["value_text"] == "105"
    assert await Fact.count().where(Fact.status == "manual") == 0


async def test_moving_a_document_moves_its_facts(
    app: Starlette, household: Household, facts: dict[str, int]
) -> None:
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    olga = household.users["olga"]
    await Grant.insert(Grant(key=f"{olga}:{kid}", user=olga, profile=kid, role="caregiver"))
    async with _client(app, "olga") as client:
        r = await client.post(f"/documents/{household.docs['dad']}/move", data={"profile": "kid"})
        assert r.status_code == 303
        glucose = facts["glucose"]
        assert (await _fact(glucose))["profile"] == kid
        page = await client.get("/profiles/dad/review")
        assert f'id="fact-{glucose}"' not in page.text
        page = await client.get("/profiles/kid/review")
        assert f'id="fact-{glucose}"' in page.text
    # Bob, caregiver of dad only, no longer reaches them.
    async with _client(app, "bob") as bob:
        assert (await bob.post(f"/facts/{glucose}/confirm")).status_code == 404
    dad_facts = await Fact.count().where((Fact.profile == dad) & Fact.document.is_not_null())
    assert dad_facts == 0
