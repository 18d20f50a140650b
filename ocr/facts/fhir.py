"""FHIR R4 records (JSON or XML; Bundles of any type, single resources, NDJSON) read into facts.

Resources are streamed (`ocr.facts.fhir_stream`), so a 100 MB bundle costs the memory of
its largest resource. A resource that cannot be understood fails alone, with a warning that
names it; the file fails only when its JSON breaks off. Citations carry the resource type and
id and the element (`locator`, e.g. "Observation 1a2b · value") and a line a person can read.

What counts: Observations of category laboratory (lab) and vital-signs (vital; a blood
pressure's systolic and diastolic components are one reading), Conditions (refuted ones are
kept as absent, entered-in-error ones dropped), MedicationRequest/MedicationStatement (with
contained or referenced Medication), AllergyIntolerance (with no-known-allergy codes),
Immunization (not-done kept as not given / refused), Procedure (not-done and entered-in-error
left out), Encounter and DiagnosticReport dates,
Patient name and birth date for filing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ocr.facts import catalogue, fhir_xml, units
from ocr.facts.fhir_stream import FhirFileError, Item, resources
from ocr.facts.medications import strength_in
from ocr.facts.model import (
    Allergy,
    Citation,
    Condition,
    DatedMention,
    DocumentFacts,
    Immunization,
    LabResult,
    Medication,
    Procedure,
    Quantity,
    ReferenceBand,
    ReferenceRange,
    ResultValue,
)
from ocr.facts.values import TEXT_RESULTS
from ocr.identity import PatientIdentity

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CVX = "http://hl7.org/fhir/sid/cvx"
CPT = "http://www.ama-assn.org/go/cpt"
ICD10 = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
SYSTOLIC, DIASTOLIC = "8480-6", "8462-4"
# Statuses that say the resource is not a fact about the patient at all.
VOID = {"entered-in-error", "cancelled"}
_NO_KNOWN_SCOPE = {
    "716186003": "all",  # No known allergy
    "409137002": "drug",  # No known drug allergy
    "429625007": "food",  # No known food allergy
    "428607008": "environment",  # No known environmental allergy
    "428197003": "drug",  # No known history of drug allergy
}
_FLAGS = {"H": "H", "L": "L", "HH": "HH", "LL": "LL", "A": "A", "AA": "critical", "N": "N",
          "HU": "HH", "LU": "LL", ">": "H", "<": "L"}  # fmt: skip
_MED_STATUS = {"active": "active", "completed": "stopped", "stopped": "stopped",
               "cancelled": "stopped", "on-hold": "stopped", "intended": "active",
               "not-taken": "refused", "draft": "unknown", "unknown": "unknown"}  # fmt: skip
_PERIODS = {("d", 1): "daily", ("h", 24): "daily", ("wk", 1): "weekly", ("mo", 1): "monthly"}
_TIMES = {1: "", 2: "twice ", 3: "three times ", 4: "four times "}
_BAD = (TypeError, ValueError, KeyError, AttributeError, IndexError)


class FhirError(ValueError):
    """The file is not FHIR JSON we can read at all."""


@dataclass
class _State:
    facts: DocumentFacts = field(default_factory=DocumentFacts)
    medications: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id and fullUrl
    pending: list[dict[str, Any]] = field(default_factory=list)  # requests naming a Medication
    names: list[str] = field(default_factory=list)
    births: list[date] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    encounters: list[date] = field(default_factory=list)
    reports: list[date] = field(default_factory=list)
    failed: int = 0
    count: int = 0


def read_fhir(path: Path) -> DocumentFacts:
    """Every fact in a FHIR R4 JSON or XML file."""
    state = _State()
    stream = fhir_xml.resources(path) if fhir_xml.is_xml(path) else resources(path)
    try:
        for item in stream:
            _take(state, item)
    except FhirFileError as error:
        if not state.count:
            raise FhirError(str(error)) from error
        state.facts.warnings.append(
            f"The record was read only as far as {state.count} resources: {error}."
        )
    for request in state.pending:
        _guarded(state, request, lambda r: _medication(state, r, resolve=True))
    _finish(state)
    return state.facts


def _take(state: _State, item: Item) -> None:
    state.count += 1
    if item.resource is None:
        state.failed += 1
        state.facts.warnings.append(f"A resource could not be read: {item.failure}.")
        return
    resource = item.resource
    if resource.get("resourceType") == "Medication":
        for key in (resource.get("id"), item.full_url):
            if isinstance(key, str):
                state.medications[key] = resource
        return
    _guarded(state, resource, lambda r: _read(state, r))


def _guarded(state: _State, resource: dict[str, Any], read: Any) -> None:
    try:
        read(resource)
    except _BAD as error:
        state.failed += 1
        state.facts.warnings.append(
            f"{_name(resource)} could not be read ({type(error).__name__}: {error}); "
            "the rest of the record was read."
        )


def _name(resource: dict[str, Any]) -> str:
    kind = resource.get("resourceType") or "resource"
    ident = resource.get("id")
    return f"{kind} {ident}" if isinstance(ident, str) else str(kind)


def _read(state: _State, r: dict[str, Any]) -> None:
    kind = r["resourceType"]
    if kind == "Patient":
        _patient(state, r)
    elif kind == "Observation":
        result = observation(r)
        if result is not None:
            state.facts.labs.append(result)
    elif kind == "DiagnosticReport":
        if r.get("status") not in VOID:
            issued = to_date(r.get("issued")) or _effective(r)
            if issued is not None:
                state.reports.append(issued)
                state.facts.dates.append(DatedMention(issued, "reported", _cite(r, "issued")))
    elif kind == "Condition":
        _condition(state, r)
    elif kind in ("MedicationRequest", "MedicationStatement"):
        _medication(state, r, resolve=False)
    elif kind == "AllergyIntolerance":
        found = allergy(r)
        if found is not None:
            state.facts.allergies.append(found)
    elif kind == "Immunization":
        found_immunization = immunization(r)
        if found_immunization is not None:
            state.facts.immunizations.append(found_immunization)
    elif kind == "Procedure":
        found_procedure = procedure(r)
        if found_procedure is not None:
            state.facts.procedures.append(found_procedure)
    elif kind == "Encounter" and r.get("status") not in VOID:
        period = r.get("period") or {}
        when = to_date(period.get("start")) or to_date(period.get("end"))
        if when is not None:
            state.encounters.append(when)
            state.facts.dates.append(DatedMention(when, "service", _cite(r, "period")))


def _finish(state: _State) -> None:
    facts = state.facts
    if state.names or state.births:
        facts.patient = PatientIdentity(
            tuple(dict.fromkeys(state.names)),
            tuple(dict.fromkeys(state.births)),
            tuple(state.evidence),
        )
    # The record's own date: its latest visit, else its latest report, else its latest result.
    for dates, kind, what in (
        (state.encounters, "service", "latest encounter"),
        (state.reports, "reported", "latest report issued"),
        ([r.collected for r in facts.labs if r.collected], "collected", "latest result"),
    ):
        if dates:
            facts.date, facts.date_kind = max(dates), kind
            facts.date_citation = Citation(None, (), facts.date.isoformat(), what)
            break
    labs = [r for r in facts.labs if r.category == "lab"]
    only_results = not (facts.medications or facts.conditions or facts.immunizations)
    facts.kind = "lab report" if labs and only_results and not state.encounters else "other"
    if state.failed:
        facts.warnings.insert(
            0, f"{state.failed} of {state.count} resources in this record could not be read."
        )


# -- helpers ------------------------------------------------------------------------------


def to_date(value: Any) -> date | None:
    """A full date from a FHIR date or dateTime; None for partial dates (2019, 2019-05)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def concept_text(concept: Any) -> str | None:
    """What a CodeableConcept says: its text, else the first coding's display, else a code."""
    if not isinstance(concept, dict):
        return None
    text = concept.get("text")
    if isinstance(text, str) and text.strip():
        return text.strip()
    for coding in _codings(concept):
        if isinstance(coding.get("display"), str) and coding["display"].strip():
            return str(coding["display"]).strip()
    for coding in _codings(concept):
        if isinstance(coding.get("code"), str):
            return str(coding["code"])
    return None


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


def code_in(concept: Any, *systems: str) -> str | None:
    """The first code of `concept` from one of `systems`."""
    for coding in _codings(concept):
        if coding.get("system") in systems and isinstance(coding.get("code"), str):
            return str(coding["code"]).strip()
    return None


def _status_code(concept: Any) -> str | None:
    for coding in _codings(concept):
        if isinstance(coding.get("code"), str):
            return str(coding["code"])
    return None


def _cite(r: dict[str, Any], element: str, line: str = "") -> Citation:
    return Citation(None, (), line, f"{_name(r)} · {element}")


def _effective(r: dict[str, Any]) -> date | None:
    for key in ("effectiveDateTime", "effectiveInstant", "occurrenceDateTime"):
        if key in r:
            return to_date(r[key])
    period = r.get("effectivePeriod") or {}
    return to_date(period.get("start")) or to_date(period.get("end"))


# -- Patient ------------------------------------------------------------------------------


def _patient(state: _State, r: dict[str, Any]) -> None:
    names = [n for n in r.get("name") or [] if isinstance(n, dict)]
    names.sort(key=lambda n: n.get("use") != "official")
    for name in names[:1]:
        text = name.get("text")
        if not isinstance(text, str) or not text.strip():
            given = " ".join(str(g) for g in name.get("given") or [])
            text = f"{given} {name.get('family') or ''}".strip()
        if text:
            state.names.append(text)
    born = to_date(r.get("birthDate"))
    if born is not None:
        state.births.append(born)
    state.evidence.append(_name(r))


# -- Observation --------------------------------------------------------------------------


def category_of(r: dict[str, Any]) -> str | None:
    """ "lab" or "vital" from an Observation's category; None for every other category."""
    codes = {c.get("code") for concept in r.get("category") or [] for c in _codings(concept)}
    if "vital-signs" in codes:
        return "vital"
    if "laboratory" in codes:
        return "lab"
    return None


def observation(r: dict[str, Any]) -> LabResult | None:
    """A lab or vital sign result, or None (other categories, no value, entered in error)."""
    category = category_of(r)
    if category is None or r.get("status") in VOID:
        return None
    when = _effective(r) or to_date(r.get("issued"))
    components = [c for c in r.get("component") or [] if isinstance(c, dict)]
    by_code = {code_in(c.get("code"), LOINC): c for c in components}
    if SYSTOLIC in by_code and DIASTOLIC in by_code:
        return _pressure(r, by_code[SYSTOLIC], by_code[DIASTOLIC], when, category)
    found = _value(r)
    if found is None:
        return None
    value, unit, ucum = found
    loinc = code_in(r.get("code"), LOINC)
    name = concept_text(r.get("code")) or "Result"
    analyte = catalogue.by_loinc(loinc) or catalogue.resolve(name, unit)
    canonical = None
    if analyte is not None and analyte.unit and value.number is not None:
        converted = catalogue.convert(value.number, ucum or unit, analyte)
        if converted is None and ucum and unit and ucum != unit:
            converted = catalogue.convert(value.number, unit, analyte)
        if converted is not None:
            canonical = Quantity(converted, analyte.unit, f"{value.comparator or ''}{converted:g}")
    flag_code = _status_code(_first(r.get("interpretation")))
    line = f"{name}: {value.text}{' ' + unit if unit else ''}"
    if when is not None:
        line += f" ({when.isoformat()})"
    return LabResult(
        name=name,
        value=value,
        citation=_cite(r, "value", line),
        analyte=analyte.key if analyte else None,
        loinc=loinc or (analyte.loinc if analyte else None),
        unit=unit,
        unit_normal=units.normalise(unit),
        canonical=canonical,
        reference=_reference(r),
        flag=_FLAGS.get(flag_code or ""),
        flag_text=concept_text(_first(r.get("interpretation"))),
        collected=when,
        category=category,
    )


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, list) and values else None


def _value(r: dict[str, Any]) -> tuple[ResultValue, str | None, str | None] | None:
    """The value as printed, its unit as written, and its UCUM code."""
    quantity = r.get("valueQuantity")
    if isinstance(quantity, dict):
        number = quantity.get("value")
        if not isinstance(number, (int, float)) or isinstance(number, bool):
            return None
        comparator = quantity.get("comparator") if quantity.get("comparator") else None
        text = f"{comparator or ''}{float(number):g}"
        unit = quantity.get("unit") or quantity.get("code")
        ucum = (
            quantity.get("code") if quantity.get("system") == "http://unitsofmeasure.org" else None
        )
        unit = None if unit in ("", "1", "{score}") else unit
        return ResultValue(text, number=float(number), comparator=comparator), unit, ucum
    if "valueCodeableConcept" in r:
        said = concept_text(r["valueCodeableConcept"])
        if not said:
            return None
        return ResultValue(said, coded=TEXT_RESULTS.get(said.lower().strip())), None, None
    if isinstance(r.get("valueString"), str) and r["valueString"].strip():
        text = r["valueString"].strip()
        return ResultValue(text, coded=TEXT_RESULTS.get(text.lower())), None, None
    if isinstance(r.get("valueInteger"), int) and not isinstance(r["valueInteger"], bool):
        number = r["valueInteger"]
        return ResultValue(str(number), number=float(number)), None, None
    if isinstance(r.get("valueBoolean"), bool):
        return ResultValue("yes" if r["valueBoolean"] else "no"), None, None
    return None


def _pressure(
    r: dict[str, Any], high: dict[str, Any], low: dict[str, Any], when: date | None, category: str
) -> LabResult | None:
    top, bottom = _value(high), _value(low)
    if top is None or bottom is None or top[0].number is None or bottom[0].number is None:
        return None
    parts = (top[0].number, bottom[0].number)
    text = f"{parts[0]:g}/{parts[1]:g}"
    analyte = catalogue.BY_KEY["blood_pressure"]
    unit = top[1] or bottom[1]
    line = f"Blood pressure: {text}{' ' + unit if unit else ''}"
    if when is not None:
        line += f" ({when.isoformat()})"
    flags = [_FLAGS.get(_status_code(_first(c.get("interpretation"))) or "") for c in (high, low)]
    return LabResult(
        name="Blood pressure",
        value=ResultValue(text, number=parts[0], parts=parts),
        citation=_cite(r, "component (systolic and diastolic)", line),
        analyte=analyte.key,
        loinc=analyte.loinc,
        unit=unit,
        unit_normal=units.normalise(unit),
        canonical=Quantity(parts[0], analyte.unit, text),
        flag=next((f for f in flags if f not in (None, "N")), flags[0]),
        collected=when,
        category=category,
    )


def _reference(r: dict[str, Any]) -> ReferenceRange | None:
    bands: list[ReferenceBand] = []
    texts: list[str] = []
    for band in r.get("referenceRange") or []:
        if not isinstance(band, dict):
            continue
        kind = _status_code(band.get("type"))
        if kind not in (None, "normal"):
            continue
        low = (band.get("low") or {}).get("value")
        high = (band.get("high") or {}).get("value")
        low = float(low) if isinstance(low, (int, float)) else None
        high = float(high) if isinstance(high, (int, float)) else None
        text = band.get("text") if isinstance(band.get("text"), str) else None
        if low is not None or high is not None:
            bands.append(ReferenceBand(low, high, text=None))
            shown = f"{'' if low is None else f'{low:g}'}-{'' if high is None else f'{high:g}'}"
            texts.append(text or shown)
        elif text:
            texts.append(text)
    return ReferenceRange("; ".join(texts), tuple(bands)) if texts else None


# -- Condition ----------------------------------------------------------------------------


def _condition(state: _State, r: dict[str, Any]) -> None:
    verification = _status_code(r.get("verificationStatus"))
    if verification == "entered-in-error":
        return
    name = concept_text(r.get("code"))
    if not name:
        return
    clinical = _status_code(r.get("clinicalStatus"))
    resolved = clinical in ("resolved", "inactive", "remission") or bool(
        r.get("abatementDateTime") or r.get("abatementPeriod") or r.get("abatementString")
    )
    refuted = verification == "refuted"
    onset = to_date(r.get("onsetDateTime")) or to_date((r.get("onsetPeriod") or {}).get("start"))
    line = name + (f" (since {onset.isoformat()})" if onset else "")
    line += f", {clinical or 'status not given'}" + (", refuted" if refuted else "")
    condition = Condition(
        name=name,
        citation=_cite(r, "code", line),
        icd10=code_in(r.get("code"), *ICD10),
        code=code_in(r.get("code"), SNOMED) or code_in(r.get("code"), *ICD10),
        status="resolved" if resolved else "active",
        assertion="absent" if refuted else "present",
        onset=onset,
    )
    (state.facts.excluded if refuted else state.facts.conditions).append(condition)


# -- Medications --------------------------------------------------------------------------


def _medication(state: _State, r: dict[str, Any], *, resolve: bool) -> None:
    if r.get("status") in VOID:
        return
    concept = r.get("medicationCodeableConcept")
    reference = (r.get("medicationReference") or {}).get("reference")
    element = "medicationCodeableConcept"
    if concept is None and isinstance(reference, str):
        element = "medicationReference"
        if reference.startswith("#"):
            contained = [c for c in r.get("contained") or [] if isinstance(c, dict)]
            found = next((c for c in contained if c.get("id") == reference[1:]), None)
        else:
            key = reference.rsplit("/", 1)[-1] if not reference.startswith("urn:") else reference
            found = state.medications.get(reference) or state.medications.get(key)
            if found is None and not resolve:
                state.pending.append(r)
                return
        concept = (found or {}).get("code")
        if concept is None:
            concept = {"text": (r.get("medicationReference") or {}).get("display")}
    name = concept_text(concept)
    if not name:
        return
    dosage = _first(r.get("dosageInstruction") or r.get("dosage"))
    dosage = dosage if isinstance(dosage, dict) else {}
    status = _MED_STATUS.get(str(r.get("status")), "unknown")
    line = f"{name}, {r.get('status') or 'status not given'}"
    if isinstance(dosage.get("text"), str):
        line += f": {dosage['text']}"
    state.facts.medications.append(
        Medication(
            name=name,
            citation=_cite(r, element, line),
            strength=strength_in(name),
            dose=_dose(dosage),
            route=concept_text(dosage.get("route")),
            frequency=_frequency(dosage),
            as_needed=bool(dosage.get("asNeededBoolean") or dosage.get("asNeededCodeableConcept")),
            status=status,
            instructions=dosage.get("text") if isinstance(dosage.get("text"), str) else None,
            code=code_in(concept, RXNORM),
        )
    )


def _dose(dosage: dict[str, Any]) -> str | None:
    rate = _first(dosage.get("doseAndRate"))
    quantity = rate.get("doseQuantity") if isinstance(rate, dict) else None
    if not isinstance(quantity, dict) or not isinstance(quantity.get("value"), (int, float)):
        return None
    unit = quantity.get("unit") or quantity.get("code")
    return f"{quantity['value']:g} {unit}".strip() if unit else f"{quantity['value']:g}"


def _frequency(dosage: dict[str, Any]) -> str | None:
    repeat = (dosage.get("timing") or {}).get("repeat") or {}
    times, period, unit = repeat.get("frequency"), repeat.get("period"), repeat.get("periodUnit")
    if not isinstance(period, (int, float)) or not isinstance(unit, str):
        return None
    times = times if isinstance(times, int) else 1
    named = _PERIODS.get((unit, int(period))) if float(period).is_integer() else None
    if named and times in _TIMES:
        return f"{_TIMES[times]}{named}".strip()
    return f"{times} times every {period:g} {unit}"


# -- Allergies and immunizations ----------------------------------------------------------


def allergy(r: dict[str, Any]) -> Allergy | None:
    """An allergy, a no-known-allergy statement, or None (entered in error, no substance)."""
    verification = _status_code(r.get("verificationStatus"))
    if verification == "entered-in-error":
        return None
    code = r.get("code")
    scope = next((_NO_KNOWN_SCOPE[c] for c in (x.get("code") for x in _codings(code))
                  if c in _NO_KNOWN_SCOPE), None)  # fmt: skip
    name = concept_text(code)
    if scope is not None:
        return Allergy(None, _cite(r, "code", name or "No known allergies"), none_known=True,
                       scope=scope)  # fmt: skip
    if not name:
        return None
    reaction = _first(r.get("reaction"))
    reaction = reaction if isinstance(reaction, dict) else {}
    manifestation = concept_text(_first(reaction.get("manifestation")))
    clinical = _status_code(r.get("clinicalStatus"))
    status = (
        "refuted"
        if verification == "refuted"
        else ("inactive" if clinical in ("inactive", "resolved") else "active")
    )
    line = name + (f": {manifestation}" if manifestation else "") + f" ({status})"
    return Allergy(
        name,
        _cite(r, "code", line),
        reaction=manifestation,
        severity=reaction.get("severity") if isinstance(reaction.get("severity"), str) else None,
        status=status,
        code=code_in(code, SNOMED, RXNORM) or _status_code(code),
    )


def immunization(r: dict[str, Any]) -> Immunization | None:
    """A vaccine given, or not given (not-done; refused when the patient objected)."""
    status = r.get("status")
    if status in VOID:
        return None
    vaccine = concept_text(r.get("vaccineCode"))
    if not vaccine:
        return None
    state = "completed"
    if status == "not-done":
        reason = _status_code(r.get("statusReason"))
        state = "refused" if reason == "PATOBJ" else "not given"
    given = to_date(r.get("occurrenceDateTime"))
    dose = _first(r.get("protocolApplied"))
    number = dose.get("doseNumberPositiveInt") if isinstance(dose, dict) else None
    line = f"{vaccine}, {state}" + (f" {given.isoformat()}" if given else "")
    return Immunization(
        vaccine,
        _cite(r, "vaccineCode", line),
        given=given,
        dose_number=number if isinstance(number, int) else None,
        status=state,
        code=code_in(r.get("vaccineCode"), CVX),
    )


def procedure(r: dict[str, Any]) -> Procedure | None:
    """A procedure done, with its date and code; not-done and entered-in-error are none."""
    status = r.get("status")
    if status in VOID or status == "not-done":
        return None
    name = concept_text(r.get("code"))
    if not name:
        return None
    period = r.get("performedPeriod") or {}
    performed = to_date(r.get("performedDateTime")) or to_date(period.get("start"))
    performed = performed or to_date(period.get("end"))
    codes = _codings(r.get("code"))
    code = code_in(r.get("code"), SNOMED, CPT) or next(
        (str(c["code"]) for c in codes if isinstance(c.get("code"), str)), None
    )
    line = f"{name}, {status or 'done'}" + (f" {performed.isoformat()}" if performed else "")
    return Procedure(
        name,
        _cite(r, "code", line),
        performed=performed,
        status=status if isinstance(status, str) and status else "completed",
        code=code,
    )


__all__ = ["FhirError", "read_fhir"]
