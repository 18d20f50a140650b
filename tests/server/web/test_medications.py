"""The medications page through HTTP: the list and where each line comes from, disagreements,
and adding, editing and stopping by hand, per role."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from starlette.applications import Starlette

from server.db.tables import Fact
from server.health import summary
from server.health.records import profile_facts
from tests.fixtures.health_facts import add_document, add_fact
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client


@contextlib.asynccontextmanager
async def _as(app: Starlette, who: str) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as client:
        await login(client, who)
        yield client


@pytest.fixture
async def meds(household: Household) -> dict[str, int]:
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    new = await add_document(dad, "dad-clinic-2024.pdf", doc_date=date(2024, 5, 2))
    late = await add_document(dad, "dad-pharmacy-2024.pdf", doc_date=date(2024, 6, 1))
    old = await add_document(dad, "dad-discharge-2009.pdf", doc_date=date(2009, 4, 4))
    kid_doc = await add_document(kid, "kid-meds.pdf", doc_date=date(2024, 1, 1))
    return {
        "metformin": await add_fact(
            dad, new, "medication", "Metformin", state="active", page=1,
            value_text="500 mg", line="Metformin 500 mg twice daily",
            data={"strength": "500 mg", "frequency": "twice daily", "status": "active"},
            status="extracted",
        ),
        "metformin_late": await add_fact(
            dad, late, "medication", "Metformin HCl", state="active", page=1,
            value_text="1000 mg", line="Metformin HCl 1000 mg BID",
            data={"strength": "1000 mg", "frequency": "BID", "status": "active"},
            status="confirmed",
        ),
        "warfarin": await add_fact(
            dad, old, "medication", "Warfarin", state="active", page=2,
            value_text="5 mg", line="Warfarin 5 mg daily",
            data={"strength": "5 mg", "frequency": "daily", "status": "active"},
            status="confirmed",
        ),
        "kid": await add_fact(
            kid, kid_doc, "medication", "Kid-Only-Amoxicillin", state="active", page=1,
            value_text="250 mg", data={"strength": "250 mg"}, status="confirmed",
        ),
    }  # fmt: skip


def _row(html: str, testid: str, name: str) -> str:
    """The table row of a medication named `name` in the list `testid`."""
    rows = re.findall(rf'<tr id="med-\d+" data-testid="{testid}".*?</tr>', html, re.S)
    found = [r for r in rows if f'<th scope="row">{name} ' in r]
    assert len(found) == 1, (testid, name, rows)
    return found[0]


@pytest.mark.parametrize("who", ["olga", "bob", "carol"])
async def test_everyone_with_a_role_reads_the_list(
    app: Starlette, household: Household, meds: dict[str, int], who: str
) -> None:
    async with _as(app, who) as client:
        page = await client.get("/profiles/dad/medications")
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="nav-medications"' in html and 'aria-current="page"' in html
    # Current: the newest mention, its dose and frequency, and its source, cited.
    metformin = _row(html, "medication", "Metformin HCl")
    assert "1000 mg" in metformin and "BID" in metformin
    assert "/documents/" in metformin and "dad-pharmacy-2024.pdf" in metformin
    assert "2 May 2024" in metformin  # since: its first mention as taken
    # Two recent lists disagree on the dose: flagged on the line and explained (Summary logic).
    assert 'data-testid="conflicted"' in metformin
    assert 'data-kind="medication-dose"' in html and "different doses" in html
    # The 2009 discharge list is old, not current; the list says what it is as of.
    assert "Warfarin" not in html.split('data-testid="older-medications"')[0]
    _row(html, "older-medication", "Warfarin")
    assert 'data-testid="medications-as-of"' in html and "1 Jun 2024" in html
    # Unreviewed marks: the machine-read 2024-05 mention, in the history.
    history = html.split('data-testid="medication-history"')[1]
    assert 'data-testid="unreviewed"' in history
    assert 'data-testid="unreviewed"' not in metformin  # its newest mention was confirmed
    # Never another profile's medications.
    assert "Kid-Only-Amoxicillin" not in html
    # Only owners and caregivers get the forms.
    editable = who != "carol"
    assert ('data-testid="add-medication-form"' in html) == editable
    assert ('data-testid="stop-form"' in html) == editable
    assert ('data-testid="edit-medication"' in html) == editable


@pytest.mark.parametrize("who", ["dave", "erin", "admin"])
async def test_no_role_no_list(
    app: Starlette, household: Household, meds: dict[str, int], who: str
) -> None:
    async with _as(app, who) as client:
        page = await client.get("/profiles/dad/medications")
    assert page.status_code == 404 and "Metformin" not in page.text


@pytest.mark.parametrize("who", ["olga", "bob"])
async def test_add_edit_and_stop_by_hand(
    app: Starlette, household: Household, meds: dict[str, int], who: str
) -> None:
    async with _as(app, who) as client:
        added = await client.post(
            "/profiles/dad/medications",
            data={"name": "Lisinopril", "strength": "10 mg", "frequency": "once daily",
                  "prescriber": "Dr. Rivera", "date": "2023-02-01"},
        )  # fmt: skip
        assert added.status_code == 303
        (fact,) = await Fact.select().where(Fact.name == "Lisinopril").output(load_json=True)
        assert (fact["kind"], fact["status"], fact["state"]) == ("medication", "manual", "active")
        assert fact["document"] is None and fact["profile"] == household.profiles["dad"]
        page = (await client.get(added.headers["location"])).text
        assert "Lisinopril added." in page
        line = _row(page, "medication", "Lisinopril")
        assert "10 mg" in line and "once daily" in line and "Dr. Rivera" in line
        assert "entered by hand" in line and "1 Feb 2023" in line
        # Hand entries stay current though dated before the documents' newest list.
        assert 'data-testid="older-medication"' not in line
        # Edit through the fact form, back to this page.
        edit = await client.get(f"/facts/{fact['id']}/edit?back=/profiles/dad/medications")
        assert edit.status_code == 200 and 'name="prescriber"' in edit.text
        saved = await client.post(
            f"/facts/{fact['id']}/correct",
            data={"frequency": "twice daily", "back": "/profiles/dad/medications"},
        )
        assert saved.status_code == 303
        assert saved.headers["location"].startswith("/profiles/dad/medications")
        page = (await client.get("/profiles/dad/medications")).text
        assert "twice daily" in _row(page, "medication", "Lisinopril")
        # Stop a medication read from a document: a new manual fact; the read one is kept.
        stopped = await client.post(
            f"/profiles/dad/medications/{meds['metformin_late']}/stop", data={"date": "2024-07-01"}
        )
        assert stopped.status_code == 303
        page = (await client.get("/profiles/dad/medications")).text
    assert (
        "Metformin"
        not in page.split('data-testid="stopped-medications"')[0].split('id="current-heading"')[1]
    )
    line = _row(page, "stopped-medication", "Metformin HCl")
    assert "1 Jul 2024" in line and "entered by hand" in line
    read = await Fact.select(Fact.state, Fact.status).where(Fact.id == meds["metformin_late"])
    assert read == [{"state": "active", "status": "confirmed"}]
    # The Summary (and so the IPS and exports, which read the same facts) agrees.
    summed = summary.summarise(await profile_facts(household.profiles["dad"]))
    assert [i.title for i in summed.stopped] == ["Metformin HCl"]
    assert "Lisinopril" in [i.title for i in summed.medications]


async def test_bad_input_is_refused_visibly(
    app: Starlette, household: Household, meds: dict[str, int]
) -> None:
    before = await Fact.count()
    async with _as(app, "bob") as bob:
        nameless = await bob.post("/profiles/dad/medications", data={"strength": "5 mg"})
        assert nameless.status_code == 400 and "needs a name" in nameless.text
        assert 'value="5 mg"' in nameless.text  # what was typed is kept
        future = await bob.post(
            "/profiles/dad/medications", data={"name": "Aspirin", "date": "2999-01-01"}
        )
        assert future.status_code == 400 and "not between 1900 and today" in future.text
        no_date = await bob.post(
            f"/profiles/dad/medications/{meds['metformin']}/stop", data={"date": ""}
        )
        assert no_date.status_code == 400 and "date it was stopped" in no_date.text
        # Another profile's medication through dad's page: not found, unchanged.
        kid = await bob.post(
            f"/profiles/dad/medications/{meds['kid']}/stop", data={"date": "2024-01-02"}
        )
        assert kid.status_code == 404
        nonsense = await bob.post("/profiles/dad/medications/abc/stop", data={"date": "2024-01-02"})
        assert nonsense.status_code == 404
    assert await Fact.count() == before


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "admin"])
async def test_who_may_not_change_medications(
    app: Starlette, household: Household, meds: dict[str, int], who: str
) -> None:
    before = await Fact.count()
    async with _as(app, who) as client:
        added = await client.post("/profiles/dad/medications", data={"name": "Lisinopril"})
        stopped = await client.post(
            f"/profiles/dad/medications/{meds['metformin']}/stop", data={"date": "2024-07-01"}
        )
    expected = 403 if who == "carol" else 404
    assert added.status_code == expected and stopped.status_code == expected
    assert await Fact.count() == before
    assert await Fact.select(Fact.state).where(Fact.id == meds["metformin"]) == [
        {"state": "active"}
    ]
