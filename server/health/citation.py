"""A fact's citation on its document's page: `/documents/{id}?fact={fact_id}`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.access.policy import AccessDenied
from server.db.tables import REJECTED, Fact, Page


@dataclass(frozen=True)
class Cited:
    """The fact a document page was opened for, and where its words are."""

    id: int
    kind: str
    name: str
    value: str
    status: str
    page: int | None
    boxes: tuple[dict[str, float], ...]  # thousandths of the page, as the search overlay wants
    line: str
    locator: str
    text: tuple[str, str, str] | None  # the page text split around the cited line
    # The other documents the same result was read from (server/facts/same.py), as
    # (fact id, document id, document name, page): the citation page links each of them.
    sources: tuple[tuple[int, int, str, int | None], ...] = ()


async def cited(doc: Mapping[str, Any], fact_param: str | None) -> Cited | None:
    """The fact named by `?fact=`, which must be one of this document's (else 404).

    The caller may already see `doc`; a fact of another document, even one they may see,
    is refused the same way as one that does not exist.
    """
    if fact_param is None:
        return None
    try:
        fact_id = int(fact_param)
    except ValueError:
        raise AccessDenied("No such fact in this document.", 404) from None
    row = (
        await Fact.select()
        .where((Fact.id == fact_id) & (Fact.document == doc["id"]))
        .output(load_json=True)
        .first()
    )
    if row is None or row["profile"] != doc["profile"]:
        raise AccessDenied("No such fact in this document.", 404)
    text = None
    if row["page"]:
        page = (
            await Page.select(Page.text)
            .where((Page.document == doc["id"]) & (Page.number == row["page"]))
            .first()
        )
        text = split_around(page["text"] if page else "", row["line"] or "")
    data = row["data"] if isinstance(row["data"], dict) else {}
    unit = row["unit"] if "unit" in (row["corrected"] or {}) else data.get("unit") or row["unit"]
    value = " ".join(str(v) for v in (row["value_text"], unit) if v)  # as printed
    return Cited(
        sources=await _same(row),
        id=row["id"],
        kind=row["kind"],
        name=row["name"] or "",
        value=value,
        status=row["status"],
        page=row["page"],
        boxes=tuple(thousandths(b) for b in row["boxes"] or [] if _is_box(b)),
        line=row["line"] or "",
        locator=row["locator"] or "",
        text=text,
    )


def thousandths(box: list[float]) -> dict[str, float]:
    """A box in fractions of the page as an SVG rect in thousandths, clamped to the page."""
    x0, y0, x1, y1 = (max(0.0, min(1.0, float(v))) for v in box[:4])
    return {
        "x": round(x0 * 1000, 1),
        "y": round(y0 * 1000, 1),
        "w": round(max(0.0, x1 - x0) * 1000, 1),
        "h": round(max(0.0, y1 - y0) * 1000, 1),
    }


def split_around(text: str, line: str) -> tuple[str, str, str] | None:
    """`text` as (before, the cited line, after), finding the line despite spacing changes."""
    wanted = line.strip()
    if not wanted or not text:
        return None
    at = text.find(wanted)
    if at >= 0:
        return text[:at], wanted, text[at + len(wanted) :]
    first = wanted.splitlines()[0].split()
    for n, candidate in enumerate(text.splitlines(keepends=True)):
        if first and candidate.split() == first:
            start = sum(len(x) for x in text.splitlines(keepends=True)[:n])
            end = start + len(candidate.rstrip("\n"))
            return text[:start], text[start:end], text[end:]
    return None


def _is_box(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) >= 4
        and all(isinstance(v, int | float) for v in value[:4])
    )


async def _same(row: Mapping[str, Any]) -> tuple[tuple[int, int, str, int | None], ...]:
    """The other sources of the result the fact is one of (none when it stands alone)."""
    shown = row.get("same_as") or row["id"]
    others = (
        await Fact.select(
            Fact.id, Fact.document, Fact.page, Fact.document.original_name.as_alias("doc_name")
        )
        .where(
            ((Fact.id == shown) | (Fact.same_as == shown))
            & (Fact.id != row["id"])
            & (Fact.profile == row["profile"])
            & (Fact.status != REJECTED)
            & Fact.document.is_not_null()
        )
        .order_by(Fact.id)
    )
    if row.get("same_as") is None and not others:
        return ()
    return tuple((r["id"], r["document"], r["doc_name"] or "", r["page"]) for r in others)
