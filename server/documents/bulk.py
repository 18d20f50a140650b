"""One action on many documents chosen in a list: move to a person, tag, delete, confirm facts.

Every document is checked before anything changes (as `access.scope.document_for` decides
for one), so a batch with one document the caller may not touch is refused whole, naming
nothing, and changes nothing. Each change is then the single-document feature's own call, with
its audit entry (marked `bulk`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.engine.base import Engine
from starlette.requests import Request

from server.access import audit
from server.access.policy import AccessDenied, Caller, check_move, may_file
from server.access.scope import document_for
from server.db.tables import Document, DocumentTag, Profile
from server.documents import service, titles, trash
from server.errors import BadInput
from server.facts import service as facts

ACTIONS = ("move", "tag", "delete", "confirm")
MAX_DOCUMENTS = 200


@dataclass(frozen=True)
class Done:
    """What a bulk action did, as the page after it says."""

    action: str
    documents: int
    message: str


async def apply(
    caller: Caller,
    engine: Engine,
    action: str,
    doc_ids: list[int],
    *,
    profile: str = "",
    tag: str = "",
    request: Request | None = None,
) -> Done:
    """Do `action` to every document of `doc_ids`, or to none (AccessDenied, BadInput)."""
    ids = sorted(set(doc_ids))
    if action not in ACTIONS:
        raise BadInput("Choose what to do with the chosen documents.")
    if not ids:
        raise BadInput("Choose at least one document (tick its box).")
    if len(ids) > MAX_DOCUMENTS:
        raise BadInput(f"Choose at most {MAX_DOCUMENTS} documents at a time.")
    docs = [await _checked(caller, action, i) for i in ids]
    n = len(docs)
    if action == "move":
        target = await _target(caller, profile, docs)
        moved = [d for d in docs if d["profile"] != target["id"]]
        for d in moved:
            await service.move(caller, engine, d["id"], target["slug"], request)
        return Done(action, n, f"Moved {_count(len(moved))} to {target['display_name']}.")
    if action == "tag":
        clean = titles.clean_tag(tag)
        if not clean:
            raise BadInput("Type the tag to add.")
        have = await service.tags_for(ids)
        for d in docs:  # all or nothing: refused before any is tagged
            if clean not in have.get(d["id"], []) and len(have.get(d["id"], [])) >= titles.MAX_TAGS:
                raise BadInput(f"“{trash.name_of(d)}” has {titles.MAX_TAGS} tags already.")
        for d in docs:
            if clean not in have.get(d["id"], []):
                await _add_tag(caller, d, clean, request)
        return Done(action, n, f"Tagged {_count(n)} “{clean}”.")
    if action == "delete":
        for d in docs:
            await trash.delete(caller, engine, d["id"], request)
        return Done(action, n, f"Moved {_count(n)} to the trash.")
    changed = left = 0
    for d in docs:
        result = await facts.confirm_document(caller, d["id"], request=request)
        changed, left = changed + result.changed, left + result.left
    message = f"Confirmed {changed} fact{'s' if changed != 1 else ''} in {_count(n)}."
    if left:
        message += f" {left} read with too little certainty wait in review for a look."
    return Done(action, n, message)


async def _checked(caller: Caller, action: str, doc_id: int) -> dict[str, Any]:
    """The document if the caller may do `action` to it; AccessDenied otherwise."""
    columns: tuple[Any, ...] = (
        *(Document.id, Document.profile, Document.state, Document.title),
        *(Document.original_name, Document.doc_type, Document.doc_date),
        *(Document.provider, Document.facility),
    )
    if action == "move":
        doc = await document_for(caller, doc_id, "view", *columns)
        check_move(caller, doc["profile"])
        return doc
    if action == "delete":
        doc = await document_for(caller, doc_id, "view", *columns)
        if not await trash.may_delete(caller, doc):
            raise AccessDenied(
                "Your role does not allow deleting one of the chosen documents.", 403
            )
        return doc
    return await document_for(caller, doc_id, "edit", *columns)


async def _target(caller: Caller, slug: str, docs: list[dict[str, Any]]) -> dict[str, Any]:
    """The profile to move to: one the caller may file every chosen document under."""
    if not slug:
        raise BadInput("Choose whose documents these are.")
    row = (
        await Profile.select(Profile.id, Profile.slug, Profile.display_name)
        .where(Profile.slug == slug)
        .first()
    )
    if row is None or not all(may_file(caller, d["profile"], row["id"]) for d in docs):
        raise AccessDenied("You cannot file documents under that profile.", 403)
    return row


async def _add_tag(caller: Caller, doc: dict[str, Any], tag: str, request: Request | None) -> None:
    await DocumentTag.insert(DocumentTag(document=doc["id"], tag=tag))
    await audit.record(
        "document_tagged",
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc["id"],
        name=trash.name_of(doc),
        tag=tag,
        bulk=True,
    )


def _count(n: int) -> str:
    return f"{n} document{'s' if n != 1 else ''}"
