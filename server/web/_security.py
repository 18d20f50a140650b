"""Request gatekeeping: client address, session, first-run setup, CSRF, security headers."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.access.scope import caller_and_profiles
from server.people.accounts import admin_exists
from server.people.auth import load_session
from server.settings import Settings

SESSION_COOKIE = "kinchart_session"
CSRF_COOKIE = "kinchart_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_FORM_BYTES = 1024 * 1024
SETUP_OPEN = ("/setup", "/static/", "/healthz")
API_PREFIX = "/api/"
# SMART Health Link manifests (server/web/shares.py): posted by a clinician's system from any
# origin with the link's token in the URL, never with a cookie.
SHL_PREFIX = "/shl/"

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    # Not no-referrer: with it browsers send "Origin: null" on form posts, which the same-origin
    # check must refuse. same-origin still sends nothing to other sites.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
]


class SecurityMiddleware:
    """Runs before every route; nothing reaches a route without passing here."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._admin_exists = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        static = path.startswith("/static/")
        send = _with_headers(send, static=static)
        if static:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        scope["kinchart.client_ip"], scope["kinchart.https"] = self._client(request)
        if path.startswith((API_PREFIX, SHL_PREFIX)):
            # Token-only routes (server/web/api.py): no cookie is read here, so a browser's session
            # cannot be ridden cross-site and there is no CSRF token to check.
            await self.app(scope, receive, send)
            return
        await self._load_session(request, scope)
        if not await self._setup_done() and not path.startswith(SETUP_OPEN):
            await _refuse_or_redirect(request, "/setup", scope, receive, send)
            return
        new_cookie = None
        if "kinchart.session" not in scope:
            token = request.cookies.get(CSRF_COOKIE, "")
            if len(token) < 32:
                token = new_cookie = secrets.token_urlsafe(32)
            scope["kinchart.csrf"] = token
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            ok, receive = await _csrf_ok(request, scope, receive)
            if not ok:
                response = PlainTextResponse(
                    "This form has expired or came from another site. Reload the page and try "
                    "again.",
                    status_code=403,
                )
                await response(scope, receive, send)
                return
        if new_cookie:
            send = _set_cookie(send, CSRF_COOKIE, new_cookie, secure=scope["kinchart.https"])
        await self.app(scope, receive, send)

    def _client(self, request: Request) -> tuple[str, bool]:
        peer = request.client.host if request.client else ""
        https = request.url.scheme == "https"
        if peer in self.settings.trusted_proxy_set:
            forwarded = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
            # The nearest address the trusted proxies did not add themselves.
            for hop in reversed([h for h in forwarded if h]):
                if hop not in self.settings.trusted_proxy_set:
                    peer = hop
                    break
            https = request.headers.get("x-forwarded-proto", "").lower() == "https" or https
        return peer, https

    async def _load_session(self, request: Request, scope: Scope) -> None:
        token = request.cookies.get(SESSION_COOKIE, "")
        if not token:
            return
        info = await load_session(
            token,
            idle_s=self.settings.session_idle_minutes * 60,
            max_age_s=self.settings.session_max_days * 86400,
        )
        if info is not None:
            scope["kinchart.session"] = info
            scope["kinchart.csrf"] = info.csrf_token
            # The caller, and the profiles for the switcher on every page: read with the session.
            caller, profiles = caller_and_profiles(info.user, info.grants)
            scope["kinchart.caller"] = caller
            scope["kinchart.profiles"] = profiles
            scope["kinchart.date_format"] = info.user.get("date_format", "")

    async def _setup_done(self) -> bool:
        if not self._admin_exists:
            self._admin_exists = await admin_exists()
        return self._admin_exists


async def _csrf_ok(request: Request, scope: Scope, receive: Receive) -> tuple[bool, Receive]:
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None and site not in ("same-origin", "none"):
        return False, receive
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host", ""):
        return False, receive
    expected: str = scope.get("kinchart.csrf", "")
    given = request.headers.get(CSRF_HEADER) or request.query_params.get(CSRF_FIELD)
    content_type = request.headers.get("content-type", "")
    if given is None and content_type.startswith("application/x-www-form-urlencoded"):
        body, receive = await _buffer(receive)
        if body is None:
            return False, receive
        values = parse_qs(body.decode("latin-1")).get(CSRF_FIELD)
        given = values[0] if values else None
    if given is None and content_type.startswith("multipart/form-data"):
        # An upload form's token would have to be read from the multipart body, which is not
        # buffered here; a browser's same-origin proof stands in (Sec-Fetch-Site, else Origin:
        # both checked above). Without either (an old browser, a script) the token is needed.
        return site == "same-origin" or (site is None and origin is not None), receive
    ok = bool(expected and given) and hmac.compare_digest(str(given), expected)
    return ok, receive


async def _buffer(receive: Receive) -> tuple[bytes | None, Receive]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None, receive
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _refuse_or_redirect(
    request: Request, to: str, scope: Scope, receive: Receive, send: Send
) -> None:
    response: Response
    if request.method == "GET":
        response = RedirectResponse(to, status_code=303)
        if request.headers.get("hx-request"):
            response = Response(status_code=204, headers={"HX-Redirect": to})
    else:
        response = PlainTextResponse("Kinchart is not set up yet.", status_code=403)
    await response(scope, receive, send)


def _with_headers(send: Send, *, static: bool) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for key, value in SECURITY_HEADERS:
                headers.append(key.decode(), value.decode())
            if not static:
                headers["cache-control"] = "no-store"
        await send(message)

    return wrapped


def _set_cookie(send: Send, name: str, value: str, *, secure: bool) -> Send:
    # Only pages that can carry a form set it: a parallel request (a favicon, a redirect) must
    # not replace the token a page just put in its form.
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 200:
            headers = MutableHeaders(scope=message)
            is_page = headers.get("content-type", "").startswith("text/html")
            if is_page and not any(v.startswith(name + "=") for v in headers.getlist("set-cookie")):
                headers.append("set-cookie", cookie(name, value, secure=secure, max_age=None))
        await send(message)

    return wrapped


def cookie(name: str, value: str, *, secure: bool, max_age: int | None) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)
