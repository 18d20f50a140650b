"""The analyte catalogue: size, consistency, and names as labs, EHR exports and OCR print them."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ocr.facts.catalogue import ANALYTES, BY_KEY, by_loinc, lookup, misread, resolve
from ocr.facts.units import parse

pytestmark = pytest.mark.nodb


def test_catalogue_holds_at_least_150_tests_with_loinc_codes() -> None:
    labs = [a for a in ANALYTES if a.category == "lab"]
    assert len(labs) >= 150
    assert all(re.fullmatch(r"\d{1,6}-\d", a.loinc) for a in ANALYTES)


def test_keys_and_loinc_codes_are_unique() -> None:
    assert len(BY_KEY) == len(ANALYTES)
    codes = Counter(code for a in ANALYTES for code in (a.loinc, *a.other_loincs))
    assert [code for code, count in codes.items() if count > 1] == []


def test_canonical_units_are_units_the_parser_knows() -> None:
    unknown = [a.key for a in ANALYTES if a.unit is not None and parse(a.unit) is None]
    assert unknown == []


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.key)
def test_every_analyte_is_found_by_its_own_name_and_loinc(analyte: object) -> None:
    assert analyte in lookup(analyte.name)  # type: ignore[attr-defined]
    assert by_loinc(analyte.loinc) is analyte  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Hemoglobin A1c", "hba1c"),
        ("Hemoglobin Alc", "hba1c"),  # OCR reads 1 as l
        ("HbAlc", "hba1c"),
        ("Glycohemoglobin", "hba1c"),
        ("Hgb A1c MFr Bld", "hba1c"),  # LOINC short name
        ("LDLc SerPl-mCnc", "ldl"),
        ("Trigl SerPl Calc-mCnc", "triglycerides"),
        ("Hct Fr Bld Auto", "hematocrit"),
        ("WBC # Bld Auto", "wbc"),
        ("Hgb BIG-MENC", "hemoglobin"),  # OCR of "Hgb Bld-mCnc"
        ("Glucose [Mass/volume] in Serum or Plasma", "glucose"),  # LOINC long name
        ("Carbon dioxide, total [Moles/volume] in Serum or Plasma", "co2"),
        ("Bilirubin.total [Mass/volume] in Serum or Pl", "bilirubin_total"),  # printed cut short
        ("Alanine aminotransferase [Enzymatic activity", "alt"),
        ("TROPONIN T.CARDIAC:MCNC:PT:SER/PLAS:QN:", "troponin_t"),
        ("Glomerular Filtration Rate (eGFR)", "egfr"),
        ("eGFR Non-Afr. American", "egfr"),
        ("Alburnin", "albumin"),  # OCR reads m as rn
        ("Glucse", "glucose"),
        ("AST (SGOT)", "ast"),
        ("ALT (SGPT)", "alt"),
        ("Vitamin D, 25-Hydroxy", "vitamin_d"),
        ("Vitamin B12", "vitamin_b12"),
        ("CA 19-9", "ca199"),
        ("HDL Cholesterol", "hdl"),
        ("Cholesterol, Total", "cholesterol"),
        ("Hematocrit, Whole Blood", "hematocrit"),
        ("Creatinine [Mass/volume] in unspecified time Urine", "urine_creatinine"),
        ("Microalbumin/Creatinine [Mass Ratio] in Urine", "uacr"),
        ("Polys (Absolute)", "neutrophils_abs"),
    ],
)
def test_printed_names_resolve(printed: str, key: str) -> None:
    found = resolve(printed)
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    "printed",
    ["Vitamin D 1,25-Dihydroxy", "Patient Name", "Page", "Comment", "Specimen", "Fasting"],
)
def test_other_names_do_not_resolve(printed: str) -> None:
    assert resolve(printed) is None


def test_shared_names_are_told_apart_by_unit_result_and_section() -> None:
    assert resolve("Neutrophils", "%").key == "neutrophils_pct"  # type: ignore[union-attr]
    assert resolve("Neutrophils", "x10E3/uL").key == "neutrophils_abs"  # type: ignore[union-attr]
    assert resolve("WBC", "/HPF").key == "ua_wbc"  # type: ignore[union-attr]
    assert resolve("WBC", "K/uL").key == "wbc"  # type: ignore[union-attr]
    assert resolve("Glucose", "mg/dL").key == "glucose"  # type: ignore[union-attr]
    assert resolve("Glucose", text_value=True).key == "ua_glucose"  # type: ignore[union-attr]
    found = resolve("Protein", "mg/dL", context="URINALYSIS, COMPLETE")
    assert found is not None and found.key == "ua_protein"
    assert resolve("Leukocytes", text_value=True).key == "ua_leukocyte_esterase"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("wsc", "wbc"),
        ("WEC # Bld Auto", "WBC # Bld Auto"),
        ("HOL", "HDL"),
        ("TSN", "TSH"),
        ("AST", None),  # a test's own name is never another's
        ("ALT", None),
        ("Wwec", None),  # more than one glyph away
        ("Glucose", None),
        ("NA", None),  # two letters: too short
    ],
)
def test_misread_abbreviations_one_look_alike_glyph_away(read: str, meant: str | None) -> None:
    assert misread(read) == meant
