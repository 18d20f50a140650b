"""Shared web plumbing: templates, htmx-aware rendering, the caller, error pages."""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from jinja2 import pass_context
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates
from starlette.types import Message

from server.access.policy import Caller, require_admin
from server.documents import service as documents
from server.documents import status as doc_status
from server.documents import titles
from server.errors import PermissionDenied
from server.runtime import Services
from server.web._dates import date_style, write
from server.web._security import SECURITY_HEADERS, cookie

log = logging.getLogger(__name__)

SERVER = Path(__file__).resolve().parent.parent
ROOT = SERVER.parent
templates = Jinja2Templates(directory=str(ROOT / "templates"))
STATIC_DIR = SERVER / "static"


class LoginRequired(PermissionDenied):
    """The request needs a logged-in user."""

    user_message = "Please log in."
    status = 401


def csrf_token(request: Request) -> str:
    return str(request.scope.get("kinchart.csrf", ""))


def current_caller(request: Request) -> Caller | None:
    caller = request.scope.get("kinchart.caller")
    return caller if isinstance(caller, Caller) else None


def switcher_profiles(request: Request) -> list[dict[str, Any]]:
    return list(request.scope.get("kinchart.profiles", []))


FLASH_COOKIE = "kinchart_flash"


def flash_message(request: Request) -> str:
    """What the last action did ("Saved."), shown once at the top of the next page."""
    return unquote(request.cookies.get(FLASH_COOKIE, ""))[:300]


def done(request: Request, to: str, message: str) -> RedirectResponse:
    """Redirect after a successful form post, saying on the next page what was done."""
    response = RedirectResponse(to, status_code=303)
    secure = bool(request.scope.get("kinchart.https"))
    response.headers.append(
        "set-cookie", cookie(FLASH_COOKIE, quote(message[:300]), secure=secure, max_age=60)
    )
    return response


@pass_context
def when(context: Any, value: Any, time: bool = False, style: str = "") -> str:
    """Every date on every page: `{{ d | when }}`, `{{ t | when(time=True) }}`."""
    if not style:
        request = context.get("request")
        style = date_style(request) if isinstance(request, Request) else "iso"
    return write(value, style, time=time)


@pass_context
def doc_title(context: Any, doc: Any) -> str:
    """A document's title, its date written as the reader writes dates."""
    return titles.title_of(doc, when(context, doc.get("doc_date")))


templates.env.filters["when"] = when
templates.env.filters["doc_title"] = doc_title
templates.env.globals["flash_message"] = flash_message


def disk_full(request: Request) -> dict[str, Any] | None:
    """For an admin, when the data folder's disk is full: what `kinchart status` says (the
    message, the files waiting in the inbox); else None. Read from the disk at each page."""
    caller = current_caller(request)
    if caller is None or not caller.is_admin or is_htmx(request):
        return None
    services = getattr(request.app.state, "services", None)
    if services is None:
        return None
    try:
        state = doc_status.waiting(services.settings.inbox_dir, services.settings.data_dir)
    except OSError:
        return None
    return state if state["disk_full"] else None


templates.env.globals["csrf_token"] = csrf_token
templates.env.globals["disk_full"] = disk_full
templates.env.globals["switcher_profiles"] = switcher_profiles
templates.env.globals["current_caller"] = current_caller
templates.env.globals["today"] = date.today


def caller_of(request: Request) -> Caller:
    """The logged-in caller; anonymous requests go to the login page."""
    caller = current_caller(request)
    if caller is None:
        raise LoginRequired()
    return caller


def admin_of(request: Request) -> Caller:
    caller = caller_of(request)
    require_admin(caller)
    return caller


def services_of(request: Request) -> Services:
    """The running server's parts (database engine, store, intake, workers), from the app."""
    services: Services = request.app.state.services
    return services


def page_param(request: Request) -> int:
    """The `?page=` of a paged list: 1 unless a positive number is given."""
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


_LOCAL = re.compile(r"^/(?!/)[^\s\\]*$")


def local_path(target: str | None, fallback: str = "/") -> str:
    """`target` if it is a path on this site (where a form may send the browser back), else
    `fallback`: never another site ("//evil", "https://…", "/\\evil")."""
    return target if target and _LOCAL.match(target) else fallback


def doc_id_param(request: Request) -> int:
    """The `{doc_id}` of the URL; 404 when it is no number."""
    try:
        return int(request.path_params["doc_id"])
    except ValueError:
        raise HTTPException(404, "No such document.") from None


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
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    if name == page and FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/")  # shown on this page (base.html): once
    return response


async def list_context(request: Request, profile: dict[str, Any] | None) -> dict[str, Any]:
    """The documents list of `profile` (or of every profile the caller sees), as asked; on the
    documents page and on each profile's page."""
    context = await documents.listing(
        caller_of(request),
        profile,
        state=request.query_params.get("state", ""),
        page=page_param(request),
        tag=request.query_params.get("tag", ""),
    )
    context["view"] = "grid" if request.query_params.get("view") == "grid" else "table"
    return context


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _error(request: Request, status: int, detail: str) -> Response:
    context = {"status": status, "detail": detail}
    return render(
        request, "errors/error.html", context, partial="errors/_error.html", status_code=status
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(request, exc.status_code, str(exc.detail))


async def login_required(request: Request, exc: Exception) -> Response:
    target = "/login?next=" + quote(request.url.path)
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": target})
    if request.method != "GET":
        return _error(request, 401, "Please log in.")
    return RedirectResponse(target, status_code=303)


async def server_error(request: Request, exc: Exception) -> Response:
    """A bug of ours: logged with its traceback, answered in words that say nothing of it.

    Starlette answers these outside every middleware, so the security headers are set here.
    """
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    try:
        response = _error(request, 500, "Something went wrong on the server; it is still running.")
    except Exception:  # the page itself failed (no session, template error): plain words
        response = PlainTextResponse(
            "Something went wrong on the server; it is still running.", status_code=500
        )
    for key, value in SECURITY_HEADERS:
        response.headers[key.decode()] = value.decode()
    response.headers["cache-control"] = "no-store"
    return response


def capped(request: Request, limit: int, too_large: Callable[[], Exception]) -> Request:
    """The same request, refusing a body larger than `limit` bytes as it streams in (a body
    without Content-Length is not spooled to its end before anything is checked)."""
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise too_large()
        return message

    return Request(request.scope, receive)
