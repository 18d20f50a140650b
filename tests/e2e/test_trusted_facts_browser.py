"""Facts a caregiver can trust, in a real browser (issue 12): a lab report on two dates, the
corpus discharge summary and a visit note read by the real pipeline; the views show none of the
error classes the issue names, unchecked facts carry their mark, "confirm all" works, the latest
A1c stays the numeric one, and a document naming another patient is flagged and kept out."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import CORPUS
from tests.e2e.test_browser import PASSWORD, _login, _shot, browser  # noqa: F401 (fixture)
from tests.fixtures.make_docs import digital_pdf as text_pdf
from tests.fixtures.procs import Server, add_user, kinchart
from tests.ocr.facts.lab_pages import Report, Row, columns
from tests.ocr.facts.lab_pages import digital_pdf as lab_pdf

SCANNED = (
    CORPUS / "scans" / "medical" / "derived__UD_sample_discharge_summary_image-only_200dpi.pdf"
)
BORN_DIGITAL = CORPUS / "scans" / "medical" / "hl7ccda__UD_sample.pdf"
# What the issue saw on the Summary and Lab trends from these documents.
JUNK_PROBLEMS = ["The", "patient", "lobe", "little bit", "activator", "did not need any"]
JUNK_LABS = ["12345", "Sodium 100", "Salicylate", "RBC 34"]
VISIT_NOTE = [
    "Riverside Family Practice - Visit note",
    "Patient: Joe Grandpa    Patient ID 12345",
    "Date of service: 03/10/2026",
    "Assessment: Type 2 diabetes mellitus, improving.",
    "Plan: continue metformin. Recheck A1c in 3 months.",
    "Docusate sodium 100 mg daily. Aspirin 325 mg daily.",
    "Follow up in 2 weeks.",
]


def _report(collected: date, a1c: str, flag: str) -> Report:
    rows = [
        Row("Hemoglobin A1c", a1c, "%", "4.0-5.6", flag),
        Row("Glucose", "110", "mg/dL", "70-99", "H"),
        Row("Potassium", "4.2", "mmol/L", "3.5-5.1"),
    ]
    return Report(rows, patient="Joe Grandpa", born=date(1941, 5, 2), collected=collected)


def _ingest(env: dict[str, str], slug: str, *files: Path) -> None:
    r = kinchart("ingest", "--profile", slug, *map(str, files), env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


def _setup(env: dict[str, str], tmp_path: Path) -> None:
    add_user("ann", PASSWORD, "--admin", env=env)
    for args in (
        ("profile", "add", "Joe Grandpa", "--dob", "1941-05-02", "--slug", "grandpa"),
        ("profile", "add", "Henry Levin", "--slug", "henry"),
        ("grant", "ann", "grandpa", "owner"),
        ("grant", "ann", "henry", "owner"),
    ):
        r = kinchart(*args, env=env)
        assert r.returncode == 0, r.stdout + r.stderr
    labs = [
        lab_pdf(columns(_report(date(2025, 6, 1), "5.9", "H")), tmp_path / "labs-2025.pdf"),
        lab_pdf(columns(_report(date(2026, 1, 5), "6.4", "H")), tmp_path / "labs-2026.pdf"),
    ]
    note = text_pdf(tmp_path / "visit-note.pdf", [VISIT_NOTE])
    # The scanned discharge summary is Henry's; the same summary, born-digital, lands on
    # Grandpa's page by mistake.
    _ingest(env, "grandpa", *labs, note, BORN_DIGITAL)
    _ingest(env, "henry", SCANNED)


def _visible(page: Page, url: str) -> str:
    page.goto(url)
    return page.locator("main").inner_text()


@pytest.mark.corpus
def test_the_views_show_what_the_documents_say_and_mark_what_nobody_checked(
    browser: Browser,  # noqa: F811
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    if not SCANNED.exists() or not BORN_DIGITAL.exists():
        pytest.fail(f"corpus not found at {SCANNED.parent} (tests read ../shared/corpus)")
    _setup(env, tmp_path)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _login(page, server.url, "ann")
        base = server.url + "/profiles"

        # Henry's discharge summary: no junk problems, no identifiers or doses as labs.
        summary = _visible(page, f"{base}/henry/summary")
        problems = page.get_by_test_id("problem").all_inner_texts()
        # What is really there is read (precision first, but not nothing).
        assert any("cerebrovascular" in p.lower() for p in problems), problems
        meds = page.get_by_test_id("medication").all_inner_texts()
        assert any("Zocor" in m or "simvastatin" in m.lower() for m in meds), meds
        for junk in JUNK_PROBLEMS:
            assert not any(re.match(rf"{junk}\b", p.strip()) for p in problems), (junk, problems)
        assert "22, LDL" not in summary
        labs = _visible(page, f"{base}/henry/labs")
        for junk in JUNK_LABS:
            assert junk not in labs, (junk, labs)
        _shot(page, "trust-01-henry-labs")

        # Grandpa: A1c latest is the numeric 6.4 % with its upward arrow, marked unchecked.
        page.goto(f"{base}/grandpa/labs")
        a1c = page.locator("[data-testid=analyte][data-key=hba1c]")
        expect(a1c).to_contain_text("6.4 %")
        expect(a1c.get_by_test_id("direction")).to_have_attribute("data-value", "up")
        expect(a1c.get_by_test_id("unreviewed")).to_have_count(1)
        grandpa_labs = page.locator("main").inner_text()
        for junk in ["12345", "Sodium 100", "Salicylate", "A1c 3 "]:
            assert junk not in grandpa_labs, (junk, grandpa_labs)

        # The born-digital summary names Henry Levin: flagged, its facts kept out.
        page.goto(f"{base}/grandpa")
        # Listed by its title; the file name is shown under it.
        row = page.get_by_test_id("doc-row").filter(has_text=BORN_DIGITAL.name)
        row.get_by_test_id("doc-title").click()
        expect(page.get_by_test_id("patient-mismatch")).to_contain_text("Levin")
        _shot(page, "trust-02-mismatch")
        summary = _visible(page, f"{base}/grandpa/summary")
        assert "Zocor" not in summary and "cerebrovascular" not in summary.lower()

        # Review: "confirm all" on the 2026 lab report; its facts lose their mark.
        page.goto(f"{base}/grandpa/review")
        doc = page.get_by_test_id("review-doc").filter(has_text="labs-2026.pdf")
        doc.get_by_test_id("confirm-all").click()
        expect(page.get_by_test_id("review-doc").filter(has_text="labs-2026.pdf")).to_have_count(0)
        page.goto(f"{base}/grandpa/labs")
        expect(a1c.get_by_test_id("unreviewed")).to_have_count(0)
        expect(a1c).to_contain_text("6.4 %")
        _shot(page, "trust-03-confirmed")
    finally:
        server.stop()
