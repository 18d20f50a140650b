"""A person's medications page: the current list, older lists, stopped ones and every mention,
with the disagreements the Summary finds (server.health.summary decides all of that: this
module only arranges it per medication), and the changes a person makes from the page.

A change is a fact like any other (kind "medication"): one added by hand has status manual;
marking one stopped adds a manual fact saying "stopped" on that date, so the Summary, the
IPS and the exports read the same record and nothing read from a document is overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.requests import Request

from server.access.policy import AccessDenied, Caller
from server.access.scope import profile_for
from server.errors import BadInput
from server.facts import fields as F
from server.facts import service
from server.health import readmodel
from server.health import summary as S
from server.health.records import FactRow, profile_facts


@dataclass(frozen=True)
class Medication:
    """One medicine as the page lists it: its latest mention and what is known about it."""

    item: S.Item
    since: date | None  # its earliest mention as taken
    conflicts: tuple[S.Conflict, ...]

    @property
    def fact(self) -> FactRow:
        return self.item.latest

    @property
    def dose(self) -> str:
        parts = [self.fact.get(k) for k in ("strength", "dose", "route")]
        return " ".join(str(p) for p in parts if p) or self.fact.value_text

    @property
    def frequency(self) -> str:
        return str(self.fact.get("frequency") or "")

    @property
    def prescriber(self) -> str:
        return str(self.fact.get("prescriber") or "")


@dataclass
class Medications:
    current: list[Medication] = field(default_factory=list)
    older: list[Medication] = field(default_factory=list)  # only in lists well before the newest
    stopped: list[Medication] = field(default_factory=list)
    as_of: date | None = None
    conflicts: list[S.Conflict] = field(default_factory=list)
    history: list[FactRow] = field(default_factory=list)  # every mention, newest first


async def of_profile(profile_id: int) -> Medications:
    """The page's lists from the profile's medication facts, kept while its facts and
    documents are unchanged (`readmodel`). Shared between requests: callers do not change it."""

    async def compute() -> Medications:
        return build(await profile_facts(profile_id, "medication"))

    return await readmodel.cached(profile_id, "medications", compute)


def build(facts: Iterable[FactRow]) -> Medications:
    meds = [f for f in facts if f.kind == "medication"]
    summary = S.medications(meds)

    def arrange(items: list[S.Item]) -> list[Medication]:
        out = []
        for item in items:
            mentions = {id(f) for f in item.mentions}
            taken = [f.when for f in item.mentions if f.when and S.med_status(f) == "active"]
            conflicts = tuple(
                c for c in summary.conflicts if any(id(f) in mentions for f in c.facts)
            )
            out.append(Medication(item, min(taken) if taken else None, conflicts))
        return out

    return Medications(
        current=arrange(summary.medications),
        older=arrange(summary.older_medications),
        stopped=arrange(summary.stopped),
        as_of=summary.medications_as_of,
        conflicts=list(summary.conflicts),
        history=sorted(meds, key=lambda f: (-(f.when or date.min).toordinal(), -f.id)),
    )


async def add(
    caller: Caller, slug: str, form: Mapping[str, Any], request: Request | None = None
) -> dict[str, Any]:
    """A medication entered by hand, taken now unless the form says otherwise."""
    values = {name: form.get(name, "") for name in F.FIELDS["medication"]}
    values["state"] = values["state"] or "active"
    return await service.enter(caller, slug, "medication", values, request)


async def stop(
    caller: Caller, slug: str, fact_id: int, stopped_on: str, request: Request | None = None
) -> dict[str, Any]:
    """Record that a medication of the profile was stopped on a date (a new manual fact)."""
    profile = await profile_for(caller, slug, "edit")
    fact = await service.fact_for(caller, fact_id, "edit")
    if fact["profile"] != profile["id"]:
        raise AccessDenied("No such fact.", 404)
    if fact["kind"] != "medication":
        raise BadInput("This fact is not a medication.")
    if not stopped_on.strip():
        raise F.FieldError("date", "Enter the date it was stopped.")
    values: dict[str, Any] = dict(F.current(fact))
    values.update(state="stopped", date=stopped_on)
    return await service.enter(caller, slug, "medication", values, request)
