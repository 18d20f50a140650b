"""Browser uploads: who may upload nowhere is refused before the body is read, and a body
without Content-Length is cut off at the limit as it streams in (issue 11, finding 6)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from tests.fixtures.people import login, make_household
from tests.server.conftest import new_client

CHUNK = 64 * 1024
TOTAL = 5 * 1024 * 1024  # 5 MB against a 1 MB limit


@pytest.fixture
async def small_app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(
        dataclasses.replace(settings, max_file_mb=1), workers=False, watcher=False
    )
    async with application.router.lifespan_context(application):
        await make_household(application.state.services.store)
        yield application


def _multipart(sent: list[int]) -> tuple[str, AsyncIterator[bytes]]:
    boundary = "kinchartboundary"

    async def body() -> AsyncIterator[bytes]:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="profile"\r\n\r\ndad\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        yield head
        for _ in range(TOTAL // CHUNK):
            sent.append(CHUNK)
            yield b"%" * CHUNK
        yield f"\r\n--{boundary}--\r\n".encode()

    return f"multipart/form-data; boundary={boundary}", body()


@pytest.mark.parametrize(("who", "status"), [("carol", 403), ("dave", 403), ("bob", 413)])
async def test_an_upload_without_length_is_refused_before_it_is_all_read(
    small_app: Starlette, who: str, status: int
) -> None:
    sent: list[int] = []
    async with new_client(small_app) as client:
        await login(client, who)  # carol: viewer, dave: no role, bob: caregiver of dad
        kind, body = _multipart(sent)
        r = await client.post("/upload", content=body, headers={"Content-Type": kind})
    assert r.status_code == status, r.text[:300]
    assert sum(sent) < TOTAL, "the whole body was read before refusing"
    if status == 403:
        assert sum(sent) == 0, "not a byte read from who may upload nowhere"
