"""`kinchart share`: make, list and revoke a profile's share links, and read who opened them."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import click
from rich.table import Table as RichTable

from server.access.console import caller_named, profile_of
from server.cli._common import Services, in_runtime, out
from server.errors import BadInput
from server.shares import links
from server.vault import Vault


@click.group("share")
def share_group() -> None:
    """Share links for clinicians (each also a SMART Health Link)."""


def _base_url(services: Services) -> str:
    settings = services.settings
    return settings.base_url.rstrip("/") or f"http://{settings.host}:{settings.port}"


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _documents(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise BadInput(f"--documents {text!r}: document ids, separated by commas.") from None


@share_group.command("create")
@click.argument("profile")
@click.option("--user", "username", required=True, help="Who makes it (owner or caregiver).")
@click.option("--label", default="", help="For whom, as shown on the link (≤ 80 characters).")
@click.option("--expires", default="7d", show_default=True, help="7d, 30d, YYYY-MM-DD or never.")
@click.option("--passcode-stdin", is_flag=True, help="Read a passcode (≥ 6 characters) from stdin.")
@click.option("--documents", default="", help="Document ids to share too, comma-separated.")
@click.option("--labs/--no-labs", default=True, help="Share lab results (default: yes).")
@click.option("--vitals/--no-vitals", default=True, help="Share vital signs (default: yes).")
@click.option("--json", "as_json", is_flag=True, help="Print {id, url, shlink, expires_at}.")
@in_runtime()
async def create_cmd(
    services: Services,
    profile: str,
    username: str,
    label: str,
    expires: str,
    passcode_stdin: bool,
    documents: str,
    labs: bool,
    vitals: bool,
    as_json: bool,
) -> None:
    """Make a share link to PROFILE's summary; print its address (with the SHL payload)."""
    passcode = sys.stdin.readline().rstrip("\r\n") if passcode_stdin else ""
    if passcode_stdin and not passcode:
        raise BadInput("--passcode-stdin: no passcode on standard input.")
    caller = await caller_named(username)
    row = await profile_of(caller, profile, "share")
    vault = Vault(services.settings.data_dir)
    made, _ = await links.create(
        caller,
        vault,
        row["id"],
        label=label,
        expires=expires,
        passcode=passcode,
        documents=_documents(documents),
        labs=labs,
        vitals=vitals,
    )
    addresses = links.links(made, vault, _base_url(services))
    result = {
        "id": made["id"],
        "url": addresses.full,
        "shlink": addresses.shlink,
        "expires_at": _when(made["expires_at"]),
    }
    if as_json:
        out.print_json(json.dumps(result))
        return
    out.print(f"share link {made['id']} for {row['display_name']}: {addresses.full}")
    out.print(f"expires: {result['expires_at'] or 'when revoked'}")


def _listed(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "label": row["label"],
        "kind": row["kind"],
        "status": row["status"],
        "views": row["views"],
        "last_viewed": _when(row["last_viewed"]),
        "created_at": _when(row["created_at"]),
        "expires_at": _when(row["expires_at"]),
        "passcode": bool(row["passcode_hash"]),
        "documents": row["documents"] or [],
        "labs": bool(row["labs"]),
        "vitals": bool(row["vitals"]),
    }


@share_group.command("list")
@click.argument("profile")
@click.option("--user", "username", required=True, help="As this user (owner or caregiver).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime()
async def list_cmd(services: Services, profile: str, username: str, as_json: bool) -> None:
    """PROFILE's share links with their status and how often they were opened."""
    caller = await caller_named(username)
    row = await profile_of(caller, profile, "share")
    rows = [_listed(r) for r in await links.listing(caller, row["id"])]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = RichTable("id", "label", "status", "opened", "last opened", "expires")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["label"] or r["kind"],
            r["status"],
            str(r["views"]),
            r["last_viewed"] or "",
            r["expires_at"] or "when revoked",
        )
    out.print(table)


@share_group.command("log")
@click.argument("share_id", type=int)
@click.option("--user", "username", required=True, help="As this user (owner or caregiver).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime()
async def log_cmd(services: Services, share_id: int, username: str, as_json: bool) -> None:
    """Every request on a share link: when, what, how it ended, from where."""
    caller = await caller_named(username)
    rows = [
        {
            "at": _when(v["at"]),
            "what": v["what"],
            "outcome": v["outcome"],
            "ip": v["ip"],
            "user_agent": v["user_agent"],
            "recipient": v["recipient"],
            "document": v["document"],
        }
        for v in await links.view_log(caller, share_id)
    ]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = RichTable("when", "what", "outcome", "address", "recipient / browser")
    for r in rows:
        who = r["recipient"] or r["user_agent"]
        table.add_row(r["at"] or "", r["what"], r["outcome"], r["ip"], who)
    out.print(table)


@share_group.command("revoke")
@click.argument("share_id", type=int)
@click.option("--user", "username", required=True, help="As this user (owner or caregiver).")
@in_runtime()
async def revoke_cmd(services: Services, share_id: int, username: str) -> None:
    """Revoke a share link now: its next request is refused."""
    caller = await caller_named(username)
    row = await links.revoke(caller, share_id)
    out.print(f"share link {share_id} revoked at {_when(row['revoked_at'])}")


commands = [share_group]
