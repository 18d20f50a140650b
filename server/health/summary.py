"""The current summary of a profile from its facts, with disagreements between documents.

Pure: takes `FactRow`s, returns lists and conflicts. It never picks a winner between
documents that disagree: a conflict names every side with its citation, and the lists keep
showing each side (an allergy stays listed next to the "no known allergies" that contradicts it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ocr.facts.clinical_data import FREQUENCIES
from server.health.labs import Latest, overview
from server.health.records import FactRow

# Medication lists this close to a medication's latest mention count as "recent" when
# comparing doses: a different dose in an older list is a change, not a disagreement.
RECENT = timedelta(days=180)

ALLERGY = "allergy"
MEDICATION_DOSE = "medication-dose"
MEDICATION_STATUS = "medication-status"

# Substances that are not drugs: "no known drug allergies" does not contradict them.
_NOT_DRUGS = re.compile(
    r"\b(?:peanuts?|tree ?nuts?|nuts?|almonds?|cashews?|walnuts?|pecans?|shellfish|shrimp|"
    r"crab|lobster|fish|eggs?|milk|dairy|lactose|wheat|gluten|soy|sesame|strawberr(?:y|ies)|"
    r"tomato(?:es)?|kiwi|banana|pollens?|grass(?:es)?|ragweed|trees?|dust|mites?|molds?|"
    r"moulds?|cats?|dogs?|dander|animals?|bees?|wasps?|hornets?|insects?|stings?|latex|"
    r"adhesives?|tape|nickel|seasonal|environmental|food)\b",
    re.IGNORECASE,
)
_FOODS = re.compile(
    r"\b(?:peanuts?|tree ?nuts?|nuts?|almonds?|cashews?|walnuts?|pecans?|shellfish|shrimp|"
    r"crab|lobster|fish|eggs?|milk|dairy|lactose|wheat|gluten|soy|sesame|strawberr(?:y|ies)|"
    r"tomato(?:es)?|kiwi|banana|food)\b",
    re.IGNORECASE,
)
# Words in a medication's name that do not change which medicine it is.
_MED_NOISE = re.compile(
    r"\b(?:hcl|hydrochloride|sodium|potassium|calcium|magnesium|sulfate|sulphate|succinate|"
    r"tartrate|besylate|maleate|mesylate|citrate|acetate|phosphate|er|xr|sr|cr|xl|la|dr|ir|"
    r"ec|od|tab|tabs|tablet|tablets|cap|caps|capsule|capsules|oral|po|solution|susp|"
    r"suspension|inhaler|injection|cream|ointment|patch|chewable|extended|release|delayed|"
    r"immediate|film|coated|generic)\b"
)
# How often, in the extractor's own spellings ("BID" and "twice a day" are "twice daily").
_FREQUENCIES = [(re.compile(rf"(?:{p})", re.IGNORECASE), n) for p, n in FREQUENCIES]


@dataclass(frozen=True)
class Conflict:
    """Documents that disagree: what about, in words, and every fact on every side."""

    kind: str  # ALLERGY, MEDICATION_DOSE or MEDICATION_STATUS
    subject: str
    message: str
    facts: tuple[FactRow, ...]


@dataclass(frozen=True)
class Item:
    """One medication, problem, allergy or vaccine: its latest mention and all of them."""

    key: str
    title: str
    detail: str
    latest: FactRow
    mentions: tuple[FactRow, ...]  # newest first
    conflicted: bool = False


@dataclass
class Summary:
    """What the summary page shows, conflicts first."""

    medications: list[Item] = field(default_factory=list)
    # Active in the documents, but only in lists well before the newest one: may be old.
    older_medications: list[Item] = field(default_factory=list)
    medications_as_of: date | None = None  # the newest medication list's date
    stopped: list[Item] = field(default_factory=list)
    problems: list[Item] = field(default_factory=list)
    past_problems: list[Item] = field(default_factory=list)
    allergies: list[Item] = field(default_factory=list)
    none_known: list[FactRow] = field(default_factory=list)  # "NKDA" statements, newest first
    immunizations: list[Item] = field(default_factory=list)
    procedures: list[Item] = field(default_factory=list)
    labs: list[Latest] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


# The kinds the lists are made of; the labs come from `labs.overview` (or `latest.overview`).
LIST_KINDS = ("medication", "allergy", "condition", "immunization", "procedure")


def summarise(facts: Iterable[FactRow], labs: list[Latest] | None = None) -> Summary:
    """The summary of `facts`; `labs`: their Lab overview when already made (bounded, from
    `latest.overview`), so that `facts` need only hold the LIST_KINDS."""
    facts = list(facts)
    summary = Summary(labs=overview(facts) if labs is None else labs)
    _medications(summary, [f for f in facts if f.kind == "medication"])
    _rest(summary, facts)
    return summary


def medications(facts: Iterable[FactRow]) -> Summary:
    """Only the medication part of the summary (lists, as-of date, their conflicts)."""
    summary = Summary()
    _medications(summary, [f for f in facts if f.kind == "medication"])
    return summary


def _rest(summary: Summary, facts: list[FactRow]) -> None:
    _allergies(summary, [f for f in facts if f.kind == "allergy"])
    _problems(summary, [f for f in facts if f.kind == "condition"])
    summary.immunizations = _immunizations([f for f in facts if f.kind == "immunization"])
    summary.procedures = _procedures([f for f in facts if f.kind == "procedure"])


# Medications ---------------------------------------------------------------------------


def medication_key(name: str) -> str:
    """Which medicine a name means, ignoring salt, form and strength ("Metformin HCl 500 mg")."""
    text = re.sub(r"\([^)]*\)", " ", name.casefold())
    unit = r"(?:mg|mcg|µg|ug|g|ml|units?|iu|%|meq)"
    text = re.sub(rf"\d[\d.,/]*\s*(?:{unit}(?:\s*/\s*(?:ml|l|dose|h|hr|{unit}))?)?\b", " ", text)
    text = _MED_NOISE.sub(" ", re.sub(r"[^a-z\s-]", " ", text))
    return " ".join(text.replace("-", " ").split()) or name.casefold().strip()


def med_status(fact: FactRow) -> str:
    return (fact.state or str(fact.get("status") or "") or "active").casefold()


def dose_of(fact: FactRow) -> dict[str, str]:
    """Strength, dose and frequency in a comparable spelling; absent fields are left out."""
    out = {}
    strength = fact.get("strength") or (fact.value_text if not fact.get("dose") else "")
    if strength:
        out["strength"] = _amount(str(strength))
    if fact.get("dose"):
        out["dose"] = _amount(str(fact.get("dose")))
    if fact.get("frequency"):
        out["frequency"] = frequency(str(fact.get("frequency")))
    return {k: v for k, v in out.items() if v}


def describe_dose(fact: FactRow) -> str:
    parts = [fact.get(k) for k in ("strength", "dose", "route", "frequency")]
    return " ".join(str(p) for p in parts if p) or fact.value_text


def frequency(text: str) -> str:
    plain = " ".join(text.casefold().replace("by mouth", "").split()).strip(" .")
    for pattern, name in _FREQUENCIES:
        if match := pattern.fullmatch(plain):
            return match.expand(name)
    return plain


def _amount(text: str) -> str:
    text = text.casefold().replace("µg", "mcg").replace("ug", "mcg")
    text = re.sub(r"(\d+(?:\.\d+)?)", lambda m: f"{float(m.group(1)):g}", text)
    text = re.sub(r"\b(tablet|capsule|puff|drop|unit|patch|spray)s\b", r"\1", text)
    return re.sub(r"\s+", "", text)


def _medications(summary: Summary, facts: list[FactRow]) -> None:
    for key, mentions in _groups(facts, lambda f: medication_key(f.name)).items():
        latest = mentions[0]
        conflicts = [*_stopped_then_active(key, mentions), *_dose_conflicts(key, mentions)]
        summary.conflicts.extend(conflicts)
        active_latest = [f for f in mentions if f.when == latest.when and med_status(f) == "active"]
        shown = active_latest[0] if active_latest else latest
        item = Item(key, shown.name, describe_dose(shown), shown, tuple(mentions), bool(conflicts))
        if med_status(shown) == "active":
            summary.medications.append(item)
        elif med_status(shown) == "stopped":
            summary.stopped.append(item)
    summary.medications.sort(key=lambda i: i.title.casefold())
    summary.stopped.sort(key=lambda i: i.title.casefold())
    # "Current" is what the newest medication list says: a medication last listed long before
    # it (a 2009 discharge list) is shown apart, as of its date, not as taken now. What a
    # person entered by hand is their own current list: it neither dates the documents'
    # lists nor becomes old by them (a "since 2015" entry is taken now until marked stopped).
    dates = [f.when for f in facts if f.when is not None and f.document is not None]
    if dates:
        summary.medications_as_of = newest = max(dates)
        current: list[Item] = []
        for item in summary.medications:
            when = item.latest.when
            by_hand = item.latest.document is None
            older = not by_hand and when is not None and newest - when > RECENT
            (summary.older_medications if older else current).append(item)
        summary.medications = current


def _stopped_then_active(key: str, mentions: Sequence[FactRow]) -> list[Conflict]:
    """Listed as stopped, then as active on the same day or later, in another document."""
    active = [f for f in mentions if med_status(f) == "active"]
    if not active:
        return []
    last_active = active[0]
    stopped = [
        f
        for f in mentions
        if med_status(f) == "stopped"
        and _day(f) <= _day(last_active)
        and f.document != last_active.document
    ]
    if not stopped:
        return []
    when = stopped[0]
    message = (
        f"{last_active.name} is listed as stopped {_where(when)} and as active "
        f"{'on the same day' if _day(when) == _day(last_active) else 'later'}, "
        f"{_where(last_active)}."
    )
    return [Conflict(MEDICATION_STATUS, last_active.name, message, (when, last_active))]


def _dose_conflicts(key: str, mentions: Sequence[FactRow]) -> list[Conflict]:
    """Active in recent lists with a different strength, dose or frequency."""
    active = [f for f in mentions if med_status(f) == "active"]
    if len(active) < 2:
        return []
    newest = _day(active[0])
    recent = [f for f in active if newest - _day(f) <= RECENT]
    variants: list[tuple[dict[str, str], FactRow]] = []
    for fact in recent:  # newest first: each variant keeps its latest mention
        dose = dose_of(fact)
        if dose and not any(_agree(dose, seen) for seen, _ in variants):
            variants.append((dose, fact))
    differing = [(d, f) for d, f in variants if any(_disagree(d, other) for other, _ in variants)]
    if len(differing) < 2:
        return []
    sides = " vs ".join(f"{describe_dose(f)} {_where(f)}" for _, f in differing)
    message = f"{differing[0][1].name} is listed with different doses: {sides}."
    return [
        Conflict(MEDICATION_DOSE, differing[0][1].name, message, tuple(f for _, f in differing))
    ]


def _agree(a: dict[str, str], b: dict[str, str]) -> bool:
    return a == b


def _disagree(a: dict[str, str], b: dict[str, str]) -> bool:
    """Two doses contradict when a field both give differs (a missing field says nothing)."""
    return any(a[k] != b[k] for k in a.keys() & b.keys())


# Allergies -------------------------------------------------------------------------------


def is_none_known(fact: FactRow) -> bool:
    return fact.none_known


def allergy_status(fact: FactRow) -> str:
    return (fact.state or str(fact.get("status") or "") or "active").casefold()


def substance_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.casefold()).split())


def _covers(scope: str, substance: str) -> bool:
    """Whether "no known (scope) allergies" says the patient is not allergic to `substance`."""
    if scope == "drug":
        return not _NOT_DRUGS.search(substance)
    if scope == "food":
        return bool(_FOODS.search(substance))
    return True


def _allergies(summary: Summary, facts: list[FactRow]) -> None:
    none_known = sorted((f for f in facts if is_none_known(f)), key=_newest)
    summary.none_known = none_known
    statements = [f for f in facts if not is_none_known(f)]
    for key, mentions in _groups(statements, lambda f: substance_key(f.name)).items():
        present = [f for f in mentions if allergy_status(f) == "active"]
        refuted = [f for f in mentions if allergy_status(f) == "refuted"]
        contradicting = [
            f for f in none_known if _covers(str(f.get("scope") or "all").casefold(), key)
        ]
        conflicts = []
        if present and (contradicting or refuted):
            others = [*contradicting, *refuted]
            said = "; ".join(f"“{_statement(f)}” {_where(f)}" for f in others)
            message = (
                f"An allergy to {present[0].name} is recorded {_where(present[0])}, but {said}."
            )
            conflicts.append(Conflict(ALLERGY, present[0].name, message, (*present, *others)))
        summary.conflicts.extend(conflicts)
        if present:
            latest = present[0]
            detail = ", ".join(
                str(v) for v in (latest.get("reaction"), latest.get("severity")) if v
            )
            item = Item(key, latest.name, detail, latest, tuple(mentions), bool(conflicts))
            summary.allergies.append(item)
    summary.allergies.sort(key=lambda i: i.title.casefold())


def _statement(fact: FactRow) -> str:
    if is_none_known(fact):
        return fact.line.strip() or fact.name or "no known allergies"
    return f"not allergic to {fact.name}"


# Problems and immunizations ------------------------------------------------------------


def _problems(summary: Summary, facts: list[FactRow]) -> None:
    own = [f for f in facts if str(f.get("assertion") or "present") == "present"]
    for key, mentions in _groups(own, _problem_key).items():
        latest = mentions[0]
        code = latest.code or str(latest.get("icd10") or "")
        item = Item(key, latest.name, code, latest, tuple(mentions))
        state = (latest.state or str(latest.get("status") or "active")).casefold()
        (summary.problems if state == "active" else summary.past_problems).append(item)
    summary.problems.sort(key=lambda i: i.title.casefold())
    summary.past_problems.sort(key=lambda i: i.title.casefold())


def _problem_key(fact: FactRow) -> str:
    code = str(fact.get("icd10") or "") or fact.code
    if re.fullmatch(r"[A-Z]\d{2}(?:\.\w{1,4})?", code.upper()):
        return code.upper()
    return substance_key(fact.name)


def _immunizations(facts: list[FactRow]) -> list[Item]:
    items = []
    for key, mentions in _groups(facts, lambda f: substance_key(f.name)).items():
        given = [f for f in mentions if (f.state or "completed") == "completed"]
        latest = given[0] if given else mentions[0]
        dates = ", ".join(str(f.when) for f in reversed(given) if f.when)
        detail = dates if given else (latest.state or "not given")
        items.append(Item(key, latest.name, detail, latest, tuple(mentions)))
    return sorted(items, key=lambda i: i.title.casefold())


def _procedures(facts: list[FactRow]) -> list[Item]:
    """Procedures by code (else name), each with the dates it was done, newest first."""
    items = []
    for key, mentions in _groups(facts, lambda f: f.code or substance_key(f.name)).items():
        latest = mentions[0]
        dates = ", ".join(str(f.when) for f in mentions if f.when)
        state = latest.state if latest.state not in ("", "completed") else ""
        detail = " · ".join(p for p in (dates, state) if p)
        items.append(Item(key, latest.name, detail, latest, tuple(mentions)))
    return sorted(items, key=lambda i: (-_day(i.latest).toordinal(), i.title.casefold()))


# Shared --------------------------------------------------------------------------------


def _groups(facts: Iterable[FactRow], key_of: Callable[[FactRow], str]) -> dict[str, list[FactRow]]:
    """Facts by key, each group newest first."""
    out: dict[str, list[FactRow]] = {}
    for fact in facts:
        out.setdefault(key_of(fact), []).append(fact)
    for group in out.values():
        group.sort(key=_newest)
    return out


def _newest(fact: FactRow) -> tuple[int, int, int]:
    return (-_day(fact).toordinal(), -(fact.document or 0), fact.seq)


def _day(fact: FactRow) -> date:
    return fact.when or date.min


def _where(fact: FactRow) -> str:
    place = f"in {fact.doc_name}" if fact.doc_name else "by hand"
    return f"{place} ({fact.when})" if fact.when else place
