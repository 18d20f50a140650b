"""The health views through HTTP, against real SQLite/PostgreSQL: who sees what, and what."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from starlette.applications import Starlette

from server.db.tables import Document, Fact
from tests.fixtures.health_facts import add_document, add_fact
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

GLUCOSE_LINE = "Glucose 104 mg/dL 70-99 H"
# Word boxes of the cited line on page 1 (fractions of the page, top-left origin).
WORDS = [
    ["Riverside", 0.10, 0.05, 0.25, 0.07],
    ["Glucose", 0.10, 0.40, 0.22, 0.42],
    ["104", 0.40, 0.40, 0.45, 0.42],
    ["mg/dL", 0.47, 0.40, 0.55, 0.42],
    ["70-99", 0.60, 0.40, 0.68, 0.42],
    ["H", 0.75, 0.40, 0.77, 0.42],
]
PAGE_TEXT = "Riverside Laboratory\nCollected 2023-03-01\n" + GLUCOSE_LINE + "\nEnd of report"


@dataclass
class Record:
    docs: dict[str, int]
    facts: dict[str, int]


def _glucose(value: float, low: float = 70, high: float = 99, unit: str = "mg/dL") -> dict:
    return {
        "name": "Glucose",
        "unit": unit,
        "value": {"text": f"{value:g}", "number": value, "comparator": None},
        "reference": {
            "text": f"{low:g}-{high:g}",
            "bands": [{"low": low, "high": high, "sex": None}],
        },
    }


@pytest.fixture
async def record(household: Household) -> Record:
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    await Document.update({Document.doc_date: date(2020, 1, 2)}).where(
        Document.id == household.docs["dad"]
    )
    docs = {
        "labs23": await add_document(
            dad,
            "dad-labs-2023.pdf",
            doc_date=date(2023, 3, 1),
            pages=[("Cover page", []), (PAGE_TEXT, WORDS)],
        ),
        "labs22": await add_document(dad, "dad-labs-2022.pdf", doc_date=date(2022, 9, 9)),
        "kid": await add_document(kid, "kid-only-labs.pdf", doc_date=date(2023, 5, 5)),
    }
    box = [[0.10, 0.40, 0.77, 0.42]]
    facts = {
        "glucose23": await add_fact(
            dad, docs["labs23"], "lab", "Glucose", analyte="glucose", code="2345-7",
            effective=date(2023, 3, 1), value_text="104", value_num=104.0, unit="mg/dL",
            flag="H", page=2, boxes=box, line=GLUCOSE_LINE, data=_glucose(104),
        ),
        # Printed in mmol/L, stored converted (as server.facts does): charted in mg/dL.
        "glucose22": await add_fact(
            dad, docs["labs22"], "lab", "Glucose", analyte="glucose",
            effective=date(2022, 9, 9), value_text="5.0", value_num=90.08, unit="mg/dL",
            page=1, boxes=[[0.1, 0.2, 0.5, 0.22]], line="GLUCOSE 5.0 mmol/L 3.9-5.5",
            data=_glucose(5.0, 3.9, 5.5, "mmol/L"),
        ),
        # A unit that cannot be glucose: stays in the table only.
        "glucose_odd": await add_fact(
            dad, docs["labs22"], "lab", "Glucose", analyte="glucose",
            effective=date(2022, 9, 9), value_text="3", value_num=3.0, unit="mg/g",
            page=1, line="Glucose 3 mg/g", data={"unit": "mg/g"},
        ),
        "penicillin": await add_fact(
            dad, docs["labs23"], "allergy", "Penicillin", state="active", page=2,
            value_text="hives", line="Allergies: penicillin (hives)",
            data={"substance": "Penicillin", "reaction": "hives", "status": "active"},
        ),
        "nkda": await add_fact(
            dad, docs["labs22"], "allergy", "No known drug allergies", state="none-known",
            page=1, line="NKDA", data={"none_known": True, "scope": "drug"},
        ),
        "metformin23": await add_fact(
            dad, docs["labs23"], "medication", "Metformin", state="active", page=2,
            value_text="1000 mg", line="Metformin 1000 mg twice daily",
            data={"strength": "1000 mg", "frequency": "twice daily", "status": "active"},
        ),
        "metformin22": await add_fact(
            dad, docs["labs22"], "medication", "Metformin HCl", state="active", page=1,
            value_text="500 mg", line="Metformin HCl 500 mg BID",
            data={"strength": "500 mg", "frequency": "BID", "status": "active"},
            effective=date(2022, 12, 1),
        ),
        "rejected": await add_fact(
            dad, docs["labs23"], "lab", "Rejected-Analyte-XYZ", status="rejected",
            value_text="1", value_num=1.0, page=2, line="Rejected-Analyte-XYZ 1",
        ),
        "hand": await add_fact(
            dad, None, "immunization", "Tetanus booster", status="manual",
            effective=date(2021, 6, 1), state="completed",
        ),
        "kid": await add_fact(
            kid, docs["kid"], "lab", "Kid-Only-Analyte", value_text="7", value_num=7.0,
            page=1, line="Kid-Only-Analyte 7",
        ),
    }  # fmt: skip
    return Record(docs, facts)


PAGES = ("timeline", "labs", "labs/glucose", "summary")


@contextlib.asynccontextmanager
async def _as(app: Starlette, who: str) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as client:
        await login(client, who)
        yield client


@pytest.mark.parametrize("who", ["olga", "bob", "carol"])
async def test_every_role_reads_every_view(app: Starlette, record: Record, who: str) -> None:
    async with _as(app, who) as client:
        for page in PAGES:
            r = await client.get(f"/profiles/dad/{page}")
            assert r.status_code == 200, (page, r.status_code)
            assert "Glucose" in r.text, page
            assert "Kid-Only-Analyte" not in r.text and "Rejected-Analyte-XYZ" not in r.text
        cite = await client.get(
            f"/documents/{record.docs['labs23']}?fact={record.facts['glucose23']}"
        )
        assert cite.status_code == 200
        assert GLUCOSE_LINE in cite.text


@pytest.mark.parametrize("who", ["dave", "admin", "erin"])
async def test_no_grant_sees_nothing(app: Starlette, record: Record, who: str) -> None:
    async with _as(app, who) as client:
        for page in PAGES:
            r = await client.get(f"/profiles/dad/{page}")
            assert r.status_code == 404, (page, r.status_code)
            assert "Glucose" not in r.text and "Secret Dad" not in r.text
        r = await client.get(f"/documents/{record.docs['labs23']}?fact={record.facts['glucose23']}")
        assert r.status_code == 404 and GLUCOSE_LINE not in r.text


async def test_anonymous_is_sent_to_log_in(app: Starlette, record: Record) -> None:
    async with new_client(app) as client:
        for page in PAGES:
            r = await client.get(f"/profiles/dad/{page}")
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), page


async def test_citation_highlights_the_fact_on_its_page(app: Starlette, record: Record) -> None:
    async with _as(app, "carol") as client:
        r = await client.get(f"/documents/{record.docs['labs23']}?fact={record.facts['glucose23']}")
    html = r.text
    assert 'data-testid="citation"' in html and f'data-fact="{record.facts["glucose23"]}"' in html
    # The boxes are drawn on page 2 only, in thousandths of the page.
    page2 = html[html.index('id="page-2"') :]
    page1 = html[html.index('id="page-1"') : html.index('id="page-2"')]
    assert 'data-testid="citation-boxes"' in page2 and "citation-boxes" not in page1
    rect = re.search(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', page2)
    assert rect and [float(v) for v in rect.groups()] == [100.0, 400.0, 670.0, 20.0]
    assert '<article class="page cited" id="page-2"' in html
    assert '<article class="page" id="page-1"' in html
    # The line is quoted above the pages and marked in the page's text.
    assert f'<q data-testid="citation-line">{GLUCOSE_LINE}</q>' in html
    assert f'<mark data-testid="cited-text">{GLUCOSE_LINE}</mark>' in html


async def test_citation_of_a_structured_record_names_the_element(
    app: Starlette, household: Household
) -> None:
    dad = household.profiles["dad"]
    ccd = await add_document(dad, "dad-ccd.xml", pages=[])
    fact = await add_fact(
        dad, ccd, "allergy", "Penicillin G", state="active",
        locator="/ClinicalDocument/component/structuredBody/component[3]/section/entry[1]",
        line="Penicillin G — hives",
    )  # fmt: skip
    async with _as(app, "carol") as client:
        r = await client.get(f"/documents/{ccd}?fact={fact}")
        summary = await client.get("/profiles/dad/summary")
    assert r.status_code == 200
    assert 'data-testid="citation-locator">/ClinicalDocument/component' in r.text
    assert "Penicillin G — hives" in r.text and "citation-boxes" not in r.text
    assert f'href="/documents/{ccd}?fact={fact}"' in summary.text  # no page to jump to


async def test_citation_of_another_documents_fact_is_not_found(
    app: Starlette, record: Record, household: Household
) -> None:
    labs23, labs22, kid_doc = record.docs["labs23"], record.docs["labs22"], record.docs["kid"]
    async with _as(app, "olga") as client:
        for url in (
            f"/documents/{labs23}?fact={record.facts['glucose22']}",  # dad's, other document
            f"/documents/{labs23}?fact={record.facts['kid']}",  # someone else's fact
            f"/documents/{kid_doc}?fact={record.facts['kid']}",  # someone else's document
            f"/documents/{labs23}?fact=999999",
            f"/documents/{labs23}?fact=abc",
            f"/documents/{labs23}?fact={record.facts['hand']}",  # typed in: no document
        ):
            r = await client.get(url)
            assert r.status_code == 404, url
            assert "Kid-Only-Analyte" not in r.text and "GLUCOSE 5.0" not in r.text
        # Without ?fact= the page is the plain document page.
        plain = await client.get(f"/documents/{labs22}")
        assert plain.status_code == 200 and 'data-testid="citation"' not in plain.text
    # A fact whose profile is not its document's (it has not followed a move) is refused too.
    await Fact.update({Fact.profile: household.profiles["kid"]}).where(
        Fact.id == record.facts["glucose22"]
    )
    async with _as(app, "olga") as client:
        r = await client.get(f"/documents/{labs22}?fact={record.facts['glucose22']}")
        assert r.status_code == 404


async def test_facts_follow_their_document(
    app: Starlette, record: Record, household: Household
) -> None:
    # The document moved to the kid; its facts' profile column has not caught up yet.
    await Document.update({Document.profile: household.profiles["kid"]}).where(
        Document.id == record.docs["labs23"]
    )
    async with _as(app, "carol") as client:
        for page in ("timeline", "summary", "labs/glucose"):
            r = await client.get(f"/profiles/dad/{page}")
            assert "104" not in r.text and "Penicillin" not in r.text, page
            assert "dad-labs-2023.pdf" not in r.text, page


async def test_timeline_groups_by_day_and_filters(app: Starlette, record: Record) -> None:
    async with _as(app, "carol") as client:
        whole = await client.get("/profiles/dad/timeline")
        days = re.findall(r'data-testid="day" data-day="([\d-]*)"', whole.text)
        assert days == ["2023-03-01", "2022-12-01", "2022-09-09", "2021-06-01", "2020-01-02"]
        assert "Tetanus booster" in whole.text and "Entered by hand" in whole.text
        cite = f'href="/documents/{record.docs["labs23"]}?fact={record.facts["glucose23"]}#page-2"'
        assert cite in whole.text
        labs = await client.get("/profiles/dad/timeline?kind=lab")
        kinds = set(re.findall(r'data-testid="entry-fact" data-kind="(\w+)"', labs.text))
        assert kinds == {"lab"}
        year = await client.get("/profiles/dad/timeline?year=2022")
        assert re.findall(r'data-testid="day" data-day="([\d-]*)"', year.text) == [
            "2022-12-01",
            "2022-09-09",
        ]
        assert 'aria-current="true" data-testid="filter-year" data-value="2022"' in year.text
        # htmx gets the partial alone; the URL it pushes is the bookmarkable one.
        partial = await client.get(
            "/profiles/dad/timeline?kind=medication", headers={"HX-Request": "true"}
        )
        assert "<html" not in partial.text and partial.text.lstrip().startswith("<div")
        assert 'id="timeline"' in partial.text and "Metformin" in partial.text
        assert "Glucose" not in partial.text.split("</p>", 3)[-1]
        unknown = await client.get("/profiles/dad/timeline?kind=nonsense&year=x&page=-3")
        assert unknown.status_code == 200 and "Tetanus booster" in unknown.text


async def test_lab_overview_and_trend(app: Starlette, record: Record) -> None:
    async with _as(app, "carol") as client:
        overview = await client.get("/profiles/dad/labs")
        row = re.search(r'data-testid="analyte" data-key="glucose">(.*?)</tr>', overview.text, re.S)
        assert row, overview.text
        assert "104 mg/dL" in row.group(1) and ">H<" in row.group(1)
        assert 'data-testid="direction" data-value="up"' in row.group(1)
        trend = await client.get("/profiles/dad/labs/glucose")
        missing = await client.get("/profiles/dad/labs/no-such-test")
        known = await client.get("/profiles/dad/labs/tsh")  # in the catalogue, no results
    assert missing.status_code == 404
    assert known.status_code == 200 and 'data-testid="no-results"' in known.text
    data = re.search(
        r'<script type="application/json" id="lab-chart-data">(.*?)</script>', trend.text, re.S
    )
    assert data
    chart = json.loads(data.group(1))
    assert chart["unit"] == "mg/dL"
    assert chart["y"] == [90.08, 104.0]  # 5.0 mmol/L converted; the mg/g value is not charted
    assert chart["flagged"] == [None, 104.0]
    assert chart["x"] == [1662681600, 1677628800]  # 2022-09-09, 2023-03-01 (UTC)
    assert chart["urls"][1] == (
        f"/documents/{record.docs['labs23']}?fact={record.facts['glucose23']}#page-2"
    )
    # Two labs, two ranges (3.9–5.5 mmol/L is 70.26–99.08 mg/dL): the band says so.
    assert chart["band"] is not None
    assert 'data-testid="band-note"' in trend.text
    assert "does not convert to mg/dL" in trend.text  # the mg/g value, in the table
    assert "(printed 5.0 mmol/L)" in trend.text
    assert trend.text.count('data-testid="lab-row"') == 3


async def test_summary_surfaces_conflicts(app: Starlette, record: Record) -> None:
    async with _as(app, "bob") as client:
        r = await client.get("/profiles/dad/summary")
    conflicts = re.findall(r'data-testid="conflict" data-kind="([\w-]+)"', r.text)
    assert sorted(conflicts) == ["allergy", "medication-dose"]
    section = r.text[r.text.index('data-testid="conflicts"') : r.text.index("meds-heading")]
    for fact in ("penicillin", "nkda", "metformin23", "metformin22"):
        assert f'data-fact="{record.facts[fact]}"' in section, fact
    # Both sides stay listed: the allergy and the "no known drug allergies".
    assert 'data-testid="allergy" data-key="penicillin"' in r.text
    assert 'data-testid="none-known"' in r.text
    assert 'data-testid="medication" data-key="metformin"' in r.text
    assert "Tetanus booster" in r.text and "entered by hand" in r.text


async def test_a_rejected_facts_citation_says_so(app: Starlette, record: Record) -> None:
    # The review page may still link to what a person rejected; the page says it is shown
    # nowhere else (and the views above prove that).
    async with _as(app, "carol") as client:
        r = await client.get(f"/documents/{record.docs['labs23']}?fact={record.facts['rejected']}")
    assert r.status_code == 200
    assert "A person rejected this fact" in r.text


async def test_a_day_of_many_documents_is_paged_with_a_cursor(
    app: Starlette, household: Household, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.health import timeline

    monkeypatch.setattr(timeline, "ENTRIES_PER_PAGE", 5)
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    day = date(2024, 2, 2)
    docs = [await add_document(dad, f"scan-{n:02d}.pdf", doc_date=day) for n in range(12)]
    await add_document(kid, "kid-scan.pdf", doc_date=day)  # another profile's: never listed
    await add_fact(dad, docs[3], "lab", "Glucose", value_text="97", value_num=97.0,
                   unit="mg/dL", effective=day, status="confirmed")  # fmt: skip
    names = re.compile(r'data-testid="entry-document">([^<]+)</a>')
    seen: list[str] = []
    pages = 0
    async with _as(app, "carol") as client:
        url = "/profiles/dad/timeline"
        while True:
            r = await client.get(url)
            assert r.status_code == 200
            pages += 1
            seen += [n for n in names.findall(r.text) if n.startswith("scan-")]
            older = re.search(r'href="([^"]+)" data-testid="older"', r.text)
            if older is None:
                break
            assert pages < 10
            url = older.group(1).replace("&amp;", "&")
            # The next page's address is a bookmark: the cursor of the last entry shown.
            assert re.fullmatch(r"/profiles/dad/timeline\?after=\d{4}-\d\d-\d\d\.[01]\.\d+", url)
        # Every document of the day once, newest first, five entries a page.
        assert seen == [f"scan-{n:02d}.pdf" for n in range(11, -1, -1)]
        assert pages >= 3 and "kid-scan.pdf" not in r.text
        # A later page links back to the newest.
        assert 'data-testid="newer"' in r.text
        # Filters page the same way; htmx gets the partial alone.
        labs = await client.get("/profiles/dad/timeline?kind=lab", headers={"HX-Request": "true"})
        assert "<html" not in labs.text and "Glucose" in labs.text
        assert [n for n in names.findall(labs.text)] == ["scan-03.pdf"]
        first = await client.get("/profiles/dad/timeline?kind=document&year=2024")
        assert names.findall(first.text) == [f"scan-{n:02d}.pdf" for n in range(11, 6, -1)]
        assert "kind=document&amp;year=2024&amp;after=2024-02-02.1." in first.text
        # A broken cursor is ignored: the newest page.
        broken = await client.get("/profiles/dad/timeline?after=2024-99-99.1.5")
        assert broken.status_code == 200 and "scan-11.pdf" in broken.text
