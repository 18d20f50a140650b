"""Turn image files into a PDF, embedding the image data without recompression when possible."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import img2pdf
from PIL import Image, ImageOps, ImageSequence

from ocr.errors import ReadError

# Kinds img2pdf embeds as-is (JPEG, PNG and TIFF data go into the PDF byte for byte).
_DIRECT = {"jpeg", "png", "tiff"}
# A declared resolution is believed only when it gives a page of plausible paper size;
# phones and screenshots often claim 72 or 96 dpi for a 4000-pixel photo.
_MIN_INCHES, _MAX_INCHES = 1.0, 17.0
_ASSUMED_LONG_SIDE_INCHES = 11.0
_IMG2PDF_ERRORS = (
    img2pdf.ImageOpenError,
    img2pdf.JpegColorspaceError,
    img2pdf.UnsupportedColorspaceError,
    img2pdf.ExifOrientationError,
    ValueError,
)


def image_to_pdf(src: Path, kind: str, out: Path, workdir: Path, max_megapixels: float) -> Path:
    """Write `src` (an image of `kind`) as a PDF at `out`, one page per frame."""
    _register_heif()
    with Image.open(src) as im:
        frames = [(_page_dpi(f), _embeddable(f)) for f in _frames(im, max_megapixels)]
    dpi = [d for d, _ in frames]
    if kind in _DIRECT and all(ok for _, ok in frames):
        try:
            out.write_bytes(_convert([src], dpi))
            return out
        except _IMG2PDF_ERRORS:
            pass  # odd colour spaces or EXIF: normalise with Pillow below
    # HEIC/AVIF are lossy already; JPEG keeps the PDF small where PNG would triple it.
    lossy = kind in ("heic", "avif")
    parts = _normalised(src, workdir, lossy)
    out.write_bytes(_convert(parts, dpi))
    return out


def _convert(paths: list[Path], dpi: list[tuple[float, float]]) -> bytes:
    # One layout per page would need one call per page; the first frame's resolution
    # stands for the file, which is what scanners write anyway.
    layout = img2pdf.get_fixed_dpi_layout_fun(dpi[0])
    data = img2pdf.convert(
        [str(p) for p in paths], layout_fun=layout, rotation=img2pdf.Rotation.ifvalid
    )
    assert data is not None
    return data


def _frames(im: Image.Image, max_megapixels: float) -> Iterator[Image.Image]:
    for frame in ImageSequence.Iterator(im):
        megapixels = frame.width * frame.height / 1e6
        if megapixels > max_megapixels:
            raise ReadError(
                f"This image is {frame.width:,} × {frame.height:,} pixels "
                f"({megapixels:,.0f} megapixels), more than the {max_megapixels:,.0f} "
                "megapixels Kinchart reads. Scan or export it at a lower resolution "
                "(300 dpi is plenty) and add it again.",
                code="too_large",
            )
        if frame.width < 1 or frame.height < 1:
            raise ReadError("This image has no pixels.", code="corrupt")
        yield frame


def _page_dpi(im: Image.Image) -> tuple[float, float]:
    """The resolution to lay the image out at, assuming letter-sized paper when unknown."""
    declared = im.info.get("dpi")
    long_px = max(im.size)
    if declared and min(declared) >= 1:
        x, y = float(declared[0]), float(declared[1])
        inches = max(im.width / x, im.height / y)
        if _MIN_INCHES <= inches <= _MAX_INCHES:
            return (x, y)
    assumed = min(1200.0, max(72.0, long_px / _ASSUMED_LONG_SIDE_INCHES))
    return (assumed, assumed)


def _embeddable(im: Image.Image) -> bool:
    """True when img2pdf can embed the frame as it is (no transparency, 8-bit or less)."""
    return im.mode in ("1", "L", "RGB", "CMYK", "P") and "transparency" not in im.info


def _normalised(src: Path, workdir: Path, lossy: bool) -> list[Path]:
    """Decode every frame, apply EXIF rotation, flatten transparency onto white, save it."""
    parts = []
    with Image.open(src) as im:
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            flat = _flatten(ImageOps.exif_transpose(frame) or frame)
            if lossy and flat.mode != "1":
                part = workdir / f"frame-{i:04d}.jpg"
                flat.save(part, dpi=_page_dpi(frame), quality=90)
            else:
                part = workdir / f"frame-{i:04d}.png"
                flat.save(part, dpi=_page_dpi(frame), compress_level=3)
            parts.append(part)
    return parts


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode in ("1", "L", "RGB"):
        return im
    if im.mode == "P" and "transparency" not in im.info:
        return im.convert("RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        return im.point(lambda v: v / 256).convert("L")
    if im.mode == "CMYK":
        return im.convert("RGB")
    rgba = im.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(background, rgba).convert("RGB")
    return flat.convert("L") if im.mode in ("LA", "La", "PA") else flat


def _register_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
