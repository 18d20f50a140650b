"""The printed summary (server.shares.printable): a real PDF from WeasyPrint, read back with
pdfium: the person, the date printed, the facts with their marks, one or two pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest

from server.runtime import Services
from server.shares.printable import summary_pdf
from tests.conftest import ARTIFACTS
from tests.fixtures.clinical_profile import make_clinical

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SHOTS = ARTIFACTS / "screenshots"


def _text(pdf: bytes) -> tuple[int, str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        return len(doc), text
    finally:
        doc.close()


@pytest.mark.parametrize("size", ["a4", "letter"])
async def test_printed_summary_holds_the_record_on_two_pages_at_most(
    services: Services, size: str
) -> None:
    c = await make_clinical()
    pdf = await summary_pdf(c.profile, now=NOW, page_size=size)
    assert pdf.startswith(b"%PDF-")
    pages, text = _text(pdf)
    assert 1 <= pages <= 2, pages
    for expected in (
        "Grace Hopper", "1946-12-09", "age 79", "Printed 2026-12-06",
        "Hypertension", "Lisinopril", "Penicillin", "Influenza vaccine",
        "Hemoglobin A1c", "7.1 %", "4-5.6", "Body weight", "unreviewed",
    ):  # fmt: skip
        assert expected in text, expected
    for name, why in c.hidden.items():
        assert name not in text, f"{name} ({why}) must stay off paper"
    doc = pdfium.PdfDocument(pdf)
    width, height = doc[0].get_size()
    doc.close()
    expected_size = (595, 842) if size == "a4" else (612, 792)  # points
    assert (round(width), round(height)) == expected_size


async def test_printed_summary_with_the_share_links_qr(services: Services) -> None:
    c = await make_clinical()
    url = "https://kinchart.example/s/abc#shlink:/eyJ1cmwiOiJ4In0"
    pdf = await summary_pdf(c.profile, now=NOW, share_url=url)
    _, text = _text(pdf)
    assert "https://kinchart.example/s/abc" in text and "shlink" not in text  # no key on paper
    doc = pdfium.PdfDocument(pdf)
    kinds = [obj.type for obj in doc[0].get_objects(max_depth=4)]
    # The QR code is drawn (vector paths from its SVG, or an image): far more than the text.
    assert (
        kinds.count(pdfium.raw.FPDF_PAGEOBJ_PATH) + kinds.count(pdfium.raw.FPDF_PAGEOBJ_IMAGE) > 20
    )
    plain = pdfium.PdfDocument(await summary_pdf(c.profile, now=NOW))
    bare = [obj.type for obj in plain[0].get_objects(max_depth=4)]
    assert kinds.count(pdfium.raw.FPDF_PAGEOBJ_PATH) > bare.count(pdfium.raw.FPDF_PAGEOBJ_PATH)
    SHOTS.mkdir(parents=True, exist_ok=True)
    doc[0].render(scale=1.5).to_pil().save(SHOTS / "printed-summary-page-1.png")
    doc.close()
    plain.close()
