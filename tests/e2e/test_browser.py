"""A household in a real browser (Debian's chromium via Playwright), as a family sets it up."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import ARTIFACTS
from tests.fixtures.make_docs import digital_pdf, scanned_png
from tests.fixtures.procs import Server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ARTIFACTS / "screenshots"
PASSWORD = "a long household password"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed; ./run.sh test installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page: Page, url: str, username: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_household_setup_sharing_upload_and_reading(
    browser: Browser, env: dict[str, str], tmp_path: Path
) -> None:
    scan = scanned_png(tmp_path / "glucose.png", ["Fasting glucose 104 mg/dL", "Flag: High"])
    kid_letter = digital_pdf(tmp_path / "kid-school-form.pdf", [["School sports form", "Kiddo"]])
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # First run: everything leads to creating the admin.
        page.goto(server.url + "/documents")
        expect(page).to_have_url(re.compile(r"/setup$"))
        _shot(page, "01-setup")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Your name").fill("Ann Admin")
        page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
        page.get_by_label("Password again").fill(PASSWORD)
        page.get_by_role("button", name="Create admin account").click()
        expect(page.get_by_test_id("account-link")).to_have_text("Ann Admin")

        # A user for the caregiver, then two profiles.
        page.goto(server.url + "/admin/users")
        form = page.get_by_test_id("user-form")
        form.get_by_label("Username").fill("sam")
        form.get_by_label("Name", exact=True).fill("Sam Son")
        form.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
        form.get_by_role("button", name="Add user").click()
        expect(page.get_by_test_id("users")).to_contain_text("sam")
        for name, dob, slug in (
            ("Grandpa Joe", "1941-05-02", "grandpa"),
            ("Kiddo", "2016-09-01", "kid"),
        ):
            page.goto(server.url + "/profiles")
            form = page.get_by_test_id("profile-form")
            form.get_by_label("Name", exact=True).fill(name)
            form.get_by_label("Date of birth").fill(dob)
            form.get_by_label("Short name for the inbox folder (optional)").fill(slug)
            form.get_by_role("button", name="Add profile").click()
            expect(page.locator("h1")).to_contain_text(name)
        page.get_by_test_id("upload-input").set_input_files([str(kid_letter)])
        page.get_by_test_id("upload-submit").click()
        expect(page.get_by_test_id("upload-results")).to_contain_text("kid-school-form.pdf")
        _shot(page, "02-profile-kid")

        # Grant the caregiver on grandpa only.
        page.goto(server.url + "/profiles/grandpa/settings")
        grant = page.get_by_test_id("grant-form")
        grant.get_by_label("User").select_option("sam")
        grant.get_by_label("Role").select_option("caregiver")
        grant.get_by_role("button", name="Share").click()
        expect(page.get_by_test_id("grants")).to_contain_text("caregiver")
        _shot(page, "03-sharing")
        page.get_by_test_id("logout").click()
        expect(page).to_have_url(re.compile(r"/login"))

        # The caregiver: sees grandpa, not the kid; uploads a scan and reads it.
        _login(page, server.url, "sam")
        # Home: a card for each person they care for (grandpa only).
        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.get_by_test_id("person-card")).to_have_count(1)
        expect(page.get_by_test_id("person-card")).to_have_attribute("data-slug", "grandpa")
        page.goto(server.url + "/profiles")
        expect(page.get_by_test_id("profiles")).to_contain_text("Grandpa Joe")
        expect(page.get_by_test_id("profiles")).not_to_contain_text("Kiddo")
        page.goto(server.url + "/profiles/grandpa")
        page.get_by_test_id("upload-input").set_input_files([str(scan)])
        page.get_by_test_id("upload-submit").click()
        expect(page.get_by_test_id("upload-results")).to_contain_text("glucose.png")
        row = page.get_by_test_id("doc-row").first
        expect(row).to_have_attribute("data-state", "ready", timeout=120_000)
        _shot(page, "04-profile-grandpa")
        page.goto(server.url + "/documents")
        expect(page.get_by_test_id("documents")).to_contain_text("glucose.png")
        expect(page.get_by_test_id("documents")).not_to_contain_text("kid-school-form.pdf")
        page.get_by_test_id("doc-row").filter(has_text="glucose.png").get_by_test_id(
            "doc-title"
        ).click()
        expect(page.get_by_test_id("doc-status")).to_have_attribute("data-state", "ready")
        expect(page.get_by_test_id("page-text").first).to_contain_text("glucose")
        img = page.locator("article.page img").first
        img.scroll_into_view_if_needed()
        page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle())
        _shot(page, "05-document")
        page.goto(server.url + "/profiles/kid")
        expect(page.get_by_test_id("error")).to_contain_text("404")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(server.url + "/profiles/grandpa")
        _shot(page, "06-phone-profile")
        # On a phone the menu folds behind a button: open it to log out.
        expect(page.get_by_test_id("logout")).to_be_hidden()
        page.get_by_test_id("menu-toggle").click()
        page.get_by_test_id("logout").click()
        expect(page).to_have_url(re.compile(r"/login"))
        page.goto(server.url + "/profiles/grandpa")
        expect(page).to_have_url(re.compile(r"/login\?next="))
        page.close()
    finally:
        server.stop()
