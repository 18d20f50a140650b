"""The embedded index: damaged or old indexes, the writer lock shared between processes."""

from __future__ import annotations

import json
import shutil
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import tantivy

from server.search.backends.tantivy import TantivyBackend
from server.search.backends.tantivy_index import LAYOUT, MARKER, analyzer, schema, shard_path
from server.search.contract import SearchError
from server.search.text import tokens
from tests.fixtures.search_docs import DAD, doc, household

pytestmark = pytest.mark.nodb
DADS = frozenset({DAD})


def test_a_new_index_says_it_needs_building(tmp_path: Path) -> None:
    fresh = TantivyBackend(tmp_path / "search")
    assert fresh.needs_rebuild and fresh.count() == 0
    fresh.index(household())
    again = TantivyBackend(tmp_path / "search")
    assert not again.needs_rebuild and again.count() == 7


@pytest.mark.parametrize(
    "damage",
    ["meta", "segments", "store", "marker", "old-version", "layout", "old-layout", "one-index"],
)
def test_a_damaged_or_old_index_is_replaced_not_fatal(tmp_path: Path, damage: str) -> None:
    top = tmp_path / "search"
    TantivyBackend(top).index(household())
    path = shard_path(top, DAD)
    if damage == "layout":
        (top / LAYOUT).write_bytes(b"\x00garbage")
    elif damage == "old-layout":
        (top / LAYOUT).write_text(json.dumps({"version": 1}))
    elif damage == "one-index":  # layout 1: one index for every profile, at the top
        shutil.rmtree(top)
        top.mkdir()
        tantivy.Index(schema(), str(top))
        (top / MARKER).write_text(json.dumps({"version": 1}))
    elif damage == "meta":
        (path / "meta.json").write_text("{not json")
    elif damage == "segments":
        for f in path.glob("*.idx"):
            f.unlink()
    elif damage == "store":
        for f in path.glob("*.store"):
            f.write_bytes(b"junk")
    elif damage == "marker":
        (path / MARKER).unlink()
    else:
        (path / MARKER).write_text(json.dumps({"version": 0}))
    reopened = TantivyBackend(top)
    assert reopened.needs_rebuild and reopened.count() == 0
    reopened.index(household())
    assert reopened.query("metformin", profiles=DADS).total == 1


def test_the_analyzer_and_the_python_tokenizer_agree() -> None:
    text = "HbA1c 7.2% Größe naïve co-pay under_score Ünïcødé 1/l/I rn m " + "x" * 45
    assert analyzer().analyze(text) == tokens(text)


def test_writers_wait_for_another_process_holding_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "search"
    backend = TantivyBackend(path, lock_timeout=0.3)
    backend.index(household()[:1])
    other = tantivy.Index.open(
        str(shard_path(path, DAD))
    )  # stands in for `kinchart ingest` in another process
    writer = other.writer(15_000_000, 1)
    with pytest.raises(SearchError, match="busy"):
        backend.index(household()[:1])
    patient = TantivyBackend(path, lock_timeout=30)
    threading.Timer(0.5, writer.wait_merging_threads).start()  # releases the lock
    started = time.monotonic()
    assert patient.index(household()[:1]) == 1
    assert time.monotonic() - started >= 0.3
    backend._shards[DAD].reload()
    assert backend.count() == 1


def test_new_words_are_found_with_typos_at_once(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path / "search")
    backend.index(household())
    assert backend.query("levothyroxin", profiles=DADS).total == 0  # builds the vocabulary
    backend.index([doc(30, DAD, "medication", date(2024, 4, 4), "Levothyroxine 50 mcg daily")])
    assert [h.doc_id for h in backend.query("levothyroxin", profiles=DADS).hits] == [30]
    assert [h.doc_id for h in backend.query("levothyroxnie", profiles=DADS).hits] == [30]


def test_damage_after_opening_is_a_search_error(tmp_path: Path) -> None:
    path = tmp_path / "search"
    backend = TantivyBackend(path)
    backend.index(household())
    for f in shard_path(path, DAD).glob("*.store"):
        f.write_bytes(b"junk" * 100)
    with pytest.raises(SearchError):
        backend.query("cholesterol", profiles=DADS)
