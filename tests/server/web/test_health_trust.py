"""The health views mark what nobody has checked and leave out what the machine read weakly."""

from __future__ import annotations

import re
from datetime import date

from starlette.applications import Starlette

from ocr.facts.confidence import REVIEW_BELOW
from server.db.tables import CONFIRMED, EXTRACTED
from tests.fixtures.health_facts import add_document, add_fact
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client


def _item(html: str, testid: str, key: str) -> str:
    m = re.search(rf'<li data-testid="{testid}" data-key="{key}">(.*?)</li>', html, re.S)
    assert m, f"{testid} {key} not on the page"
    return m.group(1)


async def test_summary_marks_unchecked_facts_and_leaves_weak_ones_out(
    app: Starlette, household: Household
) -> None:
    dad = household.profiles["dad"]
    doc = await add_document(dad, "visit.pdf", doc_date=date(2026, 2, 1))
    common = {"kind": "condition", "state": "active", "effective": date(2026, 2, 1)}
    await add_fact(dad, doc, name="Asthma", status=EXTRACTED, confidence=0.95, **common)
    await add_fact(dad, doc, name="Gout", status=CONFIRMED, confidence=0.95, **common)
    weak = REVIEW_BELOW / 2
    await add_fact(dad, doc, name="Little bit", status=EXTRACTED, confidence=weak, **common)
    async with new_client(app) as client:
        await login(client, "carol")  # a viewer sees the same marks
        page = (await client.get("/profiles/dad/summary")).text
    assert 'data-testid="unreviewed"' in _item(page, "problem", "asthma")
    assert 'data-testid="unreviewed"' not in _item(page, "problem", "gout")
    assert "Little bit" not in page, "a weak, unchecked fact is not shown as the person's health"


async def test_vital_signs_have_their_own_view_and_never_reach_lab_trends(
    app: Starlette, household: Household
) -> None:
    dad = household.profiles["dad"]
    doc = await add_document(dad, "visit.pdf", doc_date=date(2026, 2, 1))
    for when, value in ((date(2025, 2, 1), 84.0), (date(2026, 2, 1), 88.0)):
        await add_fact(
            dad,
            doc,
            "vital",
            "Weight",
            analyte="weight",
            value_num=value,
            value_text=f"{value:g}",
            unit="kg",
            effective=when,
            status=CONFIRMED,
        )
    await add_fact(
        dad,
        doc,
        "lab",
        "Hemoglobin A1c",
        analyte="hba1c",
        value_num=6.4,
        value_text="6.4",
        unit="%",
        effective=date(2026, 1, 5),
        status=CONFIRMED,
    )
    async with new_client(app) as client:
        await login(client, "carol")
        vitals = (await client.get("/profiles/dad/vitals")).text
        trend = await client.get("/profiles/dad/vitals/weight")
        lab_trends = (await client.get("/profiles/dad/labs")).text
    assert 'data-key="weight"' in vitals and 'data-key="hba1c"' not in vitals
    assert 'data-value="up"' in vitals  # 84 -> 88 kg
    assert trend.status_code == 200 and 'data-testid="lab-chart"' in trend.text
    assert 'data-key="weight"' not in lab_trends and 'data-key="hba1c"' in lab_trends


async def test_the_latest_value_stays_the_one_in_the_series_unit(
    app: Starlette, household: Household
) -> None:
    """A newer fragment without the unit ("recheck A1c in 3 months" read as 3) never becomes
    the latest value, nor turns its arrow."""
    dad = household.profiles["dad"]
    doc = await add_document(dad, "labs.pdf", doc_date=date(2026, 2, 1))
    for when, value, unit, text in (
        (date(2025, 6, 1), 5.9, "%", "5.9"),
        (date(2026, 1, 5), 6.4, "%", "6.4"),
        (date(2026, 2, 1), 3.0, "", "3"),
    ):
        await add_fact(
            dad,
            doc,
            "lab",
            "A1c",
            analyte="hba1c",
            value_num=value,
            value_text=text,
            unit=unit,
            effective=when,
            status=CONFIRMED,
        )
    async with new_client(app) as client:
        await login(client, "carol")
        page = (await client.get("/profiles/dad/labs")).text
    row = re.search(r'<tr data-testid="analyte" data-key="hba1c">(.*?)</tr>', page, re.S)
    assert row, page[:2000]
    assert "6.4 %" in row.group(1) and 'data-value="up"' in row.group(1)
