"""The search contract every backend keeps: what goes in, what comes out, who may see it."""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from markupsafe import Markup

from server.errors import Unavailable
from server.search.text import edit_distance, skeleton

# Documents waiting in the admins' triage queue are indexed under this profile id (ids start at 1).
UNFILED = 0
Sort = Literal["relevance", "date"]
SORTS: tuple[Sort, ...] = ("relevance", "date")
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 200


class SearchError(Unavailable):
    """The search index could not answer; `user_message` says what a person can do."""


@dataclass(frozen=True)
class PageText:
    """One page's number and text."""

    number: int
    text: str


@dataclass(frozen=True)
class SearchDoc:
    """What the index holds of one document: its filing, dates and the text of each page."""

    doc_id: int
    profile: int  # UNFILED for the triage queue
    name: str
    doc_type: str
    date: date
    # Changes whenever the stored reading changes; catch-up compares it with the database.
    stamp: int
    pages: tuple[PageText, ...]


@dataclass(frozen=True)
class Filters:
    """Facet choices; None means any."""

    profile: int | None = None
    doc_type: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Hit:
    """One matching page."""

    doc_id: int
    page: int
    name: str
    profile: int
    doc_type: str
    date: date
    score: float
    snippet: Markup  # escaped text with the matched words in <mark>
    terms: tuple[str, ...]  # the words of the page that matched, as printed


@dataclass(frozen=True)
class Facets:
    """Matching pages per profile, document type and year."""

    profile: dict[int, int] = field(default_factory=dict)
    doc_type: dict[str, int] = field(default_factory=dict)
    year: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    """A page of hits, the total number of matching pages, and the facets of all of them."""

    hits: list[Hit]
    total: int
    facets: Facets
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


EMPTY = Facets()


class SearchBackend(abc.ABC):
    """An index of document pages; every read takes the set of profiles the caller may see.

    Hits, totals, facets, suggestions and scores alike depend only on those profiles' pages:
    relevance computed from statistics of other profiles' pages would tell a caller which
    words occur in records they may not see.
    """

    name = "abstract"
    # True when the index was missing or unreadable at open and starts empty.
    needs_rebuild = False

    def query(
        self,
        q: str,
        *,
        profiles: frozenset[int],
        filters: Filters | None = None,
        sort: Sort = "relevance",
        page: int = 1,
        per_page: int = 20,
    ) -> Results:
        """Pages matching `q` among `profiles` only: hits, total and facets alike."""
        scope = _scope(profiles, filters or Filters())
        page = max(1, page)
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        q = q[:MAX_QUERY_CHARS]
        if not scope or not q.strip():
            return Results([], 0, EMPTY, page, per_page)
        if sort not in SORTS:
            raise SearchError(f"Unknown sort order {sort!r}.")
        return self._query(q, scope, filters or Filters(), sort, page, per_page)

    def suggest(self, prefix: str, *, profiles: frozenset[int], limit: int = 8) -> list[str]:
        """Words starting with the last word of `prefix`, from `profiles`' pages only."""
        scope = _scope(profiles, Filters())
        words = prefix.split()
        if not scope or not words or prefix[-1:].isspace() or len(words[-1]) < 2:
            return []
        limit = max(1, min(limit, 50))
        # Ask for more: OCR misreadings of a word ("met0prolol") are dropped below.
        return _distinct(self._suggest(words[-1][:MAX_QUERY_CHARS], scope, limit * 3), limit)

    @abc.abstractmethod
    def _query(
        self, q: str, scope: frozenset[int], filters: Filters, sort: Sort, page: int, per_page: int
    ) -> Results: ...

    @abc.abstractmethod
    def _suggest(self, prefix: str, scope: frozenset[int], limit: int) -> list[str]: ...

    @abc.abstractmethod
    def index(self, docs: Iterable[SearchDoc]) -> int:
        """Add or replace these documents (all their pages); return how many."""

    @abc.abstractmethod
    def remove(self, doc_ids: Iterable[int]) -> None:
        """Take these documents out of the index (unknown ids are ignored)."""

    @abc.abstractmethod
    def rebuild(
        self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None
    ) -> int:
        """Replace the whole index with `docs`; `progress` gets the count done so far."""

    @abc.abstractmethod
    def count(self) -> int:
        """Documents in the index."""

    @abc.abstractmethod
    def stamps(self) -> dict[int, tuple[int, int]]:
        """Every indexed document's (profile, stamp), for catching up with the database."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release files, writers and connections."""


def _distinct(words: list[str], limit: int) -> list[str]:
    """Words in order, without look-alikes or one-typo variants of a word already kept."""
    kept: list[tuple[str, str]] = []
    for word in words:
        skel = skeleton(word)
        if any(s == skel or edit_distance(s, skel, 1) <= 1 < len(skel) - 3 for _, s in kept):
            continue
        kept.append((word, skel))
        if len(kept) == limit:
            break
    return [w for w, _ in kept]


def _scope(profiles: frozenset[int], filters: Filters) -> frozenset[int]:
    if not isinstance(profiles, frozenset):
        # A list or None here is a bug in the caller; refuse rather than guess a scope.
        raise TypeError("profiles must be a frozenset of profile ids")
    if filters.profile is not None:
        return profiles & {filters.profile}
    return profiles
