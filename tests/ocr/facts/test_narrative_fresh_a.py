"""The shape of the fresh narrative notes (bench/narrative_fresh_a.py): data only, no reading."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

from narrative_fresh_a import NOTES, TRUTH

pytestmark = pytest.mark.nodb

_KINDS = ("medications", "problems", "allergies", "optional")


def test_twenty_notes_each_with_truth() -> None:
    assert len(NOTES) == 20
    assert list(NOTES) == [f"FA-{n:02d}" for n in range(1, 21)]
    assert set(NOTES) == set(TRUTH)


def test_texts_are_600_to_2000_characters_with_a_title() -> None:
    for note_id, (title, text) in NOTES.items():
        assert title.strip(), note_id
        assert 600 <= len(text) <= 2000, (note_id, len(text))


def test_truth_items_are_non_empty_lowercase_strings() -> None:
    for note_id, truth in TRUTH.items():
        for kind in _KINDS:
            for item in getattr(truth, kind):
                assert isinstance(item, str) and item.strip(), (note_id, kind, item)
                assert item == item.lower(), (note_id, kind, item)
        for name, value in truth.vitals:
            assert name and name == name.lower() and value.strip(), (note_id, name)
        for names, number in truth.labs:
            assert names and all(n and n == n.lower() for n in names), (note_id, names)
            assert isinstance(number, int | float) and not isinstance(number, bool), note_id


def test_optional_entries_name_a_kind() -> None:
    kinds = {"labs", "vitals", "medications", "problems", "allergies"}
    for note_id, truth in TRUTH.items():
        for entry in truth.optional:
            assert entry.split(":")[0] in kinds, (note_id, entry)
