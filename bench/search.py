"""Search benchmark: 100,000 generated documents in the embedded Tantivy index.

Run: uv run python bench/search.py [--docs 100000] [--queries 300]

Prints the indexing rate and index size, then p50/p95/p99 latency of exact, typo and prefix
queries with a permission filter of 1-3 profiles, both inside the backend and through HTTP
(the htmx results partial of a real `kinchart serve` on 127.0.0.1, logged in, every middleware
and the database check of the hits), and the server's memory while it answers. Baselines from
the same run: a plain Tantivy term query with no filter, and /healthz over the same HTTP path.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import tantivy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_corpus import CONDITIONS, DRUGS, LABS, generate  # noqa: E402
from server.db.tables import Document, Grant, Profile, User  # noqa: E402
from server.facts import FACTS_VERSION  # noqa: E402
from server.runtime import running  # noqa: E402
from server.search import projection as sync  # noqa: E402
from server.search.backends.tantivy import TantivyBackend  # noqa: E402
from server.search.contract import SearchDoc  # noqa: E402
from server.settings import load_settings  # noqa: E402
from tests.fixtures.people import PASSWORD, password_hash  # noqa: E402
from tests.fixtures.procs import free_port  # noqa: E402

PROFILES = 6
UPDATED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
USERS = {"one": [1], "two": [1, 2], "three": [1, 2, 3]}  # permission filters of 1-3 profiles
TOTAL = re.compile(r'data-testid="search-total"><strong>(\d+)</strong>')


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def row(name: str, values: list[float], target: str = "") -> str:
    return (
        f"  {name:34s} p50 {pct(values, 50):6.2f}  p95 {pct(values, 95):6.2f}  "
        f"p99 {pct(values, 99):6.2f} ms  (n={len(values)}){target}"
    )


def _words() -> list[str]:
    words = {w.lower() for w in DRUGS}
    for name, *_ in LABS:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{5,}", name))
    for c in CONDITIONS:
        words.update(w for w in c.split() if len(w) >= 6)
    return sorted(words)


def _typo(word: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(word) - 2)
    kind = rnd.choice(["swap", "drop", "double"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def queries(n: int, seed: int = 3) -> dict[str, list[tuple[str, str]]]:
    """(query, user) pairs: exact words, typos of them, and the first letters of them."""
    rnd = random.Random(seed)
    words = _words()
    out: dict[str, list[tuple[str, str]]] = {"exact": [], "typo": [], "prefix": []}
    for _ in range(n):
        user = rnd.choice(list(USERS))
        word = rnd.choice(words)
        out["exact"].append((word + " ", user))  # a finished word
        out["typo"].append((_typo(word, rnd) + " ", user))
        out["prefix"].append((word[: rnd.randint(3, 5)], user))  # still typing
    return out


def _stamped(docs: Iterator[SearchDoc], counter: list[int]) -> Iterator[SearchDoc]:
    stamp = sync.stamp(UPDATED)  # as the database rows say, so the server has nothing to redo
    for doc in docs:
        counter[0] += len(doc.pages)
        yield dataclasses.replace(doc, stamp=stamp)


def build_index(path: Path, n: int) -> tuple[float, int]:
    backend = TantivyBackend(path)
    pages = [0]
    t0 = time.perf_counter()
    backend.rebuild(_stamped(generate(n, profiles=PROFILES), pages))
    seconds = time.perf_counter() - t0
    backend.close()
    return seconds, pages[0]


async def build_database(settings_env: dict[str, str], n: int) -> None:
    settings = load_settings(environ=settings_env, env_file=None)
    async with running(settings):
        for i in range(1, PROFILES + 1):
            await Profile.insert(Profile(slug=f"p{i}", display_name=f"Person {i}"))
        for name, grants in USERS.items():
            rows = await User.insert(
                User(username=name, display_name=name, password_hash=password_hash())
            ).returning(User.id)
            uid = rows[0]["id"]
            for pid in grants:
                await Grant.insert(Grant(key=f"{uid}:{pid}", user=uid, profile=pid, role="viewer"))
        await User.insert(User(username="admin", password_hash=password_hash(), is_admin=True))
        batch = []
        for i in range(1, n + 1):
            batch.append(
                Document(
                    sha256=f"{i:064x}",
                    original_name=f"document-{i}.pdf",
                    size=1000,
                    mime="application/pdf",
                    kind="pdf",
                    state="ready",
                    page_count=3,
                    profile=1 + i % PROFILES,
                    updated_at=UPDATED,
                    # Read by the current fact extractor: a server that found them unread would
                    # read them again, touch them, and re-index them from rows without pages.
                    facts_version=FACTS_VERSION,
                )
            )
            if len(batch) == 2000:
                await Document.insert(*batch)
                batch = []
        if batch:
            await Document.insert(*batch)


def backend_latency(path: Path, qs: dict[str, list[tuple[str, str]]]) -> dict[tuple[str, str], int]:
    """Prints the backend's latencies; returns the total it found for each (query, user)."""
    backend = TantivyBackend(path)
    totals: dict[tuple[str, str], int] = {}
    scopes = {u: frozenset(p) for u, p in USERS.items()}
    for q, user in queries(30, seed=99)["typo"]:  # a server in use has its files in memory
        backend.query(q, profiles=scopes[user])
    # Every profile's index, no filter: the same pages one unfiltered index would search.
    searchers = [s.searcher() for s in backend._all()]
    base = []
    for word, _ in qs["exact"]:
        term = tantivy.Query.term_query(backend.schema, "text", word.strip())
        t0 = time.perf_counter()
        for searcher in searchers:
            searcher.search(term, 20)
        base.append((time.perf_counter() - t0) * 1000)
    print("inside the backend (20 hits with snippets, total and facets):")
    print(row("baseline: term query, every index", base))
    for kind, items in qs.items():
        times, first = [], []
        seen: set[str] = set()
        for q, user in items:
            t0 = time.perf_counter()
            found = backend.query(q, profiles=scopes[user])
            ms = (time.perf_counter() - t0) * 1000
            totals[(q, user)] = found.total
            times.append(ms)
            if q not in seen:
                first.append(ms)
                seen.add(q)
        print(row(f"{kind}, 1-3 profiles", times))
        print(row(f"{kind}, first time each query", first))
    backend.close()
    return totals


def _login(client: httpx.Client, user: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    r = client.post(
        "/login", data={"username": user, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert r.status_code == 303, r.text[:300]


class RssSampler(threading.Thread):
    """The server's resident memory, sampled while the queries run."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.01)


def http_latency(
    env: dict[str, str],
    qs: dict[str, list[tuple[str, str]]],
    totals: dict[tuple[str, str], int],
) -> None:
    port = free_port()
    env = {**env, "KINCHART_PORT": str(port), "KINCHART_LOG_LEVEL": "warning"}
    log = open(Path(env["KINCHART_DATA_DIR"]) / "serve.log", "ab")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "server", "serve"], env=env, stdout=log, stderr=log
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: httpx.get(base_url + "/healthz", timeout=1).status_code == 200)
        # Its start-up catch-up with the database compares 100,000 documents: let it finish.
        proc = psutil.Process(server.pid)
        _wait(lambda: proc.cpu_percent(interval=0.5) < 5)
        clients = {}
        for user in USERS:
            clients[user] = httpx.Client(base_url=base_url, headers={"HX-Request": "true"})
            _login(clients[user], user)
        for q, user in queries(30, seed=99)["typo"]:  # warm: templates, the term dictionary
            assert clients[user].get("/search", params={"q": q}).status_code == 200, user
        sampler = RssSampler(server.pid)
        sampler.start()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"through HTTP (htmx results partial, `kinchart serve` on 127.0.0.1; load {load}):")
        floor, cpu = _timed(clients["one"], [("", "one")] * 200, "/healthz", proc)
        print(row("baseline: /healthz", floor, f"  server CPU {cpu:.1f} ms/request"))
        worst = 0.0
        answers: dict[tuple[str, str], int] = {}
        for kind, items in qs.items():
            times, cpu = _timed(clients, items, "/search", proc, answers)
            worst = max(worst, pct(times, 95))
            print(row(f"{kind}, 1-3 profiles", times, f"  server CPU {cpu:.1f} ms/request"))
        sampler.stop.set()
        sampler.join()
        _same_answers(totals, answers)
        print(f"server RSS while answering: peak {sampler.peak / 1e6:.0f} MB (target <= 300 MB)")
        print(f"worst HTTP p95: {worst:.2f} ms (target <= 20 ms)")
        print("server CPU: user + system time of the server process (all its threads)")
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def _timed(
    clients: object,
    items: list[tuple[str, str]],
    path: str,
    proc: psutil.Process,
    answers: dict[tuple[str, str], int] | None = None,
) -> tuple[list[float], float]:
    """Latencies in ms, and the server's CPU time per request in ms (totals into `answers`)."""
    out = []
    before = sum(proc.cpu_times()[:2])
    for q, user in items:
        c = clients[user] if isinstance(clients, dict) else clients
        assert isinstance(c, httpx.Client)
        t0 = time.perf_counter()
        r = c.get(path, params={"q": q} if path == "/search" else None)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (path, q, r.status_code)
        if answers is not None:
            found = TOTAL.search(r.text)
            assert found, r.text[:300]
            answers[(q, user)] = int(found.group(1))
    return out, (sum(proc.cpu_times()[:2]) - before) * 1000 / len(items)


def _same_answers(backend: dict[tuple[str, str], int], http: dict[tuple[str, str], int]) -> None:
    """Fast answers count only if they are the answers: the server must find what the index has."""
    differ = [k for k, n in http.items() if backend.get(k) != n]
    hits = sum(1 for n in http.values() if n)
    print(f"answers: {hits} of {len(http)} queries found pages; totals as in the backend: ", end="")
    if differ:
        print(
            f"NO, {len(differ)} differ, e.g. {differ[0]}: {backend.get(differ[0])} vs "
            f"{http[differ[0]]}"
        )
        raise SystemExit("the server's index is not the one measured: the figures are void")
    print("yes")


def _wait(ok: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ok():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300, help="per kind of query")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kinchart-search-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINCHART_")}
    env.update(
        KINCHART_DATA_DIR=str(work / "data"),
        KINCHART_INBOX_DIR=str(work / "inbox"),
        KINCHART_WATCH_INBOX="false",
        KINCHART_OCR_WORKERS="1",
    )
    print(f"machine: {os.cpu_count()} cores; {args.docs:,} documents, {PROFILES} profiles; {work}")
    seconds, pages = build_index(work / "data" / "search", args.docs)
    size = sum(f.stat().st_size for f in (work / "data" / "search").rglob("*") if f.is_file())
    print(
        f"indexing: {args.docs / seconds:,.0f} docs/s ({pages / seconds:,.0f} pages/s; "
        f"{pages:,} pages in {seconds:.1f} s, generating the text included; target >= 1,000 "
        f"docs/s); index size {size / 1e6:.0f} MB"
    )
    t0 = time.perf_counter()
    asyncio.run(
        build_database({k: v for k, v in env.items() if k.startswith("KINCHART_")}, args.docs)
    )
    print(f"database: {args.docs:,} document rows in {time.perf_counter() - t0:.1f} s")
    qs = queries(args.queries)
    totals = backend_latency(work / "data" / "search", qs)
    http_latency(env, qs, totals)


if __name__ == "__main__":
    main()
