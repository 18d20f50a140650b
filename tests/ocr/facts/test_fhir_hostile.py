"""Hostile FHIR input: a 2 GB line, a 2 GB string in a bundle, 100,000 entries, a DTD.

Big inputs are sparse files (holes read as zeros) or written a line at a time: nothing here
holds them whole, and neither may the reader: its peak allocations are measured.
"""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import ijson
import pytest

from ocr.detect import detect
from ocr.errors import ReadError
from ocr.facts.fhir import FhirError, read_fhir
from ocr.facts.fhir_stream import FhirFileError, Guard

pytestmark = pytest.mark.nodb

GB = 1024**3
MB = 1024**2
T = TypeVar("T")


def _peak(work: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _glucose(ident: str, value: float) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": ident, "status": "final",
        "category": [{"coding": [{"code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}], "text": "Glucose"},
        "effectiveDateTime": "2024-01-01", "valueQuantity": {"value": value, "unit": "mg/dL"},
    }  # fmt: skip


def test_a_2_gb_ndjson_line_fails_alone_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "export.ndjson"
    with path.open("wb") as f:
        first = {**_glucose("a", 91), "note": [{"text": "x" * 5000}]}  # detection reads 4 KB
        f.write(json.dumps(first).encode() + b"\n")
        f.write(b'{"resourceType": "Observation", "valueString": "')
        f.seek(2 * GB, 1)  # a hole: two gigabytes of zeros on no disk
        f.write(b'"}\n' + json.dumps(_glucose("b", 93)).encode() + b"\n")
    assert path.stat().st_size > 2 * GB
    assert detect(path).kind == "fhir"
    facts, peak = _peak(lambda: read_fhir(path))
    assert [r.value.number for r in facts.labs] == [91, 93]
    assert any("line 2 is longer than 64 MB" in w for w in facts.warnings)
    assert peak < 200 * MB, peak


def test_a_2_gb_string_in_a_bundle_stops_the_file_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    head = json.dumps({"resourceType": "Bundle", "type": "collection",
                       "entry": [{"resource": _glucose("a", 91)}]})  # fmt: skip
    with path.open("wb") as f:
        f.write(head[:-2].encode() + b', {"resource": {"resourceType": "Binary", "data": "')
        f.seek(2 * GB, 1)
        f.write(b'"}}]}')
    facts, peak = _peak(lambda: read_fhir(path))
    assert [r.value.number for r in facts.labs] == [91]
    assert any("read only as far as 1 resources" in w for w in facts.warnings)
    assert peak < 200 * MB, peak


class _Lazy(io.RawIOBase):
    """A bundle whose second entry holds a 2 GB string of letters, made as it is read."""

    def __init__(self) -> None:
        self.parts = iter([b'{"entry": [{"resource": {"resourceType": "Patient"}}, '
                           b'{"resource": {"resourceType": "Binary", "data": "'])  # fmt: skip
        self.left = 2 * GB

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = next(self.parts, b"")
        if not chunk and self.left > 0:
            chunk = b"a" * min(len(buffer), self.left)
            self.left -= len(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_2_gb_string_of_letters_is_refused_before_it_is_held() -> None:
    stream = io.BufferedReader(_Lazy())

    def read() -> list[Any]:
        found = []
        with pytest.raises(FhirFileError, match="longer than 64 MB"):
            for item in ijson.items(Guard(stream), "entry.item.resource"):
                found.append(item)
        return found

    found, peak = _peak(read)
    assert found == [{"resourceType": "Patient"}]
    assert peak < 200 * MB, peak


def test_a_bundle_of_100000_entries_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    claim = {"resourceType": "Claim", "status": "active", "use": "claim",
             "item": [{"sequence": 1, "productOrService": {"text": "visit"}}]}  # fmt: skip
    with path.open("w") as f:
        f.write('{"resourceType": "Bundle", "type": "collection", "entry": [')
        for i in range(100_000):
            resource = _glucose(f"g{i}", 90) if i % 10_000 == 0 else {**claim, "id": f"c{i}"}
            f.write(("," if i else "") + json.dumps({"resource": resource}))
        f.write("]}")
    assert path.stat().st_size > 10 * MB
    facts, peak = _peak(lambda: read_fhir(path))
    assert len(facts.labs) == 10 and facts.warnings == []
    assert peak < 5 * MB, peak  # one entry at a time: far less than the file


def test_fhir_xml_with_a_dtd_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "patient.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        '<Patient xmlns="http://hl7.org/fhir"><id value="&a;"/></Patient>'
    )
    with pytest.raises(ReadError, match="declares a DTD"):
        detect(path)


def test_json_broken_before_any_resource_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"resourceType": "Bundle", "entry": [}')
    with pytest.raises(FhirError, match="damaged"):
        read_fhir(path)
