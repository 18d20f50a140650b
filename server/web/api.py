"""The upload API for scanner and phone apps: token only, JSON in and out, Paperless-compatible."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.access.policy import AccessDenied, Caller
from server.access.scope import upload_target
from server.documents import service
from server.documents.uploads import save_upload
from server.errors import KinchartError
from server.people.tokens import caller_for_token
from server.runtime import Services
from server.web._common import capped, services_of

FORM_OVERHEAD = 1024 * 1024  # multipart boundaries and small fields around the file

Handler = Callable[[Request], Awaitable[Response]]


class ApiError(KinchartError):
    """A refused API request: HTTP status, a short code, and a sentence for the person."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail, status)
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
    try:
        profile_id = await upload_target(caller, slug)
    except AccessDenied as exc:
        code = "profile_required" if exc.status == 400 else "forbidden"
        raise ApiError(exc.status, code, exc.user_message) from None
    assert profile_id is not None  # a token never carries admin powers (the triage queue)
    return profile_id


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
    form = await capped(
        request,
        limit + FORM_OVERHEAD,
        lambda: ApiError(413, "too_large", _too_large(limit)),
    ).form(max_files=2, max_fields=20)
    return services, caller, form


async def _take(services: Services, caller: Caller, form: FormData) -> dict[str, Any]:
    item = form.get("file") or form.get("document")
    if not isinstance(item, UploadFile):
        raise ApiError(400, "no_file", "Send the file in a multipart field named `file`.")
    profile_id = await _target(caller, str(form.get("profile", "") or ""))
    saved = await save_upload(
        caller, services.intake, item, profile_id, source="api", refuse_unreadable=True
    )
    if saved.problem == "too_large":
        raise ApiError(413, "too_large", _too_large(services.intake.max_bytes))
    if saved.problem == "empty":
        raise ApiError(400, "empty", saved.reason)
    if saved.problem == "unsupported":
        raise ApiError(415, "unsupported", saved.reason)
    if saved.outcome == "rejected":
        raise ApiError(503 if saved.transient else 422, "rejected", saved.reason)
    # Never name a byte-identical document the token may not see.
    return {
        "id": saved.document_id,
        "state": saved.state or "duplicate",
        "duplicate": saved.outcome == "duplicate",
    }


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
    return JSONResponse(await service.api_state(caller, doc_id))


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
