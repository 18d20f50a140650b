"""Lone words Tesseract's page layout left unread (ocr/lone.py): found word-sized, apart from
the words already read, specks, rules and borders."""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.lone import MAX_CLUSTERS, lone_ink

pytestmark = pytest.mark.nodb

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(dpi: int) -> tuple[Image.Image, ImageDraw.ImageDraw, ImageFont.FreeTypeFont]:
    image = Image.new("L", (round(8.5 * dpi), 6 * dpi), 255)
    return image, ImageDraw.Draw(image), ImageFont.truetype(_FONT, round(9.5 * dpi / 72))


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_lone_flag_is_found_and_nothing_else(dpi: int) -> None:
    image, draw, font = _page(dpi)
    read = draw.textbbox((0.6 * dpi, 2 * dpi), "Glucose 131 mg/dL", font=font, anchor="ls")
    draw.text((0.6 * dpi, 2 * dpi), "Glucose 131 mg/dL", font=font, anchor="ls", fill=0)
    flag = draw.textbbox((6.7 * dpi, 2 * dpi), "H", font=font, anchor="ls")
    draw.text((6.7 * dpi, 2 * dpi), "H", font=font, anchor="ls", fill=0)
    draw.line((0.5 * dpi, 3 * dpi, 8 * dpi, 3 * dpi), fill=0, width=2)  # a rule
    draw.line((4 * dpi, 3.5 * dpi, 4 * dpi, 5.5 * dpi), fill=0, width=2)  # a column rule
    draw.rectangle((1 * dpi, 4 * dpi, 2.5 * dpi, 5 * dpi), outline=0, width=2)  # a box
    rnd = random.Random(dpi)
    for _ in range(int(image.width * image.height * 0.002)):  # specks
        image.putpixel((rnd.randrange(image.width), rnd.randrange(image.height)), 0)
    (found,) = lone_ink(image, dpi, [tuple(round(v) for v in read)])  # type: ignore[list-item]
    # Where the H is printed, to a cell of the grid (0.03 inch; the engine reads a margin).
    assert found == pytest.approx(flag, abs=0.03 * dpi)
    # With nothing read, the row's words are found too; still no rule, box or speck.
    unread = lone_ink(image, dpi, [])
    assert found in unread and len(unread) >= 4
    assert all(abs(box[3] - found[3]) <= 0.05 * dpi and box[2] <= found[2] for box in unread)


def test_a_page_of_unread_clusters_is_no_column_of_lone_words() -> None:
    image, draw, font = _page(150)
    for n in range(MAX_CLUSTERS + 1):
        draw.text((0.6 * 150 + (n % 8) * 120, 150 + (n // 8) * 60), "H", font=font, fill=0)
    assert lone_ink(image, 150, []) == []
    assert len(lone_ink(image.crop((0, 0, image.width, 150 + 4 * 60)), 150, [])) == 32
