"""FHIR R4 XML resources, one at a time, in the shape of their JSON (for `ocr.facts.fhir`).

Parsed with defusedxml with DTDs forbidden, as the C-CDA reader does (no entity expansion,
no external fetches), and streamed: a Bundle's entries are turned into dicts one at a time
and dropped, so memory is bounded by the largest entry.

FHIR XML does not say which elements repeat; JSON does (arrays). Which are arrays comes from
the R4 definitions of the elements the facts reader uses (`_LISTS`), with the names that are
arrays in some resources and single in others decided by the resource (`_BY_RESOURCE`).
Primitive values become JSON numbers and booleans where R4 types them so. An element that
repeats where the table says it is single becomes an array all the same (the arrays of
resources the facts reader does not use); where the reader expects one value, that resource
fails alone with a warning, as a damaged JSON resource does.

Values are bounded as in the JSON reader (`MAX_VALUE`, 64 MB): a resource holding a longer
attribute or text fails alone, with the element named; and since the XML parser holds a value
whole before it is seen, the file is read through a guard that stops it (the rest of the file
unread) once any run without a `<` — which no text or attribute value contains — is longer
than `MAX_RUN`, so memory stays bounded whatever the file holds.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ocr.facts.fhir_stream import MAX_TOKEN, FhirFileError, Item

MAX_VALUE = MAX_TOKEN  # one attribute or text, as one JSON token: a resource fails beyond it
MAX_RUN = 2 * MAX_TOKEN  # between two `<`: the file stops being read beyond it
# Read in large pieces: the parser scans a value not yet ended again at every piece it is
# fed, so a value of many MB read 16 KB at a time would take minutes, not a second.
_CHUNK = 1024 * 1024
_MB = 1024 * 1024

FHIR_NS = "http://hl7.org/fhir"
_LISTS = frozenset(
    [
        "account",
        "additionalInstruction",
        "address",
        "appliesTo",
        "appointment",
        "author",
        "basedOn",
        "classHistory",
        "coding",
        "communication",
        "complication",
        "conclusionCode",
        "contact",
        "contained",
        "content",
        "dayOfWeek",
        "derivedFrom",
        "detectedIssue",
        "diagnosis",
        "dosage",
        "dosageInstruction",
        "doseAndRate",
        "education",
        "entry",
        "episodeOfCare",
        "event",
        "evidence",
        "extension",
        "focalDevice",
        "followUp",
        "given",
        "hasMember",
        "imagingStudy",
        "ingredient",
        "instantiatesCanonical",
        "instantiatesUri",
        "insurance",
        "interpretation",
        "line",
        "link",
        "manifestation",
        "media",
        "modifierExtension",
        "note",
        "participant",
        "photo",
        "prefix",
        "presentedForm",
        "profile",
        "programEligibility",
        "protocolApplied",
        "reaction",
        "reasonCode",
        "reasonReference",
        "referenceRange",
        "relatesTo",
        "report",
        "result",
        "resultsInterpreter",
        "security",
        "stage",
        "statusHistory",
        "subpotentReason",
        "suffix",
        "supportingInformation",
        "tag",
        "targetDisease",
        "telecom",
        "timeOfDay",
        "usedCode",
        "usedReference",
        "when",
        "component",
        "generalPractitioner",
        "identifier",
    ]
)
# Arrays in the resources named, single elsewhere (and always single below a resource's
# own elements, e.g. Identifier.type, Reference.identifier).
_BY_RESOURCE = {
    "category": {"Observation", "Condition", "AllergyIntolerance", "MedicationRequest",
                 "DiagnosticReport", "DocumentReference", "Encounter"},
    "name": {"Patient", "Practitioner", "RelatedPerson", "Person"},
    "type": {"Encounter"},
    "performer": {"Observation", "DiagnosticReport", "Immunization", "Procedure"},
    "statusReason": {"MedicationStatement"},
    "bodySite": {"Condition", "Procedure"},
    "specimen": {"DiagnosticReport"},
    "location": {"Encounter"},
    "partOf": {"Observation", "Procedure", "MedicationStatement", "Immunization"},
    "identifier": None,  # every resource's own identifiers are an array
}  # fmt: skip
_INTEGERS = frozenset(
    [
        "valueInteger",
        "valueUnsignedInt",
        "valuePositiveInt",
        "doseNumberPositiveInt",
        "seriesDosesPositiveInt",
        "frequency",
        "frequencyMax",
        "count",
        "countMax",
        "rank",
        "multipleBirthInteger",
    ]
)
_DECIMALS = frozenset(["valueDecimal", "period", "periodMax", "duration", "durationMax", "factor"])
_BOOLEANS = frozenset(
    [
        "valueBoolean",
        "asNeededBoolean",
        "active",
        "primarySource",
        "deceasedBoolean",
        "multipleBirthBoolean",
        "isSubpotent",
        "reportedBoolean",
        "doNotPerform",
        "notGiven",
        "userSelected",
        "inactive",
    ]
)
_TEXT_VALUES = frozenset(("identifier", "telecom"))  # their `value` is a string


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def is_xml(path: Path) -> bool:
    """Whether the file starts like XML (after a byte-order mark and white space)."""
    with open(path, "rb") as f:
        return f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


class _Guard:
    """A binary reader that fails once a run of bytes without `<` is longer than `limit`
    (counted across pieces: `limit` is far above the size of one)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw, self.limit, self.run = raw, limit, 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(_CHUNK if size is None or size < 0 else max(size, _CHUNK))
        first, last = data.find(b"<"), data.rfind(b"<")
        if first < 0:
            self.run += len(data)
        else:
            if self.run + first > self.limit:
                raise FhirFileError(_run_too_long(self.limit))
            self.run = len(data) - 1 - last
        if self.run > self.limit:
            raise FhirFileError(_run_too_long(self.limit))
        return data


def _run_too_long(limit: int) -> str:
    return (
        f"a single value in the file is longer than {limit // _MB} MB, which no health record "
        "needs; the rest of the file was not read"
    )


def _check_sizes(element: ET.Element, limit: int) -> None:
    """Raise ValueError naming the first attribute or text of the resource longer than `limit`."""
    for inner in element.iter():
        values = [(f"its {name} attribute", v) for name, v in inner.attrib.items()]
        values += [("its text", inner.text or ""), ("the text after it", inner.tail or "")]
        for what, value in values:
            if len(value) > limit:
                raise ValueError(
                    f"the element {local(inner.tag)} has a value of {len(value) / _MB:.1f} MB in "
                    f"{what}, longer than the {limit // _MB} MB a value may have"
                )


def resources(path: Path, *, max_value: int = MAX_VALUE, max_run: int = MAX_RUN) -> Iterator[Item]:
    """Every resource in the file, in order; raises FhirFileError when the file is refused
    (a DTD) or breaks off. A resource with a value longer than `max_value` fails alone."""
    depth = 0
    root = ""
    try:
        with open(path, "rb") as raw:
            f = _Guard(raw, max_run)
            for event, element in SafeET.iterparse(f, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    if depth == 0:
                        root = local(element.tag)
                        if not element.tag.startswith(f"{{{FHIR_NS}}}"):
                            raise FhirFileError("the XML is not FHIR (no FHIR namespace)")
                    depth += 1
                    continue
                depth -= 1
                if root == "Bundle" and depth == 1:
                    if local(element.tag) == "entry":
                        yield _entry(element, max_value)
                    element.clear()  # bounded memory: an entry at a time
                elif depth == 0 and root != "Bundle":
                    try:
                        _check_sizes(element, max_value)
                    except ValueError as error:
                        yield Item(None, failure=f"the {root} could not be read ({error})")
                        continue
                    yield Item(resource(element))
    except DefusedXmlException as error:
        raise FhirFileError(
            "the XML declares a DTD, which health records never need and Kinchart refuses "
            "(it can expand entities without limit or fetch other files)"
        ) from error
    except ET.ParseError as error:
        raise FhirFileError(f"the XML is damaged ({error})") from error


def _entry(entry: ET.Element, max_value: int = MAX_VALUE) -> Item:
    url = None
    for child in entry:
        if local(child.tag) == "fullUrl":
            url = child.get("value")
    holder = next((c for c in entry if local(c.tag) == "resource"), None)
    if holder is None or len(holder) == 0:
        return Item(None, url, failure="a Bundle entry without a resource")
    try:
        _check_sizes(entry, max_value)
        return Item(resource(holder[0]), url)
    except (ValueError, TypeError) as error:
        return Item(None, url, failure=f"a Bundle entry that could not be read ({error})")


def resource(element: ET.Element) -> dict[str, Any]:
    """A resource element as its FHIR JSON object."""
    kind = local(element.tag)
    out: dict[str, Any] = {"resourceType": kind}
    _fill(out, element, kind, top=True, parent=kind)
    return out


def _fill(out: dict[str, Any], element: ET.Element, kind: str, *, top: bool, parent: str) -> None:
    if element.get("id") is not None and not top:
        out["id"] = element.get("id")
    if element.get("url") is not None:
        out["url"] = element.get("url")
    for child in element:
        name = local(child.tag)
        if not child.tag.startswith(f"{{{FHIR_NS}}}"):
            continue  # the narrative's XHTML div: not read for facts
        value: Any
        if name in ("contained", "resource"):
            if len(child) == 0:
                continue
            value = resource(child[0])
        else:
            value = _value(child, name, kind, parent)
        if value is None:
            continue
        if _is_list(name, kind, top):
            out.setdefault(name, []).append(value)
        elif name in out:
            # Repeated where the table says single: an array of a resource the facts reader
            # does not read (Claim.item), or a damaged record, which then fails alone there.
            have = out[name]
            out[name] = [*have, value] if isinstance(have, list) else [have, value]
        else:
            out[name] = value


def _value(element: ET.Element, name: str, kind: str, parent: str) -> Any:
    if len(element) == 0 or all(local(c.tag) == "extension" for c in element):
        raw = element.get("value")
        if raw is not None:
            return _primitive(raw, name, parent)
        if len(element) == 0:
            return None
    out: dict[str, Any] = {}
    _fill(out, element, kind, top=False, parent=name)
    return out


def _primitive(raw: str, name: str, parent: str) -> Any:
    if name in _BOOLEANS:
        if raw not in ("true", "false"):
            raise ValueError(f"{name} is {raw!r}, not true or false")
        return raw == "true"
    if name in _INTEGERS:
        return int(raw)
    if name in _DECIMALS or (name == "value" and parent not in _TEXT_VALUES):
        try:
            number = float(raw)
        except ValueError:
            return raw  # a string value (an extension's, say)
        return int(raw) if raw.lstrip("+-").isdigit() else number
    return raw


def _is_list(name: str, kind: str, top: bool) -> bool:
    if name in _BY_RESOURCE:
        kinds = _BY_RESOURCE[name]
        return top and (kinds is None or kind in kinds)
    return name in _LISTS
