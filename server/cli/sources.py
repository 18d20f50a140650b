"""`kinchart source add|list|remove` and `kinchart sync`: WebDAV folders Kinchart pulls from."""

from __future__ import annotations

import asyncio
import json
import signal
import sys

import click

from server.cli._common import ExitCode, Services, console, in_runtime, out
from server.errors import NotFound
from server.sources.config import (
    NewSource,
    add_source,
    check_source,
    files_there,
    list_sources,
    remove_source,
)
from server.sources.runner import SourceRunner
from server.sources.vault import Vault
from sync.pull import Report

ONCE_ROUNDS = 4  # listings in `sync --once`: a file still changing after these waits for later


@click.group()
def source() -> None:
    """Manage sync sources (WebDAV folders Kinchart pulls files from)."""


@source.command("add")
@click.argument("kind", type=click.Choice(["webdav"]))
@click.argument("url")
@click.option("--user", "username", default="", help="User name on the WebDAV server.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--remote-path", default="/", show_default=True, help="Folder below the URL.")
@click.option("--profile", "profile_slug", default="", help="File everything under this profile.")
@click.option("--by-subfolder", is_flag=True, help="The first sub-folder names the profile.")
@click.option("--after", default="delete", show_default=True, help="delete, keep, or move:FOLDER.")
@click.option("--interval", default=300, show_default=True, help="Seconds between checks.")
@click.option("--no-check", is_flag=True, help="Save without trying to list the folder first.")
def source_add(
    kind: str,
    url: str,
    username: str,
    password_stdin: bool,
    remote_path: str,
    profile_slug: str,
    by_subfolder: bool,
    after: str,
    interval: int,
    no_check: bool,
) -> None:
    """Add a WebDAV folder to pull from."""
    password = ""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif username:
        password = str(click.prompt("Password", hide_input=True))
    new = NewSource(
        url, username, password, remote_path, profile_slug, by_subfolder, after, interval
    )
    _source_add(new, check=not no_check)


@in_runtime()
async def _source_add(services: Services, new: NewSource, check: bool) -> None:
    clean_url, _, _ = await check_source(new)
    found = await files_there(clean_url, new) if check else None
    row = await add_source(new, Vault(services.settings.data_dir))
    seen = f"; {found} file(s) there now" if found is not None else ""
    out.print(f"added source {row['id']}: {row['url']}{row['remote_path']}{seen}")


@source.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime()
async def source_list(services: Services, as_json: bool) -> None:
    """List sources with their last run, files taken and last error."""
    rows = await list_sources()
    for r in rows:
        r["last_run"] = r["last_run"].isoformat() if r["last_run"] else None
    if as_json:
        out.print_json(json.dumps(rows))
        return
    for r in rows:
        target = r["profile_slug"] or ("by sub-folder" if r["by_subfolder"] else "triage")
        error = f"\terror: {r['last_error']}" if r["last_error"] else ""
        out.print(
            f"{r['id']}\t{r['url']}{r['remote_path']}\tuser {r['username'] or '-'}\t{target}\t"
            f"after: {r['after']}\tevery {r['interval_seconds']} s\t"
            f"last run: {r['last_run'] or 'never'}\ttaken: {r['last_taken']} "
            f"(total {r['total_taken']}){error}"
        )


@source.command("remove")
@click.argument("source_id", type=int)
@in_runtime()
async def source_remove(services: Services, source_id: int) -> None:
    """Remove a source (files already taken stay)."""
    if not await remove_source(source_id):
        raise NotFound(f"There is no source {source_id}.")
    out.print(f"removed source {source_id}")


@click.command("sync")
@click.option("--once", is_flag=True, help="Run every source now, then exit.")
def sync_cmd(once: bool) -> None:
    """Pull from every sync source, on their intervals (or once, now)."""
    if once:
        _once()
    else:
        _forever()


@in_runtime(quiet=True)
async def _once(services: Services) -> ExitCode:
    results = await _run_each_source(services)
    failed = False
    for source_id, url, report in results:
        if report is None:
            out.print(f"source {source_id} ({url}): being run by another Kinchart process")
            continue
        line = f"source {source_id} ({url}): {report.taken} taken"
        if report.rejected:
            line += f", {report.rejected} refused (see the triage page)"
        if report.pending:
            line += f", {report.pending} still changing (taken on a later run)"
        out.print(line)
        if report.error:
            failed = True
            console.print(f"  [red]error:[/red] {report.error}", highlight=False)
    return ExitCode.failed if failed else ExitCode.ok


async def _run_each_source(services: Services) -> list[tuple[int, str, Report | None]]:
    settings = services.settings
    results: list[tuple[int, str, Report | None]] = []
    runner = SourceRunner(
        services.intake,
        services.store.tmp,
        Vault(settings.data_dir),
        settle_seconds=settings.sync_settle_seconds,
    )
    for row in await list_sources():
        if not row["enabled"]:
            continue
        # The first listing only notes sizes and ETags; unchanged files are taken next time.
        total: Report | None = None
        for _ in range(ONCE_ROUNDS):
            report = await runner.run_source(row["id"])
            if report is None:
                break
            total = _add(total, report)
            if not report.pending or report.error:
                break
            await asyncio.sleep(settings.sync_settle_seconds)
        results.append((row["id"], row["url"] + row["remote_path"], total))
    return results


def _add(total: Report | None, report: Report) -> Report:
    if total is None:
        return report
    total.taken += report.taken
    total.rejected += report.rejected
    total.pending = report.pending
    total.error = report.error
    return total


@in_runtime(quiet=False)
async def _forever(services: Services) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    services.start_sync()
    console.print("pulling from the sync sources; Ctrl-C to stop")
    await stop.wait()


commands = [source, sync_cmd]
