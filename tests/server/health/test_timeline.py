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


def test_pages_of_days() -> None:
    many = [lab("Glucose", f"{2000 + n // 12}-{n % 12 + 1:02d}-01", 90.0, "mg/dL", doc=None)
            for n in range(timeline.DAYS_PER_PAGE + 5)]  # fmt: skip
    first = timeline.build([], many)
    second = timeline.build([], many, page=2)
    assert len(first.days) == timeline.DAYS_PER_PAGE and first.has_next
    assert len(second.days) == 5 and not second.has_next
    assert first.days[-1].day is not None and second.days[0].day is not None
    assert first.days[-1].day > second.days[0].day
