"""Health-record ZIPs: IHE XDM downloads and ZIPs of FHIR JSON taken in record by record;
hostile ZIPs refused whole with their reason."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from server.db.tables import Arrival, Document
from server.documents.archives import is_record_zip
from server.facts.reading import CCDA_MIME
from server.people import household
from server.runtime import running
from server.settings import Settings
from tests.conftest import CORPUS
from tests.server.facts.test_persist import _read

CCDS = [
    CORPUS / "ccda" / "hl7_examples__Documents__CCD__CCD_1__CCD.XML",
    CORPUS / "ccda" / "sample_ccdas__Kareo_Samples__Kareo_CCD_export_Joey_Miller.ccd",
]
BUNDLE = CORPUS / "fhir" / "bundles"


def _xdm(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("INDEX.HTM", "<html><body>Summary of care</body></html>")
        z.writestr("README.TXT", "Direct message download")
        z.writestr("IHE_XDM/SUBSET01/METADATA.XML", '<?xml version="1.0"?><SubmitObjectsRequest/>')
        z.writestr("IHE_XDM/SUBSET01/CCD.XSL", '<?xml version="1.0"?><xsl:stylesheet/>')
        for n, ccd in enumerate(CCDS, 1):
            z.write(ccd, f"IHE_XDM/SUBSET01/DOC{n:04d}.XML")
    return path


async def test_an_xdm_zip_brings_in_each_ccda_grouped_under_its_arrival(
    settings: Settings, tmp_path: Path
) -> None:
    if not all(p.exists() for p in CCDS):
        pytest.skip("corpus not found (tests read ../shared/corpus in place)")
    xdm = _xdm(tmp_path / "portal.zip")
    async with running(settings, workers=True) as services:
        dad = await household.add_profile("Dad", slug="dad")
        result = await services.intake.take(xdm, source="upload", profile_id=dad["id"])
        assert result.outcome == "new" and result.reason == "2 record(s) taken from portal.zip."
        arrivals = await Arrival.select().order_by(Arrival.id)
        assert [a["source_path"] for a in arrivals] == [
            "portal.zip!/IHE_XDM/SUBSET01/DOC0001.XML",
            "portal.zip!/IHE_XDM/SUBSET01/DOC0002.XML",
        ]
        docs = [await _read(a["document"]) for a in arrivals]
        # Byte for byte the C-CDA inside, read as one, filed as the ZIP was.
        assert [d["sha256"] for d in docs] != [] and len({d["sha256"] for d in docs}) == 2
        assert all(d["kind"] == "structured" and d["mime"] == CCDA_MIME for d in docs)
        assert all(d["profile"] == dad["id"] for d in docs)
        assert docs[0]["original_name"] == "portal - DOC0001.XML"
        assert services.store.original_path(docs[0]["sha256"]).read_bytes() == CCDS[0].read_bytes()
        # The same ZIP again: nothing new.
        again = await services.intake.take(xdm, source="upload", profile_id=dad["id"])
        assert again.outcome == "duplicate" and again.document_id == docs[0]["id"]
        assert await Document.count() == 2


async def test_a_zip_of_fhir_json_files(settings: Settings, tmp_path: Path) -> None:
    bundles = sorted(BUNDLE.glob("*.json"))[:2] if BUNDLE.is_dir() else []
    if not bundles:
        pytest.skip("corpus not found (tests read ../shared/corpus in place)")
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for b in bundles:
            z.write(b, f"fhir/{b.name}")
    async with running(settings) as services:
        result = await services.intake.take(path, source="cli")
        assert result.outcome == "new"
        assert await Document.count() == 2


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return path


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"../../x.xml": b"<ClinicalDocument/>"}, "outside the archive's folder"),
        ({"/etc/x.xml": b"<ClinicalDocument/>"}, "outside the archive's folder"),
        ({"inner.zip": b"PK\x03\x04whatever"}, "holds another archive"),
        ({"inner.bin": b"PK\x03\x04" + b"x" * 100}, "holds another archive"),
        ({"README.TXT": b"nothing here"}, "holds no health record"),
    ],
)
async def test_hostile_zips_are_refused_whole(
    settings: Settings, tmp_path: Path, members: dict[str, bytes], reason: str
) -> None:
    path = _zip(tmp_path / "bad.zip", members)
    async with running(settings) as services:
        result = await services.intake.take(path, source="upload")
        assert result.outcome == "rejected" and reason in result.reason
        (arrival,) = await Arrival.select()
        assert arrival["outcome"] == "rejected" and reason in arrival["reason"]
        assert await Document.count() == 0


async def test_a_zip_bomb_is_refused_before_it_inflates(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("IHE_XDM/SUBSET01/DOC0001.XML", "w") as member,
    ):
        for _ in range(512):  # 512 MB of zeros, about 500 KB packed
            member.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024
    async with running(settings) as services:
        result = await services.intake.take(path, source="upload")
    assert result.outcome == "rejected" and "zip bomb" in result.reason


@pytest.mark.nodb
def test_office_documents_are_not_record_zips(tmp_path: Path) -> None:
    docx = _zip(tmp_path / "a.docx", {"word/document.xml": b"<w/>", "[Content_Types].xml": b""})
    assert not is_record_zip(docx)
    assert is_record_zip(_zip(tmp_path / "b.zip", {"x.json": b"{}"}))
