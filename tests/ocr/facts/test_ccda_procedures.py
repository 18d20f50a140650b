"""Procedures from C-CDA (the Procedures section's procedure activities) become the same
`procedure` facts as FHIR's: counted per corpus file against a small reader of this test's own,
spot-checked, and the ones not done, planned or without a code left out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET

from ocr.facts.ccda import CcdaError, read_ccda
from server.facts.records import from_document
from tests.conftest import CORPUS

pytestmark = pytest.mark.nodb

V3 = "{urn:hl7-org:v3}"
SECTIONS = {"2.16.840.1.113883.10.20.22.2.7.1", "2.16.840.1.113883.10.20.22.2.7"}
DONE = {"completed", "active", "new", "held", "aborted", "suspended", None}
FILES = sorted(p for p in (CORPUS / "ccda").glob("*") if p.suffix.lower() == ".xml")


def _expected(path: Path) -> int:
    """Procedure activities done, by this test's own reading of the namespaced XML."""
    root = SafeET.parse(path, forbid_dtd=True).getroot()
    count = 0
    for section in root.iter(f"{V3}section"):
        roots = {t.get("root") for t in section.findall(f"{V3}templateId")}
        if not roots & SECTIONS:
            continue
        for entry in section.findall(f"{V3}entry"):
            for tag in ("procedure", "act", "observation"):
                for activity in entry.findall(f"{V3}{tag}"):
                    code = activity.find(f"{V3}code")
                    status = activity.find(f"{V3}statusCode")
                    if (
                        activity.get("negationInd") != "true"
                        and activity.get("nullFlavor") is None
                        and activity.get("moodCode", "EVN") == "EVN"
                        and code is not None
                        and code.get("nullFlavor") is None
                        and (status.get("code") if status is not None else None) in DONE
                        and _named(code, root)
                    ):
                        count += 1
    return count


def _named(code: ET.Element, root: ET.Element) -> bool:
    """Whether the code has words: a displayName, original text (or what it refers to), or a
    translation's displayName."""
    if code.get("displayName"):
        return True
    original = code.find(f"{V3}originalText")
    if original is not None:
        ref = original.find(f"{V3}reference")
        if ref is not None:
            wanted = (ref.get("value") or "").lstrip("#")
            for element in root.iter():
                if element.get("ID") == wanted and "".join(element.itertext()).strip():
                    return True
        if "".join(original.itertext()).strip():
            return True
    return any(t.get("displayName") for t in code.findall(f"{V3}translation"))


def test_the_corpus_has_procedures_to_read() -> None:
    if not FILES:
        pytest.fail(f"corpus not found at {CORPUS} (tests read ../shared/corpus in place)")
    assert sum(_expected(p) for p in FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:70])
def test_every_corpus_file_gives_its_procedures(path: Path) -> None:
    try:
        facts = read_ccda(path)
    except CcdaError:
        pytest.fail(f"{path.name} does not parse")
    assert len(facts.procedures) == _expected(path)
    stored = [f for f in from_document(facts) if f.kind == "procedure"]
    assert len(stored) == len(facts.procedures)


def test_procedures_are_read_with_their_dates_codes_and_status() -> None:
    path = CORPUS / "ccda" / "hl7_examples__Documents__CCD__CCD_1__CCD.XML"
    if not path.exists():
        pytest.fail(f"corpus not found at {path}")
    got = {(p.name, p.performed, p.status, p.code) for p in read_ccda(path).procedures}
    assert ("Colonoscopy", date(2012, 5, 12), "completed", "73761001") in got
    assert ("Colonic polypectomy", date(2011, 2, 3), "stopped", "274025005") in got  # aborted
    colonoscopy = next(p for p in read_ccda(path).procedures if p.name == "Colonoscopy")
    assert colonoscopy.citation.locator and "procedure" in colonoscopy.citation.locator.lower()
    (fact,) = [f for f in from_document(read_ccda(path)) if f.name == "Colonoscopy"]
    assert fact.kind == "procedure" and fact.effective == date(2012, 5, 12)


SECTION = """<section xmlns="urn:hl7-org:v3">
  <templateId root="2.16.840.1.113883.10.20.22.2.7.1"/>
  <code code="47519-4" codeSystem="2.16.840.1.113883.6.1"/>
  <text><content ID="p1">Knee arthroscopy, left</content></text>
  <entry><procedure classCode="PROC" moodCode="EVN">
    <templateId root="2.16.840.1.113883.10.20.22.4.14"/>
    <code code="49025000" codeSystem="2.16.840.1.113883.6.96">
      <originalText><reference value="#p1"/></originalText></code>
    <statusCode code="completed"/><effectiveTime value="20190304"/>
  </procedure></entry>
  <entry><act classCode="ACT" moodCode="EVN">
    <code code="99213" codeSystem="2.16.840.1.113883.6.12" displayName="Office visit"/>
    <statusCode code="active"/><effectiveTime><low value="20200101"/></effectiveTime>
  </act></entry>
  <entry><observation classCode="OBS" moodCode="EVN">
    <code code="168731009" codeSystem="2.16.840.1.113883.6.96" displayName="Chest X-ray"/>
    <statusCode code="completed"/><effectiveTime value="20210505"/>
  </observation></entry>
  <entry><procedure classCode="PROC" moodCode="EVN" negationInd="true">
    <code code="73761001" codeSystem="2.16.840.1.113883.6.96" displayName="Colonoscopy"/>
    <statusCode code="completed"/><effectiveTime value="20190101"/>
  </procedure></entry>
  <entry><procedure classCode="PROC" moodCode="INT">
    <code code="80146002" codeSystem="2.16.840.1.113883.6.96" displayName="Appendectomy"/>
    <statusCode code="active"/>
  </procedure></entry>
  <entry><procedure classCode="PROC" moodCode="EVN">
    <code nullFlavor="UNK"><originalText>Something unknown</originalText></code>
    <statusCode code="completed"/><effectiveTime value="20190101"/>
  </procedure></entry>
  <entry><procedure classCode="PROC" moodCode="EVN">
    <code code="80146002" codeSystem="2.16.840.1.113883.6.96" displayName="Cancelled one"/>
    <statusCode code="cancelled"/><effectiveTime value="20190101"/>
  </procedure></entry>
</section>"""


def test_not_done_planned_uncoded_and_cancelled_procedures_are_left_out() -> None:
    got = [(p.name, p.performed, p.status, p.code) for p in read_ccda(SECTION).procedures]
    assert got == [
        ("Knee arthroscopy, left", date(2019, 3, 4), "completed", "49025000"),
        ("Office visit", date(2020, 1, 1), "in-progress", "99213"),
        ("Chest X-ray", date(2021, 5, 5), "completed", "168731009"),
    ]
    # Outside a Procedures section the same entries are no procedures.
    other = SECTION.replace("2.16.840.1.113883.10.20.22.2.7.1", "2.16.840.1.113883.10.20.22.2.5.1")
    assert read_ccda(other).procedures == []
