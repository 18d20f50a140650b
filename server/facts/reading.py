"""Fact extraction where the document is read: in the OCR child process, next to OCR.

Imports only `ocr`: the worker's ReaderPool runs `read_with_facts` in its children, so the
extraction's CPU time is spent off the server's event loop. The same functions extract from
stored pages when older documents are read again (`server.facts.persist`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr.facts import extract
from ocr.facts.ccda import CcdaError, read_ccda
from ocr.facts.fhir import FhirError, read_fhir
from ocr.facts.lines import PageLike
from ocr.facts.model import DocumentFacts
from ocr.model import Reading, Word
from ocr.options import ReadOptions

log = logging.getLogger(__name__)
CCDA_MIME = "application/xml+ccda"
FHIR_MIMES = ("application/fhir+json", "application/fhir+xml")


@dataclass
class ReadingWithFacts(Reading):
    """A reading and the facts extracted from it (None: extraction itself failed)."""

    facts: DocumentFacts | None = None
    facts_error: str = ""


@dataclass
class StoredPage:
    """A page as the database stores it, in the shape extraction reads (`PageLike`)."""

    number: int
    width_pt: float
    height_pt: float
    text: str
    words: list[Word]


def read_with_facts(src: Path, workdir: Path, options: ReadOptions) -> Reading:
    """`ocr.pipeline.read_document`, then the facts of what it read (run by pool children)."""
    # Imported here: only OCR children read documents; the server process never loads OCRmyPDF.
    from ocr.pipeline import read_document

    reading = read_document(src, workdir, options)
    facts, error = facts_of(reading.structured_format, src, reading.pages)
    fields = {name: getattr(reading, name) for name in reading.__dataclass_fields__}
    return ReadingWithFacts(**fields, facts=facts, facts_error=error)


def facts_of(
    structured: str | None, src: Path, pages: Sequence[PageLike]
) -> tuple[DocumentFacts | None, str]:
    """The document's facts and "" — or None and why extraction failed (a bug of ours).

    A C-CDA or FHIR record that cannot be parsed gives no facts and a warning a person can read.
    """
    try:
        if structured == "ccda":
            try:
                return read_ccda(src), ""
            except CcdaError as exc:
                found = DocumentFacts()
                found.warnings.append(f"The health record could not be read for facts: {exc}.")
                return found, ""
        if structured == "fhir":
            try:
                return read_fhir(src), ""
            except FhirError as exc:
                found = DocumentFacts()
                found.warnings.append(f"The health record could not be read for facts: {exc}.")
                return found, ""
        if structured:
            return DocumentFacts(), ""
        return extract(pages), ""
    except Exception as exc:  # never lose the reading over an extraction bug
        log.exception("fact extraction failed for %s", src)
        return None, f"{type(exc).__name__}: {exc}"


def stored_pages(rows: Iterable[dict[str, Any]]) -> list[StoredPage]:
    """Page rows (number, width_pt, height_pt, text, words as [text, x0, y0, x1, y1])."""
    pages = []
    for row in rows:
        words = [
            Word(str(w[0]), float(w[1]), float(w[2]), float(w[3]), float(w[4]))
            for w in row.get("words") or []
            if len(w) >= 5
        ]
        pages.append(
            StoredPage(
                row["number"], row["width_pt"] or 0.0, row["height_pt"] or 0.0, row["text"], words
            )
        )
    return pages
