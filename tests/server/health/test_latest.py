"""The bounded Lab overview (health.latest) gives what the full computation gives.

Property-style: random records (catalogue analytes in convertible and foreign units, names
the catalogue lacks spelt several ways, text results, undated and typed-in results, facts held
for review, rejected ones, a document naming another patient, one filed under another
profile) are read both ways, on the test database (SQLite or PostgreSQL).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from server.db.tables import CONFIRMED, EXTRACTED, MANUAL, REJECTED, Document
from server.facts.patient import MISMATCH
from server.health import labs, latest
from server.health.labs import Latest
from server.health.records import profile_facts
from server.people import household
from server.runtime import Services
from tests.fixtures.health_facts import add_document, add_fact

NAMES = [
    ("Glucose", "glucose", ["mg/dL", "mmol/L", "mg/dl", "g/L", ""]),
    ("Creatinine", "creatinine", ["mg/dL", "umol/L", "µmol/L", "%"]),
    ("Potassium", "potassium", ["mmol/L", "mEq/L"]),
    ("Hemoglobin", "hemoglobin", ["g/dL", "g/L", "mmol/L"]),
    ("HDL-C", "", ["mg/dL", "mmol/L"]),
    ("hdl c", "", ["mg/dL", "mg/L"]),
    ("Ferritin level", "", ["ng/mL", "ug/L", ""]),
]


def _shape(rows: list[Latest]) -> list[tuple[object, ...]]:
    return [
        (r.key, r.title, r.fact.id, r.count, r.direction, r.previous and r.previous.id)
        for r in rows
    ]


async def _random_record(rng: random.Random, profile: int, other: int, kind: str) -> None:
    start = date(2015, 1, 1)
    docs = []
    for n in range(rng.randint(2, 6)):
        day = start + timedelta(days=rng.randint(0, 60)) if rng.random() < 0.8 else None
        docs.append(await add_document(profile, f"report-{n}.pdf", doc_date=day))
    foreign = await add_document(profile, "someone-else.pdf", doc_date=start)
    await Document.update({Document.patient_check: MISMATCH}).where(Document.id == foreign)
    elsewhere = await add_document(other, "moved.pdf", doc_date=start)
    # in the trash: its results are in no profile meanwhile, and never shown
    trashed = await add_document(profile, "trashed.pdf", doc_date=start)
    await Document.update({Document.trashed_at: datetime.now(UTC)}).where(Document.id == trashed)
    await add_fact(None, trashed, kind, "Glucose", analyte="glucose", status=CONFIRMED,
                   value_num=1.0, value_text="1", unit="mg/dL")  # fmt: skip
    shown: list[int] = []
    for _ in range(rng.randint(1, 40)):
        name, analyte, units = rng.choice(NAMES)
        doc = rng.choice([*docs, *docs, *docs, None, foreign, elsewhere])
        numeric = rng.random() < 0.85
        value = round(rng.uniform(0.5, 200), rng.choice([0, 1, 2]))
        status = rng.choice([CONFIRMED, EXTRACTED, EXTRACTED, REJECTED, MANUAL])
        when = start + timedelta(days=rng.randint(0, 60))
        # another source's copy of a result (server/facts/same.py): shown with that result
        same_as = rng.choice(shown) if shown and rng.random() < 0.15 else None
        shown.append(
            await add_fact(
                profile,
                doc,
                kind,
                rng.choice([name, name.upper()]) if analyte else name,
                analyte=analyte,
                status=status,
                confidence=rng.choice([None, 0.95, 0.5]),
                effective=when if rng.random() < 0.6 else None,
                value_num=value if numeric else None,
                value_text=f"{value:g}" if numeric else rng.choice(["Negative", "see note"]),
                unit=rng.choice(units),
                seq=rng.randint(0, 3),
                data={"reference": {"bands": [{"low": 1, "high": 100}]}}
                if rng.random() < 0.5
                else {},
                same_as=same_as,
            )
        )


async def test_bounded_overview_equals_the_full_one_on_random_records(services: Services) -> None:
    other = (await household.add_profile("Other", slug="other"))["id"]
    compared = 0
    for seed in range(12):
        rng = random.Random(seed)
        profile = (await household.add_profile(f"P{seed}", slug=f"p{seed}"))["id"]
        kind = "lab" if seed % 3 else "vital"
        await _random_record(rng, profile, other, kind)
        full = labs.overview(await profile_facts(profile, kind), kind)
        fast = await latest.overview(profile, kind)
        assert _shape(fast) == _shape(full), f"seed {seed}"
        compared += len(full)
    assert compared > 20, "the records gave series to compare"


async def test_an_empty_record_has_no_series(services: Services) -> None:
    profile = (await household.add_profile("Empty", slug="empty"))["id"]
    assert await latest.overview(profile) == []
    doc = await add_document(profile, "r.pdf", doc_date=date(2020, 1, 1))
    await add_fact(profile, doc, "lab", "Glucose", analyte="glucose", status=REJECTED,
                   value_num=5.0, value_text="5", unit="mmol/L")  # fmt: skip
    assert await latest.overview(profile) == [], "a rejected result is never shown"


async def test_the_oldest_result_of_a_long_series_names_it(services: Services) -> None:
    """Only a group's newest days and its oldest day are ranked: its oldest result (which
    names a series spelt several ways, and orders its units) is read however many results
    lie between."""
    profile = (await household.add_profile("Long", slug="long"))["id"]
    start = date(2016, 3, 1)
    for n, (name, offset) in enumerate(
        [("HDL-C", 0), ("hdl c", 10), *[("HDL-C", 40 + i) for i in range(6)]]
    ):
        doc = await add_document(profile, f"r{n}.pdf", doc_date=start + timedelta(days=offset))
        await add_fact(profile, doc, "lab", name, status=CONFIRMED, value_num=50.0 + n,
                       value_text=f"{50 + n}", unit="mg/dL", confidence=0.95)  # fmt: skip
    full = labs.overview(await profile_facts(profile, "lab"), "lab")
    fast = await latest.overview(profile, "lab")
    assert _shape(fast) == _shape(full)
    assert [(r.title, r.count) for r in fast] == [("HDL-C", 8)], "named by its oldest result"
