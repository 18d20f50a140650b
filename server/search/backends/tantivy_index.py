"""Tantivy plumbing: the schema, opening (and replacing a damaged index), writers, errors."""

from __future__ import annotations

import functools
import json
import logging
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import tantivy

from server.search.contract import Facets, SearchError
from server.search.text import MAX_TOKEN_BYTES

log = logging.getLogger(__name__)

VERSION = 1  # bump when the schema or tokenizer changes: the index is then rebuilt
MARKER = "kinchart-index.json"
TOKENIZER = "kinchart"
INT_FIELDS = ("doc_id", "page", "profile", "year", "date", "stamp", "first")
FACET_AGGS = {
    "profile": {"terms": {"field": "profile", "size": 200}},
    "doc_type": {"terms": {"field": "doc_type", "size": 50}},
    "year": {"terms": {"field": "year", "size": 200}},
}
P = ParamSpec("P")
R = TypeVar("R")


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    for name in INT_FIELDS:
        b.add_integer_field(name, stored=True, indexed=name != "date", fast=True)
    b.add_text_field("doc_type", stored=True, fast=True, tokenizer_name="raw")
    b.add_text_field("name", stored=True, tokenizer_name=TOKENIZER)
    b.add_text_field("text", stored=True, tokenizer_name=TOKENIZER)
    return b.build()


def analyzer() -> tantivy.TextAnalyzer:
    # Matches server.search.text.spans(): split on non-alphanumerics, lowercase, fold accents.
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def open_index(path: Path, fields: tantivy.Schema) -> tuple[tantivy.Index, bool]:
    """The index at `path`, and whether it had to be created (missing, old or damaged)."""
    marker = path / MARKER
    for attempt in range(3):
        try:
            if json.loads(marker.read_text()).get("version") != VERSION:
                log.warning("search index at %s has an old format; rebuilding it", path)
                break
            return _checked(_load(path, fields)), False
        except FileNotFoundError:
            if not marker.exists():
                log.info("no search index at %s yet; building it", path)
                break
            problem: BaseException = FileNotFoundError(path)
        except BaseException as exc:  # tantivy reports a damaged index in many ways
            if not failure(exc):
                raise
            problem = exc
        if attempt < 2:
            # Another process may be committing (old segment files go away): look again.
            time.sleep(0.2)
            continue
        log.warning("search index at %s is unreadable (%r); rebuilding it", path, problem)
    # The index is a projection of the database: a broken one is thrown away, not repaired.
    shutil.rmtree(path, ignore_errors=True)
    index = _load(path, fields)
    marker.write_text(json.dumps({"version": VERSION}))
    return index, True


def _checked(index: tantivy.Index) -> tantivy.Index:
    searcher = index.searcher()
    for _, addr in searcher.search(tantivy.Query.all_query(), 1).hits:
        searcher.doc(addr)  # opens every segment and reads the document store
    return index


def _load(path: Path, fields: tantivy.Schema) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(fields, str(path), reuse=True)
    index.register_tokenizer(TOKENIZER, analyzer())
    index.reload()
    return index


def acquire_writer(index: tantivy.Index, heap: int, threads: int, timeout: float) -> Any:
    """A writer, waiting while another process (`kinchart ingest`, `reindex`) holds the lock."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return index.writer(heap, threads)
        except ValueError as exc:
            if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                raise SearchError(f"The search index is busy or unwritable: {exc}") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def guarded(fn: Callable[P, R]) -> Callable[P, R]:
    """Report tantivy's failures, Rust panics included, as SearchError."""

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SearchError:
            raise
        except BaseException as exc:
            if not failure(exc):
                raise
            raise SearchError(
                f"The search index failed ({exc!r}); try `kinchart reindex`."
            ) from exc

    return call


def failure(exc: BaseException) -> bool:
    """An error to report, not to pass through: tantivy's Rust panics are BaseExceptions."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def facets(agg: dict[str, Any]) -> Facets:
    def buckets(name: str) -> dict[Any, int]:
        return {b["key"]: int(b["doc_count"]) for b in agg.get(name, {}).get("buckets", [])}

    return Facets(
        profile={int(k): v for k, v in buckets("profile").items()},
        doc_type={str(k): v for k, v in buckets("doc_type").items()},
        year={int(k): v for k, v in buckets("year").items()},
    )


def count(result: Any) -> int:
    # `count` is there when searching with count=True; tantivy's type stubs leave it out.
    return int(getattr(result, "count", 0) or 0)


def generation(searcher: Any) -> tuple[int, int]:
    """Changes when commits change the index (ours or another process's)."""
    return (searcher.num_docs, searcher.num_segments)


def ymd(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def from_ymd(n: int) -> date:
    return date(n // 10000, n // 100 % 100, n % 100)
