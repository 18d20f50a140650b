"""Migrations are atomic: a start killed at any moment of any migration is followed by a start
that succeeds with the full schema; a migration that fails says which, why and what to do."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from piccolo.apps.migrations.tables import Migration

from server.db import engine as db
from server.db import migrate
from server.db.tables import TABLES, Arrival, Document, Page, Profile
from server.settings import Settings
from tests.fixtures.procs import KINCHART, free_port

MIGRATIONS: list[str] = []  # every migration id, oldest first (filled by `_all_ids`)


async def _all_ids(settings: Settings) -> list[str]:
    engine = db.make_engine(settings.effective_database_url)
    db.bind(engine)
    if isinstance(engine, db.PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=2)
    try:
        return await migrate.pending()
    finally:
        await db.close(engine)


async def _wipe(settings: Settings) -> None:
    """An empty database again (a first start)."""
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        path = db.sqlite_path(url)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = db.make_engine(url)
    assert isinstance(engine, db.PostgresEngine)
    await engine.start_connection_pool(min_size=1, max_size=2)
    try:
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    finally:
        await engine.close_connection_pool()


async def _migrate_to(settings: Settings, upto: str) -> None:
    engine = await db.connect(settings, migrate=False)
    try:
        assert await migrate.apply(engine, upto=upto)
    finally:
        await db.close(engine)


async def _start_succeeds_with_full_schema(settings: Settings, ids: list[str]) -> None:
    engine = await db.connect(settings)  # what every start does: open, migrate
    try:
        ran = await Migration.get_migrations_which_ran(app_name=migrate.APP)
        assert sorted(ran) == ids
        for table in TABLES:  # every column of every table is there
            await table.select().limit(1)
    finally:
        await db.close(engine)


def _serve(env: dict[str, str], log: Path, kill_after: float | None = None) -> float:
    """Start `kinchart serve` and SIGKILL it `kill_after` s after its app starts starting
    (uvicorn's "Waiting for application startup": opening the database and migrating come
    next); or, with `kill_after` None, let it start and return how long that took."""
    proc = subprocess.Popen(
        [*KINCHART, "serve"],
        env={**env, "KINCHART_PORT": str(free_port()), "KINCHART_LOG_LEVEL": "info"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    starting, started = threading.Event(), threading.Event()
    lines: list[bytes] = []

    def watch() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if b"Waiting for application startup" in line:
                starting.set()
            elif b"Application startup complete" in line:
                started.set()

    reader = threading.Thread(target=watch, daemon=True)
    reader.start()
    try:
        assert starting.wait(60), b"".join(lines).decode(errors="replace")[-2000:]
        t0 = time.monotonic()
        if kill_after is None:
            assert started.wait(60), b"".join(lines).decode(errors="replace")[-2000:]
            return time.monotonic() - t0
        time.sleep(kill_after)
        return kill_after
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        reader.join(5)
        log.write_bytes(b"".join(lines))


async def test_a_start_killed_at_any_moment_of_any_migration_is_followed_by_a_good_start(
    settings: Settings, env: dict[str, str], tmp_path: Path
) -> None:
    ids = await _all_ids(settings)
    assert len(ids) >= 2
    log = tmp_path / "serve.log"
    await _wipe(settings)
    # How long a whole first start takes on this machine now (opening, migrating, the rest).
    whole = _serve(env, log)
    # First start: 24 moments spread over it; upgrades: from a database at each earlier
    # migration, 3 moments each over the first half (the migrations come first).
    moments = [("first start", None, whole * i / 24) for i in range(24)]
    moments += [(f"upgrade from {m}", m, whole * i / 6) for m in ids[:-1] for i in range(3)]
    assert len(moments) >= 30
    for what, start_at, delay in moments:
        await _wipe(settings)
        if start_at is not None:
            await _migrate_to(settings, start_at)
        _serve(env, log, kill_after=delay)
        try:
            await _start_succeeds_with_full_schema(settings, ids)
        except Exception as exc:
            tail = log.read_text(errors="replace")[-1500:]
            raise AssertionError(f"{what}, killed after {delay:.3f} s: {exc}\n{tail}") from exc


async def test_a_migration_that_fails_is_rolled_back_named_and_stops_the_start(
    settings: Settings,
) -> None:
    ids = await _all_ids(settings)
    await _wipe(settings)
    # A table the first migration creates after `document` (arrival refers to it) is already
    # there: the migration fails half-way.
    engine = await db.connect(settings, migrate=False)
    try:
        await engine.run_ddl("CREATE TABLE arrival (x INTEGER)")
    finally:
        await db.close(engine)
    with pytest.raises(db.DatabaseError) as failed:
        await db.connect(settings)
    message = failed.value.user_message
    assert ids[0] in message and "rolled back" in message and "start again" in message
    engine = await db.connect(settings, migrate=False)
    try:
        # Nothing of the failed migration was kept, and it is not recorded as applied.
        assert not await Migration.get_migrations_which_ran(app_name=migrate.APP)
        assert not await Document.table_exists()
    finally:
        await db.close(engine)


async def test_upgrading_keeps_filing_under_profiles_an_admin_owns_or_nobody_does(
    settings: Settings,
) -> None:
    """Profile.filing_target on an existing household: a profile only non-admins own waits for
    an admin's confirmation; the rest keep being filed to (issue 11, finding 1)."""
    ids = await _all_ids(settings)
    before = max(m for m in ids if m < "2026-12-06T10:20:00")
    await _wipe(settings)
    await _migrate_to(settings, before)
    engine = await db.connect(settings, migrate=False)
    try:
        for sql in (
            "INSERT INTO kc_user (id, username, display_name, password_hash, is_admin, disabled,"
            " created_at) VALUES (1, 'admin', '', '-', TRUE, FALSE, CURRENT_TIMESTAMP),"
            " (2, 'ann', '', '-', FALSE, FALSE, CURRENT_TIMESTAMP)",
            "INSERT INTO profile (id, slug, display_name, color, created_at) VALUES"
            " (1, 'mum', 'Mum', '#000000', CURRENT_TIMESTAMP),"
            " (2, 'jane', 'Jane Doe', '#000000', CURRENT_TIMESTAMP),"
            " (3, 'grandpa', 'Grandpa', '#000000', CURRENT_TIMESTAMP)",
            'INSERT INTO kc_grant (id, key, "user", profile, role) VALUES'
            " (1, '1:1', 1, 1, 'owner'), (2, '2:2', 2, 2, 'owner')",
        ):
            await engine.run_ddl(sql)
    finally:
        await db.close(engine)
    engine = await db.connect(settings)
    try:
        rows = await Profile.select(Profile.slug, Profile.filing_target)
    finally:
        await db.close(engine)
    assert {r["slug"]: r["filing_target"] for r in rows} == {
        "mum": True,  # an admin owns it
        "jane": False,  # only a user owns it: an admin confirms it first
        "grandpa": True,  # nobody owns it: made with the CLI
    }


async def test_an_upgrade_backs_the_database_up_first_and_a_first_start_does_not(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    ids = await _all_ids(settings)
    backups = settings.data_dir / "backups"
    engine = await db.connect(settings)  # a first start: nothing to back up
    await db.close(engine)
    assert not backups.exists() or not list(backups.iterdir())

    await _wipe(settings)
    await _migrate_to(settings, ids[-2])
    caplog.set_level("WARNING", logger="server.db.migrate")
    engine = await db.connect(settings)  # the upgrade: the last migration is pending
    await db.close(engine)
    (copy,) = list(backups.iterdir())
    assert copy.name.startswith(f"pre-migrate-{ids[-1].replace(':', '-')}-")
    assert str(copy) in caplog.text
    if settings.effective_database_url.startswith("sqlite"):
        con = sqlite3.connect(copy)
        try:  # the database as it was before the upgrade
            ran = [r[0] for r in con.execute("SELECT name FROM migration ORDER BY name")]
        finally:
            con.close()
        assert ran == ids[:-1]
    else:
        listed = subprocess.run(
            ["pg_restore", "--list", str(copy)], capture_output=True, text=True, check=True
        ).stdout
        assert "TABLE public document" in listed

    # A copy that cannot be written stops the upgrade, and nothing is migrated.
    await _wipe(settings)
    await _migrate_to(settings, ids[-2])
    shutil.rmtree(backups)
    backups.write_text("a file where the folder should be")  # (root ignores permissions)
    with pytest.raises(migrate.PreMigrationBackupFailed, match="Free disk space"):
        await db.connect(settings)
    engine = await db.connect(settings, migrate=False)
    try:
        assert sorted(await Migration.get_migrations_which_ran(app_name=migrate.APP)) == ids[:-1]
    finally:
        await db.close(engine)


async def test_upgrading_lets_the_same_bytes_be_one_document_per_profile_and_keeps_everything(
    settings: Settings,
) -> None:
    """Document.sha256 unique per profile (issue 11, finding 8): SQLite rebuilds the table
    with foreign keys off, so nothing that refers to a document is lost on the way."""
    ids = await _all_ids(settings)
    before = max(m for m in ids if m < "2026-12-06T13:00:01")
    await _wipe(settings)
    await _migrate_to(settings, before)
    engine = await db.connect(settings, migrate=False)
    try:
        for sql in (
            "INSERT INTO profile (id, slug, display_name, color, created_at) VALUES"
            " (1, 'mum', 'Mum', '#000000', CURRENT_TIMESTAMP),"
            " (2, 'jane', 'Jane', '#000000', CURRENT_TIMESTAMP)",
            "INSERT INTO document (id, sha256, original_name, size, profile, state, created_at,"
            " updated_at) VALUES (1, 'aa', 'mum.pdf', 3, 1, 'ready', CURRENT_TIMESTAMP,"
            " CURRENT_TIMESTAMP)",
            "INSERT INTO page (document, number, text) VALUES (1, 1, 'the text of page one')",
            "INSERT INTO arrival (document, source, original_name, sha256, size, source_mtime,"
            " outcome, reason, received_at) VALUES (1, 'upload', 'mum.pdf', 'aa', 3, 0, 'new',"
            " '', CURRENT_TIMESTAMP)",
        ):
            await engine.run_ddl(sql)
        with pytest.raises(Exception, match=r"(?i)unique"):  # the old rule: one per bytes
            await engine.run_ddl(
                "INSERT INTO document (id, sha256, original_name, size, profile, state,"
                " created_at, updated_at) VALUES (2, 'aa', 'jane.pdf', 3, 2, 'queued',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
    finally:
        await db.close(engine)
    engine = await db.connect(settings)
    try:
        assert await Page.count().where(Page.document == 1) == 1, "the page survived"
        assert await Arrival.count().where(Arrival.document == 1) == 1, "the arrival too"
        await Document.insert(
            Document(id=3, sha256="aa", original_name="jane.pdf", size=3, profile=2, state="queued")
        )
        assert await Document.count().where(Document.sha256 == "aa") == 2
        with pytest.raises(Exception, match=r"(?i)unique"):  # within one profile: still one
            await Document.insert(
                Document(id=4, sha256="aa", original_name="again.pdf", size=3, profile=1)
            )
    finally:
        await db.close(engine)
