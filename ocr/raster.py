"""OCRmyPDF plugin: its pypdfium2 rasteriser, made cheaper for the pages we OCR.

While the full-size page image is in memory it also measures the page layout for the engine
(saving the engine a ~20 ms PNG decode) and, when asked, writes the page's display image and
thumbnail (saving a second ~40 ms PDFium render later, and doing the work in OCRmyPDF's
parallel page workers rather than one page after another afterwards).

Two changes to the rendering, measured in CPU time on a 300 dpi letter page (Tesseract
itself: ~910 ms):
- PDFium renders in colour and Pillow converts to gray (35 + 4 ms); PDFium's own grayscale
  rendering takes ~78 ms.
- The page image is written as PNG at zlib level 1 instead of 6 (~40 ms instead of ~95 ms,
  and faster to read back for Tesseract and our engine) for a file that lives a few seconds.
The rendering code is OCRmyPDF's own (private) helpers; if they change shape this hook steps
aside and OCRmyPDF's rasteriser runs as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from PIL import Image

from ocr.layout import Layout, measure
from ocr.render import image_paths, save_images

_HELPERS: tuple[Any, ...] | None
try:
    from ocrmypdf.builtin_plugins import pypdfium as _builtin

    _HELPERS = (
        _builtin._pdfium_lock,
        _builtin._open_pdf_document,
        _builtin._render_page_to_bitmap,
        _builtin._bitmap_to_pil,
        _builtin._process_image_for_output,
    )
except (ImportError, AttributeError):  # pragma: no cover - depends on OCRmyPDF's internals
    _HELPERS = None

PNG_COMPRESS_LEVEL = 1
COLOUR_RENDER_MAX_PIXELS = 40_000_000  # a letter page at 300 dpi is 8.4 million


@dataclass
class PageImages:
    """A request to write display images for an OCRmyPDF run into `folder`."""

    folder: Path
    display_px: int
    thumb_px: int
    written: set[int] = field(default_factory=set)  # 1-based page numbers done


_requests: dict[str, PageImages] = {}
_layouts: dict[str, Layout] = {}
_lock = threading.Lock()


@contextmanager
def page_images(output_file: Path, request: PageImages | None) -> Iterator[None]:
    """While OCRmyPDF writes `output_file`, also write display images for pages it renders."""
    with _lock:
        if request is not None:
            _requests[str(output_file)] = request
    try:
        yield
    finally:
        with _lock:
            _requests.pop(str(output_file), None)
            # OCRmyPDF runs one document at a time per process, so whatever the engine did
            # not collect (a failed run) belongs to this run.
            _layouts.clear()


def take_layout(image_file: Path) -> Layout | None:
    """The layout measured when `image_file` was rasterised, if this hook made it."""
    with _lock:
        return _layouts.pop(str(image_file.resolve()), None)


@hookimpl
def rasterize_pdf_page(
    input_file: Path,
    output_file: Path,
    raster_device: str,
    raster_dpi: Any,
    pageno: int,
    page_dpi: Any,
    rotation: int | None,
    filter_vector: bool,
    stop_on_soft_error: bool,
    options: Any,
    use_cropbox: bool,
) -> Path | None:
    """Rasterise one page like OCRmyPDF's pypdfium2 plugin, or return None to let it."""
    if (
        _HELPERS is None
        or filter_vector
        or getattr(options, "rasterizer", "auto") == "ghostscript"
        or not raster_device.lower().startswith("png")
    ):
        return None
    lock, open_pdf, render, to_pil, process = _HELPERS
    try:
        with lock, closing(open_pdf(input_file)) as pdf, closing(pdf[pageno - 1]) as page:
            # The display image shows the CropBox; this renders the MediaBox.
            whole_page = page.get_cropbox() == page.get_mediabox() and not rotation
            # "png16m" only tells the helper to render in colour (the real device's mode is
            # applied below, as OCRmyPDF does); colour takes 4 bytes a pixel, so posters
            # keep PDFium's slower 1-byte grayscale rendering.
            width_pt, height_pt = page.get_size()
            pixels = width_pt * height_pt * raster_dpi.x * raster_dpi.y / 72**2
            device = "png16m" if pixels <= COLOUR_RENDER_MAX_PIXELS else raster_device
            bitmap, width, height = render(page, device, raster_dpi, rotation, use_cropbox)
            with closing(bitmap):
                image = to_pil(bitmap, width, height)
        image, fmt = process(
            image, raster_device, raster_dpi, page_dpi, stop_on_soft_error, width, height
        )
    except TypeError:  # pragma: no cover - OCRmyPDF changed its private helpers
        return None
    if fmt != "PNG":
        return None
    image.save(output_file, format="PNG", dpi=image.info["dpi"], compress_level=PNG_COMPRESS_LEVEL)
    _extras(image, Path(output_file), pageno, options, whole_page)
    return output_file


def _extras(image: Image.Image, output_file: Path, pageno: int, options: Any, whole: bool) -> None:
    layout = measure(image, float(image.info["dpi"][0]))
    with _lock:
        _layouts[str(output_file.resolve())] = layout
        request = _requests.get(str(options.output_file))
    if request is not None and whole:
        display, thumbnail = image_paths(request.folder, pageno)
        save_images(image, display, thumbnail, request.display_px, request.thumb_px)
        request.written.add(pageno)
