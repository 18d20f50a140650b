"""The home page: each person the caller cares for, with what is new and what needs them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.documents import home as home_feature
from server.web._common import caller_of, render


async def home(request: Request) -> Response:
    caller = caller_of(request)
    people = await home_feature.overview(caller)
    context = {"people": people, "days": home_feature.RECENT_DAYS}
    return render(request, "home/home.html", context)


routes = [Route("/", home, methods=["GET"])]
