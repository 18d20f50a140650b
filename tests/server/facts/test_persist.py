"""Facts written when documents are read (real pipeline, real database), kept through a new
reading where people reviewed them, moved with their document, and read for older documents."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ocr.facts.ccda import read_ccda
from server.access.policy import Caller
from server.db.tables import EXTRACTED, READY, Document, Fact, Page, User
from server.documents import filing
from server.facts import FACTS_VERSION, persist, service
from server.facts.reading import CCDA_MIME
from server.people import household
from server.runtime import Services, running
from server.search import projection as search_sync
from server.settings import Settings
from tests.conftest import CORPUS
from tests.fixtures.facts import COLLECTED, lab_facts, report
from tests.ocr.facts.lab_pages import (
    Row,
    columns,
    digital_pdf,
    page_image,
    page_reading,
    scanned_pdf,
)

CCD = CORPUS / "ccda" / "hl7_examples__Documents__CCD__CCD_1__CCD.XML"


async def _read(doc_id: int, timeout: float = 300) -> dict[str, Any]:
    """Wait until the worker has stored the document and its facts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = await Document.select().where(Document.id == doc_id).output(load_json=True).first()
        assert row is not None
        assert row["state"] != "failed", row["failure_reason"]
        if row["state"] == READY and row["facts_version"] == FACTS_VERSION:
            return dict(row)
        await asyncio.sleep(0.3)
    raise AssertionError(f"document {doc_id} not read in {timeout} s")


async def _facts(doc_id: int) -> list[dict[str, Any]]:
    return list(
        await Fact.select().where(Fact.document == doc_id).order_by(Fact.seq).output(load_json=True)
    )


async def test_scanned_lab_report_is_read_filed_and_its_facts_cited(
    settings: Settings, tmp_path: Path
) -> None:
    image = page_image(columns(report())[0], dpi=300, skew=0.8, blur=0.8, noise=0.001, seed=2)
    pdf = scanned_pdf([image], tmp_path / "scan.pdf", 300)
    async with running(settings, workers=True) as services:
        jane = await household.add_profile("Jane Q Doe", dob=date(1951, 3, 14), slug="jane")
        taken = await services.intake.take(pdf, source="inbox", profile_hint="jane")
        assert taken.document_id is not None
        doc = await _read(taken.document_id)
        # Filed by the inbox folder; the document's type, date and issuer from its facts.
        assert doc["profile"] == jane["id"]
        assert doc["doc_type"] == "lab report"
        assert doc["doc_date"] == COLLECTED and doc["doc_date_kind"] == "collected"
        assert doc["provider"] == "Dr. Alan Grant"
        assert doc["facility"] == "Riverside Clinical Laboratory"
        facts = await _facts(doc["id"])
        labs = {f["analyte"]: f for f in facts if f["kind"] == "lab"}
        got = {k: (f["value_num"], f["unit"], f["flag"]) for k, f in labs.items()}
        assert got == {
            "glucose": (105.0, "mg/dL", "H"),
            "creatinine": (pytest.approx(0.995, abs=0.001), "mg/dL", ""),
            "hba1c": (6.1, "%", "H"),
            "potassium": (4.1, "mmol/L", ""),
        }
        assert labs["creatinine"]["value_text"] == "88"
        assert all(f["profile"] == jane["id"] and f["status"] == EXTRACTED for f in facts)
        assert all(f["effective"] == COLLECTED for f in labs.values())
        # Each citation's box holds the words OCR read for that result, on that page.
        page = (
            await Page.select(Page.words)
            .where(Page.document == doc["id"])
            .output(load_json=True)
            .first()
        )
        assert page is not None
        words = page["words"]
        for analyte, printed in (("glucose", "105"), ("creatinine", "88"), ("hba1c", "6.1")):
            fact = labs[analyte]
            assert fact["page"] == 1 and printed in fact["line"]
            word = next(w for w in words if w[0] == printed)
            assert any(_inside(word[1:5], box) for box in fact["boxes"]), (analyte, word)
        # The search index takes the type and date from the stored facts.
        (indexed,) = await search_sync.load([doc["id"]])
        assert indexed.doc_type == "lab" and indexed.date == COLLECTED


def _inside(word: list[float], box: list[float]) -> bool:
    slack = 0.002
    return (
        box[0] - slack <= word[0] <= word[2] <= box[2] + slack
        and box[1] - slack <= word[1] <= word[3] <= box[3] + slack
    )


async def test_ccda_record_from_the_corpus(settings: Settings) -> None:
    if not CCD.exists():
        pytest.skip(f"corpus not found at {CCD} (tests read ../shared/corpus in place)")
    expected = read_ccda(CCD)
    async with running(settings, workers=True) as services:
        dad = await household.add_profile("Dad", slug="dad")
        taken = await services.intake.take(CCD, source="cli", profile_id=dad["id"])
        assert taken.document_id is not None
        doc = await _read(taken.document_id)
        assert doc["kind"] == "structured" and doc["mime"] == CCDA_MIME
        assert doc["provider"] == expected.provider and doc["facility"] == expected.facility
        assert doc["doc_date"] == expected.date
        facts = await _facts(doc["id"])
    kinds: dict[str, list[dict[str, Any]]] = {}
    for f in facts:
        kinds.setdefault(f["kind"], []).append(f)
    assert len(kinds["lab"]) == len([r for r in expected.labs if r.category == "lab"])
    assert len(kinds["vital"]) == len(expected.vitals) > 0  # vital signs: a kind of their own
    assert len(kinds["medication"]) == len(expected.medications)
    assert len(kinds["immunization"]) == len(expected.immunizations)
    patients = [c for c in expected.conditions if c.assertion == "present"]
    assert len(kinds["condition"]) == len(patients)
    assert all(f["data"]["assertion"] == "present" for f in kinds["condition"])
    hemoglobin = next(f for f in kinds["lab"] if f["analyte"] == "hemoglobin")
    assert (hemoglobin["value_num"], hemoglobin["unit"], hemoglobin["code"]) == (
        13.2,
        "g/dL",
        "718-7",
    )
    # No page to box: the citation names the element it came from.
    assert hemoglobin["page"] is None and hemoglobin["boxes"] == []
    assert hemoglobin["locator"].startswith("section[RESULTS]")
    assert {"completed", "not given"} <= {f["state"] for f in kinds["immunization"]}
    penicillin = next(f for f in kinds["allergy"] if f["name"] == "Penicillin")
    assert penicillin["value_text"] == "Nausea" and penicillin["state"] == "active"


async def _setup(services: Services) -> tuple[Caller, int, int]:
    rows = await User.insert(User(username="olga", password_hash="-")).returning(User.id)
    profile = await household.add_profile("Jane Q Doe", slug="jane")
    doc = await Document.insert(
        Document(
            sha256="a" * 64,
            original_name="labs.pdf",
            size=1,
            state=READY,
            kind="pdf",
            profile=profile["id"],
        )
    ).returning(Document.id)
    caller = Caller(rows[0]["id"], "olga", roles={profile["id"]: "owner"})
    return caller, profile["id"], doc[0]["id"]


async def test_reading_again_keeps_what_people_reviewed(services: Services) -> None:
    caller, _, doc_id = await _setup(services)
    first = await persist.store(services.engine, doc_id, lab_facts())
    assert first is not None and first.kept == 0
    facts = {f["analyte"] or f["name"]: f for f in await _facts(doc_id)}
    await service.confirm(caller, facts["glucose"]["id"])
    await service.correct(
        caller,
        facts["creatinine"]["id"],
        {"value": "90", "unit": "umol/L"},  # fields left out keep their value
    )
    await service.reject(caller, facts["hba1c"]["id"])

    # Read again, with creatinine misread this time: reviewed facts win, the rest is new.
    misread = lab_facts(
        [
            Row("Glucose", "105", "mg/dL", "70-99", "H"),
            Row("Creatinine", "8", "umol/L", "62-115"),
            Row("Hemoglobin A1c", "6.1", "%", "4.0-5.6", "H"),
            Row("Potassium", "4.3", "mmol/L", "3.5-5.1"),
        ]
    )
    again = await persist.store(services.engine, doc_id, misread)
    assert again is not None and again.kept == 3
    after = await _facts(doc_id)
    keys = [f["data"]["key"] for f in after]
    assert len(keys) == len(set(keys)) == len(facts), "nothing doubled, nothing lost"
    by = {f["analyte"] or f["name"]: f for f in after}
    assert by["glucose"]["status"] == "confirmed" and by["glucose"]["id"] == facts["glucose"]["id"]
    assert by["hba1c"]["status"] == "rejected"
    creatinine = by["creatinine"]
    assert creatinine["status"] == "corrected" and creatinine["id"] == facts["creatinine"]["id"]
    assert creatinine["value_num"] == pytest.approx(1.018, abs=0.001)  # 90 µmol/L, as corrected
    assert creatinine["data"]["value"]["text"] == "88", "what was first read is kept"
    assert creatinine["corrected"] == {"value": "90"}
    # Not reviewed: replaced by the new reading, in the same row (links to it stay valid).
    assert by["potassium"]["status"] == EXTRACTED and by["potassium"]["value_num"] == 4.3
    assert by["potassium"]["id"] == facts["potassium"]["id"]


async def test_facts_follow_their_document_even_racing_a_new_reading(
    services: Services,
) -> None:
    caller, jane, doc_id = await _setup(services)
    other = (await household.add_profile("Other Person", slug="other"))["id"]
    await persist.store(services.engine, doc_id, lab_facts())
    reviewed = (await _facts(doc_id))[0]["id"]
    await service.confirm(caller, reviewed)
    for i in range(6):
        target = other if i % 2 == 0 else jane
        await asyncio.gather(
            persist.store(services.engine, doc_id, lab_facts()),
            filing.refile(services.engine, doc_id, target),
        )
        facts = await _facts(doc_id)
        assert facts and {f["profile"] for f in facts} == {target}, i
    # A document moved to the triage queue takes its facts out of every profile.
    await filing.refile(services.engine, doc_id, None)
    assert {f["profile"] for f in await _facts(doc_id)} == {None}


async def test_older_documents_get_their_facts_read_again(
    services: Services, settings: Settings
) -> None:
    caller, _, doc_id = await _setup(services)
    pages = [page_reading(p, i + 1) for i, p in enumerate(columns(report()))]
    for p in pages:  # as the worker stores a reading
        await Page.insert(
            Page(
                document=doc_id,
                number=p.number,
                text=p.text,
                words=[[w.text, w.x0, w.y0, w.x1, w.y1] for w in p.words],
                width_pt=p.width_pt,
                height_pt=p.height_pt,
            )
        )
    ccda_id = None
    if CCD.exists():
        taken = await services.intake.take(CCD, source="cli")
        ccda_id = taken.document_id
        await Document.update(
            {Document.state: READY, Document.kind: "structured", Document.mime: CCDA_MIME}
        ).where(Document.id == ccda_id)
    steps: list[tuple[int, int]] = []
    done, failed = await persist.reextract(
        services.engine, services.store, progress=lambda d, t: steps.append((d, t))
    )
    expected = 2 if ccda_id else 1
    assert (done, failed) == (expected, 0)
    assert steps[0] == (0, expected) and steps[-1] == (expected, expected)
    labs = [f for f in await _facts(doc_id) if f["kind"] == "lab"]
    assert {f["analyte"] for f in labs} == {"glucose", "creatinine", "hba1c", "potassium"}
    doc = await Document.select().where(Document.id == doc_id).first()
    assert doc is not None and doc["facts_version"] == FACTS_VERSION
    assert doc["doc_type"] == "lab report" and doc["doc_date"] == COLLECTED
    if ccda_id:
        assert await Fact.count().where(Fact.document == ccda_id) > 10
    # Nothing left to do; `everything` reads all again and keeps the reviewed ones.
    assert await persist.reextract(services.engine, services.store) == (0, 0)
    await service.reject(caller, labs[0]["id"])
    assert await persist.reextract(services.engine, services.store, everything=True) == (
        expected,
        0,
    )
    after = {f["id"]: f for f in await _facts(doc_id)}
    assert after[labs[0]["id"]]["status"] == "rejected"
    assert len(after) == len(await _facts(doc_id))


async def test_the_server_reads_older_documents_when_it_starts(settings: Settings) -> None:
    from server.app import create_app

    async with running(settings) as services:
        _, _, doc_id = await _setup(services)
        for p in (page_reading(p, i + 1) for i, p in enumerate(columns(report()))):
            words = [[w.text, w.x0, w.y0, w.x1, w.y1] for w in p.words]
            await Page.insert(
                Page(document=doc_id, number=p.number, text=p.text, words=words,
                     width_pt=p.width_pt, height_pt=p.height_pt)
            )  # fmt: skip
    app = create_app(settings, workers=True, watcher=False)
    async with app.router.lifespan_context(app):
        doc = await _read(doc_id, timeout=60)
        assert doc["doc_type"] == "lab report"
        assert {f["analyte"] for f in await _facts(doc_id) if f["kind"] == "lab"} == {
            "glucose",
            "creatinine",
            "hba1c",
            "potassium",
        }


async def test_a_pool_that_reads_no_facts_still_gets_them(
    settings: Settings, tmp_path: Path
) -> None:
    """A ReaderPool with another reader: the worker extracts the facts itself, in a thread."""
    from ocr.pool import ReaderPool
    from server.documents.workers import Workers, read_options
    from tests.fixtures.facts import plain_reader

    pdf = digital_pdf(columns(report()), tmp_path / "labs.pdf")
    pool = ReaderPool(1, read_options(settings), reader=plain_reader)
    async with running(settings) as services:
        jane = await household.add_profile("Jane Q Doe", slug="jane")
        workers = Workers(settings, services.engine, services.store, pool=pool)
        stop = asyncio.Event()
        task = asyncio.create_task(workers.run(stop))
        try:
            taken = await services.intake.take(pdf, source="cli", profile_id=jane["id"])
            assert taken.document_id is not None
            workers.notify()
            doc = await _read(taken.document_id)
        finally:
            stop.set()
            await task
            pool.close()
        assert doc["doc_type"] == "lab report"
        facts = await _facts(doc["id"])
        assert {f["analyte"] for f in facts if f["kind"] == "lab"} == {
            "glucose",
            "creatinine",
            "hba1c",
            "potassium",
        }


async def test_handing_an_unfiled_documents_bytes_in_for_a_profile_leaves_it_and_its_facts(
    services: Services, tmp_path: Path
) -> None:
    pdf = digital_pdf(columns(report()), tmp_path / "labs.pdf")
    first = await services.intake.take(pdf, source="inbox")  # no folder: the triage queue
    assert first.document_id is not None
    await persist.store(services.engine, first.document_id, lab_facts())
    assert {f["profile"] for f in await _facts(first.document_id)} == {None}
    jane = await household.add_profile("Jane Q Doe", slug="jane")
    again = await services.intake.take(pdf, source="upload", profile_id=jane["id"])
    # A new document of jane's, read on its own (issue 11, finding 8): the triage document is
    # not filed by whoever hands its bytes in, and its facts stay unfiled with it.
    assert again.outcome == "new" and again.document_id != first.document_id
    assert {f["profile"] for f in await _facts(first.document_id)} == {None}
