"""Ink that Tesseract's page layout left unread: lone short words, such as flag columns.

Tesseract's automatic page segmentation drops small isolated words that form no text block
of their own: a lab report's flag column ("H" beside some rows, far right of the value and
range, nothing else above or below) came back with no block, line or word there at all, on
clean and noisy scans at 150, 200 and 300 dpi alike, so a high glucose lost its "H".
`lone_ink` finds such leftovers: the page's ink with every word Tesseract boxed painted out,
gathered on a coarse grid (cells of `_CELL_IN`) into clusters, of which those the size of a
short word of text are returned for the engine to read one by one as a single line.
Specks, rules, borders and pictures are not word-sized and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from PIL import Image, ImageDraw

_INK_BELOW = 160
_CELL_IN = 0.03
_CELL_INKED = 20  # of 255: a cell at least ~8 % inked
_PAD_IN = 0.02  # around a word's box: ink Tesseract counted as that word's
_MIN_HEIGHT_IN = 0.06  # a 7 pt capital
_MAX_HEIGHT_IN = 0.3
_MAX_WIDTH_IN = 1.0
MAX_CLUSTERS = 40  # more than this many: a picture, handwriting or a stamp, not lone words

_BINARY = [255 if v < _INK_BELOW else 0 for v in range(256)]  # ink white, paper black

Box = tuple[int, int, int, int]


def lone_ink(image: Image.Image, dpi: float, words: Iterable[Box]) -> list[Box]:
    """Boxes (left, top, right, bottom pixels of `image`) of word-sized clusters of ink that
    lie outside every box of `words`, top to bottom; none when there are more than
    `MAX_CLUSTERS` of them."""
    grey = image if image.mode == "L" else image.convert("L")
    ink = grey.point(_BINARY)
    draw = ImageDraw.Draw(ink)
    pad = round(_PAD_IN * dpi)
    for left, top, right, bottom in words:
        draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), fill=0)
    if ink.getbbox() is None:
        return []
    cell = max(2, round(_CELL_IN * dpi))
    columns, rows = ink.width // cell, ink.height // cell
    grid = ink.resize((columns, rows), Image.Resampling.BOX).tobytes()
    inked = bytearray(1 if v >= _CELL_INKED else 0 for v in grid)
    found: list[Box] = []
    for start, value in enumerate(inked):
        if not value:
            continue
        # Flood this cluster (8-connected) and clear it as it goes.
        inked[start] = 0
        stack = [start]
        x0 = x1 = start % columns
        y0 = y1 = start // columns
        while stack:
            at = stack.pop()
            x, y = at % columns, at // columns
            x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
            for ny in (y - 1, y, y + 1):
                if 0 <= ny < rows:
                    for nx in (x - 1, x, x + 1):
                        near = ny * columns + nx
                        if 0 <= nx < columns and inked[near]:
                            inked[near] = 0
                            stack.append(near)
        height, width = (y1 + 1 - y0) * cell / dpi, (x1 + 1 - x0) * cell / dpi
        if _MIN_HEIGHT_IN <= height <= _MAX_HEIGHT_IN and width <= _MAX_WIDTH_IN:
            found.append((x0 * cell, y0 * cell, (x1 + 1) * cell, (y1 + 1) * cell))
            if len(found) > MAX_CLUSTERS:
                return []
    return found
