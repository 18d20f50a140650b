"""The embedded default: a Tantivy index of pages in `<data dir>/search/`."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import tantivy

from server.search.backends import tantivy_index as ti
from server.search.backends.tantivy_index import (
    FACET_AGGS,
    acquire_writer,
    from_ymd,
    generation,
    guarded,
    open_index,
    schema,
    ymd,
)
from server.search.contract import (
    EMPTY,
    Filters,
    Hit,
    Results,
    SearchBackend,
    SearchDoc,
    SearchError,
    Sort,
)
from server.search.snippets import pattern, snippet
from server.search.text import fold, parse
from server.search.vocab import PREFIX_EXPANSIONS, VocabularyCache

NAME_BOOST = 0.5
SMALL_HEAP = 20_000_000
BULK_HEAP = 128_000_000


class TantivyBackend(SearchBackend):
    """Pages in a Tantivy index; writers are short-lived so other processes can write too."""

    name = "tantivy"

    def __init__(self, path: Path, *, lock_timeout: float = 60.0) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.schema = schema()
        self._write_lock = threading.Lock()
        self._tindex, self.needs_rebuild = open_index(path, self.schema)
        self._vocab = VocabularyCache(self._load_vocab)

    # --- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _writer(self, heap: int = SMALL_HEAP, threads: int = 1) -> Iterator[Any]:
        with self._write_lock:
            writer = acquire_writer(self._tindex, heap, threads, self.lock_timeout)
            try:
                yield writer
                writer.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    writer.rollback()
                raise
            finally:
                # Waiting lets merges finish (or tiny segments pile up) and releases the lock.
                writer.wait_merging_threads()
            self._tindex.reload()
            self._vocab.invalidate()

    def _add(self, writer: Any, doc: SearchDoc) -> None:
        pages = doc.pages or ()
        for i, page in enumerate(pages or [None]):
            d = tantivy.Document()
            d.add_integer("doc_id", doc.doc_id)
            d.add_integer("page", page.number if page else 0)
            d.add_integer("profile", doc.profile)
            d.add_integer("year", doc.date.year)
            d.add_integer("date", ymd(doc.date))
            d.add_integer("stamp", doc.stamp)
            d.add_integer("first", 1 if i == 0 else 0)
            d.add_text("doc_type", doc.doc_type)
            d.add_text("name", doc.name)
            d.add_text("text", page.text if page else "")
            writer.add_document(d)

    @guarded
    def index(self, docs: Iterable[SearchDoc]) -> int:
        n = 0
        with self._writer() as writer:
            for doc in docs:
                writer.delete_documents_by_term("doc_id", doc.doc_id)
                self._add(writer, doc)
                n += 1
        return n

    @guarded
    def remove(self, doc_ids: Iterable[int]) -> None:
        with self._writer() as writer:
            for doc_id in doc_ids:
                writer.delete_documents_by_term("doc_id", doc_id)

    @guarded
    def rebuild(
        self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None
    ) -> int:
        n = 0
        # One commit at the end: searches see the old index until the new one is complete.
        with self._writer(BULK_HEAP, 2) as writer:
            writer.delete_all_documents()
            for doc in docs:
                self._add(writer, doc)
                n += 1
                if progress and n % 100 == 0:
                    progress(n)
        if progress:
            progress(n)
        self.needs_rebuild = False
        return n

    # --- reading -------------------------------------------------------------------------
    @guarded
    def count(self) -> int:
        query = tantivy.Query.term_query(self.schema, "first", 1)
        return ti.count(self._tindex.searcher().search(query, 1))

    @guarded
    def stamps(self) -> dict[int, tuple[int, int]]:
        searcher = self._tindex.searcher()
        query = tantivy.Query.term_query(self.schema, "first", 1)
        total = ti.count(searcher.search(query, 1))
        if not total:
            return {}
        hits = [addr for _, addr in searcher.search(query, total, count=False).hits]
        ids, profiles, stamps = (
            searcher.fast_field_values(f, hits) for f in ("doc_id", "profile", "stamp")
        )
        return {
            int(i or 0): (int(p or 0), int(s or 0))
            for i, p, s in zip(ids, profiles, stamps, strict=True)
        }

    def _load_vocab(self) -> tuple[list[tuple[str, int]], int, object]:
        searcher = self._tindex.searcher()
        return searcher.terms_with_prefix("text", ""), searcher.num_docs, generation(searcher)

    @guarded
    def _suggest(self, prefix: str, scope: frozenset[int], limit: int) -> list[str]:
        searcher = self._tindex.searcher()
        found = searcher.terms_with_prefix(
            "text", fold(prefix), filter_query=self._scope(scope), limit=limit
        )
        return [word for word, _ in found]

    def _scope(self, scope: frozenset[int]) -> tantivy.Query:
        return tantivy.Query.term_set_query(self.schema, "profile", sorted(scope))

    @guarded
    def _query(
        self, q: str, scope: frozenset[int], filters: Filters, sort: Sort, page: int, per_page: int
    ) -> Results:
        parsed = parse(q)
        if parsed.empty:
            return Results([], 0, EMPTY, page, per_page)
        searcher = self._tindex.searcher()
        vocab = self._vocab.get(generation(searcher))

        def prefixed(word: str) -> list[tuple[str, int]]:
            found = searcher.terms_with_prefix("text", word, limit=PREFIX_EXPANSIONS)
            return [(w, n) for w, n in found if w != word]

        groups = [vocab.expand(t, prefixed) for t in parsed.terms]
        found_words = pattern({w for g in groups for w in g}, parsed.phrases)
        required = [self._group(t.word, g) for t, g in zip(parsed.terms, groups, strict=True)]
        required += [
            tantivy.Query.phrase_query(self.schema, "text", list(p)) for p in parsed.phrases
        ]
        filters_q = [self._scope(scope), *self._filters(filters)]
        query = self._combine(required, filters_q, all_required=True)
        order: dict[str, Any] = {}
        if sort == "date":
            order = {"order_by_field": "date", "order": tantivy.Order.Desc}
        offset = (page - 1) * per_page
        try:
            found = searcher.search(query, per_page, offset=offset, **order)
            if not ti.count(found) and len(required) > 1:
                # No page has every word: rank pages by how many they have.
                query = self._combine(required, filters_q, all_required=False)
                found = searcher.search(query, per_page, offset=offset, **order)
            facets = ti.facets(searcher.aggregate(query, FACET_AGGS)) if ti.count(found) else EMPTY
            hits = [self._hit(searcher, key, addr, found_words, sort) for key, addr in found.hits]
        except ValueError as exc:
            raise SearchError(f"The search index could not answer: {exc}") from exc
        return Results(hits, ti.count(found), facets, page, per_page)

    def _group(self, word: str, expansions: dict[str, float]) -> tantivy.Query:
        q = tantivy.Query
        shoulds = [
            (tantivy.Occur.Should, q.boost_query(q.term_query(self.schema, "text", w), b))
            for w, b in expansions.items()
        ]
        name = q.boost_query(q.term_query(self.schema, "name", word), NAME_BOOST)
        return q.boolean_query([*shoulds, (tantivy.Occur.Should, name)])

    def _filters(self, filters: Filters) -> list[tantivy.Query]:
        out = []
        if filters.doc_type is not None:
            out.append(tantivy.Query.term_query(self.schema, "doc_type", filters.doc_type))
        if filters.year is not None:
            out.append(tantivy.Query.term_query(self.schema, "year", filters.year))
        return out

    def _combine(
        self, required: list[tantivy.Query], filters: list[tantivy.Query], *, all_required: bool
    ) -> tantivy.Query:
        occur = tantivy.Occur.Must if all_required else tantivy.Occur.Should
        # Filters restrict without scoring; the profile filter is one of them, always.
        clauses = [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
        clauses += [(occur, r) for r in required]
        return tantivy.Query.boolean_query(clauses, None if all_required else 1)

    def _hit(
        self, searcher: Any, key: Any, addr: Any, found: re.Pattern[str] | None, sort: Sort
    ) -> Hit:
        stored = searcher.doc(addr)
        text = stored.get_first("text") or ""
        marked, terms = snippet(text, found)
        day = int(stored.get_first("date"))
        return Hit(
            doc_id=int(stored.get_first("doc_id")),
            page=int(stored.get_first("page")),
            name=stored.get_first("name") or "",
            profile=int(stored.get_first("profile")),
            doc_type=stored.get_first("doc_type") or "",
            date=from_ymd(day),
            score=float(key) if sort == "relevance" else 0.0,
            snippet=marked,
            terms=terms,
        )

    def close(self) -> None:
        self._vocab.invalidate()
