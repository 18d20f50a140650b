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

from server.access.policy import Caller
from server.access.scope import visible_documents
from server.db.tables import Document, Page, Profile
from server.search import projection as sync
from server.search.contract import (
    EMPTY,
    UNFILED,
    Filters,
    Hit,
    Results,
    SearchBackend,
    SearchError,
    Sort,
)
from server.search.text import Parsed, fold, parse, tokens
from server.web._common import caller_of, is_htmx, render

log = logging.getLogger(__name__)

PER_PAGE = 20
TRIAGE = "_triage"  # the profile filter for unfiled documents (admins); no slug has "_"
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


def scope_of(caller: Caller) -> frozenset[int]:
    """The profiles whose pages the caller may search: as `access.visible_documents` decides."""
    return caller.visible | ({UNFILED} if caller.is_admin else frozenset())


def backend_of(request: Request) -> SearchBackend:
    backend: SearchBackend | None = getattr(request.app.state.services, "search", None)
    if backend is None:
        raise SearchError("Search is not available in this process.")
    return backend


async def search(request: Request) -> Response:
    caller = caller_of(request)
    params = request.query_params
    q = params.get("q", "")[:200]
    people = await _people(request, caller)
    chosen = params.get("profile", "")
    slugs = {p["slug"]: p["id"] for p in people}
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
    names = {p["id"]: p for p in people}
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


async def _people(request: Request, caller: Caller) -> list[dict[str, Any]]:
    # The middleware loaded the caller's profiles for the switcher: no second query.
    rows = request.scope.get("kinchart.profiles")
    if rows is None or any("id" not in r for r in rows):
        rows = await Profile.select(Profile.id, Profile.slug, Profile.display_name).where(
            Profile.id.is_in(sorted(caller.visible) or [-1])
        )
    people = [dict(r) for r in rows if r["id"] in caller.visible]
    if caller.is_admin:
        people.append({"id": UNFILED, "slug": TRIAGE, "display_name": "Triage queue"})
    return people


async def current_hits(caller: Caller, hits: list[Hit]) -> list[Hit]:
    """Hits whose document the caller still may see where the index says it is filed.

    The backend already filtered by profile; this guards against an index that has not caught
    up with a move yet, and sends such documents to be re-indexed.
    """
    if not hits:
        return hits
    ids = sorted({h.doc_id for h in hits})
    rows = await visible_documents(
        caller, Document.select(Document.id, Document.profile).where(Document.id.is_in(ids))
    )
    now = {r["id"]: (r["profile"] if r["profile"] is not None else UNFILED) for r in rows}
    stale = [h.doc_id for h in hits if now.get(h.doc_id) != h.profile]
    if stale:
        sync.schedule_refresh(stale)
    return [h for h in hits if now.get(h.doc_id) == h.profile]


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


async def highlights(doc_id: int, q: str | None) -> dict[int, list[dict[str, float]]]:
    """Boxes (in thousandths of the page) of the words on each page that match `q`."""
    parsed = parse(q[:200]) if q and q.strip() else None
    if parsed is None or parsed.empty:
        return {}
    pages = (
        await Page.select(Page.number, Page.words)
        .where(Page.document == doc_id)
        .output(load_json=True)
    )
    out: dict[int, list[dict[str, float]]] = {}
    for p in pages:
        boxes = [_box(w) for w in _matching_words(parsed, p["words"] or [])]
        if boxes:
            out[p["number"]] = boxes
    return out


def _matching_words(parsed: Parsed, words: list[list[Any]]) -> list[list[Any]]:
    flat = [(i, t) for i, w in enumerate(words) for t in tokens(str(w[0]))]
    weights = {tok: parsed.weight(tok) for tok in {t for _, t in flat}}
    hit = {i for i, tok in flat if weights[tok] > 0}
    for phrase in parsed.phrases:
        n = len(phrase)
        for k in range(len(flat) - n + 1):
            if tuple(t for _, t in flat[k : k + n]) == phrase:
                hit.update(i for i, _ in flat[k : k + n])
    return [words[i] for i in sorted(hit)]


def _box(word: list[Any]) -> dict[str, float]:
    x0, y0, x1, y1 = (max(0.0, min(1.0, float(v))) for v in word[1:5])
    return {
        "x": round(x0 * 1000, 1),
        "y": round(y0 * 1000, 1),
        "w": round(max(0.0, x1 - x0) * 1000, 1),
        "h": round(max(0.0, y1 - y0) * 1000, 1),
    }


routes = [Route("/search", search, methods=["GET"])]
