"""The anonymous side of a share link: the clinician's page (passcode first when it has one),
the chosen documents with citation highlights, and the SMART Health Link manifest.

No route here reads a session: the link's token is the capability (`server.shares.links`), read
anew on every request, so a revoked or expired link ends an open page at its next request.
Every view is logged for the profile's owners and caregivers.
"""

from __future__ import annotations

import json
from typing import Any, TypedDict

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.health.clinician import Entry
from server.shares import emergency, links, manifest, reading
from server.shares.links import Opened, ShareGone
from server.vault import Vault, vault_at
from server.web._common import doc_id_param, render, services_of
from server.web._security import cookie

PROOF_COOKIE = "kinchart_share"
CORS = {"access-control-allow-origin": "*"}


def vault_of(request: Request) -> Vault:
    return vault_at(services_of(request).settings.data_dir)


class _Client(TypedDict):
    ip: str
    user_agent: str


def _client(request: Request) -> _Client:
    return {
        "ip": audit.client_ip(request),
        "user_agent": request.headers.get("user-agent", ""),
    }


async def _opened(request: Request) -> Opened:
    try:
        return await links.open_link(request.path_params["token"])
    except ShareGone:
        raise HTTPException(404, ShareGone.user_message) from None


def _proven(request: Request, opened: Opened) -> bool:
    proof = request.cookies.get(f"{PROOF_COOKIE}_{opened.row['id']}", "")
    return links.proven(vault_of(request), opened, proof)


def _base(opened: Opened) -> str:
    return f"/s/{opened.token}"


async def _passcode_form(
    request: Request, opened: Opened, status: int = 200, **extra: Any
) -> Response:
    context = {"base": _base(opened), "locked": opened.locked, **extra}
    return render(request, "shares/passcode.html", context, status_code=status)


async def share_page(request: Request) -> Response:
    """The clinician's summary, or the passcode form first."""
    opened = await _opened(request)
    if not _proven(request, opened):
        what = "locked" if opened.locked else "passcode_asked"
        await links.log_view(opened, "page", what, **_client(request))
        return await _passcode_form(request, opened, 403 if opened.locked else 200)
    built = await reading.summary(opened.share)
    base = _base(opened)

    def citation_url(entry: Entry) -> str | None:
        cited = entry.citation
        if cited is None or cited.document not in opened.share.documents:
            return None
        return f"{base}/documents/{cited.document}?fact={cited.fact}#page-{cited.page or 1}"

    await links.log_view(opened, "page", **_client(request))
    context = {
        "summary": built,
        "citation_url": citation_url,
        "documents": await reading.documents(opened.share),
        "base": base,
        "link": opened.row,
        "emergency": await emergency.public_details(opened.share.profile_id)
        if opened.row["kind"] == "emergency"
        else None,
    }
    return render(request, "shares/page.html", context)


async def passcode_submit(request: Request) -> Response:
    opened = await _opened(request)
    form = await request.form()
    attempt = await links.try_passcode(opened, str(form.get("passcode", "")))
    await links.log_view(opened, "passcode", attempt.outcome, **_client(request))
    if not attempt.ok:
        status = {"locked": 403, "throttled": 429}.get(attempt.outcome, 401)
        return await _passcode_form(
            request,
            opened,
            status,
            locked=attempt.outcome == "locked",
            throttled=attempt.outcome == "throttled",
            wrong=attempt.outcome == "wrong_passcode",
            remaining=attempt.remaining,
        )
    response = RedirectResponse(_base(opened), status_code=303)
    proof = links.unlock_proof(vault_of(request), opened)
    value = cookie(
        f"{PROOF_COOKIE}_{opened.row['id']}",
        proof,
        secure=bool(request.scope.get("kinchart.https")),
        max_age=links.UNLOCK_HOURS * 3600,
    ).replace("Path=/", f"Path={_base(opened)}", 1)
    response.headers.append("set-cookie", value)
    return response


async def shared_document(request: Request) -> Response:
    opened = await _opened(request)
    doc_id = doc_id_param(request)
    if not _proven(request, opened):
        client = _client(request)
        await links.log_view(opened, "document", "passcode_asked", document=doc_id, **client)
        return RedirectResponse(_base(opened), status_code=303)
    context = await reading.document(opened.share, doc_id, request.query_params.get("fact"))
    await links.log_view(opened, "document", document=doc_id, **_client(request))
    context["base"] = _base(opened)
    return render(request, "shares/document.html", context)


async def shared_page_image(request: Request) -> Response:
    opened = await _opened(request)
    if not _proven(request, opened):
        raise HTTPException(404, "No such file.")
    path, media = await reading.page_image(
        opened.share,
        services_of(request).store,
        doc_id_param(request),
        request.path_params["kind"],
        request.path_params["number"],
    )
    return FileResponse(path, media_type=media, headers={"cache-control": "private, no-store"})


async def shl_manifest(request: Request) -> Response:
    """The SMART Health Link manifest: POST {recipient, passcode} as the IG says; CORS-open."""
    if request.method == "OPTIONS":
        headers = {
            **CORS,
            "access-control-allow-methods": "POST",
            "access-control-allow-headers": "content-type",
            "access-control-max-age": "600",
        }
        return Response(status_code=204, headers=headers)
    try:
        opened = await links.open_link(request.path_params["token"])
    except ShareGone:
        return JSONResponse({"error": ShareGone.user_message}, status_code=404, headers=CORS)
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    status, answer, headers = await manifest.answer(
        opened, vault_of(request), body, **_client(request)
    )
    return JSONResponse(answer, status_code=status, headers={**CORS, **headers})


routes = [
    Route("/s/{token}", share_page, methods=["GET"]),
    Route("/s/{token}", passcode_submit, methods=["POST"]),
    Route("/s/{token}/documents/{doc_id}", shared_document, methods=["GET"]),
    Route("/s/{token}/documents/{doc_id}/{kind:str}/{number:int}", shared_page_image),
    Route("/shl/{token}/manifest", shl_manifest, methods=["POST", "OPTIONS"]),
]
