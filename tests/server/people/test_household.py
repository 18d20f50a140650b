"""Household rules: profiles keep an owner, routing files documents, audit views are scoped."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from server.access.policy import AccessDenied
from server.db.tables import AuditEvent, Grant
from server.documents.filing import route
from server.people import household as hh
from server.people.household import HouseholdError
from server.runtime import Services
from tests.fixtures.people import AS_ROLE, Household, caller_named, login


async def test_a_profile_always_keeps_an_owner(household: Household) -> None:
    dad, alice, olga = household.profiles["dad"], household.users["alice"], household.users["olga"]
    await hh.revoke(olga, dad)
    with pytest.raises(HouseholdError, match="at least one owner"):
        await hh.revoke(alice, dad)
    with pytest.raises(HouseholdError, match="at least one owner"):
        await hh.grant(alice, dad, "viewer")
    await hh.grant(olga, dad, "owner")
    assert await hh.grant(alice, dad, "viewer") == "owner"
    roles = {
        g["user"]: g["role"]
        for g in await Grant.select(Grant.user, Grant.role).where(Grant.profile == dad)
    }
    assert roles[alice] == "viewer" and roles[olga] == "owner"


async def test_routing_by_folder_then_name_and_birth_date(household: Household) -> None:
    dad = household.profiles["dad"]
    by_folder = await route("Dad", ["nothing useful"])
    assert by_folder.profile_id == dad and "folder" in by_folder.reason
    text = ["ACME LAB\nPatient: DAD, SECRET    DOB: 03/14/1950    Collected: 01/02/2024"]
    by_identity = await route(None, text)
    assert by_identity.profile_id == dad, by_identity
    wrong_dob = await route(None, ["Patient: Secret Dad   DOB: 03/14/1951"])
    assert wrong_dob.profile_id is None and wrong_dob.suggestions == [dad]
    nobody = await route(None, ["Invoice 2024, thank you for your business"])
    assert nobody.profile_id is None and nobody.suggestions == []
    # Two profiles that both match: suggest both, assign neither.
    await hh.add_profile("Secret Dad", dob=date(1950, 3, 14), slug="dad-twin")
    twin = await route(None, text)
    assert twin.profile_id is None and len(twin.suggestions) == 2


async def test_admin_files_triage_documents_and_it_is_audited(
    client: httpx.AsyncClient, household: Household, app_services: Services
) -> None:
    unfiled = household.docs["unfiled"]
    await login(client, "alice")
    r = await client.post(f"/documents/{unfiled}/move", data={"profile": "dad"})
    assert r.status_code == 404, "owners cannot touch documents they cannot see"
    await login(client, "admin")
    page = await client.get("/triage")
    assert "unfiled-mystery-scan.pdf" in page.text
    r = await client.post(f"/documents/{unfiled}/move", data={"profile": "kid", "back": "/triage"})
    assert r.status_code == 303 and r.headers["location"] == "/triage"
    assert "unfiled-mystery-scan.pdf" not in (await client.get("/triage")).text
    assert (await client.get(f"/documents/{unfiled}")).status_code == 404, (
        "once filed, the admin without a grant no longer sees it"
    )
    event = await AuditEvent.select().where(AuditEvent.kind == "document_reassigned").first()
    assert event and event["profile"] == household.profiles["kid"] and event["document"] == unfiled


async def test_owners_see_their_profiles_events_and_admins_see_account_events(
    client: httpx.AsyncClient, household: Household
) -> None:
    await login(client, "carol")
    await client.get(f"/documents/{household.docs['dad']}")
    await client.get(f"/documents/{household.docs['dad']}/original")
    await login(client, "erin")
    await client.get(f"/documents/{household.docs['kid']}")
    await login(client, "alice")
    page = (await client.get("/profiles/dad/settings")).text
    log = page[page.index('data-testid="audit"') :]
    assert "document viewed" in log and "document downloaded" in log
    assert "carol" in log and "erin" not in log
    assert (await client.get("/admin/audit")).status_code == 403
    await login(client, "admin")
    audit = await client.get("/admin/audit")
    assert "login" in audit.text and "carol" in audit.text
    assert "document viewed" not in audit.text, "admins see account events, not record views"


async def test_rejected_files_show_to_the_admin_only_and_linked_user_is_you(
    client: httpx.AsyncClient, household: Household, app_services: Services, tmp_path
) -> None:
    empty = tmp_path / "empty-scan.pdf"
    empty.touch()
    await app_services.intake.take(empty, source="inbox")
    await login(client, "alice")
    assert "empty-scan.pdf" not in (await client.get("/documents")).text
    r = await client.post(
        "/profiles/dad/settings", data={"display_name": "Secret Dad", "linked_user": "alice"}
    )
    assert r.status_code == 303
    assert "This is you" in (await client.get("/profiles/dad")).text
    await login(client, "admin")
    triage = await client.get("/triage")
    assert "empty-scan.pdf" in triage.text and "empty" in triage.text


@pytest.mark.parametrize("role", ["caregiver", "viewer", "admin", "none"])
async def test_only_an_owner_changes_a_profile(household: Household, role: str) -> None:
    dad = household.profiles["dad"]
    owner = await caller_named("olga")
    name, dob = await hh.update_profile(
        owner, dad, display_name=" Dad ", date_of_birth="1950-03-14", linked_user="alice"
    )
    assert (name, dob) == ("Dad", date(1950, 3, 14))
    with pytest.raises(HouseholdError, match="no user"):
        await hh.update_profile(owner, dad, display_name="Dad", date_of_birth="", linked_user="x")
    with pytest.raises(AccessDenied):
        await hh.update_profile(
            await caller_named(AS_ROLE[role]),
            dad,
            display_name="Mine now",
            date_of_birth="",
            linked_user="",
        )
