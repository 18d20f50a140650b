"""The `kinchart` command as a user scripts it: ingest, status, documents, text, retry."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from server.errors import ExitCode
from server.settings import Settings
from tests.fixtures.make_docs import digital_pdf, scanned_pdf, scanned_png
from tests.fixtures.procs import kinchart, kinchart_json


def test_ingest_reads_files_and_reports_failures(
    settings: Settings, env: dict[str, str], tmp_path: Path
) -> None:
    src = tmp_path / "in"
    (src / "nested").mkdir(parents=True)
    scanned_pdf(src / "two-pages.pdf", [["Hemoglobin A1c 6.1 %"], ["Creatinine 0.9 mg/dL"]])
    scanned_png(src / "nested" / "photo.png", ["Total cholesterol 182 mg/dL"])
    digital_pdf(src / "letter.pdf", [["Dear Dr Smith", "Thank you for seeing"]])
    (src / "nested" / ".DS_Store").write_bytes(b"junk")
    (src / "corrupt.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf at all")
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(src / "locked.pdf", encryption=pikepdf.Encryption(user="secret", owner="o"))

    proc = kinchart("ingest", str(src), env=env)
    assert proc.returncode == 1, "a failure means exit status 1"
    assert "5 files" in proc.stdout and "3 ready" in proc.stdout and "2 failed" in proc.stdout
    assert "password" in proc.stdout
    assert src.joinpath("two-pages.pdf").exists(), "ingest copies; it never removes the user's file"

    docs = {d["original_name"]: d for d in kinchart_json("documents", env=env)}
    assert set(docs) == {"two-pages.pdf", "photo.png", "letter.pdf", "corrupt.pdf", "locked.pdf"}
    assert docs["two-pages.pdf"]["page_count"] == 2
    assert docs["locked.pdf"]["state"] == "failed"
    for key in ("id", "sha256", "state", "failure_reason", "page_count", "created_at"):
        assert key in docs["letter.pdf"]

    text = kinchart("text", str(docs["two-pages.pdf"]["id"]), env=env).stdout
    pages = text.split("\f")
    assert len(pages) == 2 and "Hemoglobin" in pages[0] and "Creatinine" in pages[1]
    assert "Dear Dr Smith" in kinchart("text", str(docs["letter.pdf"]["id"]), env=env).stdout

    status = kinchart_json("status", env=env)
    assert status["counts"] == {"queued": 0, "processing": 0, "ready": 3, "failed": 2, "trashed": 0}
    reasons = {f["original_name"]: f["failure_reason"] for f in status["failures"]}
    assert "password" in reasons["locked.pdf"].lower()
    assert reasons["corrupt.pdf"]

    again = kinchart("ingest", str(src / "letter.pdf"), env=env)
    assert again.returncode == 0 and "already known" in again.stdout

    retried = kinchart("retry", "--all-failed", env=env)
    assert retried.returncode == 0
    assert kinchart_json("status", env=env)["counts"]["queued"] == 2
    assert kinchart("retry", "99999", env=env).returncode == ExitCode.not_found
    assert kinchart("text", "99999", env=env).returncode == ExitCode.not_found
