"""The timeline's days, entries, filters and facets (server.health.timeline)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server.health import timeline
from tests.fixtures.health_facts import lab, row

pytestmark = pytest.mark.nodb


def doc(doc_id: int, when: str | None, added: str = "2024-06-01") -> dict[str, object]:
    return {
        "id": doc_id,
        "original_name": f"doc-{doc_id}.pdf",
        "doc_type": "lab report",
        "doc_date": date.fromisoformat(when) if when else None,
        "created_at": datetime.fromisoformat(added + "T10:00:00").replace(tzinfo=UTC),
    }


DOCS = [doc(1, "2023-03-01"), doc(2, "2020-05-05"), doc(3, None, added="2024-06-01")]
FACTS = [
    lab("Glucose", "2023-03-01", 104.0, "mg/dL", analyte="glucose", doc=1, flag="H"),
    lab("LDL", "2023-03-01", 120.0, "mg/dL", analyte="ldl", doc=1),
    # A vaccination record from 2020 listing a shot given in 2012: the shot sits in 2012.
    row("immunization", "Tetanus", "2012-07-04", 2, state="completed"),
    row("medication", "Aspirin", "2021-01-01", None, status="manual"),
    row("allergy", "Latex", None, None, status="manual"),
]


def _days(t: timeline.Timeline) -> list[str]:
    return [str(d.day) if d.day else "undated" for d in t.days]


def test_days_newest_first_with_documents_and_their_facts() -> None:
    t = timeline.build(DOCS, FACTS)
    assert _days(t) == ["2024-06-01", "2023-03-01", "2021-01-01", "2020-05-05", "2012-07-04",
                        "undated"]  # fmt: skip
    march = t.days[1].entries
    assert len(march) == 1 and march[0].document is DOCS[0] and march[0].own_day
    assert [f.name for f in march[0].facts] == ["Glucose", "LDL"]
    shot = t.days[4].entries[0]
    assert shot.document is DOCS[1] and not shot.own_day  # the record mentions this date
    by_hand = t.days[2].entries[0]
    assert by_hand.document is None and [f.name for f in by_hand.facts] == ["Aspirin"]


def test_filter_by_kind_keeps_documents_as_headings() -> None:
    t = timeline.build(DOCS, FACTS, kind="lab")
    assert _days(t) == ["2023-03-01"]
    (entry,) = t.days[0].entries
    assert entry.document is DOCS[0] and not entry.own_day
    docs_only = timeline.build(DOCS, FACTS, kind="document")
    assert _days(docs_only) == ["2024-06-01", "2023-03-01", "2020-05-05"]
    assert all(not e.facts for d in docs_only.days for e in d.entries)


def test_filter_by_year_and_facets() -> None:
    t = timeline.build(DOCS, FACTS, year=2023)
    assert _days(t) == ["2023-03-01"]
    assert t.kinds == {"document": 1, "lab": 2}  # kinds counted within the year
    assert dict(t.years) == {2024: 1, 2023: 3, 2021: 1, 2020: 1, 2012: 1}
    assert [y for y, _ in t.years] == [2024, 2023, 2021, 2020, 2012]
    labs = timeline.build(DOCS, FACTS, kind="lab")
    assert dict(labs.years) == {2023: 2}  # years counted within the kind


def _all_pages(
    documents: list[dict[str, object]], facts: list, **kw: object
) -> list[timeline.Timeline]:
    pages, after = [], ""
    while True:
        page = timeline.build(documents, facts, after=after, **kw)  # type: ignore[arg-type]
        pages.append(page)
        if not page.has_next:
            return pages
        assert page.after and page.after != after
        after = page.after


def _entries(pages: list[timeline.Timeline]) -> list[tuple[str, object]]:
    return [
        (str(d.day), e.document["id"] if e.document else None)
        for p in pages
        for d in p.days
        for e in d.entries
    ]


def test_pages_of_entries_over_days() -> None:
    many = [lab("Glucose", f"{2000 + n // 12}-{n % 12 + 1:02d}-01", 90.0, "mg/dL", doc=None)
            for n in range(timeline.ENTRIES_PER_PAGE + 5)]  # fmt: skip
    first, second = _all_pages([], many)
    assert len(first.days) == timeline.ENTRIES_PER_PAGE and first.has_next
    assert len(second.days) == 5 and not second.has_next and not second.after
    assert first.days[-1].day is not None and second.days[0].day is not None
    assert first.days[-1].day > second.days[0].day


def test_a_day_of_thousands_of_documents_is_paged_within_the_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timeline, "ENTRIES_PER_PAGE", 7)
    day = [doc(n, "2024-02-02") for n in range(10, 40)]  # 30 documents on one day
    older = [doc(5, "2020-01-01")]
    facts = [lab("Glucose", "2024-02-02", 90.0, "mg/dL", doc=n) for n in (12, 30)]
    facts.append(lab("Sodium", "2024-02-02", 140.0, "mmol/L", doc=None, status="manual"))
    pages = _all_pages([*day, *older], facts)
    assert [sum(len(d.entries) for d in p.days) for p in pages] == [7, 7, 7, 7, 4]
    # Every entry once, in the order of the whole timeline: the day's documents newest first,
    # then what was typed in by hand, then the older day.
    assert _entries(pages) == [
        *[("2024-02-02", n) for n in range(39, 9, -1)], ("2024-02-02", None), ("2020-01-01", 5)
    ]  # fmt: skip
    assert _entries(pages) == _entries([_whole([*day, *older], facts)])
    # A document keeps its facts on whichever page it falls.
    by_doc = {e.document["id"]: e for p in pages for d in p.days for e in d.entries if e.document}
    assert [f.name for f in by_doc[30].facts] == ["Glucose"] and by_doc[30].own_day
    # The cursor is the bookmark: the same page again from it.
    again = timeline.build([*day, *older], facts, after=pages[1].after)
    assert _entries([again]) == _entries([pages[2]])
    # Filters page the same way: only lab entries, then only documents of one year.
    labs_only = _all_pages([*day, *older], facts, kind="lab")
    assert _entries(labs_only) == [("2024-02-02", 30), ("2024-02-02", 12), ("2024-02-02", None)]
    assert not any(e.own_day for p in labs_only for d in p.days for e in d.entries)
    docs_2020 = _all_pages([*day, *older], facts, kind="document", year=2020)
    assert _entries(docs_2020) == [("2020-01-01", 5)]
    # A cursor that is not one starts at the newest.
    assert _entries([timeline.build(day, facts, after="x.y")]) == _entries([pages[0]])


def _whole(documents: list[dict[str, object]], facts: list) -> timeline.Timeline:
    """The whole timeline on one page."""
    old = timeline.ENTRIES_PER_PAGE
    timeline.ENTRIES_PER_PAGE = 10_000
    try:
        return timeline.build(documents, facts)
    finally:
        timeline.ENTRIES_PER_PAGE = old
