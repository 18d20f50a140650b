"""SIGKILL the server while it ingests a batch; after a restart nothing is lost or stuck."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from server.settings import Settings
from tests.fixtures.make_docs import digital_pdf, scanned_pdf, scanned_png
from tests.fixtures.procs import Server, kinchart_json, wait_for


def _batch(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    for i in range(6):
        scanned_pdf(
            folder / f"scan-{i}.pdf", [[f"Potassium {3 + i / 10:.1f} mmol/L", f"Batch {i}"]]
        )
    for i in range(2):
        scanned_png(folder / f"photo-{i}.png", [f"Glucose {90 + i} mg/dL"])
    digital_pdf(folder / "digital.pdf", [["Discharge summary", "Follow up in two weeks"]])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF")
    (folder / "empty.pdf").touch()
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_sigkill_mid_batch_loses_nothing_and_leaves_nothing_processing(
    settings: Settings, env: dict[str, str], tmp_path: Path
) -> None:
    staging = tmp_path / "staging"
    inputs = _batch(staging)
    inbox = settings.inbox_dir
    inbox.mkdir(parents=True)
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        for p in sorted(staging.iterdir()):
            shutil.move(str(p), inbox / p.name)
        wait_for(lambda: server.counts()["processing"] >= 1, 60, "work to start")
        server.kill()
        killed_with = kinchart_json("status", env=env)["counts"]
        server.start()
        wait_for(
            lambda: (
                not any(inbox.iterdir())
                and (c := server.counts())["queued"] == 0
                and c["processing"] == 0
            ),
            300,
            "the batch to finish after restart",
        )
    finally:
        server.stop()

    docs = kinchart_json("documents", env=env)
    status = kinchart_json("status", env=env)
    assert killed_with["ready"] < len(inputs) - 1, "the kill landed before the batch was done"
    by_sha = {d["sha256"]: d for d in docs}
    assert len(by_sha) == len(docs), "one document per distinct content"
    rejected = {r["original_name"] for r in status["rejected"]}
    data = settings.data_dir
    for name, body in inputs.items():
        if name in rejected:
            assert (settings.effective_failed_dir / name).read_bytes() == body
            assert (settings.effective_failed_dir / f"{name}.reason.txt").exists()
            continue
        sha = hashlib.sha256(body).hexdigest()
        assert sha in by_sha, f"{name} was lost"
        assert (data / "originals" / sha[:2] / sha).read_bytes() == body, "original not identical"
    assert rejected == {"empty.pdf"}
    assert len(docs) == len(inputs) - 1
    states = {d["original_name"]: d["state"] for d in docs}
    assert states.pop("broken.pdf") == "failed"
    assert set(states.values()) == {"ready"}, states
    assert status["counts"]["processing"] == 0
