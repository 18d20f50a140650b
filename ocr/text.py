"""Page text and word boxes: from a PDF's text layer (pypdfium2) or from OCR results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ocr.model import Word

_SPACES = frozenset(" \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2009\u200a\u3000\ufeff\x00")
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Frame:
    """Where a page's boxes live: its CropBox, MediaBox and /Rotate (clockwise degrees)."""

    crop: Box  # left, bottom, right, top in PDF user space
    media: Box
    rotation: int

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> Frame:
        """The frame of a pypdfium2 page."""
        return cls(page.get_cropbox(), page.get_mediabox(), page.get_rotation() % 360)

    def to_display(self, box: Box) -> Box:
        """Map a user-space (left, bottom, right, top) box to fractions of the displayed page."""
        left, bottom, right, top = self.crop
        width, height = (right - left) or 1.0, (top - bottom) or 1.0
        corners = [
            _turn_clockwise(((x - left) / width, (top - y) / height), self.rotation)
            for x, y in ((box[0], box[1]), (box[2], box[3]))
        ]
        return _fraction_box(corners)

    def from_render(self, fractions: Box, rotation: int) -> Box:
        """Map fractions of a rendering of the MediaBox at `rotation` to a user-space box."""
        left, bottom, right, top = self.media
        points = []
        for corner in ((fractions[0], fractions[1]), (fractions[2], fractions[3])):
            u, v = _turn_clockwise(corner, (360 - rotation) % 360)
            points.append((left + u * (right - left), top - v * (top - bottom)))
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))


def has_text(page: pdfium.PdfPage) -> bool:
    """True when the page's text layer holds any visible character."""
    textpage = page.get_textpage()
    try:
        if textpage.count_chars() == 0:
            return False
        return any(ch not in _SPACES for ch in textpage.get_text_range())
    finally:
        textpage.close()


def read_text(page: pdfium.PdfPage) -> tuple[str, list[Word]]:
    """The page's text layer in reading order and its words, boxed on the displayed page."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count == 0:
            return "", []
        text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        return text, _words(Frame.of(page), textpage, count)
    finally:
        textpage.close()


def ocr_words(
    frame: Frame, rendered_rotation: int, words: Iterable[tuple[str, float, float, float, float]]
) -> list[Word]:
    """Words OCR boxed on a rendering of the MediaBox at `rendered_rotation`, as page Words."""
    return [
        Word(text, *frame.to_display(frame.from_render((x0, y0, x1, y1), rendered_rotation)))
        for text, x0, y0, x1, y1 in words
    ]


def _words(frame: Frame, textpage: pdfium.PdfTextPage, count: int) -> list[Word]:
    words: list[Word] = []
    chars: list[str] = []
    box: list[float] = []
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if not ch or ch in _SPACES:
            if chars:
                words.append(Word("".join(chars), *frame.to_display(_box(box))))
                chars, box = [], []
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        chars.append(ch)
        if box:
            box = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        else:
            box = [left, bottom, right, top]
    if chars:
        words.append(Word("".join(chars), *frame.to_display(_box(box))))
    return words


def _box(values: list[float]) -> Box:
    return (values[0], values[1], values[2], values[3])


def _turn_clockwise(point: tuple[float, float], rotation: int) -> tuple[float, float]:
    """Where a point (fractions, origin top-left) lands when the page turns clockwise."""
    u, v = point
    if rotation == 90:
        return (1 - v, u)
    if rotation == 180:
        return (1 - u, 1 - v)
    if rotation == 270:
        return (v, 1 - u)
    return (u, v)


def _fraction_box(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (_unit(min(xs)), _unit(min(ys)), _unit(max(xs)), _unit(max(ys)))


def _unit(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 5)
