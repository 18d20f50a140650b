"""The `kinchart` command: serve, worker, ingest, status, documents, text, retry, settings."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from server.access import audit
from server.cli import facts as facts_cli
from server.cli import search as search_cli
from server.cli import sources as sources_cli
from server.db.engine import DatabaseError
from server.db.tables import FAILED, READY, Arrival, Document, Page
from server.documents import queue
from server.people import household
from server.people.household import HouseholdError
from server.runtime import Services, running
from server.settings import Settings, SettingsError, describe, load_settings, settings_table
from server.web._common import is_loopback
from sync.rules import is_ignored

T = TypeVar("T")
console = Console(stderr=True)


def fail(message: str) -> NoReturn:
    """Say what went wrong, in words a person can act on, and exit with status 2."""
    console.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    sys.exit(2)


def progress_bar() -> Progress:
    """The progress display of every long CLI command: what, bar, n of total, time taken."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


out = Console(highlight=False, soft_wrap=True)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(coro)
    except (SettingsError, DatabaseError, HouseholdError) as exc:
        fail(exc.user_message)


async def _household_call(coro: Coroutine[Any, Any, T]) -> T:
    return await coro


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(exc.user_message)


def _logging(settings: Settings, quiet: bool = False) -> None:
    level = logging.WARNING if quiet else getattr(logging, settings.log_level.upper(), logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.group()
@click.version_option(package_name="kinchart")
def main() -> None:
    """Kinchart: a household's health records on its own server."""


@main.command()
@click.option("--host", default=None, help="Bind address (default KINCHART_HOST).")
@click.option("--port", type=int, default=None, help="Port (default KINCHART_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Web UI, inbox watcher and workers in one process."""
    import uvicorn

    from server.app import create_app

    settings = _settings()
    host = host or settings.host
    port = port or settings.port
    if not is_loopback(host):
        console.print(
            f"Listening on {host}: anyone on the network reaches the login page. Put Kinchart "
            "behind HTTPS (deploy/nginx.conf.example) and set KINCHART_TRUSTED_PROXIES."
        )
    _logging(settings)
    console.print(f"Kinchart on http://{host}:{port}/  (inbox: {settings.inbox_dir.absolute()})")
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level, access_log=False)


@main.command()
def worker() -> None:
    """Work the queue only (more workers can share one PostgreSQL database)."""
    settings = _settings()
    _logging(settings)

    async def go() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with running(settings, workers=True):
            console.print("worker running; Ctrl-C to stop")
            await stop.wait()

    _run(go())


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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--no-wait", is_flag=True, help="Queue the files and return without reading them.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--profile", "profile_slug", default=None, help="File everything under this profile.")
def ingest(paths: tuple[Path, ...], no_wait: bool, as_json: bool, profile_slug: str | None) -> None:
    """Take in files and folders (recursively) and wait until each is ready or failed."""
    settings = _settings()
    _logging(settings, quiet=True)
    files = _expand(paths)
    results = _run(_ingest(settings, files, wait=not no_wait, profile_slug=profile_slug))
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
    sys.exit(1 if failed else 0)


async def _ingest(
    settings: Settings, files: list[Path], *, wait: bool, profile_slug: str | None = None
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    progress = progress_bar()
    async with running(settings, workers=wait) as services:
        profile_id = None
        if profile_slug:
            profile_id = (await _household_call(household.profile_by_slug(profile_slug)))["id"]
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
                await _wait(services, results, progress)
        await _fill_states(results)
    return results


async def _requeue_failed_duplicates(services: Services, results: list[dict[str, Any]]) -> None:
    # Handing in a file again that failed before is a request to try it again.
    ids = [r["document_id"] for r in results if r["duplicate"]]
    if ids and await queue.retry(ids) and services.workers:
        services.workers.notify()


async def _wait(services: Services, results: list[dict[str, Any]], progress: Progress) -> None:
    ids = {r["document_id"] for r in results if r["document_id"] is not None}
    reading = progress.add_task("reading", total=len(ids))
    while True:
        rows = await Document.select(Document.id, Document.state).where(
            Document.id.is_in(list(ids) or [-1])
        )
        # Ready comes last: a ready document is filed, has its facts and is indexed.
        done = sum(1 for row in rows if row["state"] in (READY, FAILED))
        progress.update(reading, completed=done)
        if done >= len(ids):
            return
        await asyncio.sleep(0.2)


async def _fill_states(results: list[dict[str, Any]]) -> None:
    ids = [r["document_id"] for r in results if r["document_id"] is not None]
    rows = await Document.select(Document.id, Document.state, Document.failure_reason).where(
        Document.id.is_in(ids or [-1])
    )
    by_id = {row["id"]: row for row in rows}
    for r in results:
        row = by_id.get(r["document_id"])
        if row:
            r["state"] = row["state"]
            r["reason"] = row["failure_reason"]


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json: bool) -> None:
    """Counts per state, and each failure with its reason."""
    settings = _settings()

    async def go() -> dict[str, Any]:
        async with running(settings):
            failures = (
                await Document.select(
                    Document.id,
                    Document.original_name,
                    Document.failure_code,
                    Document.failure_reason,
                )
                .where(Document.state == FAILED)
                .order_by(Document.id)
            )
            rejected = (
                await Arrival.select(
                    Arrival.original_name, Arrival.source, Arrival.reason, Arrival.received_at
                )
                .where(Arrival.outcome == "rejected")
                .order_by(Arrival.id)
            )
            for r in rejected:
                r["received_at"] = r["received_at"].isoformat()
            return {"counts": await queue.counts(), "failures": failures, "rejected": rejected}

    data = _run(go())
    if as_json:
        out.print_json(json.dumps(data))
        return
    out.print("  ".join(f"{k}: {v}" for k, v in data["counts"].items()))
    for f in data["failures"]:
        out.print(f"failed  #{f['id']} {f['original_name']}: {f['failure_reason']}")
    for r in data["rejected"]:
        out.print(f"not taken in  {r['original_name']} ({r['source']}): {r['reason']}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def documents(as_json: bool) -> None:
    """One row per document."""
    settings = _settings()

    async def go() -> list[dict[str, Any]]:
        async with running(settings):
            rows = await Document.select(
                Document.id,
                Document.original_name,
                Document.sha256,
                Document.state,
                Document.failure_reason,
                Document.page_count,
                Document.created_at,
                Document.profile.slug.as_alias("profile"),
            ).order_by(Document.id)
            for r in rows:
                r["created_at"] = r["created_at"].isoformat()
            return list(rows)

    rows = _run(go())
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


@main.command()
@click.argument("doc_id", type=int)
def text(doc_id: int) -> None:
    """The document's text, pages separated by form feeds."""
    settings = _settings()

    async def go() -> str | None:
        async with running(settings):
            if not await Document.exists().where(Document.id == doc_id):
                return None
            pages = (
                await Page.select(Page.text).where(Page.document == doc_id).order_by(Page.number)
            )
            return "\f".join(p["text"] for p in pages)

    result = _run(go())
    if result is None:
        console.print(f"[red]error:[/red] no document {doc_id}")
        sys.exit(1)
    sys.stdout.write(result + ("\n" if result and not result.endswith("\n") else ""))


@main.command()
@click.argument("doc_id", type=int, required=False)
@click.option("--all-failed", is_flag=True, help="Retry every failed document.")
def retry(doc_id: int | None, all_failed: bool) -> None:
    """Put a failed document (or all of them) back in the queue."""
    if (doc_id is None) == (not all_failed):
        raise click.UsageError("give a document ID or --all-failed")
    settings = _settings()

    async def go() -> list[int]:
        async with running(settings):
            return await queue.retry(None if all_failed else [doc_id or 0])

    ids = _run(go())
    out.print(f"queued again: {', '.join(map(str, ids)) or 'nothing (no such failed document)'}")
    sys.exit(0 if ids else 1)


@main.command("settings")
@click.option("--markdown", is_flag=True, help="Print the README's settings table.")
def settings_cmd(markdown: bool) -> None:
    """Show the settings in force (secrets masked)."""
    if markdown:
        out.print(settings_table(), end="")
        return
    for k, v in describe(_settings()).items():
        out.print(f"{k}={v}")


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@main.group()
def user() -> None:
    """Manage users (people who log in)."""


@user.command("add")
@click.argument("username")
@click.option("--admin", is_flag=True, help="Make this user a household admin.")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(username: str, admin: bool, display_name: str, password_stdin: bool) -> None:
    """Add a user (the first admin can also be created in the web UI)."""
    settings = _settings()
    password = _password(password_stdin)

    async def go() -> dict[str, Any]:
        async with running(settings):
            row = await household.add_user(
                username, password, display_name=display_name, is_admin=admin
            )
            await audit.record(
                "admin_created" if admin else "user_added",
                actor_name="cli",
                subject=row["username"],
            )
            return row

    row = _run(go())
    out.print(f"added user {row['username']}{' (admin)' if row['is_admin'] else ''}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def user_list(as_json: bool) -> None:
    """List users."""
    settings = _settings()

    async def go() -> list[dict[str, Any]]:
        async with running(settings):
            from server.db.tables import User

            return list(
                await User.select(
                    User.id, User.username, User.display_name, User.is_admin, User.disabled
                ).order_by(User.username)
            )

    rows = _run(go())
    if as_json:
        out.print_json(json.dumps(rows))
        return
    for r in rows:
        flags = ", ".join(
            f for f, on in (("admin", r["is_admin"]), ("disabled", r["disabled"])) if on
        )
        out.print(f"{r['username']}\t{r['display_name']}\t{flags}")


@user.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the user again instead.")
def user_disable(username: str, enable: bool) -> None:
    """Disable a user (their logins end at once)."""
    settings = _settings()

    async def go() -> None:
        async with running(settings):
            row = await household.user_by_name(username)
            await household.set_disabled(row["id"], not enable)
            await audit.record(
                "user_enabled" if enable else "user_disabled",
                actor_name="cli",
                subject=row["username"],
            )

    _run(go())
    out.print(f"{'enabled' if enable else 'disabled'} {username}")


@user.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_reset(username: str, password_stdin: bool) -> None:
    """Set a new password for a user (their logins end)."""
    settings = _settings()
    password = _password(password_stdin)

    async def go() -> None:
        async with running(settings):
            row = await household.user_by_name(username)
            await household.reset_password(row["id"], password)
            await audit.record("password_reset", actor_name="cli", subject=row["username"])

    _run(go())
    out.print(f"password of {username} reset")


@main.group()
def profile() -> None:
    """Manage profiles (people whose records are kept)."""


@profile.command("add")
@click.argument("name")
@click.option("--dob", default=None, help="Date of birth, YYYY-MM-DD.")
@click.option("--slug", default=None, help="Short name, also the inbox folder name.")
def profile_add(name: str, dob: str | None, slug: str | None) -> None:
    """Add a profile; grant someone `owner` on it next."""
    settings = _settings()

    async def go() -> dict[str, Any]:
        async with running(settings):
            row = await household.add_profile(name, dob=household.parse_dob(dob), slug=slug)
            await audit.record("profile_created", actor_name="cli", profile=row["id"])
            return row

    row = _run(go())
    out.print(f"added profile {row['slug']} ({row['display_name']})")


@profile.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def profile_list(as_json: bool) -> None:
    """List profiles and who has which role on them."""
    settings = _settings()

    async def go() -> list[dict[str, Any]]:
        async with running(settings):
            from server.db.tables import Profile

            rows = list(
                await Profile.select(
                    Profile.id, Profile.slug, Profile.display_name, Profile.date_of_birth
                ).order_by(Profile.slug)
            )
            for r in rows:
                r["date_of_birth"] = str(r["date_of_birth"] or "")
                r["grants"] = {g["username"]: g["role"] for g in await household.grants_of(r["id"])}
            return rows

    rows = _run(go())
    if as_json:
        out.print_json(json.dumps(rows))
        return
    for r in rows:
        grants = ", ".join(f"{u}: {role}" for u, role in r["grants"].items()) or "no one"
        out.print(f"{r['slug']}\t{r['display_name']}\t{r['date_of_birth']}\t{grants}")


@main.command("grant")
@click.argument("username")
@click.argument("profile_slug")
@click.argument("role", type=click.Choice(["owner", "caregiver", "viewer"]))
def grant_cmd(username: str, profile_slug: str, role: str) -> None:
    """Give USERNAME a ROLE on PROFILE_SLUG."""
    settings = _settings()

    async def go() -> None:
        async with running(settings):
            u = await household.user_by_name(username)
            p = await household.profile_by_slug(profile_slug)
            old = await household.grant(u["id"], p["id"], role)
            await audit.record(
                "grant_changed",
                actor_name="cli",
                profile=p["id"],
                subject=u["username"],
                role=role,
                previous=old,
            )

    _run(go())
    out.print(f"{username} is now {role} of {profile_slug}")


@main.command("revoke")
@click.argument("username")
@click.argument("profile_slug")
def revoke_cmd(username: str, profile_slug: str) -> None:
    """Take away USERNAME's role on PROFILE_SLUG."""
    settings = _settings()

    async def go() -> str | None:
        async with running(settings):
            u = await household.user_by_name(username)
            p = await household.profile_by_slug(profile_slug)
            old = await household.revoke(u["id"], p["id"])
            if old:
                await audit.record(
                    "grant_revoked",
                    actor_name="cli",
                    profile=p["id"],
                    subject=u["username"],
                    previous=old,
                )
            return old

    old = _run(go())
    out.print(f"revoked {username}'s {old} role on {profile_slug}" if old else "nothing to revoke")


main.add_command(search_cli.reindex)
main.add_command(search_cli.search_cmd)
main.add_command(sources_cli.source)
main.add_command(sources_cli.sync_cmd)
main.add_command(facts_cli.facts_cmd)
