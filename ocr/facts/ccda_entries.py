"""C-CDA entries (by template id) as facts: medications, problems, allergies, immunizations,
procedures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ocr.facts.ccda_xml import (
    CVX,
    ICD10,
    RXNORM,
    XSI_TYPE,
    Doc,
    attr,
    child,
    children,
    code_text,
    coded,
    templates,
    text_of,
    to_date,
)
from ocr.facts.medications import strength_in
from ocr.facts.model import (
    Allergy,
    Condition,
    Immunization,
    Medication,
    Procedure,
)

_T = "2.16.840.1.113883.10.20.22.4."
PROBLEM, PROBLEM_STATUS = _T + "4", _T + "6"
ALLERGY, REACTION, SEVERITY, ALLERGY_STATUS = _T + "7", _T + "9", _T + "8", _T + "28"
MEDICATION, IMMUNIZATION = _T + "16", _T + "52"
# CCD 1.0 / HITSP C32 / IHE PCC templates, taken only inside the matching section.
_CCD, _IHE, _C32 = (
    "2.16.840.1.113883.10.20.1.",
    "1.3.6.1.4.1.19376.1.5.3.1.",
    "2.16.840.1.113883.3.88.11.83.",
)
LEGACY = {
    "problem": ((_CCD + "28", _IHE + "4.5"), (_CCD + "11", _C32 + "103", _IHE + "3.6")),
    "allergy": ((_CCD + "18", _IHE + "4.6"), (_CCD + "2", _C32 + "102", _IHE + "3.13")),
    "medication": (
        (_CCD + "24", _C32 + "8", _IHE + "4.7"),
        (_CCD + "8", _C32 + "112", _IHE + "3.19"),
    ),
    "immunization": (
        (_CCD + "24", _C32 + "13", _IHE + "4.12"),
        (_CCD + "6", _C32 + "117", _IHE + "3.23"),
    ),
}
LEGACY_STATUS = (_CCD + "50", _CCD + "39")  # problem status, alert status
# The Procedures section (entries required, and optional), whose entries are procedure
# activities: procedure (4.14), act (4.12) or observation (4.13).
PROCEDURE_SECTIONS = ("2.16.840.1.113883.10.20.22.2.7.1", "2.16.840.1.113883.10.20.22.2.7")
_PROCEDURE_TAGS = ("procedure", "act", "observation")
PROCEDURE_CODES = (  # SNOMED CT, CPT-4, ICD-10-PCS
    "2.16.840.1.113883.6.96",
    "2.16.840.1.113883.6.12",
    "2.16.840.1.113883.6.4",
)
# statusCode → the Procedure's status (as FHIR's); cancelled, nullified and obsolete ones were
# never done (or are void): no fact.
_PROCEDURE_STATES = {
    "completed": "completed",
    "active": "in-progress",
    "new": "in-progress",
    "held": "in-progress",
    "aborted": "stopped",
    "suspended": "stopped",
}
_PLACEHOLDER = ("no medication", "no immunization", "no known", "none", "unknown", "not applicable")
_NO_KNOWN_SCOPE = {
    "419199007": "all",
    "416098002": "drug",
    "414285001": "food",
    "59037007": "drug",
    "235719002": "food",
}
_PERIODS = {
    (24, "h"): "daily",
    (1, "d"): "daily",
    (12, "h"): "twice daily",
    (8, "h"): "three times daily",
    (6, "h"): "four times daily",
    (1, "wk"): "weekly",
    (7, "d"): "weekly",
    (1, "mo"): "monthly",
}
_EVENTS = {
    "HS": "at bedtime",
    "ACM": "before breakfast",
    "ACD": "before lunch",
    "ACV": "before dinner",
    "AC": "before meals",
    "PC": "after meals",
    "WAKE": "on waking",
}


def medications(doc: Doc) -> list[Medication]:
    """Medication activities; refused ones (negated) keep status "refused"."""
    found = []
    for activity in doc.entries("substanceAdministration", (MEDICATION,), *LEGACY["medication"]):
        material = _material(activity)
        name = code_text(doc, material) or text_of(child(_product(activity), "name"))
        if not name or name.lower().startswith(_PLACEHOLDER) or activity.get("nullFlavor"):
            continue
        if (
            activity.get("negationInd") == "true"
            and material is not None
            and material.get("nullFlavor")
        ):
            continue  # "no medications": a statement about the list, not a refused drug
        status = attr(child(activity, "statusCode"), "code") or ""
        if activity.get("negationInd") == "true":
            state = "refused"
        else:
            state = {
                "active": "active",
                "new": "active",
                "completed": "stopped",
                "aborted": "stopped",
                "suspended": "stopped",
            }.get(status, "unknown")
        dose = child(activity, "doseQuantity")
        route = child(activity, "routeCode")
        found.append(
            Medication(
                name=name,
                citation=doc.cite(activity, child(activity, "text"), material),
                strength=strength_in(name),
                dose=_quantity(dose),
                route=(route.get("displayName") or route.get("code"))
                if route is not None and not route.get("nullFlavor")
                else None,
                frequency=_frequency(activity),
                as_needed=child(activity, "precondition") is not None,
                status=state,
                instructions=doc.narrative(child(activity, "text")),
                code=coded(material, (RXNORM,)),
            )
        )
    return found


def _product(activity: ET.Element) -> ET.Element | None:
    return child(
        child(child(activity, "consumable"), "manufacturedProduct"), "manufacturedMaterial"
    )


def _material(activity: ET.Element) -> ET.Element | None:
    return child(_product(activity), "code")


def _quantity(element: ET.Element | None) -> str | None:
    if element is None or element.get("nullFlavor") or not element.get("value"):
        return None
    unit = element.get("unit")
    return f"{element.get('value')} {unit}" if unit and unit != "1" else element.get("value")


def _frequency(activity: ET.Element) -> str | None:
    """Timing from PIVL_TS periods (a range as in "every 4-6 hours") or EIVL_TS events."""
    for timing in children(activity, "effectiveTime"):
        kind = (timing.get(XSI_TYPE) or "").split(":")[-1]
        period = child(timing, "period")
        if kind == "PIVL_TS" and period is not None:
            if period.get("value"):
                amount, unit = float(period.get("value") or 0), period.get("unit", "")
                named = _PERIODS.get((int(amount), unit)) if amount.is_integer() else None
                return named or f"every {amount:g} {unit}"
            low, high = child(period, "low"), child(period, "high")
            if low is not None and high is not None:
                return (
                    f"every {low.get('value')}-{high.get('value')} {high.get('unit', '')}".strip()
                )
        if kind == "EIVL_TS":
            event = child(timing, "event")
            if event is not None:
                return _EVENTS.get(event.get("code", ""), event.get("code"))
    return None


def problems(doc: Doc) -> tuple[list[Condition], list[Condition]]:
    """Problem observations: the patient's, and negated ones ("does not have diabetes")."""
    present: list[Condition] = []
    excluded: list[Condition] = []
    for observation in doc.entries("observation", (PROBLEM,), *LEGACY["problem"]):
        value = child(observation, "value")
        name = code_text(doc, value)
        if not name or value is None or value.get("code") in ("55607006", "64572001"):
            continue  # "no known problems" is a statement about the list, not a problem
        negated = observation.get("negationInd") == "true"
        time = child(observation, "effectiveTime")
        resolved = to_date(child(time, "high")) is not None or _status(doc, observation) in (
            "resolved",
            "inactive",
        )
        condition = Condition(
            name=name,
            citation=doc.cite(observation, child(observation, "text"), value),
            icd10=coded(value, ICD10),
            code=value.get("code"),
            status="resolved" if resolved else "active",
            assertion="absent" if negated else "present",
            onset=to_date(child(time, "low")),
        )
        (excluded if negated else present).append(condition)
    return present, excluded


def _status(doc: Doc, observation: ET.Element) -> str | None:
    for relation in children(observation, "entryRelationship"):
        for inner in children(relation, "observation"):
            roots = templates(inner)
            if roots & {PROBLEM_STATUS, ALLERGY_STATUS, *LEGACY_STATUS}:
                return (code_text(doc, child(inner, "value")) or "").lower() or None
    return None


def allergies(doc: Doc) -> list[Allergy]:
    """Allergy observations, "no known allergies" statements and refuted allergies."""
    found = []
    for observation in doc.entries("observation", (ALLERGY,), *LEGACY["allergy"]):
        entity = next(observation.iter("playingEntity"), None)
        substance_code = child(entity, "code")
        substance = code_text(doc, substance_code) or text_of(child(entity, "name"))
        negated = observation.get("negationInd") == "true"
        citation = doc.cite(observation, child(observation, "text"))
        if not substance and negated:
            scope = _NO_KNOWN_SCOPE.get(attr(child(observation, "value"), "code") or "", "all")
            found.append(Allergy(None, citation, none_known=True, scope=scope))
            continue
        if not substance:
            continue
        reaction = next(doc.templated_in(observation, REACTION), None)
        severity = next(doc.templated_in(observation, SEVERITY), None)
        status = _status(doc, observation)
        found.append(
            Allergy(
                substance,
                citation,
                reaction=code_text(doc, child(reaction, "value")) if reaction is not None else None,
                severity=(code_text(doc, child(severity, "value")) or "").lower() or None
                if severity is not None
                else None,
                status="refuted"
                if negated
                else ("inactive" if status in ("inactive", "resolved") else "active"),
                code=substance_code.get("code") if substance_code is not None else None,
            )
        )
    return found


def immunizations(doc: Doc) -> list[Immunization]:
    """Immunization activities; negated ones are refused (patient objection) or not given."""
    found = []
    for activity in doc.entries(
        "substanceAdministration", (IMMUNIZATION,), *LEGACY["immunization"]
    ):
        material = _material(activity)
        vaccine = code_text(doc, material)
        if not vaccine or activity.get("nullFlavor") or vaccine.lower().startswith(_PLACEHOLDER):
            continue
        status = "completed"
        if activity.get("negationInd") == "true":
            reasons = [
                o
                for r in children(activity, "entryRelationship")
                for o in children(r, "observation")
            ]
            objected = any(attr(child(o, "code"), "code") == "PATOBJ" for o in reasons)
            status = "refused" if objected else "not given"
        repeat = child(activity, "repeatNumber")
        found.append(
            Immunization(
                vaccine,
                doc.cite(activity, child(activity, "text"), material),
                given=to_date(child(activity, "effectiveTime")),
                dose_number=int(repeat.get("value", "0")) or None
                if repeat is not None and (repeat.get("value") or "").isdigit()
                else None,
                status=status,
                code=coded(material, (CVX,)),
            )
        )
    return found


def procedures(doc: Doc) -> list[Procedure]:
    """Procedure activities of the Procedures section that were done: negated ones ("not
    done"), planned ones (a mood other than event), ones with no code (nullFlavor) and
    cancelled or void ones are none."""
    found = []
    for section in doc.root.iter("section"):
        if not templates(section) & set(PROCEDURE_SECTIONS):
            continue
        for entry in children(section, "entry"):
            for activity in entry:
                if activity.tag not in _PROCEDURE_TAGS:
                    continue
                if activity.get("negationInd") == "true" or activity.get("nullFlavor"):
                    continue
                if (activity.get("moodCode") or "EVN") != "EVN":
                    continue
                code = child(activity, "code")
                if code is None or code.get("nullFlavor"):
                    continue
                name = code_text(doc, code)
                status_code = attr(child(activity, "statusCode"), "code") or ""
                if not name or (status_code and status_code not in _PROCEDURE_STATES):
                    continue
                found.append(
                    Procedure(
                        name,
                        doc.cite(activity, child(activity, "text"), child(code, "originalText")),
                        performed=to_date(child(activity, "effectiveTime")),
                        status=_PROCEDURE_STATES.get(status_code, "unknown"),
                        code=coded(code, PROCEDURE_CODES) or code.get("code"),
                    )
                )
    return found
