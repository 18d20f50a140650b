"""A person in a real browser (Debian's chromium via Playwright): upload, watch, read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.conftest import ARTIFACTS
from tests.make_docs import digital_pdf, scanned_png
from tests.procs import Server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ARTIFACTS / "screenshots"


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


def test_upload_watch_and_read_a_document(
    browser: Browser, env: dict[str, str], tmp_path: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    scan = scanned_png(tmp_path / "glucose.png", ["Fasting glucose 104 mg/dL", "Flag: High"])
    letter = digital_pdf(tmp_path / "letter.pdf", [["Referral letter", "Cardiology clinic"]])
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        for width, label in ((1280, "desktop"), (390, "phone")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(server.url + "/documents")
            if label == "desktop":
                page.get_by_test_id("upload-input").set_input_files([str(scan), str(letter)])
                page.get_by_test_id("upload-submit").click()
                expect(page.get_by_test_id("upload-results")).to_contain_text("glucose.png")
                rows = page.get_by_test_id("doc-row")
                expect(rows).to_have_count(2)
                # Rows poll themselves: no reload needed to see them finish.
                for i in range(2):
                    expect(rows.nth(i)).to_have_attribute("data-state", "ready", timeout=120_000)
            page.screenshot(path=str(SHOTS / f"documents-{label}.png"), full_page=True)
            page.get_by_role("link", name="glucose.png").click()
            expect(page.get_by_test_id("doc-status")).to_have_attribute("data-state", "ready")
            expect(page.get_by_test_id("page-text").first).to_contain_text("glucose")
            img = page.locator("article.page img").first
            img.scroll_into_view_if_needed()
            page.wait_for_function(
                "el => el.complete && el.naturalWidth > 0", arg=img.element_handle()
            )
            expect(page.get_by_test_id("download-original")).to_be_visible()
            page.screenshot(path=str(SHOTS / f"document-{label}.png"), full_page=True)
            page.close()
    finally:
        server.stop()
