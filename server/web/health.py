"""Routes of the health views: timeline, lab trends, vital signs, the current summary
(read-only), and the medications page (owners and caregivers add, edit and stop)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ocr.facts.catalogue import BY_KEY
from server.access.scope import profile_for
from server.facts.fields import FieldError
from server.health import (
    clinician,
    labs,
    latest,
    medications,
    timeline,
    timeline_read,
)
from server.health.records import profile_facts
from server.shares import printable
from server.web._common import caller_of, done, render


async def timeline_page(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "view")
    params = request.query_params
    kind = params.get("kind", "") if params.get("kind", "") in timeline.KINDS else ""
    year = _int(params.get("year"))
    after = params.get("after", "")
    after = after if timeline.parse_cursor(after) is not None else ""
    built = await timeline_read.page(profile["id"], kind=kind, year=year, after=after)
    state = {"kind": kind, "year": str(year or ""), "after": after}
    base = f"/profiles/{profile['slug']}/timeline"

    def link(**change: Any) -> str:
        merged = {**state, **{k: "" if v is None else str(v) for k, v in change.items()}}
        query = urlencode({k: v for k, v in merged.items() if v})
        return base + ("?" + query if query else "")

    context = {
        "profile": profile,
        "timeline": built,
        "kinds": timeline.KINDS,
        "kind": kind,
        "year": year,
        "after": after,
        "link": link,
        "section": "timeline",
    }
    return render(request, "health/timeline.html", context, partial="health/_timeline.html")


# Lab results and vital signs share their views; each kind has its own section and URLs.
_SECTIONS = {"labs": "lab", "vitals": "vital"}


async def labs_page(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "view")
    section = _section(request)
    kind = _SECTIONS[section]
    rows = await latest.overview(profile["id"], kind)
    context = {"profile": profile, "rows": rows, "section": section}
    return render(request, f"health/{section}.html", context)


async def lab_page(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "view")
    section = _section(request)
    kind = _SECTIONS[section]
    key = request.path_params["analyte"]
    facts = labs.by_series(await profile_facts(profile["id"], kind), kind).get(key, [])
    if not facts and key not in BY_KEY:
        raise HTTPException(404, "No results for this test.")
    series = labs.build_series(key, facts)
    context = {"profile": profile, "series": series, "chart": series.chart(), "section": section}
    return render(request, "health/lab.html", context)


def _section(request: Request) -> str:
    return "vitals" if request.url.path.split("/")[3] == "vitals" else "labs"


async def summary_page(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "view")
    context = {
        "profile": profile,
        "summary": await clinician.current_summary(profile["id"]),
        "section": "summary",
        "printed_on": date.today(),
    }
    return render(request, "health/summary.html", context)


async def summary_pdf_page(request: Request) -> Response:
    """The printed summary as a PDF (what a clinician's share page shows, on paper)."""
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "view")
    size = "letter" if request.query_params.get("size") == "letter" else "a4"
    pdf = await printable.summary_pdf(profile["id"], page_size=size)
    name = f"{profile['slug']}-summary-{date.today().isoformat()}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"},
    )


async def medications_page(
    request: Request,
    error: FieldError | None = None,
    values: Any = None,
    stop_error: tuple[int, FieldError] | None = None,
) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "view")
    context = {
        "profile": profile,
        "meds": await medications.of_profile(profile["id"]),
        "section": "medications",
        "can_edit": caller.may("edit", profile["id"]),
        "error": error,
        "values": values or {},
        "stop_error": stop_error,
        "stop_default": date.today().isoformat(),
    }
    status = 400 if error or stop_error else 200
    return render(request, "health/medications.html", context, status_code=status)


async def add_medication(request: Request) -> Response:
    caller = caller_of(request)
    slug = request.path_params["slug"]
    form = await request.form()
    try:
        fact = await medications.add(caller, slug, form, request)
    except FieldError as exc:
        return await medications_page(request, error=exc, values=dict(form))
    return done(request, f"/profiles/{slug}/medications#med-{fact['id']}", f"{fact['name']} added.")


async def stop_medication(request: Request) -> Response:
    caller = caller_of(request)
    slug = request.path_params["slug"]
    fact_id = _int(request.path_params["fact_id"])
    if fact_id is None:
        raise HTTPException(404, "No such fact.")
    form = await request.form()
    try:
        fact = await medications.stop(caller, slug, fact_id, str(form.get("date", "")), request)
    except FieldError as exc:
        return await medications_page(request, stop_error=(fact_id, exc))
    message = f"{fact['name']} marked stopped."
    return done(request, f"/profiles/{slug}/medications", message)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


routes = [
    Route("/profiles/{slug}/summary.pdf", summary_pdf_page, methods=["GET"]),
    Route("/profiles/{slug}/timeline", timeline_page, methods=["GET"]),
    Route("/profiles/{slug}/labs", labs_page, methods=["GET"]),
    Route("/profiles/{slug}/labs/{analyte}", lab_page, methods=["GET"]),
    Route("/profiles/{slug}/vitals", labs_page, methods=["GET"]),
    Route("/profiles/{slug}/vitals/{analyte}", lab_page, methods=["GET"]),
    Route("/profiles/{slug}/summary", summary_page, methods=["GET"]),
    Route("/profiles/{slug}/medications", medications_page, methods=["GET"]),
    Route("/profiles/{slug}/medications", add_medication, methods=["POST"]),
    Route("/profiles/{slug}/medications/{fact_id}/stop", stop_medication, methods=["POST"]),
]
