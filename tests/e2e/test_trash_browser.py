"""Deleting in a real browser: delete → trash → restore → delete → delete forever, each asking
first; then bulk tag and bulk move of ticked documents (plain form posts); on a phone, bulk
delete and Empty trash (asking first)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import PASSWORD, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.make_docs import digital_pdf
from tests.fixtures.procs import Server, add_user, kinchart, kinchart_json


def _setup(env: dict[str, str], tmp_path: Path) -> dict[str, int]:
    add_user("root", PASSWORD, "--admin", env=env)
    add_user("ann", PASSWORD, env=env)
    for name, slug in (("Grandpa Joe", "grandpa"), ("Grandma Sue", "grandma")):
        assert kinchart("profile", "add", name, "--slug", slug, env=env).returncode == 0
        assert kinchart("grant", "ann", slug, "owner", env=env).returncode == 0
    files = [
        digital_pdf(tmp_path / f"{stem}.pdf", [[f"{stem} letter", "Grandpa Joe"]])
        for stem in ("dentist", "insurance-a", "insurance-b")
    ]
    proc = kinchart("ingest", "--profile", "grandpa", *map(str, files), env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {d["original_name"]: d["id"] for d in kinchart_json("documents", env=env)}


def test_delete_restore_purge_and_bulk_tag_and_move(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    docs = _setup(env, tmp_path)
    dentist = docs["dentist.pdf"]
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        for width, height in ((1366, 900), (360, 740)):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            _login(page, server.url, "ann")
            if width == 1366:
                _trash_flow(page, server.url, dentist)
                _bulk_flow(page, server.url, docs)
            else:  # a phone: the list with its action bar, bulk delete, the trash
                page.goto(server.url + "/profiles/grandma")
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.locator(
                    f'input[data-testid="pick"][value="{docs["insurance-a.pdf"]}"]'
                ).check()
                page.once("dialog", lambda d: d.accept())
                page.get_by_test_id("bulk-delete").click()
                expect(page.get_by_test_id("flash")).to_have_text("Moved 1 document to the trash.")
                page.get_by_test_id("trash-link").click()
                expect(page.get_by_test_id("trash-row")).to_contain_text("insurance-a.pdf")
                # Empty trash asks first: dismissed, the document stays; accepted, it is gone.
                page.once("dialog", lambda d: d.dismiss())
                page.get_by_test_id("empty-trash").click()
                expect(page.get_by_test_id("trash-row")).to_have_count(1)
                _shot(page, "trash-03-before-empty")
                page.once("dialog", lambda d: d.accept())
                page.get_by_test_id("empty-trash").click()
                expect(page.get_by_test_id("flash")).to_have_text("1 document deleted for good.")
                expect(page.get_by_test_id("trash-empty")).to_be_visible()
                gone = docs["insurance-a.pdf"]
                assert page.request.get(f"{server.url}/documents/{gone}").status == 404
            _shot(page, f"trash-{width}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            context.close()
    finally:
        server.stop()


def _trash_flow(page: Page, url: str, dentist: int) -> None:
    page.goto(f"{url}/documents/{dentist}")
    # Asked first; dismissed, nothing happens.
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_test_id("delete-document").click()
    expect(page.get_by_test_id("doc-heading")).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("delete-document").click()
    expect(page.get_by_test_id("flash")).to_contain_text("is in the trash for 30 days")
    expect(page.get_by_test_id("documents")).not_to_contain_text("dentist.pdf")
    page.get_by_test_id("trash-link").click()
    row = page.get_by_test_id("trash-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("dentist.pdf")
    expect(row).to_contain_text("by ann")
    row.get_by_test_id("restore").click()
    expect(page.get_by_test_id("flash")).to_contain_text("is back")
    expect(page.get_by_test_id("doc-heading")).to_be_visible()
    # Again, and this time for good.
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("delete-document").click()
    page.goto(f"{url}/profiles/grandpa/trash")
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_test_id("purge").click()
    expect(page.get_by_test_id("trash-row")).to_have_count(1)
    _shot(page, "trash-01-before-purge")
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("purge").click()
    expect(page.get_by_test_id("flash")).to_contain_text("deleted for good")
    expect(page.get_by_test_id("trash-empty")).to_be_visible()
    assert page.request.get(f"{url}/documents/{dentist}").status == 404


def _bulk_flow(page: Page, url: str, docs: dict[str, int]) -> None:
    page.goto(f"{url}/profiles/grandpa")
    for name in ("insurance-a.pdf", "insurance-b.pdf"):
        page.locator(f'input[data-testid="pick"][value="{docs[name]}"]').check()
    page.get_by_test_id("bulk-tag").fill("Insurance")
    page.get_by_test_id("bulk-tag-add").click()
    expect(page.get_by_test_id("flash")).to_have_text("Tagged 2 documents “insurance”.")
    expect(page.get_by_test_id("tag")).to_have_count(2)
    _shot(page, "trash-02-bulk-tagged")
    for name in ("insurance-a.pdf", "insurance-b.pdf"):
        page.locator(f'input[data-testid="pick"][value="{docs[name]}"]').check()
    page.get_by_test_id("bulk-profile").select_option("grandma")
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("bulk-move").click()
    expect(page.get_by_test_id("flash")).to_have_text("Moved 2 documents to Grandma Sue.")
    expect(page.get_by_test_id("documents")).not_to_contain_text("insurance-a.pdf")
    page.goto(f"{url}/profiles/grandma")
    expect(page.get_by_test_id("doc-row")).to_have_count(2)
    expect(page.get_by_test_id("documents")).to_contain_text("insurance")
