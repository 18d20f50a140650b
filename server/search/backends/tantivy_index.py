"""Tantivy plumbing: the schema, one index per profile, opening (and replacing a damaged
index), writers, errors."""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import tantivy

from server.search.contract import Facets, SearchError
from server.search.text import MAX_TOKEN_BYTES
from server.search.vocab import VocabularyCache

log = logging.getLogger(__name__)

VERSION = 1  # bump when the schema or tokenizer changes: the index is then rebuilt
MARKER = "kinchart-index.json"
# The folder holds one index per profile (`profile-<id>/`); bump when that layout changes.
LAYOUT_VERSION = 2
LAYOUT = "kinchart-layout.json"
SHARD = "profile-"
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


def open_layout(path: Path, *, fresh: bool = False) -> bool:
    """Make `path` a folder of per-profile indexes; True when it had to start empty."""
    marker = path / LAYOUT
    try:
        if fresh:
            pass
        elif json.loads(marker.read_text()).get("version") == LAYOUT_VERSION:
            return False
        log.warning("search index at %s has an old layout; rebuilding it", path)
    except FileNotFoundError:
        if path.exists():
            # One index for every profile (layout 1) shared BM25 statistics between profiles.
            log.warning("search index at %s has an old layout; rebuilding it", path)
        else:
            log.info("no search index at %s yet; building it", path)
    except (OSError, ValueError) as exc:
        log.warning("search index at %s is unreadable (%r); rebuilding it", path, exc)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"version": LAYOUT_VERSION}))
    return True


def shard_path(path: Path, profile: int) -> Path:
    return path / f"{SHARD}{int(profile)}"


def shard_profiles(path: Path) -> list[int]:
    """The profiles that have an index under `path` (another process may have added some)."""
    try:
        names = [e.name for e in os.scandir(path) if e.is_dir()]
    except FileNotFoundError:
        return []
    return sorted(
        int(n[len(SHARD) :]) for n in names if n.startswith(SHARD) and n[len(SHARD) :].isdigit()
    )


def create_shard(where: Path, fields: tantivy.Schema) -> None:
    """An empty index at `where`, made aside and renamed in: readers never see it half made."""
    tmp = where.with_name(f".{where.name}.{os.getpid()}.{threading.get_ident()}")
    shutil.rmtree(tmp, ignore_errors=True)
    _load(tmp, fields)
    (tmp / MARKER).write_text(json.dumps({"version": VERSION}))
    try:
        os.rename(tmp, where)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another process made it first
        if not where.exists():
            raise


class Shard:
    """One profile's index: its BM25 statistics and vocabulary hold that profile's pages only.

    Scores and typo/prefix expansion weights are computed from these statistics, so what a
    caller's results look like depends on the profiles they may see and nothing else.
    """

    def __init__(self, profile: int, where: Path, fields: tantivy.Schema) -> None:
        self.profile = profile
        self.index, self.damaged = open_index(where, fields)
        self.vocab = VocabularyCache(self._load_vocab)

    def searcher(self) -> Any:
        return self.index.searcher()

    def reload(self) -> None:
        self.index.reload()
        self.vocab.invalidate()

    def _load_vocab(self) -> tuple[list[tuple[str, int]], int, object]:
        searcher = self.index.searcher()
        return live_terms(searcher, ""), searcher.num_docs, generation(searcher)


def live_terms(searcher: Any, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
    """Words starting with `prefix`, counted over live pages only: a deleted or moved page's
    words stay in the term dictionary until segments merge, and must not be suggested."""
    return list(
        searcher.terms_with_prefix(
            "text", prefix, filter_query=tantivy.Query.all_query(), limit=limit
        )
    )


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


def merged_facets(parts: list[Facets]) -> Facets:
    """Facets of several profiles' indexes added up."""
    profile: Counter[int] = Counter()
    doc_type: Counter[str] = Counter()
    year: Counter[int] = Counter()
    for part in parts:
        profile.update(part.profile)
        doc_type.update(part.doc_type)
        year.update(part.year)
    return Facets(dict(profile), dict(doc_type), dict(year))


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
