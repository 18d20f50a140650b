"""`kinchart backup|restore|check|rebuild`: keeping a household's records safe for years."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from server.cli._common import ExitCode, Services, console, fail, in_runtime, out, settings
from server.maintenance import backup as backups
from server.maintenance import check as checks
from server.maintenance import rebuild as rebuilds
from server.maintenance import restore as restores
from server.store import Store

PASSPHRASE_ENV = "KINCHART_BACKUP_PASSPHRASE"
BYTE_STAGES = {"originals", "verifying"}


@contextmanager
def _progress() -> Iterator[backups.Progress]:
    """A bar per stage (bytes and speed for the big ones); safe to call from threads."""
    bars = Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total or None)
        bars.update(tasks[stage], completed=done, total=total or None)

    with bars:
        yield report


def _passphrase(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return os.environ.get(PASSPHRASE_ENV)


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--encrypt", is_flag=True, help="Encrypt with a passphrase (age).")
@click.option(
    "--passphrase-stdin",
    is_flag=True,
    help=f"Read the passphrase from stdin (else ${PASSPHRASE_ENV}, else asked).",
)
@click.option("--recipient", default=None, help="Encrypt for this age recipient (age1…) instead.")
@click.option("--with-derived", is_flag=True, help="Include page images and PDFs (rebuildable).")
@click.option(
    "--keep", type=click.IntRange(min=1), default=None, help="Keep only the newest N snapshots."
)
def backup(
    dest: Path,
    encrypt: bool,
    passphrase_stdin: bool,
    recipient: str | None,
    with_derived: bool,
    keep: int | None,
) -> None:
    """Back up the database, originals and keys into DEST, while the server runs."""
    passphrase = None
    if encrypt and recipient is None:
        passphrase = _passphrase(passphrase_stdin)
        if passphrase is None:
            if not sys.stdin.isatty():
                fail(f"--encrypt needs a passphrase: --passphrase-stdin or ${PASSPHRASE_ENV}.")
            passphrase = click.prompt("Passphrase", hide_input=True, confirmation_prompt=True)
        if len(passphrase) < 8:
            fail("The passphrase must be at least 8 characters long.")
    loaded = settings()
    os.umask(0o077)  # health data, whatever umask the command was started with
    with _progress() as report:
        result = asyncio.run(
            backups.backup(
                loaded,
                Store(loaded.data_dir),
                dest,
                passphrase=passphrase,
                recipient=recipient,
                with_derived=with_derived,
                keep=keep,
                progress=report,
            )
        )
    out.print(
        f"backup {result.snapshot}: {result.documents} documents; originals: "
        f"{result.originals_copied} copied ({result.bytes_copied / 1e6:.1f} MB), "
        f"{result.originals_kept} already there; {result.seconds:.1f} s"
    )
    for name in result.removed:
        out.print(f"  removed old snapshot {name}")
    for problem in result.problems:
        out.print(f"  [red]problem[/red] {problem}")
    if result.problems:
        sys.exit(int(ExitCode.failed))


@click.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--snapshot", default=None, help="Which snapshot (default: the newest).")
@click.option("--force", is_flag=True, help="Replace a data folder or database that holds data.")
@click.option(
    "--passphrase-stdin",
    is_flag=True,
    help=f"Read the passphrase from stdin (else ${PASSPHRASE_ENV}).",
)
@click.option(
    "--identity",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="age identity file, for a backup encrypted with --recipient.",
)
def restore(
    src: Path, snapshot: str | None, force: bool, passphrase_stdin: bool, identity: Path | None
) -> None:
    """Restore a backup into an empty data folder and database (checked before anything)."""
    loaded = settings()
    os.umask(0o077)
    with _progress() as report:
        result = asyncio.run(
            restores.restore(
                loaded,
                src,
                snapshot=snapshot,
                force=force,
                passphrase=_passphrase(passphrase_stdin),
                identity=identity,
                progress=report,
            )
        )
    out.print(
        f"restored snapshot {result.snapshot}: {result.documents} documents, {result.files} "
        f"files ({result.bytes / 1e6:.1f} MB) checked and in place"
    )
    _after_restore()


@in_runtime(quiet=True)
async def _after_restore(services: Services) -> None:
    # Opening the runtime migrated a backup from an older Kinchart; now the page files.
    missing = await rebuilds.missing_derived(services.store)
    queued = await rebuilds.rebuild(missing) if missing else []
    out.print(
        f"{len(queued)} documents will be read again to make their page images, by the "
        "workers of `kinchart serve` (or `kinchart worker`) once started; the search index "
        "is rebuilt at that first start too."
        if queued
        else "page files restored too; the search index is rebuilt at the first start."
    )


@click.command()
@click.option(
    "--repair", is_flag=True, help="Read again what lacks page files; catch up the index."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime(quiet=True)
async def check(services: Services, repair: bool, as_json: bool) -> ExitCode:
    """Check the database, every original against its SHA-256, page files and search index."""
    with _progress() as report:
        result = await checks.check(
            services.settings, services.store, services.search, repair=repair, progress=report
        )
    remaining = result.remaining
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "documents": result.documents,
                    "problems": [p.__dict__ for p in result.problems],
                    "repaired": result.repaired,
                    "ok": not remaining,
                }
            )
        )
    else:
        out.print(
            f"{result.documents} documents, {result.originals_bytes / 1e6:.1f} MB of originals "
            f"checked: {len(result.problems)} problem(s)"
        )
        for p in result.problems:
            tag = "[yellow]repairable[/yellow]" if p.repairable else "[red]problem[/red]"
            out.print(f"  {tag} {p.message}")
        for line in result.repaired:
            out.print(f"  [green]repaired[/green] {line}")
        if remaining and not repair and any(p.repairable for p in remaining):
            out.print("run `kinchart check --repair` to fix the repairable ones")
    return ExitCode.failed if remaining else ExitCode.ok


@click.command()
@click.argument("doc_ids", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True, help="Every ready or failed document.")
@in_runtime(quiet=True)
async def rebuild(services: Services, doc_ids: tuple[int, ...], everything: bool) -> None:
    """Read documents again, making their page images and PDF anew (facts reviewed are kept)."""
    if bool(doc_ids) == everything:
        raise click.UsageError("give document ids, or --all")
    queued = await rebuilds.rebuild(None if everything else list(doc_ids))
    out.print(
        f"{len(queued)} documents queued to be read again by the workers of `kinchart serve` "
        "or `kinchart worker`"
    )


commands = [backup, restore, check, rebuild]
