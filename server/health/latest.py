"""Each series' latest result without reading the whole record: the Lab overview, the
Summary's labs and the clinician's labs and vital signs, in two bounded queries.

`labs.overview` needs of each series only its count, its newest two charted results, its
newest result and its oldest one (the title, and the order in which units first appear). Which
results are charted depends only on a result's unit, whether it is a number and whether it has
a date, so the database groups a series' results by those and returns, per group, its size,
its newest two and its oldest result; the rest of the record is never read. The same trust
rules as `profile_facts` apply in the query (rejected, held and foreign facts are left out).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ocr.facts.catalogue import BY_KEY
from ocr.facts.confidence import REVIEW_BELOW
from ocr.facts.units import normalise
from server.db.tables import EXTRACTED, REJECTED, Document, Fact
from server.facts.patient import MISMATCH
from server.health import readmodel
from server.health.labs import Latest, _direction, _order, _point, series_key
from server.health.records import FactRow, facts_by_id


@dataclass
class Group:
    """Results of one series with the same unit, numeric-ness and dated-ness."""

    count: int
    rows: list[FactRow]  # its newest two and its oldest, as read


def postgres() -> bool:
    return bool(Fact._meta.db.engine_type == "postgres")


def created_day(pg: bool, alias: str = "d") -> str:
    """SQL: the UTC day a document arrived, as `records` reads it."""
    if pg:
        return f"CAST({alias}.\"created_at\" AT TIME ZONE 'UTC' AS DATE)"
    return f'substr({alias}."created_at", 1, 10)'


def fact_day(pg: bool) -> str:
    """SQL: `FactRow.when` (its own date, else its document's, else the day it arrived)."""
    return f'COALESCE(f."effective", d."doc_date", {created_day(pg)})'


# The facts `profile_facts` shows (arguments: `shown_args`), as f with their document as d.
FROM_SHOWN = (
    f'FROM "{Fact._meta.tablename}" AS f '
    f'LEFT JOIN "{Document._meta.tablename}" AS d ON d."id" = f."document" '
    'WHERE f."profile" = {} AND f."status" <> {} '
    'AND (f."document" IS NULL OR d."profile" = {}) '
    'AND NOT (f."status" = {} AND f."confidence" IS NOT NULL AND f."confidence" < {}) '
    "AND COALESCE(d.\"patient_check\", '') <> {} "
    # another source's copy of a result (server/facts/same.py) is shown with that result
    'AND f."same_as" IS NULL'
)


def shown_args(profile_id: int) -> tuple[Any, ...]:
    return (profile_id, REJECTED, profile_id, EXTRACTED, REVIEW_BELOW, MISMATCH)


_GROUP = "analyte, nm, unit, nonum, noday"


def _sql(pg: bool) -> str:
    """Per group of a series: its size, and its newest two and its oldest result (by day, then
    document, then place in the document, as `labs._order`). Ranking every result of the
    record with window functions sorted all of them twice (the first request after a write
    spent most of its time there); instead two grouped passes over the record find each
    group's newest day, the day before it and its oldest day, and only the results of those
    days (and of undated groups, which have no days to tell apart) are ranked."""
    g = _GROUP
    return (
        "WITH base AS MATERIALIZED ("
        'SELECT f."id" AS id, COALESCE(f."analyte", \'\') AS analyte, '
        "CASE WHEN COALESCE(f.\"analyte\", '') = '' THEN COALESCE(f.\"name\", '') "
        "ELSE '' END AS nm, "
        'COALESCE(f."unit", \'\') AS unit, (f."value_num" IS NULL) AS nonum, '
        f"{fact_day(pg)} AS day, ({fact_day(pg)} IS NULL) AS noday, "
        'COALESCE(f."document", 0) AS doc, COALESCE(f."seq", 0) * 1000000 + f."id" AS ord '
        f'{FROM_SHOWN} AND f."kind" = {{}}'
        f"), top AS (SELECT {g}, COUNT(*) AS n, MAX(day) AS d1, MIN(day) AS dmin "
        f"FROM base GROUP BY {g}"
        "), next AS (SELECT b.analyte, b.nm, b.unit, b.nonum, b.noday, MAX(b.day) AS d2 "
        f"FROM base AS b JOIN top AS t USING ({g}) WHERE b.day < t.d1 "
        "GROUP BY b.analyte, b.nm, b.unit, b.nonum, b.noday"
        "), candidate AS (SELECT b.id, b.analyte, b.nm, b.unit, b.nonum, b.noday, b.day, "
        f"b.doc, b.ord, t.n FROM base AS b JOIN top AS t USING ({g}) "
        f"LEFT JOIN next AS x USING ({g}) "
        "WHERE b.noday OR b.day = t.d1 OR b.day = x.d2 OR b.day = t.dmin"
        f"), ranked AS (SELECT id, {g}, n, "
        f"ROW_NUMBER() OVER (PARTITION BY {g} ORDER BY day DESC, doc DESC, ord DESC) AS newest, "
        f"ROW_NUMBER() OVER (PARTITION BY {g} ORDER BY day, doc, ord) AS oldest "
        "FROM candidate) "
        "SELECT id, analyte, nm, unit, nonum, noday, n FROM ranked "
        "WHERE newest <= 2 OR oldest = 1"
    )


async def groups(profile_id: int, kind: str = "lab") -> dict[str, list[Group]]:
    """The profile's shown results of `kind` by series key, in groups (see the module)."""
    picked = await Fact.raw(_sql(postgres()), *shown_args(profile_id), kind)
    facts = await facts_by_id([int(r["id"]) for r in picked])
    by_group: dict[tuple[Any, ...], Group] = {}
    for r in picked:
        group_key = (r["analyte"], r["nm"], r["unit"], bool(r["nonum"]), bool(r["noday"]))
        group = by_group.setdefault(group_key, Group(int(r["n"]), []))
        fact = facts.get(int(r["id"]))
        if fact is not None:  # (None: deleted between the two queries; shown on the next read)
            group.rows.append(fact)
    out: dict[str, list[Group]] = {}
    for group in by_group.values():
        if not group.rows:
            continue
        group.rows.sort(key=_order)
        out.setdefault(series_key(group.rows[0]), []).append(group)
    return out


async def overview(profile_id: int, kind: str = "lab") -> list[Latest]:
    """What `labs.overview(await profile_facts(profile_id, kind), kind)` gives, read bounded
    (and kept while the profile's facts and documents are unchanged: `readmodel`). A list
    shared between requests: callers do not change it."""

    async def compute() -> list[Latest]:
        return overview_of(await groups(profile_id, kind))

    return await readmodel.cached(profile_id, ("overview", kind), compute)


def overview_of(series: dict[str, list[Group]]) -> list[Latest]:
    rows = []
    for key, parts in series.items():
        analyte = BY_KEY.get(key)
        parts = sorted(parts, key=lambda g: _order(g.rows[0]))  # by their oldest result
        title = analyte.name if analyte else parts[0].rows[0].name
        unit = _unit((analyte.unit or "") if analyte else "", parts)
        facts = sorted({f for g in parts for f in g.rows}, key=_order)
        points = [_point(f, unit, analyte) for f in facts]
        numbers = [p for p in points if p.charted]
        latest = numbers[-1].fact if numbers else facts[-1]
        direction = previous = None
        if len(numbers) >= 2:
            previous = numbers[-2].fact
            direction = _direction(numbers[-2].value, numbers[-1].value)
        count = sum(g.count for g in parts)
        rows.append(Latest(key, title, latest, count, direction, previous))
    rows.sort(key=lambda r: r.title.casefold())
    return rows


def _unit(catalogue_unit: str, parts: list[Group]) -> str:
    """`labs._series_unit` from the groups: the catalogue's unit, else the most common one
    among the numbers (ties: the unit that appeared first, as Counter keeps it)."""
    if catalogue_unit:
        return normalise(catalogue_unit) or catalogue_unit
    units: Counter[str] = Counter()
    for group in parts:  # oldest first
        fact = group.rows[0]
        if fact.value_num is not None:
            units[normalise(fact.unit) or fact.unit] += group.count
    return units.most_common(1)[0][0] if units else ""
