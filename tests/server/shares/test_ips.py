"""The International Patient Summary (server.shares.ips), from real database rows, validated
with fhir.resources (R4B) and checked against the IPS's sections and required elements."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from ocr.facts import catalogue
from server.people import household
from server.runtime import Services
from server.shares import fhir
from server.shares.ips import build_ips
from tests.fixtures.clinical_profile import make_clinical

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
IPS_SECTIONS = {"11450-4", "10160-0", "48765-2", "11369-6", "30954-2", "8716-3"}


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _by_text(bundle: dict[str, Any], kind: str, field: str) -> dict[str, dict[str, Any]]:
    return {r[field]["text"]: r for r in _resources(bundle, kind)}


def _review(resource: dict[str, Any]) -> str:
    ext = [e for e in resource.get("extension", []) if e["url"] == fhir.REVIEW_EXTENSION]
    assert len(ext) == 1, resource
    return str(ext[0]["valueCode"])


async def test_ips_is_a_valid_fhir_document_with_the_ips_sections(services: Services) -> None:
    c = await make_clinical()
    data = await build_ips(c.profile, now=NOW)
    parsed = Bundle.model_validate(json.loads(json.dumps(data)))  # JSON round trip, then R4B
    assert parsed.type == "document" and parsed.identifier is not None and parsed.timestamp
    first, second = data["entry"][0]["resource"], data["entry"][1]["resource"]
    assert first["resourceType"] == "Composition" and second["resourceType"] == "Patient"
    assert first["type"]["coding"][0] == {
        "system": "http://loinc.org", "code": "60591-5", "display": "Patient summary Document"
    }  # fmt: skip
    assert first["subject"]["reference"] == data["entry"][1]["fullUrl"]
    assert first["author"] and first["date"] == "2026-12-06T12:00:00+00:00"
    codes = {s["code"]["coding"][0]["code"] for s in first["section"]}
    assert codes >= IPS_SECTIONS
    # Every section reference resolves to an entry of the bundle, and each has a narrative.
    urls = {e["fullUrl"] for e in data["entry"]}
    for section in first["section"]:
        assert section["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
        assert section["entry"] and all(r["reference"] in urls for r in section["entry"])
    patient = second
    assert patient["birthDate"] == "1946-12-09" and patient["name"][0]["family"] == "Hopper"


async def test_ips_items_codes_units_and_review_status(services: Services) -> None:
    c = await make_clinical()
    data = await build_ips(c.profile, now=NOW)
    observations = _by_text(data, "Observation", "code")
    a1c = observations["Hemoglobin A1c"]
    assert a1c["code"]["coding"][0] == {
        "system": "http://loinc.org", "code": catalogue.BY_KEY["hba1c"].loinc,
        "display": catalogue.BY_KEY["hba1c"].name,
    }  # fmt: skip
    assert catalogue.BY_KEY["hba1c"].loinc == "4548-4"
    assert a1c["valueQuantity"] == {
        "value": 7.1, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"
    }  # fmt: skip
    assert a1c["referenceRange"][0]["low"]["value"] == 4.0
    assert a1c["referenceRange"][0]["high"]["value"] == 5.6
    assert a1c["interpretation"][0]["coding"][0]["code"] == "H"
    assert a1c["effectiveDateTime"] == "2026-03-02"
    # Machine-read and unchecked: preliminary, and the extension says so.
    assert a1c["status"] == "preliminary" and _review(a1c) == "unreviewed"
    ldl = observations["LDL cholesterol"]
    assert ldl["status"] == "final" and _review(ldl) == "confirmed"
    assert ldl["category"][0]["coding"][0]["code"] == "laboratory"
    weight = observations["Body weight"]
    assert weight["category"][0]["coding"][0]["code"] == "vital-signs"
    assert weight["valueQuantity"]["code"] == "kg"

    conditions = _by_text(data, "Condition", "code")
    htn = conditions["Hypertension"]
    assert htn["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    assert htn["clinicalStatus"]["coding"][0]["code"] == "active"
    assert conditions["Type 2 diabetes mellitus"]["verificationStatus"]["coding"][0]["code"] == (
        "confirmed"
    )
    assert conditions["Appendicitis"]["clinicalStatus"]["coding"][0]["code"] == "resolved"
    meds = _by_text(data, "MedicationStatement", "medicationCodeableConcept")
    assert meds["Lisinopril"]["status"] == "active" and _review(meds["Lisinopril"]) == "unreviewed"
    assert meds["Warfarin"]["status"] == "unknown"  # only on an old list: may not be taken
    allergy = _by_text(data, "AllergyIntolerance", "code")["Penicillin"]
    assert "Hives" in allergy["reaction"][0]["manifestation"][0]["text"]
    shot = _by_text(data, "Immunization", "vaccineCode")["Influenza vaccine"]
    assert shot["status"] == "completed" and _review(shot) == "confirmed"
    # Nothing the trust rules hold back reaches the IPS.
    text = json.dumps(data)
    for name, why in c.hidden.items():
        assert name not in text, f"{name} ({why}) must stay out of the IPS"


async def test_empty_profile_says_no_information(services: Services) -> None:
    empty = await household.add_profile("Nobody Yet", slug="nobody", dob=date(2000, 1, 1))
    data = await build_ips(empty["id"], now=NOW)
    Bundle.model_validate(data)
    composition = data["entry"][0]["resource"]
    codes = [s["code"]["coding"][0]["code"] for s in composition["section"]]
    assert codes == ["11450-4", "10160-0", "48765-2"]  # the required three, nothing else
    absent = {
        r["resourceType"]: (r.get("code") or r.get("medicationCodeableConcept"))["coding"][0][
            "code"
        ]
        for r in (e["resource"] for e in data["entry"][3:])
    }
    assert absent == {
        "Condition": "no-problem-info",
        "MedicationStatement": "no-medication-info",
        "AllergyIntolerance": "no-allergy-info",
    }


async def test_ips_of_one_profile_never_holds_another(services: Services) -> None:
    grace = await make_clinical()
    other = await make_clinical(name="Alan Turing", slug="alan", dob=date(1912, 6, 23))
    data = await build_ips(grace.profile, now=NOW)
    text = json.dumps(data)
    assert "Alan Turing" not in text and "1912-06-23" not in text
    both = await build_ips(other.profile, now=NOW)
    assert "Grace Hopper" not in json.dumps(both)


async def test_labs_and_vitals_can_be_left_out(services: Services) -> None:
    c = await make_clinical()
    data = await build_ips(c.profile, now=NOW, include_labs=False, include_vitals=False)
    Bundle.model_validate(data)
    assert _resources(data, "Observation") == []
    codes = {s["code"]["coding"][0]["code"] for s in data["entry"][0]["resource"]["section"]}
    assert "30954-2" not in codes and "8716-3" not in codes


@pytest.mark.parametrize(
    ("unit", "code"),
    [("mg/dL", "mg/dL"), ("10^3/µL", "10*3/uL"), ("°C", "Cel"), ("µIU/mL", "u[IU]/mL"),
     ("kg/m²", "kg/m2"), ("mm[Hg]", "mm[Hg]"), ("/min", "/min"), ("mmol/L", "mmol/L"),
     ("", None), ("per high power field", None)],
)  # fmt: skip
def test_ucum(unit: str, code: str | None) -> None:
    assert fhir.ucum(unit) == code
