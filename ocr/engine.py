"""OCRmyPDF plugin: Tesseract with cheap deskew and orientation repair.

OCRmyPDF's `rotate_pages` runs Tesseract's orientation pass on every page (~0.7 s of CPU on
a 300 dpi page that takes ~0.9 s to OCR) and `deskew` runs another layout pass and re-encodes
the page image; measured here, with two jobs they took a scanned lab page from 0.60 to 1.03
and 1.15 s. This engine instead measures skew and sideways text from projection profiles
(`ocr.layout`, ~30–50 ms), OCRs a levelled copy only when the tilt matters, and asks
Tesseract for the orientation only when the text runs sideways or comes out unreadable
(upside-down pages read as gibberish: mean word confidence ~0.3 against ~0.9 upright). A
phone photo of a page (`ocr.photo`) is first warped upright and evenly lit. The page image
in the PDF is left untouched; boxes are mapped back onto it (`ocr.geometry`) and the
pipeline turns the page afterwards with /Rotate. Short words standing alone, which
Tesseract's page layout drops (a lab report's flag column), are read apart (`ocr.lone`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf._exec import tesseract as _tesseract_exec
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.exceptions import SubprocessOutputError
from ocrmypdf.hocrtransform import HocrParser
from ocrmypdf.models.ocr_element import BoundingBox, OcrClass, OcrElement
from PIL import Image, ImageDraw, ImageFilter

from ocr import photo, raster, tess
from ocr.clean import despeckle
from ocr.geometry import Turn, map_tree, scale_tree, warp_tree
from ocr.layout import DESKEW_MIN_DEGREES, measure
from ocr.leaders import erase_leaders
from ocr.lone import lone_ink

DOUBTFUL_CONFIDENCE = 0.6  # upright text reads at ~0.9; upside-down gibberish at ~0.3
OSD_MIN_CONFIDENCE = 1.5  # low, because a turn is only kept if it reads better
BETTER_BY = 1.3
# Tesseract reads best with capitals 20-30 px tall. A page scanned at 175-250 dpi is read
# from a copy enlarged to 300 dpi (bicubic, then a 3 px median filter so speckles stay
# specks) and the boxes are scaled back. On the extraction bench's tuned scans this took
# 200 dpi pages from F1 0.874 to 0.927 (0.54 to 0.82 s a page). Enlarging 150 dpi pages the
# same way made them worse (0.910 to 0.839): their strokes are too thin to survive the
# median. A page scanned below 175 dpi is instead rid of its single-pixel specks at its own
# resolution (ocr.clean), before any levelling spreads them, and read from a copy enlarged
# x2 (bicubic, no median); if that copy reads doubtfully (mean word confidence under
# `_LOW_DPI_DOUBTFUL`: dot leaders enlarged read as runs of "c" and "e", ~0.65, where other
# pages read at 0.8-0.9), the despeckled page is read as scanned too and the surer reading
# kept (~0.85 on those pages).
READ_AT_LEAST_DPI = 300.0
_ENLARGE_FROM_DPI = 175.0
_ENLARGE_BELOW_DPI = 250.0
_LOW_DPI_FACTOR = 2.0
_PAGE_MIN_INCHES = 5.0  # a page's short side at its resolution; narrower ones are not enlarged
_LOW_DPI_DOUBTFUL = 0.8
_MIN_INK = 0.002
_LONE_MIN_CONFIDENCE = 0.8
_LONE_MARGIN_IN = 0.05

log = logging.getLogger(__name__)
_outcomes: dict[str, dict[int, PageOutcome]] = {}
_lock = threading.Lock()


BoxedWord = tuple[str, float, float, float, float]


@dataclass(frozen=True)
class PageOutcome:
    """What OCR found on one page.

    `quarter` is the counter-clockwise turn that made the page upright and `skew` the tilt
    that was levelled (on the upright copy, for a photographed page). `text` is Tesseract's
    reading of the levelled copy, and `words` carry boxes as fractions of the page image
    OCRmyPDF rendered (its MediaBox as displayed then).
    These are kept because a text layer drawn along tilted lines comes back out of PDF text
    extractors with neighbouring lines interleaved.
    """

    quarter: int
    skew: float
    confidence: float
    text: str
    words: tuple[BoxedWord, ...]


@dataclass
class _Attempt:
    tree: OcrElement
    text: str
    quarter: int
    skew: float
    words: int
    confidence: float
    score: float


def take_outcomes(output_file: Any) -> dict[int, PageOutcome]:
    """Remove and return the per-page outcomes (0-based page → outcome) of one OCRmyPDF run."""
    with _lock:
        return _outcomes.pop(raster.run_key(output_file), {})


class KinchartTesseract(TesseractOcrEngine):
    """Tesseract engine that levels and turns pages itself before OCR."""

    @staticmethod
    def version() -> str:
        """Tesseract's version, asked once per process (OCRmyPDF asks several times a run)."""
        return _tesseract_version()

    @staticmethod
    def languages(options: Any) -> set[str]:
        """Installed languages, listed once per process (pool children exit when idle)."""
        return set(_tesseract_languages())

    @staticmethod
    def supports_generate_ocr() -> bool:
        """Use the OcrElement API so boxes can be mapped back before rendering."""
        return True

    @staticmethod
    def generate_ocr(
        input_file: Path, options: Any, page_number: int = 0
    ) -> tuple[OcrElement, str]:
        """OCR one page image; returns the tree in the image's own coordinates."""
        with Image.open(input_file) as image:  # pixels are decoded only if needed
            return _generate(image, Path(input_file), options, page_number)


def _dpi_of(image: Image.Image) -> float:
    return float(image.info.get("dpi", (300, 300))[0] or 300)


def _generate(
    image: Image.Image, input_file: Path, options: Any, page_number: int
) -> tuple[OcrElement, str]:
    """Read one page, turning and levelling it first when the layout asks for it."""
    dpi = _dpi_of(image)
    layout = raster.take_layout(input_file)
    # A phone photo of a page is read from an upright, evenly lit copy (ocr/photo.py) and
    # the boxes found on it are mapped back onto the photo below.
    photographed = photo.correct(image, dpi)
    original = image
    if photographed is not None:
        image, dpi, layout = photographed.image, photographed.dpi, None
    layout = layout or measure(image, dpi, DESKEW_MIN_DEGREES)

    def orientation(current: int) -> int:
        source = input_file
        if photographed is not None:
            # Tesseract's orientation pass reads a file; on the photo itself the desk and
            # the shading hid which way the text ran (a photo taken sideways read nothing).
            source = input_file.with_name(f"{input_file.stem}_kc_upright.tiff")
            if not source.exists():
                photographed.image.save(source, format="TIFF", dpi=(dpi, dpi))
        return _orientation(source, options, current)

    # Text running up or down the page: ask Tesseract which way before reading it.
    quarter = orientation(0) if layout.sideways else 0
    page = _Prepared(image, dpi)
    attempt = _recognise(page, input_file, options, quarter, layout.skew)
    if layout.ink >= _MIN_INK and (attempt.words == 0 or attempt.confidence < DOUBTFUL_CONFIDENCE):
        # Gibberish: upside down (or the other side), unless it is just a poor scan.
        # Once Tesseract was asked, the likely mistake is the opposite turn.
        other = (quarter + 180) % 360 if layout.sideways else orientation(quarter)
        if other != quarter:
            alternative = _recognise(page, input_file, options, other, None)
            if alternative.score > BETTER_BY * attempt.score:
                attempt = alternative
    if dpi < _ENLARGE_FROM_DPI and attempt.words and attempt.confidence < _LOW_DPI_DOUBTFUL:
        # Rows of dot leaders, enlarged, read as runs of "c" and "e" that swallow the line.
        native = _recognise(page, input_file, options, attempt.quarter, attempt.skew, enlarge=False)
        if native.confidence > attempt.confidence:
            attempt = native
    if photographed is not None:
        attempt.tree = warp_tree(attempt.tree, photographed.warp, _dpi_of(original))
    outcome = PageOutcome(
        attempt.quarter,
        attempt.skew,
        attempt.confidence,
        attempt.text.replace("\f", "").strip("\n") + "\n" if attempt.text.strip() else "",
        _boxed_words(attempt.tree, original.size),
    )
    with _lock:
        _outcomes.setdefault(raster.run_key(options.output_file), {})[page_number] = outcome
    return attempt.tree, attempt.text


@cache
def _tesseract_version() -> str:
    return TesseractOcrEngine.version()


# OCRmyPDF's Tesseract plugin asks `tesseract --version` three more times per run in its
# check_options hook and once for the PDF's Creator (~10 ms of CPU each, a process start
# apiece), bypassing the engine's version(); ask once per process instead.
if not hasattr(_tesseract_exec.version, "cache_info"):
    _tesseract_exec.version = cache(_tesseract_exec.version)


@cache
def _tesseract_languages() -> frozenset[str]:
    return frozenset(TesseractOcrEngine.languages(None))


def _boxed_words(tree: OcrElement, size: tuple[int, int]) -> tuple[BoxedWord, ...]:
    width, height = size
    return tuple(
        (
            w.text.strip(),
            w.bbox.left / width,
            w.bbox.top / height,
            w.bbox.right / width,
            w.bbox.bottom / height,
        )
        for w in tree.iter_by_class(OcrClass.WORD)
        if w.text.strip() and w.bbox is not None
    )


def _orientation(input_file: Path, options: Any, current: int) -> int:
    """Counter-clockwise quarter turn that makes the page upright, per Tesseract OSD."""
    try:
        found = TesseractOcrEngine.get_orientation(input_file, options)
    except SubprocessOutputError:
        # No osd.traineddata, or Tesseract choked on the page: read it as it stands.
        return current
    if found.confidence < OSD_MIN_CONFIDENCE:
        return current
    return int(found.angle) % 360


class _Prepared:
    """One page made ready for Tesseract once, however many times it is read.

    A page scanned below `_ENLARGE_FROM_DPI` is despeckled (ocr/clean.py) once, before any
    levelling spreads its specks; each way it is then read (a quarter turn and a tilt) is
    levelled and rid of its dot leaders (ocr/leaders.py) once, and that copy serves every
    reading of it (the engine reads a doubtful 150 dpi page a second time as scanned)."""

    def __init__(self, image: Image.Image, dpi: float) -> None:
        self.image = image
        self.dpi = dpi
        low = dpi < _ENLARGE_FROM_DPI and _page_like(image, dpi)
        self.clean = despeckle(image) if low else image
        self._levelled: dict[tuple[int, float | None], tuple[Image.Image, float]] = {}

    def levelled(self, quarter: int, skew: float | None) -> tuple[Image.Image, float]:
        """The clean page turned by `quarter`, levelled by `skew` (measured here when None)
        and rid of its dot leaders; and the skew that was levelled (0 when too small)."""
        found = self._levelled.get((quarter, skew))
        if found is not None:
            return found
        work = self.clean
        if quarter:
            work = _gray(work).transpose(_TRANSPOSE[quarter])
        level = measure(work, self.dpi, DESKEW_MIN_DEGREES).skew if skew is None else skew
        if abs(level) < DESKEW_MIN_DEGREES:
            level = 0.0
        else:
            work = _gray(work).rotate(-level, resample=Image.Resampling.BILINEAR, fillcolor=255)
        # Dot leaders read as junk that swallows the row's name (ocr/leaders.py); same geometry.
        found = (erase_leaders(work, self.dpi), level)
        self._levelled[quarter, skew] = self._levelled[quarter, level] = found
        return found


def _recognise(
    page: _Prepared,
    input_file: Path,
    options: Any,
    quarter: int,
    skew: float | None,
    *,
    enlarge: bool = True,
) -> _Attempt:
    """OCR `page` turned by `quarter` and levelled by `skew` (measured when None)."""
    work, skew = page.levelled(quarter, skew)
    tree, text = _tesseract(work, input_file, options, page.dpi, enlarge=enlarge)
    tree, text = _lone_words(work, tree, text, input_file, options, page.dpi)
    tree = map_tree(tree, Turn(quarter, -skew, page.image.width, page.image.height))
    words = [w for w in tree.iter_by_class(OcrClass.WORD) if w.text.strip()]
    confidences = [w.confidence if w.confidence is not None else 0.5 for w in words]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    score = sum(c * len(w.text.strip()) for c, w in zip(confidences, words, strict=True))
    return _Attempt(tree, text, quarter, skew, len(words), mean, score)


def _page_like(image: Image.Image, dpi: float) -> bool:
    """Whether `image` is a page scanned at `dpi`, not a picture or snippet whose resolution
    was guessed (ocr/images.py assumes an 11-inch page when none is stated), so that its text
    may be any size. Cleaning and enlarging one such (a 1345 x 447 px photo of a recipe,
    taken for 122 dpi) broke lines Tesseract read whole as it was."""
    return min(image.size) >= _PAGE_MIN_INCHES * dpi


def _tesseract(
    image: Image.Image, input_file: Path, options: Any, dpi: float, *, enlarge: bool = True
) -> tuple[OcrElement, str]:
    """Tesseract's reading of `image` (in memory; see ocr/tess.py) as a tree and plain text.

    A page scanned at `_ENLARGE_FROM_DPI` up to `_ENLARGE_BELOW_DPI` is read from a copy
    enlarged to `READ_AT_LEAST_DPI` and median-filtered; one scanned below
    `_ENLARGE_FROM_DPI` (already despeckled by the caller) from a copy enlarged
    `_LOW_DPI_FACTOR` times. The boxes found on it are scaled back onto `image`. With
    `enlarge` false the page is read as it is."""
    factor = 1.0
    if not _page_like(image, dpi):
        enlarge = False
    if enlarge and dpi < _ENLARGE_FROM_DPI:
        factor = _LOW_DPI_FACTOR
    elif enlarge and dpi < _ENLARGE_BELOW_DPI:
        factor = READ_AT_LEAST_DPI / dpi
    source = image
    if factor > 1.0:
        size = (round(image.width * factor), round(image.height * factor))
        source = _gray(image).resize(size, Image.Resampling.BICUBIC)
        if dpi >= _ENLARGE_FROM_DPI:
            source = source.filter(ImageFilter.MedianFilter(3))
    try:
        found = tess.recognise(
            source,
            dpi * factor,
            list(options.languages),
            options.tesseract.pagesegmode if options.tesseract.pagesegmode is not None else 3,
            options.tesseract.timeout,
        )
    except tess.TesseractTimeout:
        # As OCRmyPDF does when the command times out: the page goes on without text.
        log.warning("%s: Tesseract timed out; the page goes on without text", input_file.name)
        empty = OcrElement(ocr_class=OcrClass.PAGE, bbox=BoundingBox(0, 0, *image.size))
        return replace(empty, dpi=dpi), ""
    hocr = input_file.with_name(f"{input_file.stem}_kc.hocr")
    hocr.write_text(found.hocr, encoding="utf-8")
    tree = HocrParser(hocr).parse()
    if factor > 1.0:
        tree = scale_tree(tree, 1.0 / factor, dpi)
        tree = replace(tree, bbox=BoundingBox(0, 0, *image.size))
    if tree.dpi is None:
        tree = replace(tree, dpi=dpi)
    return tree, found.text


def _lone_words(
    image: Image.Image, tree: OcrElement, text: str, input_file: Path, options: Any, dpi: float
) -> tuple[OcrElement, str]:
    """`tree` and `text` with the lone short words Tesseract's page layout left unread
    (ocr/lone.py) read one by one as single lines, each kept only when every word of it
    reads at `_LONE_MIN_CONFIDENCE` or better and has a letter or digit.
    Measured on the extraction bench's layouts: 16-50 ms a page (clusters of ruled and boxed
    pages are read and turned down), 50-65 ms with eight lone flags; the bench's scores
    were unchanged to the last result (F1 0.985 tuned scans)."""
    if not _page_like(image, dpi):
        return tree, text
    boxes = [
        (int(w.bbox.left), int(w.bbox.top), int(w.bbox.right + 0.5), int(w.bbox.bottom + 0.5))
        for w in tree.iter_by_class(OcrClass.WORD)
        if w.bbox is not None
    ]
    clusters = lone_ink(image, dpi, boxes)
    if not clusters:
        return tree, text
    blank = _gray(image).copy()  # read without the words already read beside them
    draw = ImageDraw.Draw(blank)
    for box in boxes:
        draw.rectangle(box, fill=255)
    margin = round(_LONE_MARGIN_IN * dpi)
    hocr = input_file.with_name(f"{input_file.stem}_kc_lone.hocr")
    added: list[OcrElement] = []
    lines: list[str] = []
    for left, top, right, bottom in clusters:
        x, y = max(0, left - margin), max(0, top - margin)
        crop = blank.crop(
            (x, y, min(image.width, right + margin), min(image.height, bottom + margin))
        )
        try:
            found = tess.recognise(crop, dpi, list(options.languages), 7, options.tesseract.timeout)
        except tess.TesseractTimeout:
            continue
        hocr.write_text(found.hocr, encoding="utf-8")
        read = HocrParser(hocr).parse()
        words = [w for w in read.iter_by_class(OcrClass.WORD) if w.text.strip()]
        if not words or not all(
            (w.confidence or 0.0) >= _LONE_MIN_CONFIDENCE and any(c.isalnum() for c in w.text)
            for w in words
        ):
            continue
        added.extend(_shifted(child, x, y) for child in read.children)
        lines.append(" ".join(w.text.strip() for w in words))
    if not added:
        return tree, text
    log.debug("%s: %d lone words read apart", input_file.name, len(lines))
    text = text.replace("\f", "").rstrip("\n") + "\n\n" + "\n\n".join(lines) + "\n"
    return replace(tree, children=[*tree.children, *added]), text


def _shifted(element: OcrElement, dx: float, dy: float) -> OcrElement:
    """`element` read on a crop whose top-left corner is (`dx`, `dy`) of the page, on the page
    (baselines are relative to their line's box and stay)."""
    changes: dict[str, Any] = {"children": [_shifted(c, dx, dy) for c in element.children]}
    if element.bbox is not None:
        b = element.bbox
        changes["bbox"] = BoundingBox(b.left + dx, b.top + dy, b.right + dx, b.bottom + dy)
    if element.poly:
        changes["poly"] = [(px + dx, py + dy) for px, py in element.poly]
    return replace(element, **changes)


def _gray(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


_TRANSPOSE = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


@hookimpl
def get_ocr_engine(options: Any) -> TesseractOcrEngine:
    """Replace OCRmyPDF's Tesseract engine with ours."""
    return KinchartTesseract()
