"""Review routes: confirm, correct or reject extracted facts quickly, and enter facts by hand.

Every action is a plain form POST (no JavaScript needed: it redirects back to the review
page); with htmx the fact's row is swapped in place, and `static/review.js` adds the keys
j/k (move), c (confirm), x (reject), e (correct), u (undo) and n (new fact).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ocr.facts.confidence import needs_review
from ocr.facts.units import same
from server.access.policy import Caller
from server.access.scope import profile_for
from server.facts import fields as F
from server.facts import numbers, service
from server.facts.fields import FieldError
from server.facts.service import FactGone
from server.web._common import caller_of, doc_id_param, is_htmx, local_path, render


async def review_page(request: Request) -> Response:
    caller = caller_of(request)
    everything = request.query_params.get("show") == "all"
    context = await service.review(
        caller, request.path_params["slug"], everything=everything, page=_page(request)
    )
    for doc in context["documents"]:
        shown = [_shown(f) for f in doc["facts"]]
        # Low-confidence facts first: they are the ones a person must look at.
        doc["facts"] = sorted(shown, key=lambda f: not f["weak"])
        doc["open"] = sum(1 for f in shown if f["status"] == "extracted")
        doc["weak"] = [f for f in shown if f["weak"]]
    context["manual"] = [_shown(f) for f in context["manual"]]
    context["back"] = str(request.url.path) + ("?show=all" if everything else "")
    return render(request, "facts/review.html", context)


async def fact_row(request: Request) -> Response:
    """The fact's row on the review page (htmx), or the review page at that fact."""
    caller = caller_of(request)
    fact = await service.fact_for(caller, _fact_id(request), "edit")
    if not is_htmx(request):
        return RedirectResponse(await _review_url(caller, fact), status_code=303)
    return await _row(request, fact)


async def confirm(request: Request) -> Response:
    return await _act(request, service.confirm)


async def reject(request: Request) -> Response:
    return await _act(request, service.reject)


async def reopen(request: Request) -> Response:
    return await _act(request, service.reopen)


async def keep_apart(request: Request) -> Response:
    """ "These are different": split the fact off the result it was merged into."""
    return await _act(request, service.keep_apart)


async def confirm_document(request: Request) -> Response:
    """Confirm every unreviewed fact of a document; weak ones only when ticked (`include`)."""
    caller = caller_of(request)
    form = await request.form()
    include = [int(str(v)) for v in form.getlist("include") if str(v).isdigit()]
    await service.confirm_document(caller, doc_id_param(request), include=include, request=request)
    return RedirectResponse(local_path(str(form.get("back", ""))), status_code=303)


async def reject_document(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    await service.reject_document(caller, doc_id_param(request), request=request)
    return RedirectResponse(local_path(str(form.get("back", ""))), status_code=303)


async def change_kind(request: Request) -> Response:
    """File the fact as another kind (a "lab" that is a medication)."""
    caller = caller_of(request)
    form = await request.form()
    try:
        fact = await service.change_kind(
            caller, _fact_id(request), str(form.get("kind", "")), request
        )
    except FieldError as exc:
        raise HTTPException(400, exc.user_message) from None
    return await _done(request, form, _shown(fact))


async def _act(request: Request, action: Any) -> Response:
    caller = caller_of(request)
    form = await request.form()
    try:
        fact = await action(caller, _fact_id(request), request, str(form.get("key", "") or ""))
    except FactGone as exc:
        raise HTTPException(409, exc.user_message) from None
    return await _done(request, form, fact)


async def _done(request: Request, form: Any, fact: dict[str, Any]) -> Response:
    """After a change: the fact's new row for htmx, else back to where the form came from."""
    if is_htmx(request):
        return await _row(request, fact)
    return RedirectResponse(await _back(caller_of(request), form, fact), status_code=303)


async def edit_form(request: Request) -> Response:
    caller = caller_of(request)
    fact = await service.fact_for(caller, _fact_id(request), "edit")
    return await _edit(request, fact, F.current(fact), None, request.query_params.get("back") or "")


async def correct(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    try:
        fact = await service.correct(caller, _fact_id(request), form, request)
    except FieldError as exc:
        fact = await service.fact_for(caller, _fact_id(request), "edit")
        values = {k: str(form.get(k, "")) for k in F.FIELDS[fact["kind"]]}
        return await _edit(request, fact, values, exc, str(form.get("back", "")))
    except FactGone as exc:
        raise HTTPException(409, exc.user_message) from None
    return await _done(request, form, fact)


async def new_form(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "edit")
    kind = request.query_params.get("kind", "lab")
    if kind not in F.FACT_KINDS:
        kind = "lab"
    return _new(request, profile, kind, {}, None)


async def create(request: Request) -> Response:
    caller = caller_of(request)
    slug = request.path_params["slug"]
    profile = await profile_for(caller, slug, "edit")
    form = await request.form()
    kind = str(form.get("kind", ""))
    try:
        fact = await service.enter(caller, slug, kind, form, request)
    except FieldError as exc:
        shown_kind = kind if kind in F.FACT_KINDS else "lab"
        return _new(request, profile, shown_kind, dict(form), exc, status_code=400)
    return RedirectResponse(
        f"/profiles/{profile['slug']}/review?show=all#fact-{fact['id']}", status_code=303
    )


def _new(
    request: Request,
    profile: Mapping[str, Any],
    kind: str,
    values: Mapping[str, Any],
    error: FieldError | None,
    status_code: int = 200,
) -> Response:
    context = {
        "profile": profile,
        "kind": kind,
        "kinds": F.KIND_LABELS,
        "fields": _fields(kind, values, error),
        "error": error,
    }
    return render(request, "facts/new.html", context, status_code=status_code)


async def _edit(
    request: Request,
    fact: dict[str, Any],
    values: Mapping[str, str],
    error: FieldError | None,
    back: str,
) -> Response:
    caller = caller_of(request)
    context = {
        "fact": _shown(fact),
        "fields": _fields(fact["kind"], values, error),
        "error": error,
        "back": local_path(back, "") or await _review_url(caller, fact),
        "profile": await service.profile_of(caller, fact),
    }
    # htmx swaps only successful answers: a refused correction comes back as the form, 200.
    status = 400 if error and not is_htmx(request) else 200
    page, partial = "facts/edit.html", "facts/_edit.html"
    return render(request, page, context, partial=partial, status_code=status)


def _fields(kind: str, values: Mapping[str, Any], error: FieldError | None) -> list[dict[str, Any]]:
    out = []
    for name in F.FIELDS[kind]:
        choices: tuple[str, ...] = ()
        if name == "state":
            choices = F.STATES[kind]
        elif name == "flag":
            choices = F.FLAGS
        out.append(
            {
                "name": name,
                "label": F.LABELS[name],
                "value": str(values.get(name, "") or ""),
                "choices": choices,
                "type": "date" if name == "date" else "text",
                "error": error.user_message if error and error.field == name else "",
            }
        )
    return out


async def _row(request: Request, fact: dict[str, Any]) -> Response:
    caller = caller_of(request)
    fact = await service.with_crop(caller, fact)
    context = {"f": _shown(fact), "can_edit": True, "back": await _review_url(caller, fact)}
    return render(request, "facts/_fact.html", context)


def _shown(fact: dict[str, Any]) -> dict[str, Any]:
    """Add what the row shows: the value as a person reads it, and the printed one."""
    data = fact.get("data") or {}
    corrected = fact.get("corrected") or {}
    value = fact.get("value_text") or ""
    unit = fact.get("unit") or ""
    printed_unit = str(data.get("unit") or "")
    printed = ""
    if (
        fact["kind"] in ("lab", "vital")
        and fact.get("value_num") is not None
        and printed_unit
        and "unit" not in corrected
        and not same(printed_unit, unit)
    ):
        printed = f"{value} {printed_unit}"
        value = numbers.converted(float(fact["value_num"]), value)
    fact["shown"] = f"{value} {unit}".strip()
    fact["printed"] = printed
    fact["kind_label"] = F.KIND_LABELS.get(fact["kind"], fact["kind"])
    fact["kinds"] = F.KIND_LABELS
    fact["weak"] = fact["status"] == "extracted" and needs_review(fact.get("confidence"))
    return fact


async def _review_url(caller: Caller, fact: Mapping[str, Any]) -> str:
    slug = (await service.profile_of(caller, fact))["slug"]
    show = "" if fact["status"] == "extracted" else "?show=all"
    return f"/profiles/{slug}/review{show}#fact-{fact['id']}"


async def _back(caller: Caller, form: Any, fact: Mapping[str, Any]) -> str:
    back = str(form.get("back", "") or "")
    if local_path(back, ""):
        return back.split("#")[0] + f"#fact-{fact['id']}"
    return await _review_url(caller, fact)


def _page(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


def _fact_id(request: Request) -> int:
    try:
        return int(request.path_params["fact_id"])
    except ValueError:
        raise HTTPException(404, "No such fact.") from None


routes = [
    Route("/profiles/{slug}/review", review_page, methods=["GET"]),
    Route("/profiles/{slug}/facts/new", new_form, methods=["GET"]),
    Route("/profiles/{slug}/facts", create, methods=["POST"]),
    Route("/facts/{fact_id}", fact_row, methods=["GET"]),
    Route("/facts/{fact_id}/edit", edit_form, methods=["GET"]),
    Route("/facts/{fact_id}/correct", correct, methods=["POST"]),
    Route("/facts/{fact_id}/confirm", confirm, methods=["POST"]),
    Route("/facts/{fact_id}/reject", reject, methods=["POST"]),
    Route("/facts/{fact_id}/reopen", reopen, methods=["POST"]),
    Route("/facts/{fact_id}/kind", change_kind, methods=["POST"]),
    Route("/facts/{fact_id}/apart", keep_apart, methods=["POST"]),
    Route("/documents/{doc_id}/facts/confirm", confirm_document, methods=["POST"]),
    Route("/documents/{doc_id}/facts/reject", reject_document, methods=["POST"]),
]
