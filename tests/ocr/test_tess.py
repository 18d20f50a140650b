"""Tesseract in-process (ocr/tess.py): same reading as the command line, engines kept."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from ocrmypdf.hocrtransform import HocrParser
from ocrmypdf.models.ocr_element import OcrClass
from PIL import Image

from ocr import tess
from tests.fixtures.make_docs import page_image

LINES = [
    "ACME CLINICAL LABORATORIES",
    "Glucose        105   H   mg/dL   70-99",
    "Potassium      4.2       mmol/L  3.5-5.1",
    "Hemoglobin A1c 6.1   H   %       4.8-5.6",
]


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return page_image(LINES, dpi=200, seed=3)


def _words(text: str) -> list[str]:
    return text.split()


def test_reads_like_the_command_line(page: Image.Image, tmp_path: Path) -> None:
    found = tess.recognise(page, 200, ["eng"], 4, 60)
    page.save(tmp_path / "page.png", dpi=(200, 200))
    subprocess.run(
        ["tesseract", str(tmp_path / "page.png"), str(tmp_path / "cli"), "--psm", "4", "txt"],
        check=True,
        capture_output=True,
    )
    cli = (tmp_path / "cli.txt").read_text()
    # Same words (the library may be a newer Tesseract than the command; allow one slip).
    ours, theirs = _words(found.text), _words(cli)
    assert len(set(ours) ^ set(theirs)) <= 2, (ours, theirs)
    for expected in ("Glucose", "105", "mg/dL", "Potassium", "4.2", "mmol/L", "3.5-5.1"):
        assert expected in ours


def test_hocr_is_a_whole_document_ocrmypdf_parses(page: Image.Image, tmp_path: Path) -> None:
    found = tess.recognise(page, 200, ["eng"], 4, 60)
    path = tmp_path / "page.hocr"
    path.write_text(found.hocr, encoding="utf-8")
    tree = HocrParser(path).parse()
    assert tree.bbox is not None and (tree.bbox.right, tree.bbox.bottom) == page.size
    assert tree.dpi == 200
    words = [w.text for w in tree.iter_by_class(OcrClass.WORD)]
    assert "Glucose" in words and "Potassium" in words
    boxes = [w.bbox for w in tree.iter_by_class(OcrClass.WORD) if w.text == "Glucose"]
    assert boxes and boxes[0] is not None and boxes[0].left < page.width / 2


def test_engines_are_kept_and_reused_across_threads(page: Image.Image) -> None:
    tess.recognise(page, 200, ["eng"], 4, 60)
    before = [id(api) for api in tess._idle[("eng", 4)]]
    worker = threading.Thread(target=tess.recognise, args=(page, 200, ["eng"], 4, 60))
    worker.start()
    worker.join()
    # A new thread (OCRmyPDF starts new ones for every document) got an engine already loaded.
    assert [id(api) for api in tess._idle[("eng", 4)]] == before


def test_two_threads_at_once_each_get_their_own_engine(page: Image.Image) -> None:
    results: list[str] = []
    barrier = threading.Barrier(2)

    def read() -> None:
        barrier.wait()
        results.append(tess.recognise(page, 200, ["eng"], 4, 60).text)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0] == results[1] and "Glucose" in results[0]


def test_blank_page_reads_as_no_text() -> None:
    found = tess.recognise(Image.new("L", (1700, 2200), 255), 200, ["eng"], 4, 60)
    assert found.text.strip() == ""
    assert "ocr_page" in found.hocr


def test_a_page_past_its_time_limit_is_cancelled(page: Image.Image) -> None:
    big = page.resize((page.width * 2, page.height * 2))
    with pytest.raises(tess.TesseractTimeout, match="longer than"):
        tess.recognise(big, 400, ["eng"], 4, 0.001)
    # The engine that was cancelled still reads the next page.
    assert "Glucose" in tess.recognise(page, 200, ["eng"], 4, 60).text


def test_language_data_is_the_installed_tesseracts(monkeypatch: pytest.MonkeyPatch) -> None:
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    tess.tessdata_dir.cache_clear()
    try:
        monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
        assert tess.tessdata_dir() in listing.stdout
        assert (Path(tess.tessdata_dir()) / "eng.traineddata").exists()
        tess.tessdata_dir.cache_clear()
        monkeypatch.setenv("TESSDATA_PREFIX", "/somewhere/tessdata")
        assert tess.tessdata_dir() == "/somewhere/tessdata"
    finally:
        tess.tessdata_dir.cache_clear()


@pytest.mark.parametrize("mode", ["RGBA", "P", "LA", "I;16", "1"])
def test_any_image_mode_is_read(page: Image.Image, mode: str) -> None:
    image = page.convert("I;16") if mode == "I;16" else page.convert(mode)
    assert "Glucose" in tess.recognise(image, 200, ["eng"], 4, 60).text
