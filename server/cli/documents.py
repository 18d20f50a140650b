"""`kinchart ingest|status|documents|text|retry|worker`: documents in, and where they stand."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table as RichTable

from server.access.console import console as console_caller
from server.cli._common import ExitCode, Services, console, in_runtime, out, progress_bar
from server.documents import queue, trash
from server.documents import status as doc_status
from server.documents.states import DONE, FAILED
from server.people import household
from sync.rules import is_ignored


@click.command()
@in_runtime(workers=True, quiet=False)
async def worker(services: Services) -> None:
    """Work the queue only (more workers can share one PostgreSQL database)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    console.print("worker running; Ctrl-C to stop")
    await stop.wait()


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for root in paths:
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file() and not is_ignored(p.relative_to(root)):
                    files.append(p)
        else:
            files.append(root)
    return files


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--no-wait", is_flag=True, help="Queue the files and return without reading them.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--profile", "profile_slug", default=None, help="File everything under this profile.")
@in_runtime(quiet=True)
async def ingest(
    services: Services,
    paths: tuple[Path, ...],
    no_wait: bool,
    as_json: bool,
    profile_slug: str | None,
) -> ExitCode:
    """Take in files and folders (recursively) and wait until each is ready or failed."""
    if not no_wait:
        services.start_workers()
    results = await _ingest(services, _expand(paths), wait=not no_wait, profile_slug=profile_slug)
    failed = [r for r in results if r["state"] in (FAILED, "rejected")]
    if as_json:
        out.print_json(json.dumps(results))
    else:
        counts: dict[str, int] = {}
        for r in results:
            counts[r["state"]] = counts.get(r["state"], 0) + 1
        dupes = sum(1 for r in results if r["duplicate"])
        out.print(
            f"{len(results)} files: "
            + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
            + (f" ({dupes} already known)" if dupes else "")
        )
        for r in failed:
            out.print(f"  [red]failed[/red] {r['file']}: {r['reason']}")
    return ExitCode.failed if failed else ExitCode.ok


async def _ingest(
    services: Services, files: list[Path], *, wait: bool, profile_slug: str | None = None
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    progress = progress_bar()
    profile_id = None
    if profile_slug:
        profile_id = (await household.profile_by_slug(profile_slug))["id"]
    with progress:
        taking = progress.add_task("taking in", total=len(files))
        for path in files:
            r = await services.intake.take(
                path, source="cli", source_path=str(path.absolute()), profile_id=profile_id
            )
            results.append(
                {
                    "file": str(path),
                    "document_id": r.document_id,
                    "duplicate": r.outcome == "duplicate",
                    "state": "rejected" if r.outcome == "rejected" else "queued",
                    "reason": r.reason,
                }
            )
            progress.advance(taking)
        await _requeue_failed_duplicates(services, results)
        if wait:
            await _wait(results, progress)
    await _fill_states(results)
    return results


async def _requeue_failed_duplicates(services: Services, results: list[dict[str, Any]]) -> None:
    # Handing in a file again that failed before is a request to try it again.
    ids = [r["document_id"] for r in results if r["duplicate"]]
    if ids and await queue.retry(ids) and services.workers:
        services.workers.notify()


async def _wait(results: list[dict[str, Any]], progress: Progress) -> None:
    ids = {r["document_id"] for r in results if r["document_id"] is not None}
    reading = progress.add_task("reading", total=len(ids))
    caller = await console_caller()
    while True:
        rows = await doc_status.states(caller, ids)
        # Ready comes last: a ready document is filed, has its facts and is indexed.
        done = sum(1 for row in rows.values() if row["state"] in DONE)
        progress.update(reading, completed=done)
        if done >= len(ids):
            return
        await asyncio.sleep(0.2)


async def _fill_states(results: list[dict[str, Any]]) -> None:
    ids = [r["document_id"] for r in results if r["document_id"] is not None]
    by_id = await doc_status.states(await console_caller(), ids)
    for r in results:
        row = by_id.get(r["document_id"])
        if row:
            r["state"] = row["state"]
            r["reason"] = row["failure_reason"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime()
async def status(services: Services, as_json: bool) -> None:
    """Counts per state, and each failure with its reason."""
    data = await doc_status.overview(
        await console_caller(), inbox=services.settings.inbox_dir, data_dir=services.store.root
    )
    if as_json:
        out.print_json(json.dumps(data))
        return
    wait = data.get("waiting")
    if wait and wait["disk_full"]:
        out.print(f"[red]{escape(wait['message'])}[/red]")
    counts = dict(data["counts"])
    trashed = counts.pop(queue.TRASHED, 0)
    out.print("  ".join(f"{k}: {v}" for k, v in counts.items()))
    if trashed:
        days = trash.TRASH_DAYS
        out.print(f"in the trash: {trashed} (not counted above; purged after {days} days)")
    for f in data["failures"]:
        out.print(f"failed  #{f['id']} {f['original_name']}: {f['failure_reason']}")
    for r in data["rejected"]:
        out.print(f"not taken in  {r['original_name']} ({r['source']}): {r['reason']}")
    if wait and wait["count"]:
        more = wait["count"] - len(wait["files"])
        out.print(f"waiting in the inbox: {wait['count']} file(s)")
        for name in wait["files"]:
            out.print(f"  {escape(name)}")
        if more:
            out.print(f"  … and {more} more")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime()
async def documents(services: Services, as_json: bool) -> None:
    """One row per document."""
    rows = await doc_status.documents(await console_caller())
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = RichTable("id", "file", "profile", "sha256", "state", "pages", "created", "reason")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["original_name"],
            r["profile"] or "(triage)",
            r["sha256"][:12],
            r["state"],
            str(r["page_count"]),
            r["created_at"][:19],
            r["failure_reason"],
        )
    out.print(table)


@click.command()
@click.argument("doc_id", type=int)
@in_runtime()
async def text(services: Services, doc_id: int) -> None:
    """The document's text, pages separated by form feeds."""
    result = await doc_status.text(await console_caller(), doc_id)
    sys.stdout.write(result + ("\n" if result and not result.endswith("\n") else ""))


@click.command()
@click.argument("doc_id", type=int, required=False)
@click.option("--all-failed", is_flag=True, help="Retry every failed document.")
def retry(doc_id: int | None, all_failed: bool) -> None:
    """Put a failed document (or all of them) back in the queue."""
    if (doc_id is None) == (not all_failed):
        raise click.UsageError("give a document ID or --all-failed")
    _retry(None if all_failed else [doc_id or 0])


@in_runtime()
async def _retry(services: Services, ids: list[int] | None) -> ExitCode:
    queued = await queue.retry(ids)
    out.print(f"queued again: {', '.join(map(str, queued)) or 'nothing (no such failed document)'}")
    return ExitCode.ok if queued else ExitCode.not_found


@click.command("purge-trash")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=trash.TRASH_DAYS,
    show_default=True,
    help="Purge documents deleted more than this many days ago (0: everything in a trash).",
)
@in_runtime()
async def purge_trash(services: Services, days: int) -> ExitCode:
    """Delete for good the documents that have waited in a trash too long (the server does
    this every hour on its own): originals, page files, text, facts and index entries."""
    purged = await trash.purge_expired(services.engine, services.store, days=days)
    out.print(f"purged {purged} document(s) deleted more than {days} day(s) ago")
    return ExitCode.ok


commands = [ingest, status, documents, text, retry, worker, purge_trash]
