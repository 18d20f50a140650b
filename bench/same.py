"""One-record benchmark: linking the same result from several sources (server/facts/same.py).

Run: uv run python bench/same.py [--facts 5000] [--docs 500] [--rounds 20]
Builds a throwaway SQLite profile with `--facts` lab facts over `--docs` documents, half of the
documents repeating the other half's results (so half the facts are another source's copy),
and times, against a baseline measured in the same run:
  - `same.relink` of the whole profile (what every new reading, move or correction costs),
    against a plain SELECT of the same rows (the floor: reading them at all);
  - `profile_facts(profile, "lab")` (the views' read, with each fact's other sources),
    against the same read of a profile with the same facts and no copies;
  - reading every document again (`--docs` relinks of one document's days in a row, as
    `persist.store` does), as after an upgrade.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.app import create_app  # noqa: E402
from server.db.tables import Document, Fact  # noqa: E402
from server.facts import same  # noqa: E402
from server.health.records import profile_facts  # noqa: E402
from server.people import household  # noqa: E402
from server.settings import load_settings  # noqa: E402

ANALYTES = [("Glucose", "glucose", "mg/dL"), ("Creatinine", "creatinine", "mg/dL"),
            ("Potassium", "potassium", "mmol/L"), ("Sodium", "sodium", "mmol/L"),
            ("Hemoglobin", "hemoglobin", "g/dL")]  # fmt: skip


async def _profile(slug: str, facts: int, docs: int, copies: bool) -> int:
    profile = (await household.add_profile(slug.title(), slug=slug))["id"]
    ids = []
    for i in range(docs):
        sha = hashlib.sha256(f"{slug} {i}".encode()).hexdigest()
        row = await Document.insert(
            Document(sha256=sha, original_name=f"{slug}-{i}.pdf", size=1, state="ready",
                     kind="pdf", profile=profile)
        ).returning(Document.id)  # fmt: skip
        ids.append(row[0]["id"])
    per_doc = max(1, facts // docs)
    batch = []
    for i in range(facts):
        d = i // per_doc % docs
        # With copies, document 2k+1 repeats document 2k's results (same day, value, unit).
        twin = d - d % 2 if copies else d
        n = twin * per_doc + i % per_doc
        name, key, unit = ANALYTES[n % len(ANALYTES)]
        batch.append(
            Fact(profile=profile, document=ids[d], kind="lab", name=name, analyte=key,
                 status="extracted", effective=date(2015, 1, 1) + timedelta(days=twin),
                 value_text=f"{50 + n % 40}", value_num=float(50 + n % 40), unit=unit,
                 page=1, data={})
        )  # fmt: skip
        if len(batch) == 500:
            await Fact.insert(*batch)
            batch = []
    if batch:
        await Fact.insert(*batch)
    return profile


async def _time(call: Callable[[], Awaitable[object]], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--facts", type=int, default=5000)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kinchart-same-"))
    settings = load_settings(
        environ={}, env_file=None, data_dir=work / "data", inbox_dir=work / "inbox"
    )
    app = create_app(settings, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        linked = await _profile("linked", args.facts, args.docs, copies=True)
        plain = await _profile("plain", args.facts, args.docs, copies=False)
        changed = await same.relink(linked)
        await same.relink(plain)
        copies = await Fact.count().where(Fact.same_as.is_not_null() & (Fact.profile == linked))
        print(
            f"machine: {os.cpu_count()} cores; {args.facts} lab facts over {args.docs} documents "
            f"per profile; {copies} of the linked profile's facts are another source's copy "
            f"({changed} set by the first relink); median of {args.rounds}"
        )

        def select() -> Awaitable[object]:
            return Fact.select(Fact.id, Fact.document, Fact.kind, Fact.value_num, Fact.unit,
                               Fact.effective, Fact.analyte, Fact.same_as).where(
                Fact.profile == linked)  # fmt: skip

        floor = await _time(select, args.rounds)
        relink = await _time(lambda: same.relink(linked), args.rounds)
        print(f"relink of the whole profile: {relink:.1f} ms  (plain SELECT of its rows: "
              f"{floor:.1f} ms, x{relink / floor:.1f})")  # fmt: skip
        with_links = await _time(lambda: profile_facts(linked, "lab"), args.rounds)
        without = await _time(lambda: profile_facts(plain, "lab"), args.rounds)
        shown = len(await profile_facts(linked, "lab"))
        print(f"profile_facts(lab): {with_links:.1f} ms for {shown} facts shown with their "
              f"sources  (no copies: {without:.1f} ms for {args.facts}, "
              f"x{with_links / without:.2f})")  # fmt: skip
        docs = [r["id"] for r in await Document.select(Document.id).where(
            Document.profile == linked)]  # fmt: skip
        t0 = time.perf_counter()
        for doc in docs:
            await same.relink(linked, document=doc)
        total = time.perf_counter() - t0
        after = await Fact.count().where(Fact.same_as.is_not_null() & (Fact.profile == linked))
        assert after == copies, (after, copies)
        print(f"every document read again ({args.docs} relinks): {total:.1f} s, "
              f"{total / args.docs * 1000:.1f} ms per document")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
