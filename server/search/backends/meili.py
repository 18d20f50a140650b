"""Meilisearch, for households that outgrow the embedded index (KINCHART_MEILI_URL).

Queries are sent as skeletons (OCR look-alikes made equal, see `text.skeleton`) and match the
text as printed or its skeleton, so "A1c" finds "Alc"; the printed text is the first searchable
attribute, so an exact spelling still ranks above a look-alike. Meilisearch adds its own typo
tolerance and prefix search. The profile filter is part of every search request, never applied
afterwards.

Ranking stays private without an index per profile: Meilisearch ranks by bucket sort on each
page's own matches (words, typo, proximity, attribute, exactness), with no collection statistics
such as BM25's document frequencies, and the filter is the universe its ranking rules (and
`matchingStrategy: last`) work on. What remains index-wide is the word dictionary its typo and
prefix derivations are drawn from, capped at 150 one-typo, 50 two-typo and 1,000 prefix words:
only a profile holding that many look-alikes of a word could push a visible page out of a
typo or prefix match.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

import meilisearch
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchError,
    MeilisearchTimeoutError,
)

from server.search.contract import (
    Facets,
    Filters,
    Hit,
    Results,
    SearchBackend,
    SearchDoc,
    SearchError,
    Sort,
)
from server.search.snippets import folded, pattern, snippet, words_matching
from server.search.text import TOKEN, fold, parse, skeleton, tokens

INDEX = "kinchart_pages"
BATCH = 1000
WAIT_MS = 60_000
SETTINGS: dict[str, Any] = {
    "searchableAttributes": ["text", "name", "ocr", "name_ocr"],
    "filterableAttributes": ["profile", "doc_type", "year", "doc_id", "first"],
    "sortableAttributes": ["date"],
    # "sort" first: with a sort asked for, dates order the hits strictly.
    "rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}},
    "pagination": {"maxTotalHits": 100_000},
    "faceting": {"maxValuesPerFacet": 200},
}
RETRIEVE = ["doc_id", "page", "name", "profile", "doc_type", "date", "text"]


def ocr_text(text: str) -> str:
    """The words of `text` as skeletons (numbers stay exact)."""
    return " ".join(w if w.isdigit() else skeleton(w) for w in tokens(text))


@contextlib.contextmanager
def _errors(what: str) -> Iterator[None]:
    try:
        yield
    except (MeilisearchApiError, MeilisearchCommunicationError, MeilisearchTimeoutError) as exc:
        raise SearchError(f"Meilisearch could not {what}: {exc}") from exc
    except MeilisearchError as exc:
        raise SearchError(f"Meilisearch could not {what}: {exc}") from exc


class MeiliBackend(SearchBackend):
    """Pages in one Meilisearch index; the server need not be up when Kinchart starts."""

    name = "meilisearch"

    def __init__(self, url: str, key: str = "", *, index_uid: str = INDEX) -> None:
        self.url = url
        self.client = meilisearch.Client(url, key or None, timeout=10)
        self.uid = index_uid
        self.idx = self.client.index(index_uid)
        self._ready = False

    def _ensure(self) -> None:
        if self._ready:
            return
        with _errors("set up its index"):
            try:
                self.client.get_index(self.uid)
            except MeilisearchApiError as exc:
                if exc.code != "index_not_found":
                    raise
                self._wait(self.client.create_index(self.uid, {"primaryKey": "id"}).task_uid)
                self.needs_rebuild = True
            self._wait(self.idx.update_settings(dict(SETTINGS)).task_uid)
        self._ready = True

    def _wait(self, task_uid: int) -> None:
        task = self.client.wait_for_task(task_uid, timeout_in_ms=WAIT_MS, interval_in_ms=20)
        if task.status != "succeeded":
            raise SearchError(f"Meilisearch task {task_uid} {task.status}: {task.error}")

    # --- writing -------------------------------------------------------------------------
    @staticmethod
    def _pages(doc: SearchDoc) -> list[dict[str, Any]]:
        pages = doc.pages or ()
        out = []
        for i, page in enumerate(pages or [None]):
            number = page.number if page else 0
            text = page.text if page else ""
            out.append(
                {
                    "id": f"{doc.doc_id}-{number}",
                    "doc_id": doc.doc_id,
                    "page": number,
                    "profile": doc.profile,
                    "doc_type": doc.doc_type,
                    "year": doc.date.year,
                    "date": doc.date.year * 10000 + doc.date.month * 100 + doc.date.day,
                    "stamp": doc.stamp,
                    "first": 1 if i == 0 else 0,
                    "name": doc.name,
                    "name_ocr": ocr_text(doc.name),
                    "text": text,
                    "ocr": ocr_text(text),
                }
            )
        return out

    def _add(self, pages: list[dict[str, Any]]) -> int | None:
        last = None
        for i in range(0, len(pages), BATCH):
            last = self.idx.add_documents(pages[i : i + BATCH]).task_uid
        return last

    def index(self, docs: Iterable[SearchDoc]) -> int:
        docs = list(docs)
        if not docs:
            return 0
        self._ensure()
        with _errors("update the index"):
            # Tasks run in order: old pages go before the new ones arrive.
            self.idx.delete_documents(filter=_in("doc_id", [d.doc_id for d in docs]))
            last = self._add([p for d in docs for p in self._pages(d)])
            if last is not None:
                self._wait(last)
        return len(docs)

    def remove(self, doc_ids: Iterable[int]) -> None:
        ids = list(doc_ids)
        if ids:
            self._ensure()
            with _errors("remove documents"):
                self._wait(self.idx.delete_documents(filter=_in("doc_id", ids)).task_uid)

    def rebuild(
        self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None
    ) -> int:
        self._ensure()
        n, batch, last = 0, [], None
        with _errors("rebuild the index"):
            self.idx.delete_all_documents()
            for doc in docs:
                batch.extend(self._pages(doc))
                n += 1
                if len(batch) >= BATCH:
                    last = self._add(batch)
                    batch = []
                    if progress:
                        progress(n)
            last = self._add(batch) or last
            if last is not None:
                self._wait(last)
        if progress:
            progress(n)
        self.needs_rebuild = False
        return n

    def drop(self) -> None:
        """Delete the whole index (tests use a throwaway one each)."""
        with _errors("delete the index"):
            self._wait(self.client.delete_index(self.uid).task_uid)
        self._ready = False

    # --- reading -------------------------------------------------------------------------
    def count(self) -> int:
        self._ensure()
        with _errors("count documents"):
            found = self.idx.search("", {"filter": "first = 1", "hitsPerPage": 1, "page": 1})
        return int(found.get("totalHits", 0))

    def stamps(self) -> dict[int, tuple[int, int]]:
        self._ensure()
        out: dict[int, tuple[int, int]] = {}
        offset = 0
        with _errors("list documents"):
            while True:
                params = {"fields": ["doc_id", "profile", "stamp"], "filter": "first = 1"}
                found = self.idx.get_documents({**params, "limit": BATCH, "offset": offset})
                for d in found.results:
                    row = dict(d)
                    out[int(row["doc_id"])] = (int(row["profile"]), int(row["stamp"]))
                offset += BATCH
                if offset >= found.total:
                    return out

    def _suggest(self, prefix: str, scope: frozenset[int], limit: int) -> list[str]:
        self._ensure()
        start = fold(prefix)
        params = {"filter": _in("profile", scope), "limit": 30, "attributesToRetrieve": ["text"]}
        with _errors("suggest words"):
            found = self.idx.search(ocr_text(prefix), params)
        counts: Counter[str] = Counter()
        for hit in found.get("hits", []):
            words = set(TOKEN.findall(folded(hit.get("text", ""))))
            counts.update(w for w in words if w.startswith(start))
        return [w for w, _ in counts.most_common(limit)]

    def _query(
        self, q: str, scope: frozenset[int], filters: Filters, sort: Sort, page: int, per_page: int
    ) -> Results:
        parsed = parse(q)
        if parsed.empty:
            return Results([], 0, Facets(), page, per_page)
        self._ensure()
        words = [w if w.isdigit() else skeleton(w) for w in (t.word for t in parsed.terms)]
        phrases = ['"' + " ".join(skeleton(w) for w in p) + '"' for p in parsed.phrases]
        typing = any(t.prefix for t in parsed.terms)
        # Meilisearch treats the last word as a prefix; a trailing space says it is complete.
        text_q = " ".join(phrases + words) + ("" if typing and words else " ")
        params: dict[str, Any] = {
            "filter": _filter(scope, filters),
            "facets": ["profile", "doc_type", "year"],
            "page": page,
            "hitsPerPage": per_page,
            "attributesToRetrieve": RETRIEVE,
            "showRankingScore": True,
            "matchingStrategy": "last",
        }
        if sort == "date":
            params["sort"] = ["date:desc"]
        with _errors("search"):
            found = self.idx.search(text_q, params)
        weight = functools.lru_cache(maxsize=4096)(parsed.weight)
        hits = []
        for h in found.get("hits", []):
            text = h.get("text", "")
            marked, terms = snippet(text, pattern(words_matching(text, weight), parsed.phrases))
            ymd = int(h["date"])
            hits.append(
                Hit(
                    doc_id=int(h["doc_id"]),
                    page=int(h["page"]),
                    name=h.get("name", ""),
                    profile=int(h["profile"]),
                    doc_type=h.get("doc_type", ""),
                    date=date(ymd // 10000, ymd // 100 % 100, ymd % 100),
                    score=float(h.get("_rankingScore", 0.0)),
                    snippet=marked,
                    terms=terms,
                )
            )
        dist = found.get("facetDistribution", {})
        facets = Facets(
            profile={int(k): int(v) for k, v in dist.get("profile", {}).items()},
            doc_type={str(k): int(v) for k, v in dist.get("doc_type", {}).items()},
            year={int(k): int(v) for k, v in dist.get("year", {}).items()},
        )
        return Results(hits, int(found.get("totalHits", 0)), facets, page, per_page)


def _in(field: str, values: Iterable[int]) -> str:
    return f"{field} IN [{', '.join(str(int(v)) for v in sorted(values))}]"


def _filter(scope: frozenset[int], filters: Filters) -> str:
    parts = [_in("profile", scope)]
    if filters.doc_type is not None:
        parts.append(f"doc_type = {json.dumps(filters.doc_type)}")
    if filters.year is not None:
        parts.append(f"year = {int(filters.year)}")
    return " AND ".join(parts)
