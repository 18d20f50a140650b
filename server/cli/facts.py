"""`kinchart facts`: a profile's facts with their citations, or reading facts again."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click
from rich.table import Table as RichTable

from server.db.tables import FACT_KINDS
from server.facts import numbers
from server.runtime import running


class _Refused(Exception):
    """The command cannot answer (no such profile for this user, a disabled user)."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def _fail(message: str) -> NoReturn:
    from server.cli.main import fail  # server.cli imports this module

    fail(message)


@click.command("facts")
@click.option("--profile", "profile_slug", default=None, help="The profile whose facts to print.")
@click.option("--kind", type=click.Choice(FACT_KINDS), default=None, help="Only this kind.")
@click.option("--user", "username", default=None, help="As this user sees them (needs a role).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--reextract",
    is_flag=True,
    help="Read the facts of documents read before this version again (the server does this "
    "at start too).",
)
@click.option("--force", is_flag=True, help="With --reextract: every ready document.")
def facts_cmd(
    profile_slug: str | None,
    kind: str | None,
    username: str | None,
    as_json: bool,
    reextract: bool,
    force: bool,
) -> None:
    """Print a profile's facts: value, unit, status and citation (document, page, boxes)."""
    from server.cli.main import _run, _settings, out

    if reextract:
        if profile_slug or kind or username or as_json:
            raise click.UsageError("--reextract takes no --profile, --kind, --user or --json")
        _reextract(force)
        return
    if force:
        raise click.UsageError("--force goes with --reextract")
    if not profile_slug:
        raise click.UsageError("give --profile SLUG (or --reextract)")
    settings = _settings()

    async def go() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        from server.access.policy import AccessDenied
        from server.access.scope import load_caller, profile_for
        from server.facts.service import profile_facts
        from server.people import household

        async with running(settings):
            if username is not None:
                user = await household.user_by_name(username)
                if user["disabled"]:
                    raise _Refused(f"User {username} is disabled.")
                caller = await load_caller(user)
                try:
                    profile = await profile_for(caller, profile_slug, "view")
                except AccessDenied:
                    raise _Refused(f"{username} has no profile {profile_slug!r}.") from None
            else:
                profile = await household.profile_by_slug(profile_slug)
            rows = await profile_facts(profile["id"], kinds=[kind] if kind else None)
            return profile, rows

    try:
        profile, rows = _run(go())
    except _Refused as exc:
        _fail(exc.user_message)
    facts = [as_dict(r) for r in rows]
    if as_json:
        out.print_json(json.dumps(facts))
        return
    _table(profile, facts)


def as_dict(row: dict[str, Any]) -> dict[str, Any]:
    """One fact as `kinchart facts --json` prints it."""
    effective = row.get("effective")
    return {
        "id": row["id"],
        "kind": row["kind"],
        "status": row["status"],
        "name": row["name"],
        "analyte": row["analyte"],
        "code": row["code"],
        "value": row["value_text"],
        "value_num": row["value_num"],
        "unit": row["unit"],
        "flag": row["flag"],
        "state": row["state"],
        "date": effective.isoformat() if effective else None,
        "corrected": row.get("corrected") or {},
        "citation": {
            "document": row["document"],
            "document_name": row.get("doc_name"),
            "page": row["page"],
            "boxes": row.get("boxes") or [],
            "line": row["line"],
            "locator": row["locator"],
        },
    }


def _shown(number: float | None, printed: str) -> str:
    """The value as printed, or converted with the precision it was printed with."""
    if number is None:
        return printed
    try:
        if float(printed.lstrip("<>=≤≥ ").replace(",", "")) == number:
            return printed
    except ValueError:
        pass
    return numbers.converted(number, printed)


def _table(profile: dict[str, Any], facts: list[dict[str, Any]]) -> None:
    from server.cli.main import out

    table = RichTable(box=None, pad_edge=False)
    for name in ("kind", "name", "value", "unit", "flag", "date", "status", "source"):
        table.add_column(name, no_wrap=name not in ("name", "value"), overflow="fold")
    for f in facts:
        value = _shown(f["value_num"], f["value"])
        cite = f["citation"]
        if cite["document"] is None:
            source = "by hand"
        elif cite["page"]:
            source = f"#{cite['document']} p.{cite['page']}"
        else:
            source = f"#{cite['document']} record"
        state = f" ({f['state']})" if f["state"] and f["kind"] != "lab" else ""
        table.add_row(
            f["kind"],
            f["name"] + state,
            value,
            f["unit"],
            f["flag"],
            f["date"] or "",
            f["status"],
            source,
        )
    out.print(f"{profile['display_name']} ({profile['slug']}): {len(facts)} facts")
    out.print(table)


def _reextract(everything: bool) -> None:
    from server.cli.main import _run, _settings, out, progress_bar
    from server.facts.persist import reextract

    settings = _settings()

    async def go() -> tuple[int, int]:
        async with running(settings) as services:
            with progress_bar() as progress:
                task = progress.add_task("reading facts", total=None)

                def step(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total)

                return await reextract(
                    services.engine, services.store, everything=everything, progress=step
                )

    done, failed = _run(go())
    out.print(f"facts read for {done} documents" + (f", {failed} failed" if failed else ""))
    sys.exit(1 if failed else 0)
