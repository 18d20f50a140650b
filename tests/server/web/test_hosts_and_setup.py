"""Host names and first-run setup (issue 11, finding 8): a DNS-rebinding page gets no answer,
and whoever reaches a fresh server over the network first cannot make themselves admin."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from server.app import create_app
from server.db.tables import User
from server.settings import Settings
from tests.fixtures.people import csrf_from


@pytest.fixture
async def fresh(settings: Settings) -> AsyncIterator[Starlette]:
    app = create_app(
        dataclasses.replace(settings, allowed_hosts="nas.local"), workers=False, watcher=False
    )
    async with app.router.lifespan_context(app):
        yield app


def _client(app: Starlette, ip: str, host: str = "127.0.0.1:8000") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 5000))
    return httpx.AsyncClient(transport=transport, base_url=f"http://{host}")


@pytest.mark.parametrize(
    ("host", "status"),
    [("127.0.0.1:8000", 200), ("localhost:8000", 200), ("nas.local", 200), ("evil.example", 400)],
)
async def test_only_known_host_names_are_answered(fresh: Starlette, host: str, status: int) -> None:
    async with _client(fresh, "127.0.0.1", host) as client:
        assert (await client.get("/healthz")).status_code == status


async def test_setup_from_the_network_needs_the_token_from_the_log(
    fresh: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    token = fresh.state.setup_token
    assert token
    async with _client(fresh, "192.0.2.10", "nas.local") as stranger:
        page = await stranger.get("/setup")
        assert page.status_code == 403 and 'data-testid="setup-token-needed"' in page.text
        wrong = await stranger.get("/setup?token=guess")
        assert wrong.status_code == 403
        form = await stranger.get(f"/setup?token={token}")
        assert form.status_code == 200 and 'data-testid="setup-form"' in form.text
        data = {
            "username": "ann",
            "password": "long enough password",
            "password2": "long enough password",
            "csrf_token": csrf_from(form.text),
        }
        refused = await stranger.post("/setup", data=data)  # no token in the form
        assert refused.status_code == 403
        assert not await User.exists()
        done = await stranger.post("/setup", data={**data, "token": token})
        assert done.status_code == 303
    assert await User.exists().where(User.username == "ann")


async def test_setup_from_the_server_itself_needs_no_token(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="server.app")
    app = create_app(settings, workers=False, watcher=False)
    async with app.router.lifespan_context(app):
        assert re.search(r"/setup\?token=\S+", caplog.text), "the token is in the log"
        async with _client(app, "127.0.0.1") as local:
            page = await local.get("/setup")
            assert page.status_code == 200 and 'data-testid="setup-form"' in page.text
