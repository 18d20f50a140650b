"""Every page a signed-in owner can reach, found by following links, at phone and desktop size:
nothing scrolls sideways and axe-core finds no serious or critical problem. And the People menu
works from the keyboard.

The crawl starts at the home page and follows same-origin links breadth-first, so a new page is
covered without editing this test. axe-core (pinned in package.json, installed by
deploy/static.sh) is injected with `page.evaluate`, under the app's own CSP.
"""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.test_browser import PASSWORD, SHOTS, _login, browser  # noqa: F401 (fixture)
from tests.fixtures.facts import report
from tests.fixtures.procs import Server, add_user, kinchart, kinchart_json, wait_for
from tests.ocr.facts.lab_pages import columns, digital_pdf

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = [(360, 740), (1366, 900)]
MAX_PAGES = 70  # pages per size; the seeded household has about 30 kinds
PER_GROUP = 3  # pages whose first three path segments agree (one analyte of many, ...)
SKIP = re.compile(r"^/(static/|logout|healthz|api/)")


def _setup(env: dict[str, str], tmp_path: Path) -> None:
    """An admin who owns Grandpa's record; a lab report (facts) and a file that cannot be read."""
    add_user("ann", PASSWORD, "--admin", env=env)
    add_user("sam", PASSWORD, env=env)
    for args in (
        ("profile", "add", "Grandpa Joe", "--slug", "grandpa"),
        ("profile", "add", "Kiddo", "--slug", "kid"),
        ("grant", "ann", "grandpa", "owner"),
        ("grant", "ann", "kid", "owner"),
        ("grant", "sam", "grandpa", "caregiver"),
    ):
        assert kinchart(*args, env=env).returncode == 0, args
    labs = digital_pdf(columns(report(patient="Grandpa Joe")), tmp_path / "labs.pdf")
    broken = tmp_path / "broken-scan.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00not really a pdf\n" * 50)
    r = kinchart("ingest", "--profile", "grandpa", str(labs), env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    r = kinchart("ingest", "--profile", "grandpa", str(broken), env=env)
    assert r.returncode == 1 and "damaged" in r.stdout + r.stderr, r.stdout + r.stderr


def _settled(server: Server) -> bool:
    counts = server.counts()
    return not counts.get("queued") and not counts.get("processing")


def _shape(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    return path, tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))


def _group(url: str) -> str:
    return "/".join(urlsplit(url).path.split("/")[:4])


def _links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.match(parts.path):
            continue
        out.append(url)
    return out


def _axe(page: Page, source: str) -> list[dict[str, object]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _crawl(context: BrowserContext, server: Server, width: int, source: str) -> dict[str, object]:
    """Visit every page reachable from the home page; returns what went wrong, by URL."""
    page = context.new_page()
    problems: dict[str, object] = {}
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(f"{page.url}: {m.text}") if "Content Security" in m.text else 0,
    )
    page.on("pageerror", lambda e: blocked.append(f"{page.url}: {e}"))
    origin = server.url
    queue = deque([origin + "/"])
    seen_shapes: set[tuple[str, tuple[str, ...]]] = set()
    groups: dict[str, int] = {}
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        shape, group = _shape(url), _group(url)
        if shape in seen_shapes or groups.get(group, 0) >= PER_GROUP:
            continue
        seen_shapes.add(shape)
        groups[group] = groups.get(group, 0) + 1
        head = context.request.get(url, max_redirects=5)
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue  # a download: an original, a page image
        response = page.goto(url)
        assert response is not None
        if urlsplit(page.url).path.startswith("/login"):
            problems[url] = "signed out"
            continue
        visited.append(page.url)
        page.wait_for_load_state("networkidle")
        found: dict[str, object] = {}
        if response.status >= 400:
            found["status"] = response.status
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found["scrollWidth"] = scroll
            found["widest"] = page.evaluate(
                """w => [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 0.5)
                   .slice(-3).map(e => e.tagName + '.' + e.className + ' ' +
                                  Math.round(e.getBoundingClientRect().right))""",
                width,
            )
        violations = _axe(page, source)
        if violations:
            found["axe"] = violations
        if found:
            problems[page.url] = found
        name = re.sub(r"[^a-z0-9]+", "-", urlsplit(page.url).path.lower()).strip("-") or "home"
        query = urlsplit(page.url).query
        if query:
            name += "-" + re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")
        page.screenshot(path=str(SHOTS / f"layout-{width}-{name}.png"), full_page=True)
        for link in _links(page, origin):
            if _shape(link) not in seen_shapes:
                queue.append(link)
    if blocked:
        problems["console"] = blocked
    problems["_visited"] = visited
    # axe really runs under the CSP: a picture without a text alternative is found.
    page.goto(origin + "/")
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/app.css';"
        " document.querySelector('main').append(i); }"
    )
    assert "image-alt" in [v["id"] for v in _axe(page, source)]
    page.close()
    return problems


def test_every_page_fits_a_phone_and_passes_axe(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: ./deploy/static.sh installs axe-core from package.json")
    source = AXE.read_text()
    _setup(env, tmp_path)
    server = Server(env, tmp_path / "server.log")
    server.start()
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        wait_for(lambda: _settled(server), 300, "documents to be read")
        assert server.counts().get("failed") == 1, server.counts()
        docs = kinchart_json("status", env=env)
        report_all: dict[str, object] = {}
        # Facts are stored just after the document is ready: reload until the trends list them.
        page = browser.new_page()
        _login(page, server.url, "ann")
        analyte = page.get_by_test_id("analyte")
        wait_for(
            lambda: page.goto(server.url + "/profiles/grandpa/labs") and analyte.count() > 0,
            120,
            "the report's facts",
        )
        # A medication and an appointment with questions: the pages that list them and the
        # visit's printable page are crawled too.
        page.goto(server.url + "/profiles/grandpa/medications")
        meds = page.get_by_test_id("add-medication-form")
        meds.locator("[name=name]").fill("Lisinopril")
        meds.locator("[name=strength]").fill("10 mg")
        meds.locator("[name=frequency]").fill("once daily, in the morning with food")
        meds.locator("button[type=submit]").click()
        expect(page.get_by_test_id("medication").first).to_contain_text("Lisinopril")
        page.goto(server.url + "/profiles/grandpa/appointments")
        visit = page.get_by_test_id("add-appointment-form")
        visit.get_by_test_id("appt-day").fill("2031-03-04")
        visit.get_by_test_id("appt-clinician").fill("Dr. Rivera")
        visit.get_by_test_id("appt-reason").fill("Blood pressure review")
        visit.get_by_test_id("appt-notes").fill("Is the cough from the lisinopril?")
        visit.get_by_test_id("add-appointment-submit").click()
        expect(page.get_by_test_id("prepare-visit")).to_have_count(1)
        page.close()
        for width, height in SIZES:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            _login(page, server.url, "ann")
            expect(page.get_by_test_id("account-link")).to_be_attached()
            page.close()
            problems = _crawl(context, server, width, source)
            context.close()
            visited = problems.pop("_visited")
            assert isinstance(visited, list)
            paths = {re.sub(r"\d+", "N", urlsplit(u).path) for u in visited}
            # The crawl really went everywhere: each kind of page was found by links alone.
            for expected in (
                "/",
                "/documents",
                "/documents/N",
                "/profiles",
                "/profiles/grandpa",
                "/profiles/grandpa/review",
                "/profiles/grandpa/summary",
                "/profiles/grandpa/labs",
                "/profiles/grandpa/labs/glucose",
                "/profiles/grandpa/timeline",
                "/profiles/grandpa/settings",
                "/profiles/grandpa/appointments/N/prepare",
                "/account",
                "/admin/users",
            ):
                assert expected in paths, (width, expected, sorted(paths), docs)
            report_all[str(width)] = problems
        assert report_all == {"360": {}, "1366": {}}, json.dumps(report_all, indent=1)
    finally:
        server.stop()


def test_people_menu_by_keyboard(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    add_user("root", PASSWORD, "--admin", env=env)
    add_user("ann", PASSWORD, env=env)
    for slug, name in (("grandpa", "Grandpa Joe"), ("kid", "Kiddo"), ("mum", "Mum")):
        assert kinchart("profile", "add", name, "--slug", slug, env=env).returncode == 0
        assert kinchart("grant", "ann", slug, "owner", env=env).returncode == 0
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(page, server.url, "ann")
        expect(page.get_by_test_id("account-link")).to_be_visible()
        button = page.get_by_role("button", name="People")
        menu = page.get_by_role("menu", name="People")
        items = menu.get_by_role("menuitem")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_hidden()
        # Reached by Tab like any control; Enter opens at the first person.
        page.locator("body").focus()
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('people-button')"):
                break
        expect(button).to_be_focused()
        page.keyboard.press("Enter")
        expect(menu).to_be_visible()
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(items).to_have_count(4)  # three people and "All profiles…"
        names = [t.strip() for t in items.all_inner_texts()]
        assert names[-1] == "All profiles…"
        assert all(any(who in n for n in names[:3]) for who in ("Grandpa Joe", "Kiddo", "Mum"))
        expect(items.nth(0)).to_be_focused()
        page.keyboard.press("ArrowDown")
        expect(items.nth(1)).to_be_focused()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        expect(items.nth(3)).to_be_focused()  # wraps round
        page.keyboard.press("Home")
        expect(items.nth(0)).to_be_focused()
        page.keyboard.press("End")
        expect(items.nth(3)).to_be_focused()
        # Escape closes and gives the focus back to the button.
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        expect(button).to_be_focused()
        expect(button).to_have_attribute("aria-expanded", "false")
        # Up opens at the last item; a click elsewhere closes.
        page.keyboard.press("ArrowUp")
        expect(items.nth(3)).to_be_focused()
        page.mouse.click(5, 880)
        expect(menu).to_be_hidden()
        # Space opens; Down twice and Enter goes to that person.
        button.focus()
        page.keyboard.press(" ")
        expect(items.nth(0)).to_be_focused()
        page.keyboard.press("ArrowDown")
        target = items.nth(1).get_attribute("href")
        assert target is not None and target.startswith("/profiles/")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(re.escape(target) + "$"))
        page.screenshot(path=str(SHOTS / "layout-people-menu-after.png"))

        # On a phone the menu folds behind a button; People works the same inside it.
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(server.url + "/documents")
        toggle = page.get_by_test_id("menu-toggle")
        expect(toggle).to_be_visible()
        expect(page.get_by_test_id("search-input")).to_be_visible()
        expect(button).to_be_hidden()
        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(button).to_be_visible()
        button.focus()
        page.keyboard.press("Enter")
        expect(items.nth(0)).to_be_focused()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "layout-360-people-menu-open.png"))
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        expect(button).to_be_focused()
        page.keyboard.press("Escape")  # a second Escape folds the whole menu
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(toggle).to_be_focused()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.close()
    finally:
        server.stop()


def test_destructive_actions_ask_first(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    add_user("root", PASSWORD, "--admin", env=env)
    add_user("sam", PASSWORD, env=env)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else 0)
        _login(page, server.url, "root")
        page.goto(server.url + "/admin/users")
        sam = page.get_by_test_id("users").get_by_role("row").filter(has_text="sam")
        disable = sam.get_by_test_id("disable-user")
        expect(disable).to_have_class(re.compile(r"\bdanger\b"))
        asked: list[str] = []

        def answer(dialog: object, accept: bool) -> None:
            asked.append(dialog.message)  # type: ignore[attr-defined]
            dialog.accept() if accept else dialog.dismiss()  # type: ignore[attr-defined]

        page.once("dialog", lambda d: answer(d, False))
        disable.click()
        expect(sam).to_contain_text("active")
        assert asked and asked[0].startswith("Disable sam (sam)?"), asked
        page.once("dialog", lambda d: answer(d, True))
        disable.click()
        expect(sam).to_contain_text("disabled")
        expect(sam.get_by_test_id("enable-user")).to_be_visible()
        assert len(asked) == 2
        assert not blocked, blocked
        page.close()
    finally:
        server.stop()
