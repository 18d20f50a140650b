"""Profile routes: the people whose records are kept, their documents, grants and audit."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.access.policy import ROLES, AccessDenied
from server.access.scope import profile_for, profiles_for
from server.people import household
from server.people.household import HouseholdError
from server.web._common import caller_of, done, list_context, render, services_of


async def profile_list(request: Request) -> Response:
    caller = caller_of(request)
    rows = await profiles_for(caller, "view")
    for r in rows:
        r["role"] = caller.role(r["id"])
    return render(request, "profiles/list.html", {"profiles": rows})


async def profile_create(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    try:
        name = str(form.get("display_name", ""))
        slug = household.slugify(str(form.get("slug", "")) or name)
        inbox = services_of(request).settings.inbox_dir
        if not caller.is_admin and await household.slug_in_use_by_sources(slug, inbox):
            raise HouseholdError(
                f"Documents already arrive for {slug!r} (an inbox or WebDAV folder): only an "
                "admin can make that profile. Choose another short name."
            )
        profile = await household.add_profile(
            name,
            dob=household.parse_dob(str(form.get("date_of_birth", ""))),
            slug=slug or None,
            owner_id=caller.user_id,
            filing_target=caller.is_admin,
        )
    except HouseholdError as exc:
        rows = await profiles_for(caller, "view")
        context = {"profiles": rows, "error": exc.user_message, "form": form}
        return render(request, "profiles/list.html", context, status_code=400)
    await audit.record("profile_created", caller=caller, request=request, profile=profile["id"])
    return RedirectResponse(f"/profiles/{profile['slug']}", status_code=303)


async def profile_filing(request: Request) -> Response:
    """An admin confirms the profile as a target of automatic filing, or withdraws it."""
    caller = caller_of(request)
    form = await request.form()
    on = str(form.get("filing_target", "")) == "on"
    # An admin's act on the household, not on anyone's records (it opens none).
    profile = await household.set_filing_target(caller, request.path_params["slug"], on)
    kind = "profile_filing_confirmed" if on else "profile_filing_withdrawn"
    await audit.record(kind, caller=caller, request=request, profile=profile["id"])
    return RedirectResponse("/triage", status_code=303)


async def profile_page(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "view")
    context = await list_context(request, profile)
    context["role"] = caller.role(profile["id"])
    return render(request, "profiles/detail.html", context, partial="documents/_table.html")


async def profile_settings(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "manage")
    return render(request, "profiles/settings.html", await _settings_context(profile))


async def _settings_context(profile: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "profile": profile,
        "grants": (grants := await household.grants_of(profile["id"])),
        "granted": {g["username"]: g["role"] for g in grants},
        "users": await household.active_users(),
        "roles": ROLES,
        "events": await audit.profile_events(profile["id"]),
        **extra,
    }


async def profile_update(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "manage")
    form = await request.form()
    try:
        name, dob = await household.update_profile(
            caller,
            profile["id"],
            display_name=str(form.get("display_name", "")),
            date_of_birth=str(form.get("date_of_birth", "")),
            linked_user=str(form.get("linked_user", "")),
        )
    except HouseholdError as exc:
        context = await _settings_context(profile, error=exc.user_message)
        return render(request, "profiles/settings.html", context, status_code=400)
    await audit.record(
        "profile_changed",
        caller=caller,
        request=request,
        profile=profile["id"],
        display_name=name,
        date_of_birth=str(dob or ""),
    )
    return done(request, f"/profiles/{profile['slug']}/settings", "Saved.")


async def grant_add(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "grant")
    form = await request.form()
    try:
        username, role = str(form.get("username", "")), str(form.get("role", ""))
        if not username or not role:
            raise HouseholdError("Choose a person and what they may do.")
        user = await household.user_by_name(username)
        old = await household.grant(user["id"], profile["id"], role)
    except HouseholdError as exc:
        context = await _settings_context(profile, error=exc.user_message)
        return render(request, "profiles/settings.html", context, status_code=400)
    await audit.record(
        "grant_changed",
        caller=caller,
        request=request,
        profile=profile["id"],
        subject=user["username"],
        role=role,
        previous=old,
    )
    who = user.get("display_name") or user["username"]
    message = f"{who} can now see {profile['display_name']}'s records as {role}."
    return done(request, f"/profiles/{profile['slug']}/settings", message)


async def grant_revoke(request: Request) -> Response:
    caller = caller_of(request)
    profile = await profile_for(caller, request.path_params["slug"], "grant")
    try:
        user_id = int(request.path_params["user_id"])
        old = await household.revoke(user_id, profile["id"])
    except (ValueError, HouseholdError) as exc:
        message = getattr(exc, "user_message", "No such user.")
        context = await _settings_context(profile, error=message)
        return render(request, "profiles/settings.html", context, status_code=400)
    if old is None:
        raise AccessDenied("That user has no role on this profile.", 404)
    username = await household.username_of(user_id)
    await audit.record(
        "grant_revoked",
        caller=caller,
        request=request,
        profile=profile["id"],
        subject=username or str(user_id),
        previous=old,
    )
    message = f"{username or 'That user'} no longer sees {profile['display_name']}'s records."
    if user_id == caller.user_id:
        return done(request, "/profiles", message)
    return done(request, f"/profiles/{profile['slug']}/settings", message)


routes = [
    Route("/profiles", profile_list, methods=["GET"]),
    Route("/profiles", profile_create, methods=["POST"]),
    Route("/profiles/{slug}", profile_page, methods=["GET"]),
    Route("/profiles/{slug}/settings", profile_settings, methods=["GET"]),
    Route("/profiles/{slug}/settings", profile_update, methods=["POST"]),
    Route("/profiles/{slug}/filing", profile_filing, methods=["POST"]),
    Route("/profiles/{slug}/grants", grant_add, methods=["POST"]),
    Route("/profiles/{slug}/grants/{user_id}/revoke", grant_revoke, methods=["POST"]),
]
