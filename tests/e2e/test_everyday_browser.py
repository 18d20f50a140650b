"""The small things of everyday use, in a real browser: upload feedback, the grant form without
trap defaults, success messages, the token page, the icon and web-app manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.test_browser import PASSWORD, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.make_docs import digital_pdf
from tests.fixtures.procs import Server, add_user, kinchart


def _setup(env: dict[str, str]) -> None:
    add_user("root", PASSWORD, "--admin", env=env)
    add_user("ann", PASSWORD, env=env)
    add_user("sam", PASSWORD, env=env)
    assert kinchart("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env).returncode == 0
    assert kinchart("grant", "ann", "grandpa", "owner", env=env).returncode == 0


def test_upload_feedback_grants_flash_and_tokens(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    _setup(env)
    letter = digital_pdf(tmp_path / "letter.pdf", [["Clinic letter", "Grandpa Joe"]])
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        page = context.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else 0)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else 0)
        _login(page, server.url, "ann")
        page.goto(server.url + "/profiles/grandpa")

        # Upload with no file chosen: an error, and nothing sent.
        requests.clear()
        page.get_by_test_id("upload-submit").click()
        expect(page.get_by_test_id("upload-error")).to_contain_text("Choose at least one file")
        assert not [u for u in requests if u.endswith("/upload")], requests
        # A real upload: the result follows the document until it is read.
        page.get_by_test_id("upload-input").set_input_files([str(letter)])
        page.get_by_test_id("upload-submit").click()
        results = page.get_by_test_id("upload-results")
        expect(results).to_contain_text("letter.pdf")
        expect(page.get_by_test_id("upload-error")).to_have_count(0)
        state = results.get_by_test_id("upload-state")
        expect(state).to_have_attribute("data-state", "ready", timeout=120_000)
        expect(results).to_contain_text("ready: 1 page read.")
        expect(results).not_to_contain_text("being read now")
        _shot(page, "everyday-01-upload-ready")

        # The grant form chooses nothing by itself; sharing says what it did, once.
        page.goto(server.url + "/profiles/grandpa/settings")
        grant = page.get_by_test_id("grant-form")
        assert grant.get_by_label("User").input_value() == ""
        assert grant.get_by_label("Role").input_value() == ""
        grant.get_by_role("button", name="Share").click()  # the browser refuses: required
        expect(page.get_by_test_id("grants")).not_to_contain_text("sam")
        expect(page.get_by_test_id("flash")).to_have_count(0)
        grant.get_by_label("User").select_option("sam")
        grant.get_by_label("Role").select_option("viewer")
        grant.get_by_role("button", name="Share").click()
        expect(page.get_by_test_id("flash")).to_have_text(
            "sam can now see Grandpa Joe's records as viewer."
        )
        expect(page.get_by_test_id("grants")).to_contain_text("viewer")
        page.reload()
        expect(page.get_by_test_id("flash")).to_have_count(0)
        # Removing asks first; dismissed, nothing happens.
        sam = page.get_by_test_id("grants").get_by_role("row").filter(has_text="sam")
        page.once("dialog", lambda d: d.dismiss())
        sam.get_by_test_id("remove-grant").click()
        expect(sam).to_be_visible()
        page.once("dialog", lambda d: d.accept())
        sam.get_by_test_id("remove-grant").click()
        expect(page.get_by_test_id("flash")).to_contain_text("sam no longer sees")
        expect(page.get_by_test_id("grants")).not_to_contain_text("sam")

        # The token page: the server's address, the Paperless word, a copy button.
        page.goto(server.url + "/account")
        expect(page.get_by_test_id("server-url")).to_have_text(server.url)
        expect(page.get_by_test_id("api-facts")).to_contain_text("/api/documents/post_document/")
        form = page.get_by_test_id("token-form")
        form.get_by_label("Name").fill("Phone scanner")
        form.get_by_label("Grandpa Joe").check()
        form.get_by_role("button", name="Make a token").click()
        token = page.get_by_test_id("new-token-value").inner_text().strip()
        assert len(token) > 20
        page.get_by_test_id("copy-token").click()
        expect(page.get_by_test_id("copy-token")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == token
        _shot(page, "everyday-02-token")
        page.once("dialog", lambda d: d.accept())
        page.get_by_test_id("revoke-token").click()
        expect(page.get_by_test_id("flash")).to_contain_text("Token “Phone scanner” revoked")
        expect(page.get_by_test_id("tokens")).to_contain_text("revoked")

        # An icon and a manifest, so a phone can put Kinchart on its home screen.
        icon = page.locator("link[rel=icon]").get_attribute("href")
        manifest_href = page.locator("link[rel=manifest]").get_attribute("href")
        assert icon and manifest_href
        assert page.request.get(server.url + icon).ok
        manifest = page.request.get(server.url + manifest_href)
        assert manifest.ok and "manifest+json" in manifest.headers["content-type"]
        data = json.loads(manifest.text())
        assert data["start_url"] == "/" and data["display"] == "standalone"
        for i in data["icons"]:
            got = page.request.get(server.url + i["src"])
            assert got.ok and got.headers["content-type"] == i["type"], i
        assert not blocked, blocked
        assert re.search(r"/account", page.url)
        context.close()
    finally:
        server.stop()
