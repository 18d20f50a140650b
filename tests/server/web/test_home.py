"""The home page: each person the caller cares for, with new documents, facts to check,
results newly out of range and documents that failed; nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette

from server.db.tables import Document, Fact
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client


def _card(page: str, slug: str) -> str:
    start = page.index(f'data-slug="{slug}"')
    end = page.find("</article>", start)
    return page[start:end]


async def test_home_shows_what_is_new_and_what_needs_the_caller(
    app: Starlette, household: Household
) -> None:
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    doc = household.docs["dad"]
    high = await Fact.insert(
        Fact(
            profile=dad,
            document=doc,
            kind="lab",
            name="Glucose",
            value_text="131",
            unit="mg/dL",
            flag="H",
            page=1,
            data={},
        )
    ).returning(Fact.id)
    await Fact.insert(
        Fact(
            profile=dad,
            document=doc,
            kind="lab",
            name="Potassium",
            value_text="4.1",
            unit="mmol/L",
            page=1,
            data={},
        )
    )
    # Out of range long ago: not new; rejected: not shown.
    old = await Fact.insert(
        Fact(
            profile=dad,
            document=doc,
            kind="lab",
            name="Sodium",
            value_text="150",
            unit="mmol/L",
            flag="H",
            status="confirmed",
            data={},
        )
    ).returning(Fact.id)
    await Fact.update({Fact.created_at: datetime.now(UTC) - timedelta(days=40)}).where(
        Fact.id == old[0]["id"]
    )
    await Fact.insert(
        Fact(
            profile=dad,
            document=doc,
            kind="lab",
            name="Junk",
            value_text="9",
            flag="L",
            status="rejected",
            data={},
        )
    )
    failed = await Document.insert(
        Document(
            sha256="f" * 64,
            original_name="broken.pdf",
            size=3,
            profile=dad,
            state="failed",
            failure_reason="This file is damaged.",
        )
    ).returning(Document.id)
    await Fact.insert(
        Fact(
            profile=kid,
            document=household.docs["kid"],
            kind="lab",
            name="Lead",
            flag="H",
            value_text="9",
            data={},
        )
    )
    async with new_client(app) as c:
        await login(c, "bob")  # a caregiver of dad only
        page = (await c.get("/")).text
        assert 'data-slug="kid"' not in page and "Lead" not in page and "Kiddo" not in page
        card = _card(page, "dad")
        flagged = card.split('data-testid="home-flagged"')[1].split("</section>")[0]
        assert f'?fact={high[0]["id"]}#page-1">Glucose</a>' in flagged and "131 mg/dL" in flagged
        assert "Sodium" not in flagged and "Junk" not in flagged and "Potassium" not in flagged
        assert "Results newly out of range (1)" in flagged
        # Glucose, Potassium and the kid's fact are unchecked; only dad's two count here.
        assert "2 facts waiting to be checked." in card
        assert 'href="/profiles/dad/review">Review them' in card
        assert "dad-confidential-labs.pdf" in card.split('data-testid="home-recent"')[1]
        failed_part = card.split('data-testid="home-failed"')[1]
        assert f'href="/documents/{failed[0]["id"]}">broken.pdf</a>' in failed_part
        assert "This file is damaged." in failed_part
    async with new_client(app) as c:
        await login(c, "carol")  # a viewer: sees the count, no review link
        card = _card((await c.get("/")).text, "dad")
        assert "2 facts waiting to be checked." in card and "/review" not in card
    async with new_client(app) as c:
        await login(c, "dave")  # no grants: nothing, and a way on
        page = (await c.get("/")).text
        assert 'data-testid="no-people"' in page and "Secret Dad" not in page
