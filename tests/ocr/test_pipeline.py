"""read_document end to end, with real OCRmyPDF and Tesseract on pages drawn in the test."""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

from ocr.errors import PASSWORD_MESSAGE, ReadError
from ocr.model import PageReading, Word
from ocr.pipeline import ReadOptions, read_document

OPTIONS = ReadOptions()
LAB = [
    "Riverside Clinical Laboratory",
    "Collected 2024-03-12 Patient Jane Example",
    "Hemoglobin\t13.2\tg/dL\t12.0 - 15.5",
    "Potassium\t5.9\tH\tmmol/L\t3.5 - 5.1",
    "Creatinine\t0.81\tmg/dL\t0.57 - 1.00",
    "Glucose\t66\tL\tmg/dL\t70 - 99",
]
COLUMNS = (0.75, 2.75, 3.75, 4.5, 5.75)


def _word(page: PageReading, text: str) -> Word:
    return next(w for w in page.words if w.text == text)


def _overlap(a: Word | object, b: object) -> float:
    """Intersection over union of two boxes with x0, y0, x1, y1 attributes."""
    ax0, ay0, ax1, ay1 = (getattr(a, k) for k in ("x0", "y0", "x1", "y1"))
    bx0, by0, bx1, by1 = (getattr(b, k) for k in ("x0", "y0", "x1", "y1"))
    iw = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    ih = max(0.0, min(ay1, by1) - max(ay0, by0))
    inter = iw * ih
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union else 0.0


def test_scanned_page_gives_words_where_they_were_drawn(
    tmp_path: Path, draw: Callable, image_pdf: Callable
) -> None:
    drawn = draw(LAB, columns=COLUMNS)
    src = image_pdf([drawn.image], tmp_path / "scan.pdf")
    reading = read_document(src, tmp_path / "work", OPTIONS)

    assert (reading.kind, reading.mime, reading.structured_format) == (
        "pdf",
        "application/pdf",
        None,
    )
    [page] = reading.pages
    assert page.ocr_applied
    assert (page.width_pt, page.height_pt) == (612, 396)
    for text in ("Riverside", "Hemoglobin", "13.2", "Potassium", "5.9", "mmol/L", "Creatinine"):
        assert text in page.text
        assert _overlap(_word(page, text), drawn.find(text)) > 0.5, text
    # The lone flag in its own column survives (DESIGN.md: page segmentation mode 4).
    assert "Potassium 5.9 H mmol/L" in " ".join(page.text.split())
    assert reading.warnings == []


def test_outputs_live_in_the_workdir(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    src = image_pdf([draw(LAB[:2]).image], tmp_path / "scan.pdf")
    work = tmp_path / "work"
    reading = read_document(src, work, OPTIONS)
    [page] = reading.pages
    assert reading.pdf is not None
    for path in (reading.pdf, page.image, page.thumbnail):
        assert Path(path).is_relative_to(work) and Path(path).is_file()
    with Image.open(page.image) as display, Image.open(page.thumbnail) as thumb:
        assert display.format == thumb.format == "WEBP"
        assert max(display.size) == 1600 and max(thumb.size) == 320
    assert sorted(p.name for p in work.iterdir()) == [
        "document.pdf",
        "page-0001.webp",
        "thumb-0001.webp",
    ]
    assert pickle.loads(pickle.dumps(reading)) == reading
    assert reading.seconds > 0


def test_display_image_shows_the_page(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    # OCR'd pages get their display image from the page raster made for OCR; it must look
    # like PDFium's rendering of the finished page.
    src = image_pdf([draw(LAB, columns=COLUMNS).image], tmp_path / "scan.pdf")
    reading = read_document(src, tmp_path / "work", OPTIONS)
    [page] = reading.pages
    pdf = pdfium.PdfDocument(reading.pdf or "")
    reference = pdf[0].render(scale=1600 / 612).to_pil().convert("L")
    with Image.open(page.image) as display:
        shown = display.convert("L")
        assert abs(shown.width - reference.width) <= 1
        difference = ImageChops.difference(shown, reference.resize(shown.size))
        assert ImageStat.Stat(difference).mean[0] < 3
    pdf.close()


def test_born_digital_pdf_skips_ocr(tmp_path: Path, text_pdf: Callable) -> None:
    src = text_pdf(
        [["Discharge Summary", "Hypertension."], ["Page two of the summary"]],
        tmp_path / "digital.pdf",
    )
    started = time.perf_counter()
    reading = read_document(src, tmp_path / "work", OPTIONS)
    elapsed = time.perf_counter() - started

    assert [p.ocr_applied for p in reading.pages] == [False, False]
    assert reading.pages[0].text.split("\n")[:2] == ["Discharge Summary", "Hypertension."]
    assert Path(reading.pdf or "").read_bytes() == src.read_bytes()
    first = reading.pages[0].words[0]
    assert first.text == "Discharge"
    assert first.x0 == pytest.approx(72 / 612, abs=0.005)
    assert first.y1 == pytest.approx((792 - 720) / 792, abs=0.01)
    assert elapsed < 2  # no OCRmyPDF at all; the bench measures the real figure


def test_mixed_pdf_ocrs_only_pages_without_text(
    tmp_path: Path, draw: Callable, image_pdf: Callable, text_pdf: Callable
) -> None:
    digital = text_pdf([["Typed cover letter"]], tmp_path / "a.pdf")
    scanned = image_pdf([draw(["Scanned lab result page"]).image], tmp_path / "b.pdf")
    mixed = tmp_path / "mixed.pdf"
    with pikepdf.open(digital) as pdf, pikepdf.open(scanned) as other:
        pdf.pages.extend(other.pages)
        pdf.save(mixed)
    reading = read_document(mixed, tmp_path / "work", OPTIONS)
    assert [p.ocr_applied for p in reading.pages] == [False, True]
    assert "Typed cover letter" in reading.pages[0].text
    assert "Scanned lab result page" in reading.pages[1].text


def test_multi_page_tiff_gives_one_page_per_frame(tmp_path: Path, draw: Callable) -> None:
    frames = [draw([f"This is page {n} of the fax"]).image for n in ("one", "two", "three")]
    src = tmp_path / "fax.tif"
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(200, 200))
    reading = read_document(src, tmp_path / "work", OPTIONS)
    assert (reading.kind, reading.mime) == ("image", "image/tiff")
    assert [p.number for p in reading.pages] == [1, 2, 3]
    for page, n in zip(reading.pages, ("one", "two", "three"), strict=True):
        assert f"This is page {n} of the fax" in page.text
        assert page.ocr_applied


def test_rotated_pages_are_turned_upright(
    tmp_path: Path, draw: Callable, image_pdf: Callable
) -> None:
    drawn = draw(LAB, columns=COLUMNS, inches=(6.5, 4))
    turned = [drawn.image.rotate(angle, expand=True) for angle in (90, 180, 270)]
    src = image_pdf(turned, tmp_path / "turned.pdf")
    reading = read_document(src, tmp_path / "work", OPTIONS)
    for page in reading.pages:
        assert page.width_pt > page.height_pt, f"page {page.number} not turned back"
        with Image.open(page.image) as display:
            assert display.width > display.height, f"page {page.number} image not turned"
        assert "Potassium 5.9 H mmol/L" in " ".join(page.text.split()), page.number
        for text in ("Hemoglobin", "Creatinine", "mmol/L"):
            assert _overlap(_word(page, text), drawn.find(text)) > 0.5, (page.number, text)
    with pikepdf.open(reading.pdf or "") as pdf:
        # Display rotation is set; the scanned image itself is left as it was.
        assert [int(p.obj.get("/Rotate", 0)) % 360 for p in pdf.pages] == [90, 180, 270]


def test_page_already_carrying_rotate(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    drawn = draw(LAB, columns=COLUMNS, inches=(6.5, 4))
    sideways = image_pdf([drawn.image.rotate(90, expand=True)], tmp_path / "sideways.pdf")
    with pikepdf.open(sideways, allow_overwriting_input=True) as pdf:
        pdf.pages[0].rotate(90, relative=False)  # a scanner that set /Rotate itself
        pdf.save(sideways)
    [page] = read_document(sideways, tmp_path / "work", OPTIONS).pages
    assert page.width_pt > page.height_pt
    assert _overlap(_word(page, "Glucose"), drawn.find("Glucose")) > 0.5


def test_skewed_table_keeps_its_rows(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    drawn = draw(LAB, columns=COLUMNS)
    skewed = drawn.image.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)
    src = image_pdf([skewed], tmp_path / "skewed.pdf")
    [page] = read_document(src, tmp_path / "work", OPTIONS).pages
    rows = [" ".join(line.split()) for line in page.text.splitlines()]
    assert any(r.startswith("Hemoglobin 13.2 g/dL") for r in rows), rows
    assert any(r.startswith("Potassium 5.9 H mmol/L") for r in rows), rows
    assert any(r.startswith("Glucose 66 L mg/dL") for r in rows), rows


def test_password_protected_pdf(tmp_path: Path, text_pdf: Callable) -> None:
    src = text_pdf([["secret results"]], tmp_path / "plain.pdf")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="1234", owner="owner"))
    with pytest.raises(ReadError) as err:
        read_document(locked, tmp_path / "work", OPTIONS)
    assert err.value.code == "encrypted"
    assert err.value.permanent
    assert err.value.user_message == PASSWORD_MESSAGE


def test_owner_password_only_is_read(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    src = image_pdf([draw(["Restricted but readable"]).image], tmp_path / "scan.pdf")
    restricted = tmp_path / "restricted.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(
            restricted,
            encryption=pikepdf.Encryption(
                user="", owner="owner", allow=pikepdf.Permissions(extract=False)
            ),
        )
    [page] = read_document(restricted, tmp_path / "work", OPTIONS).pages
    assert "Restricted but readable" in page.text


def test_truncated_pdf_is_corrupt(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    src = image_pdf([draw(LAB).image], tmp_path / "scan.pdf")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    with pytest.raises(ReadError) as err:
        read_document(cut, tmp_path / "work", OPTIONS)
    assert err.value.code == "corrupt"
    assert err.value.permanent
    assert "damaged or incomplete" in err.value.user_message


def test_signed_pdf_is_not_altered(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    src = image_pdf([draw(["Signed scan"]).image], tmp_path / "scan.pdf")
    signed = tmp_path / "signed.pdf"
    with pikepdf.open(src) as pdf:
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), SigFlags=3)
        pdf.save(signed)
    reading = read_document(signed, tmp_path / "work", OPTIONS)
    assert Path(reading.pdf or "").read_bytes() == signed.read_bytes()
    assert not reading.pages[0].ocr_applied
    assert any("digitally signed" in w for w in reading.warnings)


def test_blank_page_is_ready_with_a_warning(tmp_path: Path, image_pdf: Callable) -> None:
    src = image_pdf([Image.new("L", (1700, 1100), 255)], tmp_path / "blank.pdf")
    reading = read_document(src, tmp_path / "work", OPTIONS)
    assert reading.pages[0].text.strip() == ""
    assert reading.warnings == ["Page 1 has no text after OCR (blank, or only pictures)."]


def test_structured_records_are_not_paged(tmp_path: Path) -> None:
    src = tmp_path / "ccd.xml"
    src.write_text('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>CCD</title></ClinicalDocument>')
    reading = read_document(src, tmp_path / "work", OPTIONS)
    assert (reading.kind, reading.structured_format, reading.pages, reading.pdf) == (
        "structured",
        "ccda",
        [],
        None,
    )


def test_too_many_pages(tmp_path: Path, text_pdf: Callable) -> None:
    src = text_pdf([["a"], ["b"], ["c"]], tmp_path / "three.pdf")
    with pytest.raises(ReadError) as err:
        read_document(src, tmp_path / "work", ReadOptions(max_pages=2))
    assert err.value.code == "too_many_pages"
    assert "3 pages" in err.value.user_message


def test_huge_page_fails_fast(tmp_path: Path) -> None:
    src = tmp_path / "poster.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(72 * 100, 72 * 20))
    pdf.save(src)
    with pytest.raises(ReadError) as err:
        read_document(src, tmp_path / "work", OPTIONS)
    assert err.value.code == "too_large"
    assert "100 × 20 inches" in err.value.user_message


def test_decompression_bomb_fails_before_rasterising(tmp_path: Path) -> None:
    # A 60000 × 60000 monochrome image that compresses to almost nothing.
    src = tmp_path / "bomb.pdf"
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(612, 792))
    image = pdf.make_stream(
        b"\x00" * 64,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=60000,
        Height=60000,
        BitsPerComponent=1,
        ColorSpace=pikepdf.Name.DeviceGray,
    )
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.obj.Contents = pdf.make_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    pdf.save(src)
    started = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_document(src, tmp_path / "work", OPTIONS)
    assert err.value.code == "too_large"
    assert "3,600 megapixels" in err.value.user_message
    assert time.perf_counter() - started < 1
