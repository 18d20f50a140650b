"""Backup increments and rotation, restore's refusals, age recipients, check --repair, rebuild."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from pyrage import x25519

from server.db.tables import QUEUED, READY, Document
from server.errors import NotFound
from server.maintenance import backup as backups
from server.maintenance import check as checks
from server.maintenance import database
from server.maintenance import rebuild as rebuilds
from server.maintenance import restore as restores
from server.maintenance.sealing import WrongKey
from server.runtime import Services
from server.search import projection
from server.settings import Settings, load_settings
from tests.fixtures.people import make_document, make_household
from tests.fixtures.procs import kinchart, kinchart_json


def _fresh(tmp_path: Path, url: str) -> Settings:
    return load_settings(
        environ={}, env_file=None, data_dir=tmp_path / "restored" / "data", database_url=url
    )


def _env(settings: Settings, base: dict[str, str]) -> dict[str, str]:
    return {
        **base,
        "KINCHART_DATA_DIR": str(settings.data_dir),
        "KINCHART_DATABASE_URL": settings.effective_database_url,
    }


async def test_a_second_backup_copies_only_new_originals_and_keep_rotates(
    services: Services, tmp_path: Path
) -> None:
    await make_household(services.store)
    dest = tmp_path / "backup"
    first = await backups.backup(services.settings, services.store, dest)
    assert (first.originals_copied, first.originals_kept) == (3, 0)
    new = await make_document(services.store, "new-scan.pdf", None)
    second = await backups.backup(services.settings, services.store, dest)
    assert (second.originals_copied, second.originals_kept) == (1, 3)
    assert (
        second.bytes_copied
        == services.store.original_path(
            (await Document.select(Document.sha256).where(Document.id == new).first() or {})[
                "sha256"
            ]
        )
        .stat()
        .st_size
    )
    assert len(backups.complete_snapshots(dest)) == 2

    # A document that goes: its original leaves the backup with the last snapshot naming it.
    gone = await Document.select(Document.sha256).where(Document.id == new).first()
    assert gone is not None
    await Document.delete().where(Document.id == new)
    # Unencrypted, each run's new originals went into one pack of its own.
    packs = dest / "originals" / "packs"
    assert sorted(p.name for p in packs.iterdir()) == [
        f"{first.snapshot.name}.pack",
        f"{second.snapshot.name}.pack",
    ]
    assert (packs / f"{second.snapshot.name}.pack").stat().st_size == second.bytes_copied
    # What an interrupted run leaves: a pack cut short, and one no complete snapshot names.
    (packs / f".{backups.snapshot_name()}.pack.part").write_bytes(b"half a file")
    (packs / f"{first.snapshot.name[:-2]}0Z.pack").write_bytes(b"never finished")
    third = await backups.backup(services.settings, services.store, dest, keep=1)
    assert third.removed == [s.name for s in (first.snapshot, second.snapshot)]
    assert [s.name for s in backups.complete_snapshots(dest)] == [third.snapshot.name]
    assert (third.originals_copied, third.originals_kept) == (0, 3)
    # The first pack is still needed; the second held only the gone document's original.
    assert sorted(p.name for p in packs.iterdir()) == [f"{first.snapshot.name}.pack"]
    index = backups.packed_in(dest)
    assert len(index) == 3 and gone["sha256"] not in index


async def test_restore_refuses_a_non_empty_home_and_a_damaged_backup(
    services: Services, tmp_path: Path, fresh_database_url: str
) -> None:
    await make_household(services.store)
    dest = tmp_path / "backup"
    await backups.backup(services.settings, services.store, dest)
    fresh = _fresh(tmp_path, fresh_database_url)

    # One changed byte in one original (in the pack): nothing at all is restored.
    (victim,) = (dest / "originals" / "packs").iterdir()
    sha, (_, offset) = sorted(backups.packed_in(dest).items())[1]
    data = bytearray(victim.read_bytes())
    data[offset + 3] ^= 1
    victim.write_bytes(bytes(data))
    with pytest.raises(restores.BackupDamaged, match=r"1 file\(s\) missing or changed") as err:
        await restores.restore(fresh, dest)
    assert f"original {sha} at {offset}" in str(err.value)
    assert not (fresh.data_dir / "originals").exists()
    assert await restores.database.is_empty(fresh.effective_database_url)
    data[offset + 3] ^= 1
    victim.write_bytes(bytes(data))

    result = await restores.restore(fresh, dest)
    assert result.documents == 3
    originals = fresh.data_dir / "originals"
    restored = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in originals.glob("*/*")}
    assert len(restored) == 3 and all(sha == name for sha, name in restored.items())
    with pytest.raises(restores.NotEmpty, match="is not empty"):
        await restores.restore(fresh, dest)
    await restores.restore(fresh, dest, force=True)  # replaces what is there
    # The live home is not empty either.
    with pytest.raises(restores.NotEmpty):
        await restores.restore(services.settings, dest)


async def test_an_age_recipient_backup_needs_its_identity(
    services: Services, tmp_path: Path, fresh_database_url: str, env: dict[str, str]
) -> None:
    await make_household(services.store)
    key = x25519.Identity.generate()
    dest = tmp_path / "backup"
    await backups.backup(services.settings, services.store, dest, recipient=str(key.to_public()))
    for path in (dest / "originals").glob("*/*"):
        assert path.suffix == ".age" and b"%PDF" not in path.read_bytes()
    fresh = _fresh(tmp_path, fresh_database_url)
    with pytest.raises(restores.BadInput, match="--identity"):
        await restores.restore(fresh, dest)
    other = tmp_path / "other.key"
    other.write_text(f"# another key\n{x25519.Identity.generate()}\n")
    with pytest.raises(WrongKey, match="not the one this backup was encrypted for"):
        await restores.restore(fresh, dest, identity=other)
    mine = tmp_path / "mine.key"
    mine.write_text(f"{key}\n")
    await restores.restore(fresh, dest, identity=mine)
    listed = kinchart_json("documents", env=_env(fresh, env))
    restored = {d["sha256"] for d in listed}
    originals = fresh.data_dir / "originals"
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in originals.glob("*/*")} == restored
    assert len(restored) == 3


async def test_check_finds_and_repairs_what_can_be_made_again(services: Services) -> None:
    h = await make_household(services.store)
    backend = services.search
    assert backend is not None
    await projection.rebuild(backend)
    report = await checks.check(services.settings, services.store, backend)
    assert report.problems == [] and report.documents == 3

    dad, kid = h.docs["dad"], h.docs["kid"]
    shutil.rmtree(services.store.derived_dir(dad))
    backend.remove([kid])
    stray = services.store.originals / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"left behind")
    report = await checks.check(services.settings, services.store, backend)
    kinds = sorted((p.kind, p.document, p.repairable) for p in report.problems)
    assert kinds == [("index", kid, True), ("no-pages", dad, True), ("orphan", None, False)]
    assert next(p for p in report.remaining if not p.repairable).message.startswith(
        f"originals/ab/ab{'0' * 62}"
    )

    repaired = await checks.check(services.settings, services.store, backend, repair=True)
    assert repaired.repaired
    row = await Document.select(Document.state).where(Document.id == dad).first()
    assert row is not None and row["state"] == QUEUED  # read again by the workers
    assert kid in backend.stamps()
    stray.unlink()
    assert (await checks.check(services.settings, services.store, backend)).problems == []


async def test_rebuild_queues_documents_and_refuses_unknown_ones(services: Services) -> None:
    h = await make_household(services.store)
    with pytest.raises(NotFound, match="No document 999"):
        await rebuilds.rebuild([h.docs["dad"], 999])
    assert await rebuilds.rebuild([h.docs["dad"]]) == [h.docs["dad"]]
    states = {r["id"]: r["state"] for r in await Document.select(Document.id, Document.state)}
    assert states == {h.docs["dad"]: QUEUED, h.docs["kid"]: READY, h.docs["unfiled"]: READY}
    assert sorted(await rebuilds.rebuild(None)) == sorted([h.docs["kid"], h.docs["unfiled"]])


def test_rebuild_and_check_commands(env: dict[str, str]) -> None:
    r = kinchart("rebuild", env=env)
    assert r.returncode == 2 and "give document ids, or --all" in r.stderr
    r = kinchart("rebuild", "12345", env=env)
    assert r.returncode == 3 and "No document 12345" in r.stderr
    r = kinchart("check", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert '"ok": true' in r.stdout


def test_pg_tools_get_the_password_in_their_environment_not_their_command_line() -> None:
    url, env = database._without_password("postgresql://kc:s%40cret@db.lan:5433/kinchart")
    assert url == "postgresql://kc@db.lan:5433/kinchart"
    assert env["PGPASSWORD"] == "s@cret"
    assert database._without_password("postgresql://kc@db/k")[0] == "postgresql://kc@db/k"


async def test_with_derived_the_page_files_come_back_too(
    services: Services, tmp_path: Path, fresh_database_url: str
) -> None:
    h = await make_household(services.store)
    dest = tmp_path / "backup"
    result = await backups.backup(
        services.settings, services.store, dest, with_derived=True, passphrase="long enough pw"
    )
    assert result.problems == []
    fresh = _fresh(tmp_path, fresh_database_url)
    with pytest.raises(WrongKey, match="Wrong passphrase"):
        await restores.restore(fresh, dest, passphrase="not the one")
    await restores.restore(fresh, dest, passphrase="long enough pw")
    for doc_id in h.docs.values():
        old = services.store.derived_dir(doc_id)
        new = fresh.data_dir / "derived" / str(doc_id)
        names = sorted(p.relative_to(old) for p in old.rglob("*") if p.is_file())
        assert names and names == sorted(p.relative_to(new) for p in new.rglob("*") if p.is_file())
        for name in names:
            assert (new / name).read_bytes() == (old / name).read_bytes()


async def test_a_backup_from_before_packs_is_restored_and_added_to(
    services: Services, tmp_path: Path, fresh_database_url: str
) -> None:
    await make_household(services.store)
    dest = tmp_path / "backup"
    first = await backups.backup(services.settings, services.store, dest)
    # Made as backups were before packs: each original loose, by name; no offsets anywhere.
    for sha in backups.packed_in(dest):
        loose = dest / "originals" / sha[:2] / sha
        loose.parent.mkdir(exist_ok=True)
        shutil.copyfile(services.store.original_path(sha), loose)
    shutil.rmtree(dest / "originals" / "packs")
    needed = first.snapshot / backups.NEEDED
    names = [line.split("\t")[0] for line in needed.read_text().splitlines()]
    needed.write_text("".join(f"{sha}\n" for sha in names))
    manifest = first.snapshot / backups.MANIFEST
    old = json.loads(manifest.read_text())
    del old["packed"]
    manifest.write_text(json.dumps(old))

    new = await make_document(services.store, "new-scan.pdf", None)
    second = await backups.backup(services.settings, services.store, dest, keep=1)
    assert (second.originals_copied, second.originals_kept) == (1, 3)
    assert len(list((dest / "originals").glob("??/*"))) == 3  # still needed: kept
    (pack,) = (dest / "originals" / "packs").iterdir()
    assert pack.stat().st_size == second.bytes_copied
    fresh = _fresh(tmp_path, fresh_database_url)
    result = await restores.restore(fresh, dest)
    assert result.documents == 4
    row = await Document.select(Document.sha256).where(Document.id == new).first()
    assert row is not None
    restored = fresh.data_dir / "originals" / row["sha256"][:2] / row["sha256"]
    assert restored.read_bytes() == services.store.original_path(row["sha256"]).read_bytes()
