"""Kinchart's facts as FHIR R4 resources: one mapping for the International Patient Summary,
the whole-record export and anything else that speaks FHIR.

Codes are given where Kinchart knows them (LOINC for lab tests and vital signs from the
catalogue; the source's own code for the rest, its system guessed from its shape), units in
UCUM, and every resource says whether a person checked it:

- Conditions and allergies use their own `verificationStatus` (`confirmed` / `unconfirmed`).
- Observations are `final` when a person checked them, `preliminary` when only machine-read.
- Every resource carries the extension `REVIEW_EXTENSION` with the code `confirmed`
  (a person confirmed, corrected or entered it) or `unreviewed` (machine-read, unchecked).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from ocr.facts import catalogue
from server.health.clinician import Entry, Person

REVIEW_EXTENSION = "urn:kinchart:fhir:StructureDefinition:review-status"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
CVX = "http://hl7.org/fhir/sid/cvx"
CPT = "http://www.ama-assn.org/go/cpt"
# Procedure.status values (R4); others (a document's "done") are written as completed.
_PROCEDURE_STATUS = {"preparation", "in-progress", "on-hold", "stopped", "completed", "unknown"}
UCUM = "http://unitsofmeasure.org"
ABSENT = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

# Blood pressure: the panel and its two components (LOINC).
BP_PANEL, BP_SYSTOLIC, BP_DIASTOLIC = "85354-9", "8480-6", "8462-4"

_FLAGS = {
    "H": ("H", "High"),
    "HH": ("HH", "Critical high"),
    "L": ("L", "Low"),
    "LL": ("LL", "Critical low"),
    "A": ("A", "Abnormal"),
    "critical": ("AA", "Critical abnormal"),
}

# Units as Kinchart shows them → UCUM (what is not here and has no spaces is already UCUM).
_UCUM = {
    "°C": "Cel",
    "°F": "[degF]",
    "kg/m²": "kg/m2",
    "bpm": "/min",
    "beats/min": "/min",
    "breaths/min": "/min",
    "lb": "[lb_av]",
    "lbs": "[lb_av]",
    "in": "[in_i]",
    "mmHg": "mm[Hg]",
    "IU/L": "[IU]/L",
    "mIU/L": "m[IU]/L",
    "µIU/mL": "u[IU]/mL",
    "uIU/mL": "u[IU]/mL",
    "IU/mL": "[IU]/mL",
}


def ucum(unit: str) -> str | None:
    """The UCUM code of a unit as Kinchart writes it, or None when it has none."""
    unit = unit.strip()
    if not unit:
        return None
    if unit in _UCUM:
        return _UCUM[unit]
    code = unit.replace("µ", "u").replace("²", "2").replace("³", "3")
    code = re.sub(r"^(?:x\s*)?10\s*(?:\^|E|e|\*)\s*(\d+)", r"10*\1", code)
    code = code.replace("IU", "[IU]") if "[IU]" not in code else code
    if re.fullmatch(r"[A-Za-z0-9*/.%\[\]_\-]+", code):
        return code
    return None


def review(entry: Entry) -> dict[str, Any]:
    return {"url": REVIEW_EXTENSION, "valueCode": "confirmed" if entry.confirmed else "unreviewed"}


def narrative(text: str) -> dict[str, str]:
    """A generated narrative (escaped text in the XHTML the spec requires)."""
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{safe}</div>'}


def concept(text: str, codings: Iterable[tuple[str, str, str]] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"text": text}
    coding = [{"system": s, "code": c, **({"display": d} if d else {})} for s, c, d in codings if c]
    if coding:
        out["coding"] = coding
    return out


def guess_system(kind: str, code: str) -> str | None:
    """The code system of a code from a document, by the kind of fact and the code's shape."""
    code = code.strip()
    if not code:
        return None
    if kind in ("lab", "vital") and re.fullmatch(r"\d{1,7}-\d", code):
        return LOINC
    if kind == "immunization" and re.fullmatch(r"\d{1,3}", code):
        return CVX
    if kind == "procedure" and re.fullmatch(r"\d{4}[0-9FT]", code):
        return CPT
    if kind == "medication" and re.fullmatch(r"\d{2,8}", code):
        return RXNORM
    if kind == "condition" and re.fullmatch(r"[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?", code):
        return ICD10
    if re.fullmatch(r"\d{6,18}", code):
        return SNOMED
    return None


def _codings(entry: Entry) -> list[tuple[str, str, str]]:
    fact = entry.fact
    codes: list[tuple[str, str, str]] = []
    if fact.kind in ("lab", "vital") and fact.analyte in catalogue.BY_KEY:
        analyte = catalogue.BY_KEY[fact.analyte]
        if analyte.loinc:
            codes.append((LOINC, analyte.loinc, analyte.name))
    code = entry.code or fact.code
    system = guess_system(fact.kind, code)
    if system and not any(c == code for _, c, _ in codes):
        codes.append((system, code, ""))
    return codes


def _date(day: date | None) -> str | None:
    return day.isoformat() if day else None


def patient(resource_id: str, person: Person) -> dict[str, Any]:
    name: dict[str, Any] = {"text": person.name}
    parts = person.name.replace(",", " ").split()
    if "," in person.name and parts:
        name |= {"family": person.name.split(",")[0].strip(), "given": parts[1:]}
    elif len(parts) > 1:
        name |= {"family": parts[-1], "given": parts[:-1]}
    out: dict[str, Any] = {"resourceType": "Patient", "id": resource_id, "name": [name]}
    if person.date_of_birth:
        out["birthDate"] = person.date_of_birth.isoformat()
    return out


def resource(entry: Entry, resource_id: str, subject: str) -> dict[str, Any] | None:
    """One fact as its FHIR resource (None for kinds FHIR has no place for here)."""
    maker = _MAKERS.get(entry.kind)
    return maker(entry, resource_id, subject) if maker else None


def _base(kind: str, resource_id: str, entry: Entry) -> dict[str, Any]:
    return {"resourceType": kind, "id": resource_id, "extension": [review(entry)]}


def _condition(entry: Entry, resource_id: str, subject: str, past: bool = False) -> dict[str, Any]:
    out = _base("Condition", resource_id, entry)
    state = entry.fact.state
    clinical = "resolved" if past or state == "resolved" else (
        "inactive" if state == "inactive" else "active")  # fmt: skip
    out |= {
        "clinicalStatus": concept(clinical, [(CONDITION_CLINICAL, clinical, "")]),
        "verificationStatus": _verification(CONDITION_VERIFICATION, entry),
        "code": concept(entry.title, _codings(entry)),
        "subject": {"reference": subject},
    }
    if entry.date:
        out["onsetDateTime" if not past else "recordedDate"] = entry.date.isoformat()
    return out


def past_condition(entry: Entry, resource_id: str, subject: str) -> dict[str, Any]:
    return _condition(entry, resource_id, subject, past=True)


def _verification(system: str, entry: Entry) -> dict[str, Any]:
    code = "confirmed" if entry.confirmed else "unconfirmed"
    return concept(code, [(system, code, "")])


def _medication(entry: Entry, resource_id: str, subject: str) -> dict[str, Any]:
    out = _base("MedicationStatement", resource_id, entry)
    stopped = entry.fact.state in ("stopped", "completed", "discontinued")
    out |= {
        "status": "stopped" if stopped else ("unknown" if entry.old else "active"),
        "medicationCodeableConcept": concept(entry.title, _codings(entry)),
        "subject": {"reference": subject},
    }
    if entry.detail:
        out["dosage"] = [{"text": entry.detail}]
    if entry.date:
        out["effectiveDateTime"] = entry.date.isoformat()
    return out


def _allergy(entry: Entry, resource_id: str, subject: str) -> dict[str, Any]:
    out = _base("AllergyIntolerance", resource_id, entry)
    out |= {
        "clinicalStatus": concept("active", [(ALLERGY_CLINICAL, "active", "")]),
        "verificationStatus": _verification(ALLERGY_VERIFICATION, entry),
        "code": concept(entry.title, _codings(entry)),
        "patient": {"reference": subject},
    }
    if entry.detail:
        out["reaction"] = [{"manifestation": [concept(entry.detail)]}]
    if entry.date:
        out["recordedDate"] = entry.date.isoformat()
    return out


def no_known_allergies(entry: Entry, resource_id: str, subject: str) -> dict[str, Any]:
    out = _base("AllergyIntolerance", resource_id, entry)
    out |= {
        "clinicalStatus": concept("active", [(ALLERGY_CLINICAL, "active", "")]),
        "verificationStatus": _verification(ALLERGY_VERIFICATION, entry),
        "code": concept(
            "No known allergies", [(ABSENT, "no-known-allergies", "No known allergies")]
        ),
        "patient": {"reference": subject},
    }
    if entry.date:
        out["recordedDate"] = entry.date.isoformat()
    return out


def _immunization(entry: Entry, resource_id: str, subject: str) -> dict[str, Any]:
    out = _base("Immunization", resource_id, entry)
    out |= {
        "status": "completed",
        "vaccineCode": concept(entry.title, _codings(entry)),
        "patient": {"reference": subject},
    }
    if entry.date:
        out["occurrenceDateTime"] = entry.date.isoformat()
    else:
        out["occurrenceString"] = "date not recorded"
    return out


def _procedure(entry: Entry, resource_id: str, subject: str) -> dict[str, Any]:
    out = _base("Procedure", resource_id, entry)
    state = entry.fact.state
    out |= {
        "status": state if state in _PROCEDURE_STATUS else "completed",
        "code": concept(entry.title, _codings(entry)),
        "subject": {"reference": subject},
    }
    if entry.date:
        out["performedDateTime"] = entry.date.isoformat()
    return out


def _observation(entry: Entry, resource_id: str, subject: str) -> dict[str, Any]:
    fact = entry.fact
    category = "vital-signs" if entry.kind == "vital" else "laboratory"
    out = _base("Observation", resource_id, entry)
    out |= {
        "status": "final" if entry.confirmed else "preliminary",
        "category": [concept(category, [(OBSERVATION_CATEGORY, category, "")])],
        "code": concept(entry.title, _codings(entry)),
        "subject": {"reference": subject},
    }
    if entry.date:
        out["effectiveDateTime"] = entry.date.isoformat()
    pressure = re.fullmatch(r"\s*(\d{2,3})\s*/\s*(\d{2,3})\s*", fact.value_text or entry.value)
    if fact.analyte == "blood_pressure" and pressure:
        out["code"] = concept(entry.title, [(LOINC, BP_PANEL, "Blood pressure panel")])
        out["component"] = [
            {
                "code": concept(name, [(LOINC, code, name)]),
                "valueQuantity": _quantity(float(pressure.group(i)), "mm[Hg]"),
            }
            for i, (code, name) in enumerate(
                (
                    (BP_SYSTOLIC, "Systolic blood pressure"),
                    (BP_DIASTOLIC, "Diastolic blood pressure"),
                ),
                start=1,
            )
        ]
        return out
    if fact.value_num is not None and not _qualified(fact.value_text):
        out["valueQuantity"] = _quantity(fact.value_num, fact.unit)
    elif entry.value or fact.value_text:
        out["valueString"] = entry.value or f"{fact.value_text} {fact.unit}".strip()
    if entry.flag and entry.flag in _FLAGS:
        code, display = _FLAGS[entry.flag]
        out["interpretation"] = [concept(display, [(INTERPRETATION, code, display)])]
    reference = _reference(entry, fact.unit)
    if reference:
        out["referenceRange"] = [reference]
    return out


def _qualified(text: str) -> bool:
    """A value printed with a comparator or as a titre ("<0.5", ">90", "1:160")."""
    return bool(re.search(r"[<>≤≥:]", text or ""))


def _quantity(value: float, unit: str) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value}
    if unit:
        out["unit"] = unit
        code = ucum(unit)
        if code:
            out |= {"system": UCUM, "code": code}
    return out


def _reference(entry: Entry, unit: str) -> dict[str, Any] | None:
    band = entry.band
    out: dict[str, Any] = {}
    if band is not None:
        if band.low is not None:
            out["low"] = _quantity(band.low, unit)
        if band.high is not None:
            out["high"] = _quantity(band.high, unit)
    if entry.reference:
        out["text"] = entry.reference
    return out or None


_MAKERS = {
    "condition": _condition,
    "medication": _medication,
    "allergy": _allergy,
    "immunization": _immunization,
    "procedure": _procedure,
    "lab": _observation,
    "vital": _observation,
}


def absent(kind: str, resource_id: str, subject: str, day: date) -> dict[str, Any]:
    """The IPS 'no information' entry for a required section with nothing known."""
    if kind == "medication":
        return {
            "resourceType": "MedicationStatement",
            "id": resource_id,
            "status": "unknown",
            "medicationCodeableConcept": concept(
                "No information about medications",
                [(ABSENT, "no-medication-info", "No information about medications")],
            ),
            "subject": {"reference": subject},
            "effectiveDateTime": day.isoformat(),
        }
    if kind == "allergy":
        return {
            "resourceType": "AllergyIntolerance",
            "id": resource_id,
            "code": concept(
                "No information about allergies",
                [(ABSENT, "no-allergy-info", "No information about allergies")],
            ),
            "patient": {"reference": subject},
        }
    return {
        "resourceType": "Condition",
        "id": resource_id,
        "code": concept(
            "No information about problems",
            [(ABSENT, "no-problem-info", "No information about problems")],
        ),
        "subject": {"reference": subject},
    }


__all__ = ["REVIEW_EXTENSION", "absent", "narrative", "patient", "resource", "ucum"]
