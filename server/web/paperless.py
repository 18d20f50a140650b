"""Paperless-ngx's REST API, as far as upload-and-browse apps use it (README: Paperless-ngx apps).

Token only, like server/web/api.py: a token sees and adds to its profiles' documents, never
more. Answers follow the API version the client asks for (`Accept: application/json;
version=N`): tasks are a plain list with upper-case states up to version 9 and a page with
Paperless 3's task fields from version 10.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import os
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Match, Route

from server.access import audit
from server.access.policy import Caller
from server.access.scope import load_caller, profiles_for
from server.documents import paperless
from server.errors import KinchartError
from server.people import accounts, tokens
from server.people.auth import AuthBusy
from server.web._common import services_of
from server.web._paperless import (
    API_VERSION,
    ORDERINGS,
    TYPE_NAMES,
    X_VERSION,
    document_json,
    filtered,
    page_of,
    sort_key,
    task_json,
    type_json,
    version_of,
)
from server.web._upload import ApiError, read_upload, take, token_caller

RESOURCES = (
    "correspondents",
    "custom_fields",
    "document_types",
    "documents",
    "storage_paths",
    "tags",
    "tasks",
    "ui_settings",
)
EMPTY = ("correspondents", "custom_fields", "saved_views", "storage_paths", "tags")

Endpoint = Callable[[Request, Caller, int], Awaitable[Response]]


def _versioned(response: Response) -> Response:
    response.headers["X-Api-Version"] = str(API_VERSION)
    response.headers["X-Version"] = X_VERSION
    return response


def _error(status: int, detail: str, code: str = "") -> Response:
    headers = {"WWW-Authenticate": "Token"} if status == 401 else None
    body = {"detail": detail, "error": code or ("not_found" if status == 404 else "refused")}
    return _versioned(JSONResponse(body, status_code=status, headers=headers))


def endpoint(handler: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """A token-only route: the caller and API version, or a JSON refusal Paperless apps read."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            version = version_of(request)
            caller = await token_caller(request)
            return _versioned(await handler(request, caller, version))
        except ApiError as exc:
            return _error(exc.status, exc.detail, exc.code)
        except KinchartError as exc:
            return _error(exc.status, exc.user_message)

    return wrapped


# -- the index, the schema, the login -------------------------------------------------------


@endpoint
async def index(request: Request, caller: Caller, version: int) -> Response:
    base = str(request.base_url).rstrip("/")
    return JSONResponse({name: f"{base}/api/{name}/" for name in RESOURCES})


@endpoint
async def schema(request: Request, caller: Caller, version: int) -> Response:
    """The paths implemented here, as a small OpenAPI document (clients probe it)."""
    paths = sorted({re.sub(r":\w+}", "}", r.path) for r in routes if r.path != "/api/token/"})
    info = {"title": "Kinchart: Paperless-ngx compatible API", "version": X_VERSION}
    return JSONResponse({"openapi": "3.0.3", "info": info, "paths": {p: {} for p in paths}})


async def login_token(request: Request) -> Response:
    """User name and password to an API token for the profiles the user may add to (or the
    one named after the user name: `bob/dad`).

    The same throttled password check as the login form (`accounts.password_login`).
    """
    try:
        version_of(request)
        if request.headers.get("content-type", "").startswith("application/json"):
            try:
                body = json.loads(await request.body())
            except ValueError:
                body = None
        else:
            body = dict(await request.form())
        if not isinstance(body, dict):
            raise ApiError(400, "bad_input", "Send `username` and `password`.")
        # "bob/dad": bob's token for dad alone (an app has nowhere else to say whose documents
        # it sends; "/" is in no user name).
        username, _, slug = str(body.get("username", "")).partition("/")
        password = str(body.get("password", ""))
        try:
            user = await accounts.password_login(username, password, request)
        except accounts.LoginThrottled as exc:
            throttled = _error(429, exc.user_message, "throttled")
            throttled.headers["retry-after"] = str(exc.retry_after)
            return throttled
        except AuthBusy as exc:
            return _error(503, exc.user_message, "busy")
        if user is None:
            body = {"non_field_errors": ["Unable to log in with provided credentials."]}
            return _versioned(JSONResponse(body, status_code=400))
        caller = await load_caller(user)
        slugs = [slug] if slug else [p["slug"] for p in await profiles_for(caller, "upload")]
        agent = request.headers.get("user-agent", "")[:60] or "an app"
        try:
            raw, row = await tokens.create_token(caller, f"Paperless login: {agent}", slugs)
        except tokens.TokenError as exc:
            body = {"non_field_errors": [exc.user_message]}
            return _versioned(JSONResponse(body, status_code=400))
    except ApiError as exc:
        return _error(exc.status, exc.detail, exc.code)
    await audit.record(
        "api_token_created",
        caller=caller,
        request=request,
        subject=caller.username,
        name=row["name"],
        via="paperless",
    )
    return _versioned(JSONResponse({"token": raw}))


@endpoint
async def ui_settings(request: Request, caller: Caller, version: int) -> Response:
    may_add = bool(await profiles_for(caller, "upload"))
    permissions = ["view_document", "view_uisettings", "view_documenttype", "view_paperlesstask"]
    if may_add:
        permissions.append("add_document")
    user = {
        "id": caller.user_id,
        "username": caller.username,
        "first_name": caller.display_name,
        "last_name": "",
        "is_staff": False,
        "is_superuser": False,
        "groups": [],
    }
    settings = {"version": X_VERSION, "app_title": "Kinchart", "trash_delay": None}
    return JSONResponse({"user": user, "settings": settings, "permissions": permissions})


@endpoint
async def status(request: Request, caller: Caller, version: int) -> Response:
    """What clients read to check the server; nothing about the machine it runs on."""
    ok = {"status": "OK", "error": None}
    url = services_of(request).settings.effective_database_url
    database = "postgresql" if url.startswith("postgres") else "sqlite"
    return JSONResponse(
        {
            "pngx_version": X_VERSION,
            "server_os": "Kinchart",
            "install_type": "kinchart",
            "storage": None,
            "database": {"type": database, "url": None, **ok, "migration_status": None},
            "tasks": {
                "redis_status": "OK",
                "celery_status": "OK",
                "index_status": "OK",
                "classifier_status": "OK",
            },
        }
    )


# -- uploads and their tasks ------------------------------------------------------------------


def _created(raw: Any) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ApiError(400, "bad_input", f"`created` is no date: {text[:40]!r}.") from None


@endpoint
async def post_document(request: Request, caller: Caller, version: int) -> Response:
    """Paperless-ngx's upload: answers with the id of a task the app polls (see README for
    the fields honoured and ignored, and how the profile is chosen)."""
    services, caller, form = await read_upload(request)
    try:
        title = str(form.get("title", "") or "")
        created = _created(form.get("created"))
        saved = await take(services, caller, form)
    finally:
        await form.close()
    result = (
        "" if saved.document_id else "This file is in Kinchart already, out of this token's reach."
    )
    task_id = await paperless.record_upload(
        caller, saved.document_id, saved.name, title=title, created=created, result=result
    )
    return JSONResponse(task_id)


@endpoint
async def task_list(request: Request, caller: Caller, version: int) -> Response:
    task_id = request.query_params.get("task_id")
    items = [task_json(r, version) for r in await paperless.tasks(caller, task_id)]
    return JSONResponse(items if version < 10 else page_of(request, items))


# -- documents -------------------------------------------------------------------------------


@endpoint
async def document_list(request: Request, caller: Caller, version: int) -> Response:
    query = request.query_params.get("query", "").strip()
    only = None
    if query:
        backend = services_of(request).search
        if backend is None:
            raise ApiError(503, "unavailable", "Search is not available on this server.")
        only = await paperless.matching(backend, caller, query)
    rows = await filtered(request, await paperless.documents(caller, only))
    ordering = request.query_params.get("ordering", "" if query else "-created")
    if ordering:
        field = ordering.removeprefix("-")
        if field not in ORDERINGS:
            raise ApiError(400, "bad_input", f"`ordering` is one of {', '.join(ORDERINGS)}.")
        rows.sort(key=sort_key(field), reverse=ordering.startswith("-"))
    ids = [r["id"] for r in rows]
    page = page_of(request, rows, ids)
    texts = await paperless.contents([r["id"] for r in page["results"]])
    page["results"] = [document_json(r, texts[r["id"]]) for r in page["results"]]
    return JSONResponse(page)


def _doc_id(request: Request) -> int:
    return int(request.path_params["doc_id"])


@endpoint
async def document_detail(request: Request, caller: Caller, version: int) -> Response:
    row = await paperless.document(caller, _doc_id(request))
    texts = await paperless.contents([row["id"]])
    return JSONResponse(document_json(row, texts[row["id"]]))


def _files(request: Request, row: dict[str, Any]) -> tuple[Path, Path | None]:
    store = services_of(request).store
    archive = store.derived_dir(row["id"]) / "document.pdf"
    return store.original_path(row["sha256"]), archive if archive.exists() else None


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@endpoint
async def document_metadata(request: Request, caller: Caller, version: int) -> Response:
    row = await paperless.document(caller, _doc_id(request))
    original, archive = _files(request, row)
    archived_name = os.path.splitext(row["original_name"])[0] + ".pdf"
    return JSONResponse(
        {
            "original_checksum": await asyncio.to_thread(_md5, original),
            "original_size": row["size"],
            "original_mime_type": row["mime"],
            "media_filename": row["original_name"],
            "original_filename": row["original_name"],
            "has_archive_version": archive is not None,
            "original_metadata": [],
            "archive_checksum": await asyncio.to_thread(_md5, archive) if archive else None,
            "archive_media_filename": archived_name if archive else None,
            "archive_size": archive.stat().st_size if archive else None,
            "archive_metadata": [] if archive else None,
            "lang": "en",
        }
    )


async def _file(request: Request, caller: Caller, disposition: str) -> Response:
    """The archived PDF (Kinchart's searchable PDF), or the original with `original=true` or
    when there is no PDF, as Paperless serves `download/` and `preview/`."""
    row = await paperless.document(caller, _doc_id(request), "download")
    original, archive = _files(request, row)
    want_original = request.query_params.get("original", "").lower() in ("true", "1")
    if want_original or archive is None:
        path, name, media = original, row["original_name"], row["mime"] or "application/pdf"
    else:
        path, name = archive, os.path.splitext(row["original_name"])[0] + ".pdf"
        media = "application/pdf"
    if not path.exists():
        raise ApiError(404, "not_found", "The file is missing from the store.")
    await audit.record(
        "document_downloaded",
        caller=caller,
        request=request,
        profile=row["profile"],
        document=row["id"],
        file="original" if path == original else "pdf",
        via="paperless",
    )
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    header = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return FileResponse(path, media_type=media, headers={"content-disposition": header})


@endpoint
async def download(request: Request, caller: Caller, version: int) -> Response:
    return await _file(request, caller, "attachment")


@endpoint
async def preview(request: Request, caller: Caller, version: int) -> Response:
    return await _file(request, caller, "inline")


@endpoint
async def thumbnail(request: Request, caller: Caller, version: int) -> Response:
    row = await paperless.document(caller, _doc_id(request))
    folder = services_of(request).store.derived_dir(row["id"]) / "thumbs"
    for suffix, media in ((".webp", "image/webp"), (".jpg", "image/jpeg"), (".png", "image/png")):
        path = folder / f"1{suffix}"
        if path.exists():
            headers = {"cache-control": "private, no-store"}
            return FileResponse(path, media_type=media, headers=headers)
    raise ApiError(404, "not_found", "This document has no thumbnail.")


# -- document types, and what Kinchart has none of ---------------------------------------------


@endpoint
async def document_types(request: Request, caller: Caller, version: int) -> Response:
    counts = await paperless.type_counts(caller)
    items = [type_json(paperless.TYPE_IDS[kind], n) for kind, n in counts.items()]
    return JSONResponse(page_of(request, items))


@endpoint
async def document_type(request: Request, caller: Caller, version: int) -> Response:
    number = request.path_params["type_id"]
    if number not in TYPE_NAMES:
        raise ApiError(404, "not_found", "No such document type.")
    counts = await paperless.type_counts(caller)
    return JSONResponse(type_json(number, counts[TYPE_NAMES[number]]))


@endpoint
async def nothing(request: Request, caller: Caller, version: int) -> Response:
    """Tags, correspondents, custom fields, storage paths, saved views: Kinchart has none."""
    return JSONResponse(page_of(request, []))


async def not_implemented(request: Request) -> Response:
    """Every other /api/ address: a JSON 404, or 405 where only the method is wrong."""
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.endpoint is not not_implemented:
            match, _ = route.matches(request.scope)
            if match == Match.PARTIAL:
                allowed = ", ".join(sorted(route.methods or []))
                response = _error(405, f'Method "{request.method}" not allowed.', "not_allowed")
                response.headers["Allow"] = allowed
                return response
    path = request.url.path
    if request.method in ("GET", "HEAD") and not path.endswith("/"):
        slashed = {**request.scope, "path": path + "/"}
        if any(
            isinstance(r, Route)
            and r.endpoint is not not_implemented
            and r.matches(slashed)[0] is Match.FULL
            for r in request.app.router.routes
        ):
            return RedirectResponse(str(request.url.replace(path=path + "/")), status_code=301)
    return _error(
        404,
        f"Kinchart's Paperless-ngx compatible API has no {path} (README: Paperless-ngx apps).",
    )


routes = [
    Route("/api/", index, methods=["GET"]),
    Route("/api/schema/", schema, methods=["GET"]),
    Route("/api/token/", login_token, methods=["POST"]),
    Route("/api/ui_settings/", ui_settings, methods=["GET"]),
    Route("/api/status/", status, methods=["GET"]),
    Route("/api/tasks/", task_list, methods=["GET"]),
    Route("/api/documents/", document_list, methods=["GET"]),
    Route("/api/documents/post_document/", post_document, methods=["POST"]),
    Route("/api/documents/{doc_id:int}/", document_detail, methods=["GET"]),
    Route("/api/documents/{doc_id:int}/metadata/", document_metadata, methods=["GET"]),
    Route("/api/documents/{doc_id:int}/download/", download, methods=["GET"]),
    Route("/api/documents/{doc_id:int}/preview/", preview, methods=["GET"]),
    Route("/api/documents/{doc_id:int}/thumb/", thumbnail, methods=["GET"]),
    Route("/api/document_types/", document_types, methods=["GET"]),
    Route("/api/document_types/{type_id:int}/", document_type, methods=["GET"]),
    *(Route(f"/api/{name}/", nothing, methods=["GET"]) for name in EMPTY),
]
# Last of all the app's routes: every /api/ address nothing else answers.
fallback = [
    Route("/api/{rest:path}", not_implemented, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
]
