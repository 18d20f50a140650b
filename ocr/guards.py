"""Checks on a PDF's structure that run before anything is rasterised."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ocr.errors import ReadError


@dataclass(frozen=True)
class PdfFacts:
    """What the guards learned about a PDF that later steps need."""

    pages: int
    signed: bool
    encrypted: bool  # opened without a password, but carries owner restrictions
    dynamic_xfa: bool  # an Adobe LiveCycle form whose pages are drawn only by Adobe Reader
    notes: list[str] = field(default_factory=list)


def check_pdf(
    path: Path, *, max_pages: int, max_page_inches: float, max_image_megapixels: float
) -> PdfFacts:
    """Open `path` with pikepdf and refuse documents too big to read safely."""
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
        if count == 0:
            raise ReadError("This PDF has no pages.", code="empty")
        if count > max_pages:
            raise ReadError(
                f"This PDF has {count:,} pages; Kinchart reads at most {max_pages:,} pages "
                "per document. Split it into smaller files and add those.",
                code="too_many_pages",
            )
        for number, page in enumerate(pdf.pages, start=1):
            _check_page_size(number, page, max_page_inches)
            _check_images(number, page, max_image_megapixels)
        acroform = pdf.Root.get("/AcroForm")
        signed = _is_signed(acroform)
        dynamic_xfa = bool(pdf.Root.get("/NeedsRendering", False))
        notes = []
        if dynamic_xfa:
            notes.append(
                "This PDF is a dynamic form that only Adobe Reader can draw, so its pages "
                "may look empty here. Open it in Adobe Reader, print it to PDF, and add that."
            )
        return PdfFacts(
            pages=count,
            signed=signed,
            encrypted=pdf.is_encrypted,
            dynamic_xfa=dynamic_xfa,
            notes=notes,
        )


def decrypt_copy(src: Path, out: Path) -> Path:
    """Save `src` without its owner-password restrictions, which OCRmyPDF refuses."""
    with pikepdf.open(src) as pdf:
        pdf.save(out, encryption=False)
    return out


def _check_page_size(number: int, page: pikepdf.Page, max_inches: float) -> None:
    unit = float(page.obj.get("/UserUnit", 1) or 1)
    box = page.mediabox
    width = abs(float(box[2]) - float(box[0])) * unit / 72
    height = abs(float(box[3]) - float(box[1])) * unit / 72
    if max(width, height) > max_inches:
        raise ReadError(
            f"Page {number} is {width:,.0f} × {height:,.0f} inches, larger than the "
            f"{max_inches:,.0f}-inch limit. This is usually a poster or a broken file; "
            "print it to PDF on normal paper and add that.",
            code="too_large",
        )


def _check_images(number: int, page: pikepdf.Page, max_megapixels: float) -> None:
    for image in page.get_images().values():
        try:
            pixels = int(image.get("/Width", 0)) * int(image.get("/Height", 0))
        except (TypeError, ValueError):
            continue
        if pixels / 1e6 > max_megapixels:
            raise ReadError(
                f"Page {number} holds an image of {pixels / 1e6:,.0f} megapixels, more "
                f"than the {max_megapixels:,.0f} megapixels Kinchart reads safely. Scan "
                "it again at 300 dpi, or print it to PDF, and add that.",
                code="too_large",
            )


def _is_signed(acroform: object) -> bool:
    # SigFlags bit 1 (SignaturesExist) is what OCRmyPDF refuses on, so match it.
    if not isinstance(acroform, pikepdf.Dictionary):
        return False
    try:
        return bool(int(acroform.get("/SigFlags", 0)) & 1)
    except (TypeError, ValueError):
        return False
