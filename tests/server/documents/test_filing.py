"""Filing by folder or printed identity only among profiles an admin made or confirmed: a user
cannot capture another person's future documents by making a profile in their name (issue 11,
finding 1)."""

from __future__ import annotations

from starlette.applications import Starlette

from server.db.tables import Profile
from server.documents.filing import route
from server.runtime import Services
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

JANE = ["City Hospital\nPatient: Jane Doe   DOB: 02/03/1960\nDiagnosis: hypertension"]


async def _profile(slug: str) -> dict:
    row = await Profile.select().where(Profile.slug == slug).first()
    assert row is not None
    return dict(row)


async def test_a_users_own_profile_in_someone_elses_name_captures_nothing(
    app: Starlette, household: Household
) -> None:
    async with new_client(app) as dave:  # a user with no grant on anyone
        await login(dave, "dave")
        r = await dave.post(
            "/profiles",
            data={"display_name": "Jane Doe", "date_of_birth": "1960-02-03", "slug": "jane"},
        )
        assert r.status_code == 303
    jane = await _profile("jane")
    assert not jane["filing_target"]
    # The next "Jane Doe" document dropped in the inbox root, or in inbox/jane/: not filed.
    assert (await route(None, JANE)).profile_id is None
    assert (await route("jane", ["A page"])).profile_id is None
    # An admin confirms the profile: from now on it receives documents.
    async with new_client(app) as admin:
        await login(admin, "admin")
        triage = (await admin.get("/triage")).text
        assert 'data-testid="unconfirmed-profiles"' in triage and "Jane Doe" in triage
        r = await admin.post("/profiles/jane/filing", data={"filing_target": "on"})
        assert r.status_code == 303
    assert (await route(None, JANE)).profile_id == jane["id"]
    assert (await route("jane", ["A page"])).profile_id == jane["id"]
    # Renamed by its (non-admin) owner: no target again until an admin looks.
    async with new_client(app) as dave:
        await login(dave, "dave")
        r = await dave.post(
            "/profiles/jane/settings",
            data={"display_name": "Jane Q Doe", "date_of_birth": "1960-02-03"},
        )
        assert r.status_code in (200, 303)
    assert not (await _profile("jane"))["filing_target"]
    assert (await route(None, JANE)).profile_id is None


async def test_a_slug_an_inbox_folder_names_is_for_admins_only(
    app: Starlette, app_services: Services, household: Household
) -> None:
    (app_services.settings.inbox_dir / "grandpa").mkdir(parents=True)
    async with new_client(app) as dave:
        await login(dave, "dave")
        r = await dave.post("/profiles", data={"display_name": "Grandpa", "slug": "grandpa"})
        assert r.status_code == 400 and "only an admin" in r.text
    assert not await Profile.exists().where(Profile.slug == "grandpa")
    async with new_client(app) as admin:
        await login(admin, "admin")
        r = await admin.post("/profiles", data={"display_name": "Grandpa", "slug": "grandpa"})
        assert r.status_code == 303
    grandpa = await _profile("grandpa")
    assert grandpa["filing_target"]
    assert (await route("grandpa", ["A page"])).profile_id == grandpa["id"]


async def test_only_an_admin_confirms_a_filing_target(app: Starlette, household: Household) -> None:
    for who in ("olga", "dave"):
        async with new_client(app) as client:
            await login(client, who)
            r = await client.post("/profiles/kid/filing", data={"filing_target": "on"})
            assert r.status_code == 403, who
