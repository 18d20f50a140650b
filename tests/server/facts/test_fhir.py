"""FHIR R4 records from the corpus, through the reading pipeline and into the database.

The expected counts come from a small reader of this test's own (plain `json`), not from
the importer: resources in scope, less entered-in-error, refuted and not-done ones.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ocr.options import ReadOptions
from server.db.tables import Fact
from server.facts.reading import ReadingWithFacts, read_with_facts
from server.people import household
from server.runtime import running
from server.settings import Settings
from tests.conftest import CORPUS
from tests.server.facts.test_persist import _read

FHIR = CORPUS / "fhir"
VOID = {"entered-in-error", "cancelled"}


def _files() -> list[Path]:
    if not FHIR.is_dir():
        return []
    return sorted(p for p in FHIR.glob("*/*.json"))


def _codes(concept: Any) -> set[str]:
    return {c.get("code") for c in (concept or {}).get("coding", [])}


def _expected(path: Path) -> Counter[str]:
    """Counts per kind, by this test's own reading of the JSON."""
    data = json.loads(path.read_text())
    if data["resourceType"] == "Bundle":
        resources = [e["resource"] for e in data.get("entry", []) if "resource" in e]
    else:
        resources = [data]
    counts: Counter[str] = Counter()
    for r in resources:
        kind = r["resourceType"]
        if kind == "Observation" and r.get("status") not in VOID:
            categories = set().union(*(_codes(c) for c in r.get("category", [])))
            category = (
                "vital" if "vital-signs" in categories
                else "lab" if "laboratory" in categories else None
            )  # fmt: skip
            values = [k for k in r if k.startswith("value")]
            parts = {
                next(iter(_codes(c["code"])), None)
                for c in r.get("component", [])
                if "valueQuantity" in c
            }
            if category and (values or {"8480-6", "8462-4"} <= parts):
                counts[category] += 1
        elif kind == "Condition":
            if not _codes(r.get("verificationStatus")) & {"entered-in-error", "refuted"}:
                counts["condition"] += 1
        elif kind in ("MedicationRequest", "MedicationStatement") and r.get("status") not in VOID:
            counts["medication"] += 1
        elif kind == "AllergyIntolerance":
            if not _codes(r.get("verificationStatus")) & {"entered-in-error", "refuted"}:
                counts["allergy"] += 1
        elif kind == "Immunization" and r.get("status") == "completed":
            counts["immunization"] += 1
    return counts


@pytest.mark.nodb
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem[:40])
def test_every_corpus_file_imports_with_the_counts_of_its_json(path: Path, tmp_path: Path) -> None:
    reading = read_with_facts(path, tmp_path / "work", ReadOptions())
    assert isinstance(reading, ReadingWithFacts) and reading.facts is not None
    assert reading.kind == "structured" and reading.structured_format == "fhir"
    facts = reading.facts
    assert facts.warnings == []
    got = Counter(
        {
            "lab": len([r for r in facts.labs if r.category == "lab"]),
            "vital": len(facts.vitals),
            "condition": len(facts.conditions),
            "medication": len(facts.medications),
            "allergy": len(facts.allergies),
            "immunization": len([i for i in facts.immunizations if i.status == "completed"]),
        }
    )
    assert +got == _expected(path)


def test_the_corpus_has_its_bundles() -> None:
    files = _files()
    if not files:
        pytest.skip(f"corpus not found at {FHIR} (tests read ../shared/corpus in place)")
    assert len([p for p in files if p.parent.name == "bundles"]) == 8
    assert len([p for p in files if p.parent.name == "resources"]) == 52


BUNDLE = FHIR / "bundles" / "synthea_Antonio_Castellanos_6d2eba67-5b4a-403f-a29f-e6da3f1ea963.json"


async def test_a_bundle_is_filed_and_its_facts_stored(settings: Settings) -> None:
    if not BUNDLE.exists():
        pytest.skip(f"corpus not found at {BUNDLE}")
    expected = _expected(BUNDLE)
    async with running(settings, workers=True) as services:
        antonio = await household.add_profile(
            "Antonio Castellanos", dob=date(1991, 6, 8), slug="antonio"
        )
        taken = await services.intake.take(BUNDLE, source="cli", profile_id=antonio["id"])
        assert taken.document_id is not None
        doc = await _read(taken.document_id)
        facts = list(await Fact.select().where(Fact.document == doc["id"]).output(load_json=True))
    assert doc["kind"] == "structured" and doc["mime"] == "application/fhir+json"
    # The record's own date (its latest encounter), never the day it arrived.
    assert doc["doc_date"] == date(2019, 8, 17)
    kinds = Counter(f["kind"] for f in facts)
    for kind in ("lab", "vital", "condition", "medication"):
        assert kinds[kind] == expected[kind], kind
    assert kinds["immunization"] == expected["immunization"] == 6
    assert all(f["profile"] == antonio["id"] for f in facts)
    hypertension = next(f for f in facts if f["name"] == "Hypertension")
    assert hypertension["kind"] == "condition" and hypertension["code"] == "38341003"
    assert hypertension["page"] is None and hypertension["locator"].startswith("Condition ")
    height = next(f for f in facts if f["kind"] == "vital" and f["code"] == "8302-2")
    assert height["unit"] == "cm" and height["value_num"] == pytest.approx(180.6, abs=0.1)
