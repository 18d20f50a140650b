"""The upload API for scanner and phone apps: token only, JSON in and out, Paperless-compatible."""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message

from ocr.detect import detect
from ocr.errors import ReadError
from server.access.policy import AccessDenied, Caller
from server.access.scope import document_for
from server.db.tables import Document, Profile
from server.people.tokens import caller_for_token
from server.runtime import Services
from server.web.documents import services_of

FORM_OVERHEAD = 1024 * 1024  # multipart boundaries and small fields around the file

Handler = Callable[[Request], Awaitable[Response]]


class ApiError(Exception):
    """A refused API request: HTTP status, a short code, and a sentence for the person."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


def _json_errors(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as exc:
            headers = {"WWW-Authenticate": "Token"} if exc.status == 401 else None
            body = {"error": exc.code, "detail": exc.detail}
            return JSONResponse(body, status_code=exc.status, headers=headers)
        except AccessDenied as exc:
            body = {"error": "not_found" if exc.status == 404 else "forbidden"}
            return JSONResponse({**body, "detail": exc.user_message}, status_code=exc.status)

    return wrapped


async def _token_caller(request: Request) -> Caller:
    # "Token" is what Paperless-ngx apps send; "Bearer" what most other clients do.
    scheme, _, raw = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() not in ("token", "bearer") or not raw.strip():
        raise ApiError(401, "unauthorized", "Send an API token: `Authorization: Token <token>`.")
    caller = await caller_for_token(raw.strip())
    if caller is None:
        raise ApiError(401, "unauthorized", "This API token is not valid or has been revoked.")
    return caller


async def _target(caller: Caller, slug: str) -> int:
    uploadable = [pid for pid in caller.roles if caller.may("upload", pid)]
    if slug:
        row = await Profile.select(Profile.id).where(Profile.slug == slug).first()
        # One answer for "no such profile" and "not this token's": existence does not leak.
        if row is None or row["id"] not in uploadable:
            raise ApiError(403, "forbidden", f"This token cannot add documents to {slug!r}.")
        return int(row["id"])
    if len(uploadable) == 1:
        return uploadable[0]
    if not uploadable:
        raise ApiError(403, "forbidden", "This token may no longer add documents anywhere.")
    raise ApiError(
        400, "profile_required", "This token may upload to several profiles: send `profile`."
    )


def _capped(request: Request, limit: int) -> Request:
    """The same request, refusing a body larger than `limit` as it streams in."""
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise ApiError(413, "too_large", _too_large(limit - FORM_OVERHEAD))
        return message

    return Request(request.scope, receive)


def _too_large(limit: int) -> str:
    return f"The file is larger than {limit // 1048576} MB (the server's KINCHART_MAX_FILE_MB)."


async def _read_upload(request: Request) -> tuple[Services, Caller, FormData]:
    caller = await _token_caller(request)
    services = services_of(request)
    limit = services.settings.max_file_mb * 1024 * 1024
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        raise ApiError(413, "too_large", _too_large(limit))
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "bad_request", "Send the file as multipart/form-data.")
    form = await _capped(request, limit + FORM_OVERHEAD).form(max_files=2, max_fields=20)
    return services, caller, form


async def _take(services: Services, caller: Caller, form: FormData) -> dict[str, Any]:
    item = form.get("file") or form.get("document")
    if not isinstance(item, UploadFile):
        raise ApiError(400, "no_file", "Send the file in a multipart field named `file`.")
    profile_id = await _target(caller, str(form.get("profile", "") or ""))
    limit = services.settings.max_file_mb * 1024 * 1024
    tmp = services.store.tmp / f"api-{uuid.uuid4().hex}"
    try:
        size = await _save(item, tmp, limit)
        if size == 0:
            raise ApiError(400, "empty", "The file is empty (0 bytes).")
        try:
            await asyncio.to_thread(detect, tmp)
        except ReadError as exc:
            raise ApiError(415, "unsupported", exc.user_message) from None
        result = await services.intake.take(
            tmp, source="api", original_name=item.filename or "upload", profile_id=profile_id
        )
    finally:
        tmp.unlink(missing_ok=True)
    if result.outcome == "rejected":
        status = 503 if result.transient else 422
        raise ApiError(status, "rejected", result.reason)
    row = (
        await Document.select(Document.state, Document.profile)
        .where(Document.id == result.document_id)
        .first()
    )
    # Never name a byte-identical document the token may not see.
    visible = row is not None and caller.may("view", row["profile"])
    return {
        "id": result.document_id if visible else None,
        "state": row["state"] if row is not None and visible else "duplicate",
        "duplicate": result.outcome == "duplicate",
    }


async def _save(item: UploadFile, dest: Path, limit: int) -> int:
    size = 0
    with open(dest, "wb") as out:
        while chunk := await item.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise ApiError(413, "too_large", _too_large(limit))
            out.write(chunk)
    return size


@_json_errors
async def upload(request: Request) -> Response:
    services, caller, form = await _read_upload(request)
    try:
        body = await _take(services, caller, form)
    finally:
        await form.close()
    return JSONResponse(body, status_code=200 if body["duplicate"] else 201)


@_json_errors
async def document_state(request: Request) -> Response:
    caller = await _token_caller(request)
    try:
        doc_id = int(request.path_params["doc_id"])
    except ValueError:
        raise AccessDenied("No such document.", 404) from None
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
    return JSONResponse(
        {
            "id": doc["id"],
            "state": doc["state"],
            "name": doc["original_name"],
            "profile": doc["profile_slug"],
            "pages": doc["page_count"],
            "failure_reason": doc["failure_reason"],
        }
    )


@_json_errors
async def paperless_post_document(request: Request) -> Response:
    """Paperless-ngx's upload: answers with a task id string, as Paperless does."""
    services, caller, form = await _read_upload(request)
    try:
        await _take(services, caller, form)
    finally:
        await form.close()
    return JSONResponse(str(uuid.uuid4()))


routes = [
    Route("/api/v1/documents", upload, methods=["POST"]),
    Route("/api/v1/documents/{doc_id}", document_state, methods=["GET"]),
    Route("/api/documents/post_document/", paperless_post_document, methods=["POST"]),
]
