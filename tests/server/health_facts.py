"""Facts for the health-view tests: `FactRow`s for the pure modules, rows for the routes.

Route tests insert Fact rows directly (with real Document and Page rows), the way
server.facts writes them: `data` is the extracted record, the columns the current value.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from typing import Any

from server.health.records import FactRow
from server.tables import Document, Fact, Page

_IDS = itertools.count(1)


def row(kind: str, name: str, when: str | None = None, doc: int | None = 1, **kw: Any) -> FactRow:
    """A FactRow; `when` (ISO date) is both the fact's date and its document's."""
    day = date.fromisoformat(when) if when else None
    kw.setdefault("doc_name", f"doc-{doc}.pdf" if doc is not None else "")
    kw.setdefault("page", 1 if doc is not None else None)
    return FactRow(id=next(_IDS), kind=kind, name=name, effective=day, document=doc, **kw)


def lab(
    name: str,
    when: str,
    value: float | None,
    unit: str,
    *,
    analyte: str = "",
    text: str | None = None,
    printed_unit: str | None = None,
    low: float | None = None,
    high: float | None = None,
    flag: str = "",
    doc: int | None = 1,
    **kw: Any,
) -> FactRow:
    """A lab result as server.facts stores it: printed value and unit in `data`."""
    bands = [] if low is None and high is None else [{"low": low, "high": high, "sex": None}]
    data = {
        "name": name,
        "unit": printed_unit if printed_unit is not None else unit,
        "value": {"text": text if text is not None else f"{value:g}", "comparator": None},
        "reference": {"text": f"{low}-{high}", "bands": bands} if bands else None,
    }
    data.update(kw.pop("data", {}))
    return row(
        "lab",
        name,
        when,
        doc,
        analyte=analyte,
        value_text=text if text is not None else f"{value:g}",
        value_num=value,
        unit=unit,
        flag=flag,
        data=data,
        **kw,
    )


async def add_document(
    profile: int | None,
    name: str,
    *,
    doc_date: date | None = None,
    pages: list[tuple[str, list[list[Any]]]] | None = None,
    sha: str | None = None,
) -> int:
    """A ready document with pages of text and word boxes ([word, x0, y0, x1, y1])."""
    pages = [("", [])] if pages is None else pages
    rows = await Document.insert(
        Document(
            sha256=sha or hashlib.sha256(f"{name}:{profile}:{next(_IDS)}".encode()).hexdigest(),
            original_name=name,
            size=1,
            mime="application/pdf",
            kind="pdf",
            state="ready",
            page_count=len(pages),
            profile=profile,
            doc_date=doc_date,
            doc_type="lab report",
        )
    ).returning(Document.id)
    doc_id = int(rows[0]["id"])
    for n, (text, words) in enumerate(pages, start=1):
        await Page.insert(
            Page(document=doc_id, number=n, text=text, words=words, width_pt=612, height_pt=792)
        )
    return doc_id


async def add_fact(
    profile: int | None, document: int | None, kind: str, name: str, **cols: Any
) -> int:
    """A Fact row; `data` defaults to the columns' values, as an extracted record would hold."""
    cols.setdefault("data", {})
    rows = await Fact.insert(
        Fact(profile=profile, document=document, kind=kind, name=name, **cols)
    ).returning(Fact.id)
    return int(rows[0]["id"])
