"""The app factory: `create_app(settings) -> Starlette`."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from server.documents import queue
from server.errors import KinchartError
from server.facts import persist as facts_persist
from server.people import accounts as accounts_feature
from server.runtime import open_services
from server.search import projection as search_sync
from server.settings import Settings
from server.web import accounts, admin, api, documents, exports, paperless, profiles, sharing
from server.web import appointments as appointment_routes
from server.web import facts as facts_review
from server.web import health as health_routes
from server.web import home as home_page
from server.web import search as search_routes
from server.web import shares as share_reader
from server.web import sources as sources_web
from server.web import tokens as api_tokens
from server.web import trash as trash_routes
from server.web._common import (
    STATIC_DIR,
    LoginRequired,
    http_error,
    login_required,
    render,
    server_error,
)
from server.web._security import SecurityMiddleware

log = logging.getLogger(__name__)
STALL_CHECK_SECONDS = 5.0

# The short codes of JSON errors, as the API's own answers name them.
_CODES = {
    400: "bad_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    503: "unavailable",
}


async def kinchart_error(request: Request, exc: Exception) -> Response:
    """Every KinchartError a route lets through: its status, and its message as a page or JSON."""
    assert isinstance(exc, KinchartError)
    if isinstance(exc, LoginRequired):
        return await login_required(request, exc)
    if exc.status >= 500:
        log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc.user_message)
    if request.url.path.startswith("/api/"):
        code = getattr(exc, "code", None) or _CODES.get(exc.status, "error")
        body = {"error": code, "detail": exc.user_message}
        return JSONResponse(body, status_code=exc.status)
    context = {"status": exc.status, "detail": exc.user_message}
    return render(
        request, "errors/error.html", context, partial="errors/_error.html", status_code=exc.status
    )


async def health(request: Request) -> Response:
    """Public and content-free: the server answers, and its queue moves (nothing about anyone's
    records). Unhealthy (503) when documents wait and no worker reads them."""
    state = request.app.state
    now = time.monotonic()
    if now - getattr(state, "stall_checked", -1e9) > STALL_CHECK_SECONDS:
        state.stall_checked = now  # a query at most every few seconds: /healthz stays cheap
        try:
            state.stalled = await queue.stalled()
        except Exception:
            log.exception("could not read the queue for /healthz")
            state.stalled = None
    waited = getattr(state, "stalled", None)
    if waited is not None:
        message = (
            f"Documents have waited {waited / 60:.0f} minutes in the queue and no worker is "
            "reading them: see the server log (database reachable? workers running?)."
        )
        return JSONResponse({"ok": False, "reason": message}, status_code=503)
    return JSONResponse({"ok": True})


def create_app(
    settings: Settings, *, workers: bool = True, watcher: bool | None = None
) -> Starlette:
    """Build the web app; its lifespan opens the database and starts workers and the watcher."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await open_services(settings)
        app.state.services = services
        app.state.setup_token = None
        if not await accounts_feature.admin_exists():
            # First-run setup from another machine needs this token (from the server's log):
            # whoever reaches a fresh server first over the network must not become its admin.
            app.state.setup_token = secrets.token_urlsafe(16)
            log.warning(
                "No admin yet. Set up from this machine at http://127.0.0.1:%s/setup, or from "
                "another with the one-time token: /setup?token=%s",
                settings.port,
                app.state.setup_token,
            )
        if services.search is not None:
            search_sync.start_catch_up(services.search)  # in the background: never blocks start
        if workers:
            services.start_workers()
            # Documents read before facts existed (or by an older extractor) get them now.
            facts_persist.start_backfill(services.engine, services.store)
            services.start_trash_purge()  # documents deleted more than 30 days ago
        if settings.watch_inbox if watcher is None else watcher:
            services.start_watcher()
        if settings.sync_sources if watcher is None else watcher:
            services.start_sync()
        try:
            yield
        finally:
            await facts_persist.stop_backfill()
            await services.close()

    routes = [
        *home_page.routes,
        Route("/healthz", health),
        *accounts.routes,
        *profiles.routes,
        *documents.routes,
        *trash_routes.routes,
        *admin.routes,
        *sources_web.routes,
        *api_tokens.routes,
        *api.routes,
        *paperless.routes,
        *search_routes.routes,
        *health_routes.routes,
        *exports.routes,
        *appointment_routes.routes,
        *facts_review.routes,
        *sharing.routes,
        *share_reader.routes,
        # Every other /api/ address (a JSON 404 or 405): after all other routes.
        *paperless.fallback,
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            # Host names the server answers to: a DNS-rebinding page gets no answer.
            Middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_host_list),
            Middleware(SecurityMiddleware, settings=settings),
        ],
        exception_handlers={
            HTTPException: http_error,
            KinchartError: kinchart_error,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
