"""Secrets at rest (sync source passwords, share link tokens and keys), encrypted with a key
kept in the data folder (`<data dir>/secret.key`)."""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from server.errors import ExitCode, KinchartError

KEY_FILE = "secret.key"


class VaultError(KinchartError):
    """A stored secret cannot be read back."""

    status = 500
    exit_code = ExitCode.failed  # the source is skipped; the others still run


class Vault:
    """Encrypts and decrypts short secrets with `<data dir>/secret.key` (made 0600 on first use)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / KEY_FILE
        self._fernet: Fernet | None = None

    def encrypt(self, secret: str) -> str:
        return self._key().encrypt(secret.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str, ttl: int | None = None) -> str:
        """The secret; with `ttl`, VaultError when it was encrypted more than `ttl` s ago."""
        try:
            return self._key().decrypt(token.encode("ascii"), ttl=ttl).decode("utf-8")
        except (InvalidToken, ValueError):
            raise VaultError(
                f"A stored secret cannot be decrypted: {self.path} is not the key it was "
                "saved with. Restore that file, or enter the password (make the link) again."
            ) from None

    def _key(self) -> Fernet:
        if self._fernet is None:
            self._fernet = Fernet(_load_or_create(self.path))
        return self._fernet


@functools.lru_cache(maxsize=8)
def vault_at(data_dir: Path) -> Vault:
    """The vault of a data folder, made once per process (its key is read on first use)."""
    return Vault(data_dir)


def _load_or_create(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        # link() fails if another process made the key first: both then use the same one.
        os.link(tmp, path)
    except FileExistsError:
        return path.read_bytes().strip()
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return key
