"""How far a machine-read fact can be trusted, from the evidence it was read with.

Every fact read from printed text gets a confidence in 0..1 (structured sources such as
C-CDA keep None: their codes and values are what the sender recorded). The score starts
from where the fact was read and moves with each piece of evidence for or against it:

| evidence | effect |
|---|---|
| read from a table row (a header named the columns) | starts at `TABLE` |
| read from a line of its own ("Glucose .... 95 mg/dL 70-99") | starts at `LINE` |
| read from a sentence ("Labs on admission: Na 138, K 4.1") | starts at `SENTENCE` |
| test name not in the catalogue | −`UNKNOWN_ANALYTE` |
| unit printed and valid for the test | +`UNIT_VALID` |
| unit implied by the test and the value (only where one unit is possible) | +`UNIT_IMPLIED` |
| no unit where the test has one | −`UNIT_MISSING` |
| unit printed but not valid for the test | −`UNIT_INVALID` |
| value outside what a living person can have | −`IMPLAUSIBLE` |
| each OCR repair (decimal point restored, name taken for a look-alike) | −`REPAIR` |
| reference range printed beside it | +`RANGE` |

The server holds facts below `REVIEW_BELOW` in review, out of the Summary, Lab overview and
trends, until a person confirms them. Facts below `DROP_BELOW` are not emitted at all.
"""

from __future__ import annotations

# Facts below this wait in review and stay out of summaries until a person confirms them.
REVIEW_BELOW = 0.7
# Facts below this are not reported: the evidence speaks against them more than for them.
DROP_BELOW = 0.3

TABLE = 0.9
LINE = 0.85
SENTENCE = 0.75
UNKNOWN_ANALYTE = 0.35
UNIT_VALID = 0.1
UNIT_IMPLIED = 0.05
UNIT_MISSING = 0.1
UNIT_INVALID = 0.3
IMPLAUSIBLE = 0.5
REPAIR = 0.1
RANGE = 0.05


def needs_review(confidence: float | None) -> bool:
    """Whether a fact with this confidence waits for a person (None: structured, trusted)."""
    return confidence is not None and confidence < REVIEW_BELOW


def lab(
    source: str,
    *,
    known: bool,
    unit: str,
    plausible: bool = True,
    repairs: int = 0,
    ranged: bool = False,
) -> float:
    """A lab result's or vital sign's confidence.

    `source` is "table", "line" or "sentence"; `unit` is "valid", "implied", "missing",
    "invalid" or "none" (the test has no unit, as pH or a text result)."""
    score = {"table": TABLE, "line": LINE, "sentence": SENTENCE}[source]
    if not known:
        score -= UNKNOWN_ANALYTE
    score += {
        "valid": UNIT_VALID,
        "implied": UNIT_IMPLIED,
        "missing": -UNIT_MISSING,
        "invalid": -UNIT_INVALID,
    }.get(unit, 0.0)
    if not plausible:
        score -= IMPLAUSIBLE
    score -= REPAIR * repairs
    if ranged:
        score += RANGE
    return _bounded(score)


# Conditions: a coded mention, an item of a problem or history list, or a prose mention.
CONDITION_CODED = 0.95
CONDITION_LISTED_KNOWN = 0.9  # a list item that is a condition the word list knows
CONDITION_LISTED = 0.75  # a list item with the words of a diagnosis
CONDITION_LISTED_ODD = 0.5  # a list item of one unknown word, or shaped like a finding
CONDITION_PROSE = 0.6  # "diagnosed with diabetes" in running text
# Prose, by what was read in it (all wait in review; apart so that a bench can measure each):
CONDITION_PROSE_TERM = 0.62  # a known term after "history of", "diagnosed with", …
CONDITION_PROSE_NAMED = 0.58  # words ending on a disease's word after the same lead-ins
CONDITION_PROSE_SCANNED = 0.6  # a known term inside a sentence of a problem or history section


def condition(kind: str) -> float:
    """A condition's confidence by how it was found: "coded", "listed-known", "listed",
    "listed-odd", "prose" or one of its kinds "prose-term", "prose-named", "prose-scanned"."""
    return {
        "coded": CONDITION_CODED,
        "listed-known": CONDITION_LISTED_KNOWN,
        "listed": CONDITION_LISTED,
        "listed-odd": CONDITION_LISTED_ODD,
        "prose": CONDITION_PROSE,
        "prose-term": CONDITION_PROSE_TERM,
        "prose-named": CONDITION_PROSE_NAMED,
        "prose-scanned": CONDITION_PROSE_SCANNED,
    }[kind]


def medication(*, listed: bool, known_drug: bool, strength: bool, said: bool = False) -> float:
    """A medication's confidence: listed in a medication section or named in prose, a drug
    the word list knows, a strength printed; `said`: named without a strength in a sentence
    saying the patient takes it ("She takes aspirin daily"), which waits for a person."""
    score = 0.8 if listed else 0.7
    score += 0.1 if known_drug else -0.15
    score += 0.05 if strength else -0.1
    score -= 0.1 if said else 0.0
    return _bounded(score)


def allergy(*, listed: bool, none_known: bool = False, known_drug: bool = False) -> float:
    """An allergy's confidence: from an allergy section or a sentence, a statement of none
    known, a substance the drug list knows."""
    if none_known:
        return 0.9
    score = 0.8 if listed else 0.7
    score += 0.1 if known_drug else 0.0
    return _bounded(score)


def immunization(*, listed: bool, dated: bool) -> float:
    """An immunization's confidence: from an immunization section or prose, with a date."""
    score = 0.8 if listed else 0.65
    score += 0.1 if dated else 0.0
    return _bounded(score)


def _bounded(score: float) -> float:
    return round(min(1.0, max(0.0, score)), 2)
