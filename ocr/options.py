"""Reading options, in a module light enough for the server process to import."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """How to read documents; one set per server."""

    languages: tuple[str, ...] = ("eng",)
    jobs: int = 1  # ocrmypdf jobs inside one document
    max_pages: int = 1000
    max_image_megapixels: float = 250.0
    max_page_inches: float = 60.0  # either side
    display_px: int = 1600
    thumb_px: int = 320
