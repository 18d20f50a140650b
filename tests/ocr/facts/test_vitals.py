"""Vital signs: from print and from C-CDA, their own category, never 0 for "not measured"."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.facts import extract
from ocr.facts.ccda import read_ccda
from ocr.facts.lines import text_lines
from ocr.facts.model import LabResult
from ocr.facts.vitals import find_vitals
from ocr.model import PageReading

pytestmark = pytest.mark.nodb


def vitals(text: str) -> dict[str, LabResult]:
    return {r.analyte or r.name: r for r in find_vitals(text_lines(text))}


def canonical(result: LabResult) -> tuple[float, str | None]:
    assert result.canonical is not None
    return result.canonical.value, result.canonical.unit


def test_printed_vital_signs_are_read_in_their_units() -> None:
    found = vitals(
        "VITAL SIGNS: Blood pressure 128/82, heart rate 87, respirations 16, temperature 98.6.\n"
        "Weight 221 pounds. Height 6 feet 1 inch. BMI 29.2. O2 saturation: 97% on room air.\n"
        "Head circumference 45 cm.\n"
    )
    bp = found["blood_pressure"]
    assert (bp.value.text, bp.value.parts) == ("128/82", (128.0, 82.0))
    assert canonical(bp) == (128.0, "mm[Hg]")
    assert canonical(found["heart_rate"]) == (87.0, "/min")
    assert canonical(found["respiratory_rate"]) == (16.0, "/min")
    assert canonical(found["temperature"]) == (37.0, "°C")  # 98.6 can only be °F
    assert canonical(found["weight"]) == (pytest.approx(100.244, rel=1e-3), "kg")
    assert canonical(found["height"]) == (pytest.approx(185.42, rel=1e-3), "cm")
    assert canonical(found["bmi"]) == (29.2, "kg/m²")
    assert canonical(found["spo2"]) == (97.0, "%")
    assert canonical(found["head_circumference"]) == (45.0, "cm")
    assert {r.category for r in found.values()} == {"vital"}
    assert all(r.confidence is not None for r in found.values())


def test_short_labels_and_celsius() -> None:
    found = vitals("T: 37.2 C  P: 90  R: 20  BP: 156/90  SpO2 98%  Wt: 82 kg  Ht: 170 cm\n")
    assert canonical(found["temperature"]) == (37.2, "°C")
    assert found["temperature"].unit == "C"  # as printed
    assert canonical(found["heart_rate"]) == (90.0, "/min")
    assert canonical(found["respiratory_rate"]) == (20.0, "/min")
    assert found["blood_pressure"].value.text == "156/90"
    assert canonical(found["weight"]) == (82.0, "kg")
    assert canonical(found["height"]) == (170.0, "cm")


@pytest.mark.parametrize(
    "text",
    [
        "Goal BP 130/80 or lower.",
        "She reports a weight loss of 20 pounds.",
        "Birth weight 7 pounds.",
        "Heart rate 0 /min. Temperature 0 °C. Respiratory rate 0.",  # "not measured" as 0
        "Blood pressure 120/0.",
        "Pulse 60-70 at rest.",
        "Height 170.",  # centimetres or inches: not said
    ],
)
def test_what_is_no_vital_sign(text: str) -> None:
    assert vitals(text) == {}


def test_a_systolic_and_diastolic_printed_apart_are_one_reading() -> None:
    found = vitals("Systolic BP      120 mmHg\nDiastolic BP     80 mmHg\n")
    assert list(found) == ["blood_pressure"]
    assert found["blood_pressure"].value.parts == (120.0, 80.0)


def test_vital_signs_are_never_filed_as_labs() -> None:
    text = (
        "Test            Result   Units    Reference\n"
        "Heart rate      72       /min     60-100\n"
        "Sodium          141      mmol/L   136-145\n"
        "Notes: pulse 72, O2 saturation 97% on room air, BP 122/78.\n"
    )
    found = extract([PageReading(1, 612, 792, text, [], "", "", False)])
    kinds = {(r.analyte, r.category) for r in found.labs}
    assert ("sodium", "lab") in kinds
    assert {"heart_rate", "spo2", "blood_pressure"} <= {a for a, c in kinds if c == "vital"}
    assert not [r for r in found.labs if r.category == "lab" and r.analyte != "sodium"]
    assert found.vitals and all(r.category == "vital" for r in found.vitals)


_VITALS = """<section xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<templateId root="2.16.840.1.113883.10.20.22.2.4.1"/>
<code code="8716-3" codeSystem="2.16.840.1.113883.6.1"/>
<entry><organizer classCode="CLUSTER" moodCode="EVN">
<templateId root="2.16.840.1.113883.10.20.22.4.26"/>
<effectiveTime value="20120806120000"/>
{components}
</organizer></entry></section>"""
_OBSERVATION = """<component><observation classCode="OBS" moodCode="EVN">
<templateId root="2.16.840.1.113883.10.20.22.4.27"/>
<code code="{loinc}" codeSystem="2.16.840.1.113883.6.1" displayName="{name}"/>
<effectiveTime value="20120806120000"/>
{value}
</observation></component>"""


def _observation(loinc: str, name: str, value: str, unit: str = "") -> str:
    unit = f' unit="{unit}"' if unit else ""
    value = f'<value xsi:type="PQ" value="{value}"{unit}/>' if value else ""
    return _OBSERVATION.format(loinc=loinc, name=name, value=value)


def test_ccda_vital_signs_without_a_value_are_no_reading() -> None:
    components = "".join(
        [
            _observation("8867-4", "Heart Rate", "0", "/min"),
            _observation("8310-5", "Body Temperature", "")
            .replace("</observation>", '<value xsi:type="PQ" nullFlavor="NI"/></observation>'),
            _observation("9279-1", "Respiratory Rate", "0", "/min"),
            _observation("8480-6", "Systolic BP", "135", "mm[Hg]"),
            _observation("8462-4", "Diastolic BP", "92", "mm[Hg]"),
            _observation("3141-9", "Weight", "194", "[lb_av]"),
            _observation("8302-2", "Height", "69.7", "[in_us]"),
        ]
    )  # fmt: skip
    found = {r.analyte: r for r in read_ccda(_VITALS.format(components=components)).labs}
    assert set(found) == {"blood_pressure", "weight", "height"}
    bp = found["blood_pressure"]
    assert (bp.value.text, bp.value.parts, bp.unit) == ("135/92", (135.0, 92.0), "mm[Hg]")
    assert canonical(found["weight"]) == (pytest.approx(87.997, rel=1e-3), "kg")
    assert canonical(found["height"]) == (pytest.approx(177.04, rel=1e-3), "cm")
    assert {r.category for r in found.values()} == {"vital"}
    assert all(r.confidence is None for r in found.values())  # structured: as sent


def test_corpus_ccda_vitals_have_no_zero_readings() -> None:
    folder = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "ccda"
    if not folder.is_dir():
        pytest.skip(f"corpus not found at {folder} (tests read ../shared/corpus in place)")
    paths = [p for p in folder.iterdir() if "IsabellaJones-ReferralSummary" in p.name]
    paths += [p for p in folder.iterdir() if "SummaryOfCare_export_Joey_Miller" in p.name]
    assert paths
    for path in paths:
        labs = read_ccda(Path(path)).labs
        found = [r for r in labs if r.category == "vital"]
        assert found, path.name
        assert not [r for r in found if not r.value.number], path.name
        filed = [r for r in labs if r.category == "lab" and r.analyte in ("heart_rate", "weight")]
        assert not filed


def test_one_letter_labels_count_only_among_other_readings() -> None:
    found = vitals("Vital signs: T 98.6, P 80, R 16, BP 120/80, SpO2 98%.\n")
    assert set(found) == {"temperature", "heart_rate", "respiratory_rate", "blood_pressure", "spo2"}
    assert vitals("Grade R 12 on the left, P 80 of the form.\n") == {}


def test_weights_in_grams() -> None:
    found = vitals("Her weight is 1779 g (1% below her birthweight).\n")
    assert canonical(found["weight"]) == (1.779, "kg")
    assert vitals("After removal of the fluid, the cyst weight 68 grams.\n") == {}
