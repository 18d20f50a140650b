"""The puller's group commit on a real WsgiDAV server: batches, order of clean-up, failures."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from pathlib import Path
from typing import Any

import pytest

from server.db.tables import Arrival, Document, SyncSource
from server.documents.intake import IntakeResult, Stored
from server.runtime import Services
from server.sources.config import Ledger, NewSource, add_source, share_for
from server.sources.runner import IntakeReceiver
from server.sources.vault import Vault
from sync.pull import Puller
from sync.webdav import After, RemoteEntry, Share
from tests.fixtures.davserver import PASSWORD, USER, DavServer


async def _share(services: Services, dav: DavServer) -> tuple[dict[str, Any], Share]:
    vault = Vault(services.settings.data_dir)
    added = await add_source(NewSource(dav.url, USER, PASSWORD), vault)
    row = await SyncSource.select().where(SyncSource.id == added["id"]).first()
    assert row is not None
    return row, share_for(row, vault)


def _fill(share: Path, n: int) -> dict[str, bytes]:
    bodies = {f"f{i // 10}/scan-{i:03d}.pdf": f"%PDF-1.4 scan {i} ".encode() * 50 for i in range(n)}
    for rel, body in bodies.items():
        (share / rel).parent.mkdir(exist_ok=True)
        (share / rel).write_bytes(body)
    return bodies


async def test_files_downloaded_during_a_commit_share_the_next_and_are_removed_only_after(
    services: Services, dav: DavServer, share: Path
) -> None:
    bodies = _fill(share, 40)
    row, client = await _share(services, dav)
    events: list[tuple[str, str]] = []
    lock = threading.Lock()
    batches: list[int] = []
    by_name = {rel.rsplit("/", 1)[1]: rel for rel in bodies}

    class Watched(IntakeReceiver):
        async def record(self, stored: list[Stored]) -> list[IntakeResult]:
            if not batches:
                await asyncio.sleep(0.5)  # a slow first commit: the others are stored meanwhile
            batches.append(len(stored))
            rels = [by_name[str(item.incoming.original_name)] for item in stored]
            for rel in rels:
                assert (share / rel).exists(), "removed on the server before it was recorded"
            results = await super().record(stored)
            with lock:
                events.extend(("recorded", rel) for rel in rels)
            return results

    remove = client.remove

    def checked_remove(entry: RemoteEntry) -> None:
        body = (share / entry.rel).read_bytes()
        stored = services.store.original_path(hashlib.sha256(body).hexdigest())
        assert stored.read_bytes() == body, "removed before the copy was in the store"
        with lock:
            events.append(("removed", entry.rel))
        remove(entry)

    client.remove = checked_remove  # type: ignore[method-assign]
    receiver = Watched(services.intake, row)
    puller = Puller(client, Ledger(row["id"]), receiver, services.store.tmp, After("delete"))
    _, listing = await puller.run(None)
    report, _ = await puller.run(listing)
    client.close()

    assert (report.taken, report.cleaned, report.error) == (40, 40, "")
    assert sum(batches) == 40 and max(batches) > 1, batches
    order = {event: i for i, event in enumerate(events)}
    for rel in bodies:
        assert order[("recorded", rel)] < order[("removed", rel)], rel
        assert not (share / rel).exists()
    assert await Document.count() == 40
    assert not list(services.store.tmp.iterdir()), "no temporary files left"


async def test_a_failed_commit_leaves_every_file_on_the_server_and_the_next_pass_takes_each_once(
    services: Services, dav: DavServer, share: Path
) -> None:
    bodies = _fill(share, 12)
    row, client = await _share(services, dav)

    class Broken(IntakeReceiver):
        async def record(self, stored: list[Stored]) -> list[IntakeResult]:
            raise RuntimeError("the database went away")

    tmp = services.store.tmp
    failing = Puller(client, Ledger(row["id"]), Broken(services.intake, row), tmp, After("delete"))
    _, listing = await failing.run(None)
    with pytest.raises(RuntimeError, match="went away"):
        await failing.run(listing)
    await asyncio.sleep(0.3)  # nothing left running in the background removes anything
    assert all((share / rel).exists() for rel in bodies)
    assert await Document.count() == 0
    assert not list(services.store.tmp.glob("webdav-*")), "downloads removed after the failure"

    receiver = IntakeReceiver(services.intake, row)
    puller = Puller(client, Ledger(row["id"]), receiver, tmp, After("delete"))
    _, listing = await puller.run(None)
    report, _ = await puller.run(listing)
    again, _ = await puller.run(listing)
    client.close()
    assert (report.taken, report.error, again.taken, again.listed) == (12, "", 0, 0)
    assert await Document.count() == 12
    assert not any((share / rel).exists() for rel in bodies)


async def test_a_pass_stopped_midway_resumes_without_fetching_or_recording_anything_twice(
    services: Services, dav: DavServer, share: Path
) -> None:
    bodies = _fill(share, 30)
    row, client = await _share(services, dav)
    stop = asyncio.Event()

    class StopsAtTheFirstFile(IntakeReceiver):
        async def store(self, path: Path, entry: RemoteEntry) -> Stored:
            stop.set()  # the server shuts down while the pass is under way
            return await super().store(path, entry)

    tmp = services.store.tmp
    receiver = StopsAtTheFirstFile(services.intake, row)
    puller = Puller(client, Ledger(row["id"]), receiver, tmp, After("delete"), stop=stop)
    _, listing = await puller.run(None)
    stopped, listing = await puller.run(listing)
    assert 0 < stopped.taken < 30 and stopped.error == "", stopped
    assert await Document.count() == stopped.taken and dav.gets == stopped.taken
    assert sum((share / rel).exists() for rel in bodies) == 30, "none removed after the stop"

    resumed = Puller(
        client, Ledger(row["id"]), IntakeReceiver(services.intake, row), tmp, After("delete")
    )
    for _ in range(3):
        _, listing = await resumed.run(listing)
    client.close()
    assert await Document.count() == 30 and await Arrival.count() == 30
    assert dav.gets == 30, "a file was downloaded twice"
    assert not any((share / rel).exists() for rel in bodies)
    assert not list(tmp.iterdir())
