"""Skew and sideways text are estimated from projection profiles, cheaply."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PIL import Image

from ocr.layout import measure

LINES = [f"Line {n}: Sodium 140 mmol/L Potassium 4.1 mmol/L reviewed" for n in range(14)]


@pytest.mark.parametrize("angle", [-3.0, -1.2, 0.6, 2.5])
def test_skew_is_measured(draw: Callable, angle: float) -> None:
    page = draw(LINES, dpi=300, inches=(8.5, 11)).image
    tilted = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    started = time.perf_counter()
    layout = measure(tilted, 300)
    assert time.perf_counter() - started < 0.5
    assert layout.skew == pytest.approx(angle, abs=0.2)
    assert not layout.sideways


def test_level_page_needs_no_fine_search(draw: Callable) -> None:
    layout = measure(draw(LINES).image, 200)
    assert (layout.skew, layout.sideways) == (0.0, False)


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_text_is_noticed(draw: Callable, turn: int) -> None:
    page = draw(LINES, inches=(8.5, 11)).image.rotate(turn, expand=True)
    assert measure(page, 200).sideways


def test_upside_down_is_not_sideways(draw: Callable) -> None:
    # Projection profiles cannot tell up from down; the engine asks Tesseract for that.
    assert not measure(draw(LINES).image.rotate(180), 200).sideways


def test_blank_page(draw: Callable) -> None:
    layout = measure(Image.new("L", (1700, 2200), 255), 200)
    assert layout.ink < 0.001 and layout.skew == 0.0


@pytest.mark.parametrize(
    ("angle", "levelled"), [(-0.6, False), (0.6, False), (1.2, True), (-2.5, True)]
)
def test_tilts_too_small_to_level_skip_the_fine_search(
    draw: Callable, angle: float, levelled: bool
) -> None:
    page = draw(LINES, dpi=300, inches=(8.5, 11)).image
    tilted = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    precise = measure(tilted, 300)
    quick = measure(tilted, 300, level_from=1.0)
    assert quick.skew == (precise.skew if levelled else 0.0)
    assert quick.sideways == precise.sideways is False
