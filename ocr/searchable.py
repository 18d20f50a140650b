"""Make a searchable PDF with OCRmyPDF (the one module that calls it)."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import ocrmypdf
import pikepdf

from ocr import engine, raster

PAGE_SEGMENTATION_MODE = 4  # keeps isolated H/L flag columns in lab tables (DESIGN.md)
MAX_OCR_MEGAPIXELS = 50.0
_tempdir_lock = threading.Lock()


@dataclass(frozen=True)
class OcrSettings:
    """The OCR knobs `ReadOptions` exposes."""

    languages: tuple[str, ...]
    jobs: int
    max_image_megapixels: float
    tesseract_timeout: float = 300.0


def make_searchable(
    src: Path, out: Path, settings: OcrSettings, images: raster.PageImages | None = None
) -> dict[int, engine.PageOutcome]:
    """OCR the pages of `src` that have no text into `out`; return what OCR did per page.

    Pages that already carry text are copied as they are (`skip_text`). The returned map is
    keyed by 0-based page number and holds only the pages that were OCR'd. With `images`,
    display images of the OCR'd pages are written on the way (see ocr/raster.py).
    """
    try:
        with (
            _temporary_files_in(out.parent / "ocrmypdf-tmp"),
            raster.page_images(out, images),
            open(out, "wb") as stream,
        ):
            _ocr(src, stream, settings)
    finally:
        outcomes = engine.take_outcomes(out)
    turned = {page: o.quarter for page, o in outcomes.items() if o.quarter}
    if turned:
        _turn_pages(out, turned)
    return outcomes


def _ocr(src: Path, out: BinaryIO, settings: OcrSettings) -> None:
    # Written to a stream, OCRmyPDF skips its closing check of the output, which decodes
    # every stream in the file (~15 ms a scanned page) and whose verdict it only logs.
    ocrmypdf.ocr(
        src,
        out,
        language=list(settings.languages),
        jobs=settings.jobs,
        skip_text=True,
        # Orientation and skew are handled by our engine plugin (see ocr/engine.py): OCRmyPDF's
        # own rotate_pages/deskew cost an extra Tesseract pass each and re-encode the page.
        rotate_pages=False,
        deskew=False,
        tesseract_pagesegmode=PAGE_SEGMENTATION_MODE,
        tesseract_timeout=settings.tesseract_timeout,
        max_image_mpixels=settings.max_image_megapixels,
        # Tesseract needs ~10 bytes a pixel; a 9000 px square poster peaked at 890 MB. 50
        # megapixels is a letter page at 700 dpi, so ordinary scans are never touched.
        max_ocr_image_mpixels=MAX_OCR_MEGAPIXELS,
        optimize=0,
        output_type="pdf",
        progress_bar=False,
        plugins=["ocr.engine", "ocr.raster"],
    )


@contextmanager
def _temporary_files_in(folder: Path) -> Iterator[None]:
    """Point `tempfile` at `folder` while OCRmyPDF runs.

    OCRmyPDF keeps its per-page images in `mkdtemp()` with no way to choose the folder; on a
    NAS /tmp is often a small RAM disk, and the work folder is where the caller expects
    everything. The API is serialised per interpreter anyway, so the lock costs nothing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with _tempdir_lock:
        previous = tempfile.tempdir
        tempfile.tempdir = str(folder)
        try:
            yield
        finally:
            tempfile.tempdir = previous
            shutil.rmtree(folder, ignore_errors=True)


def _turn_pages(path: Path, turned: dict[int, int]) -> None:
    """Set /Rotate so pages OCR found sideways or upside down display upright."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for index, quarter in turned.items():
            page = pdf.pages[index]
            # /Rotate turns clockwise; the content needed `quarter` counter-clockwise.
            page.rotate(360 - quarter, relative=True)
        pdf.save(path)
