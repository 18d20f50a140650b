"""`kinchart facts`: a profile's facts with their citations, or reading facts again."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.table import Table as RichTable

from server.access.console import caller_named, console, profile_of
from server.cli._common import ExitCode, Services, in_runtime, out, progress_bar
from server.facts import numbers
from server.facts.fields import FACT_KINDS
from server.facts.persist import reextract
from server.facts.service import profile_facts


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
    if reextract:
        if profile_slug or kind or username or as_json:
            raise click.UsageError("--reextract takes no --profile, --kind, --user or --json")
        _reextract(force)
        return
    if force:
        raise click.UsageError("--force goes with --reextract")
    if not profile_slug:
        raise click.UsageError("give --profile SLUG (or --reextract)")
    _facts(profile_slug, kind, username, as_json)


@in_runtime()
async def _facts(
    services: Services, profile_slug: str, kind: str | None, username: str | None, as_json: bool
) -> None:
    caller = await (console() if username is None else caller_named(username))
    profile = await profile_of(caller, profile_slug, "view")
    rows = await profile_facts(profile["id"], kinds=[kind] if kind else None)
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


@in_runtime()
async def _reextract(services: Services, everything: bool) -> ExitCode:
    with progress_bar() as progress:
        task = progress.add_task("reading facts", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        done, failed = await reextract(
            services.engine, services.store, everything=everything, progress=step
        )
    out.print(f"facts read for {done} documents" + (f", {failed} failed" if failed else ""))
    return ExitCode.failed if failed else ExitCode.ok


commands = [facts_cmd]
