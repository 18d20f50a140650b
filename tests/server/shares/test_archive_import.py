"""`import-archive` (server.shares.archive_import): an archive into a fresh Kinchart gives the
same originals, facts and review statuses; twice adds nothing; a reading leaves restored
facts alone; tampered or hostile archives are refused before anything is taken in."""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ocr.facts.model import DocumentFacts
from server.db.tables import Document, Fact
from server.facts import persist
from server.people import household
from server.runtime import Services, running
from server.settings import Settings, load_settings
from server.shares import archive
from server.shares.archive_import import ArchiveRefused, import_archive
from tests.fixtures.clinical_profile import make_clinical
from tests.server.shares.test_archive import with_originals

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
COMPARED = ("kind", "status", "name", "analyte", "code", "value_text", "value_num", "unit",
            "flag", "state", "confidence", "page", "boxes", "locator", "corrected")  # fmt: skip


@pytest.fixture
def other_settings(tmp_path: Path, settings: Settings) -> Iterator[Settings]:
    """A second Kinchart: its own data folder and its own database."""
    data = tmp_path / "other"
    url = f"sqlite:///{data / 'kinchart.sqlite3'}"
    admin = os.environ.get("KINCHART_TEST_PG_ADMIN_URL", "")
    name = f"kc_{uuid.uuid4().hex[:12]}"
    pg = settings.database_url.startswith("postgres")

    def sql(statement: str) -> None:
        import asyncpg

        async def go() -> None:
            con = await asyncpg.connect(admin)
            try:
                await con.execute(statement)
            finally:
                await con.close()

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, go()).result()

    if pg:
        sql(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + "/" + name
    yield load_settings(
        environ={}, env_file=None, data_dir=data, inbox_dir=tmp_path / "other-inbox",
        database_url=url, ocr_workers=1,
    )  # fmt: skip
    if pg:
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _snapshot(profile_id: int) -> tuple[dict[str, str], list[tuple[Any, ...]]]:
    docs = await Document.select(Document.id, Document.sha256, Document.original_name,
                                 Document.doc_type, Document.doc_date).where(
        Document.profile == profile_id)  # fmt: skip
    sha_of = {d["id"]: d["sha256"] for d in docs}
    facts = await Fact.select().where(Fact.profile == profile_id).output(load_json=True)
    rows = []
    for f in facts:
        data = {k: v for k, v in (f["data"] or {}).items() if k != persist.RESTORED}
        rows.append(
            (*(json.dumps(f[k], sort_keys=True) for k in COMPARED), str(f["effective"]),
             sha_of.get(f["document"]), json.dumps(data, sort_keys=True))
        )  # fmt: skip
    named = {d["sha256"]: f"{d['original_name']}|{d['doc_type']}|{d['doc_date']}" for d in docs}
    return named, sorted(rows)


async def test_round_trip_into_a_fresh_kinchart(
    settings: Settings, other_settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "grace.zip"
    async with running(settings) as a:
        c = await make_clinical()
        originals = await with_originals(a.store, c, tmp_path)
        await archive.build(a.store, c.profile, target, now=NOW)
        docs_before, facts_before = await _snapshot(c.profile)
    assert len(facts_before) > 5 and len({r[1] for r in facts_before}) >= 4  # several statuses

    async with running(other_settings) as b:
        profile = (await household.add_profile("Grace H.", slug="grace-here"))["id"]
        first = await import_archive(b.intake, target, profile)
        assert first.documents_new == len(originals) and not first.rejected
        assert first.facts_restored == len(facts_before)
        docs_after, facts_after = await _snapshot(profile)
        assert docs_after == docs_before  # same bytes (SHA-256), names, types and dates
        assert facts_after == facts_before  # same facts, statuses, confidence, citations
        for sha in docs_after:
            stored = b.store.original_path(sha).read_bytes()
            assert hashlib.sha256(stored).hexdigest() == sha
        assert {b.store.original_path(s).read_bytes() for s in docs_after} == set(
            originals.values()
        )

        again = await import_archive(b.intake, target, profile)
        assert again.documents_new == 0 and again.facts_restored == 0
        assert again.documents_known == len(originals)
        assert await _snapshot(profile) == (docs_after, facts_after)  # no duplicates

        # The workers read the documents again for pages and search: a reading that finds
        # nothing (or something else) leaves restored facts and metadata as they were.
        for doc in await Document.select(Document.id).where(Document.profile == profile):
            await persist.store(b.engine, doc["id"], DocumentFacts(kind="other"))
        assert await _snapshot(profile) == (docs_after, facts_after)


async def _archive(services: Services, tmp_path: Path) -> tuple[Path, int]:
    c = await make_clinical()
    await with_originals(services.store, c, tmp_path)
    target = tmp_path / "grace.zip"
    await archive.build(services.store, c.profile, target, now=NOW)
    other = (await household.add_profile("Empty", slug="empty"))["id"]
    return target, other


def _rewrite(src: Path, dst: Path, change: Any) -> Path:
    """A copy of the archive with `change(name, bytes) -> list of (name, bytes)` per member."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            for name, data in change(info.filename, zin.read(info)):
                zout.writestr(name, data)
    return dst


def _manifest_fix(data: bytes, edit: Any) -> bytes:
    m = json.loads(data)
    edit(m)
    return json.dumps(m).encode()


async def _refused(services: Services, path: Path, profile: int, match: str) -> None:
    with pytest.raises(ArchiveRefused, match=match) as refused:
        await import_archive(services.intake, path, profile)
    assert "Nothing was imported" in str(refused.value)
    assert not await Document.select(Document.id).where(Document.profile == profile)
    assert not await Fact.select(Fact.id).where(Fact.profile == profile)


async def test_tampered_and_hostile_archives_are_refused(
    services: Services, tmp_path: Path
) -> None:
    good, empty = await _archive(services, tmp_path)

    def tamper(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if "/originals/visit" in name:
            data = data[:-2] + b"X\n"
        return [(name, data)]

    await _refused(services, _rewrite(good, tmp_path / "t.zip", tamper), empty, "checksum")

    def escape(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [(name, data)] + ([("grace/../../x", b"hi")] if name.endswith("labs.csv") else [])

    await _refused(services, _rewrite(good, tmp_path / "e.zip", escape), empty, "outside")

    bomb = b"\0" * (40 * 1024 * 1024)
    entry = {"path": "grace/bomb.bin", "sha256": hashlib.sha256(bomb).hexdigest(),
             "size": len(bomb)}  # fmt: skip

    def zip_bomb(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name.endswith("manifest.json"):
            return [(name, _manifest_fix(data, lambda m: m["files"].append(entry))),
                    ("grace/bomb.bin", bomb)]  # fmt: skip
        return [(name, data)]

    await _refused(services, _rewrite(good, tmp_path / "b.zip", zip_bomb), empty, "zip bomb")

    def wrong_kind(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name.endswith("manifest.json"):
            data = _manifest_fix(data, lambda m: m["facts"][0].update(kind="horoscope"))
        return [(name, data)]

    await _refused(
        services, _rewrite(good, tmp_path / "k.zip", wrong_kind), empty, "manifest is wrong"
    )

    def extra(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [(name, data)] + ([("grace/more.pdf", b"%PDF")] if name.endswith("labs.csv") else [])

    await _refused(
        services, _rewrite(good, tmp_path / "x.zip", extra), empty, "not in its manifest"
    )

    def no_manifest(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [] if name.endswith("manifest.json") else [(name, data)]

    await _refused(services, _rewrite(good, tmp_path / "n.zip", no_manifest), empty, "no manif")
    not_zip = tmp_path / "n.zip"
    not_zip.write_bytes(b"hello" * 100)
    await _refused(services, not_zip, empty, "damaged")

    # The untouched archive goes in.
    done = await import_archive(services.intake, good, empty)
    assert done.facts_restored > 0 and not done.rejected
