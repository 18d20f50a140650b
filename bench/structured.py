"""Structured record benchmark: reading a generated FHIR bundle of 50 MB or more for facts.

Run: uv run python bench/structured.py [--mb 60] [--keep]

Builds a bundle from the Synthea bundles of ../shared/corpus/fhir (their entries repeated with
fresh ids until the size is reached), then reads it in a fresh process each way and prints
resources/s, seconds and peak RSS of `ocr.facts.fhir.read_fhir` (streamed, facts made) against
plain `json.load` of the same file (the whole bundle in memory, nothing made) in the same run.
Target: peak RSS at most 300 MB.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=60)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bundle.json"
        entries = generate(path, args.mb)
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
        if args.keep:
            kept = Path(tempfile.gettempdir()) / "kinchart-bench-bundle.json"
            path.replace(kept)
            print(f"kept {kept}")


if __name__ == "__main__":
    main()
