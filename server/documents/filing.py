"""Filing documents under profiles: inbox folder, then printed name and birth date, else triage;
and the one way a document changes profile (`refile`), its facts with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from piccolo.engine.base import Engine

from ocr.identity import find_patient, matches, name_matches
from server.db.engine import write_transaction
from server.db.tables import Document, Profile
from server.facts import persist as facts_persist
from server.people.household import slugify


@dataclass(frozen=True)
class Routing:
    """Where a document goes, and why."""

    profile_id: int | None
    suggestions: list[int] = field(default_factory=list)
    reason: str = ""


async def route(profile_hint: str | None, pages: Sequence[str]) -> Routing:
    # Only profiles an admin made or confirmed as filing targets (see Profile.filing_target).
    profiles = await Profile.select(
        Profile.id, Profile.slug, Profile.display_name, Profile.date_of_birth
    ).where(Profile.filing_target == True)  # noqa: E712
    if profile_hint:
        slug = slugify(profile_hint)
        for p in profiles:
            if p["slug"] == slug:
                return Routing(p["id"], reason=f"inbox folder “{profile_hint}”")
    identity = find_patient(pages)
    if not identity.names and not identity.birth_dates:
        return Routing(None, reason="no patient name or date of birth found")
    sure = [p["id"] for p in profiles if matches(identity, p["display_name"], p["date_of_birth"])]
    if len(sure) == 1:
        shown = ", ".join(identity.names[:1] + tuple(str(d) for d in identity.birth_dates[:1]))
        return Routing(sure[0], reason=f"patient printed on the document ({shown})")
    if sure:
        return Routing(None, sure, "several profiles match the printed name and date of birth")
    maybe = [
        p["id"]
        for p in profiles
        if any(name_matches(n, p["display_name"]) for n in identity.names)
        or (p["date_of_birth"] is not None and p["date_of_birth"] in identity.birth_dates)
    ]
    return Routing(None, maybe, "the printed patient matches no profile exactly")


async def refile(
    engine: Engine,
    doc_id: int,
    profile_id: int | None,
    *,
    suggestions: Sequence[int] = (),
    only_if_unfiled: bool = False,
    by_person: bool = False,
) -> bool:
    """File a document under `profile_id` (None: back to triage), its facts with it; False if
    there was nothing to change (no such document, or `only_if_unfiled` and someone filed it).
    `by_person`: a person chose the profile, which confirms whose document it is."""
    async with write_transaction(engine):
        return await refile_in_transaction(
            doc_id,
            profile_id,
            suggestions=suggestions,
            only_if_unfiled=only_if_unfiled,
            by_person=by_person,
        )


async def refile_in_transaction(
    doc_id: int,
    profile_id: int | None,
    *,
    suggestions: Sequence[int] = (),
    only_if_unfiled: bool = False,
    by_person: bool = False,
) -> bool:
    """`refile` inside the caller's write transaction (intake files a batch in one commit)."""
    where: Any = Document.id == doc_id
    if only_if_unfiled:
        where = where & Document.profile.is_null()
    rows = (
        await Document.update(
            {Document.profile: profile_id, Document.suggested_profiles: list(suggestions)}
        )
        .where(where)
        .returning(Document.id)
    )
    if rows:
        await facts_persist.recheck_patient(
            doc_id, profile_id, confirmed=by_person and profile_id is not None
        )
        # Facts always carry their document's profile (facts/persist.py), in the same commit;
        # after the patient check, which decides whether they may join the same results.
        await facts_persist.follow(doc_id, profile_id)
    return bool(rows)
