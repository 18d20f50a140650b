"""Every file in the real-world corpus is read, or refused with a message a person can act on.

Expectations come from scans/manifest.csv, except where the manifest is wrong or describes
another program's behaviour; each such case is written down in EXPECTED or OVERRIDES below.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ocr.errors import PASSWORD_MESSAGE, ReadError
from ocr.model import Reading
from ocr.pipeline import ReadOptions, read_document
from ocr.pool import ReaderPool

pytestmark = [pytest.mark.corpus, pytest.mark.slow]
SCANS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scans"  # ../shared/corpus

# Files that must be refused, and why.
EXPECTED_ERRORS = {
    # 44 bytes: a PDF header straight followed by %%EOF.
    "error_cases/ocrmypdf__invalid.pdf": "corrupt",
    # Needs a user password. Paperless stores such files with empty text; Kinchart instead
    # asks for an unlocked copy, because a document nobody can search is a silent loss.
    "error_cases/paperless__encrypted.pdf": "encrypted",
    "error_cases/paperless__password-is-test.pdf": "encrypted",
    # 117 × 117-inch page holding a 35000 × 35000 px image: refused before rasterising.
    "stress/ocrmypdf__hugemono.pdf": "too_large",
    # Not documents: the manifest and ground-truth transcripts.
    "manifest.csv": "unsupported",
    "ocrmypdf__linn.txt": "unsupported",
    "medical/derived__UD_sample.groundtruth.txt": "unsupported",
}
# Where the manifest's expected text is not what the file holds.
OVERRIDES = {
    # The HEIC is a phone photo of a recipe page, not the "test document" of its siblings;
    # paperless-ngx's own test asserts "pizza" for it (test_parser.py::test_heic).
    "paperless__simple.heic": ["PIZZA DOUGH WITH STORE-BOUGHT YEAST"],
}
LINN_FAMILY = [
    "ocrmypdf__linn.png",
    "ocrmypdf__linn.pdf",
    "ocrmypdf__skew.pdf",
    "ocrmypdf__rotated_skew.pdf",
    "ocrmypdf__cardinal.pdf",
    "ocrmypdf__ccitt.pdf",
    "ocrmypdf__jbig2.pdf",
]
FILES = (
    sorted(str(p.relative_to(SCANS)) for p in SCANS.rglob("*") if p.is_file())
    if SCANS.is_dir()
    else []
)


def _normal(text: str) -> str:
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Reading | ReadError]:
    """Read a corpus file once per module, returning the Reading or the ReadError."""
    if not SCANS.is_dir():
        pytest.skip(f"corpus not found at {SCANS}")
    cache: dict[str, Reading | ReadError] = {}

    def read_once(name: str) -> Reading | ReadError:
        if name not in cache:
            work = tmp_path_factory.mktemp("corpus")
            try:
                cache[name] = read_document(SCANS / name, work, ReadOptions(jobs=2))
            except ReadError as exc:
                cache[name] = exc
        return cache[name]

    return read_once


@pytest.mark.parametrize("name", [f for f in FILES if not f.startswith("stress/")])
def test_file_is_read_or_refused_clearly(name: str, read: Callable) -> None:
    result = read(name)
    if name in EXPECTED_ERRORS:
        assert isinstance(result, ReadError), f"{name} should have been refused"
        assert result.code == EXPECTED_ERRORS[name]
        assert result.permanent
        assert len(result.user_message) > 40
        return
    assert isinstance(result, Reading), f"{name}: {result!r}"
    assert result.pages and all(Path(p.image).is_file() for p in result.pages)


def _manifest_rows() -> list[tuple[str, list[str], bool]]:
    if not SCANS.is_dir():
        return []
    rows = []
    for row in csv.DictReader((SCANS / "manifest.csv").open(encoding="utf-8")):
        expected = row["expected_text_substrings"].strip()
        name = Path(row["file"]).name
        if not expected or expected == "see linn.txt" or name == "paperless__rtl-test.pdf":
            continue  # rtl-test's cell is a note, handled in its own test below
        note = re.search(r"\(([^)]*)\)\s*$", expected)
        in_order = bool(note and "in order" in note.group(1))
        expected = expected[: note.start()] if note else expected
        parts = OVERRIDES.get(name, [s.strip() for s in expected.split(" | ")])
        rows.append((row["file"], parts, in_order))
    return rows


@pytest.mark.parametrize(("name", "parts", "in_order"), _manifest_rows())
def test_expected_text_is_found(
    name: str, parts: list[str], in_order: bool, read: Callable
) -> None:
    result = read(name)
    assert isinstance(result, Reading), f"{name}: {result!r}"
    text = _normal("\n".join(p.text for p in result.pages))
    position = 0
    for part in parts:
        found = text.find(_normal(part), position if in_order else 0)
        assert found >= 0, f"{part!r} not in {name}: {text[:300]!r}"
        position = found + 1


def test_rtl_text_layer_is_reported_as_stored(read: Callable) -> None:
    # The PDF's text layer holds "وزارة الداخلية" with the first word's glyphs in visual
    # order (pdftotext shows the same). Kinchart reports a text layer as stored and does
    # not guess at bidi repairs, so "ministry" may come out reversed; "interior" is intact.
    result = read("paperless__rtl-test.pdf")
    assert isinstance(result, Reading)
    text = result.pages[0].text
    assert "الداخلية" in text
    assert "وزارة" in text or "ةرازو" in text


@pytest.mark.parametrize("name", LINN_FAMILY)
def test_brochure_is_read_in_every_orientation(name: str, read: Callable) -> None:
    # One page scanned straight, skewed, rotated, as fax G4 and as JBIG2: every page must
    # carry nearly all words of the reference transcription (measured: 99.3–99.6%).
    truth = set(re.findall(r"[a-z]{4,}", (SCANS / "ocrmypdf__linn.txt").read_text().lower()))
    result = read(name)
    assert isinstance(result, Reading)
    for page in result.pages:
        found = set(re.findall(r"[a-z]{4,}", page.text.lower()))
        assert len(truth & found) / len(truth) >= 0.97, (name, page.number)
        assert page.width_pt < page.height_pt, f"{name} page {page.number} is not upright"


def test_signed_pdf_is_kept_byte_for_byte(read: Callable) -> None:
    name = "error_cases/paperless__signed.pdf"
    result = read(name)
    assert isinstance(result, Reading)
    assert Path(result.pdf or "").read_bytes() == (SCANS / name).read_bytes()
    assert not any(p.ocr_applied for p in result.pages)


def test_password_message(read: Callable) -> None:
    result = read("error_cases/paperless__password-is-test.pdf")
    assert isinstance(result, ReadError) and result.user_message == PASSWORD_MESSAGE


def test_xfa_and_empty_pages_do_not_crash(read: Callable) -> None:
    for name in (
        "error_cases/ocrmypdf__livecycle.pdf",
        "error_cases/ocrmypdf__no_contents.pdf",
        "ocrmypdf__blank.pdf",
    ):
        result = read(name)
        assert isinstance(result, Reading), name
        assert not result.pages[0].text.strip()
        assert result.warnings, f"{name} should say why it has no text"


def test_tagged_pdf_without_text_is_ocred(read: Callable) -> None:
    # Marked as Tagged (usually born-digital) yet its one page is a picture of text.
    result = read("paperless__tagged-but-no-text.pdf")
    assert isinstance(result, Reading)
    assert result.pages[0].ocr_applied and "This is a test." in result.pages[0].text


def test_mixed_pdf_keeps_typed_pages(read: Callable) -> None:
    result = read("paperless__multi-page-mixed.pdf")
    assert isinstance(result, Reading)
    assert [p.ocr_applied for p in result.pages] == [True, True, True, False, False, False]


@pytest.mark.parametrize("name", ["stress/ocrmypdf__enormous.pdf", "stress/ocrmypdf__hugemono.pdf"])
def test_stress_files_stay_within_bounds(name: str, tmp_path: Path) -> None:
    if not SCANS.is_dir():
        pytest.skip(f"corpus not found at {SCANS}")
    # In a pool child capped at 2 GB of address space and 3 minutes: either a clear
    # refusal, or a reading, never a runaway.
    with ReaderPool(1, ReadOptions(), timeout_s=180, memory_limit_mb=2048) as pool:
        try:
            reading = pool.read(SCANS / name, tmp_path / "work")
        except ReadError as exc:
            assert name in EXPECTED_ERRORS, f"{name}: {exc!r}"
            assert exc.code == EXPECTED_ERRORS[name]
            return
    assert name not in EXPECTED_ERRORS
    assert len(reading.pages) == 1
