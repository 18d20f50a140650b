"""Result values, flags and reference ranges in the forms real reports print."""

from __future__ import annotations

import pytest

from ocr.facts.model import ReferenceBand
from ocr.facts.values import (
    clean_name,
    is_leader,
    is_leader_tail,
    leader_start,
    parse_flag,
    parse_range,
    parse_value,
    repair_number,
    split_token,
)

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("tokens", "text", "number", "comparator", "used"),
    [
        (["7.2"], "7.2", 7.2, None, 1),
        (["<0.5"], "<0.5", 0.5, "<", 1),
        (["<", "0.5", "mg/dL"], "<0.5", 0.5, "<", 2),
        ([">=", "60"], ">=60", 60, ">=", 2),
        (["≤5"], "<=5", 5, "<=", 1),
        (["less", "than", "5"], "<5", 5, "<", 3),
        (["12,500"], "12,500", 12500, None, 1),
        (["7,2"], "7,2", 7.2, None, 1),  # a decimal comma
        (["-2.5"], "-2.5", -2.5, None, 1),
        (["140,"], "140", 140, None, 1),
    ],
)
def test_numbers_and_comparators(
    tokens: list[str], text: str, number: float, comparator: str | None, used: int
) -> None:
    value, count = parse_value(tokens)
    assert value is not None
    assert (value.text, value.number, value.comparator, count) == (text, number, comparator, used)


@pytest.mark.parametrize(
    ("tokens", "coded"),
    [
        (["Negative"], "negative"),
        (["NEG"], "negative"),
        (["Not", "Detected"], "not detected"),
        (["Non-Reactive"], "non-reactive"),
        (["Positive"], "positive"),
        (["Trace"], "trace"),
        (["2+"], "2+"),
    ],
)
def test_text_results(tokens: list[str], coded: str) -> None:
    value, _ = parse_value(tokens)
    assert value is not None and value.coded == coded and value.number is None


def test_titres() -> None:
    value, _ = parse_value(["1:160"])
    assert value is not None and value.titre == 160 and value.number is None
    value, _ = parse_value(["<1:40"])
    assert value is not None and (value.titre, value.comparator) == (40, "<")


@pytest.mark.parametrize(
    ("ocr", "repaired"),
    [
        ("l2.5", "12.5"),
        ("O.9", "0.9"),
        ("1O5", "105"),
        ("I4", "14"),
        ("3:9", "3.9"),
        (".1.90", "1.90"),
    ],
)
def test_ocr_letters_inside_numbers_are_repaired(ocr: str, repaired: str) -> None:
    assert repair_number(ocr) == repaired


def test_dropped_decimal_points_are_not_guessed_back() -> None:
    value, _ = parse_value(["72"])  # perhaps 7.2 on paper: only the page can say
    assert value is not None and value.number == 72


def test_titre_colons_are_not_decimal_points() -> None:
    assert repair_number("1:40") == "1:40"


@pytest.mark.parametrize("text", ["abc", "Ill", "O", "H"])
def test_words_are_not_numbers(text: str) -> None:
    assert parse_value([text])[0] is None


@pytest.mark.parametrize(
    ("printed", "flag"),
    [
        ("H", "H"),
        ("(L)", "L"),
        ("HIGH", "H"),
        ("Low", "L"),
        ("*", "A"),
        ("A", "A"),
        ("HH", "HH"),
        ("LL", "LL"),
        ("CRIT", "critical"),
        ("!!", "critical"),
        ("[H]", "H"),
        ("Abnormal", "A"),
    ],
)
def test_flags(printed: str, flag: str) -> None:
    assert parse_flag(printed) == flag


@pytest.mark.parametrize("printed", ["mg/dL", "7.2", "Negative", "M"])
def test_non_flags(printed: str) -> None:
    assert parse_flag(printed) is None


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("7.2H", ["7.2", "H"]),
        ("11.2*", ["11.2", "*"]),
        ("95mg/dL", ["95", "mg/dL"]),
        ("7.2%", ["7.2", "%"]),
        ("152:10*3/uL", ["152", "10*3/uL"]),
        ("(H)", ["H"]),
        ("HDL", ["HDL"]),
    ],
)
def test_merged_tokens_are_split(token: str, parts: list[str]) -> None:
    assert split_token(token) == parts


@pytest.mark.parametrize(
    ("printed", "bands"),
    [
        ("4.0-5.6", [ReferenceBand(4.0, 5.6)]),
        ("4.0 - 5.6", [ReferenceBand(4.0, 5.6)]),
        ("(3.8-10.8)", [ReferenceBand(3.8, 10.8)]),
        ("4.0 to 5.6", [ReferenceBand(4.0, 5.6)]),
        ("0.29–5.11", [ReferenceBand(0.29, 5.11)]),
        ("<100", [ReferenceBand(high=100, high_inclusive=False)]),
        ("<=5", [ReferenceBand(high=5)]),
        (">=40", [ReferenceBand(low=40)]),
        ("> 59", [ReferenceBand(low=59, low_inclusive=False)]),
        ("0.00-0.20 ng/mL", [ReferenceBand(0.0, 0.2)]),
        ("normal: 0.29–5.11 IU/ml", [ReferenceBand(0.29, 5.11)]),
        ("-2.0-3.0", [ReferenceBand(-2.0, 3.0)]),
        ("Negative", [ReferenceBand(text="negative")]),
        ("<1:40", [ReferenceBand(text="<1:40")]),
        (
            "M: 13.5-17.5 F: 12.0-15.5",
            [ReferenceBand(13.5, 17.5, sex="M"), ReferenceBand(12.0, 15.5, sex="F")],
        ),
        (
            "M 13-18 g/dl; F 12-16 g/dl",
            [ReferenceBand(13, 18, sex="M"), ReferenceBand(12, 16, sex="F")],
        ),
        (
            "Male 13.5-17.5 Female 12.0-15.5",
            [ReferenceBand(13.5, 17.5, sex="M"), ReferenceBand(12.0, 15.5, sex="F")],
        ),
    ],
)
def test_reference_ranges(printed: str, bands: list[ReferenceBand]) -> None:
    found = parse_range(printed)
    assert found is not None and list(found.bands) == bands and found.text == printed


@pytest.mark.parametrize("printed", ["hello", "10-5", "see note 3 and 4", ""])
def test_non_ranges(printed: str) -> None:
    assert parse_range(printed) is None


def test_dot_leaders_and_what_ocr_makes_of_them() -> None:
    assert is_leader("..........")
    assert is_leader("____")
    assert is_leader("eecseessesestesecste")
    assert not is_leader("decreased")
    assert not is_leader("Hemoglobin")
    assert clean_name("Glucose..........") == "Glucose"
    assert clean_name("Potassium:") == "Potassium"


@pytest.mark.parametrize(
    ("ocr", "repaired"),
    [
        ("6.7.", "6.7"),  # a speck after the number: a point with no digit after ends nothing
        ("25.", "25"),
        ("15:0", "15.0"),  # a colon for the point after a number starting with 1
        ("12:5", "12.5"),
        ("1:40", "1:40"),  # a titre
        ("10:45", "10:45"),  # a time
        ("..", ".."),
    ],
)
def test_specks_and_colons_around_numbers(ocr: str, repaired: str) -> None:
    assert repair_number(ocr) == repaired


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("4.21.10*12/L", ["4.21", "10*12/L"]),  # a speck between value and unit read as a point
        ("99.U/L", ["99", "U/L"]),
        ("7.1", ["7.1"]),
        ("4.21.10", ["4.21.10"]),
        ("7.5.5", ["7.5.5"]),
    ],
)
def test_a_point_between_value_and_unit_is_a_speck(token: str, parts: list[str]) -> None:
    assert split_token(token) == parts


def test_a_colon_read_for_the_point_of_a_range() -> None:
    found = parse_range("4:3-10.8")
    assert found is not None and found.bands == (ReferenceBand(4.3, 10.8),)
    assert found.text == "4:3-10.8"  # as printed
    titre = parse_range("<1:40")
    assert titre is not None and titre.bands[0].text == "<1:40"


def test_what_ocr_makes_of_the_end_of_a_dot_leader() -> None:
    assert is_leader_tail("teens") and is_leader_tail("ee.")
    assert not is_leader_tail("trace") and not is_leader_tail("see")  # results: "see note"
    assert not is_leader_tail("Teens") and not is_leader_tail("mg/dL") and not is_leader_tail("4")
    assert leader_start("Ko") == "K" and leader_start("PLTcc") == "PLT"
    assert leader_start("Glucose") is None and leader_start("K") is None
