"""One record from several sources: the same result read from two documents is one fact.

Each document keeps its own fact rows (so deleting, moving or reading one source again never
loses another's), and `relink` marks all but one of each set of identical facts as
`same_as` that one: the views show it once, with every source's citation. Precision first:
facts are the same only on a strict key (`identity`) and from different documents; different
values, units or days are never merged, nor facts a person kept `apart`, nor facts of a
document that names another patient. `relink` recomputes the whole profile, so it is right
after any change (a new reading, a move, a deletion, a correction): call it inside the
transaction that made the change. A change to one document's facts need only recompute the
days those facts are on (`relink(..., document=...)`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ocr.facts.confidence import needs_review
from ocr.facts.units import normalise
from server.db.tables import CONFIRMED, CORRECTED, EXTRACTED, MANUAL, REJECTED, Fact
from server.facts.patient import MISMATCH

MERGED_KINDS = ("lab", "vital", "medication", "condition", "allergy", "immunization", "procedure")
_COMPARATOR = re.compile(r"^\s*(<=|>=|<|>|≤|≥)")
_REVIEWED = (CONFIRMED, CORRECTED, MANUAL)
_SCOPED_DAYS = 400  # a relink for one document looks at its days when it has at most these


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", (text or "").casefold())


def _number(value: float) -> str:
    return f"{value:.6g}"  # 7.2 and 7.20, or a unit conversion's last digit, are one value


def identity(fact: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What must be equal for two facts to be one, besides what they are about (`_about`);
    None: never merged (no date to compare)."""
    day = fact.get("effective")
    if day is None:
        return None
    kind = fact["kind"]
    state = (fact.get("state") or "").casefold()
    if kind in ("lab", "vital"):
        unit = normalise(fact.get("unit")) or (fact.get("unit") or "").strip()
        text = fact.get("value_text") or ""
        comparator = (m.group(1) for m in [_COMPARATOR.match(text)] if m)
        if fact.get("value_num") is not None:
            value = next(comparator, "") + _number(float(fact["value_num"]))
        else:
            value = " ".join(text.casefold().split())
        if not value:
            return None
        return (kind, str(day), value, unit)
    value = " ".join((fact.get("value_text") or "").casefold().split())
    return (kind, str(day), state, value)


def _about(fact: Mapping[str, Any]) -> tuple[str, str]:
    """(the code the source gave, the analyte or normalised name)."""
    name = fact.get("analyte") or _slug(fact.get("name") or "")
    # A printed page's code is the catalogue's guess from the name (ocr.facts.labs), no
    # evidence of its own: only a structured record's (no page) codes are compared.
    code = (fact.get("code") or "").strip().casefold() if fact.get("page") is None else ""
    return code, name


def _alike(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    code_a, name_a = _about(a)
    code_b, name_b = _about(b)
    if code_a and code_b:
        return code_a == code_b  # two codes decide (LOINC, RxNorm, CVX, ICD-10, SNOMED)
    return bool(name_a) and name_a == name_b


def groups(facts: Iterable[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Sets of two or more facts that are one result, each from a different document."""
    buckets: dict[tuple[Any, ...], list[Mapping[str, Any]]] = defaultdict(list)
    for fact in facts:
        if fact.get("document") is None or fact.get("apart") or fact["status"] == REJECTED:
            continue
        key = identity(fact)
        if key is not None:
            buckets[key].append(fact)
    out = []
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        parent = list(range(len(bucket)))
        for i in range(len(bucket)):
            for j in range(i + 1, len(bucket)):
                if _alike(bucket[i], bucket[j]):
                    parent[_root(parent, j)] = _root(parent, i)
        joined: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
        for i, fact in enumerate(bucket):
            joined[_root(parent, i)].append(fact)
        for group in joined.values():
            documents = [f["document"] for f in group]
            codes = {c for c, _ in map(_about, group) if c}
            # Two facts of one document stay two (it printed them twice), and a set whose
            # members disagree on the code is no one result: left unmerged.
            if len(group) >= 2 and len(set(documents)) == len(documents) and len(codes) <= 1:
                out.append(group)
    return out


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _first(fact: Mapping[str, Any]) -> tuple[Any, ...]:
    """Which fact of a set the views show: one a person reviewed, then one not waiting in
    review, then a structured source's (no confidence), then the most confident, the oldest."""
    confidence = fact.get("confidence")
    return (
        fact["status"] not in _REVIEWED,
        fact["status"] == EXTRACTED and needs_review(confidence),
        confidence is not None,
        -(confidence or 0.0),
        fact["id"],
    )


async def relink(
    profile_id: int | None, *, document: int | None = None, days: Iterable[date | None] = ()
) -> int:
    """Recompute which of the profile's facts are the same result; returns the facts changed.

    With `document`, only its facts and the profile's facts on their days (and on `days`: the
    days they had before the change) are recomputed: facts are the same only on one day, so
    no link elsewhere can change.
    """
    if profile_id is None:
        return 0
    where: Any = Fact.profile == profile_id
    if document is not None:
        now = await Fact.select(Fact.effective).where(Fact.document == document).distinct()
        scope = {d for d in days if d is not None} | {
            r["effective"] for r in now if r["effective"] is not None
        }
        if len(scope) <= _SCOPED_DAYS:  # else the whole profile: one query, not a long IN
            near: Any = Fact.document == document
            if scope:
                near = near | Fact.effective.is_in(sorted(scope))
            where = where & near
    rows = await Fact.select(
        Fact.id,
        Fact.document,
        Fact.kind,
        Fact.status,
        Fact.name,
        Fact.analyte,
        Fact.code,
        Fact.effective,
        Fact.value_text,
        Fact.value_num,
        Fact.unit,
        Fact.state,
        Fact.confidence,
        Fact.page,
        Fact.same_as,
        Fact.apart,
        Fact.document.profile.as_alias("doc_profile"),
        Fact.document.patient_check.as_alias("doc_patient"),
    ).where(where)
    # Only facts the views could show as this profile's: their document is filed here and
    # does not name someone else.
    mergeable = [
        r
        for r in rows
        if r["document"] is not None
        and r["doc_profile"] == profile_id
        and r["doc_patient"] != MISMATCH
        and r["kind"] in MERGED_KINDS
    ]
    wanted: dict[int, int | None] = {r["id"]: None for r in rows}
    for group in groups(mergeable):
        shown = min(group, key=_first)
        for fact in group:
            if fact is not shown:
                wanted[fact["id"]] = shown["id"]
    by_target: dict[int | None, list[int]] = defaultdict(list)
    for r in rows:
        if r["same_as"] != wanted[r["id"]]:
            by_target[wanted[r["id"]]].append(r["id"])
    for target, ids in by_target.items():
        for i in range(0, len(ids), 500):
            await Fact.update({Fact.same_as: target}).where(Fact.id.is_in(ids[i : i + 500]))
    return sum(len(ids) for ids in by_target.values())


async def lock_profile(profile_id: int | None) -> None:
    """Take the profile's row lock (PostgreSQL) so two transactions relinking it take turns;
    SQLite's write transactions already do."""
    if profile_id is None or Fact._meta.db.engine_type != "postgres":
        return
    await Fact.raw('SELECT "id" FROM "profile" WHERE "id" = {} FOR UPDATE', profile_id)
