"""Admin pages for sync sources: list with last run and error, add, run now, remove."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import Caller
from server.access.scope import all_profiles
from server.sources.config import (
    NewSource,
    SourceError,
    add_source,
    check_source,
    list_sources,
    source_exists,
)
from server.sources.config import remove_source as delete_source
from server.sources.vault import Vault
from server.web._common import admin_of, render, services_of
from sync.webdav import Share, SyncError

CHECK_TIMEOUT = 15.0


async def _page(request: Request, caller: Caller, status: int = 200, **extra: Any) -> Response:
    context = {
        "sources": await list_sources(),
        "profiles": await all_profiles(caller),
        "running": services_of(request).sources is not None,
        "form": {},
        **extra,
    }
    return render(
        request,
        "sources/sources.html",
        context,
        partial="sources/_sources.html",
        status_code=status,
    )


async def sources_page(request: Request) -> Response:
    return await _page(request, admin_of(request))


async def source_add(request: Request) -> Response:
    caller = admin_of(request)
    form = await request.form()
    target = str(form.get("target", ""))
    after = str(form.get("after", "delete"))
    if after == "move":
        after = "move:" + str(form.get("move_to", ""))
    try:
        interval = int(str(form.get("interval", "300")) or 300)
    except ValueError:
        interval = -1
    new = NewSource(
        url=str(form.get("url", "")),
        username=str(form.get("username", "")),
        password=str(form.get("password", "")),
        remote_path=str(form.get("remote_path", "")) or "/",
        profile_slug=target if target not in ("", "*subfolder") else "",
        by_subfolder=target == "*subfolder",
        after=after,
        interval_seconds=interval,
    )
    # Echoed back on errors, except the password.
    shown = {k: v for k, v in form.items() if k not in ("password", "csrf_token")}
    try:
        url, _, _ = await check_source(new)
        # Try the folder now, so a wrong password or address shows here, not later.
        share = Share(url, new.username, new.password, new.remote_path, timeout=CHECK_TIMEOUT)
        try:
            await asyncio.to_thread(share.list_files)
        finally:
            share.close()
        row = await add_source(new, Vault(services_of(request).settings.data_dir))
    except (SourceError, SyncError) as exc:
        return await _page(request, caller, 400, error=exc.user_message, form=shown)
    await audit.record("sync_source_added", caller=caller, request=request, subject=url[:64])
    _wake(request, row["id"])
    return RedirectResponse(f"/admin/sources?added={row['id']}", status_code=303)


async def source_run(request: Request) -> Response:
    admin_of(request)
    source_id = _source_id(request)
    if not await source_exists(source_id):
        return RedirectResponse("/admin/sources", status_code=303)  # removed meanwhile
    if services_of(request).sources is None:
        raise HTTPException(
            409,
            "This server does not pull from sources (KINCHART_SYNC_SOURCES is off); "
            "run `kinchart sync --once` instead.",
        )
    _wake(request, source_id)
    return RedirectResponse(f"/admin/sources?ran={source_id}", status_code=303)


async def source_remove(request: Request) -> Response:
    caller = admin_of(request)
    source_id = _source_id(request)
    if await delete_source(source_id):
        await audit.record(
            "sync_source_removed", caller=caller, request=request, subject=str(source_id)
        )
    return RedirectResponse("/admin/sources", status_code=303)


def _source_id(request: Request) -> int:
    try:
        return int(request.path_params["source_id"])
    except ValueError:
        return -1


def _wake(request: Request, source_id: int) -> None:
    runner = services_of(request).sources
    if runner is not None:
        runner.wake(source_id)


routes = [
    Route("/admin/sources", sources_page, methods=["GET"]),
    Route("/admin/sources", source_add, methods=["POST"]),
    Route("/admin/sources/{source_id}/run", source_run, methods=["POST"]),
    Route("/admin/sources/{source_id}/remove", source_remove, methods=["POST"]),
]
