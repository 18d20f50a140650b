"""FHIR R4 XML read into the same facts as the same record in JSON.

The XML is written by this test from the corpus JSON with a converter of its own (JSON keys
become elements, arrays repeated elements, primitives `value` attributes, resources wrapped
in their type's element), so every corpus record is checked both ways.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest

from ocr.facts.fhir import FhirError, read_fhir
from tests.ocr.facts.conftest import CORPUS

pytestmark = pytest.mark.nodb

FHIR = CORPUS / "fhir"
NS = "http://hl7.org/fhir"


def _primitive(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(name: str, value: Any, out: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _element(name, item, out)
    elif isinstance(value, dict):
        if "resourceType" in value:  # a contained resource or an entry's
            out.append(f"<{name}>")
            _resource(value, out)
            out.append(f"</{name}>")
            return
        if name == "text" and "div" in value:  # a narrative: XHTML, not FHIR elements
            out.append(f'<text><status value="{value.get("status", "generated")}"/>')
            out.append('<div xmlns="http://www.w3.org/1999/xhtml">narrative</div></text>')
            return
        attrs = "".join(f" {k}={quoteattr(str(value[k]))}" for k in ("url",) if k in value)
        out.append(f"<{name}{attrs}>")
        for key, item in value.items():
            if key != "url" and not key.startswith("_"):
                _element(key, item, out)
        out.append(f"</{name}>")
    elif value is not None:
        out.append(f"<{name} value={quoteattr(_primitive(value))}/>")


def _resource(resource: dict[str, Any], out: list[str]) -> None:
    kind = resource["resourceType"]
    out.append(f'<{kind} xmlns="{NS}">')
    for key, value in resource.items():
        if key != "resourceType" and not key.startswith("_"):
            _element(key, value, out)
    out.append(f"</{kind}>")


def to_xml(data: dict[str, Any]) -> str:
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
    _resource(data, out)
    return "\n".join(out)


def _files() -> list[Path]:
    if not FHIR.is_dir():
        return []
    return sorted(FHIR.glob("*/*.json"))


def _facts(path: Path) -> dict[str, Any]:
    found = read_fhir(path)
    shown = asdict(found)
    return {k: shown[k] for k in (
        "labs", "medications", "conditions", "allergies", "immunizations", "procedures",
        "patient", "date", "date_kind",
    ) if k in shown}  # fmt: skip


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem[:40])
def test_every_corpus_record_reads_the_same_from_xml(path: Path, tmp_path: Path) -> None:
    xml = tmp_path / (path.stem + ".xml")
    xml.write_text(to_xml(json.loads(path.read_text())), encoding="utf-8")
    want = _facts(path)
    got = _facts(xml)
    assert got == want
    assert len(read_fhir(xml).warnings) == len(read_fhir(path).warnings)


def test_the_corpus_bundles_give_every_kind_of_fact_from_xml(tmp_path: Path) -> None:
    bundles = sorted((FHIR / "bundles").glob("*.json")) if FHIR.is_dir() else []
    if not bundles:
        pytest.skip(f"corpus not found at {FHIR} (tests read ../shared/corpus in place)")
    totals: dict[str, int] = {}
    for path in bundles:
        xml = tmp_path / (path.stem + ".xml")
        xml.write_text(to_xml(json.loads(path.read_text())), encoding="utf-8")
        for kind, items in _facts(xml).items():
            if isinstance(items, list):
                totals[kind] = totals.get(kind, 0) + len(items)
    assert all(totals[k] > 0 for k in ("labs", "medications", "conditions", "immunizations"))
    vitals = [r for p in bundles for r in read_fhir(tmp_path / (p.stem + ".xml")).vitals]
    assert vitals and all(r.category == "vital" for r in vitals)


def test_an_xml_record_with_a_dtd_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<Patient xmlns="http://hl7.org/fhir"><id value="&lol2;"/></Patient>'
    )
    with pytest.raises(FhirError, match="DTD"):
        read_fhir(path)


def test_a_damaged_resource_fails_alone_and_a_cut_file_keeps_what_was_read(
    tmp_path: Path,
) -> None:
    def obs(ident: str, extra: str = "") -> str:
        return (
            f'<entry><resource><Observation xmlns="{NS}"><id value="{ident}"/>'
            '<status value="final"/><category><coding><code value="laboratory"/></coding>'
            '</category><code><coding><system value="http://loinc.org"/>'
            f'<code value="2345-7"/></coding><text value="Glucose"/></code>{extra}'
            '<effectiveDateTime value="2024-03-05"/>'
            '<valueQuantity><value value="97"/><unit value="mg/dL"/></valueQuantity>'
            "</Observation></resource></entry>"
        )

    twice = '<status value="final"/>'  # an element R4 allows once, twice
    body = f'<Bundle xmlns="{NS}"><type value="collection"/>{obs("a")}{obs("b", twice)}{obs("c")}'
    whole = tmp_path / "bundle.xml"
    whole.write_text(body + "</Bundle>")
    facts = read_fhir(whole)
    assert [r.value.number for r in facts.labs] == [97, 97]
    assert [r.citation.locator for r in facts.labs] == [
        "Observation a · value", "Observation c · value",
    ]  # fmt: skip
    assert any("Observation b could not be read" in w for w in facts.warnings), facts.warnings
    cut = tmp_path / "cut.xml"
    cut.write_text(body[: body.index('"c"')])
    facts = read_fhir(cut)
    assert len(facts.labs) == 1
    assert any("read only as far as 2 resources" in w for w in facts.warnings), facts.warnings
    with pytest.raises(FhirError, match="damaged"):
        read_fhir(_write(tmp_path / "bad.xml", f'<Bundle xmlns="{NS}"><entry>'))


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
