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
