"""Document routes: list with live state, document page, files, retry, upload."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from server import queue
from server.services import Services
from server.tables import FAILED, Arrival, Document, Page
from server.web import is_htmx, render

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
    Document.not_before,
)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def document_list(request: Request) -> Response:
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    state = request.query_params.get("state", "")
    query = Document.select(*LIST_COLUMNS).order_by(Document.id, ascending=False)
    count_query = Document.count()
    if state:
        query = query.where(Document.state == state)
        count_query = count_query.where(Document.state == state)
    rows = await query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    rejected = (
        await Arrival.select()
        .where(Arrival.outcome == "rejected")
        .order_by(Arrival.id, ascending=False)
        .limit(20)
    )
    context = {
        "documents": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "state": state,
        "counts": await queue.counts(),
        "total": await count_query,
        "rejected": rejected,
    }
    return render(request, "documents/list.html", context, partial="documents/_table.html")


async def document_row(request: Request) -> Response:
    doc = await _get_document(request, LIST_COLUMNS)
    return render(request, "documents/_row.html", {"doc": doc})


async def document_page(request: Request) -> Response:
    doc = await _get_document(request)
    pages = (
        await Page.select(Page.number, Page.text, Page.ocr_applied, Page.width_pt, Page.height_pt)
        .where(Page.document == doc["id"])
        .order_by(Page.number)
    )
    arrivals = await Arrival.select().where(Arrival.document == doc["id"]).order_by(Arrival.id)
    context = {"doc": doc, "pages": pages, "arrivals": arrivals}
    response = render(request, "documents/detail.html", context, partial="documents/_status.html")
    if is_htmx(request) and doc["state"] in ("ready", "failed"):
        response.headers["HX-Refresh"] = "true"  # the polling status is done: show the pages
    return response


async def original_file(request: Request) -> Response:
    doc = await _get_document(request)
    path = _services(request).store.original_path(doc["sha256"])
    return _download(path, doc["original_name"], doc["mime"] or "application/octet-stream")


async def pdf_file(request: Request) -> Response:
    doc = await _get_document(request)
    store = _services(request).store
    path = store.derived_dir(doc["id"]) / "document.pdf"
    if not path.exists() and doc["mime"] == "application/pdf":
        path = store.original_path(doc["sha256"])
    if not path.exists():
        raise HTTPException(404, "This document has no PDF yet.")
    name = os.path.splitext(doc["original_name"])[0] + ".pdf"
    return _download(path, name, "application/pdf")


async def page_image(request: Request) -> Response:
    doc = await _get_document(request, (Document.id,))
    folder = "thumbs" if request.path_params["kind"] == "thumb" else "pages"
    number = request.path_params["number"]
    base = _services(request).store.derived_dir(doc["id"]) / folder
    for suffix, media in ((".webp", "image/webp"), (".jpg", "image/jpeg"), (".png", "image/png")):
        path = base / f"{number}{suffix}"
        if path.exists():
            return FileResponse(path, media_type=media, headers={"cache-control": "private"})
    raise HTTPException(404, "No image for this page.")


async def retry_document(request: Request) -> Response:
    doc = await _get_document(request, (Document.id, Document.state))
    if doc["state"] != FAILED:
        raise HTTPException(409, "Only failed documents can be retried.")
    await queue.retry([doc["id"]])
    services = _services(request)
    if services.workers:
        services.workers.notify()
    if is_htmx(request):
        row = await _get_document(request, LIST_COLUMNS)
        return render(request, "documents/_row.html", {"doc": row})
    return RedirectResponse(f"/documents/{doc['id']}", status_code=303)


async def upload(request: Request) -> Response:
    services = _services(request)
    limit = services.settings.max_file_mb * 1024 * 1024
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise HTTPException(413, f"Uploads are limited to {services.settings.max_file_mb} MB.")
    form = await request.form(max_files=100, max_fields=20)
    results: list[dict[str, Any]] = []
    try:
        for item in form.getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                results.append(await _take_upload(services, item))
    finally:
        await form.close()
    if not results:
        raise HTTPException(400, "Choose at least one file to upload.")
    context = {"results": results}
    if is_htmx(request):
        return render(request, "documents/_upload_result.html", context)
    return render(request, "documents/uploaded.html", context)


async def _take_upload(services: Services, item: UploadFile) -> dict[str, Any]:
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
            tmp, source="upload", original_name=item.filename or "upload"
        )
        return {
            "name": item.filename,
            "outcome": result.outcome,
            "reason": result.reason,
            "document_id": result.document_id,
        }
    finally:
        tmp.unlink(missing_ok=True)


async def _get_document(request: Request, columns: tuple[Any, ...] = ()) -> dict[str, Any]:
    try:
        doc_id = int(request.path_params["doc_id"])
    except ValueError:
        raise HTTPException(404, "No such document.") from None
    query = Document.select(*columns) if columns else Document.select()
    row = await query.where(Document.id == doc_id).output(load_json=True).first()
    if row is None:
        raise HTTPException(404, "No such document.")
    return row


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
    Route("/upload", upload, methods=["POST"]),
]
