"""The whole record as FHIR from the export page: owners and caregivers download it (it parses
with fhir.resources, R4B), viewers and people without a role do not, and it holds only the
profile's own record."""

from __future__ import annotations

import json
from datetime import date

from fhir.resources.R4B.bundle import Bundle
from starlette.applications import Starlette

from server.db.tables import AuditEvent
from tests.fixtures.health_facts import add_document, add_fact
from tests.fixtures.people import SECRET_NAME, Household, login
from tests.server.conftest import new_client

URL = "/profiles/dad/export.fhir.json"


async def _record(household: Household) -> None:
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    doc = await add_document(dad, "dad-visit.pdf", doc_date=date(2026, 2, 1))
    await add_fact(
        dad, doc, "lab", "Glucose", analyte="glucose", value_num=105.0, value_text="105",
        unit="mg/dL", effective=date(2026, 2, 1), status="confirmed",
    )  # fmt: skip
    await add_fact(dad, doc, "procedure", "Appendectomy", code="80146002",
                   effective=date(2025, 5, 4), state="completed")  # fmt: skip
    kid_doc = await add_document(kid, "kid-visit.pdf", doc_date=date(2026, 2, 1))
    await add_fact(kid, kid_doc, "condition", "Kid's own asthma", state="active")


async def test_owner_and_caregiver_download_the_record_as_fhir(
    app: Starlette, household: Household
) -> None:
    await _record(household)
    async with new_client(app) as client:
        for who in ("olga", "bob"):
            await login(client, who)
            page = await client.get("/profiles/dad/export")
            assert f'href="{URL}"' in page.text and 'data-testid="export-fhir"' in page.text
            r = await client.get(URL)
            assert r.status_code == 200, who
            assert r.headers["content-type"].startswith("application/fhir+json")
            assert "attachment" in r.headers["content-disposition"]
            assert r.headers["cache-control"] == "no-store"
            data = r.json()
            parsed = Bundle.model_validate(data)
            assert parsed.type == "collection"
            kinds = [e["resource"]["resourceType"] for e in data["entry"]]
            assert kinds.count("Patient") == 1
            assert {"Observation", "Procedure", "DocumentReference"} <= set(kinds)
            text = json.dumps(data)
            assert "Glucose" in text and "Appendectomy" in text and SECRET_NAME in text
            assert "Kid's own asthma" not in text and "kid-visit.pdf" not in text
    exported = await AuditEvent.count().where(AuditEvent.kind == "record_exported")
    assert exported == 2


async def test_viewers_and_strangers_get_no_fhir_record(
    app: Starlette, household: Household
) -> None:
    await _record(household)
    async with new_client(app) as client:
        await login(client, "carol")  # viewer of dad: no export, as for the archive
        r = await client.get(URL)
        assert r.status_code == 403 and "Glucose" not in r.text
        await login(client, "dave")  # no role
        r = await client.get(URL)
        assert r.status_code == 404 and "Glucose" not in r.text
        await login(client, "admin")  # admin alone gives no access to records
        assert (await client.get(URL)).status_code == 404
    assert await AuditEvent.count().where(AuditEvent.kind == "record_exported") == 0
