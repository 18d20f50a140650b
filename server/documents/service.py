"""Documents as a person sees and changes them: every call checks access first.

Lists take the caller's scope from `server.access.scope`; a document is read through
`access.scope.document_for`; moving one follows the triage rule of `access.policy`.
"""

from __future__ import annotations

from typing import Any

from piccolo.engine.base import Engine
from piccolo.query.functions.aggregate import Count
from starlette.requests import Request

from server.access import audit
from server.access.policy import AccessDenied, Caller, check_move, may_file, require_admin
from server.access.scope import all_profiles, document_for, profiles_for, visible_documents
from server.db.engine import write_transaction
from server.db.tables import FAILED, STATES, Arrival, Document, DocumentTag, Fact, Page, Profile
from server.documents import filing, queue, titles, trash
from server.facts import persist as facts_persist
from server.health import citation
from server.search import projection
from server.search.highlights import highlights

PAGE_SIZE = 50
TRIAGE_SIZE = 200
LIST_COLUMNS = (
    Document.id,
    Document.original_name,
    Document.state,
    Document.failure_reason,
    Document.page_count,
    Document.created_at,
    Document.kind,
    Document.attempts,
    Document.profile,
    Document.profile.display_name.as_alias("profile_name"),
    Document.title,
    Document.doc_type,
    Document.doc_date,
    Document.provider,
    Document.facility,
)


async def listing(
    caller: Caller,
    profile: dict[str, Any] | None,
    *,
    state: str = "",
    page: int = 1,
    tag: str = "",
) -> dict[str, Any]:
    """A page of the documents the caller may see (all filed ones, or one profile's; with
    `tag`, those tagged so), newest first, with the count in each state, the tags in use, each
    listed document's tags, and the profiles they may upload to."""
    if profile is not None:
        if not caller.may("view", profile["id"]):
            raise AccessDenied("No such profile.", 404)
        where: Any = Document.profile == profile["id"]
    else:
        where = Document.profile.is_not_null()
    tags_in_use = await _tags_in(caller, profile)
    tag = titles.clean_tag(tag)
    if tag:
        where = where & Document.id.is_in(
            DocumentTag.select(DocumentTag.document).where(DocumentTag.tag == tag)
        )
    query = visible_documents(caller, Document.select(*LIST_COLUMNS)).where(where)
    counts_query = (
        visible_documents(caller, Document.select(Document.state, Count(Document.id, alias="n")))
        .where(where)
        .group_by(Document.state)
    )
    if state:
        query = query.where(Document.state == state)
    rows = (
        await query.order_by(Document.id, ascending=False)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    )
    counts = dict.fromkeys(STATES, 0)
    for row in await counts_query:
        counts[row["state"]] = row["n"]
    tags_of = await tags_for([r["id"] for r in rows[:PAGE_SIZE]])
    for r in rows:
        r["tags"] = tags_of.get(r["id"], [])
    return {
        "documents": rows[:PAGE_SIZE],
        "tag": tag,
        "tags": tags_in_use,
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "state": state,
        "counts": counts,
        "base": f"/profiles/{profile['slug']}" if profile else "/documents",
        "profile": profile,
        "upload_profiles": await profiles_for(caller, "upload"),
    }


async def row(caller: Caller, doc_id: int) -> dict[str, Any]:
    """The document as one row of a list."""
    doc = await document_for(caller, doc_id, "view", *LIST_COLUMNS)
    doc["tags"] = (await tags_for([doc_id])).get(doc_id, [])
    return doc


async def tags_for(doc_ids: list[int]) -> dict[int, list[str]]:
    """Each document's tags, sorted (call after an access check)."""
    out: dict[int, list[str]] = {}
    if not doc_ids:
        return out
    rows = await DocumentTag.select(DocumentTag.document, DocumentTag.tag).where(
        DocumentTag.document.is_in(doc_ids)
    )
    for r in sorted(rows, key=lambda r: r["tag"]):
        out.setdefault(r["document"], []).append(r["tag"])
    return out


async def _tags_in(caller: Caller, profile: dict[str, Any] | None) -> list[str]:
    """The tags on documents of `profile` (or of every profile the caller sees)."""
    visible = [profile["id"]] if profile is not None else sorted(caller.visible)
    if not visible:
        return []
    rows = (
        await DocumentTag.select(DocumentTag.tag)
        .where(DocumentTag.document.profile.is_in(visible))
        .distinct()
    )
    return sorted({r["tag"] for r in rows})


async def set_notes(
    caller: Caller, engine: Engine, doc_id: int, notes: str, tags: str
) -> dict[str, Any]:
    """The household's notes and tags on a document (tags: comma-separated; replaced)."""
    doc = await document_for(caller, doc_id, "edit", Document.id)
    wanted = titles.parse_tags(tags)
    async with write_transaction(engine):
        await Document.update({Document.notes: notes.strip()[: titles.MAX_NOTES]}).where(
            Document.id == doc["id"]
        )
        await DocumentTag.delete().where(DocumentTag.document == doc["id"])
        if wanted:
            await DocumentTag.insert(*[DocumentTag(document=doc["id"], tag=t) for t in wanted])
    return doc


async def detail(
    caller: Caller,
    doc_id: int,
    *,
    q: str | None = None,
    fact: str | None = None,
    request: Request | None = None,
) -> dict[str, Any]:
    """The document page: pages, arrivals, where it may move, matches of `q`, the cited `fact`.

    With `request` (a person opening the page, not a poll of its status) the view is audited.
    """
    doc = await document_for(caller, doc_id, "view")
    if request is not None:
        await audit.record(
            "document_viewed",
            caller=caller,
            request=request,
            profile=doc["profile"],
            document=doc["id"],
        )
    pages = (
        await Page.select(Page.number, Page.text, Page.ocr_applied, Page.width_pt, Page.height_pt)
        .where(Page.document == doc["id"])
        .order_by(Page.number)
    )
    arrivals = await Arrival.select().where(Arrival.document == doc["id"]).order_by(Arrival.id)
    profile = None
    if doc["profile"] is not None:
        profile = await Profile.select().where(Profile.id == doc["profile"]).first()
    return {
        "doc": doc,
        "pages": pages,
        "arrivals": arrivals,
        "profile": profile,
        "can_edit": caller.may("edit", doc["profile"]),
        "can_delete": await trash.may_delete(caller, doc),
        "move_targets": await _move_targets(caller, doc["profile"]),
        "highlights": await highlights(caller, doc, q),
        "citation": await citation.cited(doc, fact),
        "facts": await _facts_read(doc["id"]),
        "tags": (await tags_for([doc["id"]])).get(doc["id"], []),
    }


async def _facts_read(doc_id: int) -> list[dict[str, Any]]:
    """The facts read from the document (rejected ones left out), in the order printed."""
    return list(
        await Fact.select(
            Fact.id,
            Fact.kind,
            Fact.name,
            Fact.value_text,
            Fact.unit,
            Fact.flag,
            Fact.status,
            Fact.page,
        )
        .where((Fact.document == doc_id) & (Fact.status != "rejected"))
        .order_by(Fact.seq)
        .order_by(Fact.id)
    )


async def set_title(caller: Caller, doc_id: int, text: str) -> dict[str, Any]:
    """Give the document a title (empty: the one made from what was read again)."""
    doc = await document_for(caller, doc_id, "edit", Document.id, Document.profile)
    await Document.update({Document.title: titles.clean_title(text)}).where(
        Document.id == doc["id"]
    )
    return doc


async def _move_targets(caller: Caller, current: int | None) -> list[dict[str, Any]]:
    if current is None and caller.is_admin:
        return await all_profiles(caller)
    if not caller.may("edit", current):
        return []
    return [p for p in await profiles_for(caller, "upload") if p["id"] != current]


async def retry(caller: Caller, doc_id: int) -> bool:
    """Queue a failed document again; False when it has not failed."""
    doc = await document_for(caller, doc_id, "edit", Document.id, Document.state)
    if doc["state"] != FAILED:
        return False
    await queue.retry([doc["id"]])
    await projection.refresh([doc["id"]])
    return True


async def move(
    caller: Caller, engine: Engine, doc_id: int, slug: str, request: Request | None = None
) -> None:
    """File a document under the profile `slug` (admins do this from the triage queue too)."""
    doc = await document_for(caller, doc_id, "view", Document.id)
    check_move(caller, doc["profile"])
    target = await Profile.select(Profile.id).where(Profile.slug == slug).first()
    if target is None or not may_file(caller, doc["profile"], target["id"]):
        raise AccessDenied("You cannot file documents under that profile.", 403)
    # The document's facts move with it, in the same transaction; a person chose the profile,
    # which confirms whose document it is.
    await filing.refile(engine, doc_id, target["id"], by_person=True)
    await projection.refresh([doc_id])
    for pid in {doc["profile"], target["id"]} - {None}:
        await audit.record(
            "document_reassigned",
            caller=caller,
            request=request,
            profile=pid,
            document=doc_id,
            from_profile=doc["profile"],
            to_profile=target["id"],
        )


async def confirm_belongs(
    caller: Caller, engine: Engine, doc_id: int, request: Request | None = None
) -> None:
    """Confirm that a document flagged for naming someone else is its profile's after all:
    its facts join the profile's health views."""
    doc = await document_for(caller, doc_id, "edit", Document.id)
    async with write_transaction(engine):
        await facts_persist.recheck_patient(doc_id, doc["profile"], confirmed=True)
    await audit.record(
        "document_patient_confirmed",
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc_id,
    )


async def triage(caller: Caller) -> dict[str, Any]:
    """The admin's triage queue: unfiled documents with suggested profiles, and refused files."""
    require_admin(caller)
    docs = (
        await Document.select(
            Document.id,
            Document.original_name,
            Document.state,
            Document.created_at,
            Document.profile_hint,
            Document.suggested_profiles,
            Document.page_count,
            Document.printed_patient,
        )
        .where(Document.profile.is_null())
        .order_by(Document.id, ascending=False)
        .limit(TRIAGE_SIZE)
        .output(load_json=True)
    )
    profiles = await all_profiles(caller)
    names = {p["id"]: p for p in profiles}
    for d in docs:
        d["suggested"] = [names[i] for i in d["suggested_profiles"] or [] if i in names]
    # Files refused at intake belong to no one yet: only the admin sees their names.
    rejected = (
        await Arrival.select(
            Arrival.original_name, Arrival.source, Arrival.reason, Arrival.received_at
        )
        .where(Arrival.outcome == "rejected")
        .order_by(Arrival.id, ascending=False)
        .limit(50)
    )
    # Profiles automatic filing skips until an admin confirms them (Profile.filing_target).
    unconfirmed = [p for p in await all_profiles(caller) if not p.get("filing_target")]
    return {
        "documents": docs,
        "profiles": profiles,
        "rejected": rejected,
        "unconfirmed": unconfirmed,
    }


async def api_state(caller: Caller, doc_id: int) -> dict[str, Any]:
    """A document's state as the upload API reports it."""
    doc = await document_for(
        caller,
        doc_id,
        "view",
        Document.id,
        Document.state,
        Document.original_name,
        Document.page_count,
        Document.failure_reason,
        Document.profile.slug.as_alias("profile_slug"),
    )
    return {
        "id": doc["id"],
        "state": doc["state"],
        "name": doc["original_name"],
        "profile": doc["profile_slug"],
        "pages": doc["page_count"],
        "failure_reason": doc["failure_reason"],
    }
