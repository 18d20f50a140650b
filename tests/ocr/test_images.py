"""Images become PDFs without recompression where possible, with sane page sizes."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pillow_heif
import pytest
from PIL import Image

from ocr.errors import ReadError
from ocr.images import image_to_pdf


def _convert(src: Path, kind: str, tmp_path: Path, max_megapixels: float = 250) -> pikepdf.Pdf:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    out = image_to_pdf(src, kind, tmp_path / "out.pdf", work, max_megapixels)
    return pikepdf.open(out)


def _only_image(pdf: pikepdf.Pdf, page: int = 0) -> pikepdf.Stream:
    images = list(pdf.pages[page].get_images().values())
    assert len(images) == 1
    return images[0]


def _filters(image: pikepdf.Stream) -> list[str]:
    value = image.get("/Filter")
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)] if value is not None else []


def _inches(pdf: pikepdf.Pdf, page: int = 0) -> tuple[float, float]:
    box = pdf.pages[page].mediabox
    return (round(float(box[2]) / 72, 2), round(float(box[3]) / 72, 2))


def test_jpeg_is_embedded_byte_for_byte(tmp_path: Path) -> None:
    src = tmp_path / "scan.jpg"
    Image.new("RGB", (850, 1100), "white").save(src, quality=80, dpi=(100, 100))
    pdf = _convert(src, "jpeg", tmp_path)
    image = _only_image(pdf)
    assert _filters(image) == ["/DCTDecode"]
    assert image.read_raw_bytes() == src.read_bytes()
    assert _inches(pdf) == (8.5, 11.0)


def test_cmyk_jpeg_is_kept_as_cmyk(tmp_path: Path) -> None:
    src = tmp_path / "print.jpg"
    Image.new("CMYK", (300, 300), (0, 0, 0, 0)).save(src, dpi=(150, 150))
    pdf = _convert(src, "jpeg", tmp_path)
    assert _only_image(pdf).ColorSpace == "/DeviceCMYK"


def test_transparency_is_flattened_onto_white(tmp_path: Path) -> None:
    src = tmp_path / "alpha.png"
    im = Image.new("RGBA", (200, 100), (0, 0, 0, 0))  # fully transparent black
    im.paste((0, 0, 0, 255), (0, 0, 100, 100))  # left half opaque black
    im.save(src, dpi=(100, 100))
    pdf = _convert(src, "png", tmp_path)
    image = _only_image(pdf)
    assert "/SMask" not in image
    pixels = pikepdf.PdfImage(image).as_pil_image().convert("L")
    assert pixels.getpixel((50, 50)) == 0
    assert pixels.getpixel((150, 50)) == 255


def test_missing_dpi_assumes_letter_paper(tmp_path: Path) -> None:
    src = tmp_path / "nodpi.png"
    Image.new("L", (2550, 3300), 255).save(src)  # a 300 dpi letter scan without metadata
    assert _inches(_convert(src, "png", tmp_path)) == (8.5, 11.0)


def test_implausible_dpi_is_ignored(tmp_path: Path) -> None:
    # Phones write 72 dpi on 4000-pixel photos: taken at face value that is a 56-inch page.
    src = tmp_path / "photo.jpg"
    Image.new("RGB", (3000, 4000), "white").save(src, dpi=(72, 72))
    width, height = _inches(_convert(src, "jpeg", tmp_path))
    assert height == 11.0
    assert width == pytest.approx(8.25, abs=0.01)


def test_multi_page_tiff_becomes_one_pdf(tmp_path: Path) -> None:
    src = tmp_path / "fax.tiff"
    frames = [Image.new("1", (1728, 2200), 1) for _ in range(3)]
    frames[0].save(
        src, save_all=True, append_images=frames[1:], dpi=(200, 200), compression="group4"
    )
    pdf = _convert(src, "tiff", tmp_path)
    assert len(pdf.pages) == 3
    assert _filters(_only_image(pdf, 2)) == ["/CCITTFaxDecode"]  # fax data passed through


def test_multi_page_tiff_with_alpha(tmp_path: Path) -> None:
    src = tmp_path / "alpha.tiff"
    frames = [Image.new("LA", (400, 500), (255, 255)) for _ in range(2)]
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(100, 100))
    pdf = _convert(src, "tiff", tmp_path)
    assert len(pdf.pages) == 2
    assert "/SMask" not in _only_image(pdf, 1)


def test_heic_is_decoded(tmp_path: Path) -> None:
    src = tmp_path / "phone.heic"
    pillow_heif.from_pillow(Image.new("RGB", (1200, 900), "white")).save(src, quality=60)
    pdf = _convert(src, "heic", tmp_path)
    assert _filters(_only_image(pdf)) == ["/DCTDecode"]  # re-encoded once, as JPEG
    assert max(_inches(pdf)) == 11.0


@pytest.mark.parametrize(("fmt", "kind"), [("WEBP", "webp"), ("GIF", "gif"), ("BMP", "bmp")])
def test_other_formats(tmp_path: Path, fmt: str, kind: str) -> None:
    src = tmp_path / f"image.{kind}"
    Image.new("RGB", (300, 200), "white").save(src, fmt)
    assert len(_convert(src, kind, tmp_path).pages) == 1


def test_too_many_pixels_is_refused_before_decoding(tmp_path: Path) -> None:
    src = tmp_path / "big.png"
    Image.new("1", (4000, 3000), 1).save(src)
    with pytest.raises(ReadError) as err:
        _convert(src, "png", tmp_path, max_megapixels=10)
    assert err.value.code == "too_large"
    assert "12 megapixels" in err.value.user_message
