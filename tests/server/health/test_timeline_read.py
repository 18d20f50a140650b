"""A timeline page read bounded (health.timeline_read) is the page `timeline.build` makes from
the whole record: same days, entries, facts, counts and paging, for every filter.

Property-style on random records (dated and undated documents, facts dated by themselves,
by their document or by the day it arrived, typed-in facts with no date, held, rejected and
foreign facts, a document under another profile), on the test database.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.db.tables import CONFIRMED, EXTRACTED, MANUAL, REJECTED, Document
from server.facts.patient import MISMATCH
from server.health import timeline, timeline_read
from server.health.records import profile_documents, profile_facts
from server.people import household
from server.runtime import Services
from tests.fixtures.health_facts import add_document, add_fact

KINDS = ["lab", "vital", "medication", "condition", "allergy", "immunization"]


def _shape(t: timeline.Timeline) -> Any:
    days = [
        (
            d.day,
            [
                (e.document["id"] if e.document else None, e.own_day, [f.id for f in e.facts])
                for e in d.entries
            ],
        )
        for d in t.days
    ]
    return days, t.kinds, t.years, t.has_next, t.after


async def _random_record(rng: random.Random, profile: int, other: int) -> None:
    start = date(2014, 1, 1)
    docs = []
    for n in range(rng.randint(3, 12)):
        day = start + timedelta(days=rng.randint(0, 900)) if rng.random() < 0.7 else None
        docs.append(await add_document(profile, f"doc-{n}.pdf", doc_date=day))
    foreign = await add_document(profile, "someone-else.pdf", doc_date=start)
    await Document.update({Document.patient_check: MISMATCH}).where(Document.id == foreign)
    failed = await add_document(profile, "failed.pdf", doc_date=start)
    await Document.update({Document.state: "failed"}).where(Document.id == failed)
    elsewhere = await add_document(other, "moved.pdf", doc_date=start)
    # in the trash: neither it nor its facts (which are in no profile meanwhile) are shown
    trashed = await add_document(profile, "trashed.pdf", doc_date=start + timedelta(days=5))
    await Document.update({Document.trashed_at: datetime.now(UTC)}).where(Document.id == trashed)
    await add_fact(None, trashed, "lab", "Glucose", status=CONFIRMED, effective=start)
    shown: list[int] = []
    for _ in range(rng.randint(0, 60)):
        when = start + timedelta(days=rng.randint(0, 900))
        same_as = rng.choice(shown) if shown and rng.random() < 0.15 else None
        shown.append(
            await add_fact(
                profile,
                rng.choice([*docs, *docs, None, foreign, failed, elsewhere]),
                rng.choice(KINDS),
                rng.choice(["Glucose", "Metformin", "Asthma", "Penicillin", "MMR"]),
                status=rng.choice([CONFIRMED, EXTRACTED, EXTRACTED, REJECTED, MANUAL]),
                confidence=rng.choice([None, 0.95, 0.5]),
                effective=when if rng.random() < 0.5 else None,
                seq=rng.randint(0, 5),
                same_as=same_as,  # another source's copy of a result: not an entry of its own
            )
        )


async def test_bounded_page_equals_the_full_build(services: Services, monkeypatch: Any) -> None:
    monkeypatch.setattr(timeline, "ENTRIES_PER_PAGE", 4)  # several pages from small records
    other = (await household.add_profile("Other", slug="other"))["id"]
    compared = undated = paged = anywhere = 0
    for seed in range(8):
        rng = random.Random(seed)
        profile = (await household.add_profile(f"P{seed}", slug=f"p{seed}"))["id"]
        await _random_record(rng, profile, other)
        documents, facts = await profile_documents(profile), await profile_facts(profile)
        years = sorted({f.when.year for f in facts if f.when} | {2013})
        for kind in ["", "document", rng.choice(KINDS)]:
            for year in [None, rng.choice(years)]:
                after, pages = "", 0
                while True:  # every page, to the last (the undated facts)
                    full = timeline.build(documents, facts, kind=kind, year=year, after=after)
                    fast = await timeline_read.page(profile, kind=kind, year=year, after=after)
                    assert _shape(fast) == _shape(full), (seed, kind, year, after)
                    compared += sum(len(e.facts) + 1 for d in full.days for e in d.entries)
                    undated += sum(1 for d in full.days if d.day is None)
                    pages += 1
                    if not full.has_next:
                        break
                    after = full.after
                if pages > 1:
                    paged += 1
        # a cursor anywhere, not only where a page ended (a bookmarked or edited URL, or a
        # page whose entries changed since): the page starts after that place all the same
        doc_ids = [int(d["id"]) for d in documents] + [0, 10**6]
        for _ in range(12):
            day = rng.choice([None, date(2014, 1, 1) + timedelta(days=rng.randint(-30, 930))])
            after = timeline.cursor(day, rng.random() < 0.5, rng.choice(doc_ids))
            for kind in ["", "document", rng.choice(KINDS)]:
                year = rng.choice([None, *years])
                full = timeline.build(documents, facts, kind=kind, year=year, after=after)
                fast = await timeline_read.page(profile, kind=kind, year=year, after=after)
                assert _shape(fast) == _shape(full), (seed, kind, year, after)
                anywhere += 1
    assert anywhere and compared > 100, "the records gave pages to compare"
    assert undated, "some pages ended with facts that have no date"
    assert paged > 10, "many filters gave more than one page"
