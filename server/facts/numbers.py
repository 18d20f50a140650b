"""Numbers as people read them: a converted value keeps the precision it was printed with."""

from __future__ import annotations

import math
import re

_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")


def significant(printed: str) -> int | None:
    """How many significant digits the number in `printed` has ("88" 2, "0.50" 2, "5.0" 2)."""
    found = _DIGITS.search(printed or "")
    if found is None:
        return None
    digits = found.group().replace(",", ".").replace(".", "").lstrip("0")
    return max(1, len(digits))


def converted(value: float, printed: str) -> str:
    """`value`, converted from the number in `printed`, with one significant digit more than
    was printed (at least 3): 88 µmol/L is 0.995 mg/dL, not 0.99546."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    digits = min(6, max(3, (significant(printed) or 5) + 1))
    exponent = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - exponent)
    text = f"{round(value, decimals):.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
