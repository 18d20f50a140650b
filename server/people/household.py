"""Users, profiles and grants: the rules, shared by the web UI and the CLI."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from server.access.policy import Caller, require_admin
from server.access.scope import profile_by_id
from server.db.tables import OWNER, ROLES, Document, Grant, Profile, User
from server.errors import BadInput, NotFound
from server.people.auth import (
    AuthError,
    clean_username,
    end_all_sessions,
    hash_password_async,
)

COLORS = ("#3366aa", "#aa3366", "#2e7d32", "#b26a00", "#6a3cb5", "#00838f", "#c62828", "#5d4037")


class HouseholdError(BadInput):
    """A change to users, profiles or grants that is not allowed; the message says why."""


class NotInHousehold(NotFound, HouseholdError):
    """No user or profile goes by that name."""


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64]


def parse_dob(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        dob = date.fromisoformat(raw.strip())
    except ValueError:
        raise HouseholdError("Write the date of birth as YYYY-MM-DD.") from None
    if dob > date.today() or dob.year < 1900:
        raise HouseholdError("That date of birth is not possible.")
    return dob


async def add_user(
    username: str, password: str, *, display_name: str = "", is_admin: bool = False
) -> dict[str, Any]:
    try:
        name = clean_username(username)
        password_hash = await hash_password_async(password)
    except AuthError as exc:
        raise HouseholdError(exc.user_message) from None
    if await User.exists().where(User.username == name):
        raise HouseholdError(f"There is already a user called {name}.")
    rows = await User.insert(
        User(
            username=name,
            display_name=display_name.strip()[:100] or name,
            password_hash=password_hash,
            is_admin=is_admin,
        )
    ).returning(*User.all_columns())
    return rows[0]


async def user_by_name(username: str) -> dict[str, Any]:
    row = await User.select().where(User.username == username.strip().lower()).first()
    if row is None:
        raise NotInHousehold(f"There is no user called {username}.")
    return row


async def set_disabled(user_id: int, disabled: bool) -> None:
    if disabled:
        admins = await User.count().where(
            (User.is_admin == True) & (User.disabled == False) & (User.id != user_id)  # noqa: E712
        )
        target = await User.select(User.is_admin).where(User.id == user_id).first()
        if target and target["is_admin"] and admins == 0:
            raise HouseholdError("This is the last admin; add another admin first.")
        await end_all_sessions(user_id)
    await User.update({User.disabled: disabled}).where(User.id == user_id)


async def reset_password(user_id: int, password: str) -> None:
    try:
        password_hash = await hash_password_async(password)
    except AuthError as exc:
        raise HouseholdError(exc.user_message) from None
    await User.update({User.password_hash: password_hash}).where(User.id == user_id)
    await end_all_sessions(user_id)


async def add_profile(
    display_name: str,
    *,
    dob: date | None = None,
    slug: str | None = None,
    owner_id: int | None = None,
    filing_target: bool = True,
) -> dict[str, Any]:
    """A new profile. `filing_target`: documents may be filed here by inbox folder or printed
    identity (an admin's or the operator's act; a profile a user makes for themselves is not,
    until an admin confirms it: `set_filing_target`)."""
    display_name = display_name.strip()[:100]
    if not display_name:
        raise HouseholdError("A profile needs a name.")
    slug = slugify(slug or display_name)
    if not slug:
        raise HouseholdError("Choose a short name (slug) with letters or digits.")
    if await Profile.exists().where(Profile.slug == slug):
        raise HouseholdError(f"The short name {slug!r} is taken; choose another.")
    n = await Profile.count()
    rows = await Profile.insert(
        Profile(
            slug=slug,
            display_name=display_name,
            date_of_birth=dob,
            color=COLORS[n % len(COLORS)],
            filing_target=filing_target,
        )
    ).returning(*Profile.all_columns())
    profile = rows[0]
    if owner_id is not None:
        await grant(owner_id, profile["id"], OWNER)
    return profile


async def profile_by_slug(slug: str) -> dict[str, Any]:
    row = await Profile.select().where(Profile.slug == slug.strip().lower()).first()
    if row is None:
        raise NotInHousehold(f"There is no profile {slug!r}.")
    return row


async def grant(user_id: int, profile_id: int, role: str) -> str | None:
    """Give `role`; returns the role it replaces. The last owner cannot be demoted."""
    if role not in ROLES:
        raise HouseholdError(f"A role is one of: {', '.join(ROLES)}.")
    key = f"{user_id}:{profile_id}"
    old = await Grant.select(Grant.role).where(Grant.key == key).first()
    if old and old["role"] == OWNER and role != OWNER:
        await _keep_an_owner(profile_id, user_id)
    if old:
        await Grant.update({Grant.role: role}).where(Grant.key == key)
        return str(old["role"])
    await Grant.insert(Grant(key=key, user=user_id, profile=profile_id, role=role))
    return None


async def revoke(user_id: int, profile_id: int) -> str | None:
    key = f"{user_id}:{profile_id}"
    old = await Grant.select(Grant.role).where(Grant.key == key).first()
    if old is None:
        return None
    if old["role"] == OWNER:
        await _keep_an_owner(profile_id, user_id)
    await Grant.delete().where(Grant.key == key)
    return str(old["role"])


async def _keep_an_owner(profile_id: int, leaving_user: int) -> None:
    others = await Grant.count().where(
        (Grant.profile == profile_id) & (Grant.role == OWNER) & (Grant.user != leaving_user)
    )
    if others == 0:
        raise HouseholdError(
            "A profile always keeps at least one owner; make someone else owner first."
        )


async def grants_of(profile_id: int) -> list[dict[str, Any]]:
    rows = (
        await Grant.select(
            Grant.user,
            Grant.role,
            Grant.user.username.as_alias("username"),
            Grant.user.display_name.as_alias("display_name"),
        )
        .where(Grant.profile == profile_id)
        .order_by(Grant.id)
    )
    return list(rows)


async def update_profile(
    caller: Caller, profile_id: int, *, display_name: str, date_of_birth: str, linked_user: str
) -> tuple[str, date | None]:
    """Change a profile's name, date of birth and the user who is this person (optional; shown
    as "you" on their own profile). Returns the name and date as stored."""
    before = await profile_by_id(caller, profile_id, "manage")
    name = display_name.strip()[:100]
    if not name:
        raise HouseholdError("A profile needs a name.")
    dob = parse_dob(date_of_birth)
    linked = int((await user_by_name(linked_user))["id"]) if linked_user else None
    values: dict[Any, Any] = {
        Profile.display_name: name,
        Profile.date_of_birth: dob,
        Profile.linked_user: linked,
    }
    if not caller.is_admin and (name != before["display_name"] or dob != before["date_of_birth"]):
        # A new identity set by a non-admin is no filing target until an admin confirms it.
        values[Profile.filing_target] = False
    await Profile.update(values).where(Profile.id == profile_id)
    return name, dob


async def set_filing_target(caller: Caller, slug: str, on: bool) -> dict[str, Any]:
    """An admin confirms (or withdraws) a profile as a target of automatic filing."""
    require_admin(caller)
    profile = await profile_by_slug(slug)
    await Profile.update({Profile.filing_target: on}).where(Profile.id == profile["id"])
    return profile


async def slug_in_use_by_sources(slug: str, inbox_dir: Path) -> bool:
    """Whether documents already arrive for this short name: an inbox sub-folder of that name,
    or documents that came from one (also from WebDAV sources' sub-folders)."""
    if (inbox_dir / slug).is_dir():
        return True
    return bool(await Document.exists().where(Document.profile_hint == slug))


async def active_users() -> list[dict[str, Any]]:
    """Users who may log in, by username (whom an owner may grant a role)."""
    rows = (
        await User.select(User.id, User.username, User.display_name)
        .where(User.disabled == False)  # noqa: E712
        .order_by(User.username)
    )
    return list(rows)


async def username_of(user_id: int) -> str | None:
    row = await User.select(User.username).where(User.id == user_id).first()
    return str(row["username"]) if row else None
