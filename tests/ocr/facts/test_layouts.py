"""Lab tables laid out as real labs print them (tests/ocr/facts/lab_layouts.py), read from
exact word boxes, and the error classes of issue 12 at the text level."""

from __future__ import annotations

from datetime import date

import pytest
from lab_layouts import LAYOUTS
from lab_pages import Page, Report, Row, page_reading

from ocr.facts import catalogue, extract, units
from ocr.facts.dates import dated_mentions
from ocr.facts.labs import find_labs
from ocr.facts.lines import text_lines
from ocr.facts.model import LabResult
from ocr.facts.values import clean_name
from ocr.model import PageReading

pytestmark = pytest.mark.nodb


def labs_of(text: str) -> list[LabResult]:
    return find_labs(text_lines(text))


@pytest.mark.parametrize(
    "line",
    [
        "Patient: Mary Grant   DOB: 03/21/1987   Patient ID: 00482913",
        "ID 9534717",
        "Patient ID 12345",
        "MRN: 4471203   Accession 1234567",
        "Lab ID: 123",
    ],
)
def test_identifiers_are_never_results(line: str) -> None:
    assert labs_of(line) == []


def test_a_table_header_on_a_new_page_ends_the_last_page_s_table() -> None:
    lines = text_lines("TEST      RESULT   UNITS\nGlucose   95       mg/dL\n")
    lines += text_lines("Collected: 09/20/2012 08:15  Received: 09/20/2012\n", page=2)
    lines += text_lines("TEST      RESULT   UNITS\nSodium    140      mmol/L\n", page=2)
    assert [(r.analyte, r.value.text) for r in find_labs(lines)] == [
        ("glucose", "95"),
        ("sodium", "140"),
    ]


def test_units_after_a_value_are_kept() -> None:
    (result,) = labs_of("WBC 6.7 K/uL")
    assert (result.analyte, result.value.text, result.unit) == ("wbc", "6.7", "K/uL")


def test_a_capital_read_twice_in_a_test_name_is_taken_off_when_the_unit_fits() -> None:
    (result,) = labs_of("CcOo2 24 mmol/L 22-29")
    assert (result.analyte, result.value.text) == ("co2", "24")
    assert any("CO2" in note for note in result.notes)
    assert labs_of("CcOo2 24") == []  # no unit to confirm it


ROWS = [
    Row("Glucose", "95", "mg/dL", "70-99", "", ("101", "88")),
    Row("Hemoglobin A1c", "7.2", "%", "4.0-5.6", "H", ("6.8", "")),
    Row("WBC", "6.7", "K/uL", "3.8-10.8", "", ("", "7.9")),
    Row("Sodium", "140", "mmol/L", "136-145", "", ("138", "141")),
]
COLLECTED = date(2013, 10, 20)
EARLIER = (date(2013, 7, 15), date(2013, 4, 2))


def read(layout: str, rows: list[Row] = ROWS) -> list[LabResult]:
    report = Report(rows, collected=COLLECTED, earlier=EARLIER)
    pages = [page_reading(p, n + 1) for n, p in enumerate(LAYOUTS[layout](report))]
    return extract(pages).labs


def found(results: list[LabResult]) -> set[tuple[str | None, str, str | None, date | None]]:
    return {(r.analyte, r.value.text, r.unit, r.collected) for r in results}


CURRENT = {
    ("glucose", "95", "mg/dL", COLLECTED),
    ("hba1c", "7.2", "%", COLLECTED),
    ("wbc", "6.7", "K/uL", COLLECTED),
    ("sodium", "140", "mmol/L", COLLECTED),
}


def test_a_previous_result_column_and_its_date_are_not_the_current_result() -> None:
    assert found(read("previous")) == CURRENT


def test_every_date_column_of_a_cumulative_table_gives_results_of_that_date() -> None:
    assert found(read("cumulative")) == CURRENT | {
        ("glucose", "101", "mg/dL", EARLIER[0]),
        ("glucose", "88", "mg/dL", EARLIER[1]),
        ("hba1c", "6.8", "%", EARLIER[0]),
        ("wbc", "7.9", "K/uL", EARLIER[1]),
        ("sodium", "138", "mmol/L", EARLIER[0]),
        ("sodium", "141", "mmol/L", EARLIER[1]),
    }


def test_dates_printed_under_the_column_titles_date_their_columns() -> None:
    text = (
        "Test            Current      Previous     Units\n"
        "                10/20/2013   04/02/2013\n"
        "Glucose         95           101          mg/dL\n"
    )
    (result,) = labs_of(text)
    assert (result.value.text, result.unit, result.collected) == ("95", "mg/dL", COLLECTED)


def test_tests_across_take_name_and_unit_from_the_column_header() -> None:
    assert found(read("flowsheet")) == CURRENT | {
        ("glucose", "101", "mg/dL", EARLIER[0]),
        ("hba1c", "6.8", "%", EARLIER[0]),
        ("sodium", "138", "mmol/L", EARLIER[0]),
    }


def test_a_row_of_dates_and_numbers_without_titles_is_not_read() -> None:
    assert labs_of("10/20/2013   95   7.2   140\n07/15/2013   101   6.8   138\n") == []


def test_across_titles_with_a_word_in_the_values_are_not_a_flowsheet() -> None:
    text = "Date         Glucose\n             (mg/dL)\n10/20/2013   95 fasting\n"
    assert labs_of(text) == []


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("mmoi/L", "mmol/L"),
        ("mmolil.", "mmol/L"),
        ("ng/mi", "ng/mL"),
        ("JIL", "U/L"),
        ("MluL", "10^6/µL"),
        ("10A3/ul", "10^3/µL"),
        ("104+3/ul", "10^3/µL"),
    ],
)
def test_units_ocr_misread_are_recognised(printed: str, meant: str) -> None:
    assert units.normalise(printed) == meant


def test_the_range_cell_s_unit_wins_over_a_garbled_unit_cell() -> None:
    text = "TEST                      RESULT  UNITS  REFERENCE RANGE\n" \
           "Alanine aminotransferase  64      UL     10-50 U/L\n" \
           "HDL Cholesterol           58      mg/dL ~  >=40 mg/dL\n"  # fmt: skip
    assert [(r.analyte, r.unit) for r in labs_of(text)] == [("alt", "U/L"), ("hdl", "mg/dL")]


def test_flowsheet_rows_pass_over_specks_and_split_stuck_flags() -> None:
    text = (
        "Date         Glucose     Hemoglobin A1c\n"
        "             (mg/dL)     (%)\n"
        "- 10/20/2013   95        7.2H\n"
        "07/15/2013   :  101      6.8\n"
    )
    assert found(labs_of(text)) == {
        ("glucose", "95", "mg/dL", COLLECTED),
        ("glucose", "101", "mg/dL", EARLIER[0]),
        ("hba1c", "7.2", "%", COLLECTED),
        ("hba1c", "6.8", "%", EARLIER[0]),
    }


@pytest.mark.parametrize("label", ["Date-of Service:", "Date of Senvice:"])
def test_a_date_with_a_label_of_its_own_never_takes_the_birth_label_above(label: str) -> None:
    text = f"Name: Mary Grant. D.O.B. 21.03.1987\n{label} 20.09.2012 Printed: 02.11.2024\n"
    mentions = dated_mentions(text_lines(text))
    assert [(m.kind, m.value) for m in mentions][1][0] != "birth"
    assert mentions[1].value == date(2012, 9, 20)


def test_a_flowsheet_value_ocr_could_not_read_leaves_its_column_without() -> None:
    text = (
        "Date         Glucose     Sodium      Potassium\n"
        "             (mg/dL)     (mmol/L)    (mmol/L)\n"
        "10/20/2013   95          SO          4.1\n"
    )
    assert found(labs_of(text)) == {
        ("glucose", "95", "mg/dL", COLLECTED),
        ("potassium", "4.1", "mmol/L", COLLECTED),
    }


def test_flowsheet_titles_stop_at_labelled_fields_and_values_above() -> None:
    text = (
        "Received: 10/20/2013   Accession: W13-2938471\n"
        "Date         Glucose     Sodium\n"
        "             (mg/dL)     (mmol/L)\n"
        "10/20/2013   95          140\n"
    )
    results = labs_of(text)
    assert {r.name for r in results} == {"Glucose", "Sodium"}


def test_a_flowsheet_column_without_a_unit_title_is_read_without_a_unit() -> None:
    text = "Date         Glucose     Sodium\n             (mg/dL)\n10/20/2013   95          140\n"
    assert found(labs_of(text)) == {
        ("glucose", "95", "mg/dL", COLLECTED),
        ("sodium", "140", None, COLLECTED),
    }


@pytest.mark.parametrize("cut", ["Potassium [Moles/volume] in", "Potassium [Moles/volume] in ‘"])
def test_a_name_cut_after_a_linking_word_is_the_test(cut: str) -> None:
    (result,) = labs_of(f"{cut}  4.4 mmol/L  3.5-5.1")
    assert result.analyte == "potassium"


@pytest.mark.parametrize(
    "line",
    [
        "Anion gap 3 in Serum or Plasma .......... 14 mmol/L (5-17 mmol/L)",
        "ANION GAP 3. IN’ SERUM OR PLASMA  14 mmol/L 5-17 mmol/L",
    ],
)
def test_a_number_inside_a_test_name_is_not_its_value(line: str) -> None:
    (result,) = labs_of(line)
    assert (result.analyte, result.value.text) == ("anion_gap", "14")


@pytest.mark.parametrize(
    ("printed", "meant"),
    [("mEqL", "mEq/L"), ("10*97L", "10^9/L"), ("40*127L", "10^12/L"), ("imgAlb/gCre", "mg/g")],
)
def test_more_unit_misreads(printed: str, meant: str) -> None:
    assert units.normalise(printed) == meant


def test_a_month_name_date_with_a_semicolon_for_its_comma() -> None:
    text = (
        "Patient: Eve Betterhalf      Date Collected\nBirth date May 01, 1975      Mar 19; 2008\n"
    )
    kinds = {m.kind: m.value for m in dated_mentions(text_lines(text))}
    assert kinds["collected"] == date(2008, 3, 19)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Potassium [Moles/volume] inSerumor", "potassium"),
        ("Phosphate [Mass/volume] in Serumor", "phosphorus"),
        ("Anion gap 3inSerumor", "anion_gap"),
    ],
)
def test_specimen_phrases_whose_spaces_ocr_lost(name: str, key: str) -> None:
    analyte = catalogue.resolve(name)
    assert analyte is not None and analyte.key == key


@pytest.mark.parametrize("printed", ["10+#3/ul", "10%3/ut", "X.10-3/uL", ".10-3/uL", "X_.10-3/uL"])
def test_thousands_per_microlitre_however_misread(printed: str) -> None:
    assert units.normalise(printed) == "10^3/µL"


def test_the_tail_of_a_wrapped_name_above_is_not_the_head_of_the_next() -> None:
    text = (
        "Test            Result   Units   Reference Range\n"
        "Hemoglobin      13.2     g/dL    12.0-15.5\n"
        "Blood by Automated\n"
        "Erythrocyte mean 97.5    um3     80-95\n"
    )
    assert [r.analyte for r in labs_of(text)] != ["hemoglobin", "ua_blood"]


def test_creatine_is_not_creatinine() -> None:
    assert catalogue.resolve("Creatine, Whole Blood") is None


def test_a_range_printed_on_against_its_unit() -> None:
    text = "TEST       RESULT   UNITS      RANGE\nPlatelets  349      THOUS/MCL(140-400)\n"
    (result,) = labs_of(text)
    assert (result.unit_normal, result.reference and result.reference.text) == (
        "10^3/µL",
        "140-400",
    )


def test_a_test_name_inside_a_longer_unknown_name_is_not_read() -> None:
    # "Blood" is no test here; the whole name, dotted to its value and unit, is a report's row
    # of a test the catalogue does not know: read so, and held for review.
    (result,) = labs_of("Creatine, Whole Blood ........ 1 mg/dL (mg/dL)")
    assert (result.analyte, result.name, result.unit) == (None, "Creatine, Whole Blood", "mg/dL")
    assert result.confidence is not None and result.confidence < 0.7
    assert labs_of("Creatine, Whole Blood 1 mg/dL (mg/dL)") == []  # no leader: prose, maybe
    assert [r.analyte for r in labs_of("BMP notable for Na 138 and K 4.1")] == [
        "sodium",
        "potassium",
    ]


def test_flowsheet_titles_may_be_fully_specified_names_with_colons() -> None:
    text = (
        "Date         TROPONIN                         UREA\n"
        "             T.CARDIAC:MCNC:PT:SER/PLAS:QN:   NITROGEN:MCNC:PT:BLD:QN:\n"
        "             (ng/mL)                          (mg/dL)\n"
        "10/20/2013   0.01                             8\n"
    )
    assert {(r.value.text, r.unit) for r in labs_of(text)} == {("0.01", "ng/mL"), ("8", "mg/dL")}


@pytest.mark.parametrize(
    "line",
    [
        "HCT (HEMATOCRIT) 42.9 - 49.1",
        "HDLc SerPl-sCne mg/dL >=40 mg/dL",
        "WBC Count ul 4.3 - 10.8 ul",
        "Hemoglobin A, Serum 13.5 - 18.0 g/dl",
    ],
)
def test_a_reference_range_is_never_the_value_ocr_lost(line: str) -> None:
    assert labs_of(line) == []


@pytest.mark.parametrize(
    ("printed", "meant"),
    [("mMo1/L", "mmol/L"), ("mMol1/L", "mmol/L"), ("mmol/-L", "mmol/L"), ("x1LOE3/uL", "10^3/µL")],
)
def test_unit_misreads_with_digits_for_letters(printed: str, meant: str) -> None:
    assert units.normalise(printed) == meant


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Anion gap 3 in Setum or Plasma", "anion_gap"),
        ("Platelets [#/volume] in Biood by", "platelets"),
    ],
)
def test_specimen_words_ocr_misread(name: str, key: str) -> None:
    analyte = catalogue.resolve(clean_name(name))
    assert analyte is not None and analyte.key == key


def test_a_unit_printed_twice_is_one_unit() -> None:
    text = (
        "TEST              RESULT  UNITS           REFERENCE\n"
        "POTASSIUM, SERUM  3.5     mMo1/L mMol1/L\n"
    )
    (result,) = labs_of(text)
    assert result.unit_normal == "mmol/L"


def test_a_long_flowsheet_title_running_over_the_next_column_stays_its_own() -> None:
    text = (
        "Date         TROPONIN                       UREA\n"
        "             T.CARDIAC:MCNC:PT:SER/PLAS:QN:NITROGEN:MCNC:PT:BLD:QN:\n"
        "             (ng/mL)                        (mg/dL)\n"
        "10/20/2013   0.01                           8\n"
    )
    assert {(r.value.text, r.unit) for r in labs_of(text)} == {("0.01", "ng/mL"), ("8", "mg/dL")}


def test_a_test_code_in_capitals_before_the_name_does_not_hide_it() -> None:
    (result,) = labs_of("4471210   GLUCO   GLUCOSE    95   mg/dL   70-99")
    assert (result.analyte, result.value.text, result.unit) == ("glucose", "95", "mg/dL")


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("mf[IUJ/L", "mIU/L"),
        ("mlU}/L", "mIU/L"),
        ("m[lU}/AL", "mIU/L"),
        ("mceg/dL", "µg/dL"),
        ("IV/L", "IU/L"),
        ("luiL", "IU/L"),
        ("mmoVL", "mmol/L"),
        ("=THOUS/MCL", "10^3/µL"),
    ],
)
def test_bracketed_and_international_units_misread(printed: str, meant: str) -> None:
    assert units.normalise(printed) == meant


def test_a_speck_between_a_label_and_its_date() -> None:
    text = "Patient Name: Melissa Moreno     Specimen Collected:.2011-01-25\n"
    (mention,) = dated_mentions(text_lines(text))
    assert (mention.kind, mention.value) == ("collected", date(2011, 1, 25))


def test_panels_side_by_side_are_read_column_by_column() -> None:
    rows = [
        Row(name, value, unit, reference, flag)
        for name, value, unit, reference, flag in [
            ("Glucose", "95", "mg/dL", "70-99", ""),
            ("Sodium", "140", "mmol/L", "136-145", ""),
            ("Potassium", "5.9", "mmol/L", "3.5-5.1", "H"),
            ("Chloride", "101", "mmol/L", "98-107", ""),
            ("WBC", "6.7", "K/uL", "3.8-10.8", ""),
            ("Hemoglobin", "13.1", "g/dL", "12.0-15.5", ""),
            ("Platelets", "250", "K/uL", "150-400", ""),
            ("Hematocrit", "39", "%", "36-46", ""),
        ]
    ] * 3
    results = read("two-panels", rows)
    assert [(r.analyte, r.value.text, r.unit) for r in results] == [
        (catalogue.resolve(row.name).key, row.value, row.unit)  # type: ignore[union-attr]
        for row in rows
    ]


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("ng/mt", "ng/mL"),
        ("10*12L", "10^12/L"),
        ("mgAlbigCre", "mg/g"),
        ("1o*37ul", "10^3/µL"),
        ("mimol/L", "mmol/L"),
    ],
)
def test_units_whose_slash_ocr_lost_or_misread(printed: str, meant: str) -> None:
    assert units.normalise(printed) == meant


def test_a_brace_ocr_read_for_a_bracket_in_a_name() -> None:
    analyte = catalogue.resolve("Creatinine {Mass/volume] in Serum or")
    assert analyte is not None and analyte.key == "creatinine"


@pytest.mark.parametrize(
    "header",
    [
        "TEST        Apr 02, 2013   Jul 15, 2013   UNITS",
        "TEST        2013-04-02     2013-07-15     UNITS",
        "TEST        04/02/13       07/15/13       UNITS",
    ],
)
def test_date_columns_in_any_date_form(header: str) -> None:
    text = f"{header}\nGlucose     95 H           101            mg/dL\n"
    assert [(r.value.text, r.unit, r.collected, r.flag) for r in labs_of(text)] == [
        ("95", "mg/dL", date(2013, 4, 2), "H"),
        ("101", "mg/dL", date(2013, 7, 15), None),
    ]


def test_a_flowsheet_unit_line_is_the_units_even_when_garbled() -> None:
    text = (
        "Date         HGB         Glucose\n"
        "             (gid!)      (mg/dL)\n"
        "10/20/2013   14.2        95\n"
    )
    assert {(r.analyte, r.unit) for r in labs_of(text)} == {
        ("hemoglobin", "gid!"),
        ("glucose", "mg/dL"),
    }


def test_a_value_that_fell_off_its_flowsheet_row_does_not_end_the_table() -> None:
    text = (
        "Date         Potassium   Chloride\n"
        "             (mmol/L)    (mmol/L)\n"
        "10/20/2013   4.4         103\n"
        "                                    7\n"
        "07/15/2013   4.0         108\n"
    )
    assert found(labs_of(text)) == {
        ("potassium", "4.4", "mmol/L", COLLECTED),
        ("chloride", "103", "mmol/L", COLLECTED),
        ("potassium", "4.0", "mmol/L", EARLIER[0]),
        ("chloride", "108", "mmol/L", EARLIER[0]),
    }


def test_two_rows_ocr_ran_together_are_not_one_name() -> None:
    results = labs_of("PLT 123 L 10+3/ul_ . 150.0-350.0.. Glu . 199 mg/dL")
    assert all(not any(c.isdigit() for c in r.name) for r in results)


def test_a_lower_case_line_above_a_row_ends_the_name_above_it() -> None:
    text = (
        "Test            Result   Units   Reference Range\n"
        "Count of red blood  4.5  M/uL    4.0-5.5\n"
        "erythrocytes\n"
        "PLT             250      K/uL    150-400\n"
    )
    assert labs_of(text)[-1].name == "PLT"


def test_a_print_date_never_dates_the_results() -> None:
    page = Page()
    page.add("Riverside Clinical Laboratory - Laboratory Report", 0.6, 0.6, 13)
    page.add("Printed: 11/02/2024", 0.6, 1.0)
    for x, label in ((0.6, "TEST"), (3.0, "RESULT"), (4.0, "UNITS"), (5.0, "REFERENCE RANGE")):
        page.add(label, x, 1.5)
    for n, (name, value, unit, reference) in enumerate(
        [("Glucose", "95", "mg/dL", "70-99"), ("Sodium", "140", "mmol/L", "136-145")]
    ):
        for x, text in ((0.6, name), (3.0, value), (4.0, unit), (5.0, reference)):
            page.add(text, x, 1.8 + 0.2 * n)
    results = extract([page_reading(page)]).labs
    assert [(r.analyte, r.collected) for r in results] == [("glucose", None), ("sodium", None)]


def test_cards_read_each_name_with_the_value_and_range_printed_under_it() -> None:
    # the cards layout (lab_unseen.py): three cards a row, no column headers; it read nothing
    rows = [*ROWS, Row("Potassium", "5.9", "mmol/L", "3.5-5.1", "H"),
            Row("Chloride", "101", "mmol/L", "", "")]  # fmt: skip
    results = read("cards", rows)
    assert found(results) == CURRENT | {
        ("potassium", "5.9", "mmol/L", COLLECTED),
        ("chloride", "101", "mmol/L", COLLECTED),
    }
    potassium = next(r for r in results if r.analyte == "potassium")
    assert potassium.flag == "H" and potassium.reference is not None
    assert potassium.reference.text == "3.5-5.1"
    # the citation boxes the card's own words: the name above and the value below
    assert len(potassium.citation.boxes) == 1
    box = potassium.citation.boxes[0]
    assert box[3] - box[1] > 0.02  # spans the name's line and the value's


def test_a_single_card_under_a_page_title_is_read() -> None:
    page = Page()
    page.add("Your results", 0.5, 0.5, 12)
    page.add("Hemoglobin A1c", 0.5, 1.2, 8)
    page.add("7.2 %", 0.5, 1.44, 11)
    page.add("Range 4.0-5.6  H", 0.5, 1.64, 7)
    results = extract([page_reading(page)]).labs
    assert [(r.analyte, r.value.text, r.unit, r.flag) for r in results] == [
        ("hba1c", "7.2", "%", "H")
    ]


@pytest.mark.parametrize(
    ("labels", "values"),
    [
        ("Patient ID        Account", "12345        67890"),  # identifiers, not results
        ("Room              Bed", "12        4"),  # numbers without a unit under unknown names
        ("Visit date        Follow up", "03/14/2024        2 weeks"),
    ],
)
def test_labels_over_numbers_are_not_cards(labels: str, values: str) -> None:
    page = Page()
    page.add(labels.split("  ")[0], 0.5, 1.2, 8)
    page.add(labels.split()[-1] if "  " in labels else "", 3.1, 1.2, 8)
    page.add(values.split()[0], 0.5, 1.44, 11)
    page.add(" ".join(values.split()[1:]), 3.1, 1.44, 11)
    assert extract([page_reading(page)]).labs == []


def test_cards_read_through_what_ocr_makes_of_a_scan() -> None:
    # as OCR read a scanned cards page: specks alone on a line and between cards, a value
    # garbled past reading (its card is lost, not the row), a digit inside a long name
    text = (
        "- WBC :                    Hgb A1c                   Cholesterol\n"
        "510xX9cells/L -            6.6%  :                   175 mg/dL\n"
        ":\n"
        "Range 4.5 - 11.0           Range 4-5.6%              Range 125-200 mg/dL\n"
        "Anion gap 3 in Serum       Sodium                    Potassium\n"
        "10 mmol/L                  140 mmol/L  a             4.1 mmol/L\n"
    )
    results = extract([PageReading(1, 612, 792, text, [], "", "", False)]).labs
    read = {(r.analyte or r.name, r.value.text, r.unit) for r in results}
    assert {("hba1c", "6.6", "%"), ("cholesterol", "175", "mg/dL"), ("sodium", "140", "mmol/L"),
            ("potassium", "4.1", "mmol/L"), ("anion_gap", "10", "mmol/L")} <= read  # fmt: skip
    assert not [r for r in results if r.analyte == "wbc"]


def test_a_sentence_wrapped_before_a_number_is_no_card() -> None:
    # the corpus discharge summary's urinalysis: "white blood cells" / "41, moderate ..."
    text = (
        "which showed a large amount of leukocyte esterase, small amount of blood with red "
        "blood cells 34, white blood cells\n41, moderate amount of bacteria.\n"
    )
    assert extract([PageReading(1, 612, 792, text, [], "", "", False)]).labs == []


def test_a_flowsheet_title_ending_in_a_word_that_could_be_a_unit_keeps_it() -> None:
    """A column titled "Free Thyroxine Index" with no unit: "Index" ends the test's name, it
    is not the column's unit (which made it Free T4 in an index)."""
    text = (
        "Date         Free Thyroxine Index     T3 Uptake\n"
        "                                      (%)\n"
        "10/20/2013   3.2                      31\n"
    )
    assert found(labs_of(text)) == {
        ("fti", "3.2", None, COLLECTED),
        ("t3_uptake", "31", "%", COLLECTED),
    }


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # The first dots of a leader read as a short word after the name.
        ("Cl ici eeccceceecscessseeesessesesecseseeeeeueeeea 110 mmol/L", "chloride"),
        ("Sodium oe ccecceceecseeeeeteeeeseeeeeeeeee 140 mmol/L", "sodium"),
        ("Potassium oo. eccceceesseeeeseceeeseseseseseseeeee 4.1 mmol/L", "potassium"),
        # A dash (en or em) OCR read between the name and the value.
        ("Hematocrit — 44 % 41-53%", "hematocrit"),
        ("Carbon dioxide, total – 26 mmol/L 22-31 mmol/L", "co2"),
    ],
)
def test_leader_starts_and_dashes_between_name_and_value(line: str, expected: str) -> None:
    (result,) = find_labs(text_lines(line))
    assert result.analyte == expected


def test_a_short_word_that_is_part_of_the_name_stays() -> None:
    (result,) = find_labs(text_lines("Iron, sat ......................... 30 %"))
    assert (result.name, result.analyte) == ("Iron, sat", "transferrin_saturation")


def test_a_panel_heading_is_not_the_head_of_a_known_name_under_it() -> None:
    (result,) = find_labs(text_lines("URINALYSIS\nmcv 86.1 fL (80.0-100.0)\n"))
    assert (result.name, result.analyte) == ("mcv", "mcv")


def test_a_dash_for_an_empty_date_in_a_cumulative_row_is_no_range() -> None:
    """Values "50 - 45" across three dated columns: 50 and 45 are results of their dates, the
    dash marks the date without one."""
    text = (
        "Test          10/20/2013   07/15/2013   04/02/2013   Units   Reference\n"
        "Hematocrit    50           -            45           %       40-54\n"
        "Glucose       95           101          88           mg/dL   70-99\n"
    )
    assert found(labs_of(text)) == {
        ("hematocrit", "50", "%", COLLECTED),
        ("hematocrit", "45", "%", EARLIER[1]),
        ("glucose", "95", "mg/dL", COLLECTED),
        ("glucose", "101", "mg/dL", EARLIER[0]),
        ("glucose", "88", "mg/dL", EARLIER[1]),
    }


@pytest.mark.parametrize(
    "line",
    [
        "ANION GAP 3 IN SERUM OR 10 mmol/L 5-17 mmol/L",
        "POTASSIUM [MOLES/VOLUME] IN 4.1 mmol/L 3.5-5.1 mmol/L",
    ],
)
def test_a_long_name_cut_after_a_linking_word_in_capitals(line: str) -> None:
    (result,) = find_labs(text_lines(line))
    assert result.analyte in ("anion_gap", "potassium")
    assert result.value.text in ("10", "4.1")


@pytest.mark.parametrize("line", ["Glucose in 2 weeks.", "POTASSIUM IN 2 DAYS"])
def test_a_plan_after_a_name_is_still_no_result(line: str) -> None:
    assert find_labs(text_lines(line)) == []
