"""Bodies from a sync source that never read as a document: only an admin downloads them
(issue 11, finding 7: a hostile WebDAV server, or a redirect to an internal address, must not
turn a household member into the reader of whatever the server fetched)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from server.db.tables import FAILED, Document, Grant
from tests.fixtures.people import AS_ROLE, Household, login
from tests.server.conftest import new_client

FILES = ("original", "pdf")


async def _as_failed_body(doc_id: int, source: str) -> None:
    await Document.update(
        {Document.source: source, Document.state: FAILED, Document.kind: ""}
    ).where(Document.id == doc_id)


async def _get(app: Starlette, who: str, doc_id: int) -> list[int]:
    async with new_client(app) as client:
        await login(client, who)
        return [(await client.get(f"/documents/{doc_id}/{f}")).status_code for f in FILES]


@pytest.mark.parametrize("role", ["owner", "caregiver", "viewer"])
async def test_a_failed_body_from_webdav_is_not_downloadable_by_the_profiles_members(
    app: Starlette, household: Household, role: str
) -> None:
    dad = household.docs["dad"]
    await _as_failed_body(dad, "upload")
    assert await _get(app, AS_ROLE[role], dad) == [200, 200], "an upload's: as before"
    await _as_failed_body(dad, "webdav")
    assert await _get(app, AS_ROLE[role], dad) == [403, 403]
    async with new_client(app) as client:  # the document page itself stays visible
        await login(client, AS_ROLE[role])
        page = await client.get(f"/documents/{dad}")
        assert page.status_code == 200


async def test_an_admin_downloads_failed_webdav_bodies_others_get_nothing(
    app: Starlette, household: Household
) -> None:
    unfiled, dad = household.docs["unfiled"], household.docs["dad"]
    await _as_failed_body(unfiled, "webdav")
    await _as_failed_body(dad, "webdav")
    assert await _get(app, "admin", unfiled) == [200, 200], "triage: the admin inspects it"
    assert await _get(app, AS_ROLE["none"], unfiled) == [404, 404]
    assert await _get(app, AS_ROLE["none"], dad) == [404, 404]
    assert await _get(app, "admin", dad) == [404, 404], "admin alone opens no records"
    admin, profile = household.users["admin"], household.profiles["dad"]
    await Grant.insert(Grant(key=f"{admin}:{profile}", user=admin, profile=profile, role="viewer"))
    assert await _get(app, "admin", dad) == [200, 200]
    assert await _get(app, AS_ROLE["owner"], dad) == [403, 403]


async def test_a_webdav_body_that_was_read_is_downloadable_as_any(
    app: Starlette, household: Household
) -> None:
    dad = household.docs["dad"]
    await Document.update({Document.source: "webdav"}).where(Document.id == dad)
    assert await _get(app, AS_ROLE["viewer"], dad) == [200, 200]
