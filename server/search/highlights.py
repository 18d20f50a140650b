"""Where the words of a search are on a document's pages, as boxes to draw over them."""

from __future__ import annotations

from typing import Any

from server.access.policy import AccessDenied, Caller
from server.db.tables import Page
from server.search.text import Parsed, parse, tokens


async def highlights(
    caller: Caller, doc: dict[str, Any], q: str | None
) -> dict[int, list[dict[str, float]]]:
    """Boxes (in thousandths of the page) of the words on each page of `doc` that match `q`."""
    if not caller.may("view", doc["profile"]):
        raise AccessDenied("No such document.", 404)
    parsed = parse(q[:200]) if q and q.strip() else None
    if parsed is None or parsed.empty:
        return {}
    pages = (
        await Page.select(Page.number, Page.words)
        .where(Page.document == doc["id"])
        .output(load_json=True)
    )
    out: dict[int, list[dict[str, float]]] = {}
    for p in pages:
        boxes = [_box(w) for w in _matching_words(parsed, p["words"] or [])]
        if boxes:
            out[p["number"]] = boxes
    return out


def _matching_words(parsed: Parsed, words: list[list[Any]]) -> list[list[Any]]:
    flat = [(i, t) for i, w in enumerate(words) for t in tokens(str(w[0]))]
    weights = {tok: parsed.weight(tok) for tok in {t for _, t in flat}}
    hit = {i for i, tok in flat if weights[tok] > 0}
    for phrase in parsed.phrases:
        n = len(phrase)
        for k in range(len(flat) - n + 1):
            if tuple(t for _, t in flat[k : k + n]) == phrase:
                hit.update(i for i, _ in flat[k : k + n])
    return [words[i] for i in sorted(hit)]


def _box(word: list[Any]) -> dict[str, float]:
    x0, y0, x1, y1 = (max(0.0, min(1.0, float(v))) for v in word[1:5])
    return {
        "x": round(x0 * 1000, 1),
        "y": round(y0 * 1000, 1),
        "w": round(max(0.0, x1 - x0) * 1000, 1),
        "h": round(max(0.0, y1 - y0) * 1000, 1),
    }
