"""Appointments and the calendar feed through HTTP, per role, against the real database; the
feed is parsed with icalendar, as a calendar app would read it."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import httpx
import pytest
from icalendar import Calendar
from starlette.applications import Starlette

from server.db.tables import Appointment, CalendarFeed, Grant
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

SOON = date.today() + timedelta(days=10)


@contextlib.asynccontextmanager
async def _as(app: Starlette, who: str) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as client:
        await login(client, who)
        yield client


@pytest.fixture
async def visits(household: Household) -> dict[str, int]:
    async def add(profile: str, day: date, reason: str, time: str = "") -> int:
        rows = await Appointment.insert(
            Appointment(profile=household.profiles[profile], day=day, time=time, reason=reason)
        ).returning(Appointment.id)
        return int(rows[0]["id"])

    return {
        "dad": await add("dad", SOON, "Dad cardiology review", "14:15"),
        "dad_past": await add("dad", date(2020, 1, 5), "Dad old checkup"),
        "kid": await add("kid", SOON, "Kid-only dentist"),
    }


@pytest.mark.parametrize("who", ["olga", "bob"])
async def test_add_edit_delete(
    app: Starlette, household: Household, visits: dict[str, int], who: str
) -> None:
    async with _as(app, who) as client:
        r = await client.post(
            "/profiles/dad/appointments",
            data={"day": SOON.isoformat(), "time": "09:30", "clinician": "Dr. Rivera",
                  "place": "Riverside Clinic", "reason": "Kidney follow-up",
                  "notes": "Ask about creatinine", "follow_up": "Labs in 3 months",
                  "documents": [str(household.docs["dad"])]},
        )  # fmt: skip
        assert r.status_code == 303
        row = await Appointment.select().where(Appointment.reason == "Kidney follow-up").first()
        assert row is not None and row["profile"] == household.profiles["dad"]
        assert (row["day"], row["time"], row["clinician"]) == (SOON, "09:30", "Dr. Rivera")
        page = (await client.get("/profiles/dad/appointments")).text
        assert "Appointment added." in page
        item = re.search(rf'<li id="appt-{row["id"]}".*?</li>', page, re.S)
        assert item and "Riverside Clinic" in item[0] and "Labs in 3 months" in item[0]
        assert f'href="/documents/{household.docs["dad"]}"' in item[0]
        assert "Dad old checkup" in page.split('data-testid="past-appointments"')[1]
        assert "Kid-only dentist" not in page
        edit = await client.get(f"/profiles/dad/appointments/{row['id']}/edit")
        assert edit.status_code == 200 and 'value="Dr. Rivera"' in edit.text
        moved = (SOON + timedelta(days=1)).isoformat()
        r = await client.post(
            f"/profiles/dad/appointments/{row['id']}",
            data={
                "day": moved,
                "time": "",
                "clinician": "Dr. Rivera",
                "reason": "Kidney follow-up",
            },
        )
        assert r.status_code == 303
        after = await Appointment.select().where(Appointment.id == row["id"]).first()
        assert after is not None and after["day"].isoformat() == moved and after["time"] == ""
        assert after["documents"] in ([], "[]") and after["notes"] == ""
        r = await client.post(f"/profiles/dad/appointments/{row['id']}/delete")
        assert r.status_code == 303
    assert not await Appointment.exists().where(Appointment.id == row["id"])


async def test_bad_input_is_refused_visibly(
    app: Starlette, household: Household, visits: dict[str, int]
) -> None:
    before = await Appointment.count()
    async with _as(app, "bob") as bob:
        cases = [
            ({"day": "next tuesday", "reason": "x"}, "YYYY-MM-DD"),
            ({"day": SOON.isoformat(), "time": "25:00", "reason": "x"}, "HH:MM"),
            ({"day": SOON.isoformat()}, "Say who, where or what"),
            # Another profile's document cannot be linked.
            ({"day": SOON.isoformat(), "reason": "x", "documents": str(household.docs["kid"])},
             "Choose documents from the list"),
        ]  # fmt: skip
        for data, message in cases:
            r = await bob.post("/profiles/dad/appointments", data=data)
            assert r.status_code == 400 and message in r.text, data
        r = await bob.post(
            f"/profiles/dad/appointments/{visits['dad']}", data={"day": "", "reason": "x"}
        )
        assert r.status_code == 400 and "YYYY-MM-DD" in r.text
        # Kid's appointment through dad's address: not found, not changed or deleted.
        for path in (f"/profiles/dad/appointments/{visits['kid']}",
                     f"/profiles/dad/appointments/{visits['kid']}/delete"):  # fmt: skip
            r = await bob.post(path, data={"day": SOON.isoformat(), "reason": "Hijacked"})
            assert r.status_code == 404, path
        assert (
            await bob.get(f"/profiles/dad/appointments/{visits['kid']}/edit")
        ).status_code == 404
    assert await Appointment.count() == before
    assert not await Appointment.exists().where(Appointment.reason == "Hijacked")


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "admin"])
async def test_who_may_not_change_appointments(
    app: Starlette, household: Household, visits: dict[str, int], who: str
) -> None:
    async with _as(app, who) as client:
        page = await client.get("/profiles/dad/appointments")
        assert (page.status_code == 200) == (who == "carol")
        assert ("Dad cardiology review" in page.text) == (who == "carol")
        assert 'data-testid="add-appointment-form"' not in page.text
        expected = 403 if who == "carol" else 404
        data = {"day": SOON.isoformat(), "reason": "Changed"}
        for path in ("/profiles/dad/appointments", f"/profiles/dad/appointments/{visits['dad']}",
                     f"/profiles/dad/appointments/{visits['dad']}/delete"):  # fmt: skip
            assert (await client.post(path, data=data)).status_code == expected, path
    assert await Appointment.count() == 3
    assert not await Appointment.exists().where(Appointment.reason == "Changed")


@pytest.mark.parametrize(
    "who,sees", [("olga", "Dad cardiology"), ("carol", "Dad cardiology"), ("erin", "Kid-only")]
)
async def test_home_page_shows_upcoming_appointments_of_visible_people(
    app: Starlette, household: Household, visits: dict[str, int], who: str, sees: str
) -> None:
    async with _as(app, who) as client:
        home = (await client.get("/")).text
    shown = re.findall(r'data-testid="home-appointment">(.*?)</li>', home, re.S)
    assert len(shown) == 1 and sees in shown[0]
    assert "Dad old checkup" not in home  # past
    assert ("Kid-only" in home) == (who == "erin") and ("Dad cardiology" in home) != (who == "erin")


async def _new_address(client: httpx.AsyncClient) -> str:
    r = await client.post("/account/calendar")
    assert r.status_code == 200
    url = re.search(r'data-testid="calendar-url"', r.text) and re.search(
        r'value="(http[^"]+/calendar/([^"/]+)\.ics)"', r.text
    )
    assert url, r.text
    return url[1]


async def test_calendar_feed(app: Starlette, household: Household, visits: dict[str, int]) -> None:
    async with _as(app, "olga") as olga:
        address = await _new_address(olga)
        token = address.rsplit("/", 1)[1].removesuffix(".ics")
        assert len(token) >= 43  # 256 random bits, URL-safe base64 (at least 128 required)
        account = (await olga.get("/account")).text
        assert 'data-testid="calendar-live"' in account and token not in account
    # Stored hashed, never as is.
    (row,) = await CalendarFeed.select().where(CalendarFeed.revoked_at.is_null())
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    path = address.split("://", 1)[1].split("/", 1)[1]
    async with new_client(app) as anyone:  # a calendar app: no session, only the address
        r = await anyone.get(f"/{path}")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
        cal = Calendar.from_ical(r.content)
        events = cal.walk("VEVENT")
        summaries = [str(e["SUMMARY"]) for e in events]
        assert summaries == ["Secret Dad: Dad cardiology review"]  # not kid's, not the past one
        start = events[0].decoded("DTSTART")
        assert start == datetime(SOON.year, SOON.month, SOON.day, 14, 15)
        assert start.tzinfo is None  # floating: the time on the clinic's clock
        assert "/profiles/dad/appointments" in str(events[0]["URL"])
        # Access is decided at each request: olga's grant on dad goes, so do dad's visits.
        await Grant.delete().where(
            (Grant.user == household.users["olga"]) & (Grant.profile == household.profiles["dad"])
        )
        cal = Calendar.from_ical((await anyone.get(f"/{path}")).content)
        assert cal.walk("VEVENT") == []
        # Revoked: refused, naming nothing.
        async with _as(app, "olga") as olga:
            assert (await olga.post("/account/calendar/revoke")).status_code == 303
        r = await anyone.get(f"/{path}")
        assert r.status_code == 404 and "VCALENDAR" not in r.text


async def test_new_address_revokes_the_old_one(
    app: Starlette, household: Household, visits: dict[str, int]
) -> None:
    async with _as(app, "carol") as carol:
        first = await _new_address(carol)
        second = await _new_address(carol)
    assert first != second
    async with new_client(app) as anyone:
        old = await anyone.get("/" + first.split("://", 1)[1].split("/", 1)[1])
        new = await anyone.get("/" + second.split("://", 1)[1].split("/", 1)[1])
    assert old.status_code == 404 and new.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(new.content).walk("VEVENT")]
    assert summaries == ["Secret Dad: Dad cardiology review"]  # a viewer sees dad's


async def test_prepare_for_this_visit(
    app: Starlette, household: Household, visits: dict[str, int]
) -> None:
    """The printable page for a visit: the person's questions (escaped), the current medication
    list to go through with ticks, the linked documents and the printed summary; every role
    that sees the appointment may print it, nobody else, and never another profile's."""
    async with _as(app, "bob") as bob:
        added = await bob.post(
            "/profiles/dad/medications",
            data={"name": "Lisinopril", "strength": "10 mg", "frequency": "once daily",
                  "date": "2023-02-01"},
        )  # fmt: skip
        assert added.status_code == 303
        changed = await bob.post(
            f"/profiles/dad/appointments/{visits['dad']}",
            data={"day": SOON.isoformat(), "time": "14:15", "clinician": "Dr. Rivera",
                  "reason": "Dad cardiology review",
                  "notes": "Is the cough from lisinopril?\n<script>alert(1)</script>",
                  "documents": [str(household.docs["dad"])]},
        )  # fmt: skip
        assert changed.status_code == 303
        listing = (await bob.get("/profiles/dad/appointments")).text
        assert f'/profiles/dad/appointments/{visits["dad"]}/prepare"' in listing
    url = f"/profiles/dad/appointments/{visits['dad']}/prepare"
    for who in ("olga", "bob", "carol"):
        async with _as(app, who) as client:
            r = await client.get(url)
        assert r.status_code == 200, (who, r.status_code)
        page = r.text
        questions = page.split('data-testid="questions"')[1].split("</section>")[0]
        assert "Is the cough from lisinopril?" in questions
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in questions
        meds = page.split('data-testid="meds-to-check"')[1].split("</section>")[0]
        row = meds.split('data-testid="check-medication"')[1].split("</tr>")[0]
        assert "Lisinopril" in row and "10 mg" in row and "once daily" in row and "☐" in row
        assert "Dr. Rivera" in page and "Dad cardiology review" in page
        assert '/profiles/dad/summary.pdf"' in page
        assert f'/documents/{household.docs["dad"]}"' in page
        assert "Kid-only dentist" not in page
    # No grant: not found; another profile's appointment through dad's address: not found.
    async with _as(app, "dave") as dave:
        assert (await dave.get(url)).status_code == 404
    async with _as(app, "olga") as olga:
        other = await olga.get(f"/profiles/dad/appointments/{visits['kid']}/prepare")
        assert other.status_code == 404 and "Kid-only dentist" not in other.text
    async with new_client(app) as anonymous:
        r = await anonymous.get(url)
        assert r.status_code in (303, 401) and "cough" not in r.text
