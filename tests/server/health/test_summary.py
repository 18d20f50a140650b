"""The current summary and its conflicts (server.health.summary), from facts built in the test."""

from __future__ import annotations

import pytest

from server.health.summary import (
    ALLERGY,
    MEDICATION_DOSE,
    MEDICATION_STATUS,
    frequency,
    medication_key,
    summarise,
)
from tests.fixtures.health_facts import lab, row

pytestmark = pytest.mark.nodb


def med(name: str, when: str, doc: int, state: str = "active", **data: str) -> object:
    return row(
        "medication", name, when, doc, state=state, data=data, value_text=data.get("strength", "")
    )


def allergy(substance: str, when: str, doc: int, **kw: object) -> object:
    return row("allergy", substance, when, doc, state="active", data={"substance": substance}, **kw)


def nkda(when: str, doc: int, scope: str = "drug") -> object:
    return row(
        "allergy",
        "No known drug allergies",
        when,
        doc,
        state="none-known",
        line="NKDA",
        data={"none_known": True, "scope": scope},
    )


def test_allergy_and_nkda_in_different_documents_conflict() -> None:
    pen, none = allergy("Penicillin", "2019-02-01", 1), nkda("2023-05-01", 2)
    s = summarise([pen, none])
    assert [c.kind for c in s.conflicts] == [ALLERGY]
    assert set(s.conflicts[0].facts) == {pen, none}
    assert "Penicillin" in s.conflicts[0].message and "doc-2.pdf" in s.conflicts[0].message
    # Never resolved: the allergy stays listed, and so does the statement against it.
    assert [i.title for i in s.allergies] == ["Penicillin"] and s.allergies[0].conflicted
    assert s.none_known == [none]


@pytest.mark.parametrize(
    ("substance", "scope", "conflict"),
    [
        ("Peanuts", "drug", False),  # NKDA says nothing about foods
        ("Latex", "drug", False),
        ("Sulfa drugs", "drug", True),
        ("Peanuts", "all", True),  # "no known allergies" covers everything
        ("Peanuts", "food", True),
        ("Penicillin", "food", False),
    ],
)
def test_none_known_covers_only_its_scope(substance: str, scope: str, conflict: bool) -> None:
    s = summarise([allergy(substance, "2020-01-01", 1), nkda("2021-01-01", 2, scope)])
    assert bool(s.conflicts) is conflict


def test_refuted_allergy_contradicts_an_allergy() -> None:
    pen = allergy("Penicillin", "2020-01-01", 1)
    refuted = row("allergy", "penicillin", "2021-01-01", 2, state="refuted")
    s = summarise([pen, refuted])
    assert [c.kind for c in s.conflicts] == [ALLERGY]
    assert "not allergic to penicillin" in s.conflicts[0].message


def test_no_allergies_no_conflict() -> None:
    s = summarise([nkda("2021-01-01", 1), nkda("2022-01-01", 2)])
    assert not s.conflicts and not s.allergies and len(s.none_known) == 2


def test_different_doses_in_recent_lists_conflict() -> None:
    a = med("Metformin HCl 500 mg tablet", "2024-01-10", 1, strength="500 mg", frequency="BID")
    b = med("metformin", "2024-03-02", 2, strength="1000 mg", frequency="twice daily")
    s = summarise([a, b])
    assert [c.kind for c in s.conflicts] == [MEDICATION_DOSE]
    assert set(s.conflicts[0].facts) == {a, b}
    assert "500 mg" in s.conflicts[0].message and "1000 mg" in s.conflicts[0].message
    assert len(s.medications) == 1 and s.medications[0].conflicted
    assert s.medications[0].latest is b  # the latest list is shown, the conflict beside it


def test_same_dose_spelled_differently_agrees() -> None:
    a = med("Lisinopril", "2024-01-10", 1, strength="10 mg", frequency="daily")
    b = med("lisinopril", "2024-02-10", 2, strength="10.0 MG", frequency="once a day")
    c = med("Lisinopril 10 mg", "2024-02-11", 3)  # no strength field: says nothing about it
    assert not summarise([a, b, c]).conflicts


def test_frequency_differs_is_a_dose_conflict() -> None:
    a = med("Metoprolol", "2024-01-10", 1, strength="25 mg", frequency="BID")
    b = med("Metoprolol", "2024-02-10", 2, strength="25 mg", frequency="daily")
    assert [c.kind for c in summarise([a, b]).conflicts] == [MEDICATION_DOSE]


def test_an_old_dose_is_a_change_not_a_conflict() -> None:
    old = med("Metformin", "2021-01-10", 1, strength="500 mg")
    new = med("Metformin", "2024-03-02", 2, strength="1000 mg")
    s = summarise([old, new])
    assert not s.conflicts and s.medications[0].detail == "1000 mg"


def test_stopped_then_active_later_conflicts() -> None:
    stopped = med("Warfarin", "2023-01-05", 1, state="stopped", strength="5 mg")
    active = med("Warfarin", "2023-06-01", 2, strength="5 mg")
    s = summarise([stopped, active])
    assert [c.kind for c in s.conflicts] == [MEDICATION_STATUS]
    assert set(s.conflicts[0].facts) == {stopped, active}
    assert "stopped" in s.conflicts[0].message and "later" in s.conflicts[0].message
    assert [i.title for i in s.medications] == ["Warfarin"]


def test_active_then_stopped_is_a_stop() -> None:
    active = med("Warfarin", "2023-01-05", 1, strength="5 mg")
    stopped = med("Warfarin", "2023-06-01", 2, state="stopped", strength="5 mg")
    s = summarise([active, stopped])
    assert not s.conflicts and not s.medications
    assert [i.title for i in s.stopped] == ["Warfarin"]


def test_problems_are_the_patients_own_and_current() -> None:
    facts = [
        row("condition", "Type 2 diabetes mellitus", "2020-01-01", 1, code="E11.9", state="active"),
        row(
            "condition", "Type 2 diabetes", "2023-01-01", 2, data={"icd10": "E11.9"}, state="active"
        ),
        row("condition", "Pneumonia", "2019-01-01", 1, state="resolved"),
        row("condition", "Diabetes", "2020-01-01", 1, data={"assertion": "family"}),
        row("condition", "Chest pain", "2020-01-01", 1, data={"assertion": "absent"}),
    ]
    s = summarise(facts)
    assert [(i.title, len(i.mentions)) for i in s.problems] == [("Type 2 diabetes", 2)]
    assert [i.title for i in s.past_problems] == ["Pneumonia"]


def test_immunizations_list_doses_and_latest_labs() -> None:
    facts = [
        row("immunization", "Influenza", "2022-10-01", 1, state="completed"),
        row("immunization", "influenza", "2023-10-03", 2, state="completed"),
        row("immunization", "Zoster", "2023-01-01", 2, state="refused"),
        lab("Hemoglobin A1c", "2023-01-01", 7.1, "%", analyte="hba1c"),
        lab("Hemoglobin A1c", "2023-06-01", 6.8, "%", analyte="hba1c"),
    ]
    s = summarise(facts)
    flu = next(i for i in s.immunizations if i.key == "influenza")
    assert flu.detail == "2022-10-01, 2023-10-03"
    zoster = next(i for i in s.immunizations if i.key == "zoster")
    assert zoster.detail == "refused"
    assert [(r.key, r.fact.value_num, r.direction) for r in s.labs] == [("hba1c", 6.8, "down")]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Metformin HCl 500 mg tablet", "metformin"),
        ("metformin ER 750mg", "metformin"),
        ("Lisinopril (Zestril) 10 mg", "lisinopril"),
        ("Insulin glargine 100 units/mL", "insulin glargine"),
        ("Vitamin D3", "vitamin d"),
    ],
)
def test_medication_key(name: str, key: str) -> None:
    assert medication_key(name) == key


@pytest.mark.parametrize(
    ("text", "normal"),
    [("BID", "twice daily"), ("q.d.", "daily"), ("once a day", "daily"), ("Q8H", "every 8 hours")],
)
def test_frequency(text: str, normal: str) -> None:
    assert frequency(text) == normal


def test_medications_only_in_older_lists_are_shown_apart() -> None:
    """A 2009 discharge list is not today's medication list (issue 12)."""
    facts = [
        row("medication", "Metformin", "2009-05-01", state="active"),
        row("medication", "Warfarin", "2009-05-01", state="active"),
        row("medication", "Metformin", "2024-03-01", state="active"),
        row("medication", "Lisinopril", "2024-03-01", state="active"),
    ]
    summary = summarise(facts)
    assert [i.title for i in summary.medications] == ["Lisinopril", "Metformin"]
    assert [i.title for i in summary.older_medications] == ["Warfarin"]
    assert str(summary.medications_as_of) == "2024-03-01"


def test_hand_entries_neither_date_the_lists_nor_grow_old() -> None:
    """What a person entered is their current list: a medication entered today does not make
    last year's document list 'older', and one entered 'since 2015' stays current."""
    facts = [
        row("medication", "Metformin", "2024-03-01", state="active"),
        row("medication", "Lisinopril", "2015-01-01", doc=None, state="active"),
        row("medication", "Aspirin", None, doc=None, state="active"),
        row("medication", "Statin", "2026-01-01", doc=None, state="active"),
    ]
    summary = summarise(facts)
    assert [i.title for i in summary.medications] == [
        "Aspirin",
        "Lisinopril",
        "Metformin",
        "Statin",
    ]
    assert summary.older_medications == []
    assert str(summary.medications_as_of) == "2024-03-01"
    # Stopped by hand later: stopped, with no disagreement between sources.
    stopped = [*facts, row("medication", "Metformin", "2024-09-01", doc=None, state="stopped")]
    summary = summarise(stopped)
    assert [i.title for i in summary.stopped] == ["Metformin"]
    assert summary.conflicts == []
