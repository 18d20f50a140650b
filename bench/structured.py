"""Structured record benchmark: reading a generated FHIR bundle of 50 MB or more for facts,
and writing a profile's take-it-with-you archive.

Run: uv run python bench/structured.py [--mb 60] [--keep] [--docs 500 --facts 5000 --doc-kb 200]
     [--only import|export]

Builds a bundle from the Synthea bundles of ../shared/corpus/fhir (their entries repeated with
fresh ids until the size is reached), then reads it in a fresh process each way and prints
resources/s, seconds and peak RSS of `ocr.facts.fhir.read_fhir` (streamed, facts made) against
plain `json.load` of the same file (the whole bundle in memory, nothing made) in the same run.
Target: peak RSS at most 300 MB.

Export: a profile of `--facts` facts and `--docs` documents (originals of `--doc-kb` KB, half
random bytes as in a scan's compressed image, half text) in a fresh SQLite data folder; prints
seconds and MB/s of `server.shares.archive.build` against a plain zipfile of the same originals
(deflate, level 1), in the same run (best of `--runs`); and, for a like-for-like view, against a
plain zipfile that stores its PDFs as the archive does (PDFs are compressed already; the
generated ones here are half random, half plain text, so deflate still halves them).
Target: at least 0.5 of the plain zip's speed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "fhir" / "bundles"


def generate(path: Path, megabytes: int) -> int:
    """Write a collection Bundle of at least `megabytes`; returns its number of entries."""
    entries = [
        e
        for bundle in sorted(CORPUS.glob("*.json"))
        for e in json.loads(bundle.read_text())["entry"]
    ]
    target = megabytes * 1024 * 1024
    count = 0
    with path.open("w") as f:
        f.write('{"resourceType": "Bundle", "type": "collection", "entry": [')
        while f.tell() < target:
            for entry in entries:
                resource = dict(entry["resource"], id=f"r{count}")
                f.write(("," if count else "") + json.dumps({"resource": resource}))
                count += 1
        f.write("]}")
    return count


def _child(mode: str, path: Path) -> None:
    started = time.perf_counter()
    if mode == "fhir":
        from ocr.facts.fhir import read_fhir

        facts = read_fhir(path)
        made = len(facts.labs) + len(facts.medications) + len(facts.conditions)
        made += len(facts.allergies) + len(facts.immunizations)
    else:
        with path.open() as f:
            data = json.load(f)
        made = len(data["entry"])
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "made": made}))


def _run(mode: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


async def _export_bench(docs: int, facts: int, doc_kb: int, runs: int) -> None:
    import asyncio
    import os
    import random
    import zipfile
    from datetime import date, timedelta

    from server.db.tables import CONFIRMED, EXTRACTED, Document, Fact
    from server.people import household
    from server.runtime import running
    from server.settings import load_settings
    from server.shares import archive

    work = Path(tempfile.mkdtemp(prefix="kinchart-export-"))
    settings = load_settings(
        environ={}, env_file=None, data_dir=work / "data", inbox_dir=work / "inbox"
    )
    async with running(settings, workers=False, watcher=False) as services:
        pid = (await household.add_profile("Bench Person", slug="bench"))["id"]
        rng = random.Random(7)
        text = b"Glucose 98 mg/dL 70-99  HbA1c 5.4 % 4.0-5.6  LDL 120 mg/dL <130\n" * 4000
        doc_ids, paths = [], []
        for n in range(docs):
            src = work / f"doc{n}.pdf"
            half = doc_kb * 512
            src.write_bytes(b"%PDF-1.4\n" + rng.randbytes(half) + text[:half] + str(n).encode())
            sha, size = services.store.put_original(src, max_bytes=1 << 30, move=True)
            paths.append(services.store.original_path(sha))
            rows = await Document.insert(
                Document(sha256=sha, original_name=f"report-{n % 50}.pdf", size=size,
                         mime="application/pdf", kind="pdf", state="ready", profile=pid,
                         doc_type="lab report", doc_date=date(2020, 1, 1) + timedelta(n))
            ).returning(Document.id)  # fmt: skip
            doc_ids.append(rows[0]["id"])
        made = []
        for n in range(facts):
            value = 50 + n % 100
            made.append(Fact(
                profile=pid, document=doc_ids[n % docs], kind="lab" if n % 5 else "vital",
                status=CONFIRMED if n % 3 == 0 else EXTRACTED, seq=n, name=f"Test {n % 40}",
                analyte=f"test{n % 40}", value_text=str(value), value_num=float(value),
                unit="mg/dL", effective=date(2020, 1, 1) + timedelta(n % 2000), confidence=0.9,
                page=1, boxes=[[0.1, 0.2, 0.3, 0.22]], line=f"Test {n % 40} {value} mg/dL",
                data={"key": f"lab|1|t{n}", "unit": "mg/dL",
                      "reference": {"text": "40-140", "bands": []}},
            ))  # fmt: skip
            if len(made) == 40:
                await Fact.insert(*made)
                made = []
        if made:
            await Fact.insert(*made)
        total_mb = sum(p.stat().st_size for p in paths) / 1024 / 1024

        def plain(target: Path, how: int) -> None:
            with zipfile.ZipFile(target, "w", compression=archive.COMPRESSION,
                                 compresslevel=archive.COMPRESS_LEVEL) as z:  # fmt: skip
                for i, path in enumerate(paths):
                    z.write(path, f"originals/{i}.pdf", compress_type=how)

        best_plain = best_same = best_ours = float("inf")
        size = 0
        same = archive.compression_for("application/pdf")
        for _ in range(runs):
            t0 = time.perf_counter()
            await asyncio.to_thread(plain, work / "plain.zip", archive.COMPRESSION)
            best_plain = min(best_plain, time.perf_counter() - t0)
            t0 = time.perf_counter()
            await asyncio.to_thread(plain, work / "plain.zip", same)
            best_same = min(best_same, time.perf_counter() - t0)
            t0 = time.perf_counter()
            built = await archive.build(services.store, pid, work / "archive.zip")
            best_ours = min(best_ours, time.perf_counter() - t0)
            size = built.size
        print(f"export: {docs} documents ({total_mb:.1f} MB of originals), {facts} facts; "
              f"{os.cpu_count()} cores; best of {runs}")  # fmt: skip
        for name, sec in (
            ("plain zip (baseline)", best_plain),
            ("plain zip, PDFs stored", best_same),  # the archive's own choice for PDFs
            ("kinchart archive", best_ours),
        ):
            print(f"{name:24s} {sec:6.2f} s  {total_mb / sec:7.1f} MB/s")
        from server.shares.printable import summary_pdf
        from server.shares.record import record_bundle

        t0 = time.perf_counter()
        await summary_pdf(pid)
        pdf_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        await record_bundle(pid)
        fhir_s = time.perf_counter() - t0
        print(f"of which fixed costs, alone: summary PDF {pdf_s:.2f} s, FHIR bundle {fhir_s:.2f} s")
        ratio = best_plain / best_ours
        print(f"archive {size / 1024 / 1024:.1f} MB; speed {ratio:.2f} of plain zip: "
              f"target >= 0.5 {'met' if ratio >= 0.5 else 'MISSED'}; "
              f"{best_same / best_ours:.2f} of a plain zip storing its PDFs as the archive "
              "does")  # fmt: skip
    import shutil

    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=60)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--facts", type=int, default=5000)
    parser.add_argument("--doc-kb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("import", "export"), default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    if args.only != "export":
        _import_bench(args.mb, args.keep)
    if args.only != "import":
        import asyncio

        asyncio.run(_export_bench(args.docs, args.facts, args.doc_kb, args.runs))


def _import_bench(mb: int, keep: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bundle.json"
        entries = generate(path, mb)
        size = path.stat().st_size / 1024 / 1024
        print(f"bundle: {size:.1f} MB, {entries} entries")
        baseline = _run("json", path)
        ours = _run("fhir", path)
        for name, r in (("json.load (baseline)", baseline), ("read_fhir (streamed)", ours)):
            print(
                f"{name:22s} {r['seconds']:6.2f} s  {entries / r['seconds']:9.0f} resources/s  "
                f"peak RSS {r['peak_mb']:6.0f} MB  ({int(r['made'])} made)"
            )
        verdict = "met" if ours["peak_mb"] <= 300 else "MISSED"
        print(f"target peak RSS <= 300 MB: {verdict}")
        if keep:
            kept = Path(tempfile.gettempdir()) / "kinchart-bench-bundle.json"
            path.replace(kept)
            print(f"kept {kept}")


if __name__ == "__main__":
    main()
