"""After-import policies, a 10,000-file folder, the serve loop and the CLI, on a real WsgiDAV."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import time
from pathlib import Path

import pytest

from server.db.tables import Document, RemoteFile
from server.runtime import Services, running
from server.sources.config import NewSource, SourceError, check_source, version_key
from server.sources.runner import SourceRunner
from tests.fixtures.davserver import PASSWORD, USER, DavServer
from tests.fixtures.procs import KINCHART, kinchart, kinchart_json
from tests.sync.conftest import SETTLE, AddSource, settle_and_run


async def test_keep_leaves_the_file_and_never_takes_it_again(
    services: Services, runner: SourceRunner, add: AddSource, share: Path
) -> None:
    (share / "kept.pdf").write_bytes(b"%PDF-1.4 kept")
    source_id = await add(after="keep")
    assert (await settle_and_run(runner, source_id)).taken == 1
    for _ in range(3):
        report = await runner.run_source(source_id)
        assert report is not None and report.taken == 0
    assert (share / "kept.pdf").read_bytes() == b"%PDF-1.4 kept"
    assert await Document.count() == 1
    # A new version under the same name is a new file.
    (share / "kept.pdf").write_bytes(b"%PDF-1.4 kept, second version")
    assert (await settle_and_run(runner, source_id)).taken == 1
    assert await Document.count() == 2


async def test_move_keeps_subfolders_avoids_overwriting_and_is_not_listed_again(
    services: Services, runner: SourceRunner, add: AddSource, share: Path
) -> None:
    (share / "dad").mkdir()
    (share / "dad" / "lab.pdf").write_bytes(b"%PDF-1.4 lab one")
    (share / "imported" / "dad").mkdir(parents=True)
    (share / "imported" / "dad" / "lab.pdf").write_bytes(b"%PDF-1.4 an older lab.pdf")
    # The target folder sits inside the watched folder: it must not be taken in itself.
    source_id = await add(after="move:/imported")
    report = await settle_and_run(runner, source_id)
    assert (report.taken, report.cleaned, report.error) == (1, 1, "")
    assert not (share / "dad" / "lab.pdf").exists()
    assert (share / "imported" / "dad" / "lab (2).pdf").read_bytes() == b"%PDF-1.4 lab one"
    assert (share / "imported" / "dad" / "lab.pdf").read_bytes() == b"%PDF-1.4 an older lab.pdf"
    again = await settle_and_run(runner, source_id)
    assert again.taken == 0 and again.listed == 0
    assert await Document.count() == 1


async def test_policies_and_addresses_are_checked_when_added(services: Services) -> None:
    bad = [
        NewSource("ftp://nas/scans", "u", "p"),
        NewSource("https://u:p@nas/dav", "u", "p"),
        NewSource("https://nas/dav", "u", ""),
        NewSource("https://nas/dav", "u", "p", after="shred"),
        NewSource("https://nas/dav", "u", "p", remote_path="/in", after="move:/in/"),
        NewSource("https://nas/dav", "u", "p", profile_slug="nobody"),
        NewSource("https://nas/dav", "u", "p", interval_seconds=1),
    ]
    for new in bad:
        with pytest.raises(SourceError):
            await check_source(new)
    url, profile, after = await check_source(NewSource("https://nas/dav/", "u", "p", after="keep"))
    assert (url, profile, str(after)) == ("https://nas/dav", None, "keep")


async def test_a_folder_of_10000_files_is_listed_fast(
    services: Services, runner: SourceRunner, add: AddSource, share: Path
) -> None:
    folder = share / "archive"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"scan-{i:05d}.pdf").write_bytes(f"%PDF-1.4 scan {i}".encode())
    source_id = await add(after="keep")
    t0 = time.perf_counter()
    first = await runner.run_source(source_id)
    first_s = time.perf_counter() - t0
    assert first is not None and (first.listed, first.pending, first.error) == (10_000, 10_000, "")
    # A share already taken in (kept on the server): remember every file, then add one.
    paths = [(f"/archive/{p.name}", p) for p in folder.iterdir()]
    listing = runner._previous[source_id] or {}
    rows = []
    for path, _p in paths:
        entry = listing[path.lstrip("/")]
        key = version_key(source_id, (entry.path, entry.etag, entry.size))
        rows.append(
            RemoteFile(
                key=key,
                source=source_id,
                remote_path=entry.path,
                etag=entry.etag,
                size=entry.size,
                state="done",
            )
        )
    for i in range(0, len(rows), 1000):
        await RemoteFile.insert(*rows[i : i + 1000])
    (folder / "new-scan.pdf").write_bytes(b"%PDF-1.4 the new one")
    t0 = time.perf_counter()
    report = await settle_and_run(runner, source_id)
    steady_s = (time.perf_counter() - t0 - SETTLE) / 2
    print(f"\n10,000 files: first listing {first_s:.2f} s, a steady-state pass {steady_s:.2f} s")
    assert report.taken == 1 and report.listed == 10_001
    assert first_s < 30 and steady_s < 30, (first_s, steady_s)


async def test_serve_runs_sources_on_their_own_and_run_now_wakes_them(
    settings: object, dav: DavServer, share: Path
) -> None:
    fast = dataclasses.replace(settings, sync_settle_seconds=SETTLE)  # type: ignore[type-var]
    (share / "first.pdf").write_bytes(b"%PDF-1.4 first")
    async with running(fast) as services:
        from server.sources.config import add_source
        from server.sources.vault import Vault

        row = await add_source(
            NewSource(dav.url, USER, PASSWORD, interval_seconds=3600), Vault(fast.data_dir)
        )
        sources = services.start_sync()
        await _until(lambda: Document.count(), 1)
        # The interval is an hour: only "Run now" can bring the next file in soon.
        (share / "second.pdf").write_bytes(b"%PDF-1.4 second")
        await asyncio.sleep(1)
        sources.wake(row["id"])
        await asyncio.sleep(SETTLE * 2)
        sources.wake(row["id"])
        await _until(lambda: Document.count(), 2)
        assert not (share / "first.pdf").exists() and not (share / "second.pdf").exists()


async def _until(count: object, n: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await count() >= n:  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"fewer than {n} documents after {timeout} s")


def test_cli_add_list_and_sync_once(env: dict[str, str], dav: DavServer, share: Path) -> None:
    (share / "inbox" / "kid").mkdir(parents=True)
    (share / "inbox" / "kid" / "shot.jpg").write_bytes(b"\xff\xd8\xff from the phone")
    env = {**env, "KINCHART_SYNC_SETTLE_SECONDS": "0.3"}
    args = ["source", "add", "webdav", dav.url, "--user", USER, "--password-stdin"]
    wrong = subprocess.run(
        [*KINCHART, *args], input="nope\n", env=env, capture_output=True, text=True, check=False
    )
    assert wrong.returncode == 2 and "wrong password" in wrong.stderr
    added = subprocess.run(
        [*KINCHART, *args, "--remote-path", "inbox", "--by-subfolder", "--after", "keep"],
        input=PASSWORD + "\n",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    assert "1 file(s) there now" in added.stdout
    synced = kinchart("sync", "--once", env=env)
    assert synced.returncode == 0, synced.stderr
    assert "1 taken" in synced.stdout
    listed = kinchart_json("source", "list", env=env)
    assert listed[0]["total_taken"] == 1 and listed[0]["last_error"] == ""
    plain = kinchart("source", "list", env=env)
    assert PASSWORD not in plain.stdout + plain.stderr + str(listed)
    docs = kinchart_json("documents", env=env)
    assert [d["original_name"] for d in docs] == ["shot.jpg"]
    assert (share / "inbox" / "kid" / "shot.jpg").exists()  # kept
    assert os.stat(Path(env["KINCHART_DATA_DIR"]) / "secret.key").st_mode & 0o777 == 0o600


async def test_a_file_the_intake_refuses_stays_on_the_server_and_is_not_fetched_again(
    settings: object, dav: DavServer, share: Path
) -> None:
    small = dataclasses.replace(settings, max_file_mb=1)  # type: ignore[type-var]
    (share / "huge.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    async with running(small) as services:
        from server.sources.config import add_source
        from server.sources.vault import Vault

        vault = Vault(small.data_dir)
        row = await add_source(NewSource(dav.url, USER, PASSWORD), vault)
        runner = SourceRunner(services.intake, services.store.tmp, vault, settle_seconds=SETTLE)
        report = await settle_and_run(runner, row["id"])
        assert (report.taken, report.rejected) == (0, 1)
        assert (share / "huge.pdf").exists(), "a refused file is never deleted"
        gets = dav.gets
        again = await runner.run_source(row["id"])
        assert again is not None and again.rejected == 0 and dav.gets == gets
        assert await Document.count() == 0
        rejected = await RemoteFile.select(RemoteFile.state, RemoteFile.reason).first()
        assert (
            rejected and rejected["state"] == "rejected" and "above the limit" in rejected["reason"]
        )


async def test_a_file_replaced_on_the_server_after_download_is_not_deleted(
    services: Services, dav: DavServer, share: Path
) -> None:
    from server.db.tables import SyncSource
    from server.documents.intake import IntakeResult, Stored
    from server.sources.config import Ledger, add_source, share_for
    from server.sources.runner import IntakeReceiver
    from server.sources.vault import Vault
    from sync.pull import Puller
    from sync.webdav import After

    (share / "scan.pdf").write_bytes(b"%PDF-1.4 first scan")
    vault = Vault(services.settings.data_dir)
    added = await add_source(NewSource(dav.url, USER, PASSWORD), vault)
    row = await SyncSource.select().where(SyncSource.id == added["id"]).first()
    assert row is not None

    class PhoneUploadsAgain(IntakeReceiver):
        async def record(self, stored: list[Stored]) -> list[IntakeResult]:
            # The scanner app overwrites scan.pdf while Kinchart is taking the first one in.
            (share / "scan.pdf").write_bytes(b"%PDF-1.4 second scan, same name, longer")
            return await super().record(stored)

    share_client = share_for(row, vault)
    puller = Puller(
        share_client,
        Ledger(row["id"]),
        PhoneUploadsAgain(services.intake, row),
        services.store.tmp,
        After("delete"),
    )
    _, listing = await puller.run(None)
    report, _ = await puller.run(listing)
    share_client.close()
    assert report.taken == 1
    assert (share / "scan.pdf").read_bytes() == b"%PDF-1.4 second scan, same name, longer"
