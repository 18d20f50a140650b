"""`kinchart check`: is everything the database names there and intact, and nothing else?

- the database passes its own integrity check;
- every original a document names exists and matches its SHA-256 (the file's name);
- no file in the originals store, and no page folder, belongs to no document;
- every ready document has its page files and is in the search index, up to date.

`repair` fixes what can be made again from the originals: documents without page files are
read again, the index catches up. A missing or damaged original cannot be made again: only a
backup has it (`kinchart restore`, or copy that one file back from the backup's originals/).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from server.db.tables import Document
from server.documents import queue
from server.maintenance import database, sealing
from server.maintenance.backup import Progress, _quiet
from server.maintenance.rebuild import missing_derived
from server.search import SearchBackend, projection
from server.settings import Settings
from server.store import Store

HASHERS = 4


@dataclass(frozen=True)
class Problem:
    kind: str  # database | missing-original | damaged-original | orphan | no-pages | index
    message: str
    document: int | None = None
    repairable: bool = False


@dataclass
class Report:
    documents: int = 0
    originals_bytes: int = 0
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> list[Problem]:
        """The problems left: all of them, or after a repair those it could not fix."""
        return [p for p in self.problems if not (p.repairable and self.repaired)]


async def check(
    settings: Settings,
    store: Store,
    backend: SearchBackend | None,
    *,
    repair: bool = False,
    progress: Progress = _quiet,
) -> Report:
    report = Report()
    for message in await database.integrity(settings.effective_database_url):
        report.problems.append(Problem("database", f"database integrity: {message}"))
    docs = await Document.select(Document.id, Document.sha256, Document.state)
    report.documents = len(docs)
    await asyncio.to_thread(_originals, store, docs, report, progress)
    _orphans(store, {d["id"] for d in docs}, {d["sha256"] for d in docs}, report)
    no_pages = await missing_derived(store)
    for doc_id in no_pages:
        report.problems.append(
            Problem("no-pages", f"document {doc_id}: page files missing", doc_id, True)
        )
    if backend is not None:
        stale, extra = await projection.differences(backend, stamps=False)
        stale = [d for d in stale if d not in no_pages]  # read again, then indexed
        for doc_id in stale:
            report.problems.append(
                Problem(
                    "index",
                    f"document {doc_id}: not in the search index, or under another profile",
                    doc_id,
                    True,
                )
            )
        for doc_id in extra:
            report.problems.append(
                Problem(
                    "index", f"document {doc_id}: in the search index but not ready", doc_id, True
                )
            )
    if repair:
        await _repair(report, backend, no_pages)
    return report


def _originals(
    store: Store, docs: list[dict[str, Any]], report: Report, progress: Progress
) -> None:
    present = []
    for d in docs:
        path = store.original_path(d["sha256"])
        if not path.is_file():
            report.problems.append(
                Problem(
                    "missing-original",
                    f"document {d['id']}: original {d['sha256']} is missing; restore it from a "
                    "backup",
                    d["id"],
                )
            )
        else:
            present.append((d, path, path.stat().st_size))
    total = sum(size for *_, size in present)
    done = 0
    progress("originals", 0, total)
    with ThreadPoolExecutor(HASHERS) as pool:
        for (d, _, size), (sha, _) in zip(
            present, pool.map(lambda item: sealing.hash_file(item[1]), present), strict=True
        ):
            done += size
            progress("originals", done, total)
            if sha != d["sha256"]:
                report.problems.append(
                    Problem(
                        "damaged-original",
                        f"document {d['id']}: original {d['sha256']} does not match its SHA-256 "
                        "(damaged on disk); restore it from a backup",
                        d["id"],
                    )
                )
    report.originals_bytes = total


def _orphans(store: Store, ids: set[int], shas: set[str], report: Report) -> None:
    if store.originals.is_dir():
        for path in sorted(store.originals.glob("*/*")):
            if path.name not in shas:
                report.problems.append(
                    Problem(
                        "orphan",
                        f"originals/{path.parent.name}/{path.name}: no document names this file",
                    )
                )
    if store.derived.is_dir():
        for path in sorted(store.derived.iterdir()):
            if path.name.isdigit() and int(path.name) not in ids:
                report.problems.append(
                    Problem("orphan", f"derived/{path.name}: page files of no document")
                )


async def _repair(report: Report, backend: SearchBackend | None, no_pages: list[int]) -> None:
    if no_pages:
        queued = await queue.reread(no_pages)
        report.repaired.append(f"{len(queued)} document(s) queued to be read again")
    if backend is not None and any(p.kind == "index" for p in report.problems):
        indexed, dropped = await projection.catch_up(backend)
        report.repaired.append(f"search index: {indexed} indexed, {dropped} dropped")
