"""What the catalogue knows about one analyte, and a compact way to write it down."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Analyte:
    """A lab test or vital sign: names as labs print them, LOINC, canonical unit, conversions.

    `molar_mass` (g/mol) makes mass ↔ amount conversions valid for this analyte, `valence`
    amount ↔ milliequivalents, `fraction` % ↔ L/L; `factors` hold other conversions as
    multipliers from a unit's normal spelling to the canonical unit.
    """

    key: str
    name: str
    loinc: str
    unit: str | None
    synonyms: tuple[str, ...]
    other_loincs: tuple[str, ...] = ()
    molar_mass: float | None = None
    valence: int | None = None
    fraction: bool = False
    factors: tuple[tuple[str, float], ...] = ()
    specimen: str = "blood"
    category: str = "lab"


def a(
    key: str,
    name: str,
    loinc: str,
    unit: str | None,
    synonyms: str,
    *,
    alt: str = "",
    mm: float | None = None,
    val: int | None = None,
    fraction: bool = False,
    factors: tuple[tuple[str, float], ...] = (),
    spec: str = "blood",
    cat: str = "lab",
) -> Analyte:
    """One catalogue row; `synonyms` and `alt` (other LOINC codes) are `|`- and space-separated."""
    names = tuple(s.strip() for s in synonyms.split("|") if s.strip())
    return Analyte(
        key, name, loinc, unit, (name, *names), tuple(alt.split()), mm, val, fraction,
        factors, spec, cat,
    )  # fmt: skip
