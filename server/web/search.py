"""/search: results as you type (one partial, two callers), and matches on a document's pages."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.search.contract import EMPTY, Filters, Hit, Results, SearchBackend, SearchError, Sort
from server.search.scoped import TRIAGE as TRIAGE  # for cli/search.py, until it imports scoped
from server.search.scoped import current_hits, people, scope_of
from server.search.text import fold, parse
from server.web._common import caller_of, is_htmx, render

log = logging.getLogger(__name__)

PER_PAGE = 20
TYPE_LABELS = {
    "lab": "Lab results",
    "medication": "Medications",
    "visit": "Visit notes",
    "immunization": "Immunizations",
    "imaging": "Imaging",
    "discharge": "Discharge papers",
    "referral": "Referrals",
    "billing": "Bills and insurance",
    "record": "Structured records",
    "other": "Other",
}


def backend_of(request: Request) -> SearchBackend:
    backend: SearchBackend | None = getattr(request.app.state.services, "search", None)
    if backend is None:
        raise SearchError("Search is not available in this process.")
    return backend


async def search(request: Request) -> Response:
    caller = caller_of(request)
    params = request.query_params
    q = params.get("q", "")[:200]
    # The middleware read the caller's profiles with the session (the switcher): no query.
    choices = await people(caller, request.scope.get("kinchart.profiles"))
    chosen = params.get("profile", "")
    slugs = {p["slug"]: p["id"] for p in choices}
    filters = Filters(
        profile=slugs.get(chosen, -1) if chosen else None,  # an unknown name matches nothing
        doc_type=params.get("type") or None,
        year=_int(params.get("year")),
    )
    sort: Sort = "date" if params.get("sort") == "date" else "relevance"
    page = max(1, _int(params.get("page")) or 1)
    error = ""
    suggestions: list[str] = []
    try:
        results, suggestions = await _ask(
            backend_of(request), q, scope_of(caller), filters, sort, page
        )
    except SearchError as exc:
        log.warning("search failed: %s", exc.user_message)
        error, results = exc.user_message, Results([], 0, EMPTY, page, PER_PAGE)
    state = {
        "q": q,
        "profile": chosen,
        "type": filters.doc_type or "",
        "year": params.get("year", ""),
        "sort": "date" if sort == "date" else "",
    }
    names = {p["id"]: p for p in choices}
    context: dict[str, Any] = {
        "q": q,
        "results": results,
        "hits": await current_hits(caller, results.hits),
        "names": names,
        "state": state,
        "error": error,
        "oob": is_htmx(request),
        "suggestions": [_complete(q, s) for s in suggestions],
        "link": lambda **change: "/search?" + urlencode(_merge(state, change)),
        "type_labels": TYPE_LABELS,
        "people_facets": [(names[p], n) for p, n in results.facets.profile.items() if p in names],
    }
    status = 503 if error else 200
    return render(
        request, "search/search.html", context, partial="search/_main.html", status_code=status
    )


async def _ask(
    backend: SearchBackend,
    q: str,
    scope: frozenset[int],
    filters: Filters,
    sort: Sort,
    page: int,
) -> tuple[Results, list[str]]:
    def both() -> tuple[Results, list[str]]:
        found = backend.query(
            q, profiles=scope, filters=filters, sort=sort, page=page, per_page=PER_PAGE
        )
        # The words matched on the hits complete what is typed at no cost; asking the index
        # costs a pass over every page in scope, worth it only when nothing matched.
        words = _typed_words(q, found.hits)
        if not words and not found.hits and q.strip():
            words = backend.suggest(q, profiles=scope)
        return found, words

    # One trip to a thread for both: the index must not block the event loop.
    return await asyncio.to_thread(both)


def _typed_words(q: str, hits: list[Hit], limit: int = 8) -> list[str]:
    """Words on the hits that start with the word being typed, the most frequent first."""
    typed = [t for t in parse(q).terms if t.prefix]
    if not typed:
        return []
    counts: Counter[str] = Counter()
    for hit in hits:
        counts.update({w for w in map(fold, hit.terms) if w.startswith(typed[0].word)})
    return [w for w, _ in counts.most_common(limit)]


def _complete(q: str, word: str) -> str:
    head = q.rsplit(None, 1)[0] if len(q.split()) > 1 else ""
    return f"{head} {word}".strip()


def _merge(state: dict[str, str], change: dict[str, Any]) -> dict[str, str]:
    merged = {**state, **{k: "" if v is None else str(v) for k, v in change.items()}}
    return {k: v for k, v in merged.items() if v}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


routes = [Route("/search", search, methods=["GET"])]
