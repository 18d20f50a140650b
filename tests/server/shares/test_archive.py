"""The take-it-with-you archive (server.shares.archive): originals under their names, FHIR,
CSVs, summary, an offline README and a manifest whose checksums hold."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from server.db.tables import REJECTED, Document, Fact
from server.errors import NotFound
from server.health.clinician import clinician_summary
from server.health.records import profile_facts
from server.runtime import Services
from server.shares import archive
from server.shares.printable import render_html
from server.shares.record import record_bundle
from server.store import Store
from tests.fixtures.clinical_profile import Clinical, make_clinical

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def with_originals(store: Store, c: Clinical, tmp: Path) -> dict[int, bytes]:
    """Give each of the profile's documents real bytes in the store; two share a name."""
    out = {}
    for key, doc_id in c.docs.items():
        data = f"%PDF-1.4 original of {key} {doc_id}\n".encode() * 50
        src = tmp / f"{key}.bin"
        src.write_bytes(data)
        sha, size = store.put_original(src, max_bytes=10**7)
        values = {Document.sha256: sha, Document.size: size}
        if key == "old-labs":
            values[Document.original_name] = "labs-2026.pdf"  # the same name as "labs"
        await Document.update(values).where(Document.id == doc_id)
        out[doc_id] = data
    return out


async def test_archive_holds_everything_checked(services: Services, tmp_path: Path) -> None:
    c = await make_clinical()
    originals = await with_originals(services.store, c, tmp_path)
    target = tmp_path / "out.zip"
    seen: list[tuple[int, int]] = []
    built = await archive.build(
        services.store, c.profile, target, now=NOW, progress=lambda d, t: seen.append((d, t))
    )
    assert built.documents == len(c.docs) and seen[-1][0] == seen[-1][1]
    assert not list(tmp_path.glob(".*partial"))
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
        manifest = json.loads(z.read(f"{c.slug}/manifest.json"))
        assert manifest["format"] == archive.FORMAT
        listed = {f["path"] for f in manifest["files"]}
        assert listed | {f"{c.slug}/manifest.json"} == set(names)
        for f in manifest["files"]:
            data = z.read(f["path"])
            assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"]
        # Originals byte for byte, under their names, de-duplicated.
        stored = {z.read(n) for n in names if "/originals/" in n}
        assert stored == set(originals.values())
        assert f"{c.slug}/originals/labs-2026.pdf" in names
        assert f"{c.slug}/originals/labs-2026 (2).pdf" in names
        # The facts as they are, rejected ones too, cited by document SHA-256.
        facts = await Fact.select(Fact.id, Fact.status).where(Fact.profile == c.profile)
        assert len(manifest["facts"]) == len(facts)
        assert sorted(f["status"] for f in manifest["facts"]) == sorted(f["status"] for f in facts)
        assert REJECTED in {f["status"] for f in manifest["facts"]}
        a1c = next(f for f in manifest["facts"] if f["id"] == c.facts["a1c"])
        assert a1c["page"] == 1 and a1c["boxes"] and len(a1c["document_sha256"]) == 64
        Bundle.model_validate(json.loads(z.read(f"{c.slug}/record.fhir.json")))
        assert z.read(f"{c.slug}/summary.pdf").startswith(b"%PDF")
        # CSV: one row per lab result with unit, flag, range and date.
        labs = list(csv.DictReader(io.StringIO(z.read(f"{c.slug}/labs.csv").decode())))
        rows = {(r["date"], r["name"], r["value"], r["unit"], r["flag"]) for r in labs}
        assert ("2026-03-02", "HbA1c", "7.1", "%", "H") in rows
        assert ("2025-03-01", "HbA1c", "6.4", "%", "H") in rows
        assert next(r for r in labs if r["value"] == "7.1")["reference_range"] == "4-5.6"
        lab_facts = await Fact.select(Fact.id).where(
            (Fact.profile == c.profile) & (Fact.kind == "lab") & (Fact.status != REJECTED)
        )
        assert len(labs) == len(lab_facts)
        vitals = z.read(f"{c.slug}/vitals.csv").decode().splitlines()
        assert vitals[0].startswith("date,name,code,value,unit,flag,reference_range")
        # README opens offline: lists every file, refers to nothing outside.
        page = z.read(f"{c.slug}/README.html").decode()
        for name in names:
            if not name.endswith(("README.html", "manifest.json")):
                assert name.split("/", 1)[1] in page or "&#x27;" in page
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//|data:)", page, re.I)
        assert "http" not in page.lower() and "@import" not in page


async def test_archive_of_a_missing_original_is_refused(services: Services, tmp_path: Path) -> None:
    c = await make_clinical()  # documents whose originals were never stored
    target = tmp_path / "out.zip"
    with pytest.raises(NotFound, match="missing from the store"):
        await archive.build(services.store, c.profile, target, now=NOW)
    assert not target.exists() and not list(tmp_path.glob(".*partial"))


async def test_pdfs_and_images_are_stored_and_the_rest_deflated(
    services: Services, tmp_path: Path
) -> None:
    c = await make_clinical()
    await with_originals(services.store, c, tmp_path)
    await Document.update({Document.mime: "text/plain"}).where(Document.id == c.docs["labs"])
    target = tmp_path / "out.zip"
    await archive.build(services.store, c.profile, target, now=NOW)
    with zipfile.ZipFile(target) as z:
        how = {i.filename.split("/", 1)[1]: i.compress_type for i in z.infolist()}
    plain = {n for n, t in how.items() if t == zipfile.ZIP_STORED}
    originals = {n for n in how if n.startswith("originals/")}
    # The originals are PDFs (stored) but one, declared text (deflated); the summary is a PDF.
    assert len(originals & plain) == len(originals) - 1
    assert "summary.pdf" in plain
    for name in ("record.fhir.json", "labs.csv", "vitals.csv", "README.html", "manifest.json"):
        assert how[name] == zipfile.ZIP_DEFLATED


async def test_the_bundle_and_summary_from_one_read_of_the_facts_are_those_read_alone(
    services: Services,
) -> None:
    c = await make_clinical()
    rows = await profile_facts(c.profile, held=True)
    assert any(r.held for r in rows)  # held ones: in the bundle, not in the summary
    alone = await clinician_summary(c.profile, now=NOW)
    assert alone.entries
    # FactRows compare by identity: the page printed from each is what must be the same.
    once = await clinician_summary(c.profile, now=NOW, facts=rows)
    assert render_html(once, NOW) == render_html(alone, NOW)

    def without_ids(bundle: dict[str, object]) -> str:
        return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "U",
                      json.dumps(bundle, sort_keys=True))  # fmt: skip

    read_alone = await record_bundle(c.profile, now=NOW)
    assert len(read_alone["entry"]) > len(c.docs) + 1
    assert without_ids(await record_bundle(c.profile, now=NOW, facts=rows)) == without_ids(
        read_alone
    )
