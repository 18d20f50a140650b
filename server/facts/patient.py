"""Whose document is it: the patient printed in a document against the profile it is filed under.

A document that names someone else (a discharge summary for "Levin, Henry L." uploaded on
Dad's page) is flagged `mismatch`, and its facts stay out of the health views until a person
confirms it belongs (`confirmed`) or moves it. Only what can be compared is compared: a
profile called "Dad" has no full name to compare, a document that prints no patient has
nothing to compare with; both stay unflagged. Precision first: a flag on a document that
belongs costs a click; a silent merge of a stranger's allergies costs trust.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from ocr.identity import PatientIdentity, name_matches

MATCH = "match"
MISMATCH = "mismatch"
CONFIRMED = "confirmed"  # a person said the document belongs to its profile
UNKNOWN = ""  # nothing to compare


def printed(identity: PatientIdentity) -> dict[str, list[str]]:
    """The names and birth dates a document prints, as kept on its row."""
    return {
        "names": list(identity.names[:5]),
        "birth_dates": [d.isoformat() for d in identity.birth_dates[:5]],
    }


def check(printed_patient: Mapping[str, Any] | None, profile: Mapping[str, Any] | None) -> str:
    """MATCH, MISMATCH or UNKNOWN for a document's printed patient and a profile row
    (`display_name`, `date_of_birth`); None profile (triage): UNKNOWN."""
    if not printed_patient or profile is None:
        return UNKNOWN
    names = [str(n) for n in printed_patient.get("names") or []]
    births = {_date(d) for d in printed_patient.get("birth_dates") or []} - {None}
    dob = _date(profile.get("date_of_birth"))
    verdicts = []
    if births and dob is not None:
        verdicts.append(dob in births)
    full_name = str(profile.get("display_name") or "")
    if names and _comparable(full_name):
        verdicts.append(any(_same_person(n, full_name) for n in names))
    if not verdicts:
        return UNKNOWN
    return MATCH if all(verdicts) else MISMATCH


def _comparable(name: str) -> bool:
    # A given and a family name at least; "Dad" or "Grandma" name no one in print.
    return len(_words(name)) >= 2


def _same_person(printed_name: str, profile_name: str) -> bool:
    """The printed name names the profile: as `ocr.identity.name_matches` has it (middle
    names optional, OCR slips), or with every word of the profile's name in it, in any
    order ("Joe Grandpa" for a profile "Grandpa Joe"; "SMITH, JOHN Q" for "John Smith")."""
    if name_matches(printed_name, profile_name):
        return True
    return _words(profile_name) <= _words(printed_name)


def _words(name: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return {w for w in re.split(r"[^a-z]+", plain) if len(w) > 1}


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
