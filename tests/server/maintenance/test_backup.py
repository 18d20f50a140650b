"""Backup and restore round trip while a real `kinchart serve` ingests a batch; check after.

The old home: users, a profile with grants, lab reports read and some of their facts reviewed
through the web UI, then a second batch dropped in the inbox; `kinchart backup` runs while that
batch is being read. The restored home must hold exactly what the database held at some moment
during the backup: everything from before it started, nothing that did not exist after it
ended, every original intact; the old password logs in; once its server has read the documents
again, search finds the same documents; `kinchart check` is clean, then finds a damaged and a
missing original. Share links come back as they were (label, expiry, revocation, passcode hash,
views), and the address a clinician was sent before the backup still opens the share page of
the restored server: only the token's SHA-256 is in the database, so this proves the same token
is found again (and its encrypted copy opens with the restored secret.key).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from server.db import engine as db
from server.db.tables import (
    READY,
    AuditEvent,
    Document,
    Fact,
    Grant,
    Profile,
    ShareLink,
    ShareView,
    SyncSource,
    User,
)
from server.settings import load_settings
from server.shares import links
from server.sources.vault import Vault
from tests.fixtures.make_docs import scanned_pdf
from tests.fixtures.people import csrf_from
from tests.fixtures.procs import KINCHART, Server, add_user, kinchart, kinchart_json, wait_for
from tests.ocr.facts.lab_pages import Report, Row, columns, digital_pdf

PASSWORD = "correct horse battery"
PASSPHRASE = "a long backup passphrase"


def _report(i: int) -> Report:
    rows = [
        Row("Glucose", str(90 + i), "mg/dL", "70-99", "H" if 90 + i > 99 else ""),
        Row("Potassium", f"4.{i % 10}", "mmol/L", "3.5-5.1"),
        Row("Hemoglobin A1c", f"5.{i % 10}", "%", "4.0-5.6"),
    ]
    return Report(rows, collected=date(2020, 1, 1 + i % 28))


def _batch(folder: Path, start: int, n: int, *, scanned: bool = False) -> list[Path]:
    """Lab reports, born-digital (read in a blink) or scanned (OCR: a few seconds each)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        tmp = folder.parent / f".labs-{i}.pdf"
        if scanned:
            lines = [f"{r.name}  {r.value} {r.unit}  {r.reference}" for r in _report(i).rows]
            scanned_pdf(tmp, [["Riverside Clinical Laboratory", f"Report {i}", *lines]], dpi=150)
        else:
            digital_pdf(columns(_report(i)), tmp)
        path = folder / f"labs-{i}.pdf"
        os.replace(tmp, path)  # moved in complete: taken at once
        paths.append(path)
    return paths


def _dump(env: dict[str, str]) -> dict[str, Any]:
    """What the database of the home in `env` holds, table by table (rows by id)."""

    async def go() -> dict[str, Any]:
        settings = load_settings(
            environ={},
            env_file=None,
            data_dir=Path(env["KINCHART_DATA_DIR"]),
            database_url=env["KINCHART_DATABASE_URL"],
        )
        engine = await db.connect(settings, migrate=False)
        try:
            out: dict[str, Any] = {}
            for table in (
                User, Profile, Grant, Document, Fact, AuditEvent, SyncSource, ShareLink, ShareView,
            ):  # fmt: skip
                rows = await table.select().order_by(table.id)
                out[table._meta.tablename] = {r["id"]: r for r in rows}
            return out
        finally:
            await db.close(engine)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def _login_status(url: str, username: str, password: str) -> int:
    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as client:
        page = client.get("/login")
        r = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        )
        return r.status_code


def _review(url: str, confirm: int, reject: int) -> None:
    """Olga, the profile's owner, confirms one fact and rejects another in the web UI."""
    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as client:
        page = client.get("/login")
        r = client.post(
            "/login",
            data={"username": "olga", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        )
        assert r.status_code == 303
        token = csrf_from(client.get("/account").text)
        for fact_id, action in ((confirm, "confirm"), (reject, "reject")):
            r = client.post(f"/facts/{fact_id}/{action}", headers={"X-CSRF-Token": token})
            assert r.status_code in (200, 303), (r.status_code, r.text[:300])


def _share(env: dict[str, str], *args: str, stdin: str = "") -> dict[str, Any]:
    """Olga makes a share link to Dad's summary with `kinchart share create`."""
    r = subprocess.run(
        [*KINCHART, "share", "create", "dad", "--user", "olga", "--json", *args],
        input=stdin, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    made: dict[str, Any] = json.loads(r.stdout)
    return made


def _share_page(url: str, link: str, passcode: str = "") -> tuple[int, str]:
    """What a clinician's browser gets at the link's address (giving the passcode if asked)."""
    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as client:
        path = urlparse(link).path
        page = client.get(path)
        if passcode and 'data-testid="passcode-form"' in page.text:
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert csrf, page.text[:300]
            r = client.post(path, data={"passcode": passcode, "csrf_token": csrf.group(1)})
            assert r.status_code == 303, (r.status_code, r.text[:300])
            page = client.get(path)
        return page.status_code, page.text


def _settled(server: Server) -> bool:
    counts = server.counts()
    return counts.get("queued", 0) == 0 and counts.get("processing", 0) == 0


def _search(env: dict[str, str], word: str) -> set[int]:
    found = kinchart_json("search", word, "--all", "--per-page", "100", env=env)
    return {hit["doc_id"] for hit in found["hits"]}


def _restore_env(env: dict[str, str], tmp_path: Path, database_url: str) -> dict[str, str]:
    home = tmp_path / "restored"
    return {
        **env,
        "KINCHART_DATA_DIR": str(home / "data"),
        "KINCHART_INBOX_DIR": str(home / "inbox"),
        "KINCHART_DATABASE_URL": database_url,
    }


@pytest.mark.parametrize("encrypt", [False, True], ids=["plain", "encrypted"])
def test_round_trip_while_ingesting(
    env: dict[str, str], tmp_path: Path, fresh_database_url: str, encrypt: bool
) -> None:
    add_user("admin", PASSWORD, "--admin", env=env)
    add_user("olga", PASSWORD, env=env)
    add_user("vic", PASSWORD, env=env)
    assert kinchart("profile", "add", "Dad", "--slug", "dad", env=env).returncode == 0
    assert kinchart("grant", "olga", "dad", "owner", env=env).returncode == 0
    assert kinchart("grant", "vic", "dad", "viewer", env=env).returncode == 0
    # A WebDAV source: its password is encrypted with secret.key, which must come back too.
    env = {**env, "KINCHART_SYNC_SOURCES": "false"}
    r = subprocess.run(
        [*KINCHART, "source", "add", "webdav", "http://127.0.0.1:9/dav", "--user", "nas",
         "--password-stdin", "--no-check"],
        input="dav password 1\n", env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    # Share links: one for a week, one with a passcode that lasts, one revoked.
    patel = _share(env, "--label", "Dr. Patel")
    clinic = _share(env, "--label", "Walk-in clinic", "--expires", "never", "--passcode-stdin",
                    stdin="sesame-42\n")  # fmt: skip
    gone = _share(env, "--label", "Old surgeon", "--expires", "30d")
    assert kinchart("share", "revoke", str(gone["id"]), "--user", "olga", env=env).returncode == 0
    inbox = Path(env["KINCHART_INBOX_DIR"]) / "dad"
    _batch(inbox, 0, 3)
    old = Server(env, tmp_path / "old.log")
    old.start()
    dest = tmp_path / "backup"
    try:
        wait_for(lambda: old.counts().get("ready", 0) == 3, 180, "the first batch")
        # The clinician opens the link before the backup: the view is counted and logged.
        status, page = _share_page(old.url, patel["url"])
        assert status == 200 and "Dad" in page, page[:300]
        facts = kinchart_json("facts", "--profile", "dad", env=env)
        ids = [f["id"] for f in facts]
        assert len(ids) >= 6, facts
        confirmed, rejected = ids[0], ids[1]
        _review(old.url, confirmed, rejected)

        _batch(inbox, 3, 4, scanned=True)  # the second batch, read while the backup runs
        dumps: list[dict[str, Any]] = []

        def being_read() -> bool:
            dumps.append(_dump(env))
            return any(d["state"] != READY for d in dumps[-1]["document"].values())

        wait_for(being_read, 60, "the second batch to arrive")
        before = dumps[-1]
        args = ["backup", str(dest)] + (["--encrypt"] if encrypt else [])
        r = kinchart(*args, env={**env, "KINCHART_BACKUP_PASSPHRASE": PASSPHRASE})
        assert r.returncode == 0, r.stdout + r.stderr
        after = _dump(env)
        assert after["document"] != before["document"], "the backup ran while nothing moved"
        wait_for(lambda: _settled(old), 300, "the second batch to be read")
    finally:
        old.stop()
    expected_search = _search(env, "glucose")

    if encrypt:
        (snap,) = (dest / "snapshots").iterdir()
        assert sorted(p.name for p in snap.iterdir()) == [
            "database.sqlite3.age"
            if "sqlite" in env["KINCHART_DATABASE_URL"]
            else "database.pgdump.age",
            "manifest.json.age",
            "originals.txt",
            "secret.key.age",
        ]
        for path in (dest / "originals").rglob("*"):
            if path.is_file():
                assert path.name.endswith(".age")
                assert b"%PDF" not in path.read_bytes()[:4096]
    new_env = _restore_env(env, tmp_path, fresh_database_url)
    if encrypt:
        r = kinchart(
            "restore", str(dest), env={**new_env, "KINCHART_BACKUP_PASSPHRASE": "wrong one!"}
        )
        assert r.returncode == 2, r.stdout + r.stderr
        assert "Wrong passphrase" in r.stderr
        assert not (Path(new_env["KINCHART_DATA_DIR"]) / "originals").exists()
    r = kinchart("restore", str(dest), env={**new_env, "KINCHART_BACKUP_PASSPHRASE": PASSPHRASE})
    assert r.returncode == 0, r.stdout + r.stderr
    restored = _dump(new_env)

    # Users (with their password hashes), profiles, grants, share links and their views: as
    # they were.
    # (A profile's read_version is a cache key that each fact written by the ongoing ingest
    # changes: it is left out.)
    for dump in (restored, before, after):
        for row in dump["profile"].values():
            row.pop("read_version", None)
    for table in ("kc_user", "profile", "kc_grant", "sync_source", "share_link", "share_view"):
        assert restored[table] == before[table] == after[table], table
    shares = restored["share_link"]
    assert {r["label"] for r in shares.values()} == {"Dr. Patel", "Walk-in clinic", "Old surgeon"}
    assert shares[patel["id"]]["views"] == 1 and shares[patel["id"]]["expires_at"] is not None
    assert shares[clinic["id"]]["passcode_hash"].startswith("$argon2id$")
    assert shares[clinic["id"]]["expires_at"] is None
    assert shares[gone["id"]]["revoked_at"] is not None
    assert any(v["link"] == patel["id"] for v in restored["share_view"].values())
    # The token is kept encrypted with secret.key (restored too): the link is shown again as sent.
    vault = Vault(Path(new_env["KINCHART_DATA_DIR"]))
    base = patel["url"].split("/s/", 1)[0]
    for made in (patel, clinic, gone):
        assert links.links(shares[made["id"]], vault, base).full == made["url"]
    (source,) = restored["sync_source"].values()
    assert vault.decrypt(source["password_encrypted"]) == "dav password 1"
    # Documents: every one from before the backup, none that did not exist after it.
    # (A document read meanwhile may have been filed under its profile, or not yet.)
    docs = {i: (d["sha256"], d["profile"]) for i, d in restored["document"].items()}
    assert before["document"].keys() <= docs.keys() <= after["document"].keys()
    for i, (sha, profile) in docs.items():
        assert sha == after["document"][i]["sha256"]
        assert profile in (
            before["document"].get(i, {}).get("profile"),
            after["document"][i]["profile"],
        )
    # Each original there, byte for byte.
    store = Path(new_env["KINCHART_DATA_DIR"]) / "originals"
    for sha, _ in docs.values():
        assert hashlib.sha256((store / sha[:2] / sha).read_bytes()).hexdigest() == sha
    # Facts of the documents read before the backup, with their review status.
    was_ready = {i for i, d in before["document"].items() if d["state"] == READY}
    for fact_id, fact in before["fact"].items():
        if fact["document"] in was_ready:
            assert restored["fact"][fact_id] == fact
    assert restored["fact"][confirmed]["status"] == "confirmed"
    assert restored["fact"][rejected]["status"] == "rejected"
    # The audit log: everything up to the backup (the reviews among it), nothing invented.
    assert before["audit_event"].keys() <= restored["audit_event"].keys()
    for event_id, event in restored["audit_event"].items():
        assert after["audit_event"][event_id] == event

    new = Server(new_env, tmp_path / "new.log")
    new.start()
    try:
        assert _login_status(new.url, "olga", PASSWORD) == 303
        assert _login_status(new.url, "olga", "not the password") != 303
        # The addresses sent before the backup open the restored server's share pages.
        status, page = _share_page(new.url, patel["url"])
        assert status == 200 and "Dad" in page, page[:300]
        status, page = _share_page(new.url, clinic["url"])
        assert status == 200 and 'data-testid="passcode-form"' in page and "Dad" not in page
        status, page = _share_page(new.url, clinic["url"], passcode="sesame-42")
        assert status == 200 and "Dad" in page, page[:300]
        status, page = _share_page(new.url, gone["url"])
        assert status == 404 and "Dad" not in page
        wait_for(lambda: _settled(new), 300, "the restored documents to be read again")
        assert new.counts().get("ready", 0) == len(docs)
    finally:
        new.stop()
    again = _dump(new_env)
    assert again["fact"][confirmed]["status"] == "confirmed"  # reading again keeps reviews
    assert again["fact"][rejected]["status"] == "rejected"
    assert _search(new_env, "glucose") == expected_search & set(docs)
    assert _search(new_env, "glucose")

    checked = kinchart("check", env=new_env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    if encrypt:
        return
    # A damaged original and a missing one are found, by document.
    (damaged_id, (damaged, _)), (missing_id, (missing, _)) = sorted(docs.items())[:2]
    path = store / damaged[:2] / damaged
    path.chmod(0o600)
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    (store / missing[:2] / missing).unlink()
    checked = kinchart("check", env=new_env)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"document {damaged_id}: original {damaged} does not match its SHA-256" in checked.stdout
    assert f"document {missing_id}: original {missing} is missing" in checked.stdout
