"""Tell what a file is from its bytes, never from its name."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ocr.errors import ReadError

CDA_NS = "urn:hl7-org:v3"
FHIR_NS = "http://hl7.org/fhir"
_HEAD = 4096
# Detection reads no more than this of any archive member, however far it would inflate:
# an upload of a few hundred KB can hold a member of gigabytes (a zip bomb).
_MEMBER_HEAD = 256
_ACCEPTED = (
    "Kinchart reads PDF documents, images (JPEG, PNG, TIFF, HEIC, WebP, GIF, BMP) and "
    "C-CDA or FHIR health records."
)
_PRINT = "print it to PDF and drop the PDF in the inbox"


@dataclass(frozen=True)
class Detected:
    """A file's type: kind (pdf, jpeg, ..., ccda, fhir), MIME type and usual extension."""

    kind: str
    mime: str
    extension: str


_PDF = Detected("pdf", "application/pdf", "pdf")
_FHIR_JSON = Detected("fhir", "application/fhir+json", "json")
_FHIR_FIRST_KEY = re.compile(r'\s*\{\s*"resourceType"\s*:\s*"[A-Za-z]+"')
# Parsed whole only below this: parsed JSON takes 10-25 times its size in memory (20 MB of
# `{},` became 500 MB), and detection runs in the web process for uploads.
_MAX_JSON_PARSED = 1024 * 1024
_JSON_TAIL = 64 * 1024
_RESOURCE_TYPE = re.compile(rb'"resourceType"\s*:\s*"[A-Za-z]+"')
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]')
_IMAGES = {
    "jpeg": Detected("jpeg", "image/jpeg", "jpg"),
    "png": Detected("png", "image/png", "png"),
    "tiff": Detected("tiff", "image/tiff", "tif"),
    "gif": Detected("gif", "image/gif", "gif"),
    "bmp": Detected("bmp", "image/bmp", "bmp"),
    "webp": Detected("webp", "image/webp", "webp"),
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_HEIF_GENERIC = {b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"M4V ", b"3gp4", b"3gp5", b"avc1"}


def detect(path: Path) -> Detected:
    """Detect the type of the file at `path` by content; raise ReadError when unusable."""
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    if not head.strip(b"\x00 \t\r\n"):
        raise ReadError(
            "The file is empty. Check the scanner or the upload, then add the file again.",
            code="empty",
        )
    found = _binary(head) or _zip(path, head) or _markup(path, head)
    if isinstance(found, Detected):
        return found
    raise ReadError(
        found or f"Kinchart cannot read this kind of file. {_ACCEPTED}", code="unsupported"
    )


def _binary(head: bytes) -> Detected | str | None:
    if b"%PDF-" in head[:1024]:
        return _PDF
    if head.startswith(b"\xff\xd8\xff"):
        return _IMAGES["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _IMAGES["png"]
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return _IMAGES["tiff"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _IMAGES["gif"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _IMAGES["webp"]
    if head[:2] == b"BM" and len(head) > 18 and head[14] in (12, 40, 52, 56, 64, 108, 124):
        return _IMAGES["bmp"]
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return f"This is an older Microsoft Office file (.doc, .xls or .msg); {_PRINT}."
    if head.startswith(b"{\\rtf"):
        return f"This is a Rich Text (.rtf) document; {_PRINT}."
    if head[128:132] == b"DICM":
        return (
            "This is a DICOM medical image, which Kinchart does not read. Ask for the "
            "written report as a PDF, or export the images as JPEG."
        )
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!")):
        return "This is a compressed archive; unpack it and add the files inside."
    if head.startswith((b"ID3", b"OggS", b"fLaC")) or (
        head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI ")
    ):
        return "This is an audio or video file. " + _ACCEPTED
    return None


def _iso_media(head: bytes) -> Detected | str:
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(len(head), 64), 4)}
    if brands & _HEIF_BRANDS:
        return Detected("heic", "image/heic", "heic")
    if brands & _AVIF_BRANDS:
        return Detected("avif", "image/avif", "avif")
    if brands & _HEIF_GENERIC:
        return Detected("heic", "image/heif", "heif")
    if brands & _VIDEO_BRANDS:
        return "This is a video file. " + _ACCEPTED
    return "This looks like a photo or video in a format Kinchart does not know. " + _ACCEPTED


def _zip(path: Path, head: bytes) -> str | None:
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = _member_head(z, "mimetype") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, RuntimeError, NotImplementedError):
        return "This is a damaged ZIP archive. " + _ACCEPTED
    if any(n.startswith("word/") for n in names):
        return f"This is a Word document (.docx); {_PRINT}."
    if any(n.startswith("xl/") for n in names):
        return f"This is an Excel spreadsheet (.xlsx); {_PRINT}."
    if any(n.startswith("ppt/") for n in names):
        return f"This is a PowerPoint presentation (.pptx); {_PRINT}."
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return f"This is an OpenDocument file (.odt, .ods or .odp); {_PRINT}."
    return "This is a ZIP archive; unpack it and add the files inside."


def _member_head(z: zipfile.ZipFile, name: str) -> str:
    """The first bytes of a member, inflating no more than that (never the whole member)."""
    with z.open(name) as member:
        return member.read(_MEMBER_HEAD).decode(errors="replace")


def _markup(path: Path, head: bytes) -> Detected | str | None:
    text = _decode(head)
    if text is None:
        return None
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("<"):
        return _xml(path, start)
    if start.startswith(("{", "[")):
        return _json(path)
    return "This is a plain text file. Save or print it as a PDF and add it again. " + _ACCEPTED


def _decode(head: bytes) -> str | None:
    """Decode the head as text, or None when it is binary."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(codec, errors="ignore")
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return text if bad <= max(2, len(text) // 100) else None


def _xml(path: Path, start: str) -> Detected | str:
    lowered = start[:512].lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return f"This is a web page; {_PRINT}."
    try:
        # Only the root element is needed; stop at the first start tag.
        with open(path, "rb") as f:
            _, root = next(iter(SafeET.iterparse(f, events=("start",), forbid_dtd=True)))
    except DefusedXmlException:
        # A DTD can expand entities without limit or fetch URLs; health records need none.
        return (
            "This XML file declares a DTD, which Kinchart does not accept. Export the record "
            "again without it. " + _ACCEPTED
        )
    except (ElementTree.ParseError, StopIteration, OSError):
        return "This XML file is damaged and cannot be read. " + _ACCEPTED
    if root.tag == f"{{{CDA_NS}}}ClinicalDocument":
        return Detected("ccda", "application/xml+ccda", "xml")
    if root.tag.startswith(f"{{{FHIR_NS}}}"):
        return Detected("fhir", "application/fhir+xml", "xml")
    if root.tag.endswith("}html") or root.tag == "html":
        return f"This is a web page; {_PRINT}."
    return "This XML file is not a C-CDA (ClinicalDocument) or FHIR record. " + _ACCEPTED


def _json(path: Path) -> Detected | str:
    with open(path, "rb") as f:
        head = f.read(_HEAD).decode("utf-8-sig", errors="replace")
    if _FHIR_FIRST_KEY.match(head):
        # FHIR writers put resourceType first; bundles run to hundreds of MB, so don't parse.
        return _FHIR_JSON
    size = path.stat().st_size
    if size > _MAX_JSON_PARSED:
        if _resource_type_at_the_end(path, size):
            return _FHIR_JSON
        return "This JSON file is not a FHIR record (it has no resourceType). " + _ACCEPTED
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = json.load(f)
    except (ValueError, UnicodeDecodeError, OSError):
        return "This JSON file is damaged and cannot be read. " + _ACCEPTED
    if isinstance(data, dict) and isinstance(data.get("resourceType"), str):
        return _FHIR_JSON
    return "This JSON file is not a FHIR record (it has no resourceType). " + _ACCEPTED


def _resource_type_at_the_end(path: Path, size: int) -> bool:
    """Whether the outermost object's resourceType is in the last 64 KB, without parsing.

    Writers that sort keys put it after `entry`, near the end. The last `"resourceType":
    "..."` there belongs to the outermost object when the text after it closes exactly one
    level more than it opens (in valid JSON an unescaped quote always delimits a string).
    """
    with open(path, "rb") as f:
        f.seek(max(0, size - _JSON_TAIL))
        tail = f.read(_JSON_TAIL)
    ends = [m.end() for m in _RESOURCE_TYPE.finditer(tail)]
    if not ends:
        return False
    depth = 0
    for token in _JSON_TOKEN.finditer(tail, ends[-1]):
        c = token.group()[:1]
        if c in (b"{", b"["):
            depth += 1
        elif c in (b"}", b"]"):
            depth -= 1
    return depth == -1
