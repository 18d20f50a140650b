"""Pages scanned at 150 dpi through the real pipeline: rid of their specks at their own
resolution and read from a copy enlarged twice (ocr/clean.py, ocr/engine.py). Read as
scanned, these noisy pages gave 12-13 of their 24 rows exactly; now 19-20."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "facts"))  # lab_layouts' siblings

from lab_layouts import LAYOUTS
from lab_pages import (
    SIX_LINES,
    SIX_ROWS,
    Page,
    Report,
    page_image,
    page_reading,
    scanned_pdf,
    turned,
)

from ocr.engine import _Prepared
from ocr.model import PageReading
from ocr.options import ReadOptions
from ocr.pipeline import read_document

pytestmark = pytest.mark.nodb

ROWS = SIX_ROWS * 4
SKEW = 0.8
PAGE: Page = LAYOUTS["columns"](Report(ROWS, collected=date(2013, 10, 20)))[0]


@pytest.fixture(scope="module", params=[1, 3])
def scan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> PageReading:
    """The page scanned at 150 dpi, tilted, blurred by 0.6 px and speckled (0.3 %), read."""
    work = tmp_path_factory.mktemp("scan")
    image = page_image(PAGE, dpi=150, skew=SKEW, blur=0.6, noise=0.003, seed=request.param)
    reading = read_document(scanned_pdf([image], work / "scan.pdf", 150), work / "w",
                            ReadOptions())  # fmt: skip
    (page,) = reading.pages
    return page


def test_a_noisy_150_dpi_scan_reads_its_rows(scan: PageReading) -> None:
    rows = sum(scan.text.count(line) for line in SIX_LINES)
    assert rows >= 18, f"{rows} of 24 rows read exactly"


def test_its_word_boxes_land_where_the_words_are_printed(scan: PageReading) -> None:
    """Boxes found on the enlarged copy are scaled back onto the scan: nearly every word of
    the rows (104) is found within 0.004 of the page (0.03-0.04 inch) of where it is printed
    (here 99-104; 90-94 before, when fewer were read)."""
    # page_image turns the page by SKEW one way; turned() counts degrees the other way.
    printed = turned(page_reading(PAGE), -SKEW)
    vocabulary = {word for line in SIX_LINES for word in line.split()}
    words = [w for w in printed.words if w.text in vocabulary]
    landed = sum(
        1
        for word in words
        if any(
            w.text == word.text
            and abs(w.x0 - word.x0) < 0.004
            and abs(w.x1 - word.x1) < 0.004
            and abs(w.y0 - word.y0) < 0.004
            and abs(w.y1 - word.y1) < 0.004
            for w in scan.words
        )
    )
    assert len(words) == 104
    assert landed >= 97, f"{landed} of {len(words)} words boxed where printed"


def test_a_150_dpi_page_of_dot_leaders_is_read_as_scanned(tmp_path: Path) -> None:
    """Dot leaders on an enlarged 150 dpi copy read as runs of "c" and "e" that swallow
    names and values (mean word confidence ~0.65); the engine then reads the despeckled
    page as scanned too and keeps the surer reading."""
    page = LAYOUTS["leaders"](Report(ROWS[:12], collected=date(2013, 10, 20)))[0]
    image = page_image(page, dpi=150, skew=0.5, blur=0.75, noise=0.002, seed=8)
    reading = read_document(scanned_pdf([image], tmp_path / "scan.pdf", 150), tmp_path / "w",
                            ReadOptions())  # fmt: skip
    values = [f"{row.value} {row.unit}" for row in ROWS[:12]]
    read = sum(reading.pages[0].text.count(value) for value in values)
    assert read >= 11, f"{read} of 12 values read with their units"


def test_a_page_is_prepared_once_for_all_its_readings() -> None:
    """The engine reads a doubtful 150 dpi page a second time as scanned: from the copy it
    despeckled, levelled and rid of dot leaders for the first reading, not a new one."""
    image = page_image(PAGE, dpi=150, skew=SKEW, blur=0.6, noise=0.003, seed=1)
    page = _Prepared(image, 150)
    assert page.clean.tobytes() != image.tobytes()  # despeckled, once
    work, skew = page.levelled(0, 2.0)
    assert skew == 2.0 and work.size == image.size
    assert page.levelled(0, skew)[0] is work
    # A tilt too small to level is read as it is, under either name.
    flat, none = page.levelled(0, SKEW)
    assert none == 0.0 and page.levelled(0, none)[0] is flat
    assert flat.tobytes() != work.tobytes()
