"""Reader fixes found on the last four held-out layouts (email, laudo, provincial, home-kit)
once they were tuned on after their first run (issue 12, 2026-12-07): each test holds text
written for it, in the shape those layouts print, and fails on the reader before the fix."""

from __future__ import annotations

from datetime import date

import pytest

from ocr.facts import extract
from ocr.facts.model import DocumentFacts
from ocr.facts.values import parse_range
from ocr.model import PageReading

pytestmark = pytest.mark.nodb


def read(text: str) -> DocumentFacts:
    return extract([PageReading(1, 612, 792, text, [], "", "", False)])


def test_a_brazilian_laudo_names_each_result_above_its_sample_fields() -> None:
    """A laudo prints the test's name, then the sample's fields ("Material: … Método: …"),
    then "Resultado: 13,2 g/dL  Valores de referência: 12,0 a 15,5 g/dL": nothing was read,
    and "a" between the bounds was taken for the flag "abnormal"."""
    text = (
        "Paciente: EVE BETTERHALF            Data de nascimento: 01/05/1975\n"
        "Data da coleta: 19/03/2008 07:40    Data de liberação: 21/03/2008\n"
        "HEMOGLOBIN\n"
        "Material: Sangue total com EDTA   Método: Automatizado\n"
        "Resultado: 13,2 g/dL   Valores de referência: 12,0 a 15,5 g/dL\n"
        "CO2\n"
        "Material: Soro   Método: Enzimático colorimétrico\n"
        "Resultado: 25 mmol/L   Valores de referência: 22 - 29 mmol/L\n"
    )
    facts = read(text)
    assert [(r.analyte, r.value.text, r.unit, r.flag) for r in facts.labs] == [
        ("hemoglobin", "13,2", "g/dL", None),
        ("co2", "25", "mmol/L", None),
    ]
    hemoglobin = facts.labs[0]
    assert hemoglobin.reference is not None and hemoglobin.reference.text == "12,0 - 15,5"
    assert {r.collected for r in facts.labs} == {date(2008, 3, 19)}
    assert parse_range("12,0 a 15,5") is not None


def test_a_bilingual_header_heads_its_columns() -> None:
    """ "Test / Analyse  Flag / Ind.  Result / Résultat …": the "/" words kept it from being a
    header, and the flag column's "L" was read into the name ("PLT L")."""
    text = (
        "Test / Analyse       Flag / Ind.   Result / Résultat   Reference Range - Units\n"
        "PLT                  L             123                 150.0-350.0 10+3/ul\n"
        "Hemoglobin                         13.2                12.0-15.5 g/dL\n"
    )
    assert [(r.name, r.analyte, r.value.text, r.flag) for r in read(text).labs] == [
        ("PLT", "platelets", "123", "L"),
        ("Hemoglobin", "hemoglobin", "13.2", None),
    ]
