"""Document titles: a person's, else made from what was read, else the file name; download
names from the same title."""

from __future__ import annotations

from datetime import date

from server.documents.titles import clean_title, download_name, title_of

READ = {
    "original_name": "derived__UD_sample_lab_200dpi.pdf",
    "doc_type": "lab report",
    "doc_date": date(2025, 3, 12),
    "provider": "",
    "facility": "Riverside Clinical Laboratory",
    "title": "",
}


def test_a_title_from_what_was_read() -> None:
    assert (
        title_of(READ, "12 Mar 2025") == "Lab report · 12 Mar 2025 · Riverside Clinical Laboratory"
    )
    assert title_of({**READ, "provider": "Dr. Alan Grant"}, "2025-03-12") == (
        "Lab report · 2025-03-12 · Dr. Alan Grant"
    )
    assert title_of({**READ, "facility": ""}, "") == "Lab report"


def test_a_persons_title_wins_and_nothing_read_leaves_the_file_name() -> None:
    assert title_of({**READ, "title": "Grandpa's March bloods"}, "x") == "Grandpa's March bloods"
    bare = {"original_name": "scan 7.pdf", "doc_type": "", "provider": "", "facility": ""}
    assert title_of(bare, "") == "scan 7.pdf"
    assert title_of({**bare, "facility": "St Mary's"}, "1 Jan 2020") == (
        "Document · 1 Jan 2020 · St Mary's"
    )


def test_download_names_sort_by_date_and_differ_per_file() -> None:
    assert download_name(READ, ".pdf") == (
        "Lab report - 2025-03-12 - Riverside Clinical Laboratory.pdf"
    )
    assert download_name(READ, ".pdf", note="searchable") == (
        "Lab report - 2025-03-12 - Riverside Clinical Laboratory (searchable).pdf"
    )
    bare = {"original_name": "Blüttest.PDF", "doc_type": "", "doc_date": None}
    assert download_name(bare, ".pdf") == "Blüttest.pdf"
    odd = {**READ, "title": 'a/b: "c" <d>'}
    assert download_name(odd, ".jpg") == "a b c d.jpg"


def test_typed_titles_are_one_short_line() -> None:
    assert clean_title("  two\n lines\t here ") == "two lines here"
    assert len(clean_title("x" * 500)) == 200
