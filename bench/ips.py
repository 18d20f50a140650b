"""IPS and printed-summary benchmark: build time for a profile with 5,000 facts.

Run: uv run python bench/ips.py [--facts 5000] [--runs 20] [--pdf-runs 5]
Builds a throwaway SQLite household in the run (50 documents; lab results over 40 analytes
and several years, vital signs, medications, problems, allergies, immunizations), then times,
in the same run:
  baseline  reading the same facts (one query) and serialising them as plain JSON;
  summary   the clinician's read model (server.health.clinician);
  ips       the International Patient Summary Bundle, serialised as JSON;
  pdf       the printed summary (WeasyPrint), the QR of a share link included.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ocr.facts.catalogue import BY_KEY  # noqa: E402
from server.db.tables import CONFIRMED, EXTRACTED, Document, Fact  # noqa: E402
from server.health.clinician import clinician_summary  # noqa: E402
from server.health.records import profile_facts  # noqa: E402
from server.people import household  # noqa: E402
from server.runtime import running  # noqa: E402
from server.settings import load_settings  # noqa: E402
from server.shares.ips import build_ips  # noqa: E402
from server.shares.printable import summary_pdf  # noqa: E402

MEDS = ["Metformin", "Lisinopril", "Atorvastatin", "Levothyroxine", "Amlodipine", "Omeprazole"]
PROBLEMS = [
    ("Type 2 diabetes mellitus", "E11.9"),
    ("Hypertension", "I10"),
    ("Hyperlipidemia", "E78.5"),
    ("Hypothyroidism", "E03.9"),
]
VITALS = [("weight", 70.0, "kg"), ("heart_rate", 72.0, "/min"), ("bp_systolic", 128.0, "mmHg")]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def build(n_facts: int) -> int:
    profile = await household.add_profile("Bench Person", slug="bench", dob=date(1950, 1, 2))
    pid = int(profile["id"])
    analytes = [a for a in BY_KEY.values() if a.category == "lab" and a.unit][:40]
    docs = []
    start = date(2016, 1, 1)
    for i in range(50):
        sha = hashlib.sha256(f"bench ips {i}".encode()).hexdigest()
        day = start + timedelta(days=i * 70)
        rows = await Document.insert(
            Document(
                sha256=sha,
                original_name=f"report-{i:02d}.pdf",
                size=1000,
                mime="application/pdf",
                kind="pdf",
                state="ready",
                page_count=2,
                profile=pid,
                doc_date=day,
                doc_type="lab report",
            )
        ).returning(Document.id)
        docs.append((int(rows[0]["id"]), day))
    batch: list[Fact] = []
    for n in range(n_facts):
        doc, day = docs[n % len(docs)]
        status = CONFIRMED if n % 3 == 0 else EXTRACTED
        common: dict[str, Any] = dict(
            profile=pid,
            document=doc,
            status=status,
            seq=n,
            effective=day,
            confidence=0.95,
            page=1,
            boxes=[[0.1, 0.1, 0.3, 0.12]],
        )
        slot = n % 100
        if slot < 80:
            a = analytes[n % len(analytes)]
            value = 10.0 + (n % 17)
            data = {
                "name": a.name,
                "unit": a.unit,
                "value": {"text": f"{value:g}"},
                "reference": {"text": "5-20", "bands": [{"low": 5, "high": 20}]},
            }
            batch.append(
                Fact(
                    kind="lab",
                    name=a.name,
                    analyte=a.key,
                    code=a.loinc,
                    value_num=value,
                    value_text=f"{value:g}",
                    unit=a.unit or "",
                    flag="H" if value > 20 else "",
                    data=data,
                    **common,
                )
            )
        elif slot < 88:
            key, value, unit = VITALS[n % len(VITALS)]
            batch.append(
                Fact(
                    kind="vital",
                    name=key,
                    analyte=key,
                    value_num=value,
                    value_text=f"{value:g}",
                    unit=unit,
                    data={"unit": unit},
                    **common,
                )
            )
        elif slot < 94:
            med = MEDS[n % len(MEDS)]
            batch.append(
                Fact(
                    kind="medication",
                    name=med,
                    value_text="10 mg",
                    state="active",
                    data={"strength": "10 mg", "frequency": "daily"},
                    **common,
                )
            )
        elif slot < 97:
            name, icd = PROBLEMS[n % len(PROBLEMS)]
            batch.append(
                Fact(
                    kind="condition",
                    name=name,
                    code=icd,
                    state="active",
                    data={"icd10": icd},
                    **common,
                )
            )
        elif slot < 98:
            batch.append(
                Fact(
                    kind="allergy",
                    name="Penicillin",
                    value_text="Hives",
                    state="active",
                    data={"reaction": "Hives"},
                    **common,
                )
            )
        else:
            batch.append(
                Fact(
                    kind="immunization",
                    name="Influenza vaccine",
                    code="141",
                    state="completed",
                    data={},
                    **common,
                )
            )
        if len(batch) == 500:
            await Fact.insert(*batch)
            batch = []
    if batch:
        await Fact.insert(*batch)
    return pid


async def timed(runs: int, job: Callable[[], Awaitable[Any]]) -> tuple[list[float], Any]:
    out, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = await job()
        out.append((time.perf_counter() - t0) * 1000)
    return out, result


def line(name: str, values: list[float], base: float, extra: str = "") -> None:
    p50, p95 = statistics.median(values), pct(values, 95)
    print(f"{name:<9} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  ({p50 / base:5.1f}x baseline){extra}")


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--facts", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--pdf-runs", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kinchart-ips-"))
    settings = load_settings(
        environ={}, env_file=None, data_dir=work / "data", inbox_dir=work / "inbox"
    )
    async with running(settings, workers=False, watcher=False):
        t0 = time.perf_counter()
        pid = await build(args.facts)
        print(
            f"machine: {os.cpu_count()} cores; {args.facts} facts in one profile, 50 documents "
            f"(built in {time.perf_counter() - t0:.1f} s); {args.runs} runs, "
            f"{args.pdf_runs} for the PDF"
        )

        async def baseline() -> str:
            facts = await profile_facts(pid, held=True)
            return json.dumps(
                [
                    {**f.__dict__, "data": dict(f.data), "corrected": dict(f.corrected)}
                    for f in facts
                ],
                default=str,
            )

        async def ips() -> str:
            return json.dumps(await build_ips(pid))

        async def pdf() -> bytes:
            return await summary_pdf(pid, share_url="https://kinchart.example/s/abcdef#shlink:/x")

        await baseline(), await ips(), await pdf()  # warm caches, fonts and templates
        base, plain = await timed(args.runs, baseline)
        summary, built = await timed(args.runs, lambda: clinician_summary(pid))
        ips_ms, bundle = await timed(args.runs, ips)
        pdf_ms, printed = await timed(args.pdf_runs, pdf)
        b50 = statistics.median(base)
        line("baseline", base, b50, f"  {len(plain) / 1e6:.1f} MB of JSON")
        line("summary", summary, b50, f"  {len(built.entries)} items shown")
        entries = len(json.loads(bundle)["entry"])
        line("ips", ips_ms, b50, f"  {entries} entries, {len(bundle) / 1e3:.0f} kB")
        line("pdf", pdf_ms, b50, f"  {len(printed) / 1e3:.0f} kB")


if __name__ == "__main__":
    asyncio.run(main())
