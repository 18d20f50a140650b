"""Expanding a query term over the term dictionary: exact, OCR look-alikes, typos, prefixes.

Tantivy's own fuzzy and prefix queries score every match 1.0 and give no snippets, so each
term becomes an OR of plain term queries over the indexed words that match it, weighted by
how well they match. Boosts also even out IDF: a rare OCR misspelling must not outrank the
common spelling the person meant.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from server.search.text import Term, skeleton

MAX_EXPANSIONS = 40
PREFIX_EXPANSIONS = 30
CACHED_EXPANSIONS = 2000
REFRESH_SECONDS = 10.0  # a changed index re-reads its dictionary at most this often


class Vocabulary:
    """The words of one index generation, grouped for look-alike and typo look-ups."""

    def __init__(self, terms: list[tuple[str, int]], pages: int) -> None:
        self.pages = max(1, pages)
        self.df: dict[str, int] = {}
        self._expanded: dict[Term, dict[str, float]] = {}
        self.by_skel: dict[str, list[str]] = defaultdict(list)
        # (first letter of the skeleton, its length) -> [(word, skeleton, letters)]: typo
        # candidates; `letters` is a bit per letter present, a cheap first test.
        self.buckets: dict[tuple[str, int], list[tuple[str, str, int]]] = defaultdict(list)
        for word, count in terms:
            self.df[word] = count
            if word.isdigit():
                continue
            skel = skeleton(word)
            self.by_skel[skel].append(word)
            self.buckets[(skel[:1], len(skel))].append((word, skel, letters(skel)))

    def idf(self, word: str) -> float:
        n = self.df.get(word, 1)
        return math.log(1 + (self.pages - n + 0.5) / (n + 0.5))

    def expand(
        self, term: Term, prefixed: Callable[[str], list[tuple[str, int]]]
    ) -> dict[str, float]:
        """Indexed words matching `term`, each with its boost."""
        # People retype the same words (as they type, and paging): remember this generation's.
        found = self._expanded.get(term)
        if found is None:
            found = self._expand(term, prefixed)
            if len(self._expanded) >= CACHED_EXPANSIONS:
                self._expanded.clear()
            self._expanded[term] = found
        return found

    def _expand(
        self, term: Term, prefixed: Callable[[str], list[tuple[str, int]]]
    ) -> dict[str, float]:
        # The word itself always: it may have been indexed since this vocabulary was read.
        weights: dict[str, float] = {term.word: 1.0}
        for word in self.by_skel.get(term.skel, ()):
            weights.setdefault(word, term.weight(word, term.skel))
        if term.edits:
            first, n = term.skel[:1], len(term.skel)
            mask, most = letters(term.skel), 2 * term.edits
            for length in range(n - term.edits, n + term.edits + 1):
                for word, skel, bits in self.buckets.get((first, length), ()):
                    # Each edit adds or removes at most two letters from the set of letters.
                    if (bits ^ mask).bit_count() <= most and word not in weights:
                        w = term.weight(word, skel)
                        if w:
                            weights[word] = w
        if term.prefix:
            # From the live dictionary: what the person is typing may have just been indexed.
            for word, count in prefixed(term.word):
                self.df.setdefault(word, count)
                weights.setdefault(word, term.weight(word))
        weights = {w: v for w, v in weights.items() if v > 0}
        best = sorted(weights, key=lambda w: (-weights[w], -self.df.get(w, 0)))[:MAX_EXPANSIONS]
        if not best:
            return {}
        ref = min(self.idf(w) for w in best)
        return {w: weights[w] * ref / max(self.idf(w), 1e-6) for w in best}


def letters(word: str) -> int:
    bits = 0
    for c in word:
        bits |= 1 << (ord(c) & 63)
    return bits


class VocabularyCache:
    """One Vocabulary per index generation, rebuilt lazily and never on every query."""

    def __init__(self, load: Callable[[], tuple[list[tuple[str, int]], int, object]]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._vocab: Vocabulary | None = None
        self._key: object = None
        self._built = 0.0

    def invalidate(self) -> None:
        self._built = 0.0

    def get(self, key: object) -> Vocabulary:
        vocab = self._vocab
        fresh = key == self._key or time.monotonic() - self._built < REFRESH_SECONDS
        if vocab is not None and fresh:
            return vocab
        with self._lock:
            if self._vocab is None or (
                key != self._key and time.monotonic() - self._built >= REFRESH_SECONDS
            ):
                terms, pages, key = self._load()
                self._vocab = Vocabulary(terms, pages)
                self._key, self._built = key, time.monotonic()
            return self._vocab
