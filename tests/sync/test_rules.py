from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from sync.rules import escapes, is_ignored, profile_hint

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    "rel",
    [
        ".hidden.pdf",
        "scan.pdf.part",
        "x.tmp",
        "download.crdownload",
        "~$report.docx",
        ".stfolder/a.pdf",
        "dad/.stversions/a.pdf",
        "@eaDir/a.jpg",
        ".DS_Store",
        "Thumbs.db",
        "#recycle/old.pdf",
        "mum/@eaDir/thumb.jpg",
    ],
)
def test_temporary_and_system_files_are_ignored(rel: str) -> None:
    assert is_ignored(PurePath(rel))


@pytest.mark.parametrize("rel", ["scan.pdf", "dad/2024 labs.pdf", "kids/ann/x.jpg", "a.b.tiff"])
def test_real_files_are_not_ignored(rel: str) -> None:
    assert not is_ignored(PurePath(rel))


def test_profile_hint_is_the_first_level_folder() -> None:
    assert profile_hint(PurePath("scan.pdf")) is None
    assert profile_hint(PurePath("dad/scan.pdf")) == "dad"
    assert profile_hint(PurePath("dad/2024/scan.pdf")) == "dad"


def test_symlinks_and_outside_paths_escape(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "dad").mkdir(parents=True)
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "s.pdf").write_bytes(b"x")
    (inbox / "dad" / "ok.pdf").write_bytes(b"x")
    (inbox / "linkdir").symlink_to(outside)
    (inbox / "link.pdf").symlink_to(outside / "s.pdf")
    assert not escapes(inbox, inbox / "dad" / "ok.pdf")
    assert escapes(inbox, inbox / "linkdir" / "s.pdf")
    assert escapes(inbox, inbox / "link.pdf")
    assert escapes(inbox, tmp_path / "elsewhere.pdf")
