"""A FHIR R4 XML bundle through the reading pipeline: stored as FHIR XML, read into the same
facts as its JSON, and, uploaded beside its JSON, one record with two citations per fact."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from server.db.tables import Fact
from server.health.records import profile_facts
from server.people import household
from server.runtime import running
from server.settings import Settings
from tests.ocr.facts.test_fhir_xml import to_xml
from tests.server.facts.test_fhir import BUNDLE, _expected
from tests.server.facts.test_persist import _read


async def test_an_xml_bundle_gives_the_facts_of_its_json(
    settings: Settings, tmp_path: Path
) -> None:
    if not BUNDLE.exists():
        pytest.skip(f"corpus not found at {BUNDLE}")
    expected = _expected(BUNDLE)
    xml = tmp_path / "antonio.xml"
    xml.write_text(to_xml(json.loads(BUNDLE.read_text())), encoding="utf-8")
    async with running(settings, workers=True) as services:
        antonio = await household.add_profile(
            "Antonio Castellanos", dob=date(1991, 6, 8), slug="antonio"
        )
        docs = []
        for path in (xml, BUNDLE):
            taken = await services.intake.take(path, source="cli", profile_id=antonio["id"])
            assert taken.document_id is not None
            docs.append(await _read(taken.document_id))
        facts = list(await Fact.select().where(Fact.document == docs[0]["id"]))
        shown = await profile_facts(antonio["id"], held=True)
    assert docs[0]["mime"] == "application/fhir+xml" and docs[0]["kind"] == "structured"
    assert docs[0]["doc_date"] == docs[1]["doc_date"] == date(2019, 8, 17)
    kinds = Counter(f["kind"] for f in facts)
    for kind in ("lab", "vital", "condition", "medication", "immunization"):
        assert kinds[kind] == expected[kind], kind
    # The XML and the JSON of one record: every dated fact once, with both citations.
    dated = [f for f in facts if f["effective"] is not None]
    merged = [f for f in shown if f.source_count == 2]
    assert len(merged) == len(dated) > 0
    assert all({f.document, f.sources[0].document} == {d["id"] for d in docs} for f in merged)
