"""Shared inputs for the fact extraction tests: corpus folders and pages built in the test."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"
FRAGMENTS = CORPUS / "ccda" / "hl7_fragments"
NOTES = CORPUS / "notes" / "mtsamples_subset.csv"


@pytest.fixture
def fragment() -> Callable[[str], Path]:
    """The HL7 C-CDA fragment whose name contains a given text (skips without the corpus)."""

    def find(part: str) -> Path:
        if not FRAGMENTS.is_dir():
            pytest.skip(f"corpus not found at {FRAGMENTS} (tests read ../shared/corpus in place)")
        matches = sorted(p for p in FRAGMENTS.iterdir() if part in p.name)
        assert matches, f"no fragment named like {part!r}"
        return matches[0]

    return find


@pytest.fixture
def ccda_documents() -> list[Path]:
    """The full C-CDA documents of the corpus."""
    folder = CORPUS / "ccda"
    if not folder.is_dir():
        pytest.skip(f"corpus not found at {folder} (tests read ../shared/corpus in place)")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".csv")


@cache
def _notes() -> dict[str, str]:
    with NOTES.open(newline="", encoding="utf-8") as stream:
        return {row["sample_name"].strip(): row["transcription"] for row in csv.DictReader(stream)}


@pytest.fixture
def note() -> Callable[[str], str]:
    """The MTSamples transcription with a given sample name (skips without the corpus)."""

    def find(name: str) -> str:
        if not NOTES.is_file():
            pytest.skip(f"corpus not found at {NOTES} (tests read ../shared/corpus in place)")
        return _notes()[name]

    return find


@pytest.fixture
def all_notes() -> list[str]:
    """Every transcription in the notes corpus."""
    if not NOTES.is_file():
        pytest.skip(f"corpus not found at {NOTES} (tests read ../shared/corpus in place)")
    return list(_notes().values())
