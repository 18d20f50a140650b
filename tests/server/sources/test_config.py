"""What a source remembers (real database), and the vault its password is kept in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from server.db.tables import RemoteFile, SyncSource
from server.runtime import Services
from server.sources.config import Ledger, NewSource, add_source
from server.sources.vault import Vault, VaultError
from sync.pull import DONE, TAKEN
from sync.webdav import RemoteEntry


def _entry(name: str, etag: str = "e1", size: int = 10) -> RemoteEntry:
    return RemoteEntry(name, "/" + name, size, etag, 1_700_000_000.0)


async def test_ledger_remembers_versions_and_updates_rows_it_already_has(
    services: Services,
) -> None:
    row = await add_source(
        NewSource("https://nas/dav", "u", "p"), Vault(services.settings.data_dir)
    )
    ledger = Ledger(row["id"])
    a, b = _entry("a.pdf"), _entry("b.pdf")
    await ledger.remember(a, TAKEN, None)
    await ledger.remember_many([(a, None), (b, None)], DONE)  # a is there already: updated
    assert await ledger.known() == {
        ("/a.pdf", "e1", 10): DONE,
        ("/b.pdf", "e1", 10): DONE,
    }
    newer = _entry("a.pdf", etag="e2", size=12)  # a new version of a.pdf is a new row
    await ledger.remember(newer, DONE, None)
    assert len(await ledger.known()) == 3
    await ledger.forget_absent({("/a.pdf", "e2", 12)})
    assert list(await ledger.known()) == [("/a.pdf", "e2", 12)]
    await SyncSource.delete().where(SyncSource.id == row["id"])
    assert await RemoteFile.count() == 0, "a removed source's memory goes with it"


@pytest.mark.nodb
def test_vault_key_is_private_and_secrets_round_trip(tmp_path: Path) -> None:
    vault = Vault(tmp_path)
    token = vault.encrypt("app-password-xyz")
    assert "app-password-xyz" not in token
    assert Vault(tmp_path).decrypt(token) == "app-password-xyz"  # the same key, read back
    assert os.stat(tmp_path / "secret.key").st_mode & 0o777 == 0o600
    (tmp_path / "secret.key").unlink()
    with pytest.raises(VaultError, match=r"secret\.key"):
        Vault(tmp_path).decrypt(token)  # a new key cannot read the old secret
