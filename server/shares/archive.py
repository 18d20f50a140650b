"""The take-it-with-you archive of one profile (`kinchart export --format archive`): a ZIP that
another Kinchart restores with `kinchart import-archive` (server/shares/archive_import.py).

Inside, under one folder named after the profile:

- `originals/`: every read document's original, byte for byte, under its original name
  (`name (2).pdf` when two documents share one);
- `record.fhir.json`: the whole record as a FHIR R4 collection Bundle (server/shares/record.py);
- `labs.csv`, `vitals.csv`: one row per result, with unit, flag, reference range and date;
- `summary.pdf`: the printed summary (server/shares/printable.py);
- `README.html`: what is inside, readable offline (no external references);
- `manifest.json`, written last: the SHA-256 and size of every other file, and what the import
  needs to restore facts as they were rather than read them again (each fact's columns,
  review status, confidence and citation: its document's SHA-256, page, boxes, locator) and
  each document's metadata. Backups (server/maintenance/) are the whole server; this is one
  profile, for any Kinchart.

Written with bounded memory: originals are copied into the ZIP one by one from the store (their
SHA-256 is the store's name for them, so they are not hashed again; PDFs and images stored, not
deflated: they are compressed already); the facts are read once for all the files made from
them; the archive is built in a temporary file beside the target and renamed over it once
complete.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import csv
import hashlib
import html
import io
import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from server.access.scope import LIVE
from server.db.tables import READY, Document, Fact, Profile
from server.errors import BadInput, NotFound
from server.health.records import FactRow, profile_facts
from server.shares.printable import summary_pdf
from server.shares.record import record_bundle
from server.store import Store

FORMAT = "kinchart-archive"
VERSION = 1
MANIFEST = "manifest.json"
COMPRESSION = zipfile.ZIP_DEFLATED
COMPRESS_LEVEL = 1  # for what is deflated: speed first
# Stored as they are, not deflated: their content is compressed already (PDF streams, JPEG,
# PNG…), so deflating costs time for next to nothing, as in every exporter of photos and PDFs.
STORED_MIMES = frozenset({
    "application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic",
    "image/heif", "application/zip", "application/gzip",
})  # fmt: skip
CHUNK = 1024 * 1024
CSV_COLUMNS = (
    "date", "name", "code", "value", "unit", "flag", "reference_range", "status", "document",
)  # fmt: skip
FACT_FIELDS = (
    "kind", "status", "seq", "name", "analyte", "code", "effective", "value_text", "value_num",
    "unit", "flag", "state", "data", "confidence", "corrected", "page", "boxes", "line",
    "locator", "reviewed_at", "apart",
)  # fmt: skip
DOCUMENT_FIELDS = (
    "original_name", "mime", "size", "doc_type", "doc_date", "doc_date_kind", "provider",
    "facility", "title", "notes", "created_at",
)  # fmt: skip

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


@dataclass(frozen=True)
class Built:
    """What went into an archive."""

    path: Path
    size: int
    documents: int
    facts: int


def compression_for(mime: str | None) -> int:
    """How a file of type `mime` goes into the archive: stored if already compressed."""
    return zipfile.ZIP_STORED if (mime or "").lower() in STORED_MIMES else COMPRESSION


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem (2).ext`, `stem (3).ext`… when already taken (case-insensitively)."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip() or "document"
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        stem, dot, ext = base.rpartition(".")
        candidate = f"{stem} ({n}).{ext}" if dot and stem else f"{base} ({n})"
    taken.add(candidate.lower())
    return candidate


def results_csv(rows: list[FactRow]) -> bytes:
    """Lab results or vital signs, one row per result, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    ordered = sorted(rows, key=lambda r: (r.when or date.min, r.name, r.id))
    for r in ordered:
        value = r.value_text or ("" if r.value_num is None else f"{r.value_num:g}")
        writer.writerow(
            [
                r.when.isoformat() if r.when else "",
                r.name,
                r.code,
                value,
                r.unit,
                r.flag,
                r.reference_text,
                r.status,
                r.doc_name or "entered by hand",
            ]
        )
    return out.getvalue().encode("utf-8")


def readme(profile: dict[str, Any], files: list[dict[str, Any]], moment: datetime) -> bytes:
    """An offline page listing every file: inline style only, relative links only."""
    e = html.escape
    rows = "\n".join(
        f'<tr><td><a href="{e(f["path"].split("/", 1)[1])}">{e(f["path"].split("/", 1)[1])}'
        f'</a></td><td>{e(f["about"])}</td><td class="n">{f["size"]:,}</td>'
        f"<td><code>{e(f['sha256'])}</code></td></tr>"
        for f in files
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Health record of {e(str(profile["display_name"]))}</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2em;max-width:70em}}
table{{border-collapse:collapse}}td,th{{border-bottom:1px solid #ccc;padding:.3em .6em;
text-align:left;vertical-align:top}}.n{{text-align:right}}code{{font-size:11px}}</style>
</head><body>
<h1>Health record of {e(str(profile["display_name"]))}</h1>
<p>Exported from Kinchart on {e(moment.strftime("%Y-%m-%d %H:%M UTC"))}. Everything here is
yours: the original documents as they arrived, the record as FHIR R4 (for other health
software), the lab results and vital signs as spreadsheets (CSV), and a printed summary.
Another Kinchart takes the whole archive back in with <code>kinchart import-archive</code>.</p>
<p><code>manifest.json</code> holds the SHA-256 of every file below, to check nothing changed.</p>
<table><thead><tr><th>File</th><th>What it is</th><th>Bytes</th><th>SHA-256</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""
    return page.encode("utf-8")


async def _facts(profile_id: int, citations: dict[int, str]) -> list[dict[str, Any]]:
    """Every fact of the profile, rejected ones too (so their review travels), with its
    citation by document SHA-256."""
    columns = [getattr(Fact, name) for name in FACT_FIELDS]
    rows = (
        await Fact.select(Fact.id, Fact.document, *columns)
        .where(Fact.profile == profile_id)
        .order_by(Fact.id)
        .output(load_json=True)
    )
    out = []
    for r in rows:
        doc = r.pop("document")
        if doc is not None and doc not in citations:
            continue  # its document is not read (or not this profile's yet): it has no facts
        fact = {k: _plain(v) for k, v in r.items()}
        fact["document_sha256"] = citations.get(doc) if doc is not None else None
        out.append(fact)
    return out


async def build(
    store: Store,
    profile_id: int,
    target: Path,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Built:
    """Write the profile's archive to `target`, all or nothing. The caller checked access."""
    profile = await Profile.select().where(Profile.id == profile_id).first()
    if profile is None:
        raise NotFound("No such profile.")
    if not target.parent.is_dir():
        raise BadInput(f"The folder {target.parent} does not exist.")
    moment = now or datetime.now(UTC)
    docs = list(
        await Document.select(Document.id, Document.sha256, *[
            getattr(Document, n) for n in DOCUMENT_FIELDS
        ]).where((Document.profile == profile_id) & (Document.state == READY) & LIVE)
        .order_by(Document.id)
    )  # fmt: skip
    for doc in docs:
        if not store.original_path(doc["sha256"]).is_file():
            raise NotFound(f"The original of “{doc['original_name']}” is missing from the store.")
    root = str(profile["slug"])
    taken: set[str] = set()
    documents = []
    for doc in docs:
        name = unique_name(str(doc["original_name"]), taken)
        entry = {k: _plain(doc[k]) for k in DOCUMENT_FIELDS}
        documents.append({**entry, "sha256": doc["sha256"], "file": f"originals/{name}"})
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created": moment.isoformat(),
        "profile": {
            "slug": root,
            "display_name": profile["display_name"],
            "date_of_birth": _plain(profile.get("date_of_birth")),
        },
    }
    # The originals go into the ZIP (a thread) while the rest is made (the database, the PDF
    # in a thread of its own); the writer takes the rest once its originals are in.
    rest: concurrent.futures.Future[tuple[list[tuple[str, bytes, str]], list[Any]]] = (
        concurrent.futures.Future()
    )
    writer = asyncio.ensure_future(asyncio.to_thread(
        _write, store, target, root, docs, documents, rest, header, progress, moment, profile,
    ))  # fmt: skip
    try:
        # The facts as the views read them, once: the CSVs, the bundle and the summary are
        # each made from this one list (they used to read it again, five reads in all).
        rows = await profile_facts(profile_id, held=True)
        facts, record, summary = await asyncio.gather(
            _facts(profile_id, {d["id"]: d["sha256"] for d in docs}),
            record_bundle(profile_id, now=moment, facts=rows),
            summary_pdf(profile_id, now=moment, facts=rows),
        )
        labs = [r for r in rows if r.kind == "lab"]
        vitals = [r for r in rows if r.kind == "vital"]
        bundle = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        generated = [
            ("record.fhir.json", bundle, "The whole record as a FHIR R4 Bundle."),
            ("labs.csv", results_csv(labs), "Lab results, one row per result."),
            ("vitals.csv", results_csv(vitals), "Vital signs, one row per measurement."),
            ("summary.pdf", summary, "The printed summary."),
        ]
        rest.set_result((generated, facts))
    except BaseException as error:
        rest.set_exception(error)
        with contextlib.suppress(BaseException):
            await writer
        raise
    await writer
    return Built(target, target.stat().st_size, len(docs), len(facts))


def _write(
    store: Store,
    target: Path,
    root: str,
    docs: list[dict[str, Any]],
    documents: list[dict[str, Any]],
    rest: concurrent.futures.Future[tuple[list[tuple[str, bytes, str]], list[Any]]],
    header: dict[str, Any],
    progress: Progress | None,
    moment: datetime,
    profile: dict[str, Any],
) -> None:
    """The ZIP itself (in a thread): a temporary file renamed over `target` once complete."""
    total = sum(int(d["size"] or 0) for d in docs) + 1
    done = 0
    files: list[dict[str, Any]] = []
    temp = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(
            temp, "w", compression=COMPRESSION, compresslevel=COMPRESS_LEVEL, allowZip64=True
        ) as z:
            for doc, entry in zip(docs, documents, strict=True):
                path = f"{root}/{entry['file']}"
                size = _copy(z, store.original_path(doc["sha256"]), path, entry["mime"])
                about = (
                    f"Original document{' (' + doc['doc_type'] + ')' if doc['doc_type'] else ''}."
                )
                files.append({"path": path, "sha256": doc["sha256"], "size": size, "about": about})
                done += size
                if progress:
                    progress(done, total)
            generated, facts = rest.result()  # raises what making them raised
            total = done + sum(len(g[1]) for g in generated)
            for name, data, about in generated:
                path = f"{root}/{name}"
                kind = "application/pdf" if name.endswith(".pdf") else None
                z.writestr(path, data, compress_type=compression_for(kind))
                sha = hashlib.sha256(data).hexdigest()
                files.append({"path": path, "sha256": sha, "size": len(data), "about": about})
                done += len(data)
                if progress:
                    progress(done, total)
            page = readme(profile, files, moment)
            files.insert(0, {
                "path": f"{root}/README.html", "sha256": hashlib.sha256(page).hexdigest(),
                "size": len(page), "about": "This page.",
            })  # fmt: skip
            z.writestr(f"{root}/README.html", page)
            manifest = {
                **header,
                "files": [{k: f[k] for k in ("path", "sha256", "size")} for f in files],
                "documents": documents,
                "facts": facts,
            }
            z.writestr(
                f"{root}/{MANIFEST}",
                json.dumps(manifest, ensure_ascii=False, separators=(",", ":")),
            )
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _copy(z: zipfile.ZipFile, src: Path, arcname: str, mime: str | None) -> int:
    """One original into the ZIP; zipfile copies it a chunk at a time."""
    z.write(src, arcname, compress_type=compression_for(mime))
    return src.stat().st_size
