"""FHIR R4 JSON records: resources one by one, values, statuses, and damaged input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ocr.facts.fhir import FhirError, read_fhir
from tests.ocr.facts.conftest import CORPUS

pytestmark = pytest.mark.nodb

RESOURCES = CORPUS / "fhir" / "resources"


def _resource(name: str) -> Path:
    path = RESOURCES / f"uscore_{name}.json"
    if not path.exists():
        pytest.skip(f"corpus not found at {path} (tests read ../shared/corpus in place)")
    return path


def _write(path: Path, resources: list[dict[str, Any]], *, bundle: bool = True) -> Path:
    if bundle:
        body = {"resourceType": "Bundle", "type": "collection",
                "entry": [{"resource": r} for r in resources]}  # fmt: skip
        path.write_text(json.dumps(body))
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in resources))
    return path


def _obs(ident: str, category: str, code: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": ident, "status": "final",
        "category": [{"coding": [{"code": category}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": code}], "text": ident},
        "effectiveDateTime": "2024-03-05T08:00:00Z", **value,
    }  # fmt: skip


def test_a_lab_observation_with_its_range_flag_and_date() -> None:
    (hemoglobin,) = read_fhir(_resource("observation-cbc-hemoglobin")).labs
    assert (hemoglobin.analyte, hemoglobin.loinc, hemoglobin.value.number) == (
        "hemoglobin", "718-7", 17,
    )  # fmt: skip
    assert hemoglobin.unit == "g/dL" and hemoglobin.category == "lab"
    assert hemoglobin.reference is not None
    assert [(b.low, b.high) for b in hemoglobin.reference.bands] == [(16.5, 21.5)]
    assert hemoglobin.flag == "N" and hemoglobin.collected == date(2005, 7, 5)
    # The citation names the resource and element, and reads as a sentence.
    assert hemoglobin.citation.locator == "Observation cbc-hemoglobin · value"
    assert hemoglobin.citation.line == "Hemoglobin, Blood: 17 g/dL (2005-07-05)"


def test_blood_pressure_components_are_one_vital_reading() -> None:
    (pressure,) = read_fhir(_resource("blood-pressure")).labs
    assert pressure.category == "vital" and pressure.analyte == "blood_pressure"
    assert pressure.value.text == "109/44" and pressure.value.parts == (109, 44)
    # Components without values (data absent) are no reading at all.
    assert read_fhir(_resource("bp-data-absent")).labs == []


def test_medications_coded_contained_and_referenced() -> None:
    for name, rxnorm in (("coded-oral-axid", "476872"), ("contained-oral-axid", "582620")):
        (axid,) = read_fhir(_resource(f"medicationrequest-{name}")).medications
        assert axid.name.startswith("Nizatidine 15 MG/ML") and axid.code == rxnorm
        assert axid.status == "active"
    (contained,) = read_fhir(_resource("medicationrequest-contained-oral-axid")).medications
    assert contained.frequency == "twice daily" and contained.dose == "10 ml"


def test_a_medication_referenced_later_in_the_bundle_is_resolved(tmp_path: Path) -> None:
    request = {"resourceType": "MedicationRequest", "id": "r1", "status": "completed",
               "medicationReference": {"reference": "Medication/m1"}}  # fmt: skip
    medication = {"resourceType": "Medication", "id": "m1", "code": {"coding": [
        {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361",
         "display": "Amlodipine 5 MG Oral Tablet"}]}}  # fmt: skip
    (found,) = read_fhir(_write(tmp_path / "b.json", [request, medication])).medications
    assert (found.name, found.code, found.status) == ("Amlodipine 5 MG Oral Tablet", "197361",
                                                      "stopped")  # fmt: skip


def test_statuses_that_are_not_facts_of_the_patient(tmp_path: Path) -> None:
    def condition(ident: str, clinical: str, verification: str) -> dict[str, Any]:
        return {"resourceType": "Condition", "id": ident, "code": {"text": ident},
                "clinicalStatus": {"coding": [{"code": clinical}]},
                "verificationStatus": {"coding": [{"code": verification}]}}  # fmt: skip

    resources = [
        condition("asthma", "active", "confirmed"),
        condition("gout", "resolved", "confirmed"),
        condition("diabetes", "active", "refuted"),
        condition("typo", "active", "entered-in-error"),
        {"resourceType": "Immunization", "id": "flu", "status": "not-done",
         "vaccineCode": {"text": "Influenza"}, "statusReason": {"coding": [{"code": "PATOBJ"}]}},
        {"resourceType": "Immunization", "id": "tdap", "status": "entered-in-error",
         "vaccineCode": {"text": "Tdap"}},
        {"resourceType": "AllergyIntolerance", "id": "nka",
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "716186003"}]}},
        {"resourceType": "AllergyIntolerance", "id": "pcn", "code": {"text": "Penicillin"},
         "verificationStatus": {"coding": [{"code": "refuted"}]}},
        _obs("wrong", "laboratory", "2345-7", status="entered-in-error",
             valueQuantity={"value": 5, "unit": "mg/dL"}),
    ]  # fmt: skip
    facts = read_fhir(_write(tmp_path / "b.json", resources))
    assert [(c.name, c.status) for c in facts.conditions] == [
        ("asthma", "active"), ("gout", "resolved"),
    ]  # fmt: skip
    assert [(c.name, c.assertion) for c in facts.excluded] == [("diabetes", "absent")]
    assert [(i.vaccine, i.status) for i in facts.immunizations] == [("Influenza", "refused")]
    assert [(a.substance, a.none_known, a.scope, a.status) for a in facts.allergies] == [
        (None, True, "all", "active"), ("Penicillin", False, None, "refuted"),
    ]  # fmt: skip
    assert facts.labs == []


def test_a_malformed_resource_fails_alone(tmp_path: Path) -> None:
    good = _obs("glucose", "laboratory", "2345-7", valueQuantity={"value": 99, "unit": "mg/dL"})
    bad = _obs("broken", "laboratory", "2345-7", referenceRange=[{"low": "zero"}],
               valueQuantity={"value": 5, "unit": "mg/dL"})  # fmt: skip
    bad["referenceRange"] = [{"low": 7}]  # .get on an int: the resource cannot be read
    facts = read_fhir(_write(tmp_path / "b.json", [bad, good, {"no": "type"}]))
    assert [r.value.number for r in facts.labs] == [99]
    assert facts.warnings[0] == "2 of 3 resources in this record could not be read."
    assert any("Observation broken" in w for w in facts.warnings)


def test_ndjson_lines_fail_alone(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.ndjson", [
        _obs("a", "vital-signs", "8867-4", valueQuantity={"value": 61, "unit": "/min"}),
        _obs("b", "vital-signs", "8867-4", valueQuantity={"value": 64, "unit": "/min"}),
    ], bundle=False)  # fmt: skip
    with path.open("a") as f:
        f.write('{"resourceType": "Observation", "id": "c", \n')
        f.write(json.dumps(_obs("d", "vital-signs", "8867-4",
                                valueQuantity={"value": 70, "unit": "/min"})) + "\n")  # fmt: skip
    facts = read_fhir(path)
    assert [r.value.number for r in facts.labs] == [61, 64, 70]
    assert all(r.category == "vital" and r.analyte == "heart_rate" for r in facts.labs)
    assert any("line 3 is not valid JSON" in w for w in facts.warnings)


def test_damaged_json_keeps_what_was_read(tmp_path: Path) -> None:
    whole = _write(tmp_path / "b.json", [
        _obs(f"o{i}", "laboratory", "2345-7", valueQuantity={"value": 90 + i, "unit": "mg/dL"})
        for i in range(3)
    ]).read_text()  # fmt: skip
    cut = tmp_path / "cut.json"
    cut.write_text(whole[: whole.index('"o2"') + 40])
    facts = read_fhir(cut)
    assert [r.value.number for r in facts.labs] == [90, 91]
    assert any("read only as far as 2 resources" in w for w in facts.warnings)
    empty = tmp_path / "bad.json"
    empty.write_text('{"resourceType": "Bundle", "entry": [ {')
    with pytest.raises(FhirError):
        read_fhir(empty)
