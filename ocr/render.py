"""Page images for the browser: a display image and a thumbnail, as WebP or JPEG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

# Pages are WebP: method 0 encodes a 1600 px page in ~35 ms (method 4: ~130 ms) for ~20% more
# bytes, still a third smaller than JPEG q85 and without JPEG's ringing around sharp text.
# Pages scanned to JPEG are JPEG again: their grain costs WebP ~31 ms a page where JPEG takes
# ~6 ms (q80, optimised Huffman tables; ~200 KB against WebP's ~145 KB for a 300 dpi lab
# page), 3% of OCR throughput, and the scan itself already carries JPEG's artefacts.
_OPTIONS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {  # display, thumbnail
    ".webp": ({"quality": 80, "method": 0}, {"quality": 75, "method": 0}),
    ".jpg": ({"quality": 80, "optimize": True}, {"quality": 75}),
}


def image_paths(folder: Path, number: int, suffix: str = ".webp") -> tuple[Path, Path]:
    """Where page `number`'s display image and thumbnail go (`suffix` .webp or .jpg)."""
    return folder / f"page-{number:04d}{suffix}", folder / f"thumb-{number:04d}{suffix}"


def render_page(
    page: pdfium.PdfPage, display: Path, thumbnail: Path, display_px: int, thumb_px: int
) -> None:
    """Render the page as seen (CropBox, rotation applied) and save its images."""
    width, height = page.get_size()
    # Scaling by the long side bounds the bitmap at display_px², whatever the page size.
    scale = display_px / max(width, height, 1.0)
    bitmap = page.render(scale=scale, may_draw_forms=True)
    try:
        save_images(bitmap.to_pil(), display, thumbnail, display_px, thumb_px)
    finally:
        bitmap.close()


def save_images(
    image: Image.Image, display: Path, thumbnail: Path, display_px: int, thumb_px: int
) -> None:
    """Save `image` shrunk to `display_px` and `thumb_px` on its long side.

    The format follows the display path's suffix (see `image_paths`).
    """
    display_options, thumb_options = _OPTIONS[display.suffix]
    if image.mode not in ("RGB", "L"):
        image = image.convert("L" if image.mode in ("1", "LA", "I;16") else "RGB")
    image = _shrink(image, display_px)
    image.save(display, **display_options)
    image.thumbnail((thumb_px, thumb_px))
    image.save(thumbnail, **thumb_options)


def _shrink(image: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # A box reduction by a whole factor first is ~5x cheaper than resampling the full page.
    factor = int(1 / scale)
    if factor >= 2:
        image = image.reduce(factor)
    return image.resize(size, Image.Resampling.BILINEAR)
