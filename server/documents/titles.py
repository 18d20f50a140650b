"""A document's title: the one a person gave it, else made from what was read (type · date ·
provider or facility, e.g. "Lab report · 12 Mar 2025 · Riverside Clinical Laboratory"), else
its file name. Download names are made from the same title."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

MAX_TITLE = 200
MAX_NOTES = 5000
MAX_TAGS = 20


def title_of(doc: Mapping[str, Any], date_text: str = "") -> str:
    """The title to show; `date_text` is the document's date as the reader writes dates."""
    given = str(doc.get("title") or "").strip()
    if given:
        return given
    kind = str(doc.get("doc_type") or "").strip()
    who = str(doc.get("provider") or "").strip() or str(doc.get("facility") or "").strip()
    if not kind and not (date_text and who):
        return str(doc.get("original_name") or "Untitled document")
    parts = [kind[:1].upper() + kind[1:] if kind else "Document", date_text, who]
    return " · ".join(p for p in parts if p)


def download_name(doc: Mapping[str, Any], suffix: str, *, note: str = "") -> str:
    """A file name for a download: the title with its date in ISO form (names sort by date),
    `note` in brackets ("searchable"), and `suffix` (".pdf"); no characters file systems refuse."""
    day = doc.get("doc_date")
    title = title_of(doc, day.isoformat() if day is not None else "")
    stem = PurePath(title).stem if title == doc.get("original_name") else title
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", stem.replace(" · ", " - ")).strip(" .")
    stem = re.sub(r"\s+", " ", stem)[:150] or "document"
    return f"{stem} ({note}){suffix}" if note else f"{stem}{suffix}"


def clean_title(text: str) -> str:
    """A title as a person typed it: one line, spaces collapsed, at most MAX_TITLE characters."""
    return " ".join(text.split())[:MAX_TITLE]


def clean_tag(text: str) -> str:
    """A tag as stored: lower case, single spaces, at most 40 characters, no commas."""
    return " ".join(text.replace(",", " ").split()).casefold()[:40]


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags as a person typed them: cleaned, each once, at most MAX_TAGS."""
    out: list[str] = []
    for part in text.split(","):
        tag = clean_tag(part)
        if tag and tag not in out:
            out.append(tag)
    return out[:MAX_TAGS]
