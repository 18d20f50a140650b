"""What the document page shows of a structured record (C-CDA, FHIR): no pages to draw.

FHIR records show their stored facts grouped by kind. C-CDA documents show their narrative
sections as XHTML rebuilt from a short list of CDA narrative elements: every other element is
reduced to its text, and no attribute survives (no styles, links, images or scripts), so the
page's Content-Security-Policy stays as it is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ocr.facts.ccda import CcdaError, parse
from ocr.facts.ccda_xml import Doc, child, text_of
from server.db.tables import REJECTED, Fact
from server.facts.reading import CCDA_MIME, FHIR_MIMES

# CDA narrative element → the HTML element it becomes.
_BLOCKS = {
    "paragraph": "p", "list": "ul", "item": "li", "table": "table", "thead": "thead",
    "tbody": "tbody", "tfoot": "tfoot", "tr": "tr", "th": "th", "td": "td", "caption": "caption",
    "sub": "sub", "sup": "sup",
}  # fmt: skip
_KIND_TITLES = (
    ("lab", "Lab results"), ("vital", "Vital signs"), ("condition", "Problems"),
    ("medication", "Medications"), ("allergy", "Allergies"), ("immunization", "Immunizations"),
    ("procedure", "Procedures"),
)  # fmt: skip
# A section's narrative is shown up to this many characters of text (a long record stays usable).
_MAX_SECTION = 200_000


@dataclass
class Section:
    title: str
    html: Markup


@dataclass
class Structured:
    """The readable content of a structured record."""

    format: str  # "ccda" or "fhir"
    sections: list[Section] = field(default_factory=list)
    groups: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    note: str = ""


async def content(doc: dict[str, Any], original: Path) -> Structured | None:
    """The record's content, or None when the document is not a structured record."""
    if doc.get("kind") != "structured":
        return None
    if doc.get("mime") == CCDA_MIME:
        return ccda_sections(original)
    if doc.get("mime") in FHIR_MIMES:
        return await fhir_groups(doc["id"])
    return None


async def fhir_groups(doc_id: int) -> Structured:
    rows = (
        await Fact.select(
            Fact.kind, Fact.name, Fact.value_text, Fact.unit, Fact.effective, Fact.state,
            Fact.flag, Fact.line, Fact.locator,
        )
        .where((Fact.document == doc_id) & (Fact.status != REJECTED))
        .order_by(Fact.seq)
    )  # fmt: skip
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    found = Structured("fhir")
    found.groups = [(title, by_kind[kind]) for kind, title in _KIND_TITLES if kind in by_kind]
    if not found.groups:
        found.note = (
            "No lab results, vital signs, problems, medications, allergies or immunizations "
            "were found in this record."
        )
    return found


def ccda_sections(path: Path) -> Structured:
    found = Structured("ccda")
    try:
        doc = Doc(parse(path.read_bytes()))
    except (CcdaError, OSError) as error:
        found.note = f"The record's sections could not be shown: {error}."
        return found
    for section in doc.root.iter("section"):
        text = child(section, "text")
        if text is None:
            continue
        title = text_of(child(section, "title")) or "Section"
        budget = [_MAX_SECTION]
        html = Markup("").join(_node(text, budget, top=True))
        if html.strip():
            found.sections.append(Section(title, html))
    if not found.sections:
        found.note = "This record has no narrative sections to show."
    return found


def _node(element: ET.Element, budget: list[int], *, top: bool = False) -> list[Markup]:
    """`element` as safe HTML: allowed elements without attributes, everything else as text."""
    out: list[Markup] = []
    tag = None if top else _BLOCKS.get(element.tag)
    if element.tag == "br":
        out.append(Markup("<br>"))
    elif tag:
        out.append(Markup(f"<{tag}>"))
    out.append(_text(element.text, budget))
    for inner in element:
        if inner.tag in ("renderMultiMedia", "footnoteRef"):
            pass  # images and footnote links point elsewhere: nothing to show
        else:
            out.extend(_node(inner, budget))
        out.append(_text(inner.tail, budget))
    if tag and element.tag != "br":
        out.append(Markup(f"</{tag}>"))
    return out


def _text(value: str | None, budget: list[int]) -> Markup:
    if not value or budget[0] <= 0:
        return Markup("")
    shown = value[: budget[0]]
    budget[0] -= len(shown)
    return escape(shown)


__all__ = ["Structured", "content"]
