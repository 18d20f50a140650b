"""The PDF guards find every image a page draws before anything is rasterised."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
import pytest

from ocr.errors import ReadError
from ocr.guards import check_pdf

LIMITS = {"max_pages": 10, "max_page_inches": 50.0, "max_image_megapixels": 250.0}
SIDE = 60000  # 3,600 megapixels that compress to almost nothing


def _bomb(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    return pdf.make_stream(
        b"\x00" * 64,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=SIDE,
        Height=SIDE,
        BitsPerComponent=1,
        ColorSpace=pikepdf.Name.DeviceGray,
    )


def _form(pdf: pikepdf.Pdf, image: pikepdf.Stream) -> pikepdf.Stream:
    return pdf.make_stream(
        b"q 100 0 0 100 0 0 cm /Im0 Do Q",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 100, 100],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
    )


def _pdf(tmp_path: Path, where: str) -> Path:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(612, 792))
    page.obj.Contents = pdf.make_stream(b"BT ET")
    if where == "inline":
        data = zlib.compress(b"\x00" * 64)
        page.obj.Contents = pdf.make_stream(
            b"q 612 0 0 792 0 0 cm BI /W %d /H %d /BPC 1 /CS /G /F /Fl ID " % (SIDE, SIDE)
            + data
            + b"\nEI Q"
        )
    elif where in ("annotation", "annotation-state"):
        form = _form(pdf, _bomb(pdf))
        normal = pikepdf.Dictionary(On=form) if where == "annotation-state" else form
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Stamp,
            Rect=[0, 0, 100, 100],
            AP=pikepdf.Dictionary(N=normal),
        )
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([annot]))
    elif where == "nested-form":
        outer = _form(pdf, _form(pdf, _bomb(pdf)))
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=outer))
        page.obj.Contents = pdf.make_stream(b"/Fm0 Do")
    path = tmp_path / f"{where}.pdf"
    pdf.save(path)
    return path


@pytest.mark.parametrize("where", ["inline", "annotation", "annotation-state", "nested-form"])
def test_hidden_image_bombs_are_refused(tmp_path: Path, where: str) -> None:
    """Issue 11, finding 9: the image-size guard missed inline images and annotations."""
    with pytest.raises(ReadError) as err:
        check_pdf(_pdf(tmp_path, where), **LIMITS)
    assert err.value.code == "too_large"
    assert "3,600 megapixels" in err.value.user_message


def test_a_plain_page_passes(tmp_path: Path) -> None:
    facts = check_pdf(_pdf(tmp_path, "none"), **LIMITS)
    assert facts.pages == 1 and not facts.signed


def test_forms_that_draw_themselves_do_not_loop(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(612, 792))
    form = pdf.make_stream(b"/Fm0 Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
    form = pdf.make_indirect(form)
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=form))
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=form))
    page.obj.Contents = pdf.make_stream(b"/Fm0 Do")
    pdf.save(tmp_path / "loop.pdf")
    assert check_pdf(tmp_path / "loop.pdf", **LIMITS).pages == 1
