"""One record from several sources in a real browser: a lab report printed from a C-CDA's
results and that C-CDA, both read by the real pipeline, show each result once with "2
sources"; the caregiver opens the other source and says "these are different results"."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import PASSWORD, _login, browser  # noqa: F401 (fixture)
from tests.fixtures.procs import Server, add_user, kinchart
from tests.ocr.facts.lab_pages import columns, digital_pdf
from tests.server.facts.test_same import CCDA, _printed_report


def _wait_for(page: Page, url: str, testid: str, timeout: float = 180) -> None:
    """Facts are stored just after a document is ready; reload until they are shown."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.goto(url)
        if page.get_by_test_id(testid).count():
            return
        time.sleep(1)
    raise AssertionError(f"{testid} never appeared on {url}: {page.content()[:2000]}")


def test_the_same_result_from_two_documents_and_splitting_it(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    if not CCDA.exists():
        pytest.skip(f"corpus not found at {CCDA} (tests read ../shared/corpus in place)")
    report, _ = _printed_report(CCDA)
    pdf = digital_pdf(columns(report), tmp_path / "lab-report.pdf")
    add_user("ann", PASSWORD, "--admin", env=env)
    add_user("bob", PASSWORD, env=env)
    name, dob = report.patient, report.born.isoformat()
    for args in (
        ("profile", "add", name, "--slug", "pat", "--dob", dob),
        ("grant", "bob", "pat", "caregiver"),
    ):
        assert kinchart(*args, env=env).returncode == 0
    r = kinchart("ingest", "--profile", "pat", str(pdf), str(CCDA), env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _login(page, server.url, "bob")
        _wait_for(page, server.url + "/profiles/pat/labs", "source-count")
        row = page.locator("[data-testid=analyte]").filter(has=page.get_by_test_id("source-count"))
        key = row.first.get_attribute("data-key")
        expect(row.first.get_by_test_id("source-count")).to_have_text("2 sources")
        page.goto(server.url + f"/profiles/pat/labs/{key}")
        expect(page.get_by_test_id("lab-row")).to_have_count(1)
        expect(page.get_by_test_id("source-count")).to_contain_text("2 sources")
        # The other source opens at its citation, which names the first one.
        page.get_by_test_id("other-source").first.click()
        expect(page.get_by_test_id("citation")).to_be_visible()
        expect(page.get_by_test_id("same-result")).to_contain_text("also read from 1 other")
        page.get_by_test_id("keep-apart").click()
        expect(page.get_by_test_id("citation")).to_be_visible()
        expect(page.get_by_test_id("same-result")).to_have_count(0)
        page.goto(server.url + f"/profiles/pat/labs/{key}")
        expect(page.get_by_test_id("lab-row")).to_have_count(2)
        expect(page.get_by_test_id("source-count")).to_have_count(0)
    finally:
        server.stop()
