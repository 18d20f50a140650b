"""Medications and appointments in a real browser against a real server: add and stop a
medication; add an appointment, see it on the home page, and fetch the calendar feed made on
the account page (parsed with icalendar, as a calendar app would)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from tests.e2e.test_browser import PASSWORD, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.procs import Server, add_user, kinchart


def test_medication_and_appointment_flows(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    add_user("root", PASSWORD, "--admin", env=env)
    add_user("ann", PASSWORD, env=env)
    add_user("vic", PASSWORD, env=env)
    assert kinchart("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env).returncode == 0
    assert kinchart("grant", "ann", "grandpa", "owner", env=env).returncode == 0
    assert kinchart("grant", "vic", "grandpa", "viewer", env=env).returncode == 0
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        _login(page, server.url, "ann")
        page.goto(server.url + "/profiles/grandpa")
        page.get_by_test_id("nav-medications").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Medications")

        # Add a medication by hand.
        form = page.get_by_test_id("add-medication-form")
        form.get_by_label("Name").fill("Lisinopril")
        form.get_by_label("Strength").fill("10 mg")
        form.get_by_label("How often").fill("once daily")
        form.get_by_label("Prescriber").fill("Dr. Rivera")
        form.get_by_label("Since").fill("2024-02-01")
        form.get_by_test_id("add-medication-submit").click()
        expect(page.get_by_test_id("flash")).to_have_text("Lisinopril added.")
        current = page.get_by_test_id("current-medications").get_by_test_id("medication")
        expect(current).to_have_count(1)
        expect(current).to_contain_text("Dr. Rivera")
        expect(current).to_contain_text("entered by hand")
        _shot(page, "medications-01-added")

        # Mark it stopped on a date.
        current.get_by_test_id("stop-date").fill("2024-11-30")
        current.get_by_test_id("stop-medication").click()
        expect(page.get_by_test_id("flash")).to_have_text("Lisinopril marked stopped.")
        expect(
            page.get_by_test_id("current-medications").get_by_test_id("medication")
        ).to_have_count(0)
        stopped = page.get_by_test_id("stopped-medication")
        expect(stopped).to_contain_text("Lisinopril")
        expect(stopped).to_contain_text("2024")
        # The Summary sees the same record.
        page.get_by_test_id("nav-summary").click()
        expect(page.get_by_test_id("stopped-medication")).to_contain_text("Lisinopril")

        # Add an appointment.
        soon = date.today() + timedelta(days=7)
        page.get_by_test_id("nav-appointments").click()
        form = page.get_by_test_id("add-appointment-form")
        form.get_by_test_id("appt-day").fill(soon.isoformat())
        form.get_by_test_id("appt-time").fill("10:45")
        form.get_by_test_id("appt-clinician").fill("Dr. Okafor")
        form.get_by_test_id("appt-place").fill("Riverside Clinic")
        form.get_by_test_id("appt-reason").fill("Blood pressure check")
        form.get_by_test_id("add-appointment-submit").click()
        expect(page.get_by_test_id("flash")).to_have_text("Appointment added.")
        expect(page.get_by_test_id("appointment")).to_contain_text("Dr. Okafor")
        page.goto(server.url + "/")
        expect(page.get_by_test_id("home-appointment")).to_contain_text("Blood pressure check")
        _shot(page, "medications-02-home-appointment")

        # The calendar address, made on the account page, and the feed it serves.
        page.goto(server.url + "/account")
        page.get_by_test_id("calendar-new").click()
        address = page.get_by_test_id("calendar-url").input_value()
        assert "/calendar/" in address and address.endswith(".ics")
        feed = httpx.get(address, timeout=30)  # a calendar app: no cookies
        assert feed.status_code == 200
        events = Calendar.from_ical(feed.content).walk("VEVENT")
        assert [str(e["SUMMARY"]) for e in events] == [
            "Grandpa Joe: Blood pressure check with Dr. Okafor"
        ]
        assert events[0].decoded("DTSTART") == datetime(soon.year, soon.month, soon.day, 10, 45)
        assert str(events[0]["LOCATION"]) == "Riverside Clinic"
        # Revoked (after confirming): the address answers no more.
        page.once("dialog", lambda d: d.accept())
        page.get_by_test_id("calendar-revoke").click()
        expect(page.get_by_test_id("calendar-none")).to_be_visible()
        assert httpx.get(address, timeout=30).status_code == 404

        # A viewer reads both lists but gets no forms.
        viewer = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
        _login(viewer, server.url, "vic")
        viewer.goto(server.url + "/profiles/grandpa/medications")
        expect(viewer.get_by_test_id("stopped-medication")).to_contain_text("Lisinopril")
        expect(viewer.get_by_test_id("add-medication-form")).to_have_count(0)
        viewer.goto(server.url + "/profiles/grandpa/appointments")
        expect(viewer.get_by_test_id("appointment")).to_contain_text("Dr. Okafor")
        expect(viewer.get_by_test_id("add-appointment-form")).to_have_count(0)
        assert viewer.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        server.stop()
