"""Small helpers for reading C-CDA XML by local element names."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import date

from ocr.facts.model import Citation

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
LOINC = "2.16.840.1.113883.6.1"
RXNORM = "2.16.840.1.113883.6.88"
ICD10 = ("2.16.840.1.113883.6.90", "2.16.840.1.113883.6.3")
CVX = "2.16.840.1.113883.12.292"


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


class Doc:
    """A parsed document: its root, parent links and the narrative elements by ID."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.parents: dict[int, ET.Element] = {}
        self.by_id: dict[str, ET.Element] = {}
        for element in root.iter():
            element.tag = local(element.tag)
            for item in element:
                self.parents[id(item)] = element
            ident = element.get("ID")
            if ident:
                self.by_id[ident] = element
        if root.tag == "kinchart-wrapper" and len(root) == 1:
            self.root = root[0]

    def templated(self, tag: str, *templates: str) -> Iterator[ET.Element]:
        """Elements named `tag` carrying any of the template ids."""
        for element in self.root.iter(tag):
            roots = {t.get("root") for t in children(element, "templateId")}
            if roots & set(templates):
                yield element

    def entries(
        self, tag: str, current: Iterable[str], legacy: Iterable[str], sections: Iterable[str]
    ) -> Iterator[ET.Element]:
        """Elements named `tag` with a C-CDA template in `current`, or a CCD 1.0 / HITSP C32
        template in `legacy` inside a section of one of `sections` (C32 writers put the same
        templates on allergies and problems alike; only the section tells them apart)."""
        now, old, where = set(current), set(legacy), set(sections)
        for element in self.root.iter(tag):
            roots = templates(element)
            if roots & now or (roots & old and templates(self.section_of(element)) & where):
                yield element

    def section_of(self, element: ET.Element) -> ET.Element | None:
        """The nearest section holding `element`."""
        node = self.parents.get(id(element))
        while node is not None and node.tag != "section":
            node = self.parents.get(id(node))
        return node

    def templated_in(self, element: ET.Element, *templates: str) -> Iterator[ET.Element]:
        """Descendants of `element` carrying any of the template ids."""
        for inner in element.iter():
            if inner is not element and {
                t.get("root") for t in children(inner, "templateId")
            } & set(templates):
                yield inner

    def narrative(self, element: ET.Element | None) -> str | None:
        """The text of an element, following a `<reference value="#id"/>` to the narrative."""
        if element is None:
            return None
        reference = child(element, "reference")
        if reference is not None:
            target = self.by_id.get((reference.get("value") or "").lstrip("#"))
            if target is not None:
                return text_of(target)
        return text_of(element)

    def cite(self, element: ET.Element, *narrative_from: ET.Element | None) -> Citation:
        """A citation of an entry: its narrative text (or a summary) and where it sits."""
        line = None
        for source in narrative_from:
            line = self.narrative(source)
            if line:
                break
        return Citation(None, (), line or "", self.locator(element))

    def locator(self, element: ET.Element) -> str:
        """A path to the element: section title, entry number, then the entry's own id."""
        path: list[str] = []
        node: ET.Element | None = element
        while node is not None and node.tag not in ("section", "kinchart-wrapper"):
            parent = self.parents.get(id(node))
            if node.tag == "entry" and parent is not None:
                path.append(f"entry[{list(children(parent, 'entry')).index(node) + 1}]")
            node = parent
        title = text_of(child(node, "title")) if node is not None else None
        ident = child(element, "id")
        own = f"{element.tag}[@id={ident.get('root')}]" if ident is not None else element.tag
        return "/".join(p for p in (title and f"section[{title}]", *reversed(path), own) if p)


def child(element: ET.Element | None, tag: str) -> ET.Element | None:
    """The first child named `tag`."""
    if element is None:
        return None
    return next((c for c in element if c.tag == tag), None)


def children(element: ET.Element | None, tag: str) -> Iterator[ET.Element]:
    """The children named `tag`."""
    if element is not None:
        yield from (c for c in element if c.tag == tag)


def find_all(element: ET.Element, path: str) -> list[ET.Element]:
    """Descendants along a `/`-separated path of local names."""
    found = [element]
    for step in path.split("/"):
        found = [c for e in found for c in children(e, step)]
    return found


def text_of(element: ET.Element | None) -> str | None:
    """All text inside an element, whitespace collapsed."""
    if element is None:
        return None
    text = re.sub(r"\s+", " ", "".join(element.itertext())).strip()
    return text or None


def to_date(element: ET.Element | None) -> date | None:
    """The date of an HL7 TS (`value="20131020090800-0500"`, also low/center), if it has one."""
    if element is None:
        return None
    value = element.get("value")
    if value is None:
        for tag in ("low", "center", "high"):
            found = to_date(child(element, tag))
            if found is not None:
                return found
        return None
    digits = re.match(r"(\d{4})(\d{2})?(\d{2})?", value)
    if digits is None:
        return None
    try:
        return date(int(digits[1]), int(digits[2] or 1), int(digits[3] or 1))
    except ValueError:
        return None


def person_name(name: ET.Element | None) -> str | None:
    """'Given Family' from an HL7 PN."""
    if name is None:
        return None
    given = " ".join(t for g in children(name, "given") if (t := text_of(g)))
    family = " ".join(t for f in children(name, "family") if (t := text_of(f)))
    joined = " ".join(p for p in (given, family) if p)
    return joined or text_of(name)


def code_text(doc: Doc, code: ET.Element | None) -> str | None:
    """The words for a coded element: displayName, else its original text, else its narrative."""
    if code is None:
        return None
    return (
        code.get("displayName")
        or doc.narrative(child(code, "originalText"))
        or next(
            (t.get("displayName") for t in children(code, "translation") if t.get("displayName")),
            None,
        )
    )


def coded(code: ET.Element | None, systems: tuple[str, ...]) -> str | None:
    """The code from one of `systems`, on the element or among its translations."""
    if code is None:
        return None
    for candidate in (code, *children(code, "translation")):
        if candidate.get("codeSystem") in systems and candidate.get("code"):
            return candidate.get("code")
    return None


def attr(element: ET.Element | None, name: str) -> str | None:
    """An attribute of an element that may be missing (elements without children are falsy)."""
    return element.get(name) if element is not None else None


def templates(element: ET.Element | None) -> set[str | None]:
    """The template ids an element declares."""
    if element is None:
        return set()
    return {t.get("root") for t in children(element, "templateId")}
