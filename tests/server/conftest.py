from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from server.app import create_app
from server.runtime import Services
from server.settings import Settings
from tests.fixtures.people import Household, make_household


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings, workers=False, watcher=False)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def app_services(app: Starlette) -> Services:
    services: Services = app.state.services
    return services


@pytest.fixture
async def household(app_services: Services) -> Household:
    return await make_household(app_services.store)


def new_client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000"
    )


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as c:
        yield c
