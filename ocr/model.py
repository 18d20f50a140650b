"""What reading a document produces: plain, picklable dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One word and its box, as fractions of the displayed page (origin top-left, 0..1)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class PageReading:
    """One page: its text, word boxes and the images a browser shows."""

    number: int
    width_pt: float
    height_pt: float
    text: str
    words: list[Word]
    image: str
    thumbnail: str
    ocr_applied: bool


@dataclass
class Reading:
    """Everything read from one document."""

    kind: str
    mime: str
    pages: list[PageReading]
    pdf: str | None
    structured_format: str | None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
