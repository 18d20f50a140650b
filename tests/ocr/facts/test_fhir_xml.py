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

from ocr.facts import fhir_xml
from ocr.facts.fhir import FhirError, read_fhir
from ocr.facts.fhir_stream import FhirFileError
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


def _obs(ident: str, extra: str = "") -> str:
    return (
        f'<entry><resource><Observation xmlns="{NS}"><id value="{ident}"/>'
        '<status value="final"/><category><coding><code value="laboratory"/></coding>'
        '</category><code><coding><system value="http://loinc.org"/>'
        f'<code value="2345-7"/></coding><text value="Glucose"/></code>{extra}'
        '<effectiveDateTime value="2024-03-05"/>'
        '<valueQuantity><value value="97"/><unit value="mg/dL"/></valueQuantity>'
        "</Observation></resource></entry>"
    )


def test_a_resource_with_a_value_over_64_mb_fails_alone_with_the_element_named(
    tmp_path: Path,
) -> None:
    huge = "x" * (fhir_xml.MAX_VALUE + 1)  # the real limit: as long as a JSON token may be
    path = tmp_path / "bundle.xml"
    with open(path, "w") as f:
        f.write(f'<Bundle xmlns="{NS}"><type value="collection"/>{_obs("a")}')
        f.write(_obs("b", f'<note><text value="{huge}"/></note>'))
        f.write(_obs("c") + "</Bundle>")
    del huge
    facts = read_fhir(path)
    assert [r.citation.locator for r in facts.labs] == [
        "Observation a · value", "Observation c · value",
    ]  # fmt: skip
    failed = [w for w in facts.warnings if w.startswith("A resource could not be read")]
    assert len(failed) == 1, facts.warnings
    warning = failed[0]
    assert "element text" in warning and "longer than the 64 MB" in warning, warning


def test_values_are_bounded_in_attributes_text_and_single_resources(tmp_path: Path) -> None:
    long = "y" * 2000
    body = (
        f'<Bundle xmlns="{NS}"><type value="collection"/>{_obs("a")}'
        f'{_obs("b", f"<note><text><div>{long}</div></text></note>")}'
        f'{_obs("c", f"<note><authorString value={quoteattr(long)}/></note>")}{_obs("d")}</Bundle>'
    )
    items = list(fhir_xml.resources(_write(tmp_path / "b.xml", body), max_value=1000))
    assert [i.resource["id"] if i.resource else None for i in items] == ["a", None, None, "d"]
    assert "element div" in (items[1].failure or "") and "its text" in (items[1].failure or "")
    assert "authorString" in (items[2].failure or "")
    assert "value attribute" in (items[2].failure or "")
    single = _obs("z", f'<note><text value="{long}"/></note>')
    single = single.removeprefix("<entry><resource>").removesuffix("</resource></entry>")
    (item,) = fhir_xml.resources(_write(tmp_path / "one.xml", single), max_value=1000)
    assert item.resource is None and "Observation could not be read" in (item.failure or "")


def test_a_run_too_long_for_memory_stops_the_file_and_keeps_what_was_read(
    tmp_path: Path,
) -> None:
    """The parser would hold a value whole before it could be checked: a run of bytes with no
    `<` longer than the bound stops the reading (a 2 GB attribute is never held)."""
    body = (
        f'<Bundle xmlns="{NS}"><type value="collection"/>{_obs("a")}'
        f'{_obs("b", "<note><text value=" + quoteattr("z" * 3_000_000) + "/></note>")}</Bundle>'
    )
    path = _write(tmp_path / "b.xml", body)
    got = []
    with pytest.raises(FhirFileError, match="longer than"):
        for item in fhir_xml.resources(path, max_value=1000, max_run=2_000_000):
            got.append(item)
    assert [i.resource["id"] for i in got if i.resource] == ["a"]
    facts = read_fhir(path)  # under the real bounds the same file is read whole
    assert len(facts.labs) == 2
