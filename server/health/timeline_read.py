"""One page of a profile's timeline read bounded: the counts and the page's days from two
grouped queries, then only the documents and facts of those days (`timeline.build` needs the
whole record and gives the same page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from server.db.tables import Document, Fact
from server.health import timeline
from server.health.latest import FROM_SHOWN, created_day, fact_day, postgres, shown_args
from server.health.records import _date, facts_by_id, profile_documents

_DOC_DAY = 'COALESCE(d."doc_date", {created})'
_DOCS = (
    f'FROM "{Document._meta.tablename}" AS d WHERE d."profile" = {{}} AND d."state" = {{}} '
    'AND d."trashed_at" IS NULL'
)


async def page(
    profile_id: int, *, kind: str = "", year: int | None = None, page: int = 1
) -> timeline.Timeline:
    """`timeline.build(profile_documents(..), profile_facts(..), ...)`, read bounded."""
    pg = postgres()
    doc_day = _DOC_DAY.format(created=created_day(pg))
    tally: list[tuple[date | None, str, int]] = []
    for r in await Fact.raw(
        f'SELECT {fact_day(pg)} AS day, f."kind" AS kind, COUNT(*) AS n {FROM_SHOWN} GROUP BY 1, 2',
        *shown_args(profile_id),
    ):
        tally.append((_date(r["day"]), str(r["kind"]), int(r["n"])))
    for r in await Fact.raw(
        f"SELECT {doc_day} AS day, COUNT(*) AS n {_DOCS} GROUP BY 1", profile_id, "ready"
    ):
        tally.append((_date(r["day"]), "document", int(r["n"])))
    kinds, years, days, has_next = timeline.count(tally, kind=kind, year=year, page=page)
    if not days:
        return timeline.Timeline([], kinds, years, has_next)
    on_days, args = _on(days, pg)
    fact_ids = [
        int(r["id"])
        for r in await Fact.raw(
            f'SELECT f."id" AS id {FROM_SHOWN} AND {on_days.format(day=fact_day(pg))}',
            *shown_args(profile_id),
            *args,
        )
    ]
    doc_ids = [
        int(r["id"])
        for r in await Fact.raw(
            f'SELECT d."id" AS id {_DOCS} AND {on_days.format(day=doc_day)}',
            profile_id,
            "ready",
            *args,
        )
    ]
    facts = list((await facts_by_id(fact_ids)).values())
    cited = {f.document for f in facts if f.document is not None}
    known = {d["id"]: d for d in await profile_documents(profile_id, ids=[*doc_ids, *cited])}
    documents = [known[i] for i in doc_ids if i in known]
    return timeline.page_of(
        documents, facts, known, kind=kind, year=year, kinds=kinds, years=years,
        has_next=has_next,
    )  # fmt: skip


def _on(days: Sequence[date | None], pg: bool) -> tuple[str, list[Any]]:
    """SQL (with `{day}` to fill in) true on `days`, and its arguments."""
    dated = [d for d in days if d is not None]
    parts = []
    if dated:
        parts.append("{day} IN (" + ", ".join("{{}}" for _ in dated) + ")")
    if len(dated) < len(days):
        parts.append("{day} IS NULL")
    return "(" + " OR ".join(parts) + ")", [d if pg else d.isoformat() for d in dated]
