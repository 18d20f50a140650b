"""Searching in a real browser: results as you type, a bookmarkable URL, highlights on the page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.test_browser import PASSWORD, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.make_docs import digital_pdf
from tests.fixtures.procs import Server, add_user, kinchart


def _setup(env: dict[str, str], tmp_path: Path) -> None:
    add_user("ann", PASSWORD, "--admin", env=env)
    add_user("sam", PASSWORD, env=env)
    for args in (
        ("profile", "add", "Grandpa Joe", "--slug", "grandpa"),
        ("profile", "add", "Kiddo", "--slug", "kiddo"),
        ("grant", "sam", "grandpa", "caregiver"),
        ("grant", "ann", "kiddo", "owner"),
    ):
        assert kinchart(*args, env=env).returncode == 0
    rx = digital_pdf(
        tmp_path / "pharmacy.pdf",
        [["Pharmacy printout 2024-02-02"], ["Rx Metformin 500 mg tablet", "Hemoglobin A1c 7.1 %"]],
    )
    other = digital_pdf(tmp_path / "kid.pdf", [["Kiddo: Metformin is not for children"]])
    assert kinchart("ingest", "--profile", "grandpa", str(rx), env=env).returncode == 0
    assert kinchart("ingest", "--profile", "kiddo", str(other), env=env).returncode == 0


def test_search_as_you_type_and_open_the_page(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    _setup(env, tmp_path)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else 0)
        _login(page, server.url, "sam")
        box = page.get_by_test_id("search-input")
        box.press_sequentially("metfromin", delay=40)
        # Results arrive without a page load, and the URL can be bookmarked.
        expect(page.get_by_test_id("hit")).to_have_count(1)
        expect(page).to_have_url(re.compile(r"/search\?q=metfromin$"))
        hit = page.get_by_test_id("hit").first
        expect(hit.locator("mark")).to_have_text("Metformin")
        expect(page.get_by_text("pharmacy.pdf")).to_be_visible()
        expect(page.get_by_text("kid.pdf")).to_have_count(0)  # sam has no role on Kiddo
        _shot(page, "search-01-results")
        page.get_by_test_id("hit-link").click()
        expect(page).to_have_url(re.compile(r"/documents/\d+\?q=metfromin#page-2$"))
        boxes = page.locator("#page-2 [data-testid=highlight]")
        expect(boxes).to_have_count(1)
        assert boxes.bounding_box() is not None and boxes.bounding_box()["width"] > 5
        expect(page.locator("#page-1 [data-testid=highlight]")).to_have_count(0)
        _shot(page, "search-02-highlight")
        # The same search, bookmarked, opened fresh; then the same box without JavaScript.
        page.goto(server.url + "/search?q=a1c")
        expect(page.get_by_test_id("hit")).to_have_count(1)
        assert not blocked, blocked
        plain = browser.new_page(java_script_enabled=False)
        _login(plain, server.url, "sam")
        plain.get_by_test_id("search-input").fill("metf")
        plain.get_by_test_id("search-input").press("Enter")
        expect(plain.get_by_test_id("hit")).to_have_count(1)
    finally:
        server.stop()
