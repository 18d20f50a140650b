"""The page of a structured record shows its content: FHIR facts by kind, C-CDA narrative
as sanitised XHTML; only to those who may see the document; its text is searchable."""

from __future__ import annotations

import hashlib
import re

import pytest
from starlette.applications import Starlette

from ocr.facts.fhir import read_fhir
from server.db.tables import Document
from server.facts import persist
from server.facts.reading import CCDA_MIME
from server.runtime import Services
from server.search import projection
from tests.conftest import CORPUS
from tests.fixtures.people import Household, login
from tests.server.conftest import new_client

HEMOGLOBIN = CORPUS / "fhir" / "resources" / "uscore_observation-cbc-hemoglobin.json"
CCDA = b"""<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
 <recordTarget><patientRole><patient><name><given>Secret</given><family>Dad</family></name>
 </patient></patientRole></recordTarget>
 <component><structuredBody><component><section>
  <title>Allergies</title>
  <text><table border="1" onclick="alert(1)"><thead><tr><th>Substance</th></tr></thead>
   <tbody><tr><td styleCode="Bold">Penicillin &lt;script&gt;</td></tr></tbody></table>
   <paragraph>See <linkHtml href="javascript:alert(2)">this</linkHtml>
   <renderMultiMedia referencedObject="img1"/> now.</paragraph>
   <script>alert(3)</script></text>
 </section></component></structuredBody></component>
</ClinicalDocument>"""


async def _record(services: Services, body: bytes, mime: str, profile: int, name: str) -> int:
    sha = hashlib.sha256(body).hexdigest()
    path = services.store.original_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    rows = await Document.insert(
        Document(
            sha256=sha,
            original_name=name,
            size=len(body),
            mime=mime,
            kind="structured",
            state="ready",
            profile=profile,
        )
    ).returning(Document.id)
    return int(rows[0]["id"])


async def test_a_fhir_record_page_shows_its_facts_by_kind(
    app: Starlette, app_services: Services, household: Household
) -> None:
    if not HEMOGLOBIN.exists():
        pytest.skip(f"corpus not found at {HEMOGLOBIN} (tests read ../shared/corpus in place)")
    body = HEMOGLOBIN.read_bytes()
    doc = await _record(app_services, body, "application/fhir+json", household.profiles["dad"],
                        "hb.json")  # fmt: skip
    await persist.store(app_services.engine, doc, read_fhir(HEMOGLOBIN))
    async with new_client(app) as viewer:
        await login(viewer, "carol")
        page = (await viewer.get(f"/documents/{doc}")).text
    assert 'data-testid="structured-lab"' in page
    row = re.search(r'data-testid="structured-lab".*?</table>', page, re.S)
    assert row is not None
    assert "Hemoglobin, Blood" in row.group() and "17 g/dL" in row.group()
    assert "2005-07-05" in row.group() and "Observation cbc-hemoglobin" in row.group()
    # Its text is searchable: the index holds the facts' lines, on the record's own date.
    (indexed,) = await projection.load([doc])
    assert "Hemoglobin, Blood: 17 g/dL" in indexed.pages[0].text
    assert str(indexed.date) == "2005-07-05"
    async with new_client(app) as stranger:
        await login(stranger, "dave")
        assert (await stranger.get(f"/documents/{doc}")).status_code in (403, 404)


async def test_a_ccda_page_shows_its_narrative_without_anything_active(
    app: Starlette, app_services: Services, household: Household
) -> None:
    doc = await _record(app_services, CCDA, CCDA_MIME, household.profiles["dad"], "ccd.xml")
    async with new_client(app) as owner:
        await login(owner, "olga")
        response = await owner.get(f"/documents/{doc}")
    page = response.text
    section = re.search(r'data-testid="structured-section">(.*?)</details>', page, re.S)
    assert section is not None
    html = section.group(1)
    assert "<summary>Allergies</summary>" in html
    assert "<td>Penicillin &lt;script&gt;</td>" in html and "<th>Substance</th>" in html
    assert re.search(r"<p>See this\s+now\.</p>", html)
    for active in ("<script", "onclick", "javascript:", "href", "styleCode", "border", "<img"):
        assert active not in html, active
    assert "alert(3)" in html  # a script element's text is shown as text, never run
    assert "script-src" in response.headers["content-security-policy"]


async def test_a_fhir_record_of_someone_else_is_flagged_like_a_printed_one(
    app: Starlette, app_services: Services, household: Household
) -> None:
    bundle = next(iter(sorted((CORPUS / "fhir" / "bundles").glob("synthea_Antonio*.json"))), None)
    if bundle is None:
        pytest.skip("corpus not found (tests read ../shared/corpus in place)")
    doc = await _record(app_services, bundle.read_bytes(), "application/fhir+json",
                        household.profiles["dad"], "antonio.json")  # fmt: skip
    found = read_fhir(bundle)
    assert any(r.analyte == "hemoglobin" for r in found.labs)  # so the labs page could show it
    await persist.store(app_services.engine, doc, found)
    row = await Document.select(Document.patient_check).where(Document.id == doc).first()
    assert row == {"patient_check": "mismatch"}
    async with new_client(app) as viewer:
        await login(viewer, "carol")
        page = (await viewer.get(f"/documents/{doc}")).text
        assert 'data-testid="patient-mismatch"' in page and "Antonio Castellanos" in page
        labs = (await viewer.get("/profiles/dad/labs")).text
        assert 'data-key="hemoglobin"' not in labs, "held out while it names someone else"
    async with new_client(app) as caregiver:
        await login(caregiver, "bob")
        assert (await caregiver.post(f"/documents/{doc}/belongs")).status_code == 303
        labs = (await caregiver.get("/profiles/dad/labs")).text
        assert 'data-key="hemoglobin"' in labs  # once a person says it is Dad's
