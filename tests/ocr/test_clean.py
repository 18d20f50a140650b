"""Speckle removal at a scan's own resolution keeps strokes one pixel wide."""

from __future__ import annotations

from PIL import Image, ImageDraw

from ocr.clean import despeckle


def test_lone_specks_go_and_thin_strokes_stay() -> None:
    image = Image.new("L", (40, 20), 255)
    draw = ImageDraw.Draw(image)
    draw.line((2, 10, 30, 10), fill=0)  # a stroke one pixel wide
    draw.line((35, 2, 35, 18), fill=40)
    image.putpixel((10, 3), 0)  # a dark speck on paper
    image.putpixel((20, 15), 90)
    draw.rectangle((2, 14, 12, 16), fill=0)  # a stroke three pixels wide...
    image.putpixel((7, 15), 255)  # ...with a light speck inside it
    cleaned = despeckle(image)
    assert cleaned.getpixel((10, 3)) == 255
    assert cleaned.getpixel((20, 15)) == 255
    assert cleaned.getpixel((7, 15)) == 0
    assert [cleaned.getpixel((x, 10)) for x in range(2, 31)] == [0] * 29
    assert [cleaned.getpixel((35, y)) for y in range(2, 19)] == [40] * 17
    assert cleaned.getpixel((0, 0)) == 255
