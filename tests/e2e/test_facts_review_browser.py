"""Reviewing facts in a real browser: keys j/k/c/x/u/e/n with htmx, and the same without JS."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import PASSWORD, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.facts import report
from tests.fixtures.procs import Server, add_user, kinchart
from tests.ocr.facts.lab_pages import columns, digital_pdf


def _setup(env: dict[str, str], tmp_path: Path) -> None:
    add_user("ann", PASSWORD, "--admin", env=env)
    add_user("sam", PASSWORD, env=env)
    assert kinchart("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env).returncode == 0
    assert kinchart("grant", "sam", "grandpa", "caregiver", env=env).returncode == 0
    pdf = digital_pdf(columns(report()), tmp_path / "labs.pdf")
    r = kinchart("ingest", "--profile", "grandpa", str(pdf), env=env)
    assert r.returncode == 0, r.stdout + r.stderr


def _fact(page: Page, name: str) -> object:
    return page.get_by_test_id("fact").filter(
        has=page.get_by_test_id("fact-name").get_by_text(name, exact=True)
    )


def test_review_with_the_keyboard(browser: Browser, env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    _setup(env, tmp_path)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _login(page, server.url, "sam")
        page.goto(server.url + "/profiles/grandpa")
        page.get_by_test_id("review-facts").click()
        expect(page).to_have_url(re.compile(r"/profiles/grandpa/review$"))
        facts = page.locator("#review [data-fact]")
        expect(facts.first).to_be_focused()
        expect(page.get_by_test_id("fact-crop").first).to_be_visible()
        _shot(page, "facts-01-review")
        names = [n.strip() for n in page.get_by_test_id("fact-name").all_inner_texts()]
        assert names[:4] == ["Glucose", "Creatinine", "Hemoglobin A1c", "Potassium"]

        # j/k move; c confirms and moves on to the next fact still to check.
        page.keyboard.press("j")
        expect(facts.nth(1)).to_be_focused()
        page.keyboard.press("k")
        expect(facts.nth(0)).to_be_focused()
        page.keyboard.press("c")
        expect(facts.nth(0)).to_have_attribute("data-status", "confirmed")
        expect(facts.nth(1)).to_be_focused()
        # x rejects creatinine; u (back on it) undoes that.
        page.keyboard.press("x")
        expect(facts.nth(1)).to_have_attribute("data-status", "rejected")
        expect(facts.nth(2)).to_be_focused()
        page.keyboard.press("k")
        page.keyboard.press("u")
        expect(facts.nth(1)).to_have_attribute("data-status", "extracted")
        # e corrects in place: Esc cancels, Enter saves.
        page.keyboard.press("e")
        value = page.get_by_test_id("correct-form").get_by_label("Value")
        expect(value).to_be_focused()
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("correct-form")).to_have_count(0)
        page.keyboard.press("e")
        value = page.get_by_test_id("correct-form").get_by_label("Value")
        value.fill("90")
        _shot(page, "facts-02-correct")
        value.press("Enter")
        expect(facts.nth(1)).to_have_attribute("data-status", "corrected")
        expect(facts.nth(1).get_by_test_id("fact-status")).to_have_text("corrected")
        # The source link opens the document at the cited fact.
        href = facts.nth(0).get_by_test_id("fact-source").get_attribute("href")
        assert href is not None and re.fullmatch(r"/documents/\d+\?fact=\d+#page-1", href)
        # n: a fact by hand.
        page.keyboard.press("n")
        expect(page).to_have_url(re.compile(r"/profiles/grandpa/facts/new$"))
        page.get_by_test_id("kind-medication").click()
        page.get_by_label("Name").fill("Metformin")
        page.get_by_label("Strength").fill("500 mg")
        page.get_by_test_id("save").click()
        expect(page).to_have_url(re.compile(r"/review\?show=all#fact-\d+$"))
        expect(_fact(page, "Metformin")).to_have_attribute("data-status", "manual")  # type: ignore[attr-defined]
        _shot(page, "facts-03-all")
        page.close()

        # Without JavaScript the same buttons are plain forms.
        context = browser.new_context(java_script_enabled=False)
        plain = context.new_page()
        _login(plain, server.url, "sam")
        plain.goto(server.url + "/profiles/grandpa/review")
        first = plain.locator("#review [data-fact]").first
        fact_id = first.get_attribute("data-fact")
        first.get_by_test_id("reject").click()
        expect(plain).to_have_url(re.compile(rf"/profiles/grandpa/review#fact-{fact_id}$"))
        plain.goto(server.url + "/profiles/grandpa/review?show=all")
        expect(plain.locator(f"#fact-{fact_id}")).to_have_attribute("data-status", "rejected")
        plain.locator(f"#fact-{fact_id}").get_by_test_id("correct").click()
        plain.get_by_label("Value").fill("4.4")
        plain.get_by_test_id("save").click()
        expect(plain.locator(f"#fact-{fact_id}")).to_have_attribute("data-status", "corrected")
        context.close()

        # A refusal is said, not swallowed: the role was taken away while the page was open.
        page = browser.new_page()
        _login(page, server.url, "sam")
        page.goto(server.url + "/profiles/grandpa/review")
        expect(page.locator("#review [data-fact]").first).to_be_focused()
        assert kinchart("revoke", "sam", "grandpa", env=env).returncode == 0
        page.keyboard.press("c")
        expect(page.get_by_test_id("review-error")).to_have_text("No such fact.")
        page.close()
    finally:
        server.stop()
