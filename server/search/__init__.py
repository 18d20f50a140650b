"""Search: one contract (`SearchBackend`), an embedded Tantivy index or Meilisearch behind it."""

from __future__ import annotations

from server.search.contract import (
    UNFILED,
    Facets,
    Filters,
    Hit,
    PageText,
    Results,
    SearchBackend,
    SearchDoc,
    SearchError,
)
from server.settings import Settings


def open_backend(settings: Settings) -> SearchBackend:
    """Meilisearch when KINCHART_MEILI_URL is set, else the Tantivy index in the data folder."""
    # Imported here: a process loads only the backend it uses (its client library with it).
    if settings.meili_url:
        from server.search.backends.meili import MeiliBackend

        return MeiliBackend(settings.meili_url, settings.meili_key)
    from server.search.backends.tantivy import TantivyBackend

    return TantivyBackend(settings.data_dir / "search")


__all__ = [
    "UNFILED",
    "Facets",
    "Filters",
    "Hit",
    "PageText",
    "Results",
    "SearchBackend",
    "SearchDoc",
    "SearchError",
    "open_backend",
]
