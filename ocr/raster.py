"""OCRmyPDF plugin: its pypdfium2 rasteriser, made cheaper for the pages we OCR.

While the full-size page image is in memory it also measures the page layout for the engine
(saving the engine a decode) and, when asked, writes the page's display image and thumbnail
(saving a second ~40 ms PDFium render later, and doing the work in OCRmyPDF's parallel page
workers rather than one page after another afterwards).

Three changes to the rendering, measured in CPU time on a 300 dpi letter page (Tesseract
itself: ~800 ms):
- A page that is nothing but one scanned image (8-bit gray, JPEG or Flate, filling the page at
  the resolution OCRmyPDF asks for) is not rendered at all: the image is decoded (~12 ms for
  a JPEG, ~30 ms for Flate), see `_lone_image`.
- Other pages: PDFium renders in colour and Pillow converts to gray (~70 ms with the copy out
  of PDFium's 4-byte bitmap); PDFium's own grayscale rendering takes ~78 ms before the copy.
- The page image is written as uncompressed TIFF (~4 ms) instead of PNG (~105 ms even at zlib
  level 1), under the `.png` name OCRmyPDF chose: everything that reads it (Pillow in
  OCRmyPDF and our engine, Leptonica in Tesseract) goes by content, not by name. The file
  lives a few seconds, and Tesseract also reads it ~30 ms faster than a PNG.
The rendering code is OCRmyPDF's own (private) helpers; if they change shape this hook steps
aside and OCRmyPDF's rasteriser runs as usual.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from ocrmypdf import hookimpl
from PIL import Image

from ocr.layout import DESKEW_MIN_DEGREES, Layout, measure
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

COLOUR_RENDER_MAX_PIXELS = 40_000_000  # a letter page at 300 dpi is 8.4 million
# Keys that make an image more than its samples: masks, transparency, remapped values,
# optional content, alternates.
_NOT_PLAIN = ("/SMask", "/Mask", "/ImageMask", "/Decode", "/OC", "/Alternates", "/SMaskInData")


@dataclass
class PageImages:
    """A request to write display images for an OCRmyPDF run into `folder`."""

    folder: Path
    display_px: int
    thumb_px: int
    # 1-based page number → display image and thumbnail written
    written: dict[int, tuple[Path, Path]] = field(default_factory=dict)


_requests: dict[str, PageImages] = {}
_layouts: dict[str, Layout] = {}
_lock = threading.Lock()


def run_key(output_file: Any) -> str:
    """What identifies one OCRmyPDF run: its output file's path (a stream's name)."""
    if not isinstance(output_file, (str, os.PathLike)):
        output_file = output_file.name  # an open file
    return os.fspath(output_file)


@contextmanager
def page_images(output_file: Path, request: PageImages | None) -> Iterator[None]:
    """While OCRmyPDF writes `output_file`, also write display images for pages it renders."""
    with _lock:
        if request is not None:
            _requests[run_key(output_file)] = request
    try:
        yield
    finally:
        with _lock:
            _requests.pop(run_key(output_file), None)
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
        image = None if rotation else _lone_image(input_file, pageno, raster_dpi)
        # A JPEG scan's display image is a JPEG too (see ocr/render.py).
        suffix = ".jpg" if image is not None and image.format == "JPEG" else ".webp"
        if image is not None:
            width, height = image.size
            whole_page = True  # _lone_image made sure the image fills the page's only box
        else:
            with lock, closing(open_pdf(input_file)) as pdf, closing(pdf[pageno - 1]) as page:
                # The display image shows the CropBox; this renders the MediaBox.
                whole_page = page.get_cropbox() == page.get_mediabox() and not rotation
                # "png16m" only tells the helper to render in colour (the real device's mode
                # is applied below, as OCRmyPDF does); colour takes 4 bytes a pixel, so
                # posters keep PDFium's slower 1-byte grayscale rendering.
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
    image.save(output_file, format="TIFF", dpi=image.info["dpi"])
    _extras(image, Path(output_file), pageno, options, whole_page, suffix)
    return output_file


def _lone_image(input_file: Path, pageno: int, raster_dpi: Any) -> Image.Image | None:
    """The page's one image, decoded, when rendering the page would only reproduce it.

    That is a scanner's page: one 8-bit gray image, JPEG or Flate, drawn to fill the MediaBox
    exactly at the resolution OCRmyPDF asked for, and nothing else (no /Rotate, CropBox,
    annotations, masks, decode arrays). Decoding it costs ~12 ms (JPEG) to ~30 ms (Flate)
    where PDFium's rendering, its copy and the conversion to gray cost ~75 ms, and it gives
    the scanned pixels themselves (PDFium stretches them by a row, which blurs them a little).
    On generated 300 dpi lab pages Tesseract found 93.7% of the printed words in the decoded
    image and 93.2% in PDFium's. Colour pages, mostly phone photos, are still rendered: on
    the corpus's low-resolution phone photo Tesseract's reading swung with these small pixel
    differences (the decoded image lost two letters of the title), so photos stay on the
    path they were tuned on. For anything else this returns None and PDFium renders the page.
    """
    try:
        with pikepdf.open(input_file) as pdf:
            found = _lone_image_stream(pdf.pages[pageno - 1], raster_dpi)
            if found is None:
                return None
            stream, size, jpeg = found
            if not jpeg:
                # qpdf undoes Flate and PNG predictors in C++; raw samples are what remains.
                data = stream.read_bytes()
                if len(data) != size[0] * size[1]:
                    return None
                return Image.frombytes("L", size, data)
            data = stream.read_raw_bytes()
        image = Image.open(io.BytesIO(data))
        if image.format != "JPEG" or image.mode != "L" or image.size != size:
            return None  # an odd JPEG: PDFium knows what the PDF means by it
        image.load()
        return image
    except (pikepdf.PdfError, OSError, ValueError, TypeError, Image.DecompressionBombError):
        return None  # a malformed page: PDFium gets to decide what it shows


def _lone_image_stream(
    page: pikepdf.Page, raster_dpi: Any
) -> tuple[pikepdf.Stream, tuple[int, int], bool] | None:
    """The gray image that fills `page` and is all it shows: stream, size, JPEG or not."""
    obj = page.obj
    if int(obj.get("/Rotate", 0)) % 360 or "/Annots" in obj or "/UserUnit" in obj:
        return None
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    if "/CropBox" in obj and [float(v) for v in page.cropbox] != [x0, y0, x1, y1]:
        return None
    instructions = pikepdf.parse_content_stream(page)
    if [str(i.operator) for i in instructions] not in (["q", "cm", "Do", "Q"], ["cm", "Do"]):
        return None
    matrix, drawn = (list(i.operands) for i in instructions if str(i.operator) in ("cm", "Do"))
    width_pt, height_pt = abs(x1 - x0), abs(y1 - y0)
    fills_page = [width_pt, 0.0, 0.0, height_pt, min(x0, x1), min(y0, y1)]
    if len(matrix) != 6 or any(
        abs(float(m) - f) > 0.01 for m, f in zip(matrix, fills_page, strict=True)
    ):
        return None
    resources = obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    stream = xobjects.get(str(drawn[0])) if isinstance(xobjects, pikepdf.Dictionary) else None
    if not isinstance(stream, pikepdf.Stream) or stream.get("/Subtype") != pikepdf.Name.Image:
        return None
    if any(key in stream for key in _NOT_PLAIN) or int(stream.get("/BitsPerComponent", 0)) != 8:
        return None
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    if stream.get("/ColorSpace") != pikepdf.Name.DeviceGray or names not in (
        ["/DCTDecode"],
        ["/FlateDecode"],
    ):
        return None
    size = (int(stream.get("/Width", 0)), int(stream.get("/Height", 0)))
    # The size PDFium would render the page at (OCRmyPDF's helper rounds the same way).
    dpi = raster_dpi.round(6)
    if size != (round(width_pt * dpi.x / 72.0), round(height_pt * dpi.y / 72.0)):
        return None
    return stream, size, names == ["/DCTDecode"]


def _extras(
    image: Image.Image, output_file: Path, pageno: int, options: Any, whole: bool, suffix: str
) -> None:
    layout = measure(image, float(image.info["dpi"][0]), DESKEW_MIN_DEGREES)
    with _lock:
        _layouts[str(output_file.resolve())] = layout
        request = _requests.get(run_key(options.output_file))
    if request is not None and whole:
        display, thumbnail = image_paths(request.folder, pageno, suffix)
        save_images(image, display, thumbnail, request.display_px, request.thumb_px)
        request.written[pageno] = (display, thumbnail)
