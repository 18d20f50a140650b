"""First-run setup, login and logout, and the user's own account page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from server.access import audit
from server.db.engine import write_transaction
from server.db.tables import Session, User
from server.people.auth import (
    AuthError,
    clean_username,
    create_session,
    end_all_sessions,
    end_session,
    hash_password,
    login_blocked,
    verify_password,
)
from server.runtime import Services
from server.web import tokens as api_tokens
from server.web._common import caller_of, render
from server.web._security import SESSION_COOKIE, cookie


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def _start_session(request: Request, user: dict[str, Any], to: str) -> Response:
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await end_session(old)  # a fresh token at every login: no session fixation
    token, _csrf = await create_session(
        user["id"], audit.client_ip(request), request.headers.get("user-agent", "")
    )
    settings = _services(request).settings
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
    return response


async def setup(request: Request) -> Response:
    if await User.exists().where(User.is_admin == True):  # noqa: E712
        return RedirectResponse("/login", status_code=303)
    if request.method == "GET":
        return render(request, "accounts/setup.html", {})
    form = await request.form()
    try:
        username = clean_username(str(form.get("username", "")))
        password = str(form.get("password", ""))
        if password != str(form.get("password2", "")):
            raise AuthError("The two passwords are not the same.")
        password_hash = hash_password(password)
    except AuthError as exc:
        context = {"error": exc.user_message, "username": form.get("username", "")}
        return render(request, "accounts/setup.html", context, status_code=400)
    engine = _services(request).engine
    async with write_transaction(engine):
        if await User.exists().where(User.is_admin == True):  # noqa: E712
            return RedirectResponse("/login", status_code=303)
        rows = await User.insert(
            User(
                username=username,
                display_name=str(form.get("display_name", "")).strip()[:100] or username,
                password_hash=password_hash,
                is_admin=True,
            )
        ).returning(*User.all_columns())
    await audit.record("admin_created", request=request, actor_name=username, subject=username)
    return await _start_session(request, rows[0], "/")


async def login(request: Request) -> Response:
    next_url = _safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return render(request, "accounts/login.html", {"next": next_url})
    form = await request.form()
    username = str(form.get("username", "")).strip().lower()[:64]
    password = str(form.get("password", ""))
    next_url = _safe_next(str(form.get("next", "")) or next_url)
    ip = audit.client_ip(request)
    context: dict[str, Any] = {"next": next_url, "username": username}
    if await login_blocked(username, ip):
        await audit.record("login_blocked", request=request, actor_name=username, subject=username)
        context["error"] = "Too many failed attempts. Wait 15 minutes and try again."
        return render(request, "accounts/login.html", context, status_code=429)
    user = await User.select().where(User.username == username).first()
    usable = user is not None and not user["disabled"]
    ok, new_hash = verify_password(user["password_hash"] if usable and user else None, password)
    if not ok or user is None:
        await audit.record("login_failed", request=request, actor_name=username, subject=username)
        # One message for unknown user, wrong password and disabled account.
        context["error"] = "Wrong username or password."
        return render(request, "accounts/login.html", context, status_code=401)
    if new_hash:
        await User.update({User.password_hash: new_hash}).where(User.id == user["id"])
    await audit.record("login", request=request, actor_name=username, subject=username)
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
    sessions = await Session.count().where(Session.user == caller.user_id)
    context = {"sessions": sessions, **await api_tokens.listing(caller)}
    return render(request, "accounts/account.html", context)


async def change_password(request: Request) -> Response:
    caller = caller_of(request)
    form = await request.form()
    user = await User.select(User.password_hash).where(User.id == caller.user_id).first()
    assert user is not None
    ok, _ = verify_password(user["password_hash"], str(form.get("current", "")))
    context: dict[str, Any] = {
        "sessions": await Session.count().where(Session.user == caller.user_id),
        **await api_tokens.listing(caller),
    }
    try:
        if not ok:
            raise AuthError("The current password is not right.")
        if form.get("password") != form.get("password2"):
            raise AuthError("The two new passwords are not the same.")
        new_hash = hash_password(str(form.get("password", "")))
    except AuthError as exc:
        context["error"] = exc.user_message
        return render(request, "accounts/account.html", context, status_code=400)
    await User.update({User.password_hash: new_hash}).where(User.id == caller.user_id)
    # Every browser logged in with the old password is logged out; this one gets a new login.
    await end_all_sessions(caller.user_id)
    await audit.record("password_changed", caller=caller, request=request, subject=caller.username)
    user_row = await User.select().where(User.id == caller.user_id).first()
    assert user_row is not None
    return await _start_session(request, user_row, "/account?changed=1")


async def logout_everywhere(request: Request) -> Response:
    caller = caller_of(request)
    n = await end_all_sessions(caller.user_id)
    await audit.record("logout_all", caller=caller, request=request, subject=caller.username, n=n)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


routes = [
    Route("/setup", setup, methods=["GET", "POST"]),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/account", account, methods=["GET"]),
    Route("/account/password", change_password, methods=["POST"]),
    Route("/account/logout-all", logout_everywhere, methods=["POST"]),
]
