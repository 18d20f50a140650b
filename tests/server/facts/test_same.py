"""One record from several sources: the same result from two documents is one fact with two
citations and one trend point; different values never merge; a person can split them, and
reviews a merged result once (real database, facts written by `persist.store`)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ocr.facts import extract
from ocr.facts.ccda import read_ccda
from ocr.facts.model import LabResult
from server.access.policy import Caller
from server.db.tables import CONFIRMED, EXTRACTED, READY, Document, Fact, User
from server.documents import filing
from server.facts import persist, same, service
from server.health import labs, latest, timeline_read
from server.health.records import profile_facts
from server.people import household
from server.runtime import Services, running
from server.settings import Settings
from tests.conftest import CORPUS
from tests.fixtures.facts import ROWS, lab_facts
from tests.ocr.facts.lab_pages import Report, Row, columns, digital_pdf, page_reading
from tests.server.facts.test_persist import _read

# A C-CDA whose results a printed report names and resolves one for one (checked below).
CCDA = CORPUS / "ccda" / "sample_ccdas__Cerner_Samples__Transition_of_Care_Referral_Summary.xml"


def _fact(i: int, doc: int | None, **kw: Any) -> dict[str, Any]:
    base = {
        "id": i,
        "document": doc,
        "kind": "lab",
        "status": EXTRACTED,
        "name": "Glucose",
        "analyte": "glucose",
        "code": "",
        "effective": date(2023, 3, 14),
        "value_text": "105",
        "value_num": 105.0,
        "unit": "mg/dL",
        "state": "",
        "confidence": None,
        "page": None,
        "apart": False,
    }
    return {**base, **kw}


def _ids(groups: list[list[dict[str, Any]]]) -> list[list[int]]:
    return sorted(sorted(f["id"] for f in g) for g in groups)


@pytest.mark.nodb
def test_only_the_same_result_from_different_documents_is_merged() -> None:
    facts = [
        _fact(1, 10),
        _fact(2, 11, value_text="105.0", unit="mg/dl", page=1),  # same value and unit, spelled
        _fact(3, 12, value_text="106", value_num=106.0),  # another value: never
        _fact(4, 13, effective=date(2023, 3, 15)),  # another day: never
        _fact(5, 14, unit="mmol/L"),  # another unit: never
        _fact(6, 15, analyte="", name="Glucose, fasting"),  # another name: never
        _fact(7, 16, effective=None),  # no date to compare: never
        _fact(8, 17, status="rejected"),
        _fact(9, 18, apart=True),  # a person said it is another result
        _fact(10, None),  # typed in by hand
        _fact(11, 19, value_text="<105", value_num=105.0),  # "<105" is not 105
    ]
    assert _ids(same.groups(facts)) == [[1, 2]]


@pytest.mark.nodb
def test_codes_from_records_decide_but_a_printed_pages_guess_does_not() -> None:
    ccda = _fact(1, 10, code="2345-7")
    fhir = _fact(2, 11, code="2339-0")  # another LOINC (whole blood glucose): not the same
    printed = _fact(3, 12, code="2339-0", page=1)  # the catalogue's guess from the name
    assert _ids(same.groups([ccda, fhir])) == []
    assert _ids(same.groups([ccda, printed])) == [[1, 3]]
    # The same code under different names (C-CDA and FHIR spell the drug differently).
    med = {"kind": "medication", "value_num": None, "value_text": "10 mg", "unit": "",
           "analyte": "", "state": "active"}  # fmt: skip
    a = _fact(4, 10, name="Lisinopril 10 MG Oral Tablet", code="314076", **med)
    b = _fact(5, 11, name="lisinopril", code="314076", **med)
    c = _fact(6, 12, name="Lisinopril 10 MG Oral Tablet", code="", **med)
    stopped = _fact(7, 13, name="lisinopril", code="314076", **{**med, "state": "stopped"})
    assert _ids(same.groups([a, b, c, stopped])) == [[4, 5, 6]]


@pytest.mark.nodb
def test_a_document_that_prints_a_result_twice_is_not_merged_with_itself() -> None:
    facts = [_fact(1, 10), _fact(2, 10), _fact(3, 11)]
    assert _ids(same.groups(facts)) == []  # which of the two is the other's? left alone


async def _setup(services: Services) -> tuple[Caller, int, int, int]:
    rows = await User.insert(User(username="olga", password_hash="-")).returning(User.id)
    profile = await household.add_profile("Jane Q Doe", slug="jane", dob=date(1951, 3, 14))
    docs = []
    for name in ("labs.pdf", "visit.xml"):
        doc = await Document.insert(
            Document(
                sha256=name[0] * 64, original_name=name, size=1, state=READY, kind="pdf",
                profile=profile["id"],
            )
        ).returning(Document.id)  # fmt: skip
        docs.append(doc[0]["id"])
    caller = Caller(rows[0]["id"], "olga", roles={profile["id"]: "owner"})
    return caller, profile["id"], docs[0], docs[1]


async def test_two_documents_with_the_same_results_are_one_record(services: Services) -> None:
    _caller, jane, first, second = await _setup(services)
    await persist.store(services.engine, first, lab_facts())
    changed = [*ROWS[:3], Row("Potassium", "4.6", "mmol/L", "3.5-5.1")]  # one value differs
    await persist.store(services.engine, second, lab_facts(changed))

    shown = await profile_facts(jane, "lab")
    by = defaultdict(list)
    for f in shown:
        by[f.analyte].append(f)
    for analyte in ("glucose", "creatinine", "hba1c"):
        (fact,) = by[analyte]
        assert fact.source_count == 2 and fact.document == first
        assert [s.document for s in fact.sources] == [second]
        assert fact.sources[0].cite_url.startswith(f"/documents/{second}?fact=")
    # Different values are never merged: both potassium results stay, each with its source.
    assert sorted(f.value_num for f in by["potassium"]) == [4.1, 4.6]
    assert all(f.source_count == 1 for f in by["potassium"])
    # One trend point per result, in every reader (whole record, bounded overview, timeline).
    series = labs.by_series(shown, "lab")
    assert len(series["glucose"]) == 1 and len(series["potassium"]) == 2
    overview = {row.key: row for row in await latest.overview(jane)}
    assert overview["glucose"].count == 1 and overview["potassium"].count == 2
    page = await timeline_read.page(jane, kind="lab")
    assert page.kinds.get("lab") == 5, page.kinds
    # Stored once per document: a reading of either source keeps the link.
    assert await Fact.count().where(Fact.profile == jane) == 8
    await persist.store(services.engine, second, lab_facts(changed))
    assert len(await profile_facts(jane, "lab")) == 5


async def test_a_merged_result_is_reviewed_once_and_can_be_split(services: Services) -> None:
    caller, jane, first, second = await _setup(services)
    await persist.store(services.engine, first, lab_facts())
    await persist.store(services.engine, second, lab_facts())
    queue = await service.review(caller, "jane", everything=False, page=1)
    assert queue["open_count"] == 4  # four results, not eight facts
    glucose = next(f for f in await profile_facts(jane, "lab") if f.analyte == "glucose")
    other = glucose.sources[0].fact

    await service.confirm(caller, glucose.id)
    statuses = {r["id"]: r["status"] for r in await Fact.select(Fact.id, Fact.status)}
    assert statuses[glucose.id] == statuses[other] == CONFIRMED
    assert (await service.review(caller, "jane", everything=False, page=1))["open_count"] == 3

    # "These are different": two results again, and still after both are read again.
    await service.keep_apart(caller, other)
    for _ in range(2):
        glucoses = [f for f in await profile_facts(jane, "lab") if f.analyte == "glucose"]
        assert sorted(f.id for f in glucoses) == sorted([glucose.id, other])
        assert all(f.source_count == 1 for f in glucoses)
        await persist.store(services.engine, first, lab_facts())
        await persist.store(services.engine, second, lab_facts())
    assert len(await profile_facts(jane, "lab")) == 5


async def test_a_new_reading_on_another_day_or_a_correction_unlinks(services: Services) -> None:
    caller, jane, first, second = await _setup(services)
    await persist.store(services.engine, first, lab_facts())
    await persist.store(services.engine, second, lab_facts())
    assert all(f.source_count == 2 for f in await profile_facts(jane, "lab"))
    # The first document (whose facts are the ones shown) read again as collected a day
    # later: no result is the same now, and the second's copies are shown again.
    later = Report(ROWS, born=date(1951, 3, 14), collected=date(2023, 3, 15))
    pages = [page_reading(p, i + 1) for i, p in enumerate(columns(later))]
    await persist.store(services.engine, first, extract(pages))
    shown = await profile_facts(jane, "lab")
    assert len(shown) == 8 and all(f.source_count == 1 for f in shown)
    assert not await Fact.exists().where(Fact.same_as.is_not_null())
    # Read on the first day again: linked again; then a corrected value unlinks that one.
    await persist.store(services.engine, first, lab_facts())
    glucose = next(f for f in await profile_facts(jane, "lab") if f.analyte == "glucose")
    assert glucose.source_count == 2
    await service.correct(caller, glucose.id, {"value": "150"})
    glucoses = [f for f in await profile_facts(jane, "lab") if f.analyte == "glucose"]
    assert sorted(f.value_num for f in glucoses) == [105.0, 150.0]
    assert all(f.source_count == 1 for f in glucoses)
    assert len(await profile_facts(jane, "lab")) == 5


async def test_a_source_moved_to_another_profile_leaves_the_merged_result(
    services: Services,
) -> None:
    _caller, jane, first, second = await _setup(services)
    other = (await household.add_profile("Other Person", slug="other"))["id"]
    await persist.store(services.engine, first, lab_facts())
    await persist.store(services.engine, second, lab_facts())
    assert all(f.source_count == 2 for f in await profile_facts(jane, "lab"))
    async with services.engine.transaction():
        await filing.refile_in_transaction(second, other)
    assert all(f.source_count == 1 for f in await profile_facts(jane, "lab"))
    moved = await profile_facts(other, "lab", held=True)
    assert len(moved) == 4 and all(f.document == second for f in moved)
    assert not await Fact.exists().where(Fact.same_as.is_not_null())


# The acceptance test of issue 14: a lab report printed from a C-CDA's results, and the C-CDA.


def _printed_report(path: Path) -> tuple[Report, list[LabResult]]:
    """The C-CDA's numeric lab results of its fullest day, printed as a lab report."""
    record = read_ccda(path)
    by_day: dict[date, list[LabResult]] = defaultdict(list)
    for r in record.labs:
        if r.category == "lab" and r.value.number is not None and r.collected is not None:
            by_day[r.collected].append(r)
    day, results = max(by_day.items(), key=lambda kv: len(kv[1]))
    rows = [
        Row(
            re.sub(r"\s+", " ", r.name).strip()[:44].strip(" ,"),
            r.value.text,
            r.unit or "",
            r.reference.text if r.reference and len(r.reference.text) <= 24 else "",
        )
        for r in results
    ]
    report = Report(rows, collected=day, patient=record.patient.names[0])
    report.born = record.patient.birth_dates[0]
    return report, results


async def test_a_lab_report_printed_from_a_ccda_and_the_ccda_are_one_record(
    settings: Settings, tmp_path: Path
) -> None:
    if not CCDA.exists():
        pytest.skip(f"corpus not found at {CCDA} (tests read ../shared/corpus in place)")
    report, results = _printed_report(CCDA)
    assert len(results) >= 5
    pdf = digital_pdf(columns(report), tmp_path / "lab-report.pdf")
    async with running(settings, workers=True) as services:
        person = await household.add_profile(report.patient, dob=report.born, slug="pat")
        docs = []
        for path in (pdf, CCDA):
            taken = await services.intake.take(path, source="cli", profile_id=person["id"])
            assert taken.document_id is not None
            docs.append((await _read(taken.document_id))["id"])
        shown = [f for f in await profile_facts(person["id"], "lab") if f.when == report.collected]
        # One fact per result, each with two citations: the printed page and the record.
        assert len(shown) == len(results), [(f.name, f.display) for f in shown]
        for fact in shown:
            cited = {fact.document, *(s.document for s in fact.sources)}
            assert fact.source_count == 2 and cited == set(docs), fact.name
            pages = [fact.page, *(s.page for s in fact.sources)]
            assert sorted(p is None for p in pages) == [False, True]  # a page and an element
        # One trend point per result.
        series = labs.by_series(await profile_facts(person["id"], "lab"), "lab")
        for fact in shown:
            points = [f for f in series[labs.series_key(fact)] if f.when == report.collected]
            assert len(points) == 1, fact.name
        overview = {row.key: row for row in await latest.overview(person["id"])}
        assert all(overview[labs.series_key(f)].count == 1 for f in shown)
        # Both copies stay stored, one per source: the record's is the one shown.
        linked = await Fact.select(Fact.document).where(Fact.same_as.is_not_null())
        assert len(linked) == len(results) and {r["document"] for r in linked} == {docs[0]}


CCD = CORPUS / "ccda" / "hl7_examples__Documents__CCD__CCD_1__CCD.XML"


async def test_the_same_record_from_two_portals_is_one_record_of_every_kind(
    settings: Settings, tmp_path: Path
) -> None:
    """The same C-CDA from two places (bytes differ by a comment): its medications, problems,
    allergies, immunizations and results are each one fact with two citations."""
    if not CCD.exists():
        pytest.skip(f"corpus not found at {CCD} (tests read ../shared/corpus in place)")
    copy = tmp_path / "from-the-other-portal.xml"
    copy.write_bytes(CCD.read_bytes() + b"\n<!-- downloaded again -->\n")
    async with running(settings, workers=True) as services:
        dad = await household.add_profile("Dad", slug="dad")
        docs = []
        for path in (CCD, copy):
            taken = await services.intake.take(path, source="cli", profile_id=dad["id"])
            assert taken.document_id is not None
            docs.append((await _read(taken.document_id))["id"])
        assert docs[0] != docs[1]
        stored = await Fact.select(Fact.kind, Fact.document, Fact.effective).where(
            Fact.profile == dad["id"]
        )
        shown = await profile_facts(dad["id"], held=True)
    one = [r for r in stored if r["document"] == docs[0]]
    kinds = {r["kind"] for r in one}
    assert {"lab", "medication", "condition", "allergy", "immunization"} <= kinds
    for kind in kinds:
        dated = [r for r in one if r["kind"] == kind and r["effective"] is not None]
        of_kind = [f for f in shown if f.kind == kind]
        merged = [f for f in of_kind if f.source_count == 2]
        # Every dated fact is one fact with both citations; an undated one is never merged.
        assert len(merged) == len(dated), kind
        assert len(of_kind) == len(dated) + 2 * (
            len([r for r in one if r["kind"] == kind]) - len(dated)
        ), kind
        assert all({f.document, f.sources[0].document} == set(docs) for f in merged)
