"""Document routes: lists with live state, the document page, files, retry, upload, moving."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from piccolo.query.functions.aggregate import Count
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import AccessDenied, Caller
from server.access.scope import document_for, visible_documents, visible_profiles
from server.db.tables import FAILED, Arrival, Document, Page, Profile
from server.documents import filing, queue
from server.health import citation as health_citation
from server.runtime import Services
from server.search import projection as search_sync
from server.web import search as search_routes
from server.web._common import caller_of, is_htmx, render

PAGE_SIZE = 50
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
)


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def profiles_for(caller: Caller, action: str) -> list[dict[str, Any]]:
    rows = await visible_profiles(
        caller, Profile.select(Profile.id, Profile.slug, Profile.display_name, Profile.color)
    ).order_by(Profile.display_name)
    return [r for r in rows if caller.may(action, r["id"])]


async def list_context(
    request: Request, caller: Caller, profile: dict[str, Any] | None
) -> dict[str, Any]:
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    state = request.query_params.get("state", "")
    if profile is not None:
        scope_where: Any = Document.profile == profile["id"]
    else:
        scope_where = Document.profile.is_not_null()
    query = visible_documents(caller, Document.select(*LIST_COLUMNS)).where(scope_where)
    counts_query = (
        visible_documents(caller, Document.select(Document.state, Count(Document.id, alias="n")))
        .where(scope_where)
        .group_by(Document.state)
    )
    if state:
        query = query.where(Document.state == state)
    rows = (
        await query.order_by(Document.id, ascending=False)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    )
    counts = dict.fromkeys(("queued", "processing", "ready", "failed"), 0)
    for row in await counts_query:
        counts[row["state"]] = row["n"]
    base = f"/profiles/{profile['slug']}" if profile else "/documents"
    return {
        "documents": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "state": state,
        "counts": counts,
        "base": base,
        "profile": profile,
        "upload_profiles": await profiles_for(caller, "upload"),
    }


async def document_list(request: Request) -> Response:
    caller = caller_of(request)
    context = await list_context(request, caller, None)
    return render(request, "documents/list.html", context, partial="documents/_table.html")


async def document_row(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, _doc_id(request), "view", *LIST_COLUMNS)
    response = render(request, "documents/_row.html", {"doc": doc})
    if doc["state"] in ("ready", "failed"):
        response.headers["HX-Trigger"] = "documents-changed"  # refresh the counts above
    return response


async def document_page(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, _doc_id(request), "view")
    if not is_htmx(request):
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
    context = {
        "doc": doc,
        "pages": pages,
        "arrivals": arrivals,
        "profile": profile,
        "can_edit": caller.may("edit", doc["profile"]),
        "move_targets": await _move_targets(caller, doc["profile"]),
        "highlights": await search_routes.highlights(doc["id"], request.query_params.get("q")),
        "citation": await health_citation.cited(doc, request.query_params.get("fact")),
    }
    response = render(request, "documents/detail.html", context, partial="documents/_status.html")
    if is_htmx(request) and doc["state"] in ("ready", "failed"):
        response.headers["HX-Refresh"] = "true"  # the polling status is done: show the pages
    return response


async def _move_targets(caller: Caller, current: int | None) -> list[dict[str, Any]]:
    if current is None and caller.is_admin:
        return list(await Profile.select(Profile.id, Profile.slug, Profile.display_name))
    if not caller.may("edit", current):
        return []
    return [p for p in await profiles_for(caller, "upload") if p["id"] != current]


async def original_file(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, _doc_id(request), "download")
    await audit.record(
        "document_downloaded",
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc["id"],
        file="original",
    )
    path = services_of(request).store.original_path(doc["sha256"])
    return _download(path, doc["original_name"], doc["mime"] or "application/octet-stream")


async def pdf_file(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, _doc_id(request), "download")
    store = services_of(request).store
    path = store.derived_dir(doc["id"]) / "document.pdf"
    if not path.exists() and doc["mime"] == "application/pdf":
        path = store.original_path(doc["sha256"])
    if not path.exists():
        raise HTTPException(404, "This document has no PDF yet.")
    await audit.record(
        "document_downloaded",
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc["id"],
        file="pdf",
    )
    name = os.path.splitext(doc["original_name"])[0] + ".pdf"
    return _download(path, name, "application/pdf")


async def page_image(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, _doc_id(request), "view", Document.id)
    folder = {"thumb": "thumbs", "page": "pages"}.get(request.path_params["kind"])
    if folder is None:
        raise HTTPException(404, "No such file.")
    number = request.path_params["number"]
    base = services_of(request).store.derived_dir(doc["id"]) / folder
    for suffix, media in ((".webp", "image/webp"), (".jpg", "image/jpeg"), (".png", "image/png")):
        path = base / f"{number}{suffix}"
        if path.exists():
            return FileResponse(
                path, media_type=media, headers={"cache-control": "private, no-store"}
            )
    raise HTTPException(404, "No image for this page.")


async def retry_document(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, _doc_id(request), "edit", Document.id, Document.state)
    if doc["state"] != FAILED:
        raise HTTPException(409, "Only failed documents can be retried.")
    await queue.retry([doc["id"]])
    await search_sync.refresh([doc["id"]])
    services = services_of(request)
    if services.workers:
        services.workers.notify()
    if is_htmx(request):
        row = await document_for(caller, doc["id"], "view", *LIST_COLUMNS)
        return render(request, "documents/_row.html", {"doc": row})
    return RedirectResponse(f"/documents/{doc['id']}", status_code=303)


async def move_document(request: Request) -> Response:
    """Reassign a document to another profile (admins do this from the triage queue too)."""
    caller = caller_of(request)
    doc_id = _doc_id(request)
    doc = await document_for(caller, doc_id, "view", Document.id)
    if doc["profile"] is None and not caller.is_admin:
        raise AccessDenied("No such document.", 404)
    if doc["profile"] is not None and not caller.may("edit", doc["profile"]):
        raise AccessDenied("Your role on this profile does not allow this.", 403)
    form = await request.form()
    target = (
        await Profile.select(Profile.id, Profile.slug)
        .where(Profile.slug == str(form.get("profile", "")))
        .first()
    )
    # Admins file triage documents under any profile; everyone else only where they may upload.
    allowed = target is not None and (
        caller.may("upload", target["id"]) or (caller.is_admin and doc["profile"] is None)
    )
    if target is None or not allowed:
        raise AccessDenied("You cannot file documents under that profile.", 403)
    # The document's facts move with it, in the same transaction.
    await filing.refile(services_of(request).engine, doc_id, target["id"], by_person=True)
    await search_sync.refresh([doc_id])
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
    back = str(form.get("back", "")) or f"/documents/{doc_id}"
    return RedirectResponse(
        back if back.startswith("/") and not back.startswith("//") else "/", status_code=303
    )


async def upload(request: Request) -> Response:
    caller = caller_of(request)
    services = services_of(request)
    limit = services.settings.max_file_mb * 1024 * 1024
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise HTTPException(413, f"Uploads are limited to {services.settings.max_file_mb} MB.")
    form = await request.form(max_files=100, max_fields=20)
    try:
        profile_id = await _upload_target(caller, form)
        results = [
            await _take_upload(services, caller, item, profile_id)
            for item in form.getlist("files")
            if isinstance(item, UploadFile) and item.filename
        ]
    finally:
        await form.close()
    if not results:
        raise HTTPException(400, "Choose at least one file to upload.")
    context = {"results": results}
    if is_htmx(request):
        return render(request, "documents/_upload_result.html", context)
    return render(request, "documents/uploaded.html", context)


async def _upload_target(caller: Caller, form: FormData) -> int | None:
    slug = str(form.get("profile", "") or "")
    if not slug:
        if caller.is_admin:
            return None  # an admin's unfiled upload goes to the triage queue
        raise HTTPException(400, "Choose whose document this is.")
    row = await Profile.select(Profile.id).where(Profile.slug == slug).first()
    if row is None or not caller.may("upload", row["id"]):
        raise AccessDenied("You cannot add documents to that profile.", 403)
    return int(row["id"])


async def _take_upload(
    services: Services, caller: Caller, item: UploadFile, profile_id: int | None
) -> dict[str, Any]:
    tmp = services.store.tmp / f"upload-{uuid.uuid4().hex}"
    limit = services.settings.max_file_mb * 1024 * 1024
    size = 0
    try:
        with open(tmp, "wb") as out:
            while chunk := await item.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    return {
                        "name": item.filename,
                        "outcome": "rejected",
                        "reason": f"Larger than {services.settings.max_file_mb} MB.",
                    }
                out.write(chunk)
        result = await services.intake.take(
            tmp, source="upload", original_name=item.filename or "upload", profile_id=profile_id
        )
        doc_id = result.document_id
        # Never link to a byte-identical document the uploader may not see.
        if doc_id is not None and result.outcome == "duplicate":
            row = await Document.select(Document.profile).where(Document.id == doc_id).first()
            if row is None or not caller.may("view", row["profile"]):
                doc_id = None
        return {
            "name": item.filename,
            "outcome": result.outcome,
            "reason": result.reason,
            "document_id": doc_id,
        }
    finally:
        tmp.unlink(missing_ok=True)


def _doc_id(request: Request) -> int:
    try:
        return int(request.path_params["doc_id"])
    except ValueError:
        raise HTTPException(404, "No such document.") from None


def _download(path: Path, name: str, media_type: str) -> Response:
    if not path.exists():
        raise HTTPException(404, "The file is missing from the store.")
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return FileResponse(path, media_type=media_type, headers={"content-disposition": disposition})


routes = [
    Route("/documents", document_list, methods=["GET"]),
    Route("/documents/{doc_id}", document_page, methods=["GET"]),
    Route("/documents/{doc_id}/row", document_row, methods=["GET"]),
    Route("/documents/{doc_id}/original", original_file, methods=["GET"]),
    Route("/documents/{doc_id}/pdf", pdf_file, methods=["GET"]),
    Route("/documents/{doc_id}/{kind:str}/{number:int}", page_image, methods=["GET"]),
    Route("/documents/{doc_id}/retry", retry_document, methods=["POST"]),
    Route("/documents/{doc_id}/move", move_document, methods=["POST"]),
    Route("/upload", upload, methods=["POST"]),
]
