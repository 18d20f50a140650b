"""First-run setup, login and logout, and the user's own account page."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.appointments import feed as calendar
from server.people import accounts
from server.people.auth import (
    AuthBusy,
    AuthError,
    clean_username,
    create_session,
    end_all_sessions,
    end_session,
    hash_password_async,
)
from server.sources.vault import Vault, VaultError
from server.web._common import caller_of, done, is_loopback, local_path, render, services_of
from server.web._security import SESSION_COOKIE, cookie

# A browser that logged in carries a known-device cookie: the user's id, a random device id and
# when it was issued, encrypted and signed (Fernet) with the server's key. A correct password
# from it gets through the delays others caused (see accounts.password_login); "log out
# everywhere", a password change or reset and disabling the account forget it
# (User.devices_since).
DEVICE_COOKIE = "kinchart_device"
DEVICE_DAYS = 400


def _vault(request: Request) -> Vault:
    return Vault(services_of(request).settings.data_dir)


def _device_cookie(request: Request, user_id: int) -> str:
    payload = {"u": user_id, "d": secrets.token_urlsafe(12), "t": time.time()}
    return cookie(
        DEVICE_COOKIE,
        _vault(request).encrypt(json.dumps(payload)),
        secure=bool(request.scope.get("kinchart.https")),
        max_age=DEVICE_DAYS * 86400,
    )


def _device_of(request: Request) -> accounts.DeviceClaim | None:
    """What the browser's device cookie says, if it carries one this server signed."""
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > 400:
        return None
    try:
        data = json.loads(_vault(request).decrypt(raw))
        return accounts.DeviceClaim(int(data["u"]), str(data["d"]), float(data["t"]))
    except (VaultError, ValueError, TypeError, KeyError):
        return None


def _throttled(
    request: Request, template: str, context: dict[str, Any], exc: accounts.LoginThrottled
) -> Response:
    context["error"] = exc.user_message
    response = render(request, template, context, status_code=429)
    response.headers["retry-after"] = str(exc.retry_after)
    return response


async def _start_session(request: Request, user: dict[str, Any], to: str) -> Response:
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await end_session(old)  # a fresh token at every login: no session fixation
    token, _csrf = await create_session(
        user["id"], audit.client_ip(request), request.headers.get("user-agent", "")
    )
    settings = services_of(request).settings
    response = RedirectResponse(to, status_code=303)
    response.headers.append(
        "set-cookie",
        cookie(
            SESSION_COOKIE,
            token,
            secure=bool(request.scope.get("kinchart.https")),
            max_age=settings.session_max_days * 86400,
        ),
    )
    response.headers.append("set-cookie", _device_cookie(request, user["id"]))
    return response


async def setup(request: Request) -> Response:
    if await accounts.admin_exists():
        return RedirectResponse("/login", status_code=303)
    form = await request.form() if request.method == "POST" else None
    posted = str(form.get("token", "") or "") if form is not None else ""
    token = posted or request.query_params.get("token", "")
    expected = getattr(request.app.state, "setup_token", None)
    if not is_loopback(audit.client_ip(request)) and (
        not expected or not secrets.compare_digest(token, expected)
    ):
        context: dict[str, Any] = {"token_needed": True}
        return render(request, "accounts/setup.html", context, status_code=403)
    if form is None:
        return render(request, "accounts/setup.html", {"token": token})
    try:
        username = clean_username(str(form.get("username", "")))
        password = str(form.get("password", ""))
        if password != str(form.get("password2", "")):
            raise AuthError("The two passwords are not the same.")
        password_hash = await hash_password_async(password)
    except AuthError as exc:
        context = {"error": exc.user_message, "username": form.get("username", ""), "token": token}
        return render(request, "accounts/setup.html", context, status_code=400)
    admin = await accounts.create_first_admin(
        services_of(request).engine, username, str(form.get("display_name", "")), password_hash
    )
    if admin is None:
        return RedirectResponse("/login", status_code=303)
    await audit.record("admin_created", request=request, actor_name=username, subject=username)
    return await _start_session(request, admin, "/")


async def login(request: Request) -> Response:
    next_url = local_path(request.query_params.get("next"))
    if request.method == "GET":
        return render(request, "accounts/login.html", {"next": next_url})
    form = await request.form()
    username = str(form.get("username", "")).strip().lower()[:64]
    password = str(form.get("password", ""))
    next_url = local_path(str(form.get("next", "")) or next_url)
    context: dict[str, Any] = {"next": next_url, "username": username}
    try:
        user = await accounts.password_login(username, password, request, _device_of(request))
    except accounts.LoginThrottled as exc:
        return _throttled(request, "accounts/login.html", context, exc)
    except AuthBusy as exc:
        context["error"] = exc.user_message
        return render(request, "accounts/login.html", context, status_code=503)
    if user is None:
        # One message for unknown user, wrong password and disabled account.
        context["error"] = "Wrong username or password."
        return render(request, "accounts/login.html", context, status_code=401)
    return await _start_session(request, user, next_url)


async def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    caller = request.scope.get("kinchart.caller")
    if token:
        await end_session(token)
    if caller is not None:
        await audit.record("logout", caller=caller, request=request, subject=caller.username)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def account(request: Request) -> Response:
    caller = caller_of(request)
    context = await accounts.overview(caller)
    context["calendar_feed"] = await calendar.status(caller)
    return render(request, "accounts/account.html", context)


async def change_password(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    try:
        user = await accounts.change_password(
            caller,
            str(form.get("current", "")),
            str(form.get("password", "")),
            str(form.get("password2", "")),
            request,
            _device_of(request),
        )
    except accounts.LoginThrottled as exc:
        context = await accounts.overview(caller)
        return _throttled(request, "accounts/account.html", context, exc)
    except AuthError as exc:
        context = {**await accounts.overview(caller), "error": exc.user_message}
        status = 503 if isinstance(exc, AuthBusy) else 400
        return render(request, "accounts/account.html", context, status_code=status)
    await audit.record("password_changed", caller=caller, request=request, subject=caller.username)
    # Every browser logged in with the old password is logged out; this one gets a new login.
    return await _start_session(request, user, "/account?changed=1")


async def preferences(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    try:
        name = await accounts.set_preferences(
            caller, str(form.get("display_name", "")), str(form.get("date_format", ""))
        )
    except AuthError as exc:
        context = {**await accounts.overview(caller), "error": exc.user_message}
        return render(request, "accounts/account.html", context, status_code=400)
    await audit.record(
        "account_changed",
        caller=caller,
        request=request,
        subject=caller.username,
        display_name=name,
        date_format=str(form.get("date_format", "")),
    )
    return done(request, "/account", "Saved: your name and how dates are written.")


async def logout_everywhere(request: Request) -> Response:
    caller = caller_of(request)
    n = await end_all_sessions(caller.user_id)
    await audit.record("logout_all", caller=caller, request=request, subject=caller.username, n=n)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(DEVICE_COOKIE, path="/")
    return response


routes = [
    Route("/setup", setup, methods=["GET", "POST"]),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/account", account, methods=["GET"]),
    Route("/account/password", change_password, methods=["POST"]),
    Route("/account/preferences", preferences, methods=["POST"]),
    Route("/account/logout-all", logout_everywhere, methods=["POST"]),
]
