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
    kind_counts: Counter[str] = Counter()
    year_counts: Counter[int] = Counter()
    items: list[tuple[date | None, Mapping[str, Any] | None, FactRow | None]] = []
    for doc in documents:
        day = document_day(doc)
        _count(kind_counts, year_counts, "document", day, kind, year)
        if _keep("document", day, kind, year):
            items.append((day, doc, None))
    by_id = {doc["id"]: doc for doc in documents}
    for fact in facts:
        day = fact.when
        _count(kind_counts, year_counts, fact.kind, day, kind, year)
        if _keep(fact.kind, day, kind, year):
            items.append((day, _document_of(fact, by_id), fact))
    days = _days(items)
    start = (max(1, page) - 1) * DAYS_PER_PAGE
    return Timeline(
        days=days[start : start + DAYS_PER_PAGE],
        kinds={k: kind_counts[k] for k in KINDS if kind_counts[k]},
        years=sorted(year_counts.items(), reverse=True),
        has_next=len(days) > start + DAYS_PER_PAGE,
    )


def _document_of(fact: FactRow, by_id: Mapping[int, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    if fact.document is None:
        return None
    known = by_id.get(fact.document)
    return known or {"id": fact.document, "original_name": fact.doc_name, "doc_type": fact.doc_type}


def _count(
    kinds: Counter[str],
    years: Counter[int],
    item_kind: str,
    day: date | None,
    kind: str,
    year: int | None,
) -> None:
    if year is None or (day is not None and day.year == year):
        kinds[item_kind] += 1
    if day is not None and (not kind or kind == item_kind):
        years[day.year] += 1


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
