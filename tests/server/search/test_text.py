"""Query parsing, look-alikes, typos, snippets and the guessed document type and date."""

from __future__ import annotations

from datetime import date

import pytest

from server.search.derive import doc_type, document_date
from server.search.snippets import pattern, snippet
from server.search.text import edit_distance, parse, skeleton, tokens

pytestmark = pytest.mark.nodb


def test_parse_terms_phrases_and_the_word_being_typed() -> None:
    p = parse('metformin "blood pressure" 7.2 chol')
    assert [t.word for t in p.terms] == ["metformin", "chol"]
    assert [t.prefix for t in p.terms] == [False, True]
    assert p.phrases == (("blood", "pressure"), ("7", "2"))
    assert not parse("chol ").terms[0].prefix
    assert parse('"unclosed phrase').phrases == (("unclosed", "phrase"),)
    assert parse("  ").empty and parse('""').empty
    assert len(parse(" ".join(f"w{i}" for i in range(50))).terms) == 10


@pytest.mark.parametrize(
    ("a", "b"), [("A1c", "Alc"), ("A1c", "AIc"), ("metformin", "rnetformin"), ("10O", "loo")]
)
def test_ocr_look_alikes_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(tokens(a)[0]) == skeleton(tokens(b)[0])


def test_typo_weights() -> None:
    (term,) = parse("cholestrol ").terms
    assert term.weight("cholesterol") > 0
    assert term.weight("cholestrol") == 1.0
    assert term.weight("chloride") == 0
    (number,) = parse("100 ").terms
    assert number.weight("loo") == 0 and number.weight("101") == 0  # numbers are exact
    assert edit_distance("metfromin", "metformin", 2) == 1
    assert edit_distance("abcdef", "uvwxyz", 2) == 3


def test_snippet_prefers_the_window_with_most_matched_words() -> None:
    text = "cholesterol " + "filler words " * 40 + "LDL cholesterol and metformin together"
    found = pattern({"cholesterol", "metformin"}, [])
    marked, terms = snippet(text, found)
    assert "<mark>metformin</mark>" in marked and marked.startswith("…")
    assert terms == ("cholesterol", "metformin")
    plain, none = snippet("a & b " * 100, None)
    assert "&amp;" in plain and plain.endswith("…") and none == ()


def test_document_type_and_date_guesses() -> None:
    lab = "Northgate Laboratory\nCollected: 03/14/2023\nDOB: 01/02/1950\nTest Result Flag"
    assert doc_type([lab]) == "lab"
    assert document_date([lab], date(2026, 1, 1)) == date(2023, 3, 14)  # not the birth date
    assert doc_type(["Rx metformin 500 mg tablet. Sig: one daily. Refills 2"]) == "medication"
    assert doc_type(["Immunization record"]) == "immunization"
    assert doc_type(["hello"]) == "other" and doc_type([], "structured") == "record"
    assert document_date(["Visit on March 5, 2021"], date(2026, 1, 1)) == date(2021, 3, 5)
    assert document_date(["no date", "31/31/2020"], date(2026, 1, 1)) == date(2026, 1, 1)
    assert document_date(["Due 2099-01-01"], date(2026, 1, 1)) == date(2026, 1, 1)
