"""C-CDA documents (and bare `<section>` fragments) read into the same facts as printed ones.

Elements are matched by local name, so documents with or without the `urn:hl7-org:v3`
namespace read alike; fragments that use `xsi:type` without declaring it are wrapped in a
parent that declares the namespaces. Citations name the element (`locator`) and carry the
narrative text the entry points to, since there is no page to box.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ocr.facts import ccda_entries as entries
from ocr.facts.ccda_results import results
from ocr.facts.ccda_xml import Doc, child, children, find_all, person_name, text_of, to_date
from ocr.facts.model import Citation, DocumentFacts
from ocr.identity import PatientIdentity

_WRAPPER = (
    '<kinchart-wrapper xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:sdtc="urn:hl7-org:sdtc" xmlns:voc="urn:hl7-org:v3/voc">{}</kinchart-wrapper>'
)
_DECLARATION = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<\?xml-stylesheet[^>]*\?>\s*)?")

# LOINC document codes → document type.
_KINDS = {
    "18842-5": "discharge summary", "11488-4": "visit note", "34117-2": "visit note",
    "11506-3": "visit note", "34133-9": "other", "18748-4": "imaging report",
    "57133-1": "referral", "57113-1": "referral", "11502-2": "lab report",
    "11504-8": "other", "28570-0": "other", "18761-7": "discharge summary",
    "52521-2": "other", "34109-9": "visit note", "81334-5": "other", "34847-4": "other",
    "11490-0": "discharge summary",
}  # fmt: skip


class CcdaError(ValueError):
    """The bytes are not a C-CDA document or section we can parse."""


def parse(data: bytes) -> ET.Element:
    """Parse C-CDA XML, wrapping fragments; refuses any DTD, wherever it starts."""
    try:
        return _strict(data)
    except ET.ParseError:
        body = _DECLARATION.sub(b"", data, count=1)
        try:
            return _strict(_WRAPPER.format(body.decode("utf-8", "replace")).encode())
        except ET.ParseError as error:
            raise CcdaError(f"not well-formed XML: {error}") from error


def _strict(data: bytes) -> ET.Element:
    # A DTD can expand entities without limit or make the parser fetch URLs; C-CDA needs none.
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise CcdaError(f"XML with a DTD is not accepted ({error!r})") from error
    return root


def read_ccda(source: bytes | str | Path) -> DocumentFacts:
    """Every fact in a C-CDA document or section fragment (path, bytes or XML text)."""
    if isinstance(source, Path):
        data = source.read_bytes()
    elif isinstance(source, str):
        data = source.encode()
    else:
        data = source
    doc = Doc(parse(data))
    facts = DocumentFacts()
    facts.labs = results(doc)
    facts.medications = entries.medications(doc)
    present, excluded = entries.problems(doc)
    facts.conditions, facts.excluded = present, excluded
    facts.allergies = entries.allergies(doc)
    facts.immunizations = entries.immunizations(doc)
    facts.procedures = entries.procedures(doc)
    _header(doc, facts)
    return facts


def _header(doc: Doc, facts: DocumentFacts) -> None:
    """Type, date, patient, provider and facility from the document's header, if it has one."""
    root = doc.root
    if root.tag != "ClinicalDocument":
        facts.kind = "other"
        return
    code = child(root, "code")
    facts.kind = _KINDS.get(code.get("code", "") if code is not None else "", "other")
    when, kind = _service_date(root)
    facts.date, facts.date_kind = when, kind
    if when is not None:
        facts.date_citation = Citation(None, (), when.isoformat(), f"document {kind} time")
    patient = next(iter(find_all(root, "recordTarget/patientRole/patient")), None)
    if patient is not None:
        name = person_name(child(patient, "name"))
        born = to_date(child(patient, "birthTime"))
        facts.patient = PatientIdentity(
            (name,) if name else (), (born,) if born else (), ("recordTarget",)
        )
    for path in (
        "documentationOf/serviceEvent/performer/assignedEntity/assignedPerson",
        "componentOf/encompassingEncounter/encounterParticipant/assignedEntity/assignedPerson",
        "author/assignedAuthor/assignedPerson",
    ):
        person = next(iter(find_all(root, path)), None)
        name = person_name(child(person, "name")) if person is not None else None
        if name:
            facts.provider = name
            facts.provider_citation = Citation(None, (), name, path)
            break
    for path in (
        "componentOf/encompassingEncounter/location/healthCareFacility/serviceProviderOrganization",
        "custodian/assignedCustodian/representedCustodianOrganization",
        "author/assignedAuthor/representedOrganization",
    ):
        organization = next(iter(find_all(root, path)), None)
        name = text_of(child(organization, "name")) if organization is not None else None
        if name:
            facts.facility = name
            facts.facility_citation = Citation(None, (), name, path)
            break


def _service_date(root: ET.Element) -> tuple[date | None, str | None]:
    """When the care happened (service event, encounter), else when the document was made."""
    for path, kind in (
        ("componentOf/encompassingEncounter/effectiveTime", "service"),
        ("documentationOf/serviceEvent/effectiveTime", "service"),
    ):
        for element in find_all(root, path):
            high, low = child(element, "high"), child(element, "low")
            for candidate in (high, low, element):
                found = to_date(candidate)
                if found is not None:
                    return found, kind
    created = to_date(child(root, "effectiveTime"))
    return created, "created" if created else None


__all__ = ["CcdaError", "children", "parse", "read_ccda"]
