"""`kinchart ingest` always exits: with SQLite write-locked by another process for longer than
the busy timeout, it says so and exits non-zero (it used to hang: a connection's thread was
left open)."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from server.db.engine import sqlite_path
from tests.fixtures.make_docs import digital_pdf
from tests.fixtures.procs import KINCHART, kinchart

pytestmark = pytest.mark.nodb  # SQLite's lock; run once, in the SQLite pass


def test_ingest_exits_when_the_database_stays_locked(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "KINCHART_SQLITE_BUSY_SECONDS": "2"}
    assert kinchart("documents", env=env).returncode == 0  # the database exists, migrated
    pdf = digital_pdf(tmp_path / "labs.pdf", [["Glucose 99 mg/dL"]])
    holder = sqlite3.connect(sqlite_path(env["KINCHART_DATABASE_URL"]), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # held far longer than the busy timeout
        started = time.monotonic()
        try:
            r = subprocess.run(
                [*KINCHART, "ingest", str(pdf)],
                env=env, capture_output=True, text=True, timeout=45, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail("kinchart ingest did not exit while the database stayed locked")
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.returncode == 5, r.stdout + r.stderr
    assert "The database is locked" in r.stderr and "KINCHART_SQLITE_BUSY_SECONDS" in r.stderr
    assert "Traceback" not in r.stderr
    assert took < 30
    assert pdf.exists()  # the file is still where it was: nothing lost
    r = kinchart("ingest", str(pdf), env=env)  # and once the lock is gone, it goes in
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 ready" in r.stdout
