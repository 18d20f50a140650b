"""The upload API for scanner and phone apps: token only, JSON in and out.

Paperless-ngx's API (its upload included) is server/web/paperless.py.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.access.policy import AccessDenied
from server.documents import service
from server.web._upload import ApiError, read_upload, take, token_caller

Handler = Callable[[Request], Awaitable[Response]]


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


@_json_errors
async def upload(request: Request) -> Response:
    services, caller, form = await read_upload(request)
    try:
        saved = await take(services, caller, form)
    finally:
        await form.close()
    # Never name a byte-identical document the token may not see.
    duplicate = saved.outcome == "duplicate"
    body = {"id": saved.document_id, "state": saved.state or "duplicate", "duplicate": duplicate}
    return JSONResponse(body, status_code=200 if duplicate else 201)


@_json_errors
async def document_state(request: Request) -> Response:
    caller = await token_caller(request)
    try:
        doc_id = int(request.path_params["doc_id"])
    except ValueError:
        raise AccessDenied("No such document.", 404) from None
    return JSONResponse(await service.api_state(caller, doc_id))


routes = [
    Route("/api/v1/documents", upload, methods=["POST"]),
    Route("/api/v1/documents/{doc_id}", document_state, methods=["GET"]),
]
