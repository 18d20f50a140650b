"""The app factory: `create_app(settings) -> Starlette`."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from server import documents, queue
from server.services import open_services
from server.settings import Settings
from server.web import STATIC_DIR, SecurityMiddleware, http_error, server_error


async def home(request: Request) -> Response:
    return RedirectResponse("/documents", status_code=302)


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True, "documents": await queue.counts()})


def create_app(
    settings: Settings, *, workers: bool = True, watcher: bool | None = None
) -> Starlette:
    """Build the web app; its lifespan opens the database and starts workers and the watcher."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await open_services(settings)
        app.state.services = services
        if workers:
            services.start_workers()
        if settings.watch_inbox if watcher is None else watcher:
            services.start_watcher()
        try:
            yield
        finally:
            await services.close()

    routes = [
        Route("/", home),
        Route("/healthz", health),
        *documents.routes,
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityMiddleware)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
