"""Converted values keep the precision they were printed with."""

from __future__ import annotations

import pytest

from server.facts.numbers import converted, significant

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("printed", "digits"),
    [("88", 2), ("0.50", 2), ("5.0", 2), ("<0.01", 1), ("1,234", 4), ("", None)],
)
def test_significant_digits(printed: str, digits: int | None) -> None:
    assert significant(printed) == digits


@pytest.mark.parametrize(
    ("value", "printed", "shown"),
    [
        (0.99546, "88", "0.995"),  # creatinine 88 µmol/L in mg/dL
        (90.0900, "5.0", "90.1"),  # glucose 5.0 mmol/L in mg/dL
        (123.456789, "6.85", "123.5"),
        (2.0, "0.2", "2"),
        (0.0, "0", "0"),
    ],
)
def test_converted_values(value: float, printed: str, shown: str) -> None:
    assert converted(value, printed) == shown
