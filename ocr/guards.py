"""Checks on a PDF's structure that run before anything is rasterised."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ocr.errors import ReadError

_MAX_FORM_DEPTH = 12  # Form XObjects inside Form XObjects; real documents use two or three


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
    """Every image the page can draw: its own, inline ones, and those inside Form XObjects
    and annotation appearance streams (a renderer draws them all)."""
    seen: set[tuple[int, int]] = set()
    _check_drawing(number, page.obj, max_megapixels, seen, 0)
    for form in _appearances(page):
        _check_drawing(number, form, max_megapixels, seen, 0)


def _check_drawing(
    number: int, obj: pikepdf.Object, limit: float, seen: set[tuple[int, int]], depth: int
) -> None:
    """The images of a page or Form XObject: in its resources, and inline in its content."""
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if depth > _MAX_FORM_DEPTH:
        raise ReadError(
            f"Page {number} nests drawings more than {_MAX_FORM_DEPTH} deep, which Kinchart "
            "does not read. Print it to PDF and add that.",
            code="too_large",
        )
    resources = obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if isinstance(xobjects, pikepdf.Dictionary):
        for _, xobject in xobjects.items():
            if not isinstance(xobject, pikepdf.Stream):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == pikepdf.Name.Image:
                _check_size(number, xobject.get("/Width"), xobject.get("/Height"), limit)
            elif subtype == pikepdf.Name.Form:
                _check_drawing(number, xobject, limit, seen, depth + 1)
    try:
        inline = pikepdf.parse_content_stream(obj, "BI ID EI")
    except (pikepdf.PdfError, TypeError, ValueError):
        return  # no content, or content no renderer can draw either
    for item in inline:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            try:
                width, height = item.iimage.width, item.iimage.height
            except (pikepdf.PdfError, KeyError, TypeError, ValueError):
                continue
            _check_size(number, width, height, limit)


def _appearances(page: pikepdf.Page) -> list[pikepdf.Object]:
    """The appearance streams of a page's annotations (normal, rollover, down; every state)."""
    out: list[pikepdf.Object] = []
    annots = page.obj.get("/Annots")
    for annot in annots if isinstance(annots, pikepdf.Array) else []:
        ap = annot.get("/AP") if isinstance(annot, pikepdf.Dictionary) else None
        if not isinstance(ap, pikepdf.Dictionary):
            continue
        for _, look in ap.items():
            if isinstance(look, pikepdf.Stream):
                out.append(look)
            elif isinstance(look, pikepdf.Dictionary):
                out += [v for _, v in look.items() if isinstance(v, pikepdf.Stream)]
    return out


def _check_size(number: int, width: object, height: object, max_megapixels: float) -> None:
    try:
        pixels = int(width or 0) * int(height or 0)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return
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
