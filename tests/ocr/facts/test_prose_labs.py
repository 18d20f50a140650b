"""Lab results in the prose of notes (issue 12): results a sentence reports with a verb
before the first name, and names inside a line after a heading. Texts written for these
tests, not taken from any note of the bench's set."""

from __future__ import annotations

import pytest

from ocr.facts import extract
from ocr.model import PageReading

pytestmark = pytest.mark.nodb


def read(text: str) -> dict[str, str]:
    facts = extract([PageReading(1, 612, 792, text, [], "", "", False)])
    return {r.analyte or r.name: r.value.text for r in facts.labs if r.category == "lab"}


@pytest.mark.parametrize("verb", ["Showed", "Revealed", "Demonstrated", "Noted"])
def test_a_verb_before_the_first_name_does_not_make_it_part_of_a_longer_name(verb: str) -> None:
    assert read(f"LABS: {verb} white count 8.4, hematocrit 41.2.\n") == {
        "wbc": "8.4",
        "hematocrit": "41.2",
    }


def test_a_heading_above_is_not_the_head_of_the_first_name_on_the_line() -> None:
    """A heading "LABORATORY DATA:" over "... fell to 9.1, hemoglobin is 11, ...": it was
    taken for the first words of a name wrapped onto the line ("LABORATORY DATA hemoglobin"),
    and that result dropped as a sentence fragment."""
    text = (
        "EXAM: Alert and oriented x3.\n"
        "LABORATORY DATA:\n"
        "White count fell from 18,000 to 9.1, hemoglobin is 11, hematocrit 34, and sodium 137.\n"
    )
    found = read(text)
    assert found["hemoglobin"] == "11"
    assert found["hematocrit"] == "34"
    assert found["sodium"] == "137"


def test_a_capitalised_word_inside_a_name_still_keeps_the_name_whole() -> None:
    # "Whole Blood" is part of an unknown name, not "Blood" a test.
    assert read("Creatine, Whole Blood 1 mg/dL\n") == {}


def test_a_sentence_wrapped_between_a_name_and_its_value_is_read_across() -> None:
    text = (
        "Hemoglobin is 10.9, hematocrit 33, and platelets 240,000. Glucose is\n"
        "182, BUN 22, creatinine 1.3.\n"
    )
    found = read(text)
    assert found["glucose"] == "182"
    assert found["bun"] == "22"
    assert found["creatinine"] == "1.3"
    assert len([k for k in found if k == "bun"]) == 1


@pytest.mark.parametrize(
    "text",
    [
        # The next line opens with a number that is no value of the name above.
        "She will talk with her doctor about checking the glucose\n3 months from now.\n",
        # A short line (a heading or a table's name cell) is no sentence run on.
        "Glucose\n95\n",
    ],
)
def test_no_value_is_taken_from_the_next_line_where_no_sentence_runs_on(text: str) -> None:
    assert "glucose" not in read(text) or read(text)["glucose"] == "95"
