"""Deleting documents: the delete button, a profile's trash (restore, delete forever), and the
bulk actions of the document lists."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.documents import bulk, trash
from server.web._common import (
    caller_of,
    doc_id_param,
    done,
    local_path,
    render,
    services_of,
)


async def trash_page(request: Request) -> Response:
    context = await trash.listing(caller_of(request), request.path_params["slug"])
    return render(request, "trash/list.html", context)


async def delete_document(request: Request) -> Response:
    caller = caller_of(request)
    doc = await trash.delete(
        caller, services_of(request).engine, doc_id_param(request), request=request
    )
    back = f"/profiles/{doc['profile_slug']}"
    message = f"“{trash.name_of(doc)}” is in the trash for {trash.TRASH_DAYS} days."
    return done(request, back, message)


async def restore_document(request: Request) -> Response:
    caller = caller_of(request)
    doc_id = doc_id_param(request)
    doc = await trash.restore(caller, services_of(request).engine, doc_id, request=request)
    return done(request, f"/documents/{doc_id}", f"“{trash.name_of(doc)}” is back.")


async def purge_document(request: Request) -> Response:
    caller = caller_of(request)
    services = services_of(request)
    doc = await trash.purge(
        caller, services.engine, services.store, doc_id_param(request), request=request
    )
    back = f"/profiles/{doc['profile_slug']}/trash"
    return done(request, back, f"“{trash.name_of(doc)}” is deleted for good.")


async def empty_trash(request: Request) -> Response:
    services = services_of(request)
    profile, purged, busy = await trash.empty(
        caller_of(request),
        services.engine,
        services.store,
        request.path_params["slug"],
        request=request,
    )
    message = f"{purged} document{'' if purged == 1 else 's'} deleted for good."
    if busy:
        message += f" {busy} being read right now stayed in the trash: try again in a minute."
    return done(request, f"/profiles/{profile['slug']}/trash", message)


async def bulk_action(request: Request) -> Response:
    """The action bar of a documents list: a plain form post (the checkboxes belong to it)."""
    caller = caller_of(request)
    form = await request.form()
    ids = []
    for value in form.getlist("doc"):
        text = str(value)
        if text.isdigit():
            ids.append(int(text))
    result = await bulk.apply(
        caller,
        services_of(request).engine,
        str(form.get("action", "")),
        ids,
        profile=str(form.get("profile", "")),
        tag=str(form.get("tag", "")),
        request=request,
    )
    return done(request, local_path(str(form.get("back", "")), "/documents"), result.message)


routes = [
    Route("/profiles/{slug}/trash", trash_page, methods=["GET"]),
    Route("/profiles/{slug}/trash/empty", empty_trash, methods=["POST"]),
    Route("/documents/bulk", bulk_action, methods=["POST"]),
    Route("/documents/{doc_id}/delete", delete_document, methods=["POST"]),
    Route("/documents/{doc_id}/restore", restore_document, methods=["POST"]),
    Route("/documents/{doc_id}/purge", purge_document, methods=["POST"]),
]
