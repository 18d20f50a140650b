"""Health facts with citations, from page text and word boxes (`extract`) or C-CDA
(`ocr.facts.ccda.read_ccda`). Knows nothing of the web or the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ocr.facts.clinical import find_clinical
from ocr.facts.dates import date_order, dated_mentions
from ocr.facts.document import classify, find_facility, find_provider, pick_date
from ocr.facts.labs import find_labs
from ocr.facts.lines import Line, PageLike, page_lines
from ocr.facts.model import DocumentFacts, LabResult
from ocr.facts.vitals import find_vitals
from ocr.identity import find_patient

__all__ = ["DocumentFacts", "extract"]


def extract(pages: Sequence[PageLike], today: date | None = None) -> DocumentFacts:
    """Every fact printed on `pages` (`ocr.model.PageReading`s, or alike), with citations."""
    lines: list[Line] = [line for page in pages for line in page_lines(page)]
    # "05/03/2024" is read in the order the document's own unambiguous dates show.
    with date_order([line.text for line in lines]):
        return _extract(pages, lines, today)


def _extract(pages: Sequence[PageLike], lines: list[Line], today: date | None) -> DocumentFacts:
    mentions = dated_mentions(lines, today)
    collected = next((m.value for m in mentions if m.kind == "collected"), None)
    clinical = find_clinical(lines)
    labs = find_labs(lines, collected)
    vitals = find_vitals(lines, collected)
    counts = {
        "labs": len(labs),
        "medications": len(clinical.medications),
        "immunizations": len(clinical.immunizations),
    }
    kind = classify(lines, counts)
    patient = find_patient([page.text for page in pages])
    chosen = pick_date(mentions, kind, patient.birth_dates)
    if (
        collected is None
        and chosen is not None
        and kind == "lab report"
        and chosen.kind != "printed"
    ):
        # A print date is when the paper came out, never when the blood was drawn.
        labs = [_dated(result, chosen.value) for result in labs]
        vitals = [_dated(result, chosen.value) for result in vitals]
    provider, provider_citation = find_provider(lines)
    facility, facility_citation = find_facility(lines)
    return DocumentFacts(
        kind=kind,
        date=chosen.value if chosen else None,
        date_kind=chosen.kind if chosen else None,
        date_citation=chosen.citation if chosen else None,
        provider=provider,
        provider_citation=provider_citation,
        facility=facility,
        facility_citation=facility_citation,
        patient=patient,
        labs=labs + vitals,
        medications=clinical.medications,
        conditions=clinical.conditions,
        excluded=clinical.excluded,
        allergies=clinical.allergies,
        immunizations=clinical.immunizations,
        dates=mentions,
    )


def _dated(result: LabResult, when: date) -> LabResult:
    return result if result.collected else replace(result, collected=when)
