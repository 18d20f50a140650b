"""C-CDA documents and HL7 section fragments (read in place from ../shared/corpus)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ocr.facts.ccda import CcdaError, read_ccda

pytestmark = pytest.mark.nodb

Fragment = Callable[[str], Path]


def test_fragments_without_namespace_declarations_are_read(fragment: Fragment) -> None:
    source = fragment("Results_with_translation_unit").read_text()
    assert "xmlns:xsi" not in source  # as published: xsi:type with no declaration
    (platelets,) = read_ccda(source).labs
    assert (platelets.analyte, platelets.loinc, platelets.value.number) == (
        "platelets",
        "26515-7",
        152,
    )
    assert platelets.unit == "10*3/uL" and platelets.unit_normal == "10^3/µL"
    assert platelets.canonical is not None and platelets.canonical.value == 152
    assert platelets.reference is not None and platelets.reference.bands[0].low == 150
    assert platelets.flag == "N" and platelets.collected == date(2013, 10, 20)
    assert platelets.citation.line.startswith("Platelets")  # the narrative row it points to
    assert platelets.citation.locator and "observation" in platelets.citation.locator


def test_less_than_and_greater_than_results(fragment: Fragment) -> None:
    (bnp,) = read_ccda(fragment("less_than_specific_value").read_bytes()).labs
    assert (bnp.value.comparator, bnp.value.number, bnp.unit) == ("<=", 5, "pg/mL")
    (glucose,) = read_ccda(fragment("greater_than_a_specified").read_bytes()).labs
    assert (glucose.value.comparator, glucose.value.number) == (">", 500)
    assert glucose.flag == "H"
    # Only the normal band is the reference range, not the band labelled high.
    assert glucose.reference is not None
    assert [(b.low, b.high) for b in glucose.reference.bands] == [(80, 140)]


def test_coded_and_string_results(fragment: Fragment) -> None:
    panel = read_ccda(fragment("coded_values_of_negative-positive").read_bytes()).labs
    assert [(r.value.coded, r.value.number) for r in panel] == [
        ("negative", None),
        ("positive", None),
    ]
    (color,) = read_ccda(fragment("unstructured_string_as_value").read_bytes()).labs
    assert (color.analyte, color.value.text) == ("ua_color", "Amber")
    (titre,) = read_ccda(fragment("Multiple_Reference_Ranges").read_bytes()).labs
    assert titre.flag == "A" and "1:80" in titre.value.text
    assert titre.reference is not None and titre.reference.text.startswith("Negative")


def test_pending_components_are_not_results(fragment: Fragment) -> None:
    results = read_ccda(fragment("pending_component").read_bytes()).labs
    assert all(r.value.text for r in results)


def test_vital_signs_are_converted(fragment: Fragment) -> None:
    vitals = {r.analyte: r for r in read_ccda(fragment("Mixed_Metric-Imperial").read_bytes()).labs}
    assert all(r.category == "vital" for r in vitals.values())
    assert vitals["temperature"].canonical is not None
    assert vitals["temperature"].canonical.value == pytest.approx(37.2, abs=0.05)
    assert vitals["weight"].canonical is not None
    assert vitals["weight"].canonical.value == pytest.approx(108.8, abs=0.1)
    bp = vitals["blood_pressure"]  # systolic and diastolic of one time: one reading
    assert bp.canonical is not None and bp.canonical.unit == "mm[Hg]"
    assert len(bp.value.parts) == 2 and bp.value.text == "{:g}/{:g}".format(*bp.value.parts)
    assert "bp_systolic" not in vitals and "bp_diastolic" not in vitals


@pytest.mark.parametrize(
    ("name", "frequency", "as_needed"),
    [
        ("Med_every_4-6_hours", "every 4-6 h", False),
        ("Med_oral_QID_with_PRN", "four times daily", True),
        ("Med_at_bedtime", "at bedtime", False),
    ],
)
def test_medication_timing(fragment: Fragment, name: str, frequency: str, as_needed: bool) -> None:
    (medication,) = read_ccda(fragment(name).read_bytes()).medications
    assert (medication.frequency, medication.as_needed) == (frequency, as_needed)
    assert medication.code and medication.status == "active"


def test_medication_strength_route_and_rxnorm(fragment: Fragment) -> None:
    (ibuprofen,) = read_ccda(fragment("Med_oral_QID_with_PRN").read_bytes()).medications
    assert ibuprofen.name == "ibuprofen 600 MG Oral Tablet"
    assert (ibuprofen.strength, ibuprofen.code) == ("600 MG", "197806")
    assert ibuprofen.route is not None and "Oral" in ibuprofen.route


def test_refused_and_absent_medications(fragment: Fragment) -> None:
    (refused,) = read_ccda(fragment("Medication_Refused").read_bytes()).medications
    assert (refused.name, refused.status) == ("lisinopril 10 MG Oral Tablet", "refused")
    assert read_ccda(fragment("No_Medications").read_bytes()).medications == []


def test_problems_negation_and_status(fragment: Fragment) -> None:
    facts = read_ccda(fragment("Patient_Does_Not_Have_Diabetes").read_bytes())
    assert facts.conditions == []
    assert [(c.name, c.assertion) for c in facts.excluded] == [
        ("Diabetes mellitus type 2 (disorder)", "absent"),
    ]
    assert read_ccda(fragment("No_Known_Problems").read_bytes()).conditions == []
    (resolved,) = read_ccda(fragment("Resolved_Problem").read_bytes()).conditions
    assert (resolved.icd10, resolved.status) == ("J02.9", "resolved")


def test_allergies(fragment: Fragment) -> None:
    (penicillin,) = read_ccda(fragment("specific_drug_Penicillin_").read_bytes()).allergies
    assert (penicillin.reaction, penicillin.severity, penicillin.status) == (
        "Anaphylaxis",
        "severe",
        "active",
    )
    (none,) = read_ccda(fragment("No_Known_Allergies").read_bytes()).allergies
    assert (none.none_known, none.substance, none.scope) == (True, None, "all")
    (drugs,) = read_ccda(fragment("No_Known_Medication_Allergies").read_bytes()).allergies
    assert (drugs.none_known, drugs.scope) == (True, "drug")
    (peanut,) = read_ccda(fragment("Not_Allergic_to_Peanuts").read_bytes()).allergies
    assert (peanut.substance, peanut.status, peanut.none_known) == ("Peanut", "refuted", False)
    assert read_ccda(fragment("No_Information_Allergies").read_bytes()).allergies == []


def test_immunizations(fragment: Fragment) -> None:
    (flu,) = read_ccda(fragment("Influenza_Vaccination__Influenza").read_bytes()).immunizations
    assert (flu.given, flu.status, flu.code) == (date(2010, 8, 15), "completed", "88")
    (refused,) = read_ccda(fragment("Patient_refused").read_bytes()).immunizations
    assert refused.status == "refused"
    assert read_ccda(fragment("Unknown_Immunization_Status").read_bytes()).immunizations == []


def test_every_fragment_reads(fragment: Fragment) -> None:
    folder = fragment("Results_with_translation_unit").parent
    for path in sorted(folder.iterdir()):
        facts = read_ccda(path)
        for fact in [*facts.labs, *facts.medications, *facts.conditions, *facts.allergies]:
            assert fact.citation.locator, path.name


def test_full_documents(ccda_documents: list[Path]) -> None:
    results = 0
    for path in ccda_documents:
        facts = read_ccda(path)
        results += len(facts.labs)
        for result in facts.labs:
            assert result.name and result.value.text
        for medication in facts.medications:
            assert not medication.name.lower().startswith("no medication"), path.name
    assert results >= 600  # the corpus holds 640 result observations


def test_document_header(ccda_documents: list[Path]) -> None:
    path = next(p for p in ccda_documents if "Transfer_Summary" in p.name)
    facts = read_ccda(path)
    assert facts.kind == "discharge summary"
    assert facts.patient.names and facts.patient.birth_dates
    assert facts.date is not None and facts.date not in facts.patient.birth_dates
    assert facts.facility


def test_not_xml_is_refused() -> None:
    with pytest.raises(CcdaError):
        read_ccda(b"this is not xml <")
    with pytest.raises(CcdaError):
        read_ccda(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')


@pytest.mark.parametrize(
    "dtd",
    [
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
        b'<!DOCTYPE ClinicalDocument SYSTEM "http://127.0.0.1:9/CDA.dtd">',
        b"<!DOCTYPE ClinicalDocument>",
    ],
)
def test_any_dtd_is_refused_wherever_it_starts(dtd: bytes) -> None:
    """Issue 11, finding 9: a DTD after 4 KB of comment was parsed (and its entities expanded)."""
    head = b'<?xml version="1.0"?>\n<!--' + b"padding " * 1000 + b"-->\n"
    body = b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>T</title></ClinicalDocument>'
    with pytest.raises(CcdaError, match="DTD"):
        read_ccda(head + dtd + body)
    read_ccda(head + body)  # the same document without a DTD is read


def test_a_c32_ccd_1_document_yields_its_medications_problems_and_allergies(
    ccda_documents: list[Path],
) -> None:
    (kareo,) = [p for p in ccda_documents if p.name.endswith("Kareo_CCD_export_Joey_Miller.ccd")]
    facts = read_ccda(kareo)
    assert [(m.name, m.code) for m in facts.medications] == [
        ("acetaminophen-aspirin buffered 250 mg-250 mg oral tablet", "432638")
    ]
    # The same CCD 1.0 templates mark allergies and problems: the section tells them apart.
    assert [(c.name, c.code, c.onset) for c in facts.conditions] == [
        ("Hypothyroidism", "40930008", date(2012, 8, 5)),
        ("Acute bronchitis", "10509002", date(2012, 10, 2)),
    ]
    assert [(a.substance, a.status) for a in facts.allergies] == [("sulfa drug", "active")]
    assert [(i.vaccine, i.given) for i in facts.immunizations] == [
        ("Pneumococcal (PCV, PPSV)", date(2014, 5, 15))
    ]
    vitals = {r.analyte: r.value.number for r in facts.vitals}
    assert vitals["height"] == 71 and vitals["heart_rate"] == 80
    assert "bp_diastolic" not in vitals  # written as 0: not measured
    # The results section's placeholder ("Results" 0 unit) is no result.
    assert [r for r in facts.labs if r.category == "lab"] == []
