"""Document routes: lists with live state, the document page, files, retry, upload, moving."""

from __future__ import annotations

from pathlib import Path, PurePath
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import AccessDenied
from server.access.scope import document_for, profiles_for, upload_target
from server.documents import service, structured, titles
from server.documents.states import DONE
from server.documents.uploads import save_upload
from server.web._common import (
    caller_of,
    capped,
    doc_id_param,
    done,
    is_htmx,
    list_context,
    local_path,
    render,
    services_of,
)


async def document_list(request: Request) -> Response:
    context = await list_context(request, None)
    return render(request, "documents/list.html", context, partial="documents/_table.html")


async def document_row(request: Request) -> Response:
    caller = caller_of(request)
    doc = await service.row(caller, doc_id_param(request))
    # The same state, as a table row or as a line of the upload results.
    upload = request.query_params.get("view") == "upload"
    template = "documents/_upload_state.html" if upload else "documents/_row.html"
    person = request.query_params.get("person") == "1"  # the row of the all-documents list
    response = render(request, template, {"doc": doc, "show_person": person})
    if doc["state"] in DONE:
        response.headers["HX-Trigger"] = "documents-changed"  # refresh the counts above
    return response


async def document_page(request: Request) -> Response:
    caller = caller_of(request)
    context = await service.detail(
        caller,
        doc_id_param(request),
        q=request.query_params.get("q"),
        fact=request.query_params.get("fact"),
        request=None if is_htmx(request) else request,  # a person opening it, not a poll
    )
    doc = context["doc"]
    if not is_htmx(request) and doc["state"] == "ready":
        original = services_of(request).store.original_path(doc["sha256"])
        context["structured"] = await structured.content(doc, original)
    response = render(request, "documents/detail.html", context, partial="documents/_status.html")
    if is_htmx(request) and context["doc"]["state"] in DONE:
        response.headers["HX-Refresh"] = "true"  # the polling status is done: show the pages
    return response


async def original_file(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, doc_id_param(request), "download")
    await audit.record(
        "document_downloaded",
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc["id"],
        file="original",
    )
    path = services_of(request).store.original_path(doc["sha256"])
    name = titles.download_name(doc, PurePath(doc["original_name"]).suffix.lower())
    return _download(path, name, doc["mime"] or "application/octet-stream")


async def pdf_file(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, doc_id_param(request), "download")
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
    # Named apart from the original, which may be a PDF too.
    return _download(path, titles.download_name(doc, ".pdf", note="searchable"), "application/pdf")


async def page_image(request: Request) -> Response:
    caller = caller_of(request)
    doc = await document_for(caller, doc_id_param(request), "view", "id")
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
    doc_id = doc_id_param(request)
    if not await service.retry(caller, doc_id):
        raise HTTPException(409, "Only failed documents can be retried.")
    services = services_of(request)
    if services.workers:
        services.workers.notify()
    if is_htmx(request):
        context = {
            "doc": await service.row(caller, doc_id),
            "show_person": request.query_params.get("person") == "1",
        }
        return render(request, "documents/_row.html", context)
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


async def move_document(request: Request) -> Response:
    """Reassign a document to another profile (admins do this from the triage queue too)."""
    caller = caller_of(request)
    doc_id = doc_id_param(request)
    form = await request.form()
    slug = str(form.get("profile", ""))
    await service.move(caller, services_of(request).engine, doc_id, slug, request)
    back = str(form.get("back", "")) or f"/documents/{doc_id}"
    return RedirectResponse(local_path(back), status_code=303)


async def set_title(request: Request) -> Response:
    """A person names the document (an empty title brings back the one made from its contents)."""
    caller = caller_of(request)
    doc_id = doc_id_param(request)
    form = await request.form()
    text = str(form.get("title", ""))
    doc = await service.set_title(caller, doc_id, text)
    await audit.record(
        "document_titled",
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc_id,
        title=titles.clean_title(text),
    )
    message = "Title saved." if text.strip() else "The title is made from what was read again."
    return done(request, f"/documents/{doc_id}", message)


async def set_notes(request: Request) -> Response:
    """The household's notes and tags on a document."""
    caller = caller_of(request)
    doc_id = doc_id_param(request)
    form = await request.form()
    notes, tags = str(form.get("notes", "")), str(form.get("tags", ""))
    doc = await service.set_notes(caller, services_of(request).engine, doc_id, notes, tags)
    await audit.record(
        "document_notes_changed",
        caller=caller,
        request=request,
        profile=doc["profile"],
        document=doc_id,
        tags=titles.parse_tags(tags),
    )
    return done(request, f"/documents/{doc_id}", "Notes and tags saved.")


async def confirm_belongs(request: Request) -> Response:
    """A person says the document is its profile's although it names someone else."""
    caller = caller_of(request)
    doc_id = doc_id_param(request)
    await service.confirm_belongs(caller, services_of(request).engine, doc_id, request)
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


async def upload(request: Request) -> Response:
    caller = caller_of(request)
    services = services_of(request)
    limit = services.settings.max_file_mb * 1024 * 1024
    # Who may not upload anywhere is refused before a byte of the body is read.
    if not caller.is_admin and not await profiles_for(caller, "upload"):
        raise AccessDenied("Your roles do not allow uploading documents.", 403)
    message = f"Uploads are limited to {services.settings.max_file_mb} MB."
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise HTTPException(413, message)
    body = capped(request, limit, lambda: HTTPException(413, message))
    form = await body.form(max_files=100, max_fields=20)
    try:
        profile_id = await upload_target(caller, str(form.get("profile", "") or ""))
        results = [
            await save_upload(
                caller, services.intake, item, profile_id, source="upload", request=request
            )
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
    Route("/documents/{doc_id}/belongs", confirm_belongs, methods=["POST"]),
    Route("/documents/{doc_id}/title", set_title, methods=["POST"]),
    Route("/documents/{doc_id}/notes", set_notes, methods=["POST"]),
    Route("/upload", upload, methods=["POST"]),
]
