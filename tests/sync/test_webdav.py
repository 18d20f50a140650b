"""WebDAV pull against a real WsgiDAV server: what is taken, when, and what is left behind."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import time
from pathlib import Path

import httpx
import pytest

from server.db.tables import Arrival, Document, Profile, RemoteFile, SyncSource
from server.runtime import Services
from server.sources.runner import SourceRunner
from tests.fixtures.davserver import PASSWORD, USER, DavServer
from tests.sync.conftest import SETTLE, AddSource, settle_and_run


def _names(rows: list[dict[str, object]]) -> list[str]:
    return sorted(str(r["original_name"]) for r in rows)


async def test_new_files_in_nested_folders_are_taken_once_then_deleted(
    services: Services, runner: SourceRunner, add: AddSource, share: Path
) -> None:
    (share / "a" / "b").mkdir(parents=True)
    (share / "top.pdf").write_bytes(b"%PDF-1.4 top")
    (share / "a" / "b" / "deep.jpg").write_bytes(b"\xff\xd8\xff deep")
    (share / "a" / "Befund Müller #2 100%.pdf").write_bytes(b"%PDF-1.4 awkward name")
    (share / "a" / "scan.pdf.part").write_bytes(b"%PDF partial upload")  # a temporary name
    (share / ".hidden").mkdir()
    (share / ".hidden" / "x.pdf").write_bytes(b"%PDF hidden")
    source_id = await add()

    first = await runner.run_source(source_id)
    assert first is not None and (first.taken, first.pending) == (0, 3), "first sight only notes"
    assert await Document.count() == 0
    await asyncio.sleep(SETTLE)
    second = await runner.run_source(source_id)
    assert second is not None and (second.taken, second.cleaned, second.error) == (3, 3, "")

    docs = await Document.select(Document.original_name, Document.sha256, Document.source)
    names = ["Befund Müller #2 100%.pdf", "deep.jpg", "top.pdf"]
    assert _names(docs) == names and {d["source"] for d in docs} == {"webdav"}
    by_name = {d["original_name"]: d["sha256"] for d in docs}
    stored = services.store.original_path(by_name["deep.jpg"]).read_bytes()
    assert stored == b"\xff\xd8\xff deep"
    assert not (share / "top.pdf").exists() and not (share / "a" / "b" / "deep.jpg").exists()
    assert not (share / "a" / "Befund Müller #2 100%.pdf").exists()
    assert (share / "a" / "scan.pdf.part").exists() and (share / ".hidden" / "x.pdf").exists()
    paths = {a["source_path"] for a in await Arrival.select(Arrival.source_path)}
    assert any(p.endswith("/dav/a/b/deep.jpg") for p in paths)

    third = await runner.run_source(source_id)
    assert third is not None and third.taken == 0 and await Document.count() == 3
    row = await SyncSource.select().where(SyncSource.id == source_id).first()
    assert row and row["total_taken"] == 3 and row["last_error"] == "" and row["last_run"]
    assert not list(services.store.tmp.glob("webdav-*")), "temporary downloads are removed"


async def test_by_subfolder_hints_the_profile_and_a_fixed_profile_files_directly(
    services: Services, runner: SourceRunner, add: AddSource, share: Path
) -> None:
    rows = await Profile.insert(Profile(slug="dad", display_name="Dad")).returning(Profile.id)
    (share / "sub" / "dad").mkdir(parents=True)
    (share / "sub" / "dad" / "lab.pdf").write_bytes(b"%PDF-1.4 dads lab")
    (share / "fixed").mkdir()
    (share / "fixed" / "note.pdf").write_bytes(b"%PDF-1.4 note")
    by_folder = await add(remote_path="/sub", by_subfolder=True)
    fixed = await add(remote_path="fixed/", profile_slug="dad")
    assert (await settle_and_run(runner, by_folder)).taken == 1
    assert (await settle_and_run(runner, fixed)).taken == 1
    lab = await Document.select().where(Document.original_name == "lab.pdf").first()
    note = await Document.select().where(Document.original_name == "note.pdf").first()
    assert lab and lab["profile_hint"] == "dad" and lab["profile"] is None  # routed by the worker
    assert note and note["profile"] == rows[0]["id"] and note["profile_hint"] is None


async def test_a_file_still_being_uploaded_is_not_taken_until_complete(
    services: Services, runner: SourceRunner, add: AddSource, dav: DavServer, share: Path
) -> None:
    body = os.urandom(64 * 1024) * 8
    done = threading.Event()

    def slow_body():  # type: ignore[no-untyped-def]
        for i in range(0, len(body), 32 * 1024):
            yield body[i : i + 32 * 1024]
            time.sleep(0.12)  # ~2 s in all: several listings see it grow

    def upload() -> None:
        headers = {"Content-Length": str(len(body))}
        with httpx.Client(auth=(USER, PASSWORD), timeout=30) as c:
            r = c.put(dav.url + "/phone/upload.pdf", content=slow_body(), headers=headers)
            assert r.status_code in (201, 204), r.text
        done.set()

    (share / "phone").mkdir()
    source_id = await add()
    thread = threading.Thread(target=upload)
    thread.start()
    seen_partial = False
    while not done.is_set():
        report = await runner.run_source(source_id)
        assert report is not None and report.taken == 0, "taken while still being uploaded"
        path = share / "phone" / "upload.pdf"
        seen_partial = seen_partial or (path.exists() and 0 < path.stat().st_size < len(body))
        await asyncio.sleep(SETTLE)
    thread.join()
    assert seen_partial, "the test never saw the partial file; it proves nothing"
    assert await Document.count() == 0
    report = await settle_and_run(runner, source_id)
    assert report.taken == 1
    doc = await Document.select(Document.sha256, Document.size).first()
    assert doc and doc["sha256"] == hashlib.sha256(body).hexdigest() and doc["size"] == len(body)


async def test_renamed_and_deleted_remote_files(
    services: Services, runner: SourceRunner, add: AddSource, share: Path
) -> None:
    (share / "a.pdf").write_bytes(b"%PDF-1.4 aaa")
    (share / "b.pdf").write_bytes(b"%PDF-1.4 bbb")
    source_id = await add(after="keep")
    first = await runner.run_source(source_id)
    assert first is not None and first.pending == 2
    # Between the two listings: one renamed, one deleted.
    os.rename(share / "a.pdf", share / "renamed.pdf")
    os.unlink(share / "b.pdf")
    second = await runner.run_source(source_id)
    assert second is not None and (second.taken, second.pending, second.error) == (0, 1, "")
    third = await runner.run_source(source_id)
    assert third is not None and third.taken == 1
    assert _names(await Document.select(Document.original_name)) == ["renamed.pdf"]

    # Renamed after it was taken (kept on the server): the same bytes, not a second document.
    os.rename(share / "renamed.pdf", share / "renamed again.pdf")
    await settle_and_run(runner, source_id)
    assert await Document.count() == 1
    outcomes = [a["outcome"] for a in await Arrival.select(Arrival.outcome).order_by(Arrival.id)]
    assert outcomes == ["new", "duplicate"]
    # Deleted on the server: its memory is dropped; nothing else happens.
    os.unlink(share / "renamed again.pdf")
    report = await runner.run_source(source_id)
    assert report is not None and report.error == "" and await RemoteFile.count() == 0


async def test_server_down_mid_transfer_then_back_the_file_arrives_exactly_once(
    services: Services, runner: SourceRunner, add: AddSource, dav: DavServer, share: Path
) -> None:
    body = os.urandom(3 * 1024 * 1024)
    (share / "big.pdf").write_bytes(b"%PDF-1.4\n" + body)
    source_id = await add()
    first = await runner.run_source(source_id)
    assert first is not None and first.pending == 1
    dav.cut_path, dav.cut_after = "/big.pdf", 1024 * 1024
    passing = asyncio.create_task(runner.run_source(source_id))
    assert await asyncio.to_thread(dav.paused.wait, 10), "the download never started"
    stopping = asyncio.create_task(asyncio.to_thread(dav.stop))  # the server goes down...
    await asyncio.sleep(0.2)
    dav.release.set()  # ...and the half-sent response is cut off
    broken = await passing
    await stopping
    assert broken is not None and broken.taken == 0 and "broke off" in broken.error
    assert await Document.count() == 0 and (share / "big.pdf").exists()
    assert not list(services.store.tmp.glob("webdav-*")), "the partial download is removed"

    down = await runner.run_source(source_id)
    assert down is not None and "Cannot reach" in down.error
    row = await SyncSource.select(SyncSource.last_error).where(SyncSource.id == source_id).first()
    assert row and "Cannot reach" in row["last_error"]

    dav.start()  # back, on the same port
    back = await runner.run_source(source_id)
    assert back is not None and (back.taken, back.error) == (1, "")
    again = await settle_and_run(runner, source_id)
    assert again.taken == 0
    assert await Document.count() == 1 and await Arrival.count() == 1
    doc = await Document.select(Document.sha256).first()
    assert doc and doc["sha256"] == hashlib.sha256(b"%PDF-1.4\n" + body).hexdigest()
    assert not (share / "big.pdf").exists()


async def test_clean_up_waits_for_the_intake_and_is_retried_without_fetching_again(
    services: Services, runner: SourceRunner, add: AddSource, dav: DavServer, share: Path
) -> None:
    (share / "scan.pdf").write_bytes(b"%PDF-1.4 scan")
    source_id = await add()
    dav.refuse = {"DELETE"}  # the server stops taking deletes right after the download
    report = await settle_and_run(runner, source_id)
    assert report.taken == 1 and "error 503" in report.error
    assert (share / "scan.pdf").exists(), "still there: the delete failed"
    states = [r["state"] for r in await RemoteFile.select(RemoteFile.state)]
    assert states == ["taken"]
    gets = dav.gets
    dav.refuse = set()
    report2 = await runner.run_source(source_id)
    assert report2 is not None and (report2.taken, report2.cleaned, report2.error) == (0, 1, "")
    assert dav.gets == gets, "the file was not downloaded a second time"
    assert not (share / "scan.pdf").exists() and await Document.count() == 1


async def test_wrong_password_missing_folder_and_unreachable_in_plain_words(
    services: Services,
    runner: SourceRunner,
    add: AddSource,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = await add(password="not-the-password-77")
    missing = await add(remote_path="/no/such/folder")
    down = await add(url="http://127.0.0.1:9/dav")
    expected = {
        wrong: "refused the user name or password (wrong password?)",
        missing: "The folder /no/such/folder does not exist",
        down: "Cannot reach 127.0.0.1:9: the server is down or the address is wrong.",
    }
    for source_id, words in expected.items():
        report = await runner.run_source(source_id)
        assert report is not None and words in report.error, report.error
        row = await SyncSource.select(SyncSource.last_error).where(SyncSource.id == source_id)
        assert words in row[0]["last_error"]
    stored = await SyncSource.select(SyncSource.password_encrypted).where(SyncSource.id == wrong)
    assert "not-the-password-77" not in stored[0]["password_encrypted"]
    assert "not-the-password-77" not in caplog.text and PASSWORD not in caplog.text
    key = services.settings.data_dir / "secret.key"
    assert key.stat().st_mode & 0o777 == 0o600
