"""A document naming another patient says so on its page; a caregiver confirms it belongs."""

from __future__ import annotations

from starlette.applications import Starlette

from server.db.tables import Document
from server.facts import persist
from server.runtime import Services
from tests.fixtures.facts import lab_facts
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client


async def test_the_page_flags_a_stranger_and_a_caregiver_confirms_it(
    app: Starlette, app_services: Services, household: Household
) -> None:
    doc = household.docs["dad"]
    await persist.store(app_services.engine, doc, lab_facts())  # prints Jane Q Doe, 1951
    async with new_client(app) as viewer:
        await login(viewer, "carol")
        page = (await viewer.get(f"/documents/{doc}")).text
        assert 'data-testid="patient-mismatch"' in page and "Jane Q Doe" in page
        assert 'data-testid="confirm-belongs"' not in page  # a viewer cannot confirm
        assert (await viewer.post(f"/documents/{doc}/belongs")).status_code == 403
        labs = (await viewer.get("/profiles/dad/labs")).text
        assert 'data-key="glucose"' not in labs, "held out while it names someone else"
    async with new_client(app) as caregiver:
        await login(caregiver, "bob")
        page = (await caregiver.get(f"/documents/{doc}")).text
        assert 'data-testid="confirm-belongs"' in page
        r = await caregiver.post(f"/documents/{doc}/belongs")
        assert r.status_code == 303
        page = (await caregiver.get(f"/documents/{doc}")).text
        assert 'data-testid="patient-mismatch"' not in page and "confirmed" in page
        labs = (await caregiver.get("/profiles/dad/labs")).text
        assert 'data-key="glucose"' in labs
    row = await Document.select(Document.patient_check).where(Document.id == doc).first()
    assert row == {"patient_check": "confirmed"}


async def test_triage_shows_the_printed_patient_and_preselects_nobody(
    app: Starlette, app_services: Services, household: Household
) -> None:
    await persist.store(app_services.engine, household.docs["unfiled"], lab_facts())
    async with new_client(app) as admin:
        await login(admin, "admin")
        page = (await admin.get("/triage")).text
    assert 'data-testid="triage-patient">Jane Q Doe' in page and "born 1951-03-14" in page
    assert '<option value="" selected disabled>' in page
