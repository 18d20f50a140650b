"""One page of a profile's timeline read bounded: the facet counts from two grouped queries
(by year and kind), the page's entries with ORDER BY ... LIMIT from the cursor (keyset: no index
of the whole timeline is built), then only the documents and facts of those entries
(`timeline.build` needs the whole record and gives the same page)."""

from __future__ import annotations

from collections.abc import Sequence
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


async def page(
    profile_id: int, *, kind: str = "", year: int | None = None, after: str = ""
) -> timeline.Timeline:
    """`timeline.build(profile_documents(..), profile_facts(..), ...)`, read bounded. A page
    shared between requests: callers do not change it."""

    async def compute() -> timeline.Timeline:
        return await _page(profile_id, kind=kind, year=year, after=after)

    what = ("timeline", kind, year, after, timeline.ENTRIES_PER_PAGE)
    return await readmodel.cached(profile_id, what, compute)


async def counts(profile_id: int) -> tuple[tuple[date | None, str, int], ...]:
    """(1 January of the year or None, kind, how many) of the documents and facts: what
    `timeline.count` needs for the facets, from two grouped queries (kept while the profile
    is unchanged: `readmodel`)."""

    async def compute() -> tuple[tuple[date | None, str, int], ...]:
        pg = postgres()
        doc_day = _DOC_DAY.format(created=created_day(pg))
        tally: list[tuple[date | None, str, int]] = []
        for r in await Fact.raw(
            f'SELECT {_year(fact_day(pg), pg)} AS y, f."kind" AS kind, COUNT(*) AS n '
            f"{FROM_SHOWN} GROUP BY 1, 2",
            *shown_args(profile_id),
        ):
            tally.append((_jan(r["y"]), str(r["kind"]), int(r["n"])))
        for r in await Fact.raw(
            f"SELECT {_year(doc_day, pg)} AS y, COUNT(*) AS n {_DOCS} GROUP BY 1",
            profile_id,
            "ready",
        ):
            tally.append((_jan(r["y"]), "document", int(r["n"])))
        return tuple(tally)

    return await readmodel.cached(profile_id, "timeline-counts", compute)


def _year(day: str, pg: bool) -> str:
    """SQL: the year of the day `day` (NULL when there is none)."""
    if pg:
        return f"CAST(EXTRACT(YEAR FROM {day}) AS INTEGER)"
    return f"CAST(substr({day}, 1, 4) AS INTEGER)"


def _jan(year: Any) -> date | None:
    return None if year is None else date(int(year), 1, 1)


async def entries(
    profile_id: int, *, kind: str, year: int | None, after: str
) -> tuple[list[timeline.Slot], str]:
    """What `timeline.choose` gives from the whole timeline, read with ORDER BY ... LIMIT from
    the place the cursor `after` names (keyset): the page's entries (their `kinds` left empty:
    the page does not need them) and the next page's cursor ("" on the last page)."""
    pg = postgres()
    doc_day = _DOC_DAY.format(created=created_day(pg))
    docs = f'SELECT {doc_day} AS day, 1 AS own, d."id" AS doc {_DOCS}'
    doc_args: list[Any] = [profile_id, "ready"]
    facts = f'SELECT {fact_day(pg)} AS day, 0 AS own, COALESCE(f."document", 0) AS doc {FROM_SHOWN}'
    fact_args: list[Any] = list(shown_args(profile_id))
    if kind == "document":
        union, args = docs, doc_args
    elif kind:
        union = f'SELECT DISTINCT k.day, k.own, k.doc FROM ({facts} AND f."kind" = {{}}) AS k'
        args = [*fact_args, kind]
    else:  # a document on its own day and its facts of that day are one entry
        union = (
            f"SELECT u.day, MAX(u.own) AS own, u.doc FROM ({docs} UNION ALL {facts}) AS u "
            "GROUP BY u.day, u.doc"
        )
        args = [*doc_args, *fact_args]
    where = []
    if year is not None:
        where.append(f"{_year('e.day', pg)} = {{}}")
        args.append(year)
    if after:
        day, own, doc = after.split(".")
        later = "(e.own < {} OR (e.own = {} AND e.doc < {}))"
        if day == "none":
            where.append(f"(e.day IS NULL AND {later})")
            args += [int(own), int(own), int(doc)]
        else:
            where.append(f"(e.day < {{}} OR e.day IS NULL OR (e.day = {{}} AND {later}))")
            on = date.fromisoformat(day)
            args += [on if pg else on.isoformat()] * 2 + [int(own), int(own), int(doc)]
    rows = await Fact.raw(
        f"SELECT e.day AS day, e.own AS own, e.doc AS doc FROM ({union}) AS e "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + "ORDER BY (e.day IS NULL), e.day DESC, e.own DESC, e.doc DESC LIMIT {}",
        *args,
        timeline.ENTRIES_PER_PAGE + 1,
    )
    chosen = [
        timeline.Slot(_date(r["day"]), int(r["doc"]), bool(r["own"]), frozenset()) for r in rows
    ]
    page = chosen[: timeline.ENTRIES_PER_PAGE]
    if len(chosen) > len(page):
        last = page[-1]
        return page, timeline.cursor(last.day, last.own, last.document)
    return page, ""


async def _page(profile_id: int, *, kind: str, year: int | None, after: str) -> timeline.Timeline:
    pg = postgres()
    kinds, years = timeline.count(await counts(profile_id), kind=kind, year=year)
    if timeline.parse_cursor(after) is None:
        after = ""
    chosen, next_after = await entries(profile_id, kind=kind, year=year, after=after)
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
