"""Lab trends in a real browser: scanned lab reports read by the real pipeline, a point on the
chart clicked, and the document page opened with the cited line highlighted where it is printed.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import PASSWORD, SHOTS, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.procs import Server, add_user, kinchart
from tests.ocr.facts.lab_pages import (
    PAGE_IN,
    SIZE,
    Report,
    Row,
    columns,
    page_image,
    scanned_pdf,
    width_in,
)

REPORTS = [  # (collected, glucose, flag)
    (date(2021, 4, 12), "92", ""),
    (date(2022, 5, 3), "99", ""),
    (date(2023, 6, 20), "131", "H"),
]


def _report(collected: date, glucose: str, flag: str, seed: int) -> Report:
    rows = [
        Row("Glucose", glucose, "mg/dL", "70-99", flag),
        Row("Creatinine", "1.0", "mg/dL", "0.6-1.3"),
        Row("Potassium", "4.2", "mmol/L", "3.5-5.1"),
    ]
    return Report(
        rows,
        patient="Joe Grandpa",
        born=date(1941, 5, 2),
        collected=collected,
        reported=collected,
        printed=collected,
        seed=seed,
    )


def _setup(env: dict[str, str], tmp_path: Path) -> dict[str, tuple[float, float, float, float]]:
    """Users, a profile and three scanned lab reports read through the real pipeline.

    Returns where the latest report printed the words of its glucose line, as fractions of
    the page (x0, y0, x1, y1), worked out from the layout itself, not from OCR.
    """
    add_user("ann", PASSWORD, "--admin", env=env)
    add_user("sam", PASSWORD, env=env)
    for args in (
        ("profile", "add", "Grandpa Joe", "--slug", "grandpa"),
        ("grant", "sam", "grandpa", "viewer"),
    ):
        assert kinchart(*args, env=env).returncode == 0
    files, printed = [], {}
    for n, (collected, glucose, flag) in enumerate(REPORTS):
        (page,) = columns(_report(collected, glucose, flag, n))
        image = page_image(page, dpi=200, skew=0.3, blur=0.5, noise=0.0005, seed=n)
        files.append(str(scanned_pdf([image], tmp_path / f"labs-{collected.year}.pdf", 200)))
        if n == len(REPORTS) - 1:
            baseline = next(t.y for t in page.texts if t.text == "Glucose")
            for t in page.texts:
                if abs(t.y - baseline) < 1e-6:
                    top = t.y - t.size * 0.8 / 72
                    printed[t.text] = (
                        t.x / PAGE_IN[0],
                        top / PAGE_IN[1],
                        (t.x + width_in(t.text, SIZE)) / PAGE_IN[0],
                        t.y / PAGE_IN[1],
                    )
    r = kinchart("ingest", "--profile", "grandpa", *files, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return printed


def _wait_for_analyte(page: Page, url: str, key: str, timeout: float = 120) -> None:
    """Facts are stored just after a document is ready; reload until the test is listed."""
    deadline = time.monotonic() + timeout
    link = page.locator(f'[data-testid=analyte][data-key="{key}"]')
    while time.monotonic() < deadline:
        page.goto(url)
        if link.count():
            return
        time.sleep(1)
    raise AssertionError(f"{key} never appeared on {url}: {page.content()[:2000]}")


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_click_a_point_on_a_lab_trend_and_see_the_cited_line(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    printed = _setup(env, tmp_path)
    assert {"Glucose", "131", "H"} <= set(printed)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else 0)
        page.on("pageerror", lambda e: blocked.append(str(e)))
        _login(page, server.url, "sam")
        # Home lists the people sam cares for; their record opens from there.
        page.get_by_test_id("person-card").get_by_role("link", name="Grandpa Joe").click()
        page.get_by_test_id("nav-labs").click()
        _wait_for_analyte(page, server.url + "/profiles/grandpa/labs", "glucose")
        # Home now says what is new: the out-of-range glucose just read, and facts to check.
        page.goto(server.url + "/")
        card = page.get_by_test_id("person-card").filter(has_text="Grandpa Joe")
        flagged = card.get_by_test_id("home-flagged")
        expect(flagged).to_contain_text("Results newly out of range (1)")
        expect(flagged).to_contain_text("Glucose")
        expect(flagged).to_contain_text("131 mg/dL")
        expect(flagged).not_to_contain_text("Creatinine")
        expect(card.get_by_test_id("home-review")).to_contain_text("waiting to be checked")
        _shot(page, "health-00-home")
        page.goto(server.url + "/profiles/grandpa/labs")
        glucose = page.locator("[data-testid=analyte][data-key=glucose]")
        expect(glucose).to_contain_text("131 mg/dL")
        expect(glucose.get_by_test_id("flag")).to_have_text("H")
        expect(glucose.get_by_test_id("direction")).to_have_attribute("data-value", "up")
        _shot(page, "health-01-labs")

        glucose.get_by_test_id("analyte-link").click()
        expect(page.get_by_test_id("analyte-title")).to_have_text("Glucose")
        expect(page.get_by_test_id("lab-row")).to_have_count(3)
        chart = page.get_by_test_id("lab-chart")
        expect(chart.locator("canvas")).to_have_count(1)
        expect(page.get_by_test_id("band")).to_contain_text("70–99")
        # Where the chart drew its newest point (the flagged 131), in page pixels.
        point = page.evaluate(
            """() => {
              const u = document.getElementById('lab-chart').uplot;
              const i = u.data[0].length - 1, box = u.over.getBoundingClientRect();
              return {x: box.left + u.valToPos(u.data[0][i], 'x'),
                      y: box.top + u.valToPos(u.data[1][i], 'y'),
                      flagged: u.data[2][i], n: u.data[0].length};
            }"""
        )
        assert point["n"] == 3 and point["flagged"] == 131
        page.mouse.move(point["x"] - 30, point["y"] + 20)
        page.mouse.move(point["x"], point["y"])
        expect(page.get_by_test_id("chart-hint")).to_contain_text("131 mg/dL H")
        _shot(page, "health-02-trend")
        page.mouse.click(point["x"], point["y"])

        # The document page, opened at the cited words.
        expect(page).to_have_url(re.compile(r"/documents/\d+\?fact=\d+#page-1$"))
        citation = page.get_by_test_id("citation")
        expect(citation).to_contain_text("Glucose")
        expect(page.get_by_test_id("citation-line")).to_contain_text("131")
        expect(page.get_by_test_id("cited-text")).to_contain_text("131")
        img = page.locator("article.cited img")
        page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle())
        rects = page.locator("[data-testid=citation-boxes] rect")
        expect(rects.first).to_be_in_viewport()
        page_box = img.bounding_box()
        assert page_box is not None
        drawn = []
        for i in range(rects.count()):
            b = rects.nth(i).bounding_box()
            assert b is not None
            drawn.append(
                (
                    (b["x"] - page_box["x"]) / page_box["width"],
                    (b["y"] - page_box["y"]) / page_box["height"],
                    (b["x"] + b["width"] - page_box["x"]) / page_box["width"],
                    (b["y"] + b["height"] - page_box["y"]) / page_box["height"],
                )
            )
        # The highlight covers the glucose line where the report printed it: the name and the
        # value, and no other row (rows are 0.2 in apart: 1.8 % of the page).
        for word in ("Glucose", "131"):
            assert any(_overlap(d, printed[word]) for d in drawn), (word, drawn, printed)
        row_middle = (printed["Glucose"][1] + printed["Glucose"][3]) / 2
        for d in drawn:
            assert d[1] < row_middle < d[3], (d, row_middle)
            assert d[3] - d[1] < 0.03, d
        _shot(page, "health-03-citation")
        page.screenshot(path=str(SHOTS / "health-03-citation-as-opened.png"))  # the viewport

        # The timeline and summary on a phone.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(server.url + "/profiles/grandpa/timeline")
        expect(page.get_by_test_id("day")).to_have_count(3)
        page.locator("[data-testid=filter-year][data-value='2022']").click()
        expect(page).to_have_url(re.compile(r"/timeline\?year=2022$"))
        expect(page.get_by_test_id("day")).to_have_count(1)
        expect(page.get_by_test_id("day")).to_have_attribute("data-day", "2022-05-03")
        _shot(page, "health-04-phone-timeline")
        page.goto(server.url + "/profiles/grandpa/summary")
        expect(page.get_by_test_id("latest-labs")).to_contain_text("131 mg/dL")
        _shot(page, "health-05-phone-summary")
        # Nothing runs off the side of a phone: the header wraps, wide tables scroll inside.
        for path in ("/profiles/grandpa/summary", "/profiles/grandpa/labs/glucose"):
            page.goto(server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
        # Printed, the Summary is the record alone: no navigation, search or tabs; the
        # person's name, date of birth and the day it was printed head it.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(server.url + "/profiles/grandpa/summary")
        expect(page.get_by_test_id("print-heading")).to_be_hidden()
        page.emulate_media(media="print")
        for hidden in ("header nav", "[data-testid=profile-nav]", "form", "footer"):
            assert not page.locator(hidden).first.is_visible(), hidden
        expect(page.get_by_test_id("print-heading")).to_be_visible()
        expect(page.get_by_test_id("print-heading")).to_contain_text("Grandpa")
        expect(page.get_by_test_id("print-heading")).to_contain_text("printed")
        expect(page.get_by_test_id("latest-labs")).to_contain_text("131 mg/dL")
        page.pdf(path=str(SHOTS.parent / "summary-printed-by-browser.pdf"))
        page.emulate_media(media="screen")
        assert not blocked, blocked
        page.close()
    finally:
        server.stop()
