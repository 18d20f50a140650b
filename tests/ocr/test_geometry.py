"""Boxes found on a turned, levelled, enlarged or perspective-corrected copy land back where
they are on the original image."""

from __future__ import annotations

import pytest
from ocrmypdf.models.ocr_element import Baseline, BoundingBox, OcrClass, OcrElement
from PIL import Image, ImageChops

from ocr.geometry import Turn, Warp, map_tree, scale_tree, warp_tree
from ocr.photo import perspective

TRANSPOSE = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


def _copy(image: Image.Image, turn: Turn) -> Image.Image:
    """Make the OCR copy exactly as the engine does: transpose, then rotate about the centre."""
    out = image.transpose(TRANSPOSE[turn.quarter]) if turn.quarter else image
    if turn.skew:
        out = out.rotate(turn.skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return out


def _centre(image: Image.Image) -> tuple[float, float]:
    box = ImageChops.invert(image).getbbox()
    assert box is not None
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


@pytest.mark.parametrize("quarter", [0, 90, 180, 270])
@pytest.mark.parametrize("skew", [0.0, 1.5, -2.5])
def test_points_map_back(quarter: int, skew: float) -> None:
    original = Image.new("L", (400, 300), 255)
    original.paste(0, (300, 60, 310, 70))  # a dot near the top-right corner
    turn = Turn(quarter, skew, *original.size)
    x, y = turn.to_original(_centre(_copy(original, turn)))
    assert (x, y) == pytest.approx((305, 65), abs=1.5)


def _page(turn: Turn) -> OcrElement:
    word = OcrElement(
        ocr_class=OcrClass.WORD,
        text="Ferritin",
        bbox=BoundingBox(100, 40, 180, 60),
        confidence=0.95,
    )
    line = OcrElement(
        ocr_class=OcrClass.LINE,
        bbox=BoundingBox(100, 40, 180, 62),
        baseline=Baseline(0.0, -2),
        children=[word],
    )
    width, height = turn.turned_size
    return OcrElement(
        ocr_class=OcrClass.PAGE, bbox=BoundingBox(0, 0, width, height), children=[line], dpi=300
    )


@pytest.mark.parametrize("quarter", [90, 180, 270])
def test_turned_lines_keep_their_reading_angle(quarter: int) -> None:
    turn = Turn(quarter, 0.0, 400, 300)
    page = map_tree(_page(turn), turn)
    assert page.bbox == BoundingBox(0, 0, 400, 300)
    [line] = page.children
    assert line.textangle == (360 - quarter) % 360
    [word] = line.children
    corners = [turn.to_original(p) for p in ((100, 40), (180, 60))]
    assert word.bbox == BoundingBox(
        min(c[0] for c in corners),
        min(c[1] for c in corners),
        max(c[0] for c in corners),
        max(c[1] for c in corners),
    )


def test_levelled_lines_get_a_sloped_baseline() -> None:
    # The copy was turned 2° clockwise to level it: on the original the text rises 2°.
    turn = Turn(0, -2.0, 400, 300)
    [line] = map_tree(_page(turn), turn).children
    assert line.textangle is None
    assert line.baseline is not None
    # Rising to the right means y shrinks as x grows: slope ≈ -tan(2°).
    assert line.baseline.slope == pytest.approx(-0.0349, abs=0.002)
    # Font height (baseline to top) is that of the level line, not of the tilted box.
    assert line.bbox is not None
    assert line.bbox.height + line.baseline.intercept == pytest.approx(20, abs=1)


def test_untouched_pages_are_returned_as_is() -> None:
    turn = Turn(0, 0.0, 400, 300)
    page = _page(turn)
    assert map_tree(page, turn) is page


def test_a_tree_read_on_an_enlarged_copy_scales_back() -> None:
    word = OcrElement(ocr_class=OcrClass.WORD, bbox=BoundingBox(300, 150, 450, 180), text="Na")
    line = OcrElement(
        ocr_class=OcrClass.LINE,
        bbox=BoundingBox(300, 150, 900, 186),
        baseline=Baseline(0.01, -6.0),
        poly=[(300.0, 150.0), (900.0, 186.0)],
        children=[word],
    )
    page = OcrElement(ocr_class=OcrClass.PAGE, bbox=BoundingBox(0, 0, 2550, 3300), dpi=300,
                      children=[line])  # fmt: skip
    back = scale_tree(page, 2 / 3, 200)
    assert back.dpi == 200
    assert back.bbox == BoundingBox(0, 0, 1700, 2200)
    (line_back,) = back.children
    assert line_back.bbox == BoundingBox(200, 100, 600, 124)
    assert line_back.baseline == Baseline(0.01, -4.0)  # the slope keeps; the offset scales
    assert line_back.poly == [(200.0, 100.0), (600.0, 124.0)]
    assert line_back.children[0].bbox == BoundingBox(200, 100, 300, 120)
    assert line_back.children[0].text == "Na"


# A photo's page as a quadrilateral on a 400 × 300 image, and the upright 240 × 300 copy.
QUAD = [(60.0, 30.0), (330.0, 50.0), (350.0, 280.0), (40.0, 270.0)]
UPRIGHT = [(0.0, 0.0), (240.0, 0.0), (240.0, 300.0), (0.0, 300.0)]


def test_points_on_a_perspective_copy_map_back() -> None:
    original = Image.new("L", (400, 300), 255)
    original.paste(0, (280, 220, 290, 230))  # a dot near the quadrilateral's bottom right
    coeffs = perspective(UPRIGHT, QUAD)
    copy = original.transform((240, 300), Image.Transform.PERSPECTIVE, coeffs,
                              Image.Resampling.BILINEAR, fillcolor=255)  # fmt: skip
    warp = Warp(coeffs, *original.size)
    assert warp.to_original(_centre(copy)) == pytest.approx((285, 225), abs=1.5)
    for corner, on_photo in zip(UPRIGHT, QUAD, strict=True):
        assert warp.to_original(corner) == pytest.approx(on_photo, abs=1e-6)


def test_a_tree_read_on_a_perspective_copy_lands_on_the_photo() -> None:
    warp = Warp(perspective(UPRIGHT, QUAD), 400, 300)
    page = _page(Turn(0, 0.0, 240, 300))
    back = warp_tree(page, warp, 150)
    assert (back.bbox, back.dpi) == (BoundingBox(0, 0, 400, 300), 150)
    [line] = back.children
    [word] = line.children
    corners = [warp.to_original(p) for p in ((100, 40), (180, 40), (100, 60), (180, 60))]
    assert word.bbox == BoundingBox(
        min(c[0] for c in corners),
        min(c[1] for c in corners),
        max(c[0] for c in corners),
        max(c[1] for c in corners),
    )
    # The quadrilateral's top edge runs down 20 px over 270 to the right; a line read level
    # on the copy gets that slope on the photo, its baseline through the mapped points.
    assert line.baseline is not None and line.bbox is not None
    start, end = warp.to_original((100, 60)), warp.to_original((180, 60))
    assert line.baseline.slope == pytest.approx((end[1] - start[1]) / (end[0] - start[0]))
    assert line.bbox.bottom + line.baseline.intercept == pytest.approx(
        start[1] + line.baseline.slope * (line.bbox.left - start[0])
    )
