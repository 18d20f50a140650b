"""Section headings of clinical documents ("CURRENT MEDICATIONS:", "Allergies:", …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ocr.facts.spans import logical_lines, sentences

_TITLES: dict[str, tuple[str, ...]] = {
    "medications": (
        "medications", "medication", "current medications", "home medications", "meds",
        "discharge medications", "outpatient medications", "medication list", "active medications",
        "current outpatient prescriptions", "prescriptions", "medications on admission",
        "admission medications", "current meds", "medications at discharge", "present medications",
        "medications prior to admission", "current medication", "rx", "new medications",
        "continue medications", "medication changes", "prescribed", "discharge meds",
    ),
    "stopped medications": (
        "discontinued medications", "stopped medications", "medications stopped",
        "medications discontinued", "inactive medications", "stop taking", "past medications",
        "previous medications", "stop these medications", "discontinued",
    ),
    "allergies": (
        "allergies", "allergy", "drug allergies", "allergies/adverse reactions",
        "adverse reactions", "allergies and adverse reactions", "medication allergies",
        "allergies/intolerances", "known allergies",
    ),
    "problems": (
        "diagnosis", "diagnoses", "assessment", "impression", "assessment and plan",
        "assessment/plan", "problem list", "active problems", "problems", "discharge diagnosis",
        "discharge diagnoses", "admitting diagnosis", "admission diagnosis", "final diagnosis",
        "final diagnoses", "preoperative diagnosis", "postoperative diagnosis",
        "principal diagnosis",
        "primary diagnosis", "secondary diagnoses", "secondary diagnosis", "chronic problems",
        "diagnoses this visit", "visit diagnoses", "impression and plan", "clinical impression",
        "working diagnosis", "admitting diagnoses", "pre-operative diagnosis",
        "post-operative diagnosis", "postoperative diagnoses", "preoperative diagnoses",
    ),
    "history": (
        "past medical history", "pmh", "medical history", "past history", "pmhx",
        "past medical/surgical history", "medical problems", "past medical hx",
    ),
    "family": ("family history", "fh", "family medical history", "fhx", "family hx"),
    # habits and circumstances: what the patient does, not a diagnosis ("a 30-pack-year
    # history of smoking")
    "social": (
        "social history", "sh", "past social history", "social", "habits", "social hx",
        "shx", "personal history",
    ),
    "immunizations": (
        "immunizations", "immunization", "immunization history", "vaccines", "vaccinations",
        "immunization record", "vaccination history", "vaccines administered",
    ),
    "other": (
        "history of present illness", "hpi", "review of systems", "ros", "physical examination",
        "physical exam", "exam", "plan", "laboratory", "labs", "laboratory data", "vital signs",
        "vitals", "chief complaint", "cc", "procedures", "procedure", "past surgical history",
        "psh", "surgical history", "findings", "recommendations", "hospital course", "disposition",
        "follow up", "follow-up", "instructions", "subjective", "objective", "reason for visit",
        "results", "indications", "technique", "comparison", "condition",
        "discharge instructions", "diet", "activity", "signed", "operation", "anesthesia",
        "description of procedure", "estimated blood loss", "complications", "specimen",
        "heent", "neck", "lungs", "heart", "abdomen", "extremities", "neurologic", "skin",
        "general", "cardiovascular", "respiratory", "psychiatric", "data", "course",
        # "HISTORY:" alone opens the story of the present illness (consults print it so): a
        # narrative whose every sentence would otherwise be read as an item of a problem list
        "history", "interval history", "brief history", "clinical history",
    ),
}  # fmt: skip
_KIND = {title: kind for kind, titles in _TITLES.items() for title in titles}
# The one-letter headings of a SOAP note: subjective, objective (the examination: no list of
# problems), assessment, plan.
_SOAP = {"S": "other", "O": "other", "A": "problems", "P": "other"}
_TELLING = (
    (r"\bcourse\b", "other"),  # "HOSPITAL COURSE PER PROBLEM LIST": a narrative, not a list
    (r"^allerg|adverse reaction", "allergies"),
    (r"^family", "family"),
    (r"^(?:past\s+)?social", "social"),
    (r"immuni[sz]|vaccin", "immunizations"),
    (r"discontinued|stopped", "stopped medications"),
    (r"medication|^meds\b|prescription", "medications"),
    # the tests that found a diagnosis, or the diagnoses still to tell apart, are no list of
    # the patient's problems ("LABORATORY AND DIAGNOSTIC DATA:", "DIFFERENTIAL DIAGNOSIS:")
    (
        r"laborator|diagnostic\s+(?:data|stud|test|procedure|result|imaging|evaluation|work)"
        r"|differential",
        "other",
    ),
    (r"diagnos|problem", "problems"),
    (r"past medical|medical history", "history"),
)
_HEADING = re.compile(r"^\s*(?:\d{1,2}[.)]\s*)?(?P<title>[A-Za-z][A-Za-z /&'\-]{0,60}?)\s*[:]")
_RUN_ON = re.compile(r"^\s*(?P<title>[A-Z][A-Z /&'\-]{2,60}?)\s*,\s*(?=\d{1,2}[.)]\s)")
_CAPS_LINE = re.compile(r"^[A-Z][A-Z /&'\-]{2,60}$")


@dataclass
class Section:
    """A run of logical lines under one heading; spans exclude the heading itself."""

    kind: str
    title: str
    spans: list[tuple[int, int]] = field(default_factory=list)


def heading(text: str, start: int, end: int) -> tuple[str, str, int] | None:
    """(kind, title, where the content starts) when the logical line opens a section."""
    line = text[start:end]
    found = _HEADING.match(line)
    if found:
        title = found["title"].strip()
        kind = _KIND.get(_normal(title)) or _kind_by_word(title)
        if title in _SOAP and not re.match(r"\s*\d", line[found.end() :]):
            # "S:", "O:", "A:", "P:": a SOAP note's parts (but "P: 72" is a pulse)
            kind = _SOAP[title]
        if kind is None and title.isupper() and len(title) > 2 and len(title.split()) <= 6:
            kind = "other"  # an unknown all-caps heading still ends the previous section
        if kind is not None:
            return kind, title, start + found.end()
    run_on = _RUN_ON.match(line)
    if run_on:  # "PROCEDURES PERFORMED,1.  Insertion of …": a title run into its first item
        title = run_on["title"].strip()
        kind = _KIND.get(_normal(title)) or _kind_by_word(title) or "other"
        return kind, title, start + run_on.end()
    stripped = line.strip().rstrip(":")
    if _CAPS_LINE.fullmatch(stripped) and len(stripped.split()) <= 6:
        kind = _KIND.get(_normal(stripped), "other")
        return kind, stripped, end
    return None


def is_title(text: str) -> bool:
    """Whether `text` is a section heading's title ("VITAL SIGNS", "Physical examination")."""
    return _normal(text.strip(" :.")) in _KIND


def split_sections(text: str) -> list[Section]:
    """The document as sections; text before the first heading is in a section of kind "none"."""
    sections = [Section("none", "")]
    for start, end in logical_lines(text):
        found = heading(text, start, end)
        if found is not None:
            kind, title, content = found
            sections.append(Section(kind, title))
            if content < end and text[content:end].strip(" ,.:"):
                for a, b in logical_lines(text, content, end):
                    sections[-1].spans.extend(sentences(text, a, b))
            continue
        sections[-1].spans.extend(sentences(text, start, end))
    return [s for s in sections if s.spans or s.kind != "none"]


def _kind_by_word(title: str) -> str | None:
    """The kind of a heading not in the list, by its telling word ("ALLERGIES TO DRUGS")."""
    lowered = title.lower()
    for word, kind in _TELLING:
        if re.search(word, lowered):
            return kind
    return None


def _normal(title: str) -> str:
    return re.sub(r"\s+", " ", title.lower().replace("&", "and")).strip(" -")
