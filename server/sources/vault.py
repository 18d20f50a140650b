"""Sync source passwords are kept in the vault (`server/vault.py`), which share links use too."""

from __future__ import annotations

from server.vault import KEY_FILE, Vault, VaultError

__all__ = ["KEY_FILE", "Vault", "VaultError"]
