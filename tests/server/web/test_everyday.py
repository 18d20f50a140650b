"""Everyday details through the real app: one date format (the user's, else the browser's
language), the display name, success messages, audit entries with names, uploads audited."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from starlette.applications import Starlette

from server.db.tables import AuditEvent
from server.web._dates import style_from_language, write
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client


@pytest.mark.parametrize(
    ("header", "style"),
    [
        ("en-US,en;q=0.9", "mdy"),
        ("en-GB,en;q=0.8", "dmy"),
        ("en", "dmy"),
        ("de-DE,de;q=0.9,en;q=0.5", "dmy"),
        ("sv-SE", "iso"),
        ("ja", "iso"),
        ("", "dmy"),
        ("*", "dmy"),
    ],
)
def test_the_style_follows_the_browsers_first_language(header: str, style: str) -> None:
    assert style_from_language(header) == style


def test_dates_and_times_in_each_style() -> None:
    day, at = date(2025, 3, 2), datetime(2025, 3, 2, 14, 5, tzinfo=UTC)
    assert write(day, "dmy") == "2 Mar 2025"
    assert write(day, "mdy") == "Mar 2, 2025"
    assert write(day, "iso") == "2025-03-02"
    assert write(at, "dmy", time=True) == "2 Mar 2025 14:05"
    assert write(at, "iso") == "2025-03-02"  # a time only where asked for
    assert write("2025-03-02", "mdy") == "Mar 2, 2025"
    assert write(None, "dmy") == "" and write("", "iso") == ""
    assert write("about 2009", "dmy") == "about 2009"  # not a date: as written


async def test_one_date_format_from_the_browser_then_the_users_choice(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as c:
        await login(c, "olga")
        for header, born in (
            ("en-US,en;q=0.9", "Born Mar 14, 1950"),
            ("en-GB,en;q=0.9", "Born 14 Mar 1950"),
            ("sv-SE", "Born 1950-03-14"),
        ):
            page = await c.get("/profiles/dad", headers={"accept-language": header})
            assert born in page.text, header
        r = await c.post(
            "/account/preferences", data={"display_name": "Olga O.", "date_format": "iso"}
        )
        assert r.status_code == 303 and r.headers["location"] == "/account"
        page = await c.get("/profiles/dad", headers={"accept-language": "en-US"})
        assert "Born 1950-03-14" in page.text
        # The same style on the other pages: the audit table on the settings page.
        await c.get(f"/documents/{household.docs['dad']}")  # audited
        settings = await c.get("/profiles/dad/settings", headers={"accept-language": "en-US"})
        assert str(date.today().year) + "-" in settings.text
        assert f"{date.today():%b} " not in settings.text.split("Activity")[1]


async def test_display_name_change_and_its_success_message(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as c:
        await login(c, "olga")
        r = await c.post(
            "/account/preferences", data={"display_name": "  Olga   Owner ", "date_format": ""}
        )
        assert r.status_code == 303
        assert "kinchart_flash" in r.headers["set-cookie"]
        page = await c.get("/account")
        assert 'data-testid="account-link">Olga Owner<' in page.text
        assert 'data-testid="flash">Saved: your name and how dates are written.<' in page.text
        assert "kinchart_flash=" in page.headers["set-cookie"]  # deleted: shown once
        c.cookies.delete("kinchart_flash")
        again = await c.get("/account")
        assert 'data-testid="flash"' not in again.text
        # Bad input is refused in words and nothing changes.
        bad = await c.post("/account/preferences", data={"display_name": "x", "date_format": "%Y"})
        assert bad.status_code == 400 and "Choose one of the date formats" in bad.text
        long = await c.post(
            "/account/preferences", data={"display_name": "x" * 101, "date_format": ""}
        )
        assert long.status_code == 400 and "at most 100" in long.text
        assert 'data-testid="account-link">Olga Owner<' in (await c.get("/account")).text
        event = (
            await AuditEvent.select()
            .where(AuditEvent.kind == "account_changed")
            .output(load_json=True)
        )
        assert len(event) == 1 and event[0]["detail"]["display_name"] == "Olga Owner"


async def test_uploads_are_audited_and_the_log_names_documents_and_people(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as c:
        await login(c, "olga")
        await c.post("/account/preferences", data={"display_name": "Olga Owner", "date_format": ""})
        body = b"%PDF-1.4 a letter from the clinic"
        r = await c.post(
            "/upload",
            files={"files": ("clinic-letter.pdf", body, "application/pdf")},
            data={"profile": "dad"},
        )
        assert r.status_code == 200, r.text
        rows = await AuditEvent.select().where(AuditEvent.kind == "document_uploaded")
        assert len(rows) == 1
        row = rows[0]
        assert row["profile"] == household.profiles["dad"] and row["document"] is not None
        assert row["ip"] == "127.0.0.1"
        await c.get(f"/documents/{household.docs['dad']}")  # a view, audited with its id
        log = (await c.get("/profiles/dad/settings")).text.split("Activity")[1]
        assert (
            f'document uploaded: <a href="/documents/{row["document"]}">clinic-letter.pdf</a>'
            in log
        )
        assert "document viewed: <a" in log and "dad-confidential-labs.pdf" in log
        assert "Olga Owner" in log
        assert f"#{household.docs['dad']}" not in log


async def test_documents_have_a_human_face(app: Starlette, household: Household) -> None:
    from server.db.tables import Document, Fact

    dad, doc_id = household.profiles["dad"], household.docs["dad"]
    await Document.update(
        {
            Document.doc_type: "lab report",
            Document.doc_date: date(2025, 3, 12),
            Document.facility: "Riverside Clinical Laboratory",
        }
    ).where(Document.id == doc_id)
    glucose = await Fact.insert(
        Fact(
            profile=dad,
            document=doc_id,
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
        Fact(profile=dad, document=doc_id, kind="lab", name="Junk", status="rejected", data={})
    )
    title = "Lab report · 12 Mar 2025 · Riverside Clinical Laboratory"
    async with new_client(app) as c:
        await login(c, "bob")  # a caregiver
        headers = {"accept-language": "en-GB"}
        listing = (await c.get("/documents", headers=headers)).text
        assert f'data-testid="doc-title">{title}</a>' in listing
        assert "Secret Dad" in listing  # the person column on the all-documents list
        page = (await c.get(f"/documents/{doc_id}", headers=headers)).text
        lead = page.split('data-testid="doc-heading">')[1]
        assert lead.startswith(title + "</h1>")
        facts = page.split('data-testid="doc-facts"')[1].split("</ul>")[0]
        fact_id = glucose[0]["id"]
        assert f'href="/documents/{doc_id}?fact={fact_id}#page-1">Glucose</a>' in facts
        assert "131 mg/dL" in facts and "Junk" not in facts
        # Technical details are folded away, below the facts.
        technical = page.index('<details data-testid="technical">')
        assert page.index("SHA-256") > technical > page.index('data-testid="doc-facts"')
        # Downloads are named after the title, each file differently.
        original = await c.get(f"/documents/{doc_id}/original")
        assert (
            "Lab%20report%20-%202025-03-12%20-%20Riverside"
            in original.headers["content-disposition"]
        )
        searchable = await c.get(f"/documents/{doc_id}/pdf")
        assert "%28searchable%29.pdf" in searchable.headers["content-disposition"]
        # A person's title; emptied, the one made from the contents comes back.
        r = await c.post(f"/documents/{doc_id}/title", data={"title": "  Dad's  March bloods "})
        assert r.status_code == 303
        page = (await c.get(f"/documents/{doc_id}")).text
        assert 'data-testid="doc-heading">Dad&#39;s March bloods</h1>' in page
        assert 'data-testid="flash">Title saved.<' in page
        await c.post(f"/documents/{doc_id}/title", data={"title": ""})
        assert (
            f'data-testid="doc-heading">{title}</h1>'
            in (await c.get(f"/documents/{doc_id}", headers=headers)).text
        )
    async with new_client(app) as c:
        await login(c, "carol")  # a viewer: sees the title, may not change it
        assert (await c.post(f"/documents/{doc_id}/title", data={"title": "x"})).status_code == 403
        assert 'data-testid="title-form"' not in (await c.get(f"/documents/{doc_id}")).text


async def test_notes_tags_filter_and_thumbnail_grid(app: Starlette, household: Household) -> None:
    from server.db.tables import AuditEvent, DocumentTag

    doc_id, kid_doc = household.docs["dad"], household.docs["kid"]
    async with new_client(app) as c:
        await login(c, "bob")  # a caregiver of dad's record
        r = await c.post(
            f"/documents/{doc_id}/notes",
            data={"notes": "Bring to the March visit.", "tags": "Insurance, dentist ,insurance,"},
        )
        assert r.status_code == 303
        page = (await c.get(f"/documents/{doc_id}")).text
        assert "Bring to the March visit." in page and "Notes and tags saved." in page
        tags = [t["tag"] for t in await DocumentTag.select().where(DocumentTag.document == doc_id)]
        assert sorted(tags) == ["dentist", "insurance"]
        assert 'href="/profiles/dad?tag=insurance">insurance</a>' in page
        # The tag filter on the profile's list and on the all-documents list.
        listed = (await c.get("/profiles/dad?tag=insurance")).text
        assert f'id="doc-{doc_id}"' in listed and 'data-testid="tag-filter"' in listed
        none = (await c.get("/profiles/dad?tag=school")).text
        assert f'id="doc-{doc_id}"' not in none and "No documents tagged “school”" in none
        # The thumbnail grid: the first page's thumbnail, the title under it.
        grid = (await c.get("/profiles/dad?view=grid&tag=dentist")).text
        assert 'data-testid="doc-grid"' in grid
        assert f'src="/documents/{doc_id}/thumb/1"' in grid
        assert "view=grid&amp;tag=dentist" in grid or "tag=dentist&amp;view=grid" in grid
        thumb = await c.get(f"/documents/{doc_id}/thumb/1")
        assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
        # Tags from records the caller cannot see never show, nor filter them in.
        assert (await c.post(f"/documents/{kid_doc}/notes", data={"tags": "x"})).status_code == 404
        everything = (await c.get("/documents?tag=insurance")).text
        assert f'id="doc-{kid_doc}"' not in everything
        # Emptied, the tags go.
        await c.post(f"/documents/{doc_id}/notes", data={"notes": "", "tags": ""})
        assert await DocumentTag.count().where(DocumentTag.document == doc_id) == 0
        assert await AuditEvent.count().where(AuditEvent.kind == "document_notes_changed") == 2
    async with new_client(app) as c:
        await login(c, "carol")  # a viewer
        denied = await c.post(f"/documents/{doc_id}/notes", data={"tags": "x"})
        assert denied.status_code == 403
        assert 'data-testid="notes-form"' not in (await c.get(f"/documents/{doc_id}")).text
