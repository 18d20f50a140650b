"""One page of a profile's timeline read bounded: the counts and the index of entries from two
grouped queries (kept while the profile is unchanged: `readmodel`), then only the documents and
facts of the page's entries (`timeline.build` needs the whole record and gives the same page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.db.tables import Document, Fact
from server.health import readmodel, timeline
from server.health.latest import FROM_SHOWN, created_day, fact_day, postgres, shown_args
from server.health.records import _date, facts_by_id, profile_documents

_DOC_DAY = 'COALESCE(d."doc_date", {created})'
_DOCS = (
    f'FROM "{Document._meta.tablename}" AS d WHERE d."profile" = {{}} AND d."state" = {{}} '
    'AND d."trashed_at" IS NULL'
)


@dataclass(frozen=True)
class Index:
    """Of the whole timeline: (day, kind, how many) for the counts, and every entry."""

    tally: tuple[tuple[date | None, str, int], ...]
    slots: tuple[timeline.Slot, ...]


async def page(
    profile_id: int, *, kind: str = "", year: int | None = None, after: str = ""
) -> timeline.Timeline:
    """`timeline.build(profile_documents(..), profile_facts(..), ...)`, read bounded. A page
    shared between requests: callers do not change it."""

    async def compute() -> timeline.Timeline:
        return await _page(profile_id, kind=kind, year=year, after=after)

    what = ("timeline", kind, year, after, timeline.ENTRIES_PER_PAGE)
    return await readmodel.cached(profile_id, what, compute)


async def index(profile_id: int) -> Index:
    async def compute() -> Index:
        return await _index(profile_id)

    return await readmodel.cached(profile_id, "timeline-index", compute)


async def _index(profile_id: int) -> Index:
    pg = postgres()
    doc_day = _DOC_DAY.format(created=created_day(pg))
    days: dict[Any, date | None] = {}  # a few thousand days among tens of thousands of rows

    def day_of(value: Any) -> date | None:
        if value not in days:
            days[value] = _date(value)
        return days[value]

    tally: list[tuple[date | None, str, int]] = []
    facts: list[tuple[date | None, int, str]] = []
    for r in await Fact.raw(
        f'SELECT {fact_day(pg)} AS day, COALESCE(f."document", 0) AS doc, f."kind" AS kind, '
        f"COUNT(*) AS n {FROM_SHOWN} GROUP BY 1, 2, 3",
        *shown_args(profile_id),
    ):
        day, kind = day_of(r["day"]), str(r["kind"])
        tally.append((day, kind, int(r["n"])))
        facts.append((day, int(r["doc"]), kind))
    documents = []
    for r in await Fact.raw(
        f"SELECT {doc_day} AS day, COUNT(*) AS n {_DOCS} GROUP BY 1", profile_id, "ready"
    ):
        tally.append((day_of(r["day"]), "document", int(r["n"])))
    for r in await Fact.raw(f'SELECT d."id" AS id, {doc_day} AS day {_DOCS}', profile_id, "ready"):
        documents.append((day_of(r["day"]), int(r["id"])))
    return Index(tuple(tally), tuple(timeline.slots(documents, facts)))


async def _page(profile_id: int, *, kind: str, year: int | None, after: str) -> timeline.Timeline:
    pg = postgres()
    whole = await index(profile_id)
    kinds, years = timeline.count(whole.tally, kind=kind, year=year)
    chosen, next_after = timeline.choose(whole.slots, kind=kind, year=year, after=after)
    if not chosen:
        return timeline.Timeline([], kinds, years)
    wanted = {(s.day, s.document) for s in chosen}
    on_days, args = _on(sorted({s.day for s in chosen}, key=lambda d: d or date.min), pg)
    docs = sorted({s.document for s in chosen})
    fact_ids = [
        int(r["id"])
        for r in await Fact.raw(
            f'SELECT f."id" AS id, {fact_day(pg)} AS day, COALESCE(f."document", 0) AS doc '
            f"{FROM_SHOWN} AND {on_days.format(day=fact_day(pg))} "
            f'AND COALESCE(f."document", 0) IN ({", ".join("{}" for _ in docs)})',
            *shown_args(profile_id),
            *args,
            *docs,
        )
        if (_date(r["day"]), int(r["doc"])) in wanted
    ]
    facts = list((await facts_by_id(fact_ids)).values())
    own = [s.document for s in chosen if s.own]
    cited = {f.document for f in facts if f.document is not None}
    known = {d["id"]: d for d in await profile_documents(profile_id, ids=[*own, *cited])}
    return timeline.page_of(
        [known[i] for i in own if i in known], facts, known, chosen,
        kind=kind, year=year, kinds=kinds, years=years, after=next_after,
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
