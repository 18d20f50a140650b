"""Health facts read from a document; every fact carries the citation it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ocr.identity import PatientIdentity

# A box as fractions of the displayed page (origin top-left): x0, y0, x1, y1.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Citation:
    """Where a fact was read: page (1-based), a union box per source line, and the line text.

    Structured sources (C-CDA) have no page or boxes; `locator` names the element instead.
    """

    page: int | None
    boxes: tuple[Box, ...]
    line: str
    locator: str | None = None


@dataclass(frozen=True)
class Quantity:
    """A number in a unit, as a float and as printed."""

    value: float
    unit: str | None
    text: str


@dataclass(frozen=True)
class ResultValue:
    """A lab result as reported: a number with an optional comparator, a titre, or text."""

    text: str  # as printed, after OCR repair of digits
    number: float | None = None
    comparator: str | None = None  # "<", ">", "<=", ">="
    titre: int | None = None  # 160 for "1:160"
    coded: str | None = None  # "negative", "positive", "not detected", … for text results
    parts: tuple[float, ...] = ()  # every number of a reading printed as one: (128, 82) for BP


@dataclass(frozen=True)
class ReferenceBand:
    """One reference interval; `sex` is "M"/"F" for sex-specific bands."""

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    text: str | None = None  # "Negative" and other text ranges
    sex: str | None = None


@dataclass(frozen=True)
class ReferenceRange:
    """A reference range as printed and its bands."""

    text: str
    bands: tuple[ReferenceBand, ...] = ()


@dataclass(frozen=True)
class LabResult:
    """One lab (or vital sign) result."""

    name: str  # as printed
    value: ResultValue
    citation: Citation
    analyte: str | None = None  # catalogue key, when recognised
    loinc: str | None = None
    unit: str | None = None  # as printed
    unit_normal: str | None = None  # normalised spelling of `unit`
    canonical: Quantity | None = None  # in the analyte's canonical unit, when convertible
    reference: ReferenceRange | None = None
    flag: str | None = None  # "H", "L", "A", "HH", "LL", "critical", "N"
    flag_text: str | None = None
    collected: date | None = None
    category: str = "lab"  # or "vital"
    notes: tuple[str, ...] = ()
    # 0..1 from the evidence it was read with (`ocr.facts.confidence`); None when structured
    confidence: float | None = None


@dataclass(frozen=True)
class Medication:
    """A medication statement."""

    name: str
    citation: Citation
    strength: str | None = None
    dose: str | None = None
    route: str | None = None
    frequency: str | None = None
    as_needed: bool = False
    status: str = "active"  # "active", "stopped", "refused", "unknown"
    instructions: str | None = None
    code: str | None = None  # RxNorm when the source gives one
    confidence: float | None = None  # see `ocr.facts.confidence`; None when structured


@dataclass(frozen=True)
class Condition:
    """A diagnosis or problem; `assertion` says whether it is the patient's."""

    name: str
    citation: Citation
    icd10: str | None = None
    code: str | None = None  # SNOMED CT or other code from structured sources
    status: str = "active"  # "active", "resolved", "historical"
    assertion: str = "present"  # "present", "absent", "family", "possible"
    onset: date | None = None
    confidence: float | None = None  # see `ocr.facts.confidence`; None when structured


@dataclass(frozen=True)
class Allergy:
    """An allergy or intolerance, or a statement that there are none known."""

    substance: str | None
    citation: Citation
    reaction: str | None = None
    severity: str | None = None
    none_known: bool = False  # "NKDA", "no known allergies"
    scope: str | None = None  # what a none-known statement covers: "all", "drug", "food"
    status: str = "active"  # "active", "inactive", "refuted" ("not allergic to …")
    code: str | None = None
    confidence: float | None = None  # see `ocr.facts.confidence`; None when structured


@dataclass(frozen=True)
class Immunization:
    """A vaccine given (or refused)."""

    vaccine: str
    citation: Citation
    given: date | None = None
    dose_number: int | None = None
    status: str = "completed"  # "completed", "refused", "not given"
    code: str | None = None  # CVX when the source gives one
    confidence: float | None = None  # see `ocr.facts.confidence`; None when structured


@dataclass(frozen=True)
class Procedure:
    """A procedure done (surgery, imaging, a screening); not-done ones are no fact."""

    name: str
    citation: Citation
    performed: date | None = None
    status: str = "completed"  # as the record says: completed, in-progress, stopped, unknown
    code: str | None = None  # SNOMED CT, CPT, ICD-10-PCS as the source gives it
    confidence: float | None = None  # see `ocr.facts.confidence`; None when structured


@dataclass(frozen=True)
class DatedMention:
    """A date printed in the document, what its label says it is, and where."""

    value: date
    kind: str  # "collected", "service", "discharge", "reported", "printed", "birth", …
    citation: Citation


@dataclass
class DocumentFacts:
    """Everything extracted from one document."""

    kind: str = "other"
    date: date | None = None
    date_kind: str | None = None
    date_citation: Citation | None = None
    provider: str | None = None
    provider_citation: Citation | None = None
    facility: str | None = None
    facility_citation: Citation | None = None
    patient: PatientIdentity = field(default_factory=lambda: PatientIdentity((), (), ()))
    labs: list[LabResult] = field(default_factory=list)
    medications: list[Medication] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)  # the patient's own
    excluded: list[Condition] = field(default_factory=list)  # negated, family, ruled out
    allergies: list[Allergy] = field(default_factory=list)
    immunizations: list[Immunization] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)
    dates: list[DatedMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def vitals(self) -> list[LabResult]:
        """The vital signs among `labs` (kept in one list so that older readers see them)."""
        return [result for result in self.labs if result.category == "vital"]
