"""Decimal points that OCR dropped from low-resolution scans (`7.1` read as `71`).

At 150–200 dpi a blurred decimal point is a few grey pixels, and Tesseract often reads the
number without it. Two independent clues, both required, bring it back:

- **room**: the word is wider than its digits. Digits share one width in almost every font
  (tabular figures) and a point takes about half a digit, so the page's other numbers give the
  digit width, and a word with room for an extra half digit or more probably lost a point.
  Dates and times count too (`02.01.2010`, `11/02/2024`, `08:15`: their separators take about
  half a digit as well), so a report with a single result still has numbers to measure. The
  width most of them agree on is used (not that of a footer in small print), and at least
  three numbers besides the word itself must agree;
- **range**: the printed reference range says where the value should be. The point is put
  back only when the number as read is far outside the range (more than 3 times the upper
  limit) and exactly one placement of the point puts it within half to twice the range.
  Without a printed range, the limits of what a living patient's result can be (`LIMITS`,
  for tests where a lost point leaves an impossible number) take its place: the number as read
  must be beyond them, and exactly one placement of the point within them.

Otherwise, or with a normal-width word, the value is left as read.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from ocr.facts.lines import Line, Token
from ocr.facts.model import ReferenceRange, ResultValue

_NUMERIC = re.compile(r"^\d(?:[\d.,:/\-]*\d)?$")  # 95, 7.2, 2010-01-02, 11/02/2024, 08:15
_WHOLE = re.compile(r"^\d{2,4}$")
POINT_WIDTH = 0.5  # a decimal point's advance, in digit widths (Helvetica, Arial, Times: ~0.5)
# Advances of the other separators numbers are printed with, in digit widths (Helvetica/Arial).
_SEPARATORS = {".": POINT_WIDTH, ",": 0.5, ":": 0.5, "/": 0.5, "-": 0.6}
MIN_ROOM = 0.3  # unexplained room, in digit widths, that suggests a lost point
FAR_OUT = 3.0  # the value as read must exceed the range's upper limit this many times
AGREE = 0.08  # digit widths within this share of one another are of one print size
_MIN_SAMPLES = 3

# Results no living patient has, in the analyte's canonical unit (generous: beyond the most
# extreme values reported), for tests where a lost point gives such a number.
LIMITS: dict[str, tuple[float, float]] = {
    "ua_ph": (3.5, 10.0),  # "Ph (02) 9447 1200" is a telephone number, no urine pH
    "ph_arterial": (6.3, 8.0),
    "hba1c": (2.0, 20.0),  # %
    "potassium": (1.0, 12.0),  # mmol/L
    "sodium": (90.0, 200.0),
    "chloride": (50.0, 160.0),
    "co2": (2.0, 60.0),
    "albumin": (0.5, 7.0),  # g/dL
    "globulin": (0.3, 10.0),
    "protein_total": (1.0, 15.0),
    "calcium": (2.0, 20.0),  # mg/dL
    "magnesium": (0.2, 10.0),
    "phosphorus": (0.3, 20.0),
    "creatinine": (0.05, 30.0),
    "hemoglobin": (1.5, 26.0),  # g/dL
    "mchc": (20.0, 45.0),
    "hematocrit": (5.0, 80.0),  # %
    "rbc": (0.5, 10.0),  # 10^6/µL
    "rdw": (8.0, 40.0),  # %
    "inr": (0.5, 15.0),
    "temperature": (25.0, 45.0),  # °C
}


class DigitWidths:
    """The width of one digit as printed on some lines, measured from their numbers."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.samples: list[tuple[Token, float]] = []
        for line in lines:
            for token in line.tokens:
                if token.word is None or not _NUMERIC.match(token.text):
                    continue
                digits = sum(c.isdigit() for c in token.text)
                advance = digits + sum(_SEPARATORS.get(c, 0.0) for c in token.text)
                self.samples.append((token, (token.x1 - token.x0) / advance))

    def besides(self, token: Token) -> float | None:
        """The digit width most of the other numbers agree on: the median of the largest group
        of widths within `AGREE` of one another (the wider group on a tie, so that small print
        in a footer never makes a word look roomy); None when fewer than three agree."""
        widths = [width for other, width in self.samples if other is not token]
        best: list[float] = []
        for centre in sorted(widths, reverse=True):
            group = [w for w in widths if abs(w - centre) <= AGREE * centre]
            if len(group) > len(best):
                best = group
        if len(best) < _MIN_SAMPLES:
            return None
        return statistics.median(best)


def could_have_lost_point(value: ResultValue) -> bool:
    """Whether `value` is a whole number of 2–4 digits with no comparator."""
    return not value.comparator and value.number is not None and bool(_WHOLE.match(value.text))


def restore_point(
    value: ResultValue,
    tokens: Sequence[Token],
    reference: ReferenceRange | None,
    digits: DigitWidths | None,
    limits: tuple[float, float] | None = None,
) -> ResultValue | None:
    """`value` with its decimal point put back, or None when the clues do not agree.

    `limits` are the analyte's `LIMITS` in the unit `value` is printed in."""
    if digits is None or value.number is None or not could_have_lost_point(value):
        return None
    token = next((t for t in tokens if t.text == value.text and t.word is not None), None)
    digit = digits.besides(token) if token is not None else None
    if token is None or digit is None:
        return None
    room = (token.x1 - token.x0) / digit - len(value.text)
    if room < MIN_ROOM:
        return None
    band = range_band(reference)
    if band is not None:
        low, high = band
        if value.number <= FAR_OUT * high:
            return None
        low, high = low / 2, high * 2
    elif limits is not None:
        low, high = limits
        if low <= value.number <= high:
            return None
    else:
        return None
    fits = []
    for cut in range(1, len(value.text)):
        text = f"{value.text[:cut]}.{value.text[cut:]}"
        number = float(text)
        if low <= number <= high:
            fits.append((text, number))
    if len(fits) != 1:
        return None
    text, number = fits[0]
    return ResultValue(text=text, number=number)


def range_band(reference: ReferenceRange | None) -> tuple[float, float] | None:
    """The first band of a printed range with an upper limit, as (low, high)."""
    if reference is None:
        return None
    for band in reference.bands:
        if band.high is not None and band.high > 0:
            return (band.low or 0.0, band.high)
    return None
