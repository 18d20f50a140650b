from __future__ import annotations

import os
from pathlib import Path

from server.services import Services
from server.tables import Arrival, Document


async def test_new_file_is_stored_byte_identical_and_queued(
    services: Services, tmp_path: Path
) -> None:
    src = tmp_path / "lab.pdf"
    src.write_bytes(b"%PDF-1.4 pretend" * 100)
    result = await services.intake.take(src, source="cli", profile_hint="dad")
    assert result.outcome == "new" and result.document_id
    doc = await Document.objects().get(Document.id == result.document_id)
    assert doc.state == "queued" and doc.profile_hint == "dad" and doc.size == 1600
    stored = services.store.original_path(doc.sha256)
    assert stored.read_bytes() == src.read_bytes()
    assert src.exists(), "intake never removes the source itself"


async def test_identical_bytes_are_a_recorded_duplicate(services: Services, tmp_path: Path) -> None:
    a, b = tmp_path / "a.jpg", tmp_path / "copy of a.jpg"
    a.write_bytes(b"\xff\xd8\xff same bytes")
    b.write_bytes(a.read_bytes())
    first = await services.intake.take(a, source="inbox", source_path="a.jpg")
    second = await services.intake.take(b, source="upload")
    assert second.outcome == "duplicate" and second.document_id == first.document_id
    assert await Document.count() == 1
    arrivals = await Arrival.select(Arrival.outcome, Arrival.original_name).order_by(Arrival.id)
    assert [(x["outcome"], x["original_name"]) for x in arrivals] == [
        ("new", "a.jpg"),
        ("duplicate", "copy of a.jpg"),
    ]


async def test_replayed_arrival_after_a_crash_is_not_recorded_twice(
    services: Services, tmp_path: Path
) -> None:
    # A crash between commit and removing the inbox file makes the watcher see it again.
    src = tmp_path / "scan.pdf"
    src.write_bytes(b"%PDF-1.7 scan")
    await services.intake.take(src, source="inbox", source_path="scan.pdf")
    again = await services.intake.take(src, source="inbox", source_path="scan.pdf")
    assert again.outcome == "duplicate" and again.replayed
    assert await Arrival.count() == 1


async def test_empty_symlink_and_oversized_files_are_rejected_with_reasons(
    services: Services, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.touch()
    target = tmp_path / "real.pdf"
    target.write_bytes(b"%PDF secret")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    big = tmp_path / "big.pdf"
    with open(big, "wb") as f:
        f.truncate(services.intake.max_bytes + 1)
    reasons = {}
    for p in (empty, link, big):
        r = await services.intake.take(p, source="inbox")
        assert r.outcome == "rejected" and r.document_id is None
        reasons[p.name] = r.reason
    assert "empty" in reasons["empty.pdf"]
    assert "link" in reasons["link.pdf"].lower()
    assert "limit" in reasons["big.pdf"]
    assert await Document.count() == 0
    assert await Arrival.count().where(Arrival.outcome == "rejected") == 3


async def test_hostile_names_are_cleaned(services: Services, tmp_path: Path) -> None:
    src = tmp_path / "x.pdf"
    src.write_bytes(b"%PDF hostile")
    name = "../../etc/passwd\x00\x1b[31m<script>alert(1)</script>" + "é" * 300 + ".pdf"
    r = await services.intake.take(src, source="upload", original_name=name)
    doc = await Document.objects().get(Document.id == r.document_id)
    assert "/" not in doc.original_name and "\x00" not in doc.original_name
    assert "\x1b" not in doc.original_name
    assert len(doc.original_name.encode()) <= 210 and doc.original_name.endswith(".pdf")


async def test_originals_are_fsynced_into_place_with_no_temp_leftovers(
    services: Services, tmp_path: Path
) -> None:
    src = tmp_path / "a.png"
    src.write_bytes(os.urandom(3_000_000))
    await services.intake.take(src, source="cli")
    assert list(services.store.tmp.iterdir()) == []
