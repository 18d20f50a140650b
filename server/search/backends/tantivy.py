"""The embedded default: Tantivy indexes of pages in `<data dir>/search/`, one per profile.

One index per profile keeps relevance private: BM25's document frequencies and average page
length, and the typo/prefix expansion weights, come from the profile's own pages, so a caller's
scores say nothing about words in records they may not see. A search over several profiles
asks each profile's index and merges the pages by score (or date).
"""

from __future__ import annotations

import contextlib
import heapq
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from server.search.backends import tantivy_index as ti
from server.search.backends.tantivy_index import (
    FACET_AGGS,
    Shard,
    acquire_writer,
    create_shard,
    from_ymd,
    generation,
    guarded,
    live_terms,
    open_layout,
    schema,
    shard_path,
    shard_profiles,
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
from server.search.text import Parsed, fold, parse
from server.search.vocab import PREFIX_EXPANSIONS

NAME_BOOST = 0.5
SMALL_HEAP = 20_000_000
# Rebuilding keeps a writer open per profile: a smaller heap each (tantivy needs >= 15 MB).
BULK_HEAP = 32_000_000


@dataclass
class _Asked:
    """One profile's part of a search: its searcher, its query words and what it found."""

    shard: Shard
    searcher: Any
    required: list[tantivy.Query]
    filters: list[tantivy.Query]
    words: set[str]  # the indexed words the query terms expanded to
    found: Any = None


class TantivyBackend(SearchBackend):
    """Pages in per-profile Tantivy indexes; writers are short-lived so other processes can
    write too."""

    name = "tantivy"

    def __init__(self, path: Path, *, lock_timeout: float = 60.0) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.schema = schema()
        self._write_lock = threading.Lock()
        self._open_lock = threading.Lock()
        self._shards: dict[int, Shard] = {}
        self.needs_rebuild = open_layout(path)
        if any(s.damaged for s in self._all()):
            # A damaged profile index is thrown away with the rest, and all of it rebuilt.
            self._shards.clear()
            open_layout(path, fresh=True)
            self.needs_rebuild = True

    def _shard(self, profile: int, *, create: bool = False) -> Shard | None:
        """The index of `profile`, or None if it has none (and `create` is false)."""
        shard = self._shards.get(profile)
        if shard is not None:
            return shard
        with self._open_lock:
            shard = self._shards.get(profile)
            if shard is None:
                where = shard_path(self.path, profile)
                if not where.exists():
                    if not create:
                        return None
                    create_shard(where, self.schema)
                shard = self._shards[profile] = Shard(profile, where, self.schema)
            return shard

    def _all(self) -> list[Shard]:
        return [s for p in shard_profiles(self.path) if (s := self._shard(p)) is not None]

    # --- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _writers(self, heap: int = SMALL_HEAP, threads: int = 1) -> Iterator[Callable[[int], Any]]:
        """A writer per profile, opened on first use; all committed together at the end."""
        with self._write_lock:
            opened: dict[int, Any] = {}

            def writer(profile: int) -> Any:
                if profile not in opened:
                    shard = self._shard(profile, create=True)
                    assert shard is not None
                    opened[profile] = acquire_writer(shard.index, heap, threads, self.lock_timeout)
                return opened[profile]

            try:
                yield writer
                for w in opened.values():
                    w.commit()
            except BaseException:
                for w in opened.values():
                    with contextlib.suppress(Exception):
                        w.rollback()
                raise
            finally:
                # Waiting lets merges finish (or tiny segments pile up) and releases the lock.
                for w in opened.values():
                    w.wait_merging_threads()
                for profile in opened:
                    self._shards[profile].reload()

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

    def _holders(self, doc_ids: set[int]) -> dict[int, list[int]]:
        """Which profiles' indexes hold these documents now (a document may have moved)."""
        out: dict[int, list[int]] = {}
        if not doc_ids:
            return out
        query = tantivy.Query.term_set_query(self.schema, "doc_id", sorted(doc_ids))
        for shard in self._all():
            searcher = shard.searcher()
            total = ti.count(searcher.search(query, 1))
            if total:
                hits = [a for _, a in searcher.search(query, total, count=False).hits]
                found = {int(i or 0) for i in searcher.fast_field_values("doc_id", hits)}
                out[shard.profile] = sorted(found)
        return out

    @guarded
    def index(self, docs: Iterable[SearchDoc]) -> int:
        docs = list(docs)
        with self._writers() as writer:
            for profile, ids in self._holders({d.doc_id for d in docs}).items():
                for doc_id in ids:
                    writer(profile).delete_documents_by_term("doc_id", doc_id)
            for doc in docs:
                self._add(writer(doc.profile), doc)
        return len(docs)

    @guarded
    def remove(self, doc_ids: Iterable[int]) -> None:
        with self._writers() as writer:
            for profile, ids in self._holders(set(doc_ids)).items():
                for doc_id in ids:
                    writer(profile).delete_documents_by_term("doc_id", doc_id)

    @guarded
    def rebuild(
        self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None
    ) -> int:
        n = 0
        # One commit at the end: searches see the old index until the new one is complete.
        with self._writers(BULK_HEAP) as writer:
            for shard in self._all():
                writer(shard.profile).delete_all_documents()
            for doc in docs:
                self._add(writer(doc.profile), doc)
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
        return sum(ti.count(s.searcher().search(query, 1)) for s in self._all())

    @guarded
    def stamps(self) -> dict[int, tuple[int, int]]:
        out: dict[int, tuple[int, int]] = {}
        query = tantivy.Query.term_query(self.schema, "first", 1)
        for shard in self._all():
            searcher = shard.searcher()
            total = ti.count(searcher.search(query, 1))
            if not total:
                continue
            hits = [addr for _, addr in searcher.search(query, total, count=False).hits]
            ids, profiles, stamps = (
                searcher.fast_field_values(f, hits) for f in ("doc_id", "profile", "stamp")
            )
            for i, p, s in zip(ids, profiles, stamps, strict=True):
                out[int(i or 0)] = (int(p or 0), int(s or 0))
        return out

    def _scoped(self, scope: frozenset[int]) -> list[Shard]:
        return [s for p in sorted(scope) if (s := self._shard(p)) is not None]

    @guarded
    def _suggest(self, prefix: str, scope: frozenset[int], limit: int) -> list[str]:
        counts: dict[str, int] = {}
        for shard in self._scoped(scope):
            for word, n in live_terms(shard.searcher(), fold(prefix), limit):
                counts[word] = counts.get(word, 0) + n
        return sorted(counts, key=lambda w: (-counts[w], w))[:limit]

    def _ask(self, shard: Shard, parsed: Parsed, filters: Filters) -> _Asked:
        searcher = shard.searcher()
        vocab = shard.vocab.get(generation(searcher))

        def prefixed(word: str) -> list[tuple[str, int]]:
            found = live_terms(searcher, word, PREFIX_EXPANSIONS)
            return [(w, n) for w, n in found if w != word]

        groups = [vocab.expand(t, prefixed) for t in parsed.terms]
        required = [self._group(t.word, g) for t, g in zip(parsed.terms, groups, strict=True)]
        required += [
            tantivy.Query.phrase_query(self.schema, "text", list(p)) for p in parsed.phrases
        ]
        words = {w for g in groups for w in g}
        return _Asked(shard, searcher, required, self._filters(filters), words)

    @guarded
    def _query(
        self, q: str, scope: frozenset[int], filters: Filters, sort: Sort, page: int, per_page: int
    ) -> Results:
        parsed = parse(q)
        shards = self._scoped(scope)
        if parsed.empty or not shards:
            return Results([], 0, EMPTY, page, per_page)
        asked = [self._ask(shard, parsed, filters) for shard in shards]
        order: dict[str, Any] = {}
        if sort == "date":
            order = {"order_by_field": "date", "order": tantivy.Order.Desc}
        want = page * per_page  # every profile's best `want`, merged, hold the page asked for
        try:
            total = self._search(asked, want, order, all_required=True)
            if not total and len(asked[0].required) > 1:
                # No page has every word: rank pages by how many they have.
                total = self._search(asked, want, order, all_required=False)
            facets = ti.merged_facets(
                [
                    ti.facets(a.searcher.aggregate(a.found[0], FACET_AGGS))
                    for a in asked
                    if ti.count(a.found[1])
                ]
            )
            best = heapq.merge(
                *(
                    [(-float(key), n, i, addr) for i, (key, addr) in enumerate(a.found[1].hits)]
                    for n, a in enumerate(asked)
                )
            )
            chosen = list(best)[(page - 1) * per_page : want]
            # One pattern for the page: every word is one the caller's own profiles hold.
            found_words = pattern(set().union(*(a.words for a in asked)), parsed.phrases)
            hits = [
                self._hit(asked[n].searcher, -key, addr, found_words, sort)
                for key, n, _, addr in chosen
            ]
        except ValueError as exc:
            raise SearchError(f"The search index could not answer: {exc}") from exc
        return Results(hits, total, facets if total else EMPTY, page, per_page)

    def _search(
        self, asked: list[_Asked], want: int, order: dict[str, Any], *, all_required: bool
    ) -> int:
        total = 0
        for a in asked:
            query = self._combine(a.required, a.filters, all_required=all_required)
            a.found = (query, a.searcher.search(query, want, **order))
            total += ti.count(a.found[1])
        return total

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
        # Filters restrict without scoring (the profile is the index itself).
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
        for shard in list(self._shards.values()):
            shard.vocab.invalidate()
