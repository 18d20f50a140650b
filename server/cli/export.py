"""`kinchart export`: a profile's International Patient Summary, printed summary, or whole
record as FHIR, written to a file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.markup import escape

from server.access.console import caller_named, profile_of
from server.access.console import console as console_caller
from server.cli._common import Services, console, fail, in_runtime, progress_bar
from server.errors import ExitCode
from server.shares import archive, archive_import
from server.shares.ips import build_ips
from server.shares.printable import summary_pdf
from server.shares.record import record_bundle

FORMATS = ("ips", "pdf", "fhir", "archive")


@click.command("export")
@click.argument("profile_slug", metavar="PROFILE")
@click.option("--user", "username", required=True, help="As this user (needs a role on it).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="ips: the International Patient Summary (FHIR JSON); pdf: the printed summary; "
    "fhir: the whole record as a FHIR R4 collection Bundle (JSON); archive: a ZIP of the "
    "originals, the FHIR record, lab and vital CSVs, the printed summary and a manifest, for "
    "`kinchart import-archive` on another Kinchart.",
)
@click.option(
    "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help="The file to write ('-' for standard output).",
)  # fmt: skip
@click.option("--page-size", type=click.Choice(("a4", "letter")), default="a4", help="For pdf.")
def export_cmd(profile_slug: str, username: str, fmt: str, output: Path, page_size: str) -> None:
    """Write a profile's summary or record to a file, as the user named may see it."""
    _export(profile_slug, username, fmt, output, page_size)


@in_runtime()
async def _export(
    services: Services, profile_slug: str, username: str, fmt: str, output: Path, page_size: str
) -> None:
    if str(output) != "-" and not output.parent.is_dir():
        fail(f"The folder {output.parent} does not exist.")
    caller = await caller_named(username)
    profile = await profile_of(caller, profile_slug, "view")
    if fmt == "archive":
        await _archive(services, profile["id"], output)
        return
    if fmt == "pdf":
        data = await summary_pdf(profile["id"], page_size=page_size)
    else:
        bundle = await (build_ips(profile["id"]) if fmt == "ips" else record_bundle(profile["id"]))
        data = json.dumps(bundle, ensure_ascii=False, indent=1).encode()
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    _write(output, data)
    console.print(f"wrote {output} ({len(data):,} bytes, {fmt})")


async def _archive(services: Services, profile_id: int, output: Path) -> None:
    if str(output) == "-":
        fail("An archive is written to a file: give --output FILE.zip.")
    with progress_bar() as bar:
        task = bar.add_task("archive", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        built = await archive.build(services.store, profile_id, output, progress=advance)
    console.print(
        f"wrote {output} ({built.size:,} bytes: {built.documents} documents, {built.facts} facts)"
    )


def _write(path: Path, data: bytes) -> None:
    """All or nothing: a temporary file beside the target, renamed over it once complete."""
    if not path.parent.is_dir():
        fail(f"The folder {path.parent} does not exist.")
    temp = path.with_name(f".{path.name}.partial")
    try:
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except OSError as e:
        temp.unlink(missing_ok=True)
        fail(f"Cannot write {path}: {e.strerror or e}.")


@click.command("import-archive")
@click.argument(
    "archive_file", metavar="FILE.zip", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--profile", "profile_slug", required=True, help="Into this profile.")
@click.option(
    "--user",
    "username",
    default=None,
    help="As this user (owner or caregiver of it); the console when left out.",
)
def import_archive_cmd(archive_file: Path, profile_slug: str, username: str | None) -> None:
    """Take a Kinchart archive (`kinchart export --format archive`) into a profile: its
    originals through the intake, its facts restored with their review status. Every
    checksum is verified first; running it again adds nothing."""
    _import_archive(archive_file, profile_slug, username)


@in_runtime()
async def _import_archive(
    services: Services, archive_file: Path, profile_slug: str, username: str | None
) -> ExitCode:
    caller = await (caller_named(username) if username else console_caller())
    profile = await profile_of(caller, profile_slug, "upload")
    with console.status(f"checking and taking in {archive_file.name}"):
        done = await archive_import.import_archive(
            services.intake, archive_file, profile["id"], user_id=caller.user_id
        )
    console.print(
        f"{profile_slug}: {done.documents_new} new documents, {done.documents_known} already "
        f"here; {done.facts_restored} facts restored, {done.facts_known} already here"
    )
    for why in done.rejected:
        console.print(f"  [red]not taken in[/red] {escape(why)}")
    return ExitCode.failed if done.rejected else ExitCode.ok


commands = [export_cmd, import_archive_cmd]
