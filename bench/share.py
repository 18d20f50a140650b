"""Share benchmark: a clinician's share page and the SMART Health Link manifest (IPS as JWE)
for a profile with 5,000 facts.

Run: uv run python bench/share.py [--facts 5000] [--requests 200]
Builds a throwaway SQLite household in the run, drives the real app in-process (every
middleware and query, no network), and compares against /healthz (the floor: routing and
middleware only) measured in the same run. Also times building the IPS alone.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.app import create_app  # noqa: E402
from server.db.tables import CONFIRMED, EXTRACTED, Document, Fact, Page  # noqa: E402
from server.settings import load_settings  # noqa: E402
from server.shares import links  # noqa: E402
from server.shares.ips import build_ips  # noqa: E402
from server.vault import Vault  # noqa: E402
from tests.fixtures.people import caller_named, make_household  # noqa: E402

LABS = [  # name, analyte, LOINC, unit, low, high, typical
    ("Glucose", "glucose", "2345-7", "mg/dL", 70, 99, 95),
    ("Creatinine", "creatinine", "2160-0", "mg/dL", 0.6, 1.3, 1.0),
    ("Potassium", "potassium", "2823-3", "mmol/L", 3.5, 5.1, 4.2),
    ("Sodium", "sodium", "2951-2", "mmol/L", 135, 145, 140),
    ("Hemoglobin", "hemoglobin", "718-7", "g/dL", 12, 16, 13.5),
    ("Cholesterol", "cholesterol", "2093-3", "mg/dL", 0, 200, 190),
    ("Hemoglobin A1c", "hba1c", "4548-4", "%", 4.0, 5.6, 5.9),
    ("TSH", "tsh", "3016-3", "mIU/L", 0.4, 4.0, 2.1),
]
VITALS = [
    ("Heart rate", "heart_rate", "8867-4", "/min", 72),
    ("Body weight", "weight", "29463-7", "kg", 80),
]
OTHER = [
    ("medication", "Metformin 500 mg", "active"),
    ("medication", "Lisinopril 10 mg", "active"),
    ("condition", "Type 2 diabetes mellitus", "active"),
    ("condition", "Hypertension", "active"),
    ("allergy", "Penicillin", "active"),
    ("immunization", "Influenza vaccine", ""),
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _facts(profile: int, n_facts: int) -> int:
    """`n_facts` facts over documents of 100 facts each, a visit every two weeks; the id of
    the newest document."""
    start = date(2010, 1, 1)
    made, doc_id, day = 0, 0, 0
    while made < n_facts:
        when = start + timedelta(days=14 * day)
        day += 1
        sha = hashlib.sha256(f"bench share {day}".encode()).hexdigest()
        rows = await Document.insert(
            Document(
                sha256=sha,
                original_name=f"visit-{when}.pdf",
                size=1000,
                mime="application/pdf",
                kind="pdf",
                page_count=1,
                state="ready",
                profile=profile,
                doc_type="lab report",
                doc_date=when,
            )
        ).returning(Document.id)
        doc_id = rows[0]["id"]
        await Page.insert(Page(document=doc_id, number=1, text="Glucose 95 mg/dL", words=[]))
        batch = []
        for seq in range(min(100, n_facts - made)):
            status = CONFIRMED if seq % 3 == 0 else EXTRACTED
            common = dict(
                profile=profile,
                document=doc_id,
                status=status,
                seq=seq,
                effective=when,
                page=1,
                boxes=[[0.1, 0.1, 0.4, 0.12]],
                line="Glucose 95 mg/dL",
                confidence=0.95,
            )
            pick = seq % 16
            if pick < len(LABS):
                name, analyte, code, unit, low, high, typical = LABS[pick]
                value = round(typical * (0.9 + (seq % 7) / 30), 2)
                data = {
                    "name": name,
                    "unit": unit,
                    "value": {"text": f"{value:g}", "comparator": None},
                    "reference": {
                        "text": f"{low}-{high}",
                        "bands": [{"low": low, "high": high, "sex": None}],
                    },
                }
                batch.append(
                    Fact(
                        kind="lab",
                        name=name,
                        analyte=analyte,
                        code=code,
                        value_num=value,
                        value_text=f"{value:g}",
                        unit=unit,
                        flag="H" if value > high else "",
                        data=data,
                        **common,
                    )
                )
            elif pick < len(LABS) + len(VITALS):
                name, analyte, code, unit, typical = VITALS[pick - len(LABS)]
                batch.append(
                    Fact(
                        kind="vital",
                        name=name,
                        analyte=analyte,
                        code=code,
                        value_num=typical,
                        value_text=str(typical),
                        unit=unit,
                        data={"name": name, "unit": unit},
                        **common,
                    )
                )
            else:
                kind, name, state = OTHER[pick % len(OTHER)]
                batch.append(Fact(kind=kind, name=name, state=state, data={"name": name}, **common))
        await Fact.insert(*batch)
        made += len(batch)
    return int(doc_id)


# CPU time of this process per request, beside the wall time: on a machine shared with other
# work the wall time includes waiting for a core; the CPU time is what the request costs.
CPU: dict[str, list[float]] = {}


async def timed_get(client: httpx.AsyncClient, url: str, n: int) -> list[float]:
    out, cpu = [], CPU.setdefault(url, [])
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        r = await client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return out


async def timed_post(client: httpx.AsyncClient, url: str, n: int, body: dict) -> list[float]:
    out, cpu = [], CPU.setdefault(url, [])
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        r = await client.post(url, json=body)
        out.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        assert r.json()["files"][0]["embedded"].count(".") == 4  # compact JWE
    return out


def line(name: str, values: list[float], url: str, target: str = "") -> str:
    cpu = CPU[url]
    return (
        f"{name:44s} p50 {pct(values, 50):6.1f} ms  p95 {pct(values, 95):6.1f} ms"
        f"  (CPU p50 {pct(cpu, 50):6.1f}, p95 {pct(cpu, 95):6.1f})"
        + (f"  target p95 <= {target}" if target else "")
    )


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--facts", type=int, default=5000)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kinchart-share-"))
    settings = load_settings(
        environ={}, env_file=None, data_dir=work / "data", inbox_dir=work / "inbox"
    )
    app = create_app(settings, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        h = await make_household(app.state.services.store)
        dad = h.profiles["dad"]
        t0 = time.perf_counter()
        newest = await _facts(dad, args.facts)
        built_in = time.perf_counter() - t0
        vault = Vault(settings.data_dir)
        _, token = await links.create(
            await caller_named("olga"), vault, dad, documents=[newest], expires="never"
        )
        t1 = time.perf_counter()
        bundle = await build_ips(dad, document_ids=[newest])
        ips_ms = (time.perf_counter() - t1) * 1000
        ips_times = []
        for _ in range(20):
            t2 = time.perf_counter()
            await build_ips(dad, document_ids=[newest])
            ips_times.append((time.perf_counter() - t2) * 1000)
        print(
            f"machine: {os.cpu_count()} cores; {args.facts} facts in one profile (built in "
            f"{built_in:.1f} s); {args.requests} requests each; IPS bundle "
            f"{len(bundle.get('entry', []))} entries, {len(json.dumps(bundle)) // 1024} KB"
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            floor = await timed_get(c, "/healthz", args.requests)
            page = await timed_get(c, f"/s/{token}", args.requests)
            manifest_url = f"/shl/{token}/manifest"
            manifest = await timed_post(
                c, manifest_url, args.requests // 2, {"recipient": "Bench clinic"}
            )
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        print(line("floor: /healthz (middleware only)", floor, "/healthz"))
        print(line("share page (/s/<token>, clinician summary)", page, f"/s/{token}", "100 ms"))
        print(line("manifest POST (IPS build + JWE)", manifest, manifest_url, "150 ms"))
        print(
            f"{'IPS build alone':48s} first {ips_ms:6.1f} ms  p50 {pct(ips_times, 50):6.1f} ms"
            f"  p95 {pct(ips_times, 95):6.1f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main())
