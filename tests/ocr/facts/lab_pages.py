"""Lab reports laid out four ways, as exact word boxes, page images (scans) or text PDFs.

Used by the tests (word boxes without OCR) and by bench/extraction.py (real OCR).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ocr.model import PageReading, Word

_FONTS = {
    # Metric twins of the PDF base fonts the born-digital pages name (Helvetica, Courier).
    False: ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf"),
    True: ("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
           "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"),
}  # fmt: skip
FONT_FILE = next((f for f in _FONTS[False] if Path(f).exists()), _FONTS[False][0])
MONO_FILE = next((f for f in _FONTS[True] if Path(f).exists()), _FONTS[True][0])
PAGE_IN = (8.5, 11.0)
SIZE = 9.5  # points
ROWS_PER_PAGE = 26


@dataclass(frozen=True)
class Row:
    """One printed result."""

    name: str
    value: str
    unit: str = ""
    reference: str = ""
    flag: str = ""
    earlier: tuple[str, ...] = ()  # values of the same test on `Report.earlier` dates ("": none)


@dataclass
class Report:
    """What a lab report says besides its rows."""

    rows: list[Row]
    patient: str = "Jane Q Doe"
    born: date = date(1951, 3, 14)
    collected: date = date(2013, 10, 20)
    reported: date = date(2013, 10, 22)
    printed: date = date(2024, 11, 2)
    facility: str = "Riverside Clinical Laboratory"
    provider: str = "Dr. Alan Grant"
    seed: int = 0
    earlier: tuple[date, ...] = ()  # earlier collection dates, newest first
    mrn: str = "00482913"
    accession: str = "W13-2938471"


# The six-row lab report the OCR tests scan (tests/ocr/test_low_dpi.py, test_leaders.py,
# test_photo.py, facts/test_layouts_ocr.py), two of its rows flagged high; and its rows as
# the "columns" layout prints them and Tesseract reads them (the flag before the unit).
SIX_ROWS = [
    Row("Hemoglobin", "13.2", "g/dL", "12.0-16.0", "H"),
    Row("Sodium", "140", "mmol/L", "136-145"),
    Row("Potassium", "4.1", "mmol/L", "3.5-5.1"),
    Row("Chloride", "101", "mmol/L", "98-107"),
    Row("Creatinine", "1.3", "mg/dL", "0.6-1.2", "H"),
    Row("Glucose", "95", "mg/dL", "70-99"),
]
SIX_LINES = tuple(
    " ".join(part for part in (r.name, r.value, r.flag, r.unit, r.reference) if part)
    for r in SIX_ROWS
)


@dataclass(frozen=True)
class Text:
    """A run of text placed on the page: left edge and baseline-ish top, in inches."""

    text: str
    x: float
    y: float
    size: float = SIZE
    mono: bool = False  # fixed-width (Courier) rather than Helvetica


@dataclass
class Page:
    """The texts of one page, its size in inches, and ruled lines (x0, y0, x1, y1 inches)."""

    texts: list[Text] = field(default_factory=list)
    size: tuple[float, float] = PAGE_IN
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)

    def add(self, text: str, x: float, y: float, size: float = SIZE, mono: bool = False) -> None:
        """Place `text` (skipped when empty)."""
        if text:
            self.texts.append(Text(text, x, y, size, mono))


@cache
def _font(points: float, dpi: float = 72.0, mono: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(MONO_FILE if mono else FONT_FILE, max(1, round(points * dpi / 72)))


def width_in(text: str, size: float = SIZE, mono: bool = False) -> float:
    """How wide `text` prints, in inches."""
    return _font(size, 720, mono).getlength(text) / 720


def _us(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def _wrap(text: str, width: float, size: float = SIZE) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and width_in(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _fit(text: str, width: float, size: float = SIZE) -> str:
    """`text` cut at a word boundary to fit `width` inches, as labs shorten long names."""
    while width_in(text, size) > width and " " in text:
        text = text.rsplit(" ", 1)[0]
    return text


def _pages(
    report: Report, head: Callable[[Page, Report], float], row: Callable[..., float]
) -> list[Page]:
    pages = []
    rows = report.rows
    for start in range(0, max(1, len(rows)), ROWS_PER_PAGE):
        page = Page()
        y = head(page, report)
        for item in rows[start : start + ROWS_PER_PAGE]:
            y = row(page, item, y)
        page.add(
            f"Printed {_us(report.printed)}   Page {start // ROWS_PER_PAGE + 1}", 0.6, 10.4, 7.5
        )
        pages.append(page)
    return pages


_STEP = SIZE * 1.55 / 72


def columns(report: Report) -> list[Page]:
    """TEST | RESULT | FLAG | UNITS | REFERENCE RANGE, long names wrapped under themselves."""
    xs = (0.6, 3.4, 4.35, 4.95, 6.1)

    def head(page: Page, r: Report) -> float:
        page.add(r.facility, 0.6, 0.6, 14)
        page.add(f"Patient: {r.patient}", 0.6, 1.0)
        page.add(f"DOB: {_us(r.born)}", 4.4, 1.0)
        page.add(f"Collected: {_us(r.collected)} 08:15", 0.6, 1.2)
        page.add(f"Reported: {_us(r.reported)}", 4.4, 1.2)
        page.add(f"Ordering Physician: {r.provider}", 0.6, 1.4)
        for x, label in zip(
            xs, ("TEST", "RESULT", "FLAG", "UNITS", "REFERENCE RANGE"), strict=True
        ):
            page.add(label, x, 1.8)
        return 1.8 + 1.5 * _STEP

    def row(page: Page, item: Row, y: float) -> float:
        names = _wrap(item.name, xs[1] - xs[0] - 0.15)
        for x, text in zip(xs[1:], (item.value, item.flag, item.unit, item.reference), strict=True):
            page.add(text, x, y)
        for line in names:
            page.add(line, xs[0] if line is names[0] else xs[0] + 0.1, y)
            y += _STEP
        return y

    return _pages(report, head, row)


def inline(report: Report) -> list[Page]:
    """TEST NAME | IN RANGE | OUT OF RANGE | REFERENCE RANGE (units beside the range)."""
    xs = (0.6, 3.5, 4.5, 5.6)

    def head(page: Page, r: Report) -> float:
        page.add(r.facility.upper(), 0.6, 0.6, 13)
        page.add(f"Patient Name: {r.patient}", 0.6, 1.0)
        page.add(f"Date of Birth: {r.born:%Y-%m-%d}", 0.6, 1.2)
        page.add(f"Specimen Collected: {r.collected:%Y-%m-%d}", 4.3, 1.0)
        page.add(f"Report Date: {r.reported:%Y-%m-%d}", 4.3, 1.2)
        for x, label in zip(
            xs, ("TEST NAME", "IN RANGE", "OUT OF RANGE", "REFERENCE RANGE"), strict=True
        ):
            page.add(label, x, 1.7)
        return 1.7 + 1.5 * _STEP

    def row(page: Page, item: Row, y: float) -> float:
        page.add(_fit(item.name, xs[1] - xs[0] - 0.15), xs[0], y)
        if item.flag:
            page.add(f"{item.value} {item.flag}", xs[2], y)
        else:
            page.add(item.value, xs[1], y)
        page.add(f"{item.reference} {item.unit}".strip(), xs[3], y)
        return y + _STEP

    return _pages(report, head, row)


def leaders(report: Report) -> list[Page]:
    """No header row: `Name ........ value unit   (range)  flag`, dates labelled above."""

    def head(page: Page, r: Report) -> float:
        page.add(f"{r.facility} - Laboratory Report", 0.6, 0.6, 13)
        page.add(f"Patient: {r.patient}", 0.6, 1.0)
        page.add(f"Birth date {r.born:%b %d, %Y}", 0.6, 1.2)
        page.add("Date Collected", 4.2, 1.0)
        page.add("Date Reported", 5.7, 1.0)
        page.add(f"{r.collected:%b %d, %Y}", 4.2, 1.2)
        page.add(f"{r.reported:%b %d, %Y}", 5.7, 1.2)
        page.add(f"Physician: {r.provider}", 0.6, 1.4)
        return 1.9

    def row(page: Page, item: Row, y: float) -> float:
        name = _fit(item.name, 3.0)
        page.add(name, 0.6, y)
        start = 0.6 + width_in(name) + 0.08
        dots = "." * max(3, int((3.75 - start) / width_in(".")))
        page.add(dots, start, y)
        tail = f"{item.value} {item.unit}".strip()
        page.add(tail, 3.9, y)
        page.add(f"({item.reference})" if item.reference else "", 5.3, y)
        page.add(item.flag, 6.7, y)
        return y + _STEP

    return _pages(report, head, row)


def flag_first(report: Report) -> list[Page]:
    """ANALYTE | FLAG | RESULT | UNITS | REFERENCE INTERVAL, results right-aligned."""
    xs = (0.6, 3.3, 3.9, 5.0, 6.0)

    def head(page: Page, r: Report) -> float:
        page.add(r.facility, 0.6, 0.6, 14)
        page.add(f"Name: {r.patient}    D.O.B. {r.born:%d.%m.%Y}", 0.6, 1.0)
        page.add(f"Date of Service: {r.collected:%d.%m.%Y}", 0.6, 1.2)
        page.add(f"Printed: {r.printed:%d.%m.%Y}", 4.5, 1.2)
        for x, label in zip(
            xs, ("ANALYTE", "FLAG", "RESULT", "UNITS", "REFERENCE INTERVAL"), strict=True
        ):
            page.add(label, x, 1.6)
        return 1.6 + 1.5 * _STEP

    def row(page: Page, item: Row, y: float) -> float:
        page.add(_fit(item.name, xs[1] - xs[0] - 0.15), xs[0], y)
        page.add(item.flag, xs[1], y)
        page.add(item.value, xs[2] + 0.7 - width_in(item.value), y)
        page.add(item.unit, xs[3], y)
        page.add(item.reference, xs[4], y)
        return y + _STEP

    return _pages(report, head, row)


LAYOUTS: dict[str, Callable[[Report], list[Page]]] = {
    "columns": columns,
    "inline": inline,
    "leaders": leaders,
    "flag-first": flag_first,
}


def page_reading(page: Page, number: int = 1) -> PageReading:
    """The page as a reading with exact word boxes, as a born-digital PDF would give."""
    words = []
    width, height = page.size
    for text in page.texts:
        x = text.x
        ascent = text.size / 72 * 0.8
        for word in text.text.split(" "):
            if word:
                w = width_in(word, text.size, text.mono)
                words.append(
                    Word(
                        word,
                        x / width,
                        (text.y - ascent) / height,
                        (x + w) / width,
                        (text.y + text.size / 72 * 0.25) / height,
                    )
                )
            x += width_in(word + " ", text.size, text.mono)
    lines = sorted(page.texts, key=lambda t: (round(t.y, 2), t.x))
    text = "\n".join(t.text for t in lines)
    return PageReading(number, width * 72, height * 72, text, words, "", "", False)


def page_image(
    page: Page,
    *,
    dpi: int = 200,
    skew: float = 0.0,
    blur: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
) -> Image.Image:
    """The page printed and scanned: at `dpi`, turned by `skew` degrees, blurred, speckled."""
    image = Image.new("L", (round(page.size[0] * dpi), round(page.size[1] * dpi)), 255)
    draw = ImageDraw.Draw(image)
    for text in page.texts:
        font = _font(text.size, dpi, text.mono)
        draw.text((text.x * dpi, text.y * dpi), text.text, font=font, fill=0, anchor="ls")
    for x0, y0, x1, y1 in page.rules:
        draw.line((x0 * dpi, y0 * dpi, x1 * dpi, y1 * dpi), fill=0, width=max(1, round(dpi / 150)))
    if skew:
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        rnd = random.Random(seed)
        pixels = image.load()
        assert pixels is not None
        for _ in range(int(image.width * image.height * noise)):
            x, y = rnd.randrange(image.width), rnd.randrange(image.height)
            pixels[x, y] = rnd.choice((0, 90, 180))
    image.info["dpi"] = (dpi, dpi)
    return image


def scanned_pdf(images: list[Image.Image], path: Path, dpi: int) -> Path:
    """An image-only PDF of the page images."""
    parts = []
    for index, image in enumerate(images):
        part = path.with_name(f"{path.stem}-{index}.png")
        image.save(part, dpi=(dpi, dpi))
        parts.append(str(part))
    path.write_bytes(img2pdf.convert(parts))
    for part in parts:
        Path(part).unlink()
    return path


def digital_pdf(pages: list[Page], path: Path) -> Path:
    """A born-digital PDF: each text placed with Helvetica or Courier (metrics like Liberation
    Sans and Mono)."""
    pdf = pikepdf.new()
    fonts = {
        name: pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name(f"/{base}"),
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )
        for name, base in (("F1", "Helvetica"), ("F2", "Courier"))
    }
    for page in pages:
        height = page.size[1] * 72
        out = pdf.add_blank_page(page_size=(page.size[0] * 72, height))
        out.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(**fonts))
        ops = []
        for text in page.texts:
            safe = text.text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            x, y = text.x * 72, height - text.y * 72
            font = "F2" if text.mono else "F1"
            ops.append(f"BT /{font} {text.size} Tf {x:.2f} {y:.2f} Td ({safe}) Tj ET")
        for x0, y0, x1, y1 in page.rules:
            ops.append(
                f"0.6 w {x0 * 72:.2f} {height - y0 * 72:.2f} m "
                f"{x1 * 72:.2f} {height - y1 * 72:.2f} l S"
            )
        out.obj.Contents = pdf.make_stream("\n".join(ops).encode("cp1252", "replace"))
    pdf.save(path)
    return path


def turned(page: PageReading, degrees: float) -> PageReading:
    """The page as a scanner tilted by `degrees` would box its words (around the centre)."""
    angle = math.radians(degrees)
    width, height = page.width_pt, page.height_pt
    words = []
    for word in page.words:
        corners = [(word.x0, word.y0), (word.x1, word.y0), (word.x0, word.y1), (word.x1, word.y1)]
        points = []
        for x, y in corners:
            dx, dy = (x - 0.5) * width, (y - 0.5) * height
            points.append(
                (
                    (dx * math.cos(angle) - dy * math.sin(angle)) / width + 0.5,
                    (dx * math.sin(angle) + dy * math.cos(angle)) / height + 0.5,
                )
            )
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        words.append(Word(word.text, min(xs), min(ys), max(xs), max(ys)))
    return PageReading(page.number, width, height, page.text, words, "", "", True)
