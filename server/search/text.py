"""Words as the index sees them, what a query asks for, and when a word on a page matches it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Tantivy's simple tokenizer splits on anything that is not a letter or digit; so do we.
TOKEN = re.compile(r"[^\W_]+")
MAX_TOKEN_BYTES = 40  # tantivy's remove_long filter drops longer tokens
MAX_TERMS = 10
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"})
# What OCR confuses, mapped to one form: 1/l/I (i after lowercasing), 0/O, and rn/m.
_CONFUSABLE = str.maketrans({"1": "l", "i": "l", "|": "l", "0": "o"})
# Weights of the ways a word can match a query term (an exact match is 1.0).
OCR_WEIGHT = 0.6
PREFIX_WEIGHT = 0.5
FUZZY_WEIGHTS = {1: 0.4, 2: 0.25}


def fold(word: str) -> str:
    """Lowercase without accents, as the index stores words (tantivy lowercase + ascii_fold)."""
    word = word.lower().translate(_SPECIAL)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def skeleton(word: str) -> str:
    """A folded word with OCR look-alikes made equal, so `a1c`, `alc` and `aic` meet."""
    return word.replace("rn", "m").translate(_CONFUSABLE)


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word of `text`, as the index tokenizes it."""
    for m in TOKEN.finditer(text):
        if len(m.group().encode()) < MAX_TOKEN_BYTES:
            yield m.start(), m.end(), fold(m.group())


def tokens(text: str) -> list[str]:
    return [w for _, _, w in spans(text)]


def max_edits(word: str) -> int:
    """Typos tolerated in a query word of this length (digits are never fuzzy)."""
    if word.isdigit() or len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau (optimal string alignment) distance, or limit + 1 once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@dataclass(frozen=True)
class Term:
    """One query word and how loosely it may match."""

    word: str  # folded
    skel: str
    edits: int
    prefix: bool

    def weight(self, word: str, skel: str | None = None) -> float:
        """How well an indexed word matches this term: 0 for not at all, 1 for exactly."""
        if word == self.word:
            return 1.0
        skel = skeleton(word) if skel is None else skel
        # OCR look-alikes only for words with letters: "100" must not find "loo".
        if skel == self.skel and not self.word.isdigit():
            return OCR_WEIGHT
        if self.prefix and (word.startswith(self.word) or skel.startswith(self.skel)):
            return PREFIX_WEIGHT
        if self.edits and skel[:1] == self.skel[:1]:
            d = edit_distance(skel, self.skel, self.edits)
            if 0 < d <= self.edits:
                return FUZZY_WEIGHTS[d]
        return 0.0


@dataclass(frozen=True)
class Parsed:
    """A query: loose terms (all wanted) and exact phrases."""

    terms: tuple[Term, ...]
    phrases: tuple[tuple[str, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.terms and not self.phrases

    def weight(self, word: str) -> float:
        """The best weight of `word` (folded) for any loose term (phrases match as runs)."""
        skel = skeleton(word)
        return max((t.weight(word, skel) for t in self.terms), default=0.0)


_QUOTED = re.compile(r'"([^"]*)"?')


def parse(q: str) -> Parsed:
    """Quoted text is a phrase; other words are terms; the last word is a prefix while typing."""
    phrases: list[tuple[str, ...]] = []
    words: list[str] = []
    for m in _QUOTED.finditer(q):
        phrase = tuple(tokens(m.group(1)))
        if len(phrase) > 1:
            phrases.append(phrase)
        elif phrase:
            words.append(phrase[0])
    rest = _QUOTED.sub(" ", q)
    raw = rest.split()
    typing = bool(raw) and not q[-1:].isspace() and not q.rstrip().endswith('"')
    terms: list[Term] = []
    for n, chunk in enumerate(raw):
        parts = tokens(chunk)
        if len(parts) > 1:  # "7.2", "mg/dL", "covid-19": one printed word, an exact phrase
            phrases.append(tuple(parts))
            continue
        words.extend(parts)
        if parts and typing and n == len(raw) - 1:
            words[-1] = "\x00" + words[-1]  # marks the word being typed
    seen: set[str] = set()
    for w in words:
        prefix = w.startswith("\x00")
        w = w.lstrip("\x00")
        if w in seen or len(terms) >= MAX_TERMS:
            continue
        seen.add(w)
        terms.append(Term(w, skeleton(w), max_edits(w), prefix and len(w) >= 2))
    return Parsed(tuple(terms), tuple(dict.fromkeys(phrases))[:MAX_TERMS])
