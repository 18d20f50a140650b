"""Running text over printed lines, so prose can be read with regexes and still be cited."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ocr.facts.lines import Line, Token, union
from ocr.facts.model import Citation

# Transcriptions that lost their line breaks keep them as ":," and ".," (MTSamples), and
# numbered lists run on after a full stop; both end a logical line.
_BREAK = re.compile(
    r"\n|(?<=:),|(?<=\.),(?=\s*(?:\d{1,2}[.)]\s|[A-Z]))|(?<=\.)\s+(?=\d{1,2}[.)]\s)"
)

# "p.o. daily" and "Dr. Smith" do not end sentences: a lower-case word or a title before it.
_SENTENCE = re.compile(r"(?<=[a-z0-9)\]][.!?])(?<!\b(?i:dr|mr|ms|st|vs|no)\.)\s+(?=[A-Z])")


@dataclass
class Text:
    """Lines joined by newlines, with each token's character offsets."""

    text: str
    tokens: list[tuple[int, int, Token, Line]]

    def cite(self, start: int, end: int) -> Citation:
        """A citation of the characters `start:end`: the boxes of their words, by line."""
        by_line: dict[int, tuple[Line, list[Token]]] = {}
        for a, b, token, line in self.tokens:
            if a < end and b > start:
                by_line.setdefault(id(line), (line, []))[1].append(token)
        if not by_line:
            return Citation(None, (), self.text[start:end].strip())
        boxes = []
        for _, tokens in by_line.values():
            box = union(tokens)
            if box is not None:
                boxes.append(box)
        first = next(iter(by_line.values()))[0]
        snippet = " ".join(t.text for _, tokens in by_line.values() for t in tokens)
        return Citation(first.page, tuple(boxes), snippet)


def join(lines: Sequence[Line]) -> Text:
    """The text of `lines`, one per row, and where each token sits in it."""
    parts, tokens, position = [], [], 0
    for line in lines:
        for index, token in enumerate(line.tokens):
            if index:
                position += 1
            tokens.append((position, position + len(token.text), token, line))
            position += len(token.text)
        parts.append(line.text)
        position += 1
    return Text("\n".join(parts), tokens)


def logical_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the logical lines in `text[start:end]`, blank ones left out."""
    end = len(text) if end is None else end
    cursor = start
    for found in _BREAK.finditer(text, start, end):
        yield from _trimmed(text, cursor, found.start())
        cursor = found.end()
    yield from _trimmed(text, cursor, end)


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of the sentences in `text[start:end]` (a full stop before a capital ends one)."""
    cursor = start
    for found in _SENTENCE.finditer(text, start, end):
        yield from _trimmed(text, cursor, found.start())
        cursor = found.end()
    yield from _trimmed(text, cursor, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start] in " \t,":
        start += 1
    while end > start and text[end - 1] in " \t,":
        end -= 1
    if end > start:
        yield start, end


def split_items(
    text: str, start: int, end: int, separators: str = r"[;,]"
) -> list[tuple[int, int]]:
    """Spans of list items in `text[start:end]`, split on `separators` and a final "and"."""
    pattern = re.compile(rf"{separators}\s*(?:and\s+|or\s+)?|\s+and\s+(?=[^,;]*$)", re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    cursor = start
    for found in pattern.finditer(text, start, end):
        if _inside_brackets(text, cursor, found.start()):
            continue
        spans.extend(_trimmed(text, cursor, found.start()))
        cursor = found.end()
    spans.extend(_trimmed(text, cursor, end))
    return spans


def _inside_brackets(text: str, start: int, position: int) -> bool:
    segment = text[start:position]
    return segment.count("(") > segment.count(")")
