"""A profile's Sharing page (its owners and caregivers): make share links, see who opened them,
revoke and unlock them, print one with its QR code; and the emergency card."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from server.access.policy import AccessDenied
from server.access.scope import profile_for
from server.health.records import profile_documents
from server.shares import emergency, links, printable, qr
from server.shares.links import ShareError
from server.vault import Vault, vault_at
from server.web._common import caller_of, render, services_of


def _vault_of(request: Request) -> Vault:
    return vault_at(services_of(request).settings.data_dir)


def base_url(request: Request) -> str:
    """KINCHART_BASE_URL, else the address this request came in on."""
    configured = services_of(request).settings.base_url
    return configured.rstrip("/") if configured else str(request.base_url).rstrip("/")


def _share_id(request: Request) -> int:
    try:
        return int(request.path_params["share_id"])
    except ValueError:
        raise HTTPException(404, "No such share link.") from None


async def _profile(request: Request) -> dict[str, Any]:
    return await profile_for(caller_of(request), request.path_params["slug"], "share")


async def _link(request: Request, profile: dict[str, Any]) -> dict[str, Any]:
    row = await links.managed(caller_of(request), _share_id(request))
    if row["profile"] != profile["id"]:
        raise AccessDenied("No such share link.", 404)
    return row


def _with_addresses(request: Request, row: dict[str, Any]) -> dict[str, Any]:
    made = links.links(row, _vault_of(request), base_url(request))
    return {**row, "links": made, "qr": Markup(qr.svg(made.full))}


async def _sharing_page(
    request: Request, profile: dict[str, Any], status: int = 200, **extra: Any
) -> Response:
    caller = caller_of(request)
    rows = await links.listing(caller, profile["id"])
    documents = await profile_documents(profile["id"])
    context = {
        "profile": profile,
        "links": rows,
        "documents": documents,
        "section": "sharing",
        "form": {},
        **extra,
    }
    return render(request, "shares/sharing.html", context, status_code=status)


async def sharing_page(request: Request) -> Response:
    return await _sharing_page(request, await _profile(request))


async def create_link(request: Request) -> Response:
    caller = caller_of(request)
    profile = await _profile(request)
    form = await request.form()
    expires = str(form.get("expires", "7d"))
    if expires == "date":
        expires = str(form.get("expires_date", ""))
    try:
        chosen = [int(str(d)) for d in form.getlist("document")]
        row, _token = await links.create(
            caller,
            _vault_of(request),
            profile["id"],
            label=str(form.get("label", "")),
            expires=expires,
            passcode=str(form.get("passcode", "")),
            documents=chosen,
            labs=form.get("labs") == "on",
            vitals=form.get("vitals") == "on",
            request=request,
        )
    except (ShareError, ValueError) as exc:
        message = exc.user_message if isinstance(exc, ShareError) else "Choose documents."
        return await _sharing_page(request, profile, 400, error=message, form=dict(form))
    return RedirectResponse(
        f"/profiles/{profile['slug']}/sharing/{row['id']}?new=1", status_code=303
    )


async def link_page(request: Request) -> Response:
    profile = await _profile(request)
    row = await _link(request, profile)
    context = {
        "profile": profile,
        "link": _with_addresses(request, row),
        "log": await links.view_log(caller_of(request), row["id"]),
        "new": request.query_params.get("new") == "1",
        "section": "sharing",
    }
    return render(request, "shares/link.html", context)


async def print_link(request: Request) -> Response:
    profile = await _profile(request)
    row = await _link(request, profile)
    context = {"profile": profile, "link": _with_addresses(request, row)}
    return render(request, "shares/print.html", context)


async def link_pdf(request: Request) -> Response:
    """The printed summary (PDF) with this link's QR code, to hand to a clinician on paper."""
    profile = await _profile(request)
    row = await _link(request, profile)
    if row["status"] not in ("live", "locked"):
        raise HTTPException(404, "This link no longer opens: make a new one to print.")
    made = links.links(row, _vault_of(request), base_url(request))
    size = "letter" if request.query_params.get("size") == "letter" else "a4"
    pdf = await printable.summary_pdf(profile["id"], share_url=made.full, page_size=size)
    name = f"{profile['slug']}-summary-link-{row['id']}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="{name}"'},
    )


async def revoke_link(request: Request) -> Response:
    profile = await _profile(request)
    row = await _link(request, profile)
    await links.revoke(caller_of(request), row["id"], request)
    return RedirectResponse(f"/profiles/{profile['slug']}/sharing/{row['id']}", status_code=303)


async def unlock_link(request: Request) -> Response:
    profile = await _profile(request)
    row = await _link(request, profile)
    await links.unlock(caller_of(request), row["id"], request)
    return RedirectResponse(f"/profiles/{profile['slug']}/sharing/{row['id']}", status_code=303)


async def emergency_page(request: Request, status: int = 200, **extra: Any) -> Response:
    caller = caller_of(request)
    profile = await _profile(request)
    card = await emergency.card(caller, profile["id"])
    link = _with_addresses(request, card.link) if card.link else None
    context = {
        "profile": profile,
        "card": card,
        "link": link,
        "blood_types": emergency.BLOOD_TYPES,
        "may_edit": caller.may("edit", profile["id"]),
        "section": "sharing",
        **extra,
    }
    return render(request, "shares/emergency.html", context, status_code=status)


async def emergency_details(request: Request) -> Response:
    caller = caller_of(request)
    profile = await _profile(request)
    form = await request.form()
    try:
        await emergency.set_details(
            caller,
            profile["id"],
            str(form.get("blood_type", "")),
            str(form.get("emergency_contacts", "")),
            request,
        )
    except ShareError as exc:
        return await emergency_page(request, 400, error=exc.user_message)
    return RedirectResponse(f"/profiles/{profile['slug']}/emergency", status_code=303)


async def emergency_link(request: Request) -> Response:
    caller = caller_of(request)
    profile = await _profile(request)
    form = await request.form()
    try:
        await emergency.make_link(
            caller,
            _vault_of(request),
            profile["id"],
            passcode=str(form.get("passcode", "")),
            request=request,
        )
    except ShareError as exc:
        return await emergency_page(request, 400, error=exc.user_message)
    return RedirectResponse(f"/profiles/{profile['slug']}/emergency", status_code=303)


routes = [
    Route("/profiles/{slug}/sharing", sharing_page, methods=["GET"]),
    Route("/profiles/{slug}/sharing", create_link, methods=["POST"]),
    Route("/profiles/{slug}/sharing/{share_id}", link_page, methods=["GET"]),
    Route("/profiles/{slug}/sharing/{share_id}/print", print_link, methods=["GET"]),
    Route("/profiles/{slug}/sharing/{share_id}/summary.pdf", link_pdf, methods=["GET"]),
    Route("/profiles/{slug}/sharing/{share_id}/revoke", revoke_link, methods=["POST"]),
    Route("/profiles/{slug}/sharing/{share_id}/unlock", unlock_link, methods=["POST"]),
    Route("/profiles/{slug}/emergency", emergency_page, methods=["GET"]),
    Route("/profiles/{slug}/emergency", emergency_details, methods=["POST"]),
    Route("/profiles/{slug}/emergency/link", emergency_link, methods=["POST"]),
]
