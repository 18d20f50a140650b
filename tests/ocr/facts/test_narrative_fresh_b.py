"""The shape of the fresh narrative notes (bench/narrative_fresh_b.py): twenty notes, each with
truth a person wrote. Only the data is checked; the reader is never run on the notes here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

from narrative_fresh_b import NOTES, TRUTH

pytestmark = pytest.mark.nodb

KINDS = ("labs", "vitals", "medications", "problems", "allergies")


def _is_term(text: object) -> bool:
    return isinstance(text, str) and text.strip() != "" and text == text.lower()


def test_twenty_notes_each_with_truth() -> None:
    ids = [f"FB-{n:02d}" for n in range(1, 21)]
    assert list(NOTES) == ids
    assert set(TRUTH) == set(ids)


@pytest.mark.parametrize("note_id", sorted(NOTES))
def test_a_note_is_titled_plain_text_of_600_to_2000_characters(note_id: str) -> None:
    title, text = NOTES[note_id]
    assert title.strip()
    assert 600 <= len(text) <= 2000, len(text)
    assert text.isascii()


@pytest.mark.parametrize("note_id", sorted(TRUTH))
def test_truth_items_are_lowercase_terms_and_lab_values_numbers(note_id: str) -> None:
    truth = TRUTH[note_id]
    for names, value in truth.labs:
        assert names and all(_is_term(name) for name in names), names
        assert isinstance(value, int | float) and not isinstance(value, bool), value
    for kind, printed in truth.vitals:
        assert _is_term(kind) and _is_term(printed), (kind, printed)
    for term in (*truth.medications, *truth.problems, *truth.allergies):
        assert _is_term(term), term
        assert all(alt.strip() for alt in term.split("|")), term
    for entry in truth.optional:
        assert _is_term(entry), entry
        kind, _, rest = entry.partition(":")
        assert kind in KINDS and rest.strip(), entry
