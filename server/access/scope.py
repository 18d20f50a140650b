"""Scoped record queries: every query for records takes the caller's scope from here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from piccolo.query import Select

from server.access.policy import AccessDenied, Caller, ShareCaller, require_admin
from server.db.tables import FAILED, Document, Grant, Profile, User


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


# Documents in no profile's trash (documents/trash.py): only these are in any view.
LIVE: Any = Document.trashed_at.is_null()


def visible_documents(caller: Caller, query: Select) -> Select:
    """Restrict a Document query to what the caller may see. Every record query goes here.

    Deleted documents (in a trash) are in no list: the trash page reads them itself."""
    ids = list(caller.visible)
    where: Any = Document.profile.is_in(ids) if ids else Document.id == -1
    if caller.is_admin:
        where = where | Document.profile.is_null()
    return query.where(where & LIVE)


def visible_profiles(caller: Caller, query: Select) -> Select:
    ids = list(caller.visible)
    return query.where(Profile.id.is_in(ids) if ids else Profile.id == -1)


async def document_for(
    caller: Caller, doc_id: int, action: str, *columns: Any, trashed: bool = False
) -> dict[str, Any]:
    """The document if the caller may `action` it; 404 if they may not even see it.

    `columns` (Document columns or their names) limit what is read; the profile always is.
    A deleted document (in its profile's trash) is found only with `trashed`, which finds
    nothing else: 404 either way, as for one that does not exist.
    """
    columns = tuple(getattr(Document, c) if isinstance(c, str) else c for c in columns)
    query = (
        Document.select(*columns, Document.profile, Document.trashed_at)
        if columns
        else Document.select()
    )
    row = await query.where(Document.id == doc_id).output(load_json=True).first()
    if (
        row is None
        or not caller.may("view", row["profile"])
        or (row["trashed_at"] is not None) != trashed
    ):
        raise AccessDenied("No such document.", 404)
    if not caller.may(action, row["profile"]):
        raise AccessDenied("Your role on this profile does not allow this.", 403)
    if action == "download" and not caller.is_admin and await unread_sync_body(doc_id):
        raise AccessDenied(UNREAD_SYNC_BODY, 403)
    return row


async def shared_document(share: ShareCaller, doc_id: int, *columns: Any) -> dict[str, Any]:
    """A document a share link names, if it is still its profile's; else 404, the same answer
    as for one that does not exist."""
    columns = tuple(getattr(Document, c) if isinstance(c, str) else c for c in columns)
    query = (
        Document.select(*columns, Document.id, Document.profile) if columns else (Document.select())
    )
    row = await query.where((Document.id == doc_id) & LIVE).output(load_json=True).first()
    if row is None or not share.may_document(int(row["id"]), row["profile"]):
        raise AccessDenied("No such document.", 404)
    return row


# Sources that fetch from another server on their own (a WebDAV server may be hostile, and a
# redirect may have pointed at an internal address): a body from them that never read as a
# document (failed, no kind detected) may be anything, so only an admin may download it.
SYNC_SOURCES = ("webdav",)
UNREAD_SYNC_BODY = (
    "This file came from a synced folder and could not be read as a document; "
    "only a household admin can download it."
)


async def unread_sync_body(doc_id: int) -> bool:
    """Whether the document is a failed, never-detected body from a sync source."""
    return bool(
        await Document.exists().where(
            (Document.id == doc_id)
            & Document.source.is_in(list(SYNC_SOURCES))
            & (Document.state == FAILED)
            & (Document.kind == "")
        )
    )


async def profile_for(caller: Caller, slug: str, action: str) -> dict[str, Any]:
    row = await Profile.select().where(Profile.slug == slug).first()
    if row is None or not caller.may("view", row["id"]):
        raise AccessDenied("No such profile.", 404)
    if not caller.may(action, row["id"]):
        raise AccessDenied("Your role on this profile does not allow this.", 403)
    return row


async def profile_by_id(caller: Caller, profile_id: int, action: str) -> dict[str, Any]:
    """As `profile_for`, by id."""
    if not caller.may("view", profile_id):
        raise AccessDenied("No such profile.", 404)
    if not caller.may(action, profile_id):
        raise AccessDenied("Your role on this profile does not allow this.", 403)
    row = await Profile.select().where(Profile.id == profile_id).first()
    if row is None:
        raise AccessDenied("No such profile.", 404)
    return row


async def profiles_for(caller: Caller, action: str = "view") -> list[dict[str, Any]]:
    """The profiles the caller may `action`, by name."""
    rows = await visible_profiles(caller, Profile.select()).order_by(Profile.display_name)
    return [r for r in rows if caller.may(action, r["id"])]


async def all_profiles(caller: Caller) -> list[dict[str, Any]]:
    """Every profile's id, slug and name, for an admin filing documents (triage, sync sources).

    Names only: being an admin opens nobody's records.
    """
    require_admin(caller)
    return list(
        await Profile.select(
            Profile.id, Profile.slug, Profile.display_name, Profile.filing_target
        ).order_by(Profile.display_name)
    )


async def upload_target(caller: Caller, slug: str) -> int | None:
    """The one rule for "may add documents here": the profile a new document is filed under.

    A named profile must be one the caller may upload to (an unknown name is refused the same
    way, so existence does not leak). With no name, an admin's document waits in the triage
    queue (None); anyone else's goes to the one profile they may upload to, and must be named
    when there are several.
    """
    if slug:
        row = await Profile.select(Profile.id).where(Profile.slug == slug).first()
        if row is None or not caller.may("upload", row["id"]):
            raise AccessDenied(f"You cannot add documents to {slug!r}.", 403)
        return int(row["id"])
    if caller.is_admin:
        return None
    uploadable = sorted(pid for pid in caller.roles if caller.may("upload", pid))
    if len(uploadable) == 1:
        return uploadable[0]
    if not uploadable:
        raise AccessDenied("You may not add documents to any profile.", 403)
    raise AccessDenied(CHOOSE_PROFILE, 400)


CHOOSE_PROFILE = "Choose whose document this is (the `profile` field)."


async def seen_document(caller: Caller, doc_id: int | None) -> dict[str, Any] | None:
    """The document's id, state and profile if the caller may see it, else None.

    Taking in bytes that are already stored answers with the existing document: it must
    never be named to a caller who may not see it.
    """
    if doc_id is None:
        return None
    row = (
        await Document.select(Document.id, Document.state, Document.profile)
        .where((Document.id == doc_id) & LIVE)
        .first()
    )
    return row if row is not None and caller.may("view", row["profile"]) else None


async def user_exists(username: str) -> bool:
    return bool(await User.exists().where(User.username == username))
