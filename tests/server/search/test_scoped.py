"""Search as a caller: the profiles searched, the filters offered, hits still visible."""

from __future__ import annotations

from datetime import date

import pytest
from markupsafe import Markup

from server.search import projection
from server.search.contract import UNFILED, Hit
from server.search.scoped import TRIAGE, current_hits, people, scope_of
from tests.fixtures.people import AS_ROLE, Household, caller_named


@pytest.mark.parametrize(
    ("role", "profiles"),
    [
        ("owner", ["dad"]),
        ("caregiver", ["dad"]),
        ("viewer", ["dad"]),
        ("admin", [TRIAGE]),
        ("none", []),
    ],
)
async def test_the_scope_of_search_is_what_the_caller_may_see(
    household: Household, role: str, profiles: list[str]
) -> None:
    caller = await caller_named(AS_ROLE[role])
    ids = {household.profiles.get(p, UNFILED) for p in profiles}
    assert scope_of(caller) == ids
    assert [p["slug"] for p in await people(caller)] == profiles


async def test_the_profiles_read_with_the_session_are_not_read_again(
    household: Household,
) -> None:
    caller = await caller_named("carol")
    known = [{"id": household.profiles["dad"], "slug": "dad", "display_name": "Secret Dad"}]
    stale = [{"id": household.profiles["kid"], "slug": "kid", "display_name": "Kiddo"}]
    assert [p["slug"] for p in await people(caller, known)] == ["dad"]
    assert await people(caller, stale) == [], "never a profile outside the caller's scope"


def _hit(doc_id: int, profile: int) -> Hit:
    return Hit(doc_id, 1, "", profile, "other", date(2024, 1, 1), 1.0, Markup(""), ())


@pytest.mark.parametrize("role", ["owner", "caregiver", "viewer", "admin", "none"])
async def test_hits_the_caller_may_not_see_are_dropped(
    household: Household, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stale hits are sent to be indexed again; recorded here, not run in the background while
    # the test's index closes.
    sent: list[int] = []
    monkeypatch.setattr(projection, "schedule_refresh", sent.extend)
    caller = await caller_named(AS_ROLE[role])
    dad, kid = household.profiles["dad"], household.profiles["kid"]
    hits = [
        _hit(household.docs["dad"], dad),
        _hit(household.docs["kid"], kid),
        _hit(household.docs["unfiled"], UNFILED),
        _hit(household.docs["dad"], kid),  # the index has not caught up with a move
    ]
    kept = await current_hits(caller, hits)
    expected = {"admin": [hits[2]], "none": []}.get(role, [hits[0]])
    assert kept == expected
    assert sorted(set(sent)) == sorted({h.doc_id for h in hits if h not in expected})
