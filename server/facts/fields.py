"""The fields a person edits on a fact, per kind, and the columns they become.

A correction keeps what was read in `Fact.data` and records the fields a person set in
`Fact.corrected` ({field: value as entered}); the columns always hold the current value.
Lab values are converted to the analyte's canonical unit when that is valid for it, as
extraction does; what the person typed stays in `corrected`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from ocr.facts import catalogue, units
from ocr.facts.values import parse_value
from server.db.tables import FACT_KINDS as FACT_KINDS  # the kinds a form offers
from server.errors import BadInput
from server.facts.records import EARLIEST, clip

FIELDS: dict[str, tuple[str, ...]] = {
    "lab": ("name", "value", "unit", "flag", "date", "code"),
    "vital": ("name", "value", "unit", "date", "code"),
    "medication": (
        "name",
        "strength",
        "dose",
        "route",
        "frequency",
        "prescriber",
        "state",
        "date",
        "code",
    ),
    "condition": ("name", "state", "date", "code"),
    "allergy": ("name", "reaction", "severity", "state", "date", "code"),
    "immunization": ("name", "dose_number", "state", "date", "code"),
    "procedure": ("name", "state", "date", "code"),
}
STATES: dict[str, tuple[str, ...]] = {
    "lab": ("",),
    "vital": ("",),
    "medication": ("active", "stopped", "refused", "unknown"),
    "condition": ("active", "resolved", "historical"),
    "allergy": ("active", "inactive", "none-known"),
    "immunization": ("completed", "refused", "not given"),
    "procedure": ("completed", "in-progress", "stopped", "unknown"),
}
FLAGS = ("", "H", "L", "A", "HH", "LL", "critical")
LABELS = {
    "name": "Name",
    "value": "Value",
    "unit": "Unit",
    "flag": "Flag",
    "date": "Date",
    "code": "Code (LOINC, ICD-10, RxNorm, CVX…)",
    "strength": "Strength",
    "dose": "Dose",
    "route": "Route",
    "frequency": "How often",
    "prescriber": "Prescriber",
    "state": "Status",
    "reaction": "Reaction",
    "severity": "Severity",
    "dose_number": "Dose number",
}
KIND_LABELS = {
    "lab": "Lab result",
    "vital": "Vital sign",
    "medication": "Medication",
    "condition": "Diagnosis or problem",
    "allergy": "Allergy",
    "immunization": "Immunization",
    "procedure": "Procedure",
}
_WIDTH = 255


class FieldError(BadInput, ValueError):
    """A field a person entered cannot be used; `field` names it."""

    def __init__(self, field: str, user_message: str) -> None:
        super().__init__(user_message)
        self.field = field


def current(fact: Mapping[str, Any]) -> dict[str, str]:
    """The fact's editable fields as a person sees them now (what the form starts with)."""
    data: Mapping[str, Any] = fact.get("data") or {}
    corrected: Mapping[str, Any] = fact.get("corrected") or {}

    def pick(name: str, fallback: Any) -> str:
        value = corrected.get(name, fallback)
        return "" if value is None else str(value)

    effective = fact.get("effective")
    values = {
        "name": fact.get("name") or "",
        "date": effective.isoformat() if isinstance(effective, date) else str(effective or ""),
        "code": fact.get("code") or "",
        "state": fact.get("state") or "",
        "flag": fact.get("flag") or "",
        # The value with the unit it was printed in (the columns may hold a converted one).
        "value": pick("value", fact.get("value_text") or ""),
        "unit": pick("unit", data.get("unit") or fact.get("unit") or ""),
    }
    names = ("strength", "dose", "route", "frequency", "prescriber", "reaction", "severity")
    for name in (*names, "dose_number"):
        values[name] = pick(name, data.get(name))
    return {name: values.get(name, "") for name in FIELDS[fact["kind"]]}


def cleaned(kind: str, form: Mapping[str, Any]) -> dict[str, str]:
    """The kind's fields from a submitted form, trimmed and checked; raises FieldError."""
    if kind not in FACT_KINDS:
        raise FieldError("kind", "Choose what kind of fact this is.")
    out = {name: " ".join(str(form.get(name, "") or "").split()) for name in FIELDS[kind]}
    if not out["name"]:
        raise FieldError("name", "A fact needs a name.")
    for name, value in out.items():
        if len(value) > _WIDTH:
            raise FieldError(name, f"{LABELS[name]} is too long (at most {_WIDTH} characters).")
    if out["date"]:
        out["date"] = _date(out["date"]).isoformat()
    if "state" in out:
        if kind == "lab":
            out["state"] = ""
        elif out["state"] not in STATES[kind]:
            raise FieldError("state", f"Status must be one of: {', '.join(STATES[kind])}.")
    if kind == "vital" and not out["value"]:
        raise FieldError("value", "A vital sign needs a value.")
    if kind == "lab":
        flag = {f.upper(): f for f in FLAGS}.get(out["flag"].upper())
        if flag is None:
            raise FieldError("flag", "Flag must be empty or one of H, L, A, HH, LL, critical.")
        out["flag"] = flag
        if not out["value"]:
            raise FieldError("value", "A lab result needs a value.")
    if kind == "immunization" and out["dose_number"] and not out["dose_number"].isdigit():
        raise FieldError("dose_number", "The dose number is a whole number, like 2.")
    return out


def columns(kind: str, fields: Mapping[str, str], analyte: str = "") -> dict[str, Any]:
    """Fact column values for the fields (`analyte`: the catalogue key the fact had)."""
    out: dict[str, Any] = {
        "name": clip("name", fields["name"]),
        "effective": date.fromisoformat(fields["date"]) if fields.get("date") else None,
        "code": clip("code", fields.get("code", "")),
        "state": fields.get("state", ""),
        "flag": "",
        "value_text": "",
        "value_num": None,
        "unit": "",
    }
    if kind in ("lab", "vital"):
        out.update(_lab(fields, analyte))
        out["flag"] = fields.get("flag", "")
    elif kind == "medication":
        out["value_text"] = fields.get("strength") or fields.get("dose") or ""
    elif kind == "allergy":
        out["value_text"] = fields.get("reaction", "")
    elif kind == "immunization" and fields.get("dose_number"):
        out["value_text"] = f"dose {fields['dose_number']}"
    out["value_text"] = clip("value_text", out["value_text"])
    return out


def _lab(fields: Mapping[str, str], analyte_key: str) -> dict[str, Any]:
    typed, unit = fields["value"], fields.get("unit", "")
    # A renamed fact may be another test; a name the catalogue does not know keeps the old one.
    analyte = catalogue.BY_KEY.get(analyte_key)
    if analyte is None or not _same_analyte(fields["name"], analyte_key):
        analyte = catalogue.resolve(fields["name"], unit or None)
    parsed, used = parse_value(typed.split())
    number = parsed.number if parsed is not None and used == len(typed.split()) else None
    out: dict[str, Any] = {
        "analyte": analyte.key if analyte else "",
        "value_text": typed,
        "value_num": number,
        "unit": clip("unit", units.normalise(unit) or unit),
    }
    if analyte is not None and not fields.get("code"):
        out["code"] = analyte.loinc or ""
    if number is None or analyte is None or analyte.unit is None:
        return out
    converted = catalogue.convert(number, unit or None, analyte) if unit else None
    if not unit and analyte.unit in ("ratio", "index"):
        converted = number
    if converted is None or not math.isfinite(converted):
        return out
    out["value_num"], out["unit"] = converted, analyte.unit
    if not units.same(unit, analyte.unit):
        prefix = parsed.comparator if parsed is not None and parsed.comparator else ""
        out["value_text"] = f"{prefix}{converted:g}"
    return out


def _same_analyte(name: str, key: str) -> bool:
    found = catalogue.resolve(name)
    return found is None or found.key == key


def _date(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise FieldError("date", "Enter the date as YYYY-MM-DD, like 2024-03-15.") from None
    if value < EARLIEST or value > date.today():
        raise FieldError("date", "That date is not between 1900 and today.")
    return value
