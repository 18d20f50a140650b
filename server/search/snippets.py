"""Snippets: the stretch of a page with the most matched words, escaped, matches in <mark>."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from server.search.text import TOKEN, fold

WIDTH = 220
LEAD = 50  # characters of context before the first match
_SPACE = re.compile(r"\s+")
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![^\W_])", r"(?![^\W_])"


def pattern(words: Iterable[str], phrases: Iterable[tuple[str, ...]]) -> re.Pattern[str] | None:
    """A regex finding the matched words, and phrases as one run, in folded text."""
    parts = [r"[\W_]+".join(map(re.escape, p)) for p in phrases]
    parts += sorted(map(re.escape, words), key=len, reverse=True)
    if not parts:
        return None
    return re.compile(_EDGE_BEFORE + "(?:" + "|".join(parts) + ")" + _EDGE_AFTER)


def folded(text: str) -> str:
    """`text` folded character by character, so offsets still point into the original."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def _fold_char(c: str) -> str:
    for f in (fold(c), c.lower()):
        if len(f) == 1:
            return f
    return c


def words_matching(text: str, weight: Callable[[str], float]) -> set[str]:
    """The distinct words of `text` that `weight` accepts."""
    return {w for w in set(TOKEN.findall(folded(text))) if weight(w) > 0}


def snippet(
    text: str, found: re.Pattern[str] | None, width: int = WIDTH
) -> tuple[Markup, tuple[str, ...]]:
    """The best window of `text` and the distinct words of the whole page that matched."""
    spans = [(m.start(), m.end(), m.group()) for m in found.finditer(folded(text))] if found else []
    if not spans:
        cut = len(text) > width
        end = _word_end(text, width) if cut else len(text)
        return _squash(text[:end]) + (Markup("…") if cut else Markup("")), ()
    best, best_n = 0, -1
    for i, (start, _, _) in enumerate(spans[:64]):  # a common word can match hundreds of times
        inside = set()
        for _, e, w in spans[i:]:
            if e > start + width - LEAD:
                break
            inside.add(w)
        if len(inside) > best_n:
            best, best_n = i, len(inside)
    start = _word_start(text, max(0, spans[best][0] - LEAD))
    end = _word_end(text, min(len(text), start + width))
    # Escaped pieces joined once: cheaper than joining Markup objects (20 snippets a search).
    out = ["…"] if start > 0 else []
    pos = start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        out += (_squash(text[pos:s]), "<mark>", escape(text[s:e]), "</mark>")
        pos = e
    out.append(_squash(text[pos:end]))
    if end < len(text):
        out.append("…")
    surface = tuple(dict.fromkeys(text[s:e] for s, e, _ in spans))[:20]
    return Markup("".join(out)), surface


def _squash(text: str) -> Markup:
    return escape(_SPACE.sub(" ", text))


def _word_start(text: str, i: int) -> int:
    stop = max(0, i - 40)  # a very long "word" is cut rather than followed
    while i > stop and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    stop = min(len(text), i + 40)
    while i < stop and not text[i].isspace():
        i += 1
    return i
