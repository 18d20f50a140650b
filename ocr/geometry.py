"""Map OCR results found on a turned and deskewed copy of a page back onto the page itself.

The engine OCRs a copy that was first turned by a multiple of 90 degrees (PIL transpose,
counter-clockwise) and then rotated by a small skew angle about its centre (PIL rotate,
counter-clockwise, same size). OCRmyPDF places the text layer using pixel boxes on the
original image, so every box is mapped back: skew first, then the quarter turn. Lines keep
their reading direction through `textangle` (hOCR: counter-clockwise) and their tilt through
the baseline slope, which is how Tesseract itself describes skewed and rotated lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from ocrmypdf.models.ocr_element import Baseline, BoundingBox, OcrClass, OcrElement

Point = tuple[float, float]


@dataclass(frozen=True)
class Turn:
    """How the OCR copy was made from the original image of `width` × `height` pixels."""

    quarter: int  # 0, 90, 180 or 270 degrees counter-clockwise, applied first
    skew: float  # degrees counter-clockwise, applied second about the centre
    width: int
    height: int

    @property
    def turned_size(self) -> tuple[int, int]:
        """Size of the image after the quarter turn (and after the skew, which keeps it)."""
        if self.quarter in (90, 270):
            return self.height, self.width
        return self.width, self.height

    def to_original(self, point: Point) -> Point:
        """Map a point on the OCR copy to the original image."""
        return self._unturn(self._unskew(point))

    def _unskew(self, point: Point) -> Point:
        if not self.skew:
            return point
        w, h = self.turned_size
        cx, cy = w / 2, h / 2
        a = math.radians(self.skew)
        dx, dy = point[0] - cx, point[1] - cy
        # PIL's counter-clockwise rotation in y-down coordinates, inverted.
        return (cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a))

    def _unturn(self, point: Point) -> Point:
        x, y = point
        if self.quarter == 90:
            return (self.width - y, x)
        if self.quarter == 180:
            return (self.width - x, self.height - y)
        if self.quarter == 270:
            return (y, self.height - x)
        return point


def map_tree(page: OcrElement, turn: Turn) -> OcrElement:
    """Return `page` with every box, baseline and text angle expressed on the original image."""
    if not turn.quarter and not turn.skew:
        return page
    mapped = _map_element(page, turn)
    return replace(mapped, bbox=BoundingBox(0, 0, turn.width, turn.height))


def _map_element(element: OcrElement, turn: Turn) -> OcrElement:
    children = [_map_element(child, turn) for child in element.children]
    if element.bbox is None:
        return replace(element, children=children)
    if element.ocr_class in OcrClass.LINE_TYPES:
        return _map_line(element, children, turn)
    box = _clamp(_map_box(element.bbox, turn.to_original), turn)
    return replace(element, bbox=box, children=children)


def _map_line(line: OcrElement, children: list[OcrElement], turn: Turn) -> OcrElement:
    assert line.bbox is not None
    box = line.bbox
    angle = ((line.textangle or 0.0) - turn.quarter) % 360
    if line.textangle:
        # Tesseract already found this line running vertically: move its box, keep its
        # baseline (relative to the line), and add the turn to its angle.
        moved = _clamp(_map_box(box, turn.to_original), turn)
        return replace(line, bbox=moved, textangle=angle or None, children=children)
    baseline = line.baseline or Baseline(0.0, 0.0)
    # Two points on the baseline, in the skewed copy's coordinates.
    start = (box.left, box.bottom + baseline.intercept)
    end = (box.right, start[1] + baseline.slope * (box.right - box.left))
    # Undo the skew first: the line stays in the upright (turned) frame, tilted by the skew.
    tilted = _map_box(box, turn._unskew)
    s0, s1 = turn._unskew(start), turn._unskew(end)
    slope = (s1[1] - s0[1]) / (s1[0] - s0[0]) if s1[0] != s0[0] else 0.0
    baseline_y = s0[1] + slope * (tilted.left - s0[0])
    intercept = baseline_y - tilted.bottom
    # OCRmyPDF sizes the font from the baseline's left end up to the box top. For a line
    # rising to the right that would include the whole rise; bring the top down so the font
    # keeps the height the text had on the levelled copy.
    glyph_height = box.bottom + baseline.intercept - box.top
    top = min(tilted.bottom, max(tilted.top, baseline_y - glyph_height))
    level = BoundingBox(tilted.left, top, tilted.right, tilted.bottom)
    # Then the quarter turn, which maps boxes exactly and only changes the reading angle.
    upright = _clamp(_map_box(level, turn._unturn), turn)
    return replace(
        line,
        bbox=upright,
        baseline=Baseline(slope=slope, intercept=intercept),
        textangle=angle or None,
        children=children,
    )


def _map_box(box: BoundingBox, mapping: Callable[[Point], Point]) -> BoundingBox:
    corners = [
        mapping((box.left, box.top)),
        mapping((box.right, box.top)),
        mapping((box.left, box.bottom)),
        mapping((box.right, box.bottom)),
    ]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return BoundingBox(min(xs), min(ys), max(xs), max(ys))


def _clamp(box: BoundingBox, turn: Turn | Warp) -> BoundingBox:
    left = min(max(0.0, box.left), turn.width)
    top = min(max(0.0, box.top), turn.height)
    return BoundingBox(
        left, top, max(left, min(box.right, turn.width)), max(top, min(box.bottom, turn.height))
    )


@dataclass(frozen=True)
class Warp:
    """A perspective copy of an original image of `width` × `height` pixels (a photographed
    page made upright, see ocr/photo.py): the copy's point (x, y) shows the original's point
    ((a x + b y + c) / (g x + h y + 1), (d x + e y + f) / (g x + h y + 1)), where `coeffs` are
    a..h, PIL's PERSPECTIVE data."""

    coeffs: tuple[float, ...]
    width: int
    height: int

    def to_original(self, point: Point) -> Point:
        """Map a point on the perspective copy to the original image."""
        a, b, c, d, e, f, g, h = self.coeffs
        x, y = point
        w = g * x + h * y + 1.0
        return ((a * x + b * y + c) / w, (d * x + e * y + f) / w)


def warp_tree(page: OcrElement, warp: Warp, dpi: float | None = None) -> OcrElement:
    """Return `page` (found on the perspective copy) with every box, polygon and baseline
    expressed on the original image, and its resolution set to `dpi` when given."""
    mapped = _warp_element(page, warp)
    changes: dict[str, object] = {"bbox": BoundingBox(0, 0, warp.width, warp.height)}
    if dpi is not None:
        changes["dpi"] = dpi
    return replace(mapped, **changes)  # type: ignore[arg-type]


def _warp_element(element: OcrElement, warp: Warp) -> OcrElement:
    children = [_warp_element(child, warp) for child in element.children]
    changes: dict[str, object] = {"children": children}
    if element.poly:
        changes["poly"] = [warp.to_original(p) for p in element.poly]
    if element.bbox is None:
        return replace(element, **changes)  # type: ignore[arg-type]
    box = element.bbox
    moved = _clamp(_map_box(box, warp.to_original), warp)
    changes["bbox"] = moved
    if element.ocr_class in OcrClass.LINE_TYPES and not element.textangle:
        # The baseline keeps its place: two of its points mapped, the slope and the offset
        # from the new box's bottom recomputed (as _map_line does for a skew).
        baseline = element.baseline or Baseline(0.0, 0.0)
        start = (box.left, box.bottom + baseline.intercept)
        end = (box.right, start[1] + baseline.slope * (box.right - box.left))
        s0, s1 = warp.to_original(start), warp.to_original(end)
        slope = (s1[1] - s0[1]) / (s1[0] - s0[0]) if s1[0] != s0[0] else 0.0
        baseline_y = s0[1] + slope * (moved.left - s0[0])
        # Keep the font height the text had on the copy, scaled (OCRmyPDF sizes the font
        # from the baseline's left end up to the box top).
        scale = _distance(s0, s1) / max(1e-9, _distance(start, end))
        glyph_height = (box.bottom + baseline.intercept - box.top) * scale
        top = min(moved.bottom, max(moved.top, baseline_y - glyph_height))
        changes["bbox"] = BoundingBox(moved.left, top, moved.right, moved.bottom)
        changes["baseline"] = Baseline(slope=slope, intercept=baseline_y - moved.bottom)
    return replace(element, **changes)  # type: ignore[arg-type]


def _distance(p: Point, q: Point) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def scale_tree(element: OcrElement, factor: float, dpi: float | None = None) -> OcrElement:
    """Return `element` with every box, polygon and baseline offset multiplied by `factor`
    (an OCR of a copy enlarged by 1/`factor`, mapped back onto the page as it stands), and
    the page's resolution set to `dpi` when given."""
    children = [scale_tree(child, factor) for child in element.children]
    changes: dict[str, object] = {"children": children}
    if element.bbox is not None:
        b = element.bbox
        changes["bbox"] = BoundingBox(b.left * factor, b.top * factor, b.right * factor,
                                      b.bottom * factor)  # fmt: skip
    if element.poly:
        changes["poly"] = [(x * factor, y * factor) for x, y in element.poly]
    if element.baseline is not None:
        changes["baseline"] = Baseline(element.baseline.slope, element.baseline.intercept * factor)
    if dpi is not None:
        changes["dpi"] = dpi
    return replace(element, **changes)  # type: ignore[arg-type]
