"""Shared web plumbing: templates, htmx-aware rendering, security headers, error pages."""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=str(ROOT / "templates"))
STATIC_DIR = Path(__file__).resolve().parent / "static"

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    page: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """One partial, two callers: htmx gets the partial alone, a browser gets the page."""
    name = partial if partial and is_htmx(request) else page
    return templates.TemplateResponse(request, name, context, status_code=status_code)


class SecurityMiddleware:
    """Security headers on every response; no caching of health data; same-origin writes only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin(request):
            response = HTMLResponse("Cross-site request refused.", status_code=403)
            await response(scope, receive, self._with_headers(send, static=False))
            return
        static = scope["path"].startswith("/static/")
        await self.app(scope, receive, self._with_headers(send, static=static))

    @staticmethod
    def _with_headers(send: Send, *, static: bool) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(SECURITY_HEADERS)
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        return wrapped


def _same_origin(request: Request) -> bool:
    # Browsers send Sec-Fetch-Site / Origin; a page on another site cannot forge them.
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser (CLI, scripts): nothing to forge
    return urlsplit(origin).netloc == request.headers.get("host", "")


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    context = {"status": exc.status_code, "detail": exc.detail}
    return render(
        request,
        "errors/error.html",
        context,
        partial="errors/_error.html",
        status_code=exc.status_code,
    )


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    context = {"status": 500, "detail": "Something went wrong on the server; it is still running."}
    return render(
        request, "errors/error.html", context, partial="errors/_error.html", status_code=500
    )
