"""`kinchart reindex` and `kinchart search` (registered on the main command in server/cli.py)."""

from __future__ import annotations

import html
import json
import re
from typing import Any, NoReturn

import click
from rich.text import Text

from server.runtime import running
from server.search import projection as sync
from server.search.contract import UNFILED, Filters, Hit, Results, SearchError

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _fail(message: str) -> NoReturn:
    from server.cli.main import fail  # server.cli imports this module

    fail(message)


@click.command()
def reindex() -> None:
    """Rebuild the search index from the database (safe while the server runs)."""
    from server.cli.main import _run, _settings, out, progress_bar

    settings = _settings()

    async def go() -> tuple[int, str]:
        async with running(settings) as services:
            backend = services.search
            if backend is None:
                raise SearchError("No search backend is configured.")
            total = await sync.total_ready()
            with progress_bar() as progress:
                task = progress.add_task(f"indexing ({backend.name})", total=total)
                n = await sync.rebuild(backend, lambda done: progress.update(task, completed=done))
            return n, backend.name

    try:
        n, name = _run(go())
    except SearchError as exc:
        _fail(exc.user_message)
    out.print(f"search index rebuilt: {n} documents ({name})")


@click.command("search")
@click.argument("query")
@click.option("--user", "username", default=None, help="Search as this user sees (their profiles).")
@click.option(
    "--all", "everything", is_flag=True, help="Search every profile and the triage queue."
)
@click.option("--profile", "profile_slug", default=None, help="Only this profile (a facet).")
@click.option("--type", "doc_type", default=None, help="Only this document type (a facet).")
@click.option("--year", type=int, default=None, help="Only this year (a facet).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@click.option("--page", type=int, default=1, help="Page of results (from 1).")
@click.option("--per-page", type=int, default=20)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def search_cmd(
    query: str,
    username: str | None,
    everything: bool,
    profile_slug: str | None,
    doc_type: str | None,
    year: int | None,
    sort: str,
    page: int,
    per_page: int,
    as_json: bool,
) -> None:
    """Search pages as USER would (--user NAME), or everything (--all)."""
    from server.cli.main import _run, _settings, out

    if (username is None) == (not everything):
        raise click.UsageError("give --user NAME (search as that user) or --all (everything)")
    settings = _settings()

    async def go() -> tuple[Results, dict[int, str]]:
        from server.access.scope import load_caller
        from server.db.tables import Profile
        from server.people import household
        from server.web.search import TRIAGE, current_hits, scope_of

        async with running(settings) as services:
            assert services.search is not None
            if services.search.needs_rebuild:  # no server has caught it up: do it first
                await sync.catch_up(services.search)
            slugs = {r["id"]: r["slug"] for r in await Profile.select(Profile.id, Profile.slug)}
            slugs[UNFILED] = TRIAGE
            caller = None
            if username is not None:
                row = await household.user_by_name(username)
                if row["disabled"]:
                    raise SearchError(f"User {username} is disabled.")
                caller = await load_caller(row)
                scope = scope_of(caller)
            else:
                scope = frozenset(slugs)
            by_slug = {s: i for i, s in slugs.items()}
            chosen = None if profile_slug is None else by_slug.get(profile_slug, -1)
            filters = Filters(profile=chosen, doc_type=doc_type, year=year)
            results = services.search.query(
                query, profiles=scope, filters=filters, sort="date" if sort == "date" else
                "relevance", page=page, per_page=per_page,
            )  # fmt: skip
            if caller is not None:
                results.hits[:] = await current_hits(caller, results.hits)
            return results, slugs

    try:
        results, slugs = _run(go())
    except SearchError as exc:
        _fail(exc.user_message)
    if as_json:
        out.print_json(json.dumps(_as_dict(results, slugs)))
        return
    out.print(f"{results.total} matching pages")
    for hit in results.hits:
        line = Text(f"#{hit.doc_id} p.{hit.page}  ", style="bold")
        line.append(hit.name)
        line.append(f"  ({slugs.get(hit.profile, '?')} · {hit.doc_type} · {hit.date})", "dim")
        out.print(line)
        out.print(Text("    ").append_text(_marked(str(hit.snippet))))


def _marked(snippet: str) -> Text:
    text = Text()
    pos = 0
    for m in _MARK.finditer(snippet):
        text.append(html.unescape(snippet[pos : m.start()]))
        text.append(html.unescape(m.group(1)), style="bold reverse")
        pos = m.end()
    text.append(html.unescape(snippet[pos:]))
    return text


def _plain(snippet: str) -> str:
    return html.unescape(_MARK.sub(r"\1", snippet))


def _hit(hit: Hit, slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "doc_id": hit.doc_id,
        "page": hit.page,
        "name": hit.name,
        "profile": slugs.get(hit.profile, ""),
        "doc_type": hit.doc_type,
        "date": hit.date.isoformat(),
        "score": round(hit.score, 4),
        "snippet": str(hit.snippet),
        "text": _plain(str(hit.snippet)),
        "terms": list(hit.terms),
        "url": f"/documents/{hit.doc_id}#page-{hit.page}",
    }


def _as_dict(results: Results, slugs: dict[int, str]) -> dict[str, Any]:
    f = results.facets
    return {
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "hits": [_hit(h, slugs) for h in results.hits],
        "facets": {
            "profile": {slugs.get(k, str(k)): v for k, v in f.profile.items()},
            "doc_type": f.doc_type,
            "year": {str(k): v for k, v in f.year.items()},
        },
    }
