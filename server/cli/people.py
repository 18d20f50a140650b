"""`kinchart user|profile|grant|revoke`: who logs in, whose records are kept, who sees what."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from server.access import audit
from server.access.console import console as console_caller
from server.cli._common import Services, in_runtime, out
from server.people import accounts, directory, household


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.group()
def user() -> None:
    """Manage users (people who log in)."""


@user.command("add")
@click.argument("username")
@click.option("--admin", is_flag=True, help="Make this user a household admin.")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(username: str, admin: bool, display_name: str, password_stdin: bool) -> None:
    """Add a user (the first admin can also be created in the web UI)."""
    _user_add(username, _password(password_stdin), display_name, admin)


@in_runtime()
async def _user_add(
    services: Services, username: str, password: str, display_name: str, admin: bool
) -> None:
    row = await household.add_user(username, password, display_name=display_name, is_admin=admin)
    await audit.record(
        "admin_created" if admin else "user_added", actor_name="cli", subject=row["username"]
    )
    out.print(f"added user {row['username']}{' (admin)' if row['is_admin'] else ''}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime()
async def user_list(services: Services, as_json: bool) -> None:
    """List users."""
    shown = ("id", "username", "display_name", "is_admin", "disabled")
    rows = [{k: r[k] for k in shown} for r in await accounts.users(await console_caller())]
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
@in_runtime()
async def user_disable(services: Services, username: str, enable: bool) -> None:
    """Disable a user (their logins end at once)."""
    row = await household.user_by_name(username)
    await household.set_disabled(row["id"], not enable)
    await audit.record(
        "user_enabled" if enable else "user_disabled", actor_name="cli", subject=row["username"]
    )
    out.print(f"{'enabled' if enable else 'disabled'} {username}")


@user.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_reset(username: str, password_stdin: bool) -> None:
    """Set a new password for a user (their logins end)."""
    _user_reset(username, _password(password_stdin))


@in_runtime()
async def _user_reset(services: Services, username: str, password: str) -> None:
    row = await household.user_by_name(username)
    await household.reset_password(row["id"], password)
    await audit.record("password_reset", actor_name="cli", subject=row["username"])
    out.print(f"password of {username} reset")


@click.group()
def profile() -> None:
    """Manage profiles (people whose records are kept)."""


@profile.command("add")
@click.argument("name")
@click.option("--dob", default=None, help="Date of birth, YYYY-MM-DD.")
@click.option("--slug", default=None, help="Short name, also the inbox folder name.")
@in_runtime()
async def profile_add(services: Services, name: str, dob: str | None, slug: str | None) -> None:
    """Add a profile; grant someone `owner` on it next."""
    row = await household.add_profile(name, dob=household.parse_dob(dob), slug=slug)
    await audit.record("profile_created", actor_name="cli", profile=row["id"])
    out.print(f"added profile {row['slug']} ({row['display_name']})")


@profile.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@in_runtime()
async def profile_list(services: Services, as_json: bool) -> None:
    """List profiles and who has which role on them."""
    rows: list[dict[str, Any]] = await directory.profiles(await console_caller())
    if as_json:
        out.print_json(json.dumps(rows))
        return
    for r in rows:
        grants = ", ".join(f"{u}: {role}" for u, role in r["grants"].items()) or "no one"
        out.print(f"{r['slug']}\t{r['display_name']}\t{r['date_of_birth']}\t{grants}")


@click.command("grant")
@click.argument("username")
@click.argument("profile_slug")
@click.argument("role", type=click.Choice(["owner", "caregiver", "viewer"]))
@in_runtime()
async def grant_cmd(services: Services, username: str, profile_slug: str, role: str) -> None:
    """Give USERNAME a ROLE on PROFILE_SLUG."""
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
    out.print(f"{username} is now {role} of {profile_slug}")


@click.command("revoke")
@click.argument("username")
@click.argument("profile_slug")
@in_runtime()
async def revoke_cmd(services: Services, username: str, profile_slug: str) -> None:
    """Take away USERNAME's role on PROFILE_SLUG."""
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
    out.print(f"revoked {username}'s {old} role on {profile_slug}" if old else "nothing to revoke")


commands = [user, profile, grant_cmd, revoke_cmd]
