"""The one web handler of `KinchartError`: its status, its message, a page or JSON."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.access.policy import AccessDenied
from server.app import kinchart_error
from server.db.engine import DatabaseError
from server.errors import KinchartError
from server.people.household import HouseholdError, NotInHousehold
from server.web._common import LoginRequired

RAISED: dict[str, KinchartError] = {
    "household": HouseholdError("A profile needs a name."),
    "missing": NotInHousehold("There is no profile 'nope'."),
    "hidden": AccessDenied("No such document.", 404),
    "refused": AccessDenied("Your role on this profile does not allow this.", 403),
    "database": DatabaseError("Cannot connect to PostgreSQL: refused"),
    "login": LoginRequired(),
}


async def _raise(request: Request) -> Response:
    raise RAISED[request.path_params["name"]]


def _client() -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/pages/{name}", _raise), Route("/api/{name}", _raise)],
        exception_handlers={KinchartError: kinchart_error},
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("name", "status"),
    [("household", 400), ("missing", 404), ("hidden", 404), ("refused", 403), ("database", 503)],
)
async def test_an_error_becomes_its_status_and_message(name: str, status: int) -> None:
    async with _client() as client:
        page = await client.get(f"/pages/{name}")
        assert page.status_code == status
        assert RAISED[name].user_message.replace("'", "&#39;") in page.text
        assert "<html" in page.text.lower()
        api = await client.get(f"/api/{name}")
    assert api.status_code == status
    assert api.json()["detail"] == RAISED[name].user_message


@pytest.mark.nodb
async def test_login_required_sends_a_browser_to_the_login_page() -> None:
    async with _client() as client:
        r = await client.get("/pages/login")
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/pages/login"
        htmx = await client.get("/pages/login", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["hx-redirect"].startswith("/login")
