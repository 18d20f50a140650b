"""Routes of the take-it-with-you export: a profile's owners and caregivers build its archive
(server/shares/archive.py) from the profile's page and download it once built, or download
the whole record as one FHIR R4 Bundle (server/shares/record.py), made when asked.

Building runs in the background of this server process; the page polls its progress (htmx).
One archive per person and profile, kept in the data folder's tmp/exports until replaced
or the server stops; only the person who built it may download it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from server.access import audit
from server.access.scope import profile_for
from server.errors import KinchartError
from server.shares import archive
from server.shares.record import record_bundle
from server.web._common import caller_of, render, services_of

log = logging.getLogger(__name__)


@dataclass
class Job:
    """One archive being built, or built."""

    path: Path
    started: float = field(default_factory=time.time)
    done: int = 0
    total: int = 0
    finished: bool = False
    error: str = ""
    size: int = 0
    task: asyncio.Task[None] | None = None

    @property
    def percent(self) -> int:
        return 100 if self.finished else int(100 * self.done / self.total) if self.total else 0


def _jobs(request: Request) -> dict[tuple[int, int], Job]:
    """(user id, profile id) -> its latest archive, kept by the app serving this data folder
    (never across apps: ids repeat between data folders)."""
    state = request.app.state
    if not hasattr(state, "export_jobs"):
        state.export_jobs = {}
    jobs: dict[tuple[int, int], Job] = state.export_jobs
    return jobs


async def _build(job: Job, request: Request, profile_id: int) -> None:
    def advance(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        built = await archive.build(
            services_of(request).store, profile_id, job.path, progress=advance
        )
        job.size = built.size
    except KinchartError as e:
        job.error = e.user_message
    except Exception:
        log.exception("archive of profile %s failed", profile_id)
        job.error = "The archive could not be built; the server's log says why."
    finally:
        job.finished = True


async def export_page(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "edit")
    job = _jobs(request).get((caller.user_id, profile["id"]))
    context = {"profile": profile, "job": job}
    return render(request, "profiles/export.html", context, partial="profiles/_export.html")


async def export_start(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "edit")
    key = (caller.user_id, profile["id"])
    old = _jobs(request).get(key)
    if old is not None and not old.finished:
        context = {"profile": profile, "job": old}
        return render(request, "profiles/export.html", context, partial="profiles/_export.html")
    folder = services_of(request).store.tmp / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    job = Job(folder / f"{caller.user_id}-{profile['id']}.zip")
    job.path.unlink(missing_ok=True)
    _jobs(request)[key] = job
    job.task = asyncio.create_task(_build(job, request, profile["id"]), name="archive")
    context = {"profile": profile, "job": job}
    return render(
        request, "profiles/export.html", context, partial="profiles/_export.html", status_code=202
    )


async def export_download(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "edit")
    job = _jobs(request).get((caller.user_id, profile["id"]))
    if job is None or not job.finished or job.error or not job.path.is_file():
        return Response(
            "No archive is ready: build one on the export page first.",
            status_code=409,
            media_type="text/plain",
        )
    name = f"{profile['slug']}-kinchart-{date.today().isoformat()}.zip"
    return FileResponse(
        job.path,
        media_type="application/zip",
        filename=name,
        headers={"Cache-Control": "no-store"},
    )


async def export_fhir(request: Request) -> Response:
    """The whole record as a FHIR R4 Bundle (collection), as `kinchart export --format fhir`."""
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "edit")
    bundle = await record_bundle(profile["id"])
    await audit.record(
        "record_exported", caller=caller, request=request, profile=profile["id"], format="fhir"
    )
    name = f"{profile['slug']}-kinchart-{date.today().isoformat()}.fhir.json"
    return Response(
        json.dumps(bundle, ensure_ascii=False, indent=1),
        media_type="application/fhir+json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


routes = [
    Route("/profiles/{slug}/export", export_page, methods=["GET"]),
    Route("/profiles/{slug}/export", export_start, methods=["POST"]),
    Route("/profiles/{slug}/export.zip", export_download, methods=["GET"]),
    Route("/profiles/{slug}/export.fhir.json", export_fhir, methods=["GET"]),
]
