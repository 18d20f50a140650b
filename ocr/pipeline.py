"""Read a document: detect → images to PDF → guards → OCR → text and boxes → page images."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pypdfium2 as pdfium

from ocr.detect import Detected, detect
from ocr.engine import DOUBTFUL_CONFIDENCE, PageOutcome
from ocr.errors import map_exceptions
from ocr.guards import PdfFacts, check_pdf, decrypt_copy
from ocr.images import image_to_pdf
from ocr.model import PageReading, Reading
from ocr.options import ReadOptions
from ocr.raster import PageImages
from ocr.render import image_paths, render_page
from ocr.searchable import OcrSettings, make_searchable
from ocr.text import Frame, has_text, ocr_words, read_text

STRUCTURED = ("ccda", "fhir")
__all__ = ["ReadOptions", "read_document"]


def read_document(src: Path, workdir: Path, options: ReadOptions) -> Reading:
    """Read `src`, writing the searchable PDF and page images under `workdir`.

    Call it from one thread at a time per process (PDFium is single-threaded);
    `ocr.pool.ReaderPool` runs each read in its own process.
    """
    started = time.perf_counter()
    workdir.mkdir(parents=True, exist_ok=True)
    with map_exceptions():
        found = detect(src)
        if found.kind in STRUCTURED:
            reading = Reading("structured", found.mime, [], None, found.kind, [])
        else:
            reading = _read_paged(src, found, workdir, options)
    reading.seconds = time.perf_counter() - started
    return reading


def _read_paged(src: Path, found: Detected, workdir: Path, options: ReadOptions) -> Reading:
    pdf_in = _as_pdf(src, found, workdir, options)
    facts = check_pdf(
        pdf_in,
        max_pages=options.max_pages,
        max_page_inches=options.max_page_inches,
        max_image_megapixels=options.max_image_megapixels,
    )
    warnings = list(facts.notes)
    searchable, outcomes, drawn = _searchable(pdf_in, facts, workdir, options)
    pages = _read_pages(searchable, outcomes, drawn, workdir, options, facts, warnings)
    if pdf_in != src:
        pdf_in.unlink(missing_ok=True)  # the un-OCR'd wrapper of an image
    kind = "pdf" if found.kind == "pdf" else "image"
    return Reading(kind, found.mime, pages, str(searchable), None, warnings)


def _as_pdf(src: Path, found: Detected, workdir: Path, options: ReadOptions) -> Path:
    if found.kind == "pdf":
        return src
    frames = workdir / "frames"
    frames.mkdir(exist_ok=True)
    try:
        return image_to_pdf(
            src, found.kind, workdir / "image.pdf", frames, options.max_image_megapixels
        )
    finally:
        shutil.rmtree(frames, ignore_errors=True)


def _searchable(
    pdf_in: Path, facts: PdfFacts, workdir: Path, options: ReadOptions
) -> tuple[Path, dict[int, PageOutcome], dict[int, tuple[Path, Path]]]:
    """The PDF to keep, what OCR did to each page it touched, and page images already drawn."""
    document = workdir / "document.pdf"
    if facts.signed or facts.dynamic_xfa:
        # OCR would break a signature (so keep the file byte for byte); OCRmyPDF refuses
        # dynamic XFA forms, whose real pages only Adobe Reader draws.
        shutil.copyfile(pdf_in, document)
        return document, {}, {}
    if all(_pages_with_text(pdf_in)):
        # Born-digital: nothing for OCR to add, so skip OCRmyPDF (and its startup) entirely.
        shutil.copyfile(pdf_in, document)
        return document, {}, {}
    source = decrypt_copy(pdf_in, workdir / "decrypted.pdf") if facts.encrypted else pdf_in
    settings = OcrSettings(options.languages, options.jobs, options.max_image_megapixels)
    images = PageImages(workdir, options.display_px, options.thumb_px)
    outcomes = make_searchable(source, document, settings, images)
    if source != pdf_in:
        source.unlink(missing_ok=True)
    # OCR wrote display images of the pages it rendered; those it turned need redrawing.
    drawn = {}
    for number, paths in images.written.items():
        outcome = outcomes.get(number - 1)
        if outcome is not None and not outcome.quarter:
            drawn[number] = paths
        else:
            for path in paths:
                path.unlink(missing_ok=True)
    return document, outcomes, drawn


def _pages_with_text(path: Path) -> list[bool]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [has_text(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()


def _read_pages(
    path: Path,
    outcomes: dict[int, PageOutcome],
    drawn: dict[int, tuple[Path, Path]],
    workdir: Path,
    options: ReadOptions,
    facts: PdfFacts,
    warnings: list[str],
) -> list[PageReading]:
    pdf = pdfium.PdfDocument(path)
    try:
        pages = [
            _read_page(
                pdf[index], index + 1, outcomes.get(index), drawn.get(index + 1), workdir, options
            )
            for index in range(len(pdf))
        ]
    finally:
        pdf.close()
    empty = [p.number for p in pages if not p.text.strip()]
    doubtful = [
        index + 1
        for index, outcome in sorted(outcomes.items())
        if outcome.confidence < DOUBTFUL_CONFIDENCE and index + 1 not in empty
    ]
    warnings.extend(_page_warnings(empty, doubtful, facts))
    return pages


def _read_page(
    page: pdfium.PdfPage,
    number: int,
    outcome: PageOutcome | None,
    drawn: tuple[Path, Path] | None,
    workdir: Path,
    options: ReadOptions,
) -> PageReading:
    try:
        if outcome is None:
            text, words = read_text(page)
        else:
            # Words and text come from OCR itself (see PageOutcome); OCR saw the page as it
            # was displayed before any turn we gave it.
            frame = Frame.of(page)
            text = outcome.text
            words = ocr_words(frame, (frame.rotation + outcome.quarter) % 360, outcome.words)
        if drawn is None:
            display, thumbnail = image_paths(workdir, number)
            render_page(page, display, thumbnail, options.display_px, options.thumb_px)
        else:
            display, thumbnail = drawn
        width, height = page.get_size()
        return PageReading(
            number,
            width,
            height,
            text,
            words,
            str(display),
            str(thumbnail),
            ocr_applied=outcome is not None,
        )
    finally:
        page.close()


def _page_warnings(empty: list[int], doubtful: list[int], facts: PdfFacts) -> list[str]:
    notes = []
    if empty and facts.signed:
        notes.append(
            f"{_pages(empty, 'has', 'have')} no text. The PDF is digitally signed, so "
            "Kinchart did not run OCR on it (that would break the signature)."
        )
    elif empty and not facts.dynamic_xfa:
        notes.append(f"{_pages(empty, 'has', 'have')} no text after OCR (blank, or only pictures).")
    if doubtful:
        notes.append(
            f"{_pages(doubtful, 'was', 'were')} hard to read; check the text "
            "against the page image."
        )
    return notes


def _pages(numbers: list[int], singular: str, plural: str) -> str:
    if len(numbers) == 1:
        return f"Page {numbers[0]} {singular}"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"Pages {listed} and {numbers[-1]} {plural}"
