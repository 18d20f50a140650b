"""A profile's timeline: documents and facts by day, newest first, filtered by kind and year.

Pure: takes the profile's documents and `FactRow`s. A fact sits on the day it is about
(a vaccine given in 2012 listed on a 2020 record sits in 2012), under its document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.health.records import FactRow

KINDS = {
    "document": "Documents",
    "lab": "Lab results",
    "vital": "Vital signs",
    "medication": "Medications",
    "condition": "Problems",
    "allergy": "Allergies",
    "immunization": "Immunizations",
    "procedure": "Procedures",
}
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}
DAYS_PER_PAGE = 40


@dataclass
class Entry:
    """A document on a day with the facts it gives for that day, or facts typed in by hand."""

    document: Mapping[str, Any] | None
    facts: list[FactRow] = field(default_factory=list)
    own_day: bool = False  # the day is the document's own date (not only one its facts name)


@dataclass
class Day:
    day: date | None  # None: facts with no date at all
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Timeline:
    days: list[Day]
    kinds: dict[str, int]  # facet counts under the year filter
    years: list[tuple[int, int]]  # (year, count) under the kind filter, newest first
    has_next: bool = False


def document_day(doc: Mapping[str, Any]) -> date | None:
    """The date a document is about, else the day it arrived."""
    value = doc.get("doc_date") or doc.get("created_at")
    return value.date() if isinstance(value, datetime) else value


def build(
    documents: Iterable[Mapping[str, Any]],
    facts: Iterable[FactRow],
    *,
    kind: str = "",
    year: int | None = None,
    page: int = 1,
) -> Timeline:
    documents, facts = list(documents), list(facts)
    tally = [(document_day(doc), "document", 1) for doc in documents]
    tally += [(fact.when, fact.kind, 1) for fact in facts]
    kinds, years, shown, has_next = count(tally, kind=kind, year=year, page=page)
    wanted = set(shown)
    return page_of(
        [d for d in documents if document_day(d) in wanted],
        [f for f in facts if f.when in wanted],
        {doc["id"]: doc for doc in documents},
        kind=kind,
        year=year,
        kinds=kinds,
        years=years,
        has_next=has_next,
    )


def count(
    tally: Iterable[tuple[date | None, str, int]],
    *,
    kind: str = "",
    year: int | None = None,
    page: int = 1,
) -> tuple[dict[str, int], list[tuple[int, int]], list[date | None], bool]:
    """From (day, kind, how many) of every item: the kind counts under the year filter, the
    year counts under the kind filter, the days of `page` (newest first) and whether older
    pages follow."""
    kind_counts: Counter[str] = Counter()
    year_counts: Counter[int] = Counter()
    days: set[date | None] = set()
    for day, item_kind, n in tally:
        if year is None or (day is not None and day.year == year):
            kind_counts[item_kind] += n
        if day is not None and (not kind or kind == item_kind):
            year_counts[day.year] += n
        if n and _keep(item_kind, day, kind, year):
            days.add(day)
    ordered = sorted(days, key=lambda d: d or date.min, reverse=True)
    start = (max(1, page) - 1) * DAYS_PER_PAGE
    return (
        {k: kind_counts[k] for k in KINDS if kind_counts[k]},
        sorted(year_counts.items(), reverse=True),
        ordered[start : start + DAYS_PER_PAGE],
        len(ordered) > start + DAYS_PER_PAGE,
    )


def page_of(
    documents: Iterable[Mapping[str, Any]],
    facts: Iterable[FactRow],
    known: Mapping[int, Mapping[str, Any]],
    *,
    kind: str,
    year: int | None,
    kinds: dict[str, int],
    years: list[tuple[int, int]],
    has_next: bool,
) -> Timeline:
    """The page from the documents and facts of its days; `known`: documents by id, for the
    facts whose document sits on another day."""
    items: list[tuple[date | None, Mapping[str, Any] | None, FactRow | None]] = []
    for doc in documents:
        day = document_day(doc)
        if _keep("document", day, kind, year):
            items.append((day, doc, None))
    for fact in facts:
        if _keep(fact.kind, fact.when, kind, year):
            items.append((fact.when, _document_of(fact, known), fact))
    return Timeline(days=_days(items), kinds=kinds, years=years, has_next=has_next)


def _document_of(fact: FactRow, by_id: Mapping[int, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    if fact.document is None:
        return None
    known = by_id.get(fact.document)
    return known or {"id": fact.document, "original_name": fact.doc_name, "doc_type": fact.doc_type}


def _keep(item_kind: str, day: date | None, kind: str, year: int | None) -> bool:
    if kind and item_kind != kind:
        return False
    return year is None or (day is not None and day.year == year)


def _days(items: list[tuple[date | None, Mapping[str, Any] | None, FactRow | None]]) -> list[Day]:
    entries: dict[tuple[date | None, Any], Entry] = {}
    for day, doc, fact in items:
        key = (day, doc["id"] if doc else (None if fact is None else "hand"))
        entry = entries.setdefault(key, Entry(doc))
        if fact is None:
            entry.own_day = True
        else:
            entry.facts.append(fact)
    days: dict[date | None, Day] = {}
    for (day, _), entry in entries.items():
        entry.facts.sort(key=lambda f: (_KIND_ORDER.get(f.kind, 99), f.seq, f.id))
        days.setdefault(day, Day(day)).entries.append(entry)
    for d in days.values():
        d.entries.sort(key=lambda e: (not e.own_day, -(e.document["id"] if e.document else 0)))
    return sorted(days.values(), key=lambda d: d.day or date.min, reverse=True)
