"""Search as a caller sees it: the profiles they search, and hits they still may see."""

from __future__ import annotations

from typing import Any

from server.access.policy import Caller
from server.access.scope import profiles_for, visible_documents
from server.db.tables import Document
from server.search import projection
from server.search.contract import UNFILED, Filters, Hit, Results, SearchBackend, Sort

TRIAGE = "_triage"  # the profile filter for unfiled documents (admins); no slug has "_"


def scope_of(caller: Caller) -> frozenset[int]:
    """The profiles whose pages the caller may search: as `access.visible_documents` decides."""
    return caller.visible | ({UNFILED} if caller.is_admin else frozenset())


async def people(caller: Caller, known: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The profiles the caller may filter by (and the triage queue, for admins).

    `known`: the caller's profiles when already read (the middleware reads them with the
    session, for the switcher on every page): no second query.
    """
    rows = known
    if rows is None or any("id" not in r for r in rows):
        rows = await profiles_for(caller, "view")
    found = [dict(r) for r in rows if r["id"] in caller.visible]
    if caller.is_admin:
        found.append({"id": UNFILED, "slug": TRIAGE, "display_name": "Triage queue"})
    return found


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
        projection.schedule_refresh(stale)
    return [h for h in hits if now.get(h.doc_id) == h.profile]


async def search_as(
    backend: SearchBackend,
    caller: Caller,
    q: str,
    *,
    profile_slug: str | None = None,
    doc_type: str | None = None,
    year: int | None = None,
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> tuple[Results, dict[int, str]]:
    """The caller's matching pages, and the slugs that name their profiles (`kinchart search`)."""
    if backend.needs_rebuild:  # no server has caught it up: do it first
        await projection.catch_up(backend)
    names = {p["id"]: p["slug"] for p in await people(caller)}
    by_slug = {s: i for i, s in names.items()}
    chosen = None if profile_slug is None else by_slug.get(profile_slug, -1)
    filters = Filters(profile=chosen, doc_type=doc_type, year=year)
    results = backend.query(
        q, profiles=scope_of(caller), filters=filters, sort=sort, page=page, per_page=per_page
    )
    results.hits[:] = await current_hits(caller, results.hits)
    return results, names
