"""`kinchart serve` and two `kinchart worker` processes share one PostgreSQL database: every
document is read once, and the database stopped twice for 10 s mid-batch loses nothing and
stops no process (issue 15's multi-worker acceptance test)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from server.settings import Settings
from tests.fixtures.make_docs import scanned_pdf
from tests.fixtures.pgcluster import Cluster, own_cluster
from tests.fixtures.procs import KINCHART, Server, wait_for

# A PostgreSQL test by nature (several processes on one database, the database restarted
# under them): it runs in the PostgreSQL pass of ./run.sh test, on a cluster of its own,
# and is not repeated in the SQLite pass, where there is no PostgreSQL to stop.
pytestmark = pytest.mark.skipif(
    os.environ.get("KINCHART_TEST_DB") != "postgres",
    reason="runs in the PostgreSQL pass (KINCHART_TEST_DB=postgres) on its own cluster",
)

READING = re.compile(r"document (\d+): reading, attempt \d+, by (\S+)")
READY = re.compile(r"document (\d+) ready: .* by (\S+)")
# A read cut short (the database went away under it, or its lease expired meanwhile).
CUT = re.compile(r"document (\d+): (reading stopped by an error|lease lost)")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    yield from own_cluster()


@pytest.fixture
def database_url(cluster: Cluster) -> str:
    """Overrides conftest's: the database lives on this test's own cluster."""

    async def create() -> None:
        con = await asyncpg.connect(cluster.url())
        try:
            await con.execute('CREATE DATABASE "kinchart"')
        finally:
            await con.close()

    asyncio.run(create())
    return cluster.url("kinchart")


class Worker:
    """`kinchart worker` in its own process group, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with open(log, "ab") as logf:
            self.proc = subprocess.Popen(
                [*KINCHART, "worker"], env=env, stdout=logf, stderr=logf, start_new_session=True
            )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def _docs(folder: Path, start: int, n: int) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i in range(start, start + n):
        # Scans: each read takes an OCR run (about a second), long enough that the work is
        # shared; born-digital pages are read in 50 ms and serve alone empties the queue.
        p = scanned_pdf(
            folder / f"lab-{i:02d}.pdf", [[f"Laboratory report {i}", f"Sodium {130 + i} mmol/L"]]
        )
        out[p.name] = p.read_bytes()
    return out


def _rows(url: str) -> list[dict[str, Any]]:
    async def q() -> list[dict[str, Any]]:
        con = await asyncpg.connect(url)
        try:
            rows = await con.fetch("SELECT id, sha256, state, attempts FROM document ORDER BY id")
            return [dict(r) for r in rows]
        finally:
            await con.close()

    return asyncio.run(q())


def _states(url: str) -> Counter[str]:
    try:
        return Counter(r["state"] for r in _rows(url))
    except (OSError, asyncpg.PostgresError):
        return Counter()


def _lines(
    logs: list[Path], pattern: re.Pattern[str], since: dict[Path, int] | None = None
) -> list[tuple[int, str, Path]]:
    """(document id, worker, log) of each line matching `pattern`, after `since`'s offsets."""
    found = []
    for log in logs:
        text = log.read_bytes()[(since or {}).get(log, 0) :].decode(errors="replace")
        found += [(int(m.group(1)), m.group(2), log) for m in pattern.finditer(text)]
    return found


def _move(staging: Path, inbox: Path) -> None:
    for p in sorted(staging.iterdir()):
        shutil.move(str(p), inbox / p.name)


def test_serve_and_two_workers_read_each_document_once_and_survive_postgres_restarts(
    settings: Settings, env: dict[str, str], cluster: Cluster, tmp_path: Path
) -> None:
    env = {**env, "KINCHART_OCR_WORKERS": "1", "KINCHART_LOG_LEVEL": "info"}
    url = settings.database_url
    inbox = settings.inbox_dir
    inbox.mkdir(parents=True)
    first = _docs(tmp_path / "first", 0, 20)
    second = _docs(tmp_path / "second", 20, 40)
    inputs = {**first, **second}
    server = Server(env, tmp_path / "serve.log")
    server.start()  # migrates the database before the workers open it
    workers = [Worker(env, tmp_path / f"worker-{i}.log") for i in (1, 2)]
    logs = [server.log, *(w.log for w in workers)]
    try:
        # Both workers up and polling before the batch arrives; on a busy 2-core machine their
        # start takes seconds, and serve alone would read the whole batch meanwhile.
        for w in workers:
            wait_for(lambda w=w: b"worker running" in w.log.read_bytes(), 120, f"{w.log.name}")
        # 1. A batch of 20, three processes reading: each document read once.
        _move(tmp_path / "first", inbox)
        wait_for(lambda: _states(url)["ready"] == 20, 180, "the first 20 documents")
        rows = _rows(url)
        assert [r["attempts"] for r in rows] == [1] * 20, rows
        reads = Counter(doc for doc, _, _ in _lines(logs, READING))
        assert sorted(reads) == sorted(r["id"] for r in rows)
        assert set(reads.values()) == {1}, f"read more than once: {reads}"
        readers = {log for _, _, log in _lines(logs, READY)}
        assert len(readers) >= 2, "the work was shared between processes"

        # 2. Forty more; PostgreSQL stopped for 10 s twice while they are read.
        _move(tmp_path / "second", inbox)
        for target in (25, 32):
            wait_for(lambda t=target: _states(url)["ready"] >= t, 180, f"{target} ready")
            cluster.stop("immediate")
            time.sleep(10)
            cluster.start()
        after_outages = {log: log.stat().st_size for log in logs}
        wait_for(
            lambda: (
                not any(inbox.iterdir())
                and (c := _states(url))["ready"] == 60
                and c["queued"] == c["processing"] == 0
            ),
            300,
            "all 60 documents read after the outages",
        )
        # Nobody was restarted: the same three processes, all alive.
        assert server.proc is not None and server.proc.poll() is None
        assert all(w.proc.poll() is None for w in workers)
        late = _lines(logs, READY, since=after_outages)
        assert {log for _, _, log in late} == set(logs), (
            "serve and both workers read documents after the second outage",
            [log.read_text()[-2000:] for log in logs],
        )
    finally:
        for w in workers:
            w.stop()
        server.stop()

    rows = _rows(url)
    by_sha = {r["sha256"]: r for r in rows}
    assert len(rows) == len(by_sha) == 60
    for name, body in inputs.items():
        sha = hashlib.sha256(body).hexdigest()
        assert by_sha[sha]["state"] == "ready", name
        assert (settings.data_dir / "originals" / sha[:2] / sha).read_bytes() == body
    # No document processed twice: each read again only after its read was cut short, and
    # made ready by at most one read. A document whose `ready` was committed just as the
    # database went away has no ready line (the worker saw the connection drop instead): it
    # is ready in the database and was not read again.
    reads = Counter(doc for doc, _, _ in _lines(logs, READING))
    ready = Counter(doc for doc, _, _ in _lines(logs, READY))
    cut = Counter(doc for doc, _, _ in _lines(logs, CUT))
    assert max(ready.values()) == 1, f"made ready more than once: {ready}"
    for doc_id in sorted(r["id"] for r in rows):
        assert reads[doc_id] == ready[doc_id] + cut[doc_id] >= 1, (doc_id, reads, ready, cut)
        if not ready[doc_id]:
            assert cut[doc_id] >= 1, (doc_id, cut)
    assert sum(ready.values()) >= 55, "nearly every read ends with its ready line"
    # The outages were felt (and said) by the processes, not slept through.
    assert "trying again" in "".join(log.read_text() for log in logs)
