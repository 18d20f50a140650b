"""The narrative precision set of bench/narrative.py: its fixed choice and split of corpus
notes, their printing, and its scoring (no OCR here; the bench runs that)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ocr.facts import extract
from ocr.model import PageReading

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import narrative
from narrative_extra_truth import EXTRA_TRUTH
from narrative_truth import TRUTH

pytestmark = pytest.mark.nodb


@pytest.fixture
def notes() -> list[narrative.Note]:
    if not narrative.NOTES.is_file():
        pytest.skip(f"corpus not found at {narrative.NOTES} (read in place)")
    return narrative.chosen()


def test_the_set_is_forty_distinct_notes_each_with_truth(notes: list[narrative.Note]) -> None:
    assert len(notes) == 40
    assert len({n.note_id for n in notes}) == 40
    assert len({n.text for n in notes}) == 40  # duplicates of a text are dropped
    assert {n.note_id for n in notes} == set(TRUTH)


def test_halves_and_scans_are_fixed_by_position(notes: list[narrative.Note]) -> None:
    tuning = [n for n in notes if n.part == "tuning"]
    held = [n for n in notes if n.part == "held-out"]
    assert len(tuning) == len(held) == 20
    cases = narrative.cases_of(notes)
    scans = [c for c in cases if c.kind == "scan"]
    assert len(scans) * 2 == len(cases) == 80  # half of what is read is scanned
    for part in (tuning, held):  # in each part, the same notes both ways
        ids = {n.note_id for n in part}
        assert {c.note.note_id for c in scans if c.note.note_id in ids} == ids
    assert [int(n.note_id) for n in notes] == sorted(int(n.note_id) for n in notes)


def test_the_corpus_commas_become_lines() -> None:
    text = "PAST MEDICAL HISTORY:,1.  Hypertension.,2.  GERD., ,ALLERGIES: , None.,Count 1,240,000."
    assert narrative.note_lines(text) == [
        "PAST MEDICAL HISTORY:",
        "1.  Hypertension.",
        "2.  GERD.",
        "ALLERGIES: , None.",  # "LABEL: , text" is printed as the corpus has it
        "Count 1,240,000.",
    ]


def test_scoring_counts_wrong_facts_and_leaves_optional_ones_out() -> None:
    text = (
        "CURRENT MEDICATIONS: Flomax q.d., aspirin 81 mg q.d.\n"
        "PAST MEDICAL HISTORY:\n1.  BPH.\n2.  Status post an appendectomy.\n"
        "VITAL SIGNS: Blood pressure 112/74. Pulse 70.\n"
        "LABS: Sodium 138, potassium 9.9.\n"
    )
    note = narrative.Note("x", "x", text, 0)
    case = narrative.Case(note, "digital")
    case.facts = extract([PageReading(1, 612, 792, text, [], "", "", False)])
    truth = narrative.NoteTruth(
        labs=((("sodium",), 138), (("potassium",), 4.1)),
        vitals=(("blood_pressure", "112/74"), ("heart_rate", "70")),
        medications=("flomax", "aspirin", "hydrea"),
        problems=("bph|benign prostatic hyperplasia",),
        optional=("problems:appendectomy",),
    )
    narrative.ALL_TRUTH["x"] = truth
    try:
        labs, lab_notes = narrative.score(case, "labs")
        vitals, _ = narrative.score(case, "vitals")
        meds, _ = narrative.score(case, "medications")
        problems, _ = narrative.score(case, "problems")
    finally:
        del narrative.ALL_TRUTH["x"]
    assert (labs["read"], labs["right"], labs["recalled"], labs["truth"]) == (2, 1, 1, 2)
    assert "   WRONG  labs: potassium 9.9" in lab_notes
    assert (vitals["right"], vitals["recalled"]) == (2, 2)
    assert (meds["read"], meds["right"], meds["truth"]) == (2, 2, 3)
    assert problems["read"] == problems["right"] == 1


def test_the_extra_tuning_set_is_fixed_outside_the_precision_set_with_truth() -> None:
    if not narrative.NOTES.is_file():
        pytest.skip(f"corpus not found at {narrative.NOTES} (read in place)")
    extra = narrative.extra_chosen()
    ids = [n.note_id for n in extra]
    assert len(ids) == len(set(ids)) == 46
    assert not set(ids) & set(TRUTH)  # none of the 40 notes: the held-out half stays unseen
    assert set(ids) == set(EXTRA_TRUTH)
    assert {n.part for n in extra} == {"extra"}


def test_problems_are_counted_per_evidence_class(capsys: pytest.CaptureFixture[str]) -> None:
    text = "PAST MEDICAL HISTORY:\n1.  Hypertension.\n2.  Deconditioning.\n3.  Gout.\n"
    note = narrative.Note("3987", "x", text, 0, extra=True)
    case = narrative.Case(note, "text")
    case.facts = extract([PageReading(1, 612, 792, text, [], "", "", False)])
    narrative.classes([case])
    out = capsys.readouterr().out
    # hypertension (known, in the truth) shown; deconditioning (no disease word) held, right;
    # gout (known) shown but in no truth of the note: wrong
    assert "0.50 held  read   1  right   1  wrong   0" in out, out
    assert "0.90 shown read   2  right   1  wrong   1" in out, out
