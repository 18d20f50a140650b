"""The International Patient Summary (HL7 IPS, a FHIR R4 document Bundle) of one profile.

Built from the clinician's read model (server/health/clinician.py), so it holds exactly what a
clinician is shown, with the same trust rules: held and foreign facts never, unreviewed ones
marked (see server/shares/fhir.py for how). The Composition comes first, then the Patient,
then one resource per item; the required sections (problems, medications, allergies) carry
the IPS "no information" entry when nothing is known, the others are left out when empty.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from server.health.clinician import ClinicianSummary, Entry, clinician_summary
from server.shares import fhir

COMPOSITION_TYPE = ("60591-5", "Patient summary Document")
IPS_PROFILE = "http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips"


@dataclass(frozen=True)
class Section:
    key: str
    code: str
    title: str
    required: bool


SECTIONS = (
    Section("problems", "11450-4", "Problem list", True),
    Section("medications", "10160-0", "Medication summary", True),
    Section("allergies", "48765-2", "Allergies and intolerances", True),
    Section("immunizations", "11369-6", "History of immunizations", False),
    Section("procedures", "47519-4", "History of procedures", False),
    Section("results", "30954-2", "Results", False),
    Section("vitals", "8716-3", "Vital signs", False),
    Section("past_problems", "11348-0", "History of past illness", False),
)


async def build_ips(
    profile_id: int,
    *,
    document_ids: Sequence[int] = (),
    include_labs: bool = True,
    include_vitals: bool = True,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The IPS Bundle of a profile, as JSON-ready data. The caller has checked access."""
    moment = now or datetime.now(UTC)
    summary = await clinician_summary(profile_id, now=moment, document_ids=document_ids)
    return bundle(summary, moment, include_labs=include_labs, include_vitals=include_vitals)


def bundle(
    summary: ClinicianSummary,
    moment: datetime,
    *,
    include_labs: bool = True,
    include_vitals: bool = True,
) -> dict[str, Any]:
    """The IPS Bundle from a summary already built."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    stamp = moment.isoformat(timespec="seconds")
    ids = _Ids()
    patient_url = ids.new()
    author_url = ids.new()
    entries: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []

    def add(resource: dict[str, Any], url: str) -> None:
        entries.append({"fullUrl": url, "resource": resource})

    groups: dict[str, list[tuple[Entry, Callable[..., dict[str, Any] | None]]]] = {
        "problems": [(e, fhir.resource) for e in summary.problems],
        "past_problems": [(e, fhir.past_condition) for e in summary.past_problems],
        "medications": [
            (e, fhir.resource) for e in (*summary.medications, *summary.older_medications)
        ],
        "allergies": [(e, fhir.resource) for e in summary.allergies]
        + (
            [(summary.no_known_allergies[0], fhir.no_known_allergies)]
            if summary.no_known_allergies and not summary.allergies
            else []
        ),
        "immunizations": [(e, fhir.resource) for e in summary.immunizations],
        "procedures": [(e, fhir.resource) for e in summary.procedures],
        "results": [(e, fhir.resource) for e in summary.labs] if include_labs else [],
        "vitals": [(e, fhir.resource) for e in summary.vitals] if include_vitals else [],
    }
    for section in SECTIONS:
        refs: list[dict[str, str]] = []
        lines: list[str] = []
        for item, make in groups[section.key]:
            url = ids.new()
            made = make(item, _id(url), patient_url)
            if made is None:
                continue
            add(made, url)
            refs.append({"reference": url})
            lines.append(_line(item))
        if not refs and section.required:
            url = ids.new()
            add(fhir.absent(_ABSENT[section.key], _id(url), patient_url, moment.date()), url)
            refs.append({"reference": url})
            lines.append(f"No information about {section.title.lower()}.")
        if not refs:
            continue
        sections.append(
            {
                "title": section.title,
                "code": fhir.concept(section.title, [(fhir.LOINC, section.code, section.title)]),
                "text": fhir.narrative(" · ".join(lines)),
                "entry": refs,
            }
        )

    person = summary.person
    composition_url = ids.new()
    composition = {
        "resourceType": "Composition",
        "id": _id(composition_url),
        "status": "final",
        "type": fhir.concept(
            COMPOSITION_TYPE[1], [(fhir.LOINC, COMPOSITION_TYPE[0], COMPOSITION_TYPE[1])]
        ),
        "subject": {"reference": patient_url, "display": person.name},
        "date": stamp,
        "author": [{"reference": author_url, "display": "Kinchart"}],
        "title": f"International Patient Summary: {person.name}",
        "confidentiality": "N",
        "extension": [
            {
                "url": fhir.REVIEW_EXTENSION,
                "valueCode": "unreviewed" if summary.unreviewed else "confirmed",
            }
        ],
        "section": sections,
    }
    device = {
        "resourceType": "Device",
        "id": _id(author_url),
        "deviceName": [{"name": "Kinchart", "type": "manufacturer-name"}],
        "note": [
            {
                "text": "Read by machine from the household's documents; entries marked "
                f"'unreviewed' ({summary.unreviewed}) were not checked by a person."
            }
        ],
    }
    head = [
        {"fullUrl": composition_url, "resource": composition},
        {"fullUrl": patient_url, "resource": fhir.patient(_id(patient_url), person)},
        {"fullUrl": author_url, "resource": device},
    ]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [IPS_PROFILE]},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
        "type": "document",
        "timestamp": stamp,
        "entry": head + entries,
    }


_ABSENT = {"problems": "condition", "medications": "medication", "allergies": "allergy"}


class _Ids:
    """Fresh urn:uuid full URLs: a summary names no database ids."""

    def new(self) -> str:
        return f"urn:uuid:{uuid.uuid4()}"


def _id(url: str) -> str:
    return url.rsplit(":", 1)[-1]


def _line(entry: Entry) -> str:
    parts = [entry.title]
    if entry.value:
        parts.append(entry.value)
    elif entry.detail:
        parts.append(entry.detail)
    if entry.date:
        parts.append(f"({_day(entry.date)})")
    if not entry.confirmed:
        parts.append("[unreviewed]")
    return " ".join(parts)


def _day(day: date) -> str:
    return day.isoformat()
