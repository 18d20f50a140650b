"""`kinchart ingest ../shared/corpus/scans`: every file ends ready or failed with a reason."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from server.settings import Settings
from tests.conftest import CORPUS
from tests.fixtures.procs import kinchart, kinchart_json

SCANS = CORPUS / "scans"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.slow,
    pytest.mark.skipif(not SCANS.is_dir(), reason="../shared/corpus is not present"),
]

# Files whose right outcome is a failure with a reason a person can act on. (The damaged
# paperless__invalid_pdf.pdf is repairable and reads; the stress files are checked below.)
MUST_FAIL = {
    "error_cases/ocrmypdf__invalid.pdf": "damaged",
    "error_cases/paperless__encrypted.pdf": "password",
    "error_cases/paperless__password-is-test.pdf": "password",
}
# Text the linn.png brochure (and its skewed, rotated, fax and JBIG2 versions) must yield.
LINN_WORDS = ["LinnSequencer", "MIDI", "polyphonic", "tracks"]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _expectations() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with open(SCANS / "manifest.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            raw = row["expected_text_substrings"].strip()
            if not raw or row["file"].endswith(".txt"):
                continue
            if raw == "see linn.txt":
                out[row["file"]] = LINN_WORDS
            elif row["file"].endswith("rtl-test.pdf"):
                continue  # checked below: the Arabic may come out in either order
            elif row["file"] == "paperless__simple.heic":
                # The manifest copies "This is a test document." from its neighbours, but this
                # photo is of a recipe page (looked at): check what it really shows.
                out[row["file"]] = ["pizza dough", "store-bought yeast", "thoroughly combine"]
            elif row["file"].endswith("signed.pdf"):
                out[row["file"]] = ["This is a digitally signed PDF"]
            else:
                raw = re.sub(r"\s*\([^)]*\)\s*$", "", raw)  # drop notes like "(case-insensitive…)"
                out[row["file"]] = [s.strip() for s in raw.split(" | ") if s.strip()]
    return out


def test_ingest_whole_corpus(settings: Settings, env: dict[str, str]) -> None:
    proc = kinchart("ingest", str(SCANS), env=env, timeout=1800)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 1, "the corpus holds broken files, so ingest must report failure"
    docs = kinchart_json("documents", env=env)
    files = sorted(str(p.relative_to(SCANS)) for p in SCANS.rglob("*") if p.is_file())
    by_name = {d["original_name"]: d for d in docs}
    assert len(docs) == len(files), "one document per corpus file"
    assert all(d["state"] in ("ready", "failed") for d in docs)
    for d in docs:
        if d["state"] == "failed":
            assert len(d["failure_reason"]) > 20, d

    # The manifest and ground-truth texts are in the folder too: a CSV is refused by type.
    assert "plain text" in by_name["manifest.csv"]["failure_reason"]
    for rel, needle in MUST_FAIL.items():
        doc = by_name[Path(rel).name]
        assert doc["state"] == "failed", rel
        assert needle in doc["failure_reason"].lower(), (rel, doc["failure_reason"])

    checked = 0
    for rel, substrings in _expectations().items():
        doc = by_name[Path(rel).name]
        if rel in MUST_FAIL:
            continue
        assert doc["state"] == "ready", (rel, doc["failure_reason"])
        text = _norm(kinchart("text", str(doc["id"]), env=env).stdout)
        for s in substrings:
            assert _norm(s) in text, f"{rel}: {s!r} not in text"
        checked += 1
    assert checked >= 15

    rtl = _norm(kinchart("text", str(by_name["paperless__rtl-test.pdf"]["id"]), env=env).stdout)
    assert "وزارة" in rtl or "ةرازو" in rtl

    # Stress: the decompression bomb is refused before rasterising; the huge page reads.
    assert by_name["ocrmypdf__hugemono.pdf"]["state"] == "failed"
    assert "limit" in by_name["ocrmypdf__hugemono.pdf"]["failure_reason"]
    assert by_name["ocrmypdf__enormous.pdf"]["state"] == "ready"

    pages = {d["original_name"]: d["page_count"] for d in docs}
    assert pages["ocrmypdf__cardinal.pdf"] == 4
    assert pages["paperless__multi-page-images.tiff"] == 3
    # The four rotations of the same page all read, not just the upright one.
    cardinal = kinchart("text", str(by_name["ocrmypdf__cardinal.pdf"]["id"]), env=env).stdout
    for page in cardinal.split("\f"):
        assert "polyphonic" in _norm(page)
