"""Unit spellings as labs and OCR print them, and conversion only where it is valid."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ocr.facts.catalogue import BY_KEY, convert
from ocr.facts.labs import find_labs
from ocr.facts.lines import text_lines
from ocr.facts.units import nearest, normalise, same

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        ("10^3/uL", "10^3/µL"),
        ("x10E3/uL", "10^3/µL"),
        ("K/uL", "10^3/µL"),
        ("THOUS/MCL", "10^3/µL"),
        ("10*3/uL", "10^3/µL"),
        ("10+3/ul", "10^3/µL"),
        ("X_10-3/uL", "10^3/µL"),
        ("10X9cells/L", "10^9/L"),
        ("MILL/MCL", "10^6/µL"),
        ("M/uL", "10^6/µL"),
        ("CELLS/MCL", "/µL"),
        ("cells/cumm", "/µL"),
        ("g/dl", "g/dL"),
        ("G/DL", "g/dL"),
        ("mmol/l", "mmol/L"),
        ("mMol/L", "mmol/L"),
        ("µmol/L", "µmol/L"),
        ("μmol/L", "µmol/L"),  # Greek mu, not the micro sign
        ("umol/L", "µmol/L"),
        ("mcmol/L", "µmol/L"),
        ("mcg/dL", "µg/dL"),
        ("mcIU/mL", "µIU/mL"),
        ("m[IU]/L", "mIU/L"),
        ("IU/L", "IU/L"),
        ("U/L", "U/L"),
        ("FL", "fL"),
        ("um3", "fL"),
        ("PG", "pg"),
        ("uug", "pg"),
        ("mgAlb/gCre", "mg/g"),
        ("mL/min/1.73 m^2", "mL/min/1.73m²"),
        ("mm/hr", "mm/h"),
        ("mm[Hg]", "mmHg"),
        ("[degF]", "°F"),
        ("Cel", "°C"),
        ("ng/mL FEU", "ng/mL FEU"),
        ("(mg/dL)", "mg/dL"),
    ],
)
def test_spellings_normalise(printed: str, normal: str) -> None:
    assert normalise(printed) == normal


@pytest.mark.parametrize(
    ("ocr", "normal"),
    [
        ("mlU/L", "mIU/L"),
        ("mIv/L,", "mIU/L"),
        ("x1OE3/uL", "10^3/µL"),
        ("xX10E3/uL", "10^3/µL"),
        ("mg/d.", "mg/dL"),
        ("gidl", "g/dL"),
        ("10°3/ul", "10^3/µL"),
        ("10%3/ul", "10^3/µL"),
        ("1043/ul", "10^3/µL"),
        ("mUmin/1.73m2_", "mL/min/1.73m²"),
        ("UIL", "U/L"),
        ("%%", "%"),
    ],
)
def test_ocr_misreadings_of_units_are_repaired(ocr: str, normal: str) -> None:
    assert normalise(ocr) == normal


@pytest.mark.parametrize("text", ["UNK", "ul", "mg", "Negative", "", None, "M", "F", "L"])
def test_non_units_are_not_units(text: str | None) -> None:
    assert normalise(text) is None


def test_equivalent_spellings_compare_equal() -> None:
    assert same("K/uL", "10*9/L")
    assert same("g/dl", "G/DL")
    assert same("µIU/mL", "mIU/L")
    assert not same("mg/dL", "mmol/L")
    assert not same("10^3/uL", "10^6/uL")


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "expected"),
    [
        ("glucose", 5.5, "mmol/L", 99.088),  # × 18.016
        ("glucose", 90, "mg/dL", 90),
        ("creatinine", 88.4, "µmol/L", 1.0),  # ÷ 88.4
        ("cholesterol", 5.0, "mmol/L", 193.32),  # × 38.67
        ("triglycerides", 1.0, "mmol/L", 88.57),
        ("bun", 5.0, "mmol/L", 14.007),
        ("calcium", 2.5, "mEq/L", 5.0098),  # two equivalents a mole
        ("sodium", 140, "mEq/L", 140),
        ("hemoglobin", 135, "g/L", 13.5),
        ("hematocrit", 0.42, "L/L", 42),
        ("wbc", 7500, "cells/mcL", 7.5),
        ("wbc", 7.5, "10*9/L", 7.5),
        ("alt", 30, "IU/L", 30),
        ("tsh", 2.1, "µIU/mL", 2.1),
        ("vitamin_d", 75, "nmol/L", 30.04),
        ("insulin", 60, "pmol/L", 10),
        ("temperature", 98.6, "[degF]", 37),
    ],
)
def test_conversions_to_the_canonical_unit(
    analyte: str, value: float, unit: str, expected: float
) -> None:
    assert convert(value, unit, BY_KEY[analyte]) == pytest.approx(expected, rel=1e-3)


def test_hba1c_converts_by_the_ifcc_master_equation() -> None:
    hba1c = BY_KEY["hba1c"]
    assert convert(53, "mmol/mol", hba1c) == pytest.approx(7.0, abs=0.01)
    assert convert(48, "mmol/mol", hba1c) == pytest.approx(6.54, abs=0.01)


@pytest.mark.parametrize(
    ("analyte", "unit"),
    [
        ("alt", "mg/dL"),  # an enzyme activity has no mass
        ("hba1c", "mg/dL"),
        ("wbc", "g/dL"),
        ("egfr", "mg/dL"),
        ("protein_total", "mmol/L"),  # a mixture of proteins has no molar mass
        ("hematocrit", "mmol/L"),
        ("glucose", "UNK"),
        ("glucose", None),
    ],
)
def test_conversions_that_are_not_valid_for_the_analyte_are_refused(
    analyte: str, unit: str | None
) -> None:
    assert convert(1.0, unit, BY_KEY[analyte]) is None


def _fits(key: str) -> Callable[[str], bool]:
    analyte = BY_KEY[key]
    return lambda unit: convert(1.0, unit, analyte) is not None


@pytest.mark.parametrize(
    ("garbled", "key", "meant"),
    [
        ("MILUMCL", "rbc", "MILL/MCL"),  # "/" read as "U"
        ("THOUS/MCI", "wbc", "THOUS/MCL"),
        ("x1OE3uL", "wbc", "x10E3/uL"),  # O for 0, the slash lost
        ("UAL", "alt", "U/L"),
        ("rnEq/L", "sodium", "mEq/L"),  # "rn" for "m"
        ("rng/dL", "glucose", "mg/dL"),
        ("uiu/rnl", "tsh", "uIU/mL"),
    ],
)
def test_a_garbled_unit_is_the_one_unit_of_its_test_a_slip_away(
    garbled: str, key: str, meant: str
) -> None:
    assert nearest(garbled, _fits(key)) == meant


@pytest.mark.parametrize(
    ("garbled", "key"),
    [
        ("gil", "hemoglobin"),  # g/L or g/dL: tenfold apart, unclear
        ("mgdL", "glucose"),  # mg/dL or mg/L
        ("megidL", "t4"),  # mg/dL or mcg/dL
        ("IU", "alt"),  # too short to tell
        ("g/dL", "hemoglobin"),  # a unit already: nothing to repair
        ("ng/rnL", "tsh"),  # a unit TSH is never reported in
    ],
)
def test_a_garbled_unit_near_two_units_or_none_of_its_test_is_left(garbled: str, key: str) -> None:
    assert nearest(garbled, _fits(key)) is None


def test_rows_read_a_garbled_unit_as_their_test_s_unit_with_a_note() -> None:
    text = (
        "WBC Count 6.0 x1OE3uL 4.3-10.8\n"
        "Red Blood Cell Count 4.20 MILUMCL (3.80-5.10)\n"
        "Hemoglobin 13.2 gil 12.0-16.0\n"
    )
    results = find_labs(text_lines(text))
    assert [(r.analyte, r.value.text, r.unit) for r in results] == [
        ("wbc", "6.0", "x10E3/uL"),
        ("rbc", "4.20", "MILL/MCL"),
        ("hemoglobin", "13.2", None),
    ]
    assert all("taken as" in " ".join(r.notes) for r in results[:2])


def test_a_garbled_unit_near_two_is_the_one_printed_with_the_range() -> None:
    """A unit one slip from mmol/L and two from µmol/L is unclear alone, settled by the
    unit printed with the range."""
    assert nearest("mmoV/L", _fits("co2")) is None
    (ranged,) = find_labs(text_lines("Carbon dioxide, total 26 mmoV/L 22-31 mmol/L"))
    assert (ranged.analyte, ranged.value.text, ranged.unit) == ("co2", "26", "mmol/L")


@pytest.mark.parametrize(
    ("row", "meant"),
    [
        ("WBC                             6.0      x1OE3uL    4.3-10.8", "x10E3/uL"),
        ("Sodium                          140      mrnol/L    136-145", "mmol/L"),
        ("Sodium                          140      mmoV/L     136-145 mmol/L", "mmol/L"),
    ],
)
def test_a_garbled_unit_cell_is_read_as_the_test_s_unit(row: str, meant: str) -> None:
    header = "TEST                            RESULT   UNITS      REFERENCE RANGE\n"
    (result,) = find_labs(text_lines(f"{header}{row}\n"))
    assert result.unit == meant
    assert any("taken as" in note for note in result.notes)


def test_a_backslash_ocr_read_inside_a_unit_is_dropped() -> None:
    assert normalise("mgA\\lb/gCre") == "mg/g"
    assert normalise("mmol\\/L") == "mmol/L"
