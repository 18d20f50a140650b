"""Page benchmark: server time of the pages of one profile with 5,000 documents and 20,000
facts (1,000 of them still to check): home, document list and grid, document page, Summary,
Lab overview, Timeline and the facts review page.

Run: uv run python bench/pages.py [--docs 5000] [--facts 20000] [--open 1000] [--requests 200]
[--cold 5] [--profile] (the first request after a write to the profile: `--cold` of each, and
with `--profile` a cProfile of one, our code's lines; the database's time shows as waiting)
Builds a throwaway SQLite household in the run, drives the real app in-process (every
middleware, session lookup and query, no network), and compares against /healthz (the
floor: routing and middleware only) measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.app import create_app  # noqa: E402
from server.db.tables import Document, Fact, Page  # noqa: E402
from server.settings import load_settings  # noqa: E402
from tests.fixtures.people import PASSWORD, make_household  # noqa: E402

WORDS = [
    "glucose",
    "creatinine",
    "hemoglobin",
    "potassium",
    "sodium",
    "cholesterol",
    "triglycerides",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def timed(client: httpx.AsyncClient, url: str, n: int, **kw: object) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = await client.get(url, **kw)  # type: ignore[arg-type]
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return out


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--facts", type=int, default=20000)
    ap.add_argument("--open", type=int, default=1000, help="facts still to check")
    ap.add_argument("--meds", type=int, default=600, help="medication facts, besides --facts")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--cold", type=int, default=5, help="requests each after a write")
    ap.add_argument(
        "--profile", action="store_true", help="a cProfile of each first request after a write"
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kinchart-pages-"))
    settings = load_settings(
        environ={}, env_file=None, data_dir=work / "data", inbox_dir=work / "inbox"
    )
    app = create_app(settings, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        h = await make_household(app.state.services.store)
        dad = h.profiles["dad"]
        t0 = time.perf_counter()
        batch = []
        for i in range(args.docs):
            sha = hashlib.sha256(f"bench {i}".encode()).hexdigest()
            batch.append(
                Document(
                    sha256=sha,
                    original_name=f"lab-report-{i:05d}.pdf",
                    size=1000,
                    mime="application/pdf",
                    kind="pdf",
                    page_count=3,
                    state="failed" if i % 97 == 0 else "ready",
                    profile=dad,
                )
            )
            if len(batch) == 500:
                await Document.insert(*batch)
                batch = []
        if batch:
            await Document.insert(*batch)
        target = (
            await Document.select(Document.id)
            .where(Document.profile == dad)
            .order_by(Document.id, ascending=False)
            .first()
        )
        assert target
        doc_id = target["id"]
        await Page.insert(
            *[
                Page(document=doc_id, number=n, text=" ".join(WORDS * 60), words=[])
                for n in range(1, 4)
            ]
        )
        await _facts(dad, args.facts, args.open)
        await _medications(dad, args.meds)
        print(
            f"machine: {os.cpu_count()} cores; {args.docs} documents and {args.facts} facts "
            f"({args.open} to check) and {args.meds} medication mentions in one profile "
            f"(built in {time.perf_counter() - t0:.1f} s); {args.requests} requests each"
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            logins = []
            for _ in range(10):
                page = await c.get("/login")
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                assert token
                t1 = time.perf_counter()
                r = await c.post(
                    "/login",
                    data={"username": "alice", "password": PASSWORD, "csrf_token": token.group(1)},
                )
                logins.append((time.perf_counter() - t1) * 1000)
                assert r.status_code == 303
            floor = await timed(c, "/healthz", args.requests)
            results = {
                "document list (/profiles/dad, 50 of 5,000)": await timed(
                    c, "/profiles/dad", args.requests
                ),
                "document list, htmx partial": await timed(
                    c, "/profiles/dad?page=3", args.requests, headers={"HX-Request": "true"}
                ),
                "all documents (/documents)": await timed(c, "/documents", args.requests),
                "document page (3 pages of text)": await timed(
                    c, f"/documents/{doc_id}", args.requests
                ),
                "home (/)": await timed(c, "/", args.requests),
                "document grid (/profiles/dad?view=grid)": await timed(
                    c, "/profiles/dad?view=grid", args.requests
                ),
                "Summary": await timed(c, "/profiles/dad/summary", args.requests),
                "Lab overview": await timed(c, "/profiles/dad/labs", args.requests),
                "Timeline": await timed(c, "/profiles/dad/timeline", args.requests),
                "Medications": await timed(c, "/profiles/dad/medications", args.requests),
                "Appointments": await timed(c, "/profiles/dad/appointments", args.requests),
                "facts review (open facts)": await timed(c, "/profiles/dad/review", args.requests),
            }
            # The health views keep what they computed until the profile's facts or documents
            # change (server/health/readmodel.py): the first request after a write computes
            # it again. Measured apart: a fact confirmed before each request.
            cold = {
                name: await _after_writes(c, dad, url, args.cold)
                for name, url in [
                    ("Summary", "/profiles/dad/summary"),
                    ("Lab overview", "/profiles/dad/labs"),
                    ("Timeline", "/profiles/dad/timeline"),
                    ("Medications", "/profiles/dad/medications"),
                ]
            }
            profiles = {}
            if args.profile:
                for url in ("summary", "labs", "timeline", "medications"):
                    profiles[url] = await _profiled(c, dad, f"/profiles/dad/{url}")
        print(
            f"{'floor: /healthz (middleware only)':48s} p50 {pct(floor, 50):6.1f} ms  "
            f"p95 {pct(floor, 95):6.1f} ms"
        )
        for name, values in results.items():
            print(
                f"{name:48s} p50 {pct(values, 50):6.1f} ms  p95 {pct(values, 95):6.1f} ms"
                f"  (target p95 <= 100 ms)"
            )
        for name, values in cold.items():
            label = f"{name}, first request after a write"
            print(f"{label:48s} p50 {pct(values, 50):6.1f} ms  max {max(values):6.1f} ms")
        for url, text in profiles.items():
            print(f"--- cProfile: {url}, first request after a write ---\n{text}")
        print(
            f"{'login (argon2id verify + session)':48s} p50 {statistics.median(logins):6.1f} ms"
            f"  max {max(logins):6.1f} ms"
        )


async def _after_writes(c: httpx.AsyncClient, profile: int, url: str, n: int) -> list[float]:
    """Each request right after a write to the profile (a fact confirmed, then reopened)."""
    fact = (
        await Fact.select(Fact.id)
        .where((Fact.profile == profile) & (Fact.status == "extracted"))
        .first()
    )
    assert fact
    out = []
    for i in range(n):
        status = "confirmed" if i % 2 == 0 else "extracted"
        await Fact.update({Fact.status: status}).where(Fact.id == fact["id"])
        out += await timed(c, url, 1)
    await Fact.update({Fact.status: "extracted"}).where(Fact.id == fact["id"])
    return out


async def _profiled(c: httpx.AsyncClient, profile: int, url: str) -> str:
    """cProfile of one first request after a write (the database's own threads not included:
    time they take shows as waiting in the event loop)."""
    import cProfile
    import io
    import pstats

    fact = (
        await Fact.select(Fact.id)
        .where((Fact.profile == profile) & (Fact.status == "extracted"))
        .first()
    )
    assert fact
    await Fact.update({Fact.status: "confirmed"}).where(Fact.id == fact["id"])
    prof = cProfile.Profile()
    prof.enable()
    await timed(c, url, 1)
    prof.disable()
    await Fact.update({Fact.status: "extracted"}).where(Fact.id == fact["id"])
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats.print_stats("/server/|/templates/|jinja2", 25)  # our code (the rest: the framework)
    return out.getvalue()


ANALYTES = [
    ("Glucose", "glucose", "mg/dL", 70, 99),
    ("Creatinine", "creatinine", "mg/dL", 0.6, 1.3),
    ("Potassium", "potassium", "mmol/L", 3.5, 5.1),
    ("Sodium", "sodium", "mmol/L", 135, 145),
    ("Hemoglobin A1c", "hba1c", "%", 4.0, 5.6),
    ("Cholesterol", "cholesterol", "mg/dL", 100, 199),
    ("Triglycerides", "triglycerides", "mg/dL", 0, 149),
    ("Hemoglobin", "hemoglobin", "g/dL", 13.5, 17.5),
]


async def _facts(profile: int, n: int, still_open: int) -> None:
    """`n` lab facts spread over the profile's ready documents and 15 years, the newest
    `still_open` unchecked (extracted, confident), the rest confirmed; one in 12 flagged."""
    docs = [
        r["id"]
        for r in await Document.select(Document.id)
        .where((Document.profile == profile) & (Document.state == "ready"))
        .order_by(Document.id)
    ]
    start = date(2011, 1, 1)
    batch = []
    for i in range(n):
        name, key, unit, low, high = ANALYTES[i % len(ANALYTES)]
        value = round(low + (high - low) * ((i * 37) % 100) / 80, 2)
        flag = "H" if i % 12 == 0 else ""
        doc = docs[(i // 4) % len(docs)]
        day = start + timedelta(days=(doc * 3) % 5400)
        batch.append(
            Fact(
                profile=profile,
                document=doc,
                kind="lab",
                name=name,
                analyte=key,
                status="extracted" if i >= n - still_open else "confirmed",
                confidence=0.95,
                seq=i % 4,
                effective=day,
                value_text=f"{value:g}",
                value_num=value,
                unit=unit,
                flag=flag,
                page=1,
                data={
                    "name": name,
                    "unit": unit,
                    "value": {"text": f"{value:g}", "comparator": None},
                    "reference": {
                        "text": f"{low}-{high}",
                        "bands": [{"low": low, "high": high, "sex": None}],
                    },
                },
            )
        )
        if len(batch) == 1000:
            await Fact.insert(*batch)
            batch = []
    if batch:
        await Fact.insert(*batch)


async def _medications(profile: int, n: int) -> None:
    """`n` medication mentions: 60 medicines over the profile's documents and 15 years, one
    in 9 stopped; enough lists for older ones, stopped ones and disagreements."""
    docs = [
        r["id"]
        for r in await Document.select(Document.id)
        .where((Document.profile == profile) & (Document.state == "ready"))
        .order_by(Document.id)
    ]
    start = date(2011, 1, 1)
    rows = []
    for i in range(n):
        doc = docs[(i * 7) % len(docs)]
        strength = f"{(5, 10, 20)[i % 3]} mg"
        state = "stopped" if i % 9 == 0 else "active"
        rows.append(
            Fact(
                profile=profile, document=doc, kind="medication", name=f"Medicine {i % 60:02d}",
                status="confirmed", confidence=0.95, seq=i % 4,
                effective=start + timedelta(days=(i * 11) % 5400), value_text=strength,
                state=state, page=1,
                data={"strength": strength, "frequency": "once daily", "status": state},
            )
        )  # fmt: skip
    if rows:
        await Fact.insert(*rows)


if __name__ == "__main__":
    asyncio.run(main())
