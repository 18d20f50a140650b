from __future__ import annotations

import os
from pathlib import Path

from server.db.tables import Arrival, Document
from server.documents.intake import Incoming
from server.runtime import Services


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


async def test_a_batch_is_recorded_in_order_with_one_document_per_content(
    services: Services, tmp_path: Path
) -> None:
    known = tmp_path / "known.pdf"
    known.write_bytes(b"%PDF-1.4 seen before")
    before = await services.intake.take(known, source="inbox", source_path="known.pdf")
    files = {
        "a.pdf": b"%PDF-1.4 a",
        "b.pdf": b"%PDF-1.4 b",
        "copy of a.pdf": b"%PDF-1.4 a",  # the same bytes twice in one batch
        "again.pdf": b"%PDF-1.4 seen before",
        "empty.pdf": b"",
    }
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    batch = [Incoming(tmp_path / n, "webdav", source_path=f"/dav/{n}") for n in files]
    batch.append(Incoming(tmp_path / "never-written.pdf", "webdav"))
    results = await services.intake.take_many(batch)

    outcomes = [(r.outcome, r.document_id) for r in results]
    a_id, b_id = results[0].document_id, results[1].document_id
    assert outcomes == [
        ("new", a_id),
        ("new", b_id),
        ("duplicate", a_id),
        ("duplicate", before.document_id),
        ("rejected", None),
        ("rejected", None),
    ]
    assert len({a_id, b_id, before.document_id}) == 3
    assert "empty" in results[4].reason and "could not be read" in results[5].reason
    assert await Document.count() == 3
    arrivals = await Arrival.select(Arrival.original_name, Arrival.outcome, Arrival.document)
    recorded = sorted((x["original_name"], x["outcome"], x["document"]) for x in arrivals)
    assert recorded == sorted(
        [
            ("known.pdf", "new", before.document_id),
            ("a.pdf", "new", a_id),
            ("b.pdf", "new", b_id),
            ("copy of a.pdf", "duplicate", a_id),
            ("again.pdf", "duplicate", before.document_id),
            ("empty.pdf", "rejected", None),
        ]
    )
    for name in files:
        assert (tmp_path / name).exists(), "not the intake's files: left where they are"
    # The same batch handed in again (a replay after a crash) records nothing new.
    replay = await services.intake.take_many(batch[:4])
    assert [r.outcome for r in replay] == ["duplicate"] * 4 and all(r.replayed for r in replay)
    assert await Arrival.count() == 6


async def test_an_own_temporary_file_is_moved_into_the_store_not_copied(
    services: Services,
) -> None:
    body = os.urandom(200_000)
    tmp = services.store.tmp / "download-1"
    tmp.write_bytes(body)
    inode = tmp.stat().st_ino
    [result] = await services.intake.take_many([Incoming(tmp, "webdav", "scan.pdf", own=True)])
    doc = await Document.objects().get(Document.id == result.document_id)
    stored = services.store.original_path(doc.sha256)
    assert stored.read_bytes() == body and stored.stat().st_ino == inode, "renamed, one write"
    assert stored.stat().st_mode & 0o777 == 0o400  # read-only, and its owner's alone
    assert not tmp.exists() and list(services.store.tmp.iterdir()) == []
    # Bytes the store already holds: the temporary file is left for its owner to remove.
    again = services.store.tmp / "download-2"
    again.write_bytes(body)
    [dup] = await services.intake.take_many([Incoming(again, "webdav", "scan.pdf", own=True)])
    assert dup.outcome == "duplicate" and again.exists() and stored.read_bytes() == body
