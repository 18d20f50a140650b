"""Sharing in a real browser: an owner makes a link with a passcode, a clinician opens it in a
second, logged-out browser, gives a wrong then the right passcode, reads the summary and
follows a citation into the shared document; the owner sees the view and revokes the link; the
clinician's reload is refused. Screenshots: the share page (desktop, phone), the emergency card.
"""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import PASSWORD, SHOTS, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.facts import report
from tests.fixtures.procs import Server, add_user, kinchart
from tests.ocr.facts.lab_pages import columns, digital_pdf

PHONE = {"width": 390, "height": 844}


def _setup(env: dict[str, str], tmp_path: Path) -> None:
    add_user("ann", PASSWORD, "--admin", env=env)
    add_user("olga", PASSWORD, env=env)
    for args in (
        ("profile", "add", "Grandpa Joe", "--slug", "grandpa", "--dob", "1951-03-14"),
        ("grant", "olga", "grandpa", "owner"),
    ):
        assert kinchart(*args, env=env).returncode == 0
    labs = digital_pdf(columns(report(patient="Grandpa Joe")), tmp_path / "labs-2023.pdf")
    r = kinchart("ingest", "--profile", "grandpa", str(labs), env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def _csp_watch(page: Page, problems: list[str]) -> None:
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else 0)
    page.on("pageerror", lambda e: problems.append(str(e)))


def _give_passcode(page: Page, passcode: str) -> None:
    page.get_by_test_id("passcode-input").fill(passcode)
    page.get_by_test_id("passcode-submit").click()


def test_share_a_summary_with_a_clinician(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    _setup(env, tmp_path)
    server = Server(env, tmp_path / "server.log")
    server.start()
    problems: list[str] = []
    try:
        owner = browser.new_page(viewport={"width": 1280, "height": 900})
        _csp_watch(owner, problems)
        _login(owner, server.url, "olga")
        owner.goto(server.url + "/profiles/grandpa")
        owner.get_by_test_id("nav-sharing").click()
        # Facts are stored just after the document is ready: wait until the form offers it.
        deadline = time.monotonic() + 120
        while not owner.get_by_test_id("share-document").count():
            assert time.monotonic() < deadline, "the lab report never became shareable"
            time.sleep(1)
            owner.reload()
        owner.get_by_test_id("share-label").fill("Dr. Patel, cardiology")
        owner.get_by_test_id("share-document").first.check()
        owner.get_by_test_id("share-passcode").fill("sesame-42")
        owner.get_by_test_id("share-create").click()
        expect(owner.get_by_test_id("share-made")).to_be_visible()
        expect(owner.get_by_test_id("share-qr").locator("svg")).to_be_visible()
        url = owner.get_by_test_id("share-url").input_value()
        assert url.startswith(server.url + "/s/") and "#shlink:/" in url

        clinician = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        _csp_watch(clinician, problems)
        clinician.goto(url)
        expect(clinician.get_by_test_id("passcode-form")).to_be_visible()
        expect(clinician.locator("body")).not_to_contain_text("Grandpa")
        _give_passcode(clinician, "wrong-guess")
        expect(clinician.get_by_test_id("passcode-wrong")).to_contain_text("7 tries left")
        _give_passcode(clinician, "sesame-42")
        expect(clinician.get_by_test_id("person-name")).to_have_text("Grandpa Joe")
        expect(clinician.get_by_test_id("person-dob")).to_have_text("1951-03-14")
        glucose = clinician.get_by_test_id("lab").filter(has_text="Glucose")
        expect(glucose.get_by_test_id("flag")).to_have_text("H")
        expect(glucose.get_by_test_id("unreviewed")).to_be_visible()
        expect(clinician.locator("body")).not_to_contain_text("Log out")
        assert clinician.locator("input[type=search]").count() == 0
        _shot(clinician, "share-page-desktop")

        glucose.get_by_test_id("citation-link").click()
        expect(clinician.get_by_test_id("citation")).to_contain_text("Glucose")
        expect(clinician.get_by_test_id("citation-boxes").locator("rect").first).to_be_attached()
        image = clinician.locator("[data-testid=page] img").first
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") > 100  # the page image really loaded
        expect(clinician.get_by_test_id("cited-text")).to_contain_text("Glucose")

        phone = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
        _csp_watch(phone, problems)
        phone.goto(url)
        _give_passcode(phone, "sesame-42")
        expect(phone.get_by_test_id("person-name")).to_be_visible()
        _shot(phone, "share-page-phone")

        # The owner sees both views and the wrong passcode, then revokes.
        owner.reload()
        expect(owner.get_by_test_id("share-views")).to_have_text("2")
        expect(owner.get_by_test_id("share-log")).to_contain_text("wrong passcode")
        expect(owner.get_by_test_id("share-log")).to_contain_text("document")
        owner.get_by_test_id("share-revoke").click()
        expect(owner.get_by_test_id("share-status")).to_have_text("revoked")

        response = clinician.reload()
        assert response is not None and response.status == 404
        expect(clinician.locator("body")).to_contain_text(
            "does not exist, has expired or was revoked"
        )
        expect(clinician.locator("body")).not_to_contain_text("Glucose")

        # The emergency card, on paper-sized and phone screens.
        owner.goto(server.url + "/profiles/grandpa/emergency")
        owner.get_by_label("Blood type").select_option("O+")
        owner.get_by_label("Emergency contacts, one a line").fill("Ann (daughter) +1 555 0100")
        owner.get_by_test_id("emergency-save").click()
        owner.get_by_test_id("emergency-make-link").click()
        card = owner.get_by_test_id("emergency-card")
        expect(card.get_by_test_id("emergency-qr").locator("svg")).to_be_visible()
        expect(card.get_by_test_id("emergency-blood")).to_have_text("O+")
        expect(card).to_contain_text("Ann (daughter)")
        card.screenshot(path=str(SHOTS / "emergency-card.png"))
        owner.set_viewport_size(PHONE)
        _shot(owner, "emergency-card-phone")
        assert not problems, problems
    finally:
        server.stop()
