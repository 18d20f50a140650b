"""The clinician's summary (server.health.clinician) and its partial, from real database rows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
import pytest

from server.errors import NotFound
from server.health.clinician import ClinicianSummary, Entry, clinician_summary
from server.runtime import Services
from tests.fixtures.clinical_profile import make_clinical

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def _titles(entries: tuple[Entry, ...]) -> list[str]:
    return [e.title for e in entries]


async def test_person_lists_and_trust(services: Services) -> None:
    c = await make_clinical()
    s = await clinician_summary(c.profile, now=NOW)
    assert (s.person.name, s.person.date_of_birth) == ("Grace Hopper", date(1946, 12, 9))
    assert s.person.age == 79 and s.person.as_of == date(2026, 12, 6)  # 80 only on Dec 9
    assert _titles(s.problems) == ["Hypertension", "Type 2 diabetes mellitus"]
    assert _titles(s.past_problems) == ["Appendicitis"]
    assert _titles(s.medications) == ["Lisinopril", "Metformin"]
    assert _titles(s.older_medications) == ["Warfarin"] and s.older_medications[0].old
    assert s.medications_as_of == date(2026, 2, 1)
    assert _titles(s.allergies) == ["Penicillin"] and "Hives" in s.allergies[0].detail
    assert _titles(s.immunizations) == ["Influenza vaccine"]
    # Every fact shown carries whether a person checked it.
    confirmed = {e.title: e.confirmed for e in s.entries}
    assert confirmed["Hypertension"] is False and confirmed["Lisinopril"] is False
    assert confirmed["Type 2 diabetes mellitus"] is True  # confirmed
    assert confirmed["Metformin"] is True  # corrected
    assert confirmed["Influenza vaccine"] is True  # typed in
    assert s.unreviewed == sum(1 for e in s.entries if not e.confirmed) >= 3
    shown = " ".join(e.title for e in s.entries)
    for name, why in c.hidden.items():
        assert name not in shown, f"{name} ({why}) must stay out"


async def test_latest_labs_and_vitals_with_reference_ranges(services: Services) -> None:
    c = await make_clinical()
    s = await clinician_summary(c.profile, now=NOW)
    labs = {e.title: e for e in s.labs}
    a1c = labs["Hemoglobin A1c"]
    assert a1c.fact.id == c.facts["a1c"] and a1c.value == "7.1 %" and a1c.flag == "H"
    assert a1c.band is not None and (a1c.band.low, a1c.band.high) == (4.0, 5.6)
    assert a1c.reference == "4-5.6" and a1c.direction == "up" and a1c.mentions == 2
    assert a1c.date == date(2026, 3, 2) and not a1c.confirmed
    assert labs["LDL cholesterol"].flag == "" and labs["LDL cholesterol"].confirmed
    vitals = {e.title: e.value for e in s.vitals}
    assert vitals == {"Body weight": "61.5 kg", "Heart rate": "72 /min"}


async def test_citations_only_into_shared_documents(services: Services) -> None:
    c = await make_clinical()
    everything = await clinician_summary(c.profile, now=NOW)
    a1c = next(e for e in everything.labs if e.fact.id == c.facts["a1c"])
    assert a1c.citation is not None
    assert (a1c.citation.document, a1c.citation.page) == (c.docs["labs"], 1)
    assert a1c.citation.boxes == ((0.1, 0.2, 0.2, 0.22), (0.5, 0.2, 0.55, 0.22))
    assert a1c.source == "labs-2026.pdf"
    typed = next(e for e in everything.immunizations)
    assert typed.citation is None and typed.source == "entered by hand"

    shared = await clinician_summary(c.profile, now=NOW, document_ids=[c.docs["labs"]])
    cited = {e.fact.id for e in shared.entries if e.citation is not None}
    assert cited == {c.facts["a1c"], c.facts["ldl"]}
    metformin = next(e for e in shared.medications if e.title == "Metformin")
    # A document that is not shared is named by its kind and date, never its file name.
    assert metformin.source == "lab report of 2026-02-01"
    assert "visit-2026" not in repr([e.source for e in shared.entries])


async def test_another_profile_is_never_included(services: Services) -> None:
    a = await make_clinical("Ada Lovelace", "ada", date(1815, 12, 10))
    b = await make_clinical("Bob Other", "bob-other", date(1990, 1, 1))
    s = await clinician_summary(a.profile, now=NOW)
    ids = {e.fact.id for e in s.entries}
    assert ids and ids <= set(a.facts.values())
    assert not ids & set(b.facts.values())
    with pytest.raises(NotFound):
        await clinician_summary(999_999, now=NOW)


def _render(summary: ClinicianSummary, citation_url: object) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("health/_clinician.html").render(
        summary=summary, citation_url=citation_url
    )


async def test_partial_marks_unreviewed_and_links_citations(services: Services) -> None:
    c = await make_clinical()
    s = await clinician_summary(c.profile, now=NOW, document_ids=[c.docs["labs"]])
    html = _render(s, lambda e: f"/s/TOKEN/documents/{e.citation.document}?fact={e.fact.id}")
    assert 'data-testid="person-name">Grace Hopper<' in html
    assert 'data-testid="person-dob">1946-12-09<' in html
    assert 'data-testid="as-of">2026-12-06<' in html
    rows = re.findall(r'<(?:li|tr) data-testid="([a-z-]+)" data-fact="(\d+)" '
                      r'data-confirmed="(yes|no)">(.*?)</(?:li|tr)>', html, re.S)  # fmt: skip
    by_fact = {int(f): (confirmed, body) for _, f, confirmed, body in rows}
    assert set(by_fact) == {e.fact.id for e in s.entries}
    for entry in s.entries:
        confirmed, body = by_fact[entry.fact.id]
        assert ('data-testid="unreviewed"' in body) is (not entry.confirmed)
        assert confirmed == ("yes" if entry.confirmed else "no")
    a1c_body = by_fact[c.facts["a1c"]][1]
    assert f'href="/s/TOKEN/documents/{c.docs["labs"]}?fact={c.facts["a1c"]}"' in a1c_body
    assert "4-5.6" in a1c_body and 'data-testid="flag">H<' in a1c_body
    assert "citation-link" not in by_fact[c.facts["metformin"]][1]
    # Without a link maker's answer, no link at all.
    assert "citation-link" not in _render(s, lambda e: None)
