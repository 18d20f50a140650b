"""`kinchart reindex` and `kinchart search`."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import click
from rich.text import Text

from server.access.console import caller_named, console
from server.cli._common import Services, in_runtime, out, progress_bar
from server.errors import Unavailable
from server.search import SearchBackend, projection
from server.search.contract import Hit, Results
from server.search.scoped import search_as

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _backend(services: Services) -> SearchBackend:
    if services.search is None:
        raise Unavailable("No search backend is configured.")
    return services.search


@click.command()
@in_runtime()
async def reindex(services: Services) -> None:
    """Rebuild the search index from the database (safe while the server runs)."""
    backend = _backend(services)
    total = await projection.total_ready()
    with progress_bar() as progress:
        task = progress.add_task(f"indexing ({backend.name})", total=total)
        n = await projection.rebuild(backend, lambda done: progress.update(task, completed=done))
    out.print(f"search index rebuilt: {n} documents ({backend.name})")


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
    if (username is None) == (not everything):
        raise click.UsageError("give --user NAME (search as that user) or --all (everything)")
    _search(query, username, profile_slug, doc_type, year, sort, page, per_page, as_json)


@in_runtime()
async def _search(
    services: Services,
    query: str,
    username: str | None,
    profile_slug: str | None,
    doc_type: str | None,
    year: int | None,
    sort: str,
    page: int,
    per_page: int,
    as_json: bool,
) -> None:
    caller = await (console() if username is None else caller_named(username))
    results, slugs = await search_as(
        _backend(services), caller, query, profile_slug=profile_slug, doc_type=doc_type,
        year=year, sort="date" if sort == "date" else "relevance", page=page, per_page=per_page,
    )  # fmt: skip
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


commands = [reindex, search_cmd]
