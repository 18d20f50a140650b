"""The rasteriser plugin: a scanner's page image is decoded as it is, anything else is rendered."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import img2pdf
import pikepdf
import pypdfium2 as pdfium
import pytest
from ocrmypdf._exec import tesseract
from ocrmypdf.helpers import Resolution
from PIL import Image, ImageChops, ImageStat

from ocr.pipeline import ReadOptions, read_document
from ocr.raster import _lone_image, run_key

LAB = [
    "Riverside Clinical Laboratory",
    "Collected 2024-03-12 Patient Jane Example",
    "Hemoglobin\t13.2\tg/dL\t12.0 - 15.5",
    "Potassium\t5.9\tH\tmmol/L\t3.5 - 5.1",
    "Creatinine\t0.81\tmg/dL\t0.57 - 1.00",
    "Glucose\t66\tL\tmg/dL\t70 - 99",
]
COLUMNS = (0.75, 2.75, 3.75, 4.5, 5.75)
DPI = Resolution(200, 200)


def jpeg_pdf(images: list[Image.Image], path: Path, dpi: int = 200) -> Path:
    """An image-only PDF holding each page as the JPEG a scanner would have written."""
    parts = []
    for image in images:
        data = io.BytesIO()
        image.save(data, "JPEG", quality=90, dpi=(dpi, dpi))
        parts.append(data.getvalue())
    path.write_bytes(img2pdf.convert(parts))
    return path


def rendered(path: Path, dpi: float = 200) -> Image.Image:
    pdf = pdfium.PdfDocument(path)
    try:
        image = pdf[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        pdf.close()
    return image


def edit(path: Path, change: Callable[[pikepdf.Pdf, pikepdf.Page], None]) -> Path:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        change(pdf, pdf.pages[0])
        pdf.save(path)
    return path


@pytest.mark.parametrize("kind", ["jpeg", "flate"])
def test_scanned_page_is_decoded_not_rendered(
    tmp_path: Path, draw: Callable, image_pdf: Callable, kind: str
) -> None:
    page = draw(LAB, columns=COLUMNS).image
    src = (
        jpeg_pdf([page], tmp_path / "scan.pdf")
        if kind == "jpeg"
        else image_pdf([page], tmp_path / "scan.pdf")
    )
    image = _lone_image(src, 1, DPI)
    assert image is not None
    assert (image.mode, image.size) == ("L", page.size)
    # The very pixels PDFium would show, give or take JPEG decoders and PDFium's resampling.
    reference = rendered(src)
    difference = ImageChops.difference(image, reference.resize(image.size))
    assert ImageStat.Stat(difference).mean[0] < 3


def test_colour_pages_are_left_to_pdfium(tmp_path: Path, draw: Callable) -> None:
    # Mostly phone photos, on which Tesseract swings with small changes in the pixels.
    page = draw(LAB).image.convert("RGB")
    assert _lone_image(jpeg_pdf([page], tmp_path / "scan.pdf"), 1, DPI) is None


def _rotate(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    page.rotate(90, relative=False)


def _crop(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    page.obj.CropBox = pikepdf.Array([0, 0, 300, 300])


def _annotate(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    page.obj.Annots = pdf.make_indirect(pikepdf.Array())


def _more_content(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    page.contents_add(pdf.make_stream(b"0 0 m 100 100 l S"))


def _only_half(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    width, height = float(page.mediabox[2]), float(page.mediabox[3])
    page.obj.Contents = pdf.make_stream(f"q {width / 2} 0 0 {height} 0 0 cm /Im0 Do Q".encode())
    name = next(iter(page.obj.Resources.XObject.keys()))
    page.obj.Resources.XObject = pikepdf.Dictionary({"/Im0": page.obj.Resources.XObject[name]})


def _decode_array(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    for image in page.obj.Resources.XObject.values():
        image.Decode = pikepdf.Array([1, 0])


def _soft_mask(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    mask = pdf.make_stream(
        b"\xff" * 16,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=4,
        Height=4,
        BitsPerComponent=8,
        ColorSpace=pikepdf.Name.DeviceGray,
    )
    for image in page.obj.Resources.XObject.values():
        image.SMask = mask


@pytest.mark.parametrize(
    "change",
    [_rotate, _crop, _annotate, _more_content, _only_half, _decode_array, _soft_mask],
)
def test_anything_more_than_a_scan_is_left_to_pdfium(
    tmp_path: Path, draw: Callable, change: Callable
) -> None:
    src = edit(jpeg_pdf([draw(LAB).image], tmp_path / "scan.pdf"), change)
    assert _lone_image(src, 1, DPI) is None


def test_other_resolutions_are_left_to_pdfium(tmp_path: Path, draw: Callable) -> None:
    src = jpeg_pdf([draw(LAB).image], tmp_path / "scan.pdf")
    assert _lone_image(src, 1, Resolution(300, 300)) is None


def test_jpeg_scans_get_jpeg_page_images(tmp_path: Path, draw: Callable) -> None:
    drawn = draw(LAB, columns=COLUMNS, inches=(6.5, 4), dpi=300)
    upright = drawn.image
    turned = drawn.image.rotate(90, expand=True)
    src = jpeg_pdf([upright, turned], tmp_path / "scan.pdf", dpi=300)
    work = tmp_path / "work"
    reading = read_document(src, work, ReadOptions())
    first, second = reading.pages
    assert "Potassium 5.9 H mmol/L" in " ".join(first.text.split())
    assert "Potassium 5.9 H mmol/L" in " ".join(second.text.split())
    for path, size, fmt in (
        (first.image, 1600, "JPEG"),
        (first.thumbnail, 320, "JPEG"),
        # OCR turned the second page, so it is drawn again from the finished PDF.
        (second.image, 1600, "WEBP"),
        (second.thumbnail, 320, "WEBP"),
    ):
        with Image.open(path) as image:
            assert (image.format, max(image.size)) == (fmt, size), path
    assert sorted(p.name for p in work.iterdir()) == [
        "document.pdf",
        "page-0001.jpg",
        "page-0002.webp",
        "thumb-0001.jpg",
        "thumb-0002.webp",
    ]
    with Image.open(first.image) as display:
        reference = rendered(Path(reading.pdf or ""), 1600 / 6.5)
        difference = ImageChops.difference(display.convert("L"), reference.resize(display.size))
        assert ImageStat.Stat(difference).mean[0] < 3


def test_tesseract_version_is_asked_once_per_process(
    tmp_path: Path, draw: Callable, image_pdf: Callable
) -> None:
    src = image_pdf([draw(["Version check"]).image], tmp_path / "scan.pdf")
    read_document(src, tmp_path / "one", ReadOptions())
    misses = tesseract.version.cache_info().misses  # type: ignore[attr-defined]
    read_document(src, tmp_path / "two", ReadOptions())
    assert misses <= 1
    assert tesseract.version.cache_info().misses == misses  # type: ignore[attr-defined]


def test_run_key_names_the_output_file(tmp_path: Path) -> None:
    out = tmp_path / "document.pdf"
    with open(out, "wb") as stream:
        assert run_key(stream) == run_key(out) == run_key(str(out)) == str(out)
