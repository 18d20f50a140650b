"""/search for every kind of caller, the htmx partial, and matches drawn on the document page."""

from __future__ import annotations

import re

import httpx
import pytest

from server.db.tables import Page
from server.runtime import Services
from server.search import projection as sync
from tests.fixtures.people import ROLES, SECRET_NAME, SECRET_TEXT, UNFILED_NAME, Household, login

CALLERS = ["dave", "carol", "bob", "olga", "alice", "erin", "admin"]
SECRET_WORD = SECRET_TEXT.split("-")[0]  # "CREATININE": every test document has it


@pytest.fixture
async def indexed(app_services: Services, household: Household) -> Household:
    """The household's documents in the index, the way a server catches up at start."""
    assert app_services.search is not None
    await sync.catch_up(app_services.search)
    return household


def _hits(html: str) -> list[int]:
    return [int(m) for m in re.findall(r'data-testid="hit" data-doc="(\d+)"', html)]


async def test_anonymous_callers_go_to_the_login_page(
    client: httpx.AsyncClient, indexed: Household
) -> None:
    r = await client.get("/search", params={"q": SECRET_WORD})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = await client.get("/search", params={"q": SECRET_WORD}, headers={"HX-Request": "true"})
    assert r.status_code == 401 and SECRET_NAME not in r.text


@pytest.mark.parametrize("caller", CALLERS)
async def test_each_caller_finds_only_what_they_may_see(
    client: httpx.AsyncClient, indexed: Household, caller: str
) -> None:
    await login(client, caller)
    r = await client.get("/search", params={"q": SECRET_WORD.lower()})
    assert r.status_code == 200
    expected = set()
    if caller in ROLES or caller == "alice":
        expected.add(indexed.docs["dad"])
    if caller == "erin":
        expected.add(indexed.docs["kid"])
    if caller == "admin":
        expected.add(indexed.docs["unfiled"])  # the triage queue, nothing else
    assert set(_hits(r.text)) == expected
    total = re.search(r'data-testid="search-total"><strong>(\d+)</strong>', r.text)
    assert total and int(total.group(1)) == len(expected)
    assert (SECRET_NAME in r.text) == (indexed.docs["dad"] in expected)
    assert ("kid-vaccines.pdf" in r.text) == (caller == "erin")
    assert (UNFILED_NAME in r.text) == (caller == "admin")
    # Suggestions (the datalist) come only from visible pages too.
    r = await client.get("/search", params={"q": "creati"}, headers={"HX-Request": "true"})
    assert ('<option value="creatinine">' in r.text) == bool(expected)


async def test_htmx_gets_the_partial_and_a_browser_the_page(
    client: httpx.AsyncClient, indexed: Household
) -> None:
    await login(client, "alice")
    page = await client.get("/search", params={"q": "creatinine"})
    assert "<html" in page.text and 'data-testid="search-results"' in page.text
    assert 'value="creatinine"' in page.text  # the box keeps the query
    assert "<mark>CREATININE</mark>" in page.text
    partial = await client.get("/search", params={"q": "creatinin"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and 'data-testid="hit"' in partial.text
    assert 'hx-swap-oob="true"' in partial.text
    link = f'href="/documents/{indexed.docs["dad"]}?q=creatinin#page-1"'
    assert link in partial.text
    empty = await client.get("/search")
    assert 'data-testid="search-hint"' in empty.text and 'data-testid="hit"' not in empty.text


async def test_search_box_on_every_page_works_without_javascript(
    client: httpx.AsyncClient, indexed: Household
) -> None:
    await login(client, "olga")
    for path in ("/documents", "/profiles", "/profiles/dad", "/account"):
        r = await client.get(path)
        assert 'data-testid="search-form"' in r.text, path
        box = re.search(r'<form role="search" action="/search" method="get"', r.text)
        assert box, path
        assert 'hx-get="/search"' in r.text and 'hx-push-url="true"' in r.text
        assert "delay:" in r.text  # debounced
        assert "style=" not in r.text.split('data-testid="search-form"')[1][:800]


async def test_facets_filters_sorting_and_paging(
    client: httpx.AsyncClient, indexed: Household, app_services: Services
) -> None:
    await login(client, "alice")
    r = await client.get("/search", params={"q": "creatinine"})
    assert 'data-testid="facet-profile" data-value="dad"' in r.text
    assert 'data-testid="facet-type"' in r.text and 'data-testid="facet-year"' in r.text
    year = re.search(r'data-testid="facet-year" data-value="(\d+)"', r.text)
    assert year
    r = await client.get("/search", params={"q": "creatinine", "year": year.group(1)})
    assert _hits(r.text) == [indexed.docs["dad"]]
    r = await client.get("/search", params={"q": "creatinine", "year": "1900"})
    assert _hits(r.text) == [] and 'data-testid="no-hits"' in r.text
    r = await client.get("/search", params={"q": "creatinine", "profile": "kid"})
    assert _hits(r.text) == []  # a profile alice may not see matches nothing
    r = await client.get("/search", params={"q": "creatinine", "sort": "date", "page": "2"})
    assert r.status_code == 200 and _hits(r.text) == []
    r = await client.get("/search", params={"q": "creatinine", "page": "x", "year": "y"})
    assert _hits(r.text) == [indexed.docs["dad"]]


async def test_a_moved_document_follows_its_profile(
    client: httpx.AsyncClient, indexed: Household, app_services: Services
) -> None:
    assert app_services.search is not None
    unfiled = indexed.docs["unfiled"]
    await login(client, "admin")
    r = await client.post(f"/documents/{unfiled}/move", data={"profile": "kid"})
    assert r.status_code == 303
    # The move itself updated the index (not a later repair).
    assert app_services.search.stamps()[unfiled][0] == indexed.profiles["kid"]
    r = await client.get("/search", params={"q": "mystery"})
    assert _hits(r.text) == []  # it left the triage queue
    await client.post("/logout")
    await login(client, "erin")
    r = await client.get("/search", params={"q": "mystery"})
    assert _hits(r.text) == [unfiled]


async def test_a_stale_index_never_shows_a_moved_document(
    client: httpx.AsyncClient, indexed: Household, app_services: Services
) -> None:
    from server.db.tables import Document

    # Moved behind the index's back (another process whose update was lost).
    await Document.update({Document.profile: indexed.profiles["kid"]}).where(
        Document.id == indexed.docs["dad"]
    )
    await login(client, "carol")
    r = await client.get("/search", params={"q": "creatinine"})
    assert _hits(r.text) == [] and SECRET_NAME not in r.text
    assert app_services.search is not None
    await sync.catch_up(app_services.search)
    assert app_services.search.stamps()[indexed.docs["dad"]][0] == indexed.profiles["kid"]


async def test_document_page_draws_the_matched_words(
    client: httpx.AsyncClient, indexed: Household
) -> None:
    doc_id = indexed.docs["dad"]
    words = [
        ["Creatinine", 0.1, 0.2, 0.3, 0.25],
        ["1.1", 0.35, 0.2, 0.4, 0.25],
        ["blood", 0.1, 0.3, 0.2, 0.35],
        ["pressure", 0.22, 0.3, 0.4, 0.35],
        ["pressure", 0.1, 0.5, 0.3, 0.55],
    ]
    await Page.update({Page.words: words}).where(Page.document == doc_id)
    await login(client, "carol")
    r = await client.get(f"/documents/{doc_id}", params={"q": "creatinin"})
    boxes = re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', r.text
    )
    assert boxes == [("100.0", "200.0", "200.0", "50.0")]
    assert 'data-testid="search-back"' in r.text
    r = await client.get(f"/documents/{doc_id}", params={"q": '"blood pressure"'})
    assert r.text.count('data-testid="highlight"') == 2  # the phrase, not the lone "pressure"
    r = await client.get(f"/documents/{doc_id}")
    assert 'data-testid="highlights"' not in r.text
    assert "style=" not in r.text.split("<main")[1]


async def test_search_errors_are_shown_not_raised(
    client: httpx.AsyncClient, indexed: Household, app_services: Services
) -> None:
    await login(client, "alice")
    r = await client.get("/search", params={"q": "x" * 1000})
    assert r.status_code == 200
    backend = app_services.search
    app_services.search = None
    try:
        r = await client.get("/search", params={"q": "creatinine"})
    finally:
        app_services.search = backend
    assert r.status_code == 503 and 'data-testid="search-error"' in r.text
