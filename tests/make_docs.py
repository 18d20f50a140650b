"""Test inputs built in the run: scanned-looking pages and born-digital PDFs."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size)


def page_image(
    lines: list[str], *, dpi: int = 200, skew: float = 0.0, seed: int = 0
) -> Image.Image:
    """A letter-size grayscale page with the lines printed on it, like a scan."""
    w, h = int(8.5 * dpi), int(11 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    font = _font(int(dpi * 0.16))
    y = int(dpi * 0.8)
    for line in lines:
        draw.text((int(dpi * 0.8), y), line, fill=0, font=font)
        y += int(dpi * 0.3)
    if skew:
        img = img.rotate(skew, fillcolor=255, resample=Image.BICUBIC)
    rnd = random.Random(seed)
    img = img.filter(ImageFilter.GaussianBlur(0.4))
    px = img.load()
    assert px is not None
    for _ in range(w * h // 400):
        x, yy = rnd.randrange(w), rnd.randrange(h)
        px[x, yy] = rnd.choice((0, 200))
    return img


def scanned_pdf(path: Path, pages: list[list[str]], *, dpi: int = 200) -> Path:
    """An image-only PDF (no text layer) of the given pages."""
    images = [page_image(lines, dpi=dpi, seed=i) for i, lines in enumerate(pages)]
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def scanned_png(path: Path, lines: list[str], *, dpi: int = 200) -> Path:
    page_image(lines, dpi=dpi).save(path, "PNG", dpi=(dpi, dpi))
    return path


def digital_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A born-digital PDF with a real text layer (written by hand, no extra library)."""
    objects: list[bytes] = []
    kids = []
    font_id = 3 + 2 * len(pages)
    for i, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        kids.append(f"{page_id} 0 R")
        ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
        for line in lines:
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({safe}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    header = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode(),
    ]
    allobjs = [*header, *objects, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    buf = io.BytesIO()
    buf.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(allobjs, start=1):
        offsets.append(buf.tell())
        buf.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = buf.tell()
    buf.write(f"xref\n0 {len(allobjs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        buf.write(f"{off:010d} 00000 n \n".encode())
    buf.write(
        f"trailer\n<< /Size {len(allobjs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(buf.getvalue())
    return path
