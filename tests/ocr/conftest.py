"""Inputs built in the test: scanned-looking pages drawn with Pillow, small PDFs with pikepdf."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SCANS = CORPUS / "scans"
_FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True)
class DrawnWord:
    """A word drawn on a test page and its box, as fractions of the page (origin top-left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    """A drawn page image and where each word landed."""

    image: Image.Image
    words: list[DrawnWord]

    def find(self, text: str) -> DrawnWord:
        """The first drawn word equal to `text`."""
        return next(w for w in self.words if w.text == text)


def font(points: float, dpi: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A TrueType font of `points` size for a page drawn at `dpi`."""
    pixels = round(points / 72 * dpi)
    if _FONT_FILE.exists():
        return ImageFont.truetype(str(_FONT_FILE), pixels)
    return ImageFont.load_default(size=pixels)


def draw_page(
    lines: list[str],
    *,
    dpi: int = 200,
    inches: tuple[float, float] = (8.5, 5.5),
    points: float = 12,
    columns: tuple[float, ...] = (),
) -> Page:
    """Draw `lines` (tab-separated cells go to `columns`, in inches) on a white page."""
    width, height = round(inches[0] * dpi), round(inches[1] * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    face = font(points, dpi)
    words: list[DrawnWord] = []
    y = dpi * 0.75
    for line in lines:
        for cell, text in enumerate(line.split("\t")):
            x = dpi * (columns[cell] if cell < len(columns) else 0.75)
            for word in text.split():
                left, top, right, bottom = draw.textbbox((x, y), word, font=face)
                draw.text((x, y), word, font=face, fill=0)
                words.append(
                    DrawnWord(word, left / width, top / height, right / width, bottom / height)
                )
                x = right + draw.textlength(" ", font=face)
        y += points / 72 * dpi * 1.8
    image.info["dpi"] = (dpi, dpi)
    return Page(image, words)


def save_image_pdf(images: list[Image.Image], path: Path, dpi: int = 200) -> Path:
    """Wrap page images into an image-only PDF, as a scanner would."""
    parts = []
    for index, image in enumerate(images):
        part = path.with_name(f"{path.stem}-{index}.png")
        image.save(part, dpi=(dpi, dpi))
        parts.append(str(part))
    path.write_bytes(img2pdf.convert(parts))
    for part in parts:
        Path(part).unlink()
    return path


def save_text_pdf(pages: list[list[str]], path: Path) -> Path:
    """A born-digital PDF: Helvetica text on US-letter pages, no images."""
    pdf = pikepdf.new()
    helvetica = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    for lines in pages:
        page = pdf.add_blank_page(page_size=(612, 792))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica))
        ops = ["BT /F1 12 Tf 72 720 Td 16 TL"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        page.obj.Contents = pdf.make_stream("\n".join(ops).encode("latin-1"))
    pdf.save(path)
    return path


@pytest.fixture
def draw() -> Callable[..., Page]:
    """Draw a scanned-looking page (see `draw_page`)."""
    return draw_page


@pytest.fixture
def image_pdf() -> Callable[..., Path]:
    """Wrap page images into an image-only PDF (see `save_image_pdf`)."""
    return save_image_pdf


@pytest.fixture
def text_pdf() -> Callable[..., Path]:
    """Write a born-digital PDF (see `save_text_pdf`)."""
    return save_text_pdf


@pytest.fixture
def scans() -> Path:
    """The corpus of real scans, or skip when it is not checked out next to the repo."""
    if not SCANS.is_dir():
        pytest.skip(f"corpus not found at {SCANS} (tests read ../shared/corpus in place)")
    return SCANS
