"""How files are written into a backup and read back: copied, or encrypted with age (pyrage).

Every write returns the SHA-256 and size of the plain bytes, computed in the same pass, and
every read checks them again: a backup is verified file by file, encrypted or not.

Encryption is age's, through pyrage; nothing here is home-made. With an age recipient
(`age1…`) every file is encrypted to it, and restoring needs the matching identity file. With
a passphrase, the first backup to a folder makes an age identity, stores it in the folder
encrypted with the passphrase (age's scrypt recipient, `backup-key.age`), and encrypts every
file to that identity: one scrypt per run instead of one per file (each costs about 2 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyrage
from pyrage import x25519

from server.errors import BadInput

CHUNK = 1024 * 1024
HEADER = "kinchart-backup.json"
KEY_FILE = "backup-key.age"
FORMAT = 1


class WrongKey(BadInput):
    """The passphrase or identity does not open this backup."""


def _tmp(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")


def hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def copy_hashed(src: Path, dest: Path) -> tuple[str, int]:
    """Copy `src` to `dest` (through a temporary name), hashing in the same pass.

    The bytes hashed are the very bytes written (one buffer, read into, hashed, written), so
    the SHA-256 returned vouches for the copy, not only for the source. Unbuffered file
    objects and one reused buffer: no per-chunk allocation; hashlib and both system calls
    release the GIL, so copies in threads run side by side.
    """
    digest = hashlib.sha256()
    size = 0
    tmp = _tmp(dest)
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    try:
        with open(src, "rb", buffering=0) as fin, open(tmp, "wb", buffering=0) as fout:
            while n := fin.readinto(buf):
                chunk = view[:n]
                digest.update(chunk)
                while chunk:  # a raw write may write less than asked
                    chunk = chunk[fout.write(chunk) or 0 :]
                size += n
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return digest.hexdigest(), size


def append_hashed(src: Path, out: BinaryIO) -> tuple[str, int]:
    """Append `src` to the open file `out`, hashing the very bytes written; SHA-256, size."""
    digest = hashlib.sha256()
    size = 0
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    with open(src, "rb", buffering=0) as fin:
        while n := fin.readinto(buf):
            chunk = view[:n]
            digest.update(chunk)
            while chunk:
                chunk = chunk[out.write(chunk) or 0 :]
            size += n
    return digest.hexdigest(), size


def extract_hashed(src: Path, offset: int, length: int, dest: Path) -> tuple[str, int]:
    """`length` bytes of `src` from `offset` into the file `dest` (through a temporary name),
    hashed as they are written; their SHA-256 and how many there were (fewer if cut short)."""
    digest = hashlib.sha256()
    size = 0
    tmp = _tmp(dest)
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    try:
        with open(src, "rb", buffering=0) as fin, open(tmp, "wb", buffering=0) as fout:
            fin.seek(offset)
            while size < length and (n := fin.readinto(view[: min(CHUNK, length - size)])):
                chunk = view[:n]
                digest.update(chunk)
                while chunk:
                    chunk = chunk[fout.write(chunk) or 0 :]
                size += n
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return digest.hexdigest(), size


@dataclass
class Sealing:
    """Writes files into a backup folder and reads them back; `suffix` marks encrypted ones."""

    recipient: Any = None  # an age recipient, when encrypting
    identities: list[Any] = field(default_factory=list)  # to decrypt, when reading
    mode: str = "none"  # none | passphrase | recipient

    @property
    def suffix(self) -> str:
        return "" if self.mode == "none" else ".age"

    def put(self, src: Path, dest: Path, *, folder_made: bool = False) -> tuple[str, int]:
        """`src` into the backup at `dest` (+ suffix); the plain bytes' SHA-256 and size."""
        dest = Path(f"{dest}{self.suffix}")
        if not folder_made:
            dest.parent.mkdir(parents=True, exist_ok=True)
        if self.recipient is None:
            return copy_hashed(src, dest)
        sha, size = hash_file(src)
        tmp = _tmp(dest)
        try:
            pyrage.encrypt_file(str(src), str(tmp), [self.recipient])
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
        return sha, size

    def put_bytes(self, data: bytes, dest: Path) -> None:
        dest = Path(f"{dest}{self.suffix}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if self.recipient is not None:
            data = pyrage.encrypt(data, [self.recipient])
        tmp = _tmp(dest)
        tmp.write_bytes(data)
        os.replace(tmp, dest)

    def get(self, src: Path, dest: Path) -> tuple[str, int]:
        """The backup's `src` (+ suffix) as plain bytes at `dest`; their SHA-256 and size."""
        src = Path(f"{src}{self.suffix}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if self.mode == "none":
            return copy_hashed(src, dest)
        tmp = _tmp(dest)
        try:
            pyrage.decrypt_file(str(src), str(tmp), self.identities)
            os.replace(tmp, dest)
        except pyrage.DecryptError as exc:
            raise WrongKey(f"{src} cannot be decrypted: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
        return hash_file(dest)

    def get_bytes(self, src: Path) -> bytes:
        data = Path(f"{src}{self.suffix}").read_bytes()
        if self.mode == "none":
            return data
        try:
            return pyrage.decrypt(data, self.identities)
        except pyrage.DecryptError as exc:
            raise WrongKey(
                "This backup cannot be decrypted with the identity given: it was encrypted "
                "for another age recipient."
            ) from exc

    def exists(self, dest: Path) -> bool:
        return Path(f"{dest}{self.suffix}").exists()


def read_header(folder: Path) -> dict[str, Any] | None:
    path = folder / HEADER
    if not path.exists():
        return None
    header: dict[str, Any] = json.loads(path.read_text())
    if header.get("format") != FORMAT:
        raise BadInput(f"{folder} holds a backup format this Kinchart does not know.")
    return header


def for_backup(folder: Path, *, passphrase: str | None, recipient: str | None) -> Sealing:
    """The sealing for a new backup into `folder`: the one it was made with, if any.

    A folder keeps one kind of backup: mixing encrypted and plain snapshots would leave
    plain copies of health data beside the encrypted ones.
    """
    if passphrase is not None and recipient is not None:
        raise BadInput("Give a passphrase or an age recipient, not both.")
    wanted = "passphrase" if passphrase is not None else "recipient" if recipient else "none"
    header = read_header(folder)
    if header is None:
        folder.mkdir(parents=True, exist_ok=True)
        sealing = _new(folder, wanted, passphrase, recipient)
        (folder / HEADER).write_text(
            json.dumps({"format": FORMAT, "encryption": wanted, "recipient": recipient or ""})
        )
        return sealing
    if header["encryption"] != wanted:
        raise BadInput(
            f"{folder} holds backups with encryption '{header['encryption']}', and this one "
            f"was asked with '{wanted}': use the same options, or another folder."
        )
    if wanted == "recipient" and header.get("recipient") != recipient:
        raise BadInput(f"{folder} holds backups encrypted for another age recipient.")
    return for_reading(folder, header, passphrase=passphrase, identity=None, writing=True)


def _new(folder: Path, mode: str, passphrase: str | None, recipient: str | None) -> Sealing:
    if mode == "none":
        return Sealing()
    if mode == "recipient":
        try:
            return Sealing(recipient=x25519.Recipient.from_str(recipient or ""), mode=mode)
        except pyrage.RecipientError as exc:
            raise BadInput(f"Not an age recipient (age1…): {recipient}") from exc
    identity = x25519.Identity.generate()
    sealed = pyrage.passphrase.encrypt(str(identity).encode(), passphrase or "")
    (folder / KEY_FILE).write_bytes(sealed)
    return Sealing(identity.to_public(), [identity], mode)


def for_reading(
    folder: Path,
    header: dict[str, Any],
    *,
    passphrase: str | None,
    identity: Path | None,
    writing: bool = False,
) -> Sealing:
    """The sealing to read (or add to) the backup in `folder`, opened with what was given."""
    mode = header["encryption"]
    if mode == "none":
        return Sealing()
    if mode == "passphrase":
        if passphrase is None:
            raise BadInput(
                "This backup is encrypted with a passphrase: give it with --passphrase-stdin "
                "or KINCHART_BACKUP_PASSPHRASE."
            )
        try:
            secret = pyrage.passphrase.decrypt((folder / KEY_FILE).read_bytes(), passphrase)
        except pyrage.DecryptError as exc:
            raise WrongKey(
                "Wrong passphrase: it does not open this backup's key. Nothing was changed."
            ) from exc
        key = x25519.Identity.from_str(secret.decode())
        return Sealing(key.to_public(), [key], mode)
    recipient = x25519.Recipient.from_str(header["recipient"])
    if writing:
        return Sealing(recipient, [], mode)
    if identity is None:
        raise BadInput(
            f"This backup is encrypted for the age recipient {header['recipient']}: give its "
            "identity file with --identity FILE."
        )
    keys = [
        x25519.Identity.from_str(line.strip())
        for line in identity.read_text().splitlines()
        if line.strip().startswith("AGE-SECRET-KEY-")
    ]
    if not keys:
        raise BadInput(f"{identity} holds no age identity (AGE-SECRET-KEY-…).")
    if all(str(k.to_public()) != header["recipient"] for k in keys):
        raise WrongKey(
            f"The identity in {identity} is not the one this backup was encrypted for "
            f"({header['recipient']}). Nothing was changed."
        )
    return Sealing(recipient, keys, mode)
