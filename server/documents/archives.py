"""Health-record ZIPs (IHE XDM patient-portal downloads, ZIPs of FHIR JSON) opened safely.

The records inside are taken in one by one; the ZIP's stylesheets, XDM METADATA.XML, index
pages and read-me files are not records and are left out. A ZIP is refused whole, with its
reason, when a member's name climbs out of the folder (`../`), a member is itself an archive,
or it would inflate beyond what any record needs (a zip bomb): sizes are counted as bytes are
actually inflated, never taken from the archive's own headers.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ocr.detect import detect
from ocr.errors import ReadError

_ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"BZh")
_ARCHIVE_NAMES = (".zip", ".gz", ".tgz", ".7z", ".rar", ".tar", ".bz2", ".xz", ".jar")
_SKIPPED = (".xsl", ".xslt", ".htm", ".html", ".css", ".txt", ".md", ".js")
_OFFICE = ("word/", "xl/", "ppt/", "mimetype", "META-INF/manifest.xml")
_KEPT = ("ccda", "fhir", "pdf")
MAX_MEMBERS = 1000
MAX_RATIO = 200  # inflated / compressed, for members over 1 MB
_CHUNK = 1024 * 1024


class ArchiveRefused(Exception):
    """The ZIP is refused whole; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Member:
    """A record taken out of a ZIP: its name inside the ZIP and where it was written."""

    name: str
    path: Path


def is_record_zip(path: Path) -> bool:
    """Whether `path` is a ZIP that is not an office document (those detection explains)."""
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        return False
    return not any(n.startswith(_OFFICE) for n in names)


def expand(path: Path, into: Path, max_bytes: int) -> list[Member]:
    """The records in the ZIP at `path`, written under `into`; raises ArchiveRefused."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            if len(infos) > MAX_MEMBERS:
                raise ArchiveRefused(
                    f"{name} holds {len(infos)} files, more than the {MAX_MEMBERS} a health "
                    "record download has; unpack it and add the records inside."
                )
            for info in infos:
                _check_name(name, info)
            total = 0
            written: list[Member] = []
            for number, info in enumerate(infos, 1):
                lower = info.filename.lower()
                base = PurePosixPath(info.filename).name
                if lower.endswith(_SKIPPED) or base.lower() in ("metadata.xml", "readme"):
                    continue
                if lower.endswith(_ARCHIVE_NAMES):
                    raise _nested(name, info.filename)
                target = into / f"{number:04d}"
                total += _inflate(z, info, target, max_bytes, max_bytes * 4 - total, name)
                with open(target, "rb") as f:
                    if f.read(8).startswith(_ARCHIVE_MAGIC):
                        raise _nested(name, info.filename)
                try:
                    found = detect(target)
                except ReadError:
                    target.unlink()
                    continue  # not a record (a logo, a stray file): left out
                if found.kind in _KEPT:
                    written.append(Member(info.filename, target))
                else:
                    target.unlink()
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as error:
        raise ArchiveRefused(f"{name} is a damaged or encrypted ZIP ({error}).") from error
    if not written:
        raise ArchiveRefused(
            f"{name} holds no health record (C-CDA, FHIR or PDF). Unpack it and add the "
            "documents inside."
        )
    return written


def _check_name(zip_name: str, info: zipfile.ZipInfo) -> None:
    member = info.filename.replace("\\", "/")
    parts = PurePosixPath(member).parts
    if member.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        raise ArchiveRefused(
            f"{zip_name} is refused: its member “{info.filename}” would be written outside "
            "the archive's folder."
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ArchiveRefused(f"{zip_name} is refused: “{info.filename}” is a symbolic link.")


def _nested(zip_name: str, member: str) -> ArchiveRefused:
    return ArchiveRefused(
        f"{zip_name} is refused: it holds another archive (“{member}”). Unpack it and add "
        "the records inside."
    )


def _inflate(
    z: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int, left: int, name: str
) -> int:
    """Inflate one member, counting real bytes; a bomb is refused before it fills the disk."""
    cap = min(limit, left)
    written = 0
    with z.open(info) as src, open(target, "wb") as out:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            ratio = written / max(info.compress_size, 1)
            if written > cap or (written > _CHUNK and ratio > MAX_RATIO):
                out.close()
                target.unlink()
                raise ArchiveRefused(
                    f"{name} is refused: “{info.filename}” inflates far beyond its packed size "
                    f"(over {written // _CHUNK} MB from {info.compress_size} bytes), as a zip "
                    "bomb does."
                )
            out.write(chunk)
    return written
