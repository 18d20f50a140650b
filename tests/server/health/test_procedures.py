"""Procedures from a FHIR record: on the Summary under Procedures, on the timeline, and in the
whole-record FHIR export and the IPS (History of procedures), parsed by fhir.resources."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from starlette.applications import Starlette

from ocr.facts.fhir import read_fhir
from server.facts import persist
from server.runtime import Services
from server.shares.ips import build_ips
from server.shares.record import record_bundle
from tests.fixtures.health_facts import add_document
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client
from tests.server.facts.test_fhir import BUNDLE

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def _antonio(services: Services, profile: int) -> list[str]:
    if not BUNDLE.exists():
        pytest.skip(f"corpus not found at {BUNDLE}")
    found = read_fhir(BUNDLE)
    doc = await add_document(profile, "antonio.json", doc_date=date(2019, 8, 17))
    await persist.store(services.engine, doc, found)
    # The record names Antonio; a person confirmed it is this profile's.
    await persist.recheck_patient(doc, profile, confirmed=True)
    return sorted({p.name for p in found.procedures})


async def test_summary_and_timeline_show_procedures(
    app: Starlette, app_services: Services, household: Household
) -> None:
    names = await _antonio(app_services, household.profiles["dad"])
    assert names
    async with new_client(app) as client:
        await login(client, "carol")  # a viewer reads them
        summary = (await client.get("/profiles/dad/summary")).text
        section = summary.split('data-testid="procedures"', 1)[1].split("</section>", 1)[0]
        assert "<h2" in section and "Procedures" in section
        assert all(name in section for name in names)
        assert 'data-testid="procedure"' in section
        timeline = (await client.get("/profiles/dad/timeline?kind=procedure")).text
        assert timeline.count('data-kind="procedure"') >= len(names)
        assert 'data-kind="lab"' not in timeline
        await login(client, "dave")  # no role: nothing
        assert (await client.get("/profiles/dad/summary")).status_code == 404


async def test_procedures_in_the_fhir_export_and_the_ips(
    app: Starlette, app_services: Services, household: Household
) -> None:
    dad = household.profiles["dad"]
    names = await _antonio(app_services, dad)
    record = await record_bundle(dad, now=NOW)
    Bundle.model_validate(json.loads(json.dumps(record)))
    done = [e["resource"] for e in record["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert sorted({p["code"]["text"] for p in done}) == names
    assert all(p["status"] == "completed" and "performedDateTime" in p for p in done)
    assert any(c["system"] == "http://snomed.info/sct" for p in done for c in p["code"]["coding"])
    ips = await build_ips(dad, now=NOW)
    Bundle.model_validate(json.loads(json.dumps(ips)))
    composition = ips["entry"][0]["resource"]
    (section,) = [s for s in composition["section"] if s["code"]["coding"][0]["code"] == "47519-4"]
    assert len(section["entry"]) == len(names)
