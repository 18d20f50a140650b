"""Reader fixes found on the latest four held-out layouts (fax-relay, befund, laboratorio,
kenshin) once they were tuned on (issue 12, 2026-12-07): each test holds text written for it,
in the shape those layouts print, and fails on the reader before the fix."""

from __future__ import annotations

from datetime import date

import pytest

from ocr.facts import extract
from ocr.facts.model import DocumentFacts
from ocr.model import PageReading

pytestmark = pytest.mark.nodb

DRAWN = date(2008, 3, 19)


def read(text: str) -> DocumentFacts:
    return extract([PageReading(1, 612, 792, text, [], "", "", False)])


@pytest.mark.parametrize(
    ("head", "point"),
    [
        # German: the birth date's label ("Geb.-Datum") was read as a plain "Datum", and the
        # birth date became every result's collection date.
        (
            "Patient: Betterhalf, Eve            Geb.-Datum: 01.05.1975\n"
            "Einsender: Dr. Alan Grant           Befunddatum: 21.03.2008\n"
            "Probenentnahme: 19.03.2008 08:15    Eingang: 19.03.2008 11:02\n"
            "Untersuchung       Ergebnis   Einheit    Referenzbereich\n",
            ",",
        ),
        # Spanish (Mexico): "Fecha de nacimiento", "Fecha de toma", "Fecha de entrega".
        (
            "Paciente: EVE BETTERHALF            Folio: W13-2938471\n"
            "Edad: 32 años  Sexo: Femenino       Fecha de nacimiento: 01/05/1975\n"
            "Médico: DR. ALAN GRANT              Fecha de toma: 19/03/2008 08:15\n"
            "Procedencia: Consulta externa       Fecha de entrega: 21/03/2008\n"
            "ESTUDIO            RESULTADO  UNIDADES   VALORES DE REFERENCIA\n",
            ".",
        ),
    ],
)
def test_a_report_from_abroad_is_dated_by_its_sample_never_by_the_birth_date(
    head: str, point: str
) -> None:
    text = head + (
        f"Hemoglobin         13{point}2       g/dL       12{point}0 - 15{point}5\n"
        f"Leukocytes         6{point}7        10*9/L     4{point}3 - 10{point}8\n"
    )
    facts = read(text)
    assert [(r.analyte, r.collected) for r in facts.labs] == [
        ("hemoglobin", DRAWN),
        ("wbc", DRAWN),
    ]
    assert date(1975, 5, 1) not in {m.value for m in facts.dates if m.kind != "birth"}


def test_a_checkups_category_and_grade_columns_are_neither_name_nor_flag() -> None:
    """A health checkup prints the group of each test before it ("Blood chemistry
    Hemoglobin", read as one name) and grades each result A-D after it ("A: No
    abnormality", read as the flag "abnormal"; "C: re-examination recommended" as critical)."""
    text = (
        "Date of birth: 1975/05/01  Age: 32  Sex: Female\n"
        "Date of examination: 2008/03/19  Date of report: 2008/03/21\n"
        "Judgment A: No abnormality B: Slightly abnormal C: Re-examination recommended\n"
        "Category           Item        Result   Unit      Reference     Judg.\n"
        "Blood chemistry    Hemoglobin  13.2     g/dL      12.0-15.5     A\n"
        "                   PLT         123      10+3/ul   150.0-350.0   C\n"
        "Lipids             K           3.5      mmol/L                  A\n"
    )
    facts = read(text)
    assert [(r.name, r.analyte, r.value.text, r.flag) for r in facts.labs] == [
        ("Hemoglobin", "hemoglobin", "13.2", None),
        ("PLT", "platelets", "123", None),
        ("K", "potassium", "3.5", None),
    ]
    assert {r.collected for r in facts.labs} == {DRAWN}


def test_a_garbled_name_title_after_a_category_column_still_heads_the_names() -> None:
    """On a scan "Item" came out as "tem.": the names were put under "Category" and lost
    ("Hematology HCT 45 %")."""
    text = (
        "Category           tem.                  Result   Unit         Reference       Judg.\n"
        "Hematology         HCT                   45       %            40-54           A\n"
        "Lipids             Lymphs (Absolute)     1901     CELLS/MCL    (850-3900)      A\n"
    )
    assert [(r.analyte, r.value.text, r.unit) for r in read(text).labs] == [
        ("hematocrit", "45", "%"),
        ("lymphocytes_abs", "1901", "CELLS/MCL"),
    ]


def test_a_value_set_close_to_its_unit_right_of_the_result_column() -> None:
    """ "16 = g/dl": a speck between value and unit put the value under UNITS."""
    text = (
        "Item                         Result  Unit      Reference\n"
        "Hemoglobin A, Serum                 16 = g/dl  13.5 - 18.0 g/dl\n"
    )
    assert [(r.analyte, r.value.text, r.unit) for r in read(text).labs] == [
        ("hemoglobin", "16", "g/dl")
    ]
