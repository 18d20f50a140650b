"""The whole record as FHIR (server.shares.record): every fact not rejected, held ones marked."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fhir.resources.R4B.bundle import Bundle

from server.db.tables import REJECTED, Fact
from server.runtime import Services
from server.shares import fhir
from server.shares.record import HELD_EXTENSION, record_bundle
from tests.fixtures.clinical_profile import make_clinical

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _text(resource: dict) -> str:
    for field in ("code", "medicationCodeableConcept", "vaccineCode"):
        if field in resource:
            return str(resource[field]["text"])
    return ""


async def test_record_holds_every_fact_but_the_rejected(services: Services) -> None:
    c = await make_clinical()
    other = await make_clinical(name="Alan Turing", slug="alan")
    data = await record_bundle(c.profile, now=NOW)
    Bundle.model_validate(json.loads(json.dumps(data)))
    assert data["type"] == "collection"
    resources = [e["resource"] for e in data["entry"]]
    facts = [r for r in resources if r["resourceType"] not in ("Patient", "DocumentReference")]
    stored = await Fact.select(Fact.id, Fact.status).where(Fact.profile == c.profile)
    kept = [f for f in stored if f["status"] != REJECTED]
    assert len(facts) == len(kept) and len(kept) < len(stored)  # the rejected one is left out
    held = [_text(r) for r in facts if any(e["url"] == HELD_EXTENSION for e in r["extension"])]
    assert held, "facts the views hold back are in the record, marked"
    for r in facts:
        assert [e["url"] for e in r["extension"]].count(fhir.REVIEW_EXTENSION) == 1
    docs = [r for r in resources if r["resourceType"] == "DocumentReference"]
    assert {d["description"] for d in docs} >= {"labs-2026.pdf", "visit-2026.pdf"}
    assert all(len(d["identifier"][0]["value"]) == 64 for d in docs)
    assert "Alan Turing" not in json.dumps(data)
    assert other.profile != c.profile
