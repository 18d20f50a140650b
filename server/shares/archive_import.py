"""`kinchart import-archive`: a Kinchart archive (server/shares/archive.py) into a profile.

Everything is checked before anything is taken in: the ZIP's member names (no absolute paths,
no `..`, no links, all under one folder), its size (each member inflated with a cap, as the
intake does for record ZIPs), the manifest's shape, and the SHA-256 and size of every file it
lists; a member it does not list, or a listed one missing, refuses the archive.

Then each original goes through the normal intake into the profile (the same bytes are the
same stored original, so a second run finds duplicates), the documents' metadata is restored,
and the facts are restored as they were — status, confidence, citation — instead of read
again. Restored facts carry `data["restored"]`; when the workers read the document (for its
pages and search), server/facts/persist.py sees them and leaves the document's facts and
metadata alone. A document whose facts were restored already is skipped: running twice adds
nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from server.db.engine import write_transaction
from server.db.tables import EXTRACTED, FACT_KINDS, FACT_STATUSES, Document, Fact
from server.documents.intake import Incoming, Intake
from server.errors import BadInput
from server.facts import same
from server.facts.persist import RESTORED
from server.shares.archive import FORMAT, MANIFEST, VERSION

MAX_MEMBERS = 100_000
MAX_RATIO = 200  # inflated / packed, for members over 1 MB (as server/documents/archives.py)
MAX_MANIFEST = 512 * 1024 * 1024
CHUNK = 1024 * 1024
SOURCE = "archive"
_DOC_TEXT = ("doc_type", "doc_date_kind", "provider", "facility", "title", "notes")
_FACT_COPY = (
    "kind", "status", "seq", "name", "analyte", "code", "value_text", "value_num", "unit",
    "flag", "state", "confidence", "corrected", "page", "boxes", "line", "locator",
)  # fmt: skip


class ArchiveRefused(BadInput):
    """An archive that is not taken in, with why; nothing of it was imported."""


@dataclass
class Imported:
    """What an import did."""

    documents_new: int = 0
    documents_known: int = 0
    facts_restored: int = 0
    facts_known: int = 0
    rejected: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Checked:
    """A verified archive: its manifest and its originals unpacked under `folder`."""

    manifest: dict[str, Any]
    folder: Path
    originals: dict[str, Path]  # document sha256 -> unpacked file


def _refuse(name: str, why: str) -> ArchiveRefused:
    return ArchiveRefused(f"{name} is refused: {why} Nothing was imported.")


def verify(path: Path, into: Path, max_bytes: int) -> Checked:
    """Check the whole archive and unpack its originals under `into`; raises ArchiveRefused."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _refuse(name, f"it holds {len(infos)} files.")
            root = _check_names(name, infos)
            by_name = {i.filename: i for i in infos if not i.is_dir()}
            manifest_name = f"{root}/{MANIFEST}"
            if manifest_name not in by_name:
                raise _refuse(name, "it has no manifest.json; it is not a Kinchart archive.")
            raw = _inflate(z, by_name[manifest_name], None, MAX_MANIFEST, name)
            manifest = _manifest(name, raw, root)
            listed = {f["path"]: f for f in manifest["files"]}
            extra = set(by_name) - set(listed) - {manifest_name}
            if extra:
                raise _refuse(name, f"“{sorted(extra)[0]}” is not in its manifest.")
            originals: dict[str, Path] = {}
            wanted = {f"{root}/{d['file']}": d["sha256"] for d in manifest["documents"]}
            for number, (member, entry) in enumerate(listed.items(), 1):
                info = by_name.get(member)
                if info is None:
                    raise _refuse(name, f"“{member}” is in its manifest but not in the archive.")
                target = into / f"{number:06d}" if member in wanted else None
                digest = hashlib.sha256()
                size = _inflate(z, info, target, min(int(entry["size"]), max_bytes), name, digest)
                if size != int(entry["size"]) or digest.hexdigest() != entry["sha256"]:
                    raise _refuse(
                        name, f"“{member}” does not match its checksum in the manifest: the "
                        "archive was changed or damaged.",
                    )  # fmt: skip
                if target is not None:
                    originals[wanted[member]] = target
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as error:
        raise _refuse(name, f"it is a damaged or encrypted ZIP ({error}).") from error
    return Checked(manifest, into, originals)


def _check_names(name: str, infos: list[zipfile.ZipInfo]) -> str:
    roots = set()
    seen = set()
    for info in infos:
        member = info.filename
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if (
            member.startswith(("/", "\\"))
            or "\\" in member
            or ".." in parts
            or (parts and ":" in parts[0])
            or len(parts) < 2
        ):
            raise _refuse(name, f"its member “{member}” would be written outside its folder.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(name, f"“{member}” is a symbolic link.")
        if member in seen:
            raise _refuse(name, f"“{member}” appears twice.")
        seen.add(member)
        roots.add(parts[0])
    if len(roots) != 1:
        raise _refuse(name, "a Kinchart archive holds one folder.")
    return roots.pop()


def _inflate(
    z: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path | None,
    cap: int,
    name: str,
    digest: Any = None,
) -> Any:
    """A member's bytes (neither target nor digest: returned) or their count (written to
    target, hashed into digest), never more than `cap` and never inflating far beyond the
    packed size (a zip bomb)."""
    kept = bytearray() if target is None and digest is None else None
    written = 0
    out = open(target, "wb") if target is not None else None  # noqa: SIM115
    try:
        with z.open(info) as src:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                ratio = written / max(info.compress_size, 1)
                if written > cap or (written > CHUNK and ratio > MAX_RATIO):
                    raise _refuse(
                        name, f"“{info.filename}” inflates beyond its declared or packed size "
                        f"({written:,} bytes from {info.compress_size:,}), as a zip bomb does.",
                    )  # fmt: skip
                if digest is not None:
                    digest.update(chunk)
                if out is not None:
                    out.write(chunk)
                elif kept is not None:
                    kept += chunk
    finally:
        if out is not None:
            out.close()
    return bytes(kept) if kept is not None else written


def _manifest(name: str, raw: bytes, root: str) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise _refuse(name, f"its manifest is not JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(name, "its manifest is not a Kinchart archive's.")
    if manifest.get("version") != VERSION:
        raise _refuse(name, f"it is version {manifest.get('version')!r}; this Kinchart reads "
                      f"version {VERSION}.")  # fmt: skip
    try:
        files = {f["path"]: f for f in manifest["files"]}
        for f in files.values():
            if not (isinstance(f["sha256"], str) and len(f["sha256"]) == 64):
                raise ValueError(f"bad checksum for {f['path']}")
            if int(f["size"]) < 0:
                raise ValueError(f"bad size for {f['path']}")
        shas = set()
        for d in manifest["documents"]:
            f = files.get(f"{root}/{d['file']}")
            if f is None or f["sha256"] != d["sha256"] or not str(d["original_name"]):
                raise ValueError(f"document {d.get('file')!r} does not match its file")
            shas.add(d["sha256"])
        for fact in manifest["facts"]:
            if fact["kind"] not in FACT_KINDS or fact["status"] not in FACT_STATUSES:
                raise ValueError(f"fact {fact.get('id')!r} has an unknown kind or status")
            if fact["document_sha256"] is not None and fact["document_sha256"] not in shas:
                raise ValueError(f"fact {fact.get('id')!r} cites a document not in the archive")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _refuse(name, f"its manifest is wrong ({error}).") from error
    return manifest


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _fact_row(fact: dict[str, Any], profile_id: int, doc_id: int | None, user_id: int) -> Fact:
    data = dict(fact.get("data") or {})
    data[RESTORED] = True
    values: dict[str, Any] = {k: fact.get(k) for k in _FACT_COPY}
    for k, empty in (("corrected", {}), ("boxes", [])):
        values[k] = values[k] if values[k] is not None else empty
    for k in ("name", "analyte", "code", "value_text", "unit", "flag", "state", "line", "locator"):
        values[k] = values[k] or ""
    reviewed = fact["status"] != EXTRACTED and user_id > 0
    return Fact(
        apart=bool(fact.get("apart")),  # "these are different" travels (older archives: no)
        profile=profile_id,
        document=doc_id,
        effective=_date(fact.get("effective")),
        data=data,
        reviewed_at=_datetime(fact.get("reviewed_at")),
        reviewed_by=user_id if reviewed else None,
        **values,
    )


def _same_manual(fact: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        str(fact.get(k) or "")
        for k in ("kind", "status", "name", "value_text", "unit", "effective")
    )


async def import_archive(
    intake: Intake, path: Path, profile_id: int, *, user_id: int = 0
) -> Imported:
    """Verify the archive, then take it into the profile. The caller checked access."""
    intake.store.ensure()
    folder = Path(tempfile.mkdtemp(prefix="archive-", dir=intake.store.tmp))
    try:
        checked = await asyncio.to_thread(verify, path, folder, intake.max_bytes)
        return await _restore(intake, checked, profile_id, user_id)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _restore(intake: Intake, checked: Checked, profile_id: int, user_id: int) -> Imported:
    manifest = checked.manifest
    done = Imported()
    docs = manifest["documents"]
    batch = [
        Incoming(
            checked.originals[d["sha256"]],
            SOURCE,
            original_name=str(d["original_name"]),
            profile_id=profile_id,
            own=True,
        )
        for d in docs
    ]
    results = await intake.take_many(batch) if batch else []
    doc_ids: dict[str, int] = {}
    for d, result in zip(docs, results, strict=True):
        if result.document_id is None or result.outcome == "rejected":
            done.rejected.append(f"{d['original_name']}: {result.reason}")
            continue
        if result.outcome == "new":
            done.documents_new += 1
        else:
            done.documents_known += 1
        doc_ids[d["sha256"]] = result.document_id
    by_doc: dict[str | None, list[dict[str, Any]]] = {}
    for fact in manifest["facts"]:
        by_doc.setdefault(fact["document_sha256"], []).append(fact)
    async with write_transaction(intake.engine):
        for d in docs:
            doc_id = doc_ids.get(d["sha256"])
            if doc_id is None:
                continue
            await _restore_document(d, doc_id, profile_id, by_doc.get(d["sha256"], []),
                                    user_id, done)  # fmt: skip
        manual = by_doc.get(None, [])
        if manual:
            have = await (
                Fact.select(*[getattr(Fact, k) for k in ("kind", "status", "name", "value_text",
                                                         "unit", "effective")])
                .where((Fact.profile == profile_id) & Fact.document.is_null())
            )  # fmt: skip
            known = {_same_manual({**r, "effective": _iso(r["effective"])}) for r in have}
            new = []
            for fact in manual:
                if _same_manual(fact) in known:
                    done.facts_known += 1
                    continue
                new.append(_fact_row(fact, profile_id, None, user_id))
            if new:
                await Fact.insert(*new)
            done.facts_restored += len(new)
        # The same result from several restored documents is one again (server/facts/same.py).
        await same.lock_profile(profile_id)
        await same.relink(profile_id)
    return done


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "")


async def _restore_document(
    d: dict[str, Any],
    doc_id: int,
    profile_id: int,
    facts: list[dict[str, Any]],
    user_id: int,
    done: Imported,
) -> None:
    values: dict[Any, Any] = {getattr(Document, k): str(d.get(k) or "") for k in _DOC_TEXT}
    values[Document.doc_date] = _date(d.get("doc_date"))
    await Document.update(values).where(Document.id == doc_id)
    have = (
        await Fact.select(Fact.id, Fact.status, Fact.data)
        .where(Fact.document == doc_id)
        .output(load_json=True)
    )
    if any((r["data"] or {}).get(RESTORED) for r in have):
        done.facts_known += len(facts)  # restored by an earlier run
        return
    # Facts a reading wrote meanwhile give way to the restored ones; reviewed ones cannot be
    # there (the document is new here) but are kept all the same.
    await Fact.delete().where((Fact.document == doc_id) & (Fact.status == EXTRACTED))
    rows = [_fact_row(f, profile_id, doc_id, user_id) for f in facts]
    for i in range(0, len(rows), 500):
        await Fact.insert(*rows[i : i + 500])
    done.facts_restored += len(rows)
