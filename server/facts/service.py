"""Reading and changing facts as a person: every call goes through `server.access.scope`.

Viewers read; caregivers and owners confirm, correct, reject and enter facts; nobody without
a role on the profile learns that a fact exists (admins included). Every change is recorded
in the audit log of the fact's profile.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from ocr.facts.confidence import needs_review
from server.access import audit
from server.access.policy import AccessDenied, Caller
from server.access.scope import document_for, profile_by_id, profile_for
from server.db.tables import (
    CONFIRMED,
    CORRECTED,
    EXTRACTED,
    MANUAL,
    REJECTED,
    Document,
    Fact,
    Page,
)
from server.errors import ExitCode, KinchartError
from server.facts import fields as F
from server.facts import same

REVIEW_DOCS_PER_PAGE = 10
_COLUMNS = (
    *Fact.all_columns(),
    Fact.document.profile.as_alias("doc_profile"),
    Fact.document.trashed_at.as_alias("doc_trashed"),
)


class FactGone(KinchartError):
    """The fact was replaced meanwhile (its document was read again)."""

    status = 409
    exit_code = ExitCode.not_found

    user_message = "This fact was replaced by a new reading of its document. Reload the page."


async def fact_for(
    caller: Caller, fact_id: int, action: str, key: str | None = None
) -> dict[str, Any]:
    """The fact if the caller may `action` it: 404 if they may not see it, 403 if only see.

    `key` (what a page showed: `data["key"]`) makes sure the id still means the same fact.
    """
    row = await Fact.select(*_COLUMNS).where(Fact.id == fact_id).output(load_json=True).first()
    owner = _owner(row) if row else None
    if row is None or owner is None or not caller.may("view", owner):
        raise AccessDenied("No such fact.", 404)
    if not caller.may(action, owner):
        raise AccessDenied("Your role on this profile does not allow this.", 403)
    if key and key != fact_key(row):
        raise FactGone()
    row["profile"] = owner
    return row


def fact_key(fact: Mapping[str, Any]) -> str:
    """What a fact is, across readings of its document (empty for facts typed in)."""
    return str((fact.get("data") or {}).get("key") or "")


def _owner(row: Mapping[str, Any]) -> int | None:
    # A document's facts are its profile's: the document decides, even before they follow.
    # A deleted document's facts are nobody's until it is restored (documents/trash.py).
    if row["document"] is not None:
        return None if row["doc_trashed"] is not None else row["doc_profile"]
    return row["profile"]


async def profile_facts(
    profile_id: int, *, kinds: list[str] | None = None, statuses: list[str] | None = None
) -> list[dict[str, Any]]:
    """A profile's facts (call after an access check), with their document's name and date."""
    query = Fact.select(
        *Fact.all_columns(),
        Fact.document.original_name.as_alias("doc_name"),
        Fact.document.doc_date.as_alias("doc_date"),
    ).where(
        (Fact.profile == profile_id)
        & (Fact.document.is_null() | (Fact.document.profile == profile_id))
    )
    if kinds:
        query = query.where(Fact.kind.is_in(kinds))
    if statuses:
        query = query.where(Fact.status.is_in(statuses))
    rows = (
        await query.order_by(Fact.document)
        .order_by(Fact.seq)
        .order_by(Fact.id)
        .output(load_json=True)
    )
    return list(rows)


async def review(caller: Caller, slug: str, *, everything: bool, page: int) -> dict[str, Any]:
    """The review page's content: documents with facts still to review (or all), newest first."""
    profile = await profile_for(caller, slug, "edit")
    pid = profile["id"]
    scope: Any = (Fact.profile == pid) & (Fact.document.profile == pid)
    if not everything:
        # Another source's copy of a result is reviewed with the fact the views show.
        scope = scope & (Fact.status == EXTRACTED) & Fact.same_as.is_null()
    doc_rows = await Fact.select(Fact.document).where(scope).distinct()
    doc_ids = sorted((r["document"] for r in doc_rows), reverse=True)
    shown = doc_ids[(page - 1) * REVIEW_DOCS_PER_PAGE : page * REVIEW_DOCS_PER_PAGE]
    facts: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    sizes = {}
    if shown:
        query = Fact.select().where(scope & Fact.document.is_in(shown))
        facts = list(await query.order_by(Fact.seq).output(load_json=True))
        docs = list(
            await Document.select(
                Document.id,
                Document.original_name,
                Document.doc_type,
                Document.doc_date,
                Document.provider,
                Document.facility,
                Document.kind,
                Document.created_at,
            ).where(Document.id.is_in(shown))
        )
        for p in await Page.select(Page.document, Page.number, Page.width_pt, Page.height_pt).where(
            Page.document.is_in(shown)
        ):
            sizes[(p["document"], p["number"])] = (p["width_pt"], p["height_pt"])
    by_doc: dict[int, list[dict[str, Any]]] = {d: [] for d in shown}
    for f in facts:
        f["crop"] = crop(f, sizes.get((f["document"], f["page"])))
        by_doc[f["document"]].append(f)
    docs.sort(key=lambda d: -d["id"])
    manual = []
    if everything and page == 1:
        manual = list(
            await Fact.select()
            .where((Fact.profile == pid) & Fact.document.is_null())
            .order_by(Fact.id, ascending=False)
            .output(load_json=True)
        )
    open_count = await Fact.count().where(
        (Fact.profile == pid)
        & (Fact.document.profile == pid)
        & (Fact.status == EXTRACTED)
        & Fact.same_as.is_null()
    )
    return {
        "profile": profile,
        "documents": [{**d, "facts": by_doc.get(d["id"], [])} for d in docs],
        "manual": manual,
        "open_count": open_count,
        "page": page,
        "has_next": len(doc_ids) > page * REVIEW_DOCS_PER_PAGE,
        "everything": everything,
    }


async def with_crop(caller: Caller, fact: dict[str, Any]) -> dict[str, Any]:
    """The fact (from `fact_for`) with the strip of its cited page its row shows."""
    if not caller.may("view", fact["profile"]):
        raise AccessDenied("No such fact.", 404)
    size = None
    if fact["document"] is not None and fact["page"]:
        page = (
            await Page.select(Page.width_pt, Page.height_pt)
            .where((Page.document == fact["document"]) & (Page.number == fact["page"]))
            .first()
        )
        if page:
            size = (page["width_pt"], page["height_pt"])
    fact["crop"] = crop(fact, size)
    return fact


async def profile_of(caller: Caller, fact: Mapping[str, Any]) -> dict[str, Any]:
    """The profile a fact (from `fact_for`) belongs to."""
    return await profile_by_id(caller, fact["profile"], "view")


def crop(fact: Mapping[str, Any], size: tuple[float, float] | None) -> dict[str, Any] | None:
    """A strip of the cited page around the fact's boxes, in a 1000-wide coordinate system."""
    boxes = fact.get("boxes") or []
    if not fact.get("page") or not boxes or size is None:
        return None
    width, height = size
    tall = 1000.0 * (height / width) if width and height else 1294.0
    rects = [
        {
            "x": round(b[0] * 1000, 1),
            "y": round(b[1] * tall, 1),
            "w": round(max(0.0, b[2] - b[0]) * 1000, 1),
            "h": round(max(0.0, b[3] - b[1]) * tall, 1),
        }
        for b in boxes
        if len(b) == 4
    ]
    if not rects:
        return None
    line = max(8.0, min(r["h"] for r in rects))
    # The cited words and a little around them: a line above and below, some margin aside.
    x0 = max(0.0, min(r["x"] for r in rects) - 2 * line)
    x1 = min(1000.0, max(r["x"] + r["w"] for r in rects) + 2 * line)
    y0 = max(0.0, min(r["y"] for r in rects) - 1.2 * line)
    y1 = min(tall, max(r["y"] + r["h"] for r in rects) + 1.2 * line)
    return {
        "tall": round(tall, 1),
        "x": round(x0, 1),
        "y": round(y0, 1),
        "w": round(x1 - x0, 1),
        "h": round(y1 - y0, 1),
        "rects": rects,
    }


async def confirm(
    caller: Caller, fact_id: int, request: Request | None = None, key: str | None = None
) -> dict[str, Any]:
    fact = await fact_for(caller, fact_id, "edit", key)
    if fact["status"] in (EXTRACTED, REJECTED):
        await _set(fact, {Fact.status: CONFIRMED}, caller)
        await _audit("fact_confirmed", caller, request, fact)
    return await fact_for(caller, fact_id, "view")


async def reject(
    caller: Caller, fact_id: int, request: Request | None = None, key: str | None = None
) -> dict[str, Any]:
    fact = await fact_for(caller, fact_id, "edit", key)
    if fact["status"] != REJECTED:
        await _set(fact, {Fact.status: REJECTED}, caller)
        await _audit("fact_rejected", caller, request, fact, was=fact["status"])
    return await fact_for(caller, fact_id, "view")


async def reopen(
    caller: Caller, fact_id: int, request: Request | None = None, key: str | None = None
) -> dict[str, Any]:
    """Undo a confirmation or rejection: back to what it was before anyone reviewed it."""
    fact = await fact_for(caller, fact_id, "edit", key)
    if fact["status"] in (CONFIRMED, REJECTED):
        if fact["document"] is None:
            status = MANUAL
        else:
            status = CORRECTED if fact["corrected"] else EXTRACTED
        await _set(fact, {Fact.status: status}, caller)
        await _audit("fact_reopened", caller, request, fact, was=fact["status"], now=status)
    return await fact_for(caller, fact_id, "view")


async def correct(
    caller: Caller, fact_id: int, form: Mapping[str, Any], request: Request | None = None
) -> dict[str, Any]:
    """Change a fact's fields (raises fields.FieldError); nothing changed means confirm."""
    key = str(form.get("key", "") or "")
    fact = await fact_for(caller, fact_id, "edit", key)
    before = F.current(fact)
    # A field the form leaves out keeps its value (it is not cleared).
    after = F.cleaned(fact["kind"], {k: form.get(k, v) for k, v in before.items()})
    changed = {k: v for k, v in after.items() if v != before.get(k, "")}
    if not changed:
        return await confirm(caller, fact_id, request, key)
    corrected = dict(fact["corrected"] or {})
    corrected.update(changed)
    values = {
        getattr(Fact, k): v for k, v in F.columns(fact["kind"], after, fact["analyte"]).items()
    }
    values[Fact.corrected] = corrected
    values[Fact.status] = MANUAL if fact["status"] == MANUAL else CORRECTED
    await _set(fact, values, caller)
    changes = {k: [before.get(k, ""), v] for k, v in changed.items()}
    await _audit("fact_corrected", caller, request, fact, changes=changes)
    return await fact_for(caller, fact_id, "view")


async def keep_apart(
    caller: Caller, fact_id: int, request: Request | None = None, key: str | None = None
) -> dict[str, Any]:
    """ "These are different": the fact is no longer merged with other sources' results (and
    never will be again), whichever of them it was shown as."""
    fact = await fact_for(caller, fact_id, "edit", key)
    if not fact["apart"]:
        was = fact["same_as"]
        rows = await (
            Fact.update({Fact.apart: True, Fact.same_as: None})
            .where(Fact.id == fact["id"])
            .returning(Fact.id)
        )
        if not rows:
            raise FactGone()
        await same.relink(fact["profile"], document=fact["document"], days=[fact["effective"]])
        await _audit("fact_kept_apart", caller, request, fact, was_same_as=was)
    return await fact_for(caller, fact_id, "view")


async def enter(
    caller: Caller, slug: str, kind: str, form: Mapping[str, Any], request: Request | None = None
) -> dict[str, Any]:
    """A fact typed in by hand (no document); raises fields.FieldError."""
    profile = await profile_for(caller, slug, "edit")
    entered = F.cleaned(kind, form)
    columns = F.columns(kind, entered)
    rows = await Fact.insert(
        Fact(
            profile=profile["id"],
            document=None,
            kind=kind,
            status=MANUAL,
            data={"entered": entered},
            corrected=entered,
            reviewed_by=caller.user_id,
            reviewed_at=_now(),
            **columns,
        )
    ).returning(Fact.id)
    fact = await fact_for(caller, rows[0]["id"], "view")
    await _audit("fact_entered", caller, request, fact, fields=entered)
    return fact


async def _set(fact: Mapping[str, Any], values: dict[Any, Any], caller: Caller) -> None:
    values[Fact.reviewed_by] = caller.user_id
    values[Fact.reviewed_at] = _now()
    rows = await Fact.update(values).where(Fact.id == fact["id"]).returning(Fact.id)
    if not rows:
        raise FactGone()
    status = values.get(Fact.status)
    if status in (CONFIRMED, REJECTED):
        await _same_review([fact["id"]], status, caller)
    elif status == EXTRACTED:  # reopened: its other sources wait for a review again with it
        await Fact.update({Fact.status: EXTRACTED}).where(
            (Fact.same_as == fact["id"]) & Fact.status.is_in([CONFIRMED, REJECTED])
        )
    if fact["document"] is not None and (
        Fact.kind in values or Fact.value_text in values or Fact.corrected in values
    ):
        # A corrected value may no longer be the same result as its other sources.
        await same.relink(fact["profile"], document=fact["document"], days=[fact["effective"]])


async def _same_review(ids: list[int], status: str, caller: Caller) -> None:
    """The other sources of one result share its review: confirmed or rejected once."""
    for i in range(0, len(ids), 500):
        await Fact.update(
            {Fact.status: status, Fact.reviewed_by: caller.user_id, Fact.reviewed_at: _now()}
        ).where(Fact.same_as.is_in(ids[i : i + 500]) & Fact.status.is_in([EXTRACTED, CONFIRMED]))


async def _audit(
    kind: str, caller: Caller, request: Request | None, fact: Mapping[str, Any], **detail: Any
) -> None:
    await audit.record(
        kind,
        caller=caller,
        request=request,
        profile=fact["profile"],
        document=fact["document"],
        fact=fact["id"],
        fact_kind=fact["kind"],
        name=fact["name"],
        **detail,
    )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


@dataclass(frozen=True)
class Bulk:
    """What a whole-document review did: facts changed, and the weak ones left for a look."""

    changed: int
    left: int


async def confirm_document(
    caller: Caller,
    doc_id: int,
    *,
    include: Collection[int] = (),
    request: Request | None = None,
) -> Bulk:
    """Confirm every unreviewed fact of a document in one action. Facts the machine read with
    too little certainty (ocr.facts.confidence) are left out unless their ids are in
    `include`: a person ticked them after looking."""
    doc = await document_for(caller, doc_id, "edit")
    rows = await Fact.select(Fact.id, Fact.confidence).where(
        (Fact.document == doc_id) & (Fact.status == EXTRACTED)
    )
    ticked = set(include)
    chosen = [r["id"] for r in rows if not needs_review(r["confidence"]) or r["id"] in ticked]
    changed = await _set_all(chosen, {Fact.status: CONFIRMED}, caller)
    if changed:
        await _audit_document("facts_confirmed", caller, request, doc, changed)
    return Bulk(len(changed), len(rows) - len(chosen))


async def reject_document(caller: Caller, doc_id: int, *, request: Request | None = None) -> Bulk:
    """Reject every unreviewed fact of a document (a note that yielded nothing of use)."""
    doc = await document_for(caller, doc_id, "edit")
    rows = await Fact.select(Fact.id).where((Fact.document == doc_id) & (Fact.status == EXTRACTED))
    changed = await _set_all([r["id"] for r in rows], {Fact.status: REJECTED}, caller)
    if changed:
        await _audit_document("facts_rejected", caller, request, doc, changed)
    return Bulk(len(changed), 0)


async def change_kind(
    caller: Caller, fact_id: int, kind: str, request: Request | None = None
) -> dict[str, Any]:
    """File a fact as another kind (a "lab" that is a medication); it counts as corrected."""
    if kind not in F.FIELDS:
        raise F.FieldError("kind", "Choose what kind of fact this is.")
    fact = await fact_for(caller, fact_id, "edit")
    if fact["kind"] != kind:
        corrected = {**(fact["corrected"] or {}), "kind": kind}
        status = MANUAL if fact["status"] == MANUAL else CORRECTED
        await _set(fact, {Fact.kind: kind, Fact.corrected: corrected, Fact.status: status}, caller)
        await _audit("fact_kind_changed", caller, request, fact, was=fact["kind"], now=kind)
    return await fact_for(caller, fact_id, "view")


async def _set_all(ids: list[int], values: dict[Any, Any], caller: Caller) -> list[int]:
    if not ids:
        return []
    values = {**values, Fact.reviewed_by: caller.user_id, Fact.reviewed_at: _now()}
    # Only facts still unreviewed: a review that committed meanwhile wins.
    rows = await (
        Fact.update(values)
        .where(Fact.id.is_in(ids) & (Fact.status == EXTRACTED))
        .returning(Fact.id)
    )
    changed = [r["id"] for r in rows]
    status = values.get(Fact.status)
    if changed and status in (CONFIRMED, REJECTED):
        await _same_review(changed, status, caller)
    return changed


async def _audit_document(
    kind: str, caller: Caller, request: Request | None, doc: Mapping[str, Any], ids: list[int]
) -> None:
    await audit.record(
        kind,
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc["id"],
        count=len(ids),
        facts=ids[:200],
    )
