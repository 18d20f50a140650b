"""Disk full in the web UI (issue 15): admins read it in words on every page, and the triage
page lists the files waiting in the inbox; nobody else sees either. The state is the real
one: the data folder on a small tmpfs, filled up, read from the disk as `kinchart status`
reads it (documents/status.waiting)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from tests.fixtures.people import login, make_household
from tests.server.conftest import new_client

WAITING = ["alice/scan-01.pdf", "alice/scan-02.pdf", "lab results.pdf"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MB tmpfs where the test's data folder goes (before the app creates anything)."""
    mount = tmp_path / "data"
    mount.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if r.returncode != 0:
        pytest.skip(
            "this machine forbids mounting a size-limited filesystem "
            f"(mount -t tmpfs -o size=8m: {r.stderr.strip() or r.returncode})"
        )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
async def full_app(small_disk: Path, settings: Settings) -> AsyncIterator[Starlette]:
    assert settings.data_dir == small_disk
    app = create_app(settings, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        await make_household(app.state.services.store)
        yield app


def _fill(data_dir: Path, leave: int) -> Path:
    """A file taking all the free space of the data folder's disk but `leave` bytes."""
    st = os.statvfs(data_dir)
    filler = data_dir / "filler.bin"
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
    return filler


async def _page(client: httpx.AsyncClient, path: str) -> str:
    r = await client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return r.text


async def test_admins_read_disk_full_and_the_waiting_files_others_nothing(
    full_app: Starlette, settings: Settings
) -> None:
    inbox = settings.inbox_dir
    for name in WAITING:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(b"%PDF-1.4\n" + os.urandom(300_000))
    async with new_client(full_app) as admin, new_client(full_app) as alice:
        await login(admin, "admin")
        await login(alice, "alice")
        # Room on the disk: no banner, no list.
        for path in ("/documents", "/triage"):
            assert 'data-testid="disk-full"' not in await _page(admin, path)
        assert 'data-testid="waiting-files"' not in await _page(admin, "/triage")

        filler = _fill(settings.data_dir, leave=1024 * 1024)
        for path in ("/documents", "/profiles", "/account", "/triage"):
            page = await _page(admin, path)
            assert 'data-testid="disk-full"' in page, path
            assert "Disk full." in page and "3 file(s) wait in the inbox" in page
            assert 'href="/triage#waiting"' in page
        triage = await _page(admin, "/triage")
        listed = triage.split('data-testid="waiting-files"', 1)[1].split("</ul>", 1)[0]
        assert [x.strip() for x in listed.split("<li>")[1:]] == [f"{n}</li>" for n in WAITING]

        # Not an admin: neither the banner nor a file name, on any page it may open.
        for path in ("/documents", "/profiles", "/account"):
            page = await _page(alice, path)
            assert 'data-testid="disk-full"' not in page and "Disk full" not in page
            assert not any(n.rsplit("/", 1)[-1] in page for n in WAITING)
        assert (await alice.get("/triage")).status_code == 403

        # Space freed: the next page says nothing (read from the disk, not remembered).
        filler.unlink()
        assert 'data-testid="disk-full"' not in await _page(admin, "/triage")
