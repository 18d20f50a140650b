"""Scoped record queries: every query for records takes the caller's scope from here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from piccolo.query import Select

from server.access.policy import AccessDenied, Caller
from server.db.tables import Document, Grant, Profile, User


async def load_caller(user: Mapping[str, Any]) -> Caller:
    grants = await Grant.select(Grant.profile, Grant.role).where(Grant.user == user["id"])
    return _caller(user, grants)


def caller_and_profiles(
    user: Mapping[str, Any], grants: Iterable[Mapping[str, Any]]
) -> tuple[Caller, list[dict[str, Any]]]:
    """The caller, and the profiles they may see (for the switcher on every page), from the
    user's grants joined to their profiles (`auth.load_session` reads them with the session):
    a profile is visible exactly when the user has a grant on it."""
    grants = list(grants)
    profiles = [
        {
            "id": g["profile"],
            "slug": g["slug"],
            "display_name": g["display_name"],
            "color": g["color"],
        }
        for g in grants
    ]
    return _caller(user, grants), profiles


def _caller(user: Mapping[str, Any], grants: Iterable[Mapping[str, Any]]) -> Caller:
    return Caller(
        user_id=user["id"],
        username=user["username"],
        display_name=user.get("display_name") or user["username"],
        is_admin=bool(user["is_admin"]),
        roles={g["profile"]: g["role"] for g in grants},
    )


def visible_documents(caller: Caller, query: Select) -> Select:
    """Restrict a Document query to what the caller may see. Every record query goes here."""
    ids = list(caller.visible)
    where: Any = Document.profile.is_in(ids) if ids else Document.id == -1
    if caller.is_admin:
        where = where | Document.profile.is_null()
    return query.where(where)


def visible_profiles(caller: Caller, query: Select) -> Select:
    ids = list(caller.visible)
    return query.where(Profile.id.is_in(ids) if ids else Profile.id == -1)


async def document_for(caller: Caller, doc_id: int, action: str, *columns: Any) -> dict[str, Any]:
    """The document if the caller may `action` it; 404 if they may not even see it."""
    query = Document.select(*columns, Document.profile) if columns else Document.select()
    row = await query.where(Document.id == doc_id).output(load_json=True).first()
    if row is None or not caller.may("view", row["profile"]):
        raise AccessDenied("No such document.", 404)
    if not caller.may(action, row["profile"]):
        raise AccessDenied("Your role on this profile does not allow this.", 403)
    return row


async def profile_for(caller: Caller, slug: str, action: str) -> dict[str, Any]:
    row = await Profile.select().where(Profile.slug == slug).first()
    if row is None or not caller.may("view", row["id"]):
        raise AccessDenied("No such profile.", 404)
    if not caller.may(action, row["id"]):
        raise AccessDenied("Your role on this profile does not allow this.", 403)
    return row


async def user_exists(username: str) -> bool:
    return bool(await User.exists().where(User.username == username))
