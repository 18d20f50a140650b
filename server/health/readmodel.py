"""What the health views compute from a profile's facts, kept in memory between requests while
nothing of that profile changed.

The key is the profile's `read_version`: database triggers (migration 2026-12-06T16:10) give it
a new random value in the same transaction as every insert, update or delete of one of the
profile's facts or documents, whichever process writes (serve, the `kinchart worker`s, the CLI,
an import, a restore) and whichever code path (nothing in the code has to remember to bump it).
A request reads the version first and computes after: a result computed from newer rows than
its version is kept under a version that never comes back, so it is never served stale.

Bounded: the few profiles last read (LRU), a few results each. Everything kept is what the
pages show of a profile, built by the same functions as without the cache.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from server.db.tables import Profile

T = TypeVar("T")

PROFILES = 4  # profiles kept (a household's few people)
RESULTS = 24  # results kept per profile (the timeline's filter and page combinations)

# (database, profile id) -> (version, {what: result})
_kept: OrderedDict[tuple[str, int], tuple[int, OrderedDict[Hashable, Any]]] = OrderedDict()


def _database() -> str:
    """Which database this process reads (tests run several apps, each with its own)."""
    engine = Profile._meta.db
    path = getattr(engine, "path", None)
    if path is not None:
        return f"sqlite:{path}"
    config = getattr(engine, "config", {}) or {}
    return "postgres:" + ",".join(f"{k}={config[k]}" for k in sorted(config) if k != "password")


async def version(profile_id: int) -> int | None:
    """The profile's read version now (None: no such profile)."""
    row = await Profile.select(Profile.read_version).where(Profile.id == profile_id).first()
    return None if row is None else int(row["read_version"])


async def cached(profile_id: int, what: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
    """`await compute()` for the profile, or what it gave at the profile's current version."""
    current = await version(profile_id)
    if current is None:
        return await compute()
    key = (_database(), profile_id)
    entry = _kept.get(key)
    if entry is None or entry[0] != current:
        entry = (current, OrderedDict())
    _kept[key] = entry
    _kept.move_to_end(key)
    while len(_kept) > PROFILES:
        _kept.popitem(last=False)
    results = entry[1]
    if what in results:
        results.move_to_end(what)
        return results[what]
    value = await compute()
    results[what] = value
    while len(results) > RESULTS:
        results.popitem(last=False)
    return value


async def bump(profile_id: int) -> None:
    """A new read version for the profile, for a write the triggers do not see (one outside
    the fact and document tables that changes what the views show); call it inside that
    write's transaction. Writes to facts and documents need no call."""
    await Profile.update({Profile.read_version: secrets.randbits(62)}).where(
        Profile.id == profile_id
    )


def clear() -> None:
    """Forget everything kept (tests comparing against the full computation use it)."""
    _kept.clear()
