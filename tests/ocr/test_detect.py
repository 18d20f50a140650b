"""File types are told by content, and unusable files get a message a person can act on."""

from __future__ import annotations

import json
import os
import tracemalloc
import zipfile
from pathlib import Path

import pikepdf
import pillow_heif
import pytest
from PIL import Image

from ocr.detect import Detected, detect
from ocr.errors import ReadError

CCDA = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="CDA.xsl"?>
<!-- a comment before the root -->
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc">
  <realmCode code="US"/><title>Continuity of Care Document</title>
</ClinicalDocument>
"""
FHIR = {"resourceType": "Bundle", "type": "collection", "entry": []}
FHIR_XML = '<Patient xmlns="http://hl7.org/fhir"><id value="example"/></Patient>'


def _image(path: Path, fmt: str, mode: str = "RGB", **kwargs: object) -> Path:
    Image.new(mode, (64, 48), "white").save(path, fmt, **kwargs)
    return path


@pytest.mark.parametrize(
    ("fmt", "mode", "kind", "mime"),
    [
        ("JPEG", "RGB", "jpeg", "image/jpeg"),
        ("JPEG", "CMYK", "jpeg", "image/jpeg"),
        ("PNG", "RGBA", "png", "image/png"),
        ("TIFF", "L", "tiff", "image/tiff"),
        ("GIF", "P", "gif", "image/gif"),
        ("BMP", "RGB", "bmp", "image/bmp"),
        ("WEBP", "RGB", "webp", "image/webp"),
    ],
)
def test_images_are_told_by_content_whatever_their_name(
    tmp_path: Path, fmt: str, mode: str, kind: str, mime: str
) -> None:
    path = _image(tmp_path / "scan.pdf", fmt, mode)  # deliberately misnamed
    found = detect(path)
    assert (found.kind, found.mime) == (kind, mime)


def test_heic_from_a_phone(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.jpg"
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), "white")).save(path, quality=50)
    found = detect(path)
    assert (found.kind, found.mime, found.extension) == ("heic", "image/heic", "heic")


def test_pdf_named_like_an_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path)
    assert detect(path).kind == "pdf"


def test_pdf_with_junk_before_the_header(tmp_path: Path) -> None:
    # Some scanners and mail gateways prepend bytes; PDF readers accept the first 1 KB.
    path = tmp_path / "mail.bin"
    path.write_bytes(b"\r\n\r\n" + b"%PDF-1.4\n%%EOF\n")
    assert detect(path).kind == "pdf"


@pytest.mark.parametrize("content", [b"", b"   \n\t", b"\x00" * 100])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(content)
    with pytest.raises(ReadError) as err:
        detect(path)
    assert err.value.code == "empty"
    assert err.value.permanent
    assert "empty" in err.value.user_message


def test_word_document_gets_print_to_pdf_advice(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError) as err:
        detect(path)
    assert err.value.code == "unsupported"
    assert "Word document (.docx)" in err.value.user_message
    assert "print it to PDF" in err.value.user_message


def test_plain_zip_asks_to_unpack(tmp_path: Path) -> None:
    path = tmp_path / "scans.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(ReadError, match="unpack"):
        detect(path)


def test_opendocument_by_its_mimetype_member(tmp_path: Path) -> None:
    path = tmp_path / "letter.odt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(ReadError, match=r"OpenDocument file"):
        detect(path)


def test_a_zip_bomb_is_not_unpacked(tmp_path: Path) -> None:
    """Issue 11, finding 5: a small upload whose `mimetype` member inflates to 64 MB."""
    path = tmp_path / "bomb.odt"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("mimetype", "w", force_zip64=True) as member,
    ):
        member.write(b"application/vnd.oasis.opendocument.text")
        for _ in range(64):
            member.write(bytes(1024 * 1024))
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match=r"OpenDocument file"):
            detect(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, f"detection held {peak / 1e6:.0f} MB"


@pytest.mark.parametrize(
    "dtd",
    [
        '<!DOCTYPE ClinicalDocument [<!ENTITY a "aaaa">]>',
        '<!DOCTYPE ClinicalDocument SYSTEM "http://127.0.0.1:9/CDA.dtd">',
    ],
)
def test_xml_with_a_dtd_is_refused(tmp_path: Path, dtd: str) -> None:
    """Issue 11, finding 9: detection parses up to the root element, DTD included."""
    path = tmp_path / "record.xml"
    path.write_text(CCDA.replace("<!-- a comment before the root -->", dtd))
    with pytest.raises(ReadError, match="DTD") as err:
        detect(path)
    assert err.value.code == "unsupported"


def test_random_bytes_get_the_generic_message(tmp_path: Path) -> None:
    path = tmp_path / "mystery.jpg"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(ReadError) as err:
        detect(path)
    assert err.value.code == "unsupported"
    assert "Kinchart reads PDF documents" in err.value.user_message


def test_ccda_by_root_element(tmp_path: Path) -> None:
    path = tmp_path / "record.txt"
    path.write_text(CCDA, encoding="utf-8")
    found = detect(path)
    assert (found.kind, found.mime, found.extension) == ("ccda", "application/xml+ccda", "xml")


def test_ccda_with_byte_order_mark_and_utf16(tmp_path: Path) -> None:
    bom = tmp_path / "bom.xml"
    bom.write_bytes(b"\xef\xbb\xbf" + CCDA.encode())
    utf16 = tmp_path / "utf16.xml"
    utf16.write_bytes(CCDA.replace("UTF-8", "UTF-16").encode("utf-16"))
    assert detect(bom).kind == "ccda"
    assert detect(utf16).kind == "ccda"


def test_fhir_json_and_xml(tmp_path: Path) -> None:
    as_json = tmp_path / "bundle.dat"
    as_json.write_text(json.dumps(FHIR))
    as_xml = tmp_path / "patient.dat"
    as_xml.write_text(FHIR_XML)
    assert (detect(as_json).kind, detect(as_json).mime) == ("fhir", "application/fhir+json")
    assert (detect(as_xml).kind, detect(as_xml).mime) == ("fhir", "application/fhir+xml")


def test_fhir_json_with_resource_type_not_first(tmp_path: Path) -> None:
    path = tmp_path / "patient.json"
    path.write_text('{"id": "example", "meta": {}, "resourceType": "Patient"}')
    assert detect(path).kind == "fhir"


def _traced_peak(path: Path) -> tuple[object, int]:
    tracemalloc.start()
    try:
        try:
            found: object = detect(path)
        except ReadError as exc:
            found = exc
        return found, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_json_is_not_parsed_whole(tmp_path: Path) -> None:
    """Like the zip bomb of issue 11, finding 5: 20 MB of `{},` became 500 MB of objects."""
    path = tmp_path / "sorted-keys-bundle.json"
    with open(path, "w") as f:
        f.write('{"entry": [' + '{"resource": {}, "a": [1, "}"]},' * 600_000 + "{}],")
        f.write(' "id": "b1", "resourceType": "Bundle", "type": "collection"}')
    found, peak = _traced_peak(path)
    assert isinstance(found, Detected) and found.kind == "fhir"
    assert peak < 2_000_000, f"detection held {peak / 1e6:.0f} MB"
    nested = tmp_path / "resources.json"  # resources in a list: not one FHIR record
    with open(nested, "w") as f:
        f.write('{"list": [' + '{"resourceType": "Patient"},' * 600_000 + "{}]}")
    found, peak = _traced_peak(nested)
    assert isinstance(found, ReadError) and "not a FHIR record" in found.user_message
    assert peak < 2_000_000, f"detection held {peak / 1e6:.0f} MB"


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        ('{"name": "not fhir"}', "not a FHIR record"),
        ("<note><to>x</to></note>", "not a C-CDA"),
        ("<!DOCTYPE html><html><body>portal</body></html>", "web page"),
        ("Patient: Jane\nBP 120/80\n", "plain text"),
        ("<ClinicalDocument xmlns='urn:hl7-org:v3' <title>", "damaged"),
    ],
)
def test_other_text_files_are_explained(tmp_path: Path, content: str, phrase: str) -> None:
    path = tmp_path / "upload.xml"
    path.write_text(content)
    with pytest.raises(ReadError) as err:
        detect(path)
    assert phrase in err.value.user_message
    assert err.value.code == "unsupported"


def test_corpus_ccda_documents(scans: Path) -> None:
    folder = scans.parent / "ccda"
    documents = sorted(p for p in folder.glob("*") if p.suffix.lower() == ".xml")
    assert documents
    assert {detect(p).kind for p in documents} == {"ccda"}


def test_corpus_ccda_fragments_are_not_documents(scans: Path) -> None:
    # hl7_fragments hold bare <section>/<component> snippets, not ClinicalDocuments.
    for path in sorted((scans.parent / "ccda" / "hl7_fragments").glob("*.xml")):
        with pytest.raises(ReadError, match="not a C-CDA"):
            detect(path)


def test_corpus_fhir_resources_and_bundles(scans: Path) -> None:
    files = sorted((scans.parent / "fhir").rglob("*.json"))
    assert files
    assert {detect(p).mime for p in files} == {"application/fhir+json"}


def test_corpus_scans(scans: Path) -> None:
    kinds = {
        p.name: detect(p).kind
        for p in scans.rglob("*")
        if p.suffix.lower() in (".pdf", ".png", ".jpg", ".tiff", ".heic")
    }
    assert kinds["paperless__simple.heic"] == "heic"
    assert kinds["paperless__multi-page-images.tiff"] == "tiff"
    assert kinds["ocrmypdf__baiona_cmyk.jpg"] == "jpeg"
    assert kinds["ocrmypdf__invalid.pdf"] == "pdf"  # a PDF header, even if nothing after it
