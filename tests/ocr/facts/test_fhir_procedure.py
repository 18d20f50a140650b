"""FHIR Procedure resources as facts: date, code, status; not-done and entered-in-error left out.

The corpus counts come from this test's own reading of the JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ocr.facts.fhir import read_fhir
from tests.ocr.facts.conftest import CORPUS
from tests.ocr.facts.test_fhir_xml import to_xml

pytestmark = pytest.mark.nodb

BUNDLES = CORPUS / "fhir" / "bundles"
SNOMED = "http://snomed.info/sct"


def _bundles() -> list[Path]:
    return sorted(BUNDLES.glob("*.json")) if BUNDLES.is_dir() else []


def _done(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text())
    return [
        e["resource"]
        for e in data.get("entry", [])
        if e["resource"]["resourceType"] == "Procedure"
        and e["resource"].get("status") not in ("not-done", "entered-in-error")
    ]


@pytest.mark.parametrize("path", _bundles(), ids=lambda p: p.stem[:30])
def test_every_procedure_of_a_bundle_is_a_fact(path: Path) -> None:
    want = _done(path)
    got = read_fhir(path).procedures
    assert len(got) == len(want) > 0
    first, read = want[0], got[0]
    performed = first.get("performedDateTime") or first["performedPeriod"]["start"]
    assert read.performed == date.fromisoformat(performed[:10])
    snomed = [c["code"] for c in first["code"]["coding"] if c["system"] == SNOMED]
    assert read.code == snomed[0] and read.status == "completed"
    assert read.citation.locator == f"Procedure {first['id']} · code"


def _procedure(ident: str, status: str, **more: Any) -> dict[str, Any]:
    return {
        "resourceType": "Procedure", "id": ident, "status": status,
        "code": {"coding": [{"system": SNOMED, "code": "80146002"}], "text": "Appendectomy"},
        "subject": {"reference": "Patient/1"}, **more,
    }  # fmt: skip


@pytest.mark.parametrize("as_xml", [False, True], ids=["json", "xml"])
def test_not_done_and_entered_in_error_are_no_facts(tmp_path: Path, as_xml: bool) -> None:
    bundle = {
        "resourceType": "Bundle", "type": "collection",
        "entry": [{"resource": r} for r in (
            _procedure("a", "completed", performedDateTime="2019-04-02T10:00:00Z"),
            _procedure("b", "not-done", performedDateTime="2020-01-01"),
            _procedure("c", "entered-in-error", performedDateTime="2020-01-01"),
            _procedure("d", "in-progress", performedPeriod={"start": "2021-06-07T08:00:00Z"}),
        )],
    }  # fmt: skip
    path = tmp_path / ("b.xml" if as_xml else "b.json")
    path.write_text(to_xml(bundle) if as_xml else json.dumps(bundle))
    got = read_fhir(path).procedures
    assert [(p.citation.locator, p.performed, p.status, p.code) for p in got] == [
        ("Procedure a · code", date(2019, 4, 2), "completed", "80146002"),
        ("Procedure d · code", date(2021, 6, 7), "in-progress", "80146002"),
    ]
    assert got[0].name == "Appendectomy"
    assert got[0].citation.line == "Appendectomy, completed 2019-04-02"
