"""Four lab report layouts written after the latest four, and committed before anyone ran the
reader on them: NEWEST_HELD_OUT in lab_layouts.py. Nobody tunes extraction on them; their
pages and misses are never looked at while tuning.

  result-letter  A family practice's letter mailing a patient her results: letterhead,
                 address block, a paragraph naming the day the blood was drawn, a table of
                 results, continuation pages headed as letters are, a signature.
  ccd-print      A Continuity of Care Document opened in a web browser and printed: the
                 browser's header and footer, demographics, problem and medication sections,
                 then the results section's tables, one per panel.
  au-pathology   An Australian pathology report as a GP's software prints it: A4, a patient and
                 request block, then the laboratory's fixed-width result text by department.
  vista          A VA lab interim report (VistA/CPRS): fixed-width, one block per specimen with
                 its release and collection date-times, a site code per result.
"""

from __future__ import annotations

import re
from datetime import date

from lab_fresh import _age, _flow, _mdy, _named
from lab_latest import _chars, _section_of, _sections
from lab_pages import Page, Report, _wrap, width_in
from lab_parts import _last_first, _step

# --- result-letter -------------------------------------------------------------------------

_SPOKEN = {"H": "High", "L": "Low", "HH": "Critical", "LL": "Critical", "A": "Abnormal"}


def _long(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def result_letter(report: Report) -> list[Page]:
    size = 9.0
    step = _step(size) * 1.15
    xs = (0.9, 3.6, 5.05, 6.75)
    r = report
    surname = r.patient.split()[-1]
    practice = "Riverside Family Practice"

    def table_head(page: Page, y: float) -> float:
        for x, label in zip(xs, ("Test", "Your result", "Standard range", "Flag"),
                            strict=True):  # fmt: skip
            page.add(label, x, y, size)
        page.rules.append((0.85, y + 0.07, 7.6, y + 0.07))
        return y + 1.4 * step

    def head(page: Page, number: int, total: int) -> float:
        if number > 1:
            page.add(r.patient, 0.9, 0.75, 10)
            page.add(_long(r.reported), 0.9, 0.93, 10)
            page.add(f"Page {number}", 0.9, 1.11, 10)
            return table_head(page, 1.55)
        page.add(practice, 0.9, 0.75, 15)
        page.add("Family Medicine · 4400 Harbor Way, Suite 210 · Riverside, CA 92501 · "
                 "Phone (555) 201-4471 · Fax (555) 201-4472", 0.9, 0.98, 7.5)  # fmt: skip
        page.rules.append((0.85, 1.08, 7.6, 1.08))
        page.add(_long(r.reported), 0.9, 1.55, 10)
        for line_no, text in enumerate((r.patient, "1187 Orchard Lane", "Riverside, CA 92504")):
            page.add(text, 0.9, 1.95 + line_no * 0.18, 10)
        page.add(f"Re: Your laboratory results   (date of birth {_mdy(r.born)})", 0.9, 2.7, 10)
        page.add(f"Dear Ms. {surname},", 0.9, 3.05, 10)
        body = (
            f"Thank you for your recent visit. The blood sample you gave on "
            f"{_long(r.collected)} was tested by {r.facility}, and your results are listed "
            "below. Results marked High or Low fall outside the laboratory's standard range. "
            "I have reviewed them; we will talk about them at your next appointment."
        )
        y = 3.35
        for line in _wrap(body, 6.6, 10):
            page.add(line, 0.9, y, 10)
            y += 0.18
        return table_head(page, y + 0.25)

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        page.add(_named(item.name, xs[1] - xs[0] - 0.15, size), xs[0], y, size)
        page.add(f"{item.value} {item.unit}".strip(), xs[1], y, size)
        reference = item.reference.replace("-", " - ") if "-" in item.reference else ""
        reference = reference or item.reference
        if width_in(reference, size) > xs[3] - xs[2] - 0.15:
            reference = ""
        page.add(reference, xs[2], y, size)
        page.add(_SPOKEN.get(item.flag, item.flag), xs[3], y, size)
        return y + step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number < total:
            return
        closing = ("If you have any questions about these results, please call our office or "
                   "send me a message through the patient portal.")  # fmt: skip
        y += 0.3
        for line in _wrap(closing, 6.6, 10):
            page.add(line, 0.9, y, 10)
            y += 0.18
        page.add("Sincerely,", 0.9, y + 0.2, 10)
        page.add(f"{r.provider}, MD", 0.9, y + 0.75, 10)
        page.add(practice, 0.9, y + 0.93, 10)

    return _flow(report, head, row, foot, 8.6)


# --- ccd-print -----------------------------------------------------------------------------

_PANELS = (
    "Basic Metabolic Panel",
    "CBC with Differential",
    "Lipid Panel",
    "Hepatic Function Panel",
    "Hemoglobin A1c",
    "Thyroid Stimulating Hormone",
    "Urinalysis, Complete",
)
_INTERPRETED = {"H": "High", "L": "Low", "HH": "Critical high", "LL": "Critical low",
                "A": "Abnormal"}  # fmt: skip


def ccd_print(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size) * 1.25
    xs = (0.7, 3.3, 4.0, 5.15, 6.55)
    starts = _sections(report, _PANELS, "ccd")
    r = report
    taken = f"{_mdy(r.collected)} 8:15 AM"

    def label_rows(page: Page, y: float, rows: tuple[tuple[str, str], ...]) -> float:
        for label, text in rows:
            page.add(label, 0.7, y, 8.5)
            page.add(text, 2.2, y, 8.5)
            y += 0.17
        return y

    def small_table(page: Page, y: float, title: str, cells: tuple[tuple[str, ...], ...]) -> float:
        page.add(title, 0.6, y, 12)
        y += 0.3
        for line_no, texts in enumerate(cells):
            for x, text in zip((0.7, 3.6, 5.6), texts, strict=True):
                page.add(text, x, y, 8.5)
            page.rules.append((0.65, y + 0.06, 7.9, y + 0.06))
            if line_no == 0:
                page.rules.append((0.65, y - 0.15, 7.9, y - 0.15))
            y += 0.2
        return y + 0.15

    def head(page: Page, number: int, total: int) -> float:
        if number > 1:
            return 0.95
        page.add("Continuity of Care Document", 0.6, 0.9, 16)
        y = label_rows(page, 1.25, (
            ("Patient", r.patient),
            ("Date of birth", _long(r.born)),
            ("Sex", "Female"),
            ("Patient-IDs", f"{r.mrn} 2.16.840.1.113883.19.5.99999.2"),
            ("Document created", _long(r.reported)),
            ("Author", f"{r.provider}, {r.facility}"),
            ("Contact info", "1200 Harbor Way, Riverside, CA 92501   Tel: (555) 201-4400"),
        ))  # fmt: skip
        page.rules.append((0.6, y - 0.05, 7.9, y - 0.05))
        y = small_table(page, y + 0.25, "Problems", (
            ("Problem", "Status", "Onset"),
            ("Essential hypertension", "Active", "06/15/2009"),
            ("Type 2 diabetes mellitus without complication", "Active", "03/02/2011"),
        ))  # fmt: skip
        y = small_table(page, y, "Medications", (
            ("Medication", "Instructions", "Start Date"),
            ("Metformin 500 mg oral tablet", "1 tablet twice daily", "03/02/2011"),
            ("Lisinopril 10 mg oral tablet", "1 tablet daily", "06/15/2009"),
        ))  # fmt: skip
        page.add("Results", 0.6, y, 12)
        return y + 0.35

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            if index in starts and not first:
                y += 0.5 * step
            panel = _section_of(starts, index)
            more = "" if index in starts else " (continued)"
            page.add(f"{panel}{more} - Final result ({taken})", xs[0] - 0.1, y, 9)
            y += 1.1 * step
            page.rules.append((0.65, y - 0.72 * step, 7.9, y - 0.72 * step))
            for x, label in zip(xs, ("Component", "Value", "Units", "Ref Range",
                                     "Interpretation"), strict=True):  # fmt: skip
                page.add(label, x, y, size)
            page.rules.append((0.65, y + 0.06, 7.9, y + 0.06))
            y += step
        page.add(_named(item.name, xs[1] - xs[0] - 0.15, size), xs[0], y, size)
        page.add(item.value, xs[1], y, size)
        page.add(item.unit, xs[2], y, size)
        reference = item.reference if width_in(item.reference, size) < xs[4] - xs[3] - 0.1 else ""
        page.add(reference, xs[3], y, size)
        page.add(_INTERPRETED.get(item.flag, item.flag), xs[4], y, size)
        page.rules.append((0.65, y + 0.06, 7.9, y + 0.06))
        return y + step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        page.add(f"{r.reported:%m/%d/%y}, 2:31 PM", 0.4, 0.4, 7)
        page.add("Continuity of Care Document", 3.55, 0.4, 7)
        page.add("file:///C:/Users/jdoe/Downloads/CCD_DOE_JANE.xml", 0.4, 10.6, 7)
        page.add(f"{number}/{total}", 7.85, 10.6, 7)

    return _flow(report, head, row, foot, 10.1)


# --- au-pathology --------------------------------------------------------------------------

A4 = (8.27, 11.69)
_DEPARTMENTS = (
    "BIOCHEMISTRY",
    "HAEMATOLOGY",
    "LIPID STUDIES",
    "ENDOCRINOLOGY",
    "LIVER FUNCTION TESTS",
    "URINE CHEMISTRY",
)
_AU_FLAG = {"A": "*"}


def au_pathology(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size)
    char = width_in("M", size, True)
    x0 = 0.7
    starts = _sections(report, _DEPARTMENTS, "au")
    r = report

    def dmy(day: date) -> str:
        return f"{day:%d/%m/%Y}"

    def mono(page: Page, text: str, col: int, y: float) -> None:
        page.add(text, x0 + col * char, y, size, mono=True)

    def head(page: Page, number: int, total: int) -> float:
        page.add(f"{r.facility} Pathology", 0.6, 0.65, 14)
        page.add("NATA / RCPA Accredited Laboratory No. 2238", 5.6, 0.65, 7)
        page.add("14 Giffnock Avenue, Macquarie Park NSW 2113 · Ph (02) 9447 1200 · "
                 "ABN 47 003 012 451", 0.6, 0.86, 7.5)  # fmt: skip
        page.rules.append((0.55, 0.96, 7.72, 0.96))
        surname, *given = reversed(r.patient.split())
        fields = (
            (f"Patient: {surname.upper()}, {' '.join(reversed(given))}",
             f"Lab Ref: {r.accession}"),
            (f"DOB: {dmy(r.born)}   Sex: F   Age: {_age(r.born, r.collected)}",
             "Medicare No: 2951 60341 1"),
            ("Address: 12 Banksia Street, Ryde NSW 2112", f"Your Ref: {r.mrn}"),
            (f"Requested: {dmy(r.collected)}", f"Collected: {dmy(r.collected)} 08:15"),
            (f"Referred by: {r.provider.replace('Dr. ', 'Dr ')}",
             f"Reported: {dmy(r.reported)} 14:20"),
            ("Copy to: Dr Sarah Mitchell", "Clinical Notes: Annual review"),
        )  # fmt: skip
        for line_no, texts in enumerate(fields):
            for x, text in zip((0.6, 4.4), texts, strict=True):
                page.add(text, x, 1.2 + line_no * 0.17, 8.5)
        page.rules.append((0.55, 2.3, 7.72, 2.3))
        if number > 1:
            page.add("(continued)", 0.6, 2.52, 8)
            return 2.8
        return 2.6

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            if index in starts and not first:
                y += 0.6 * step
            mono(page, _section_of(starts, index), 0, y)
            y += 1.4 * step
            mono(page, "Date", 0, y)
            mono(page, f"{r.collected:%d/%m/%y}", 38 - 8, y)
            y += step
            mono(page, "Time", 0, y)
            mono(page, "0815", 38 - 4, y)
            mono(page, "Units", 42, y)
            mono(page, "Ref Range", 59, y)
            y += step
            mono(page, "Lab No", 0, y)
            number = r.accession.split("-")[-1][-6:]
            mono(page, number, 38 - len(number), y)
            y += 1.3 * step
        mono(page, _chars(item.name, 30), 0, y)
        mono(page, item.value, 38 - len(item.value), y)
        mono(page, _AU_FLAG.get(item.flag, item.flag), 39, y)
        mono(page, item.unit, 42, y)
        mono(page, f"( {item.reference} )" if item.reference else "", 59, y)
        y += step
        if index + 1 == len(report.rows):
            y += step
            done = ", ".join(dict.fromkeys(starts.values()))
            for line in _wrap(f"Tests Completed: {done}", 6.2, size):
                mono(page, line, 0, y)
                y += step
            mono(page, "Tests Pending  : Nil", 0, y)
            y += step
        return y

    def foot(page: Page, number: int, total: int, y: float) -> None:
        page.rules.append((0.55, 10.95, 7.72, 10.95))
        page.add(f"Printed {r.printed:%d/%m/%Y} from practice records", 0.6, 11.12, 7)
        page.add(f"Page {number} of {total}", 6.9, 11.12, 7.5)

    return _flow(report, head, row, foot, 10.6, A4)


# --- vista ---------------------------------------------------------------------------------

_SPECIMENS = (("SERUM", "CH"), ("BLOOD", "HE"), ("PLASMA", "CH"), ("URINE", "UA"))
_VISTA_FLAG = {"HH": "H*", "LL": "L*", "A": "*"}


def _vista_day(day: date) -> str:
    return f"{day:%b} {day.day:02d}, {day.year}"


def _vista_range(reference: str) -> str:
    """As VistA prints a range: spaced, and numbers below one without their leading zero."""
    simple = re.fullmatch(r"([\d.]+)-([\d.]+)", reference)
    if simple:
        low, high = (re.sub(r"^0(?=\.)", "", part) for part in simple.groups())
        return f"{low} - {high}"
    return reference


def vista(report: Report) -> list[Page]:
    size = 8.0
    step = _step(size) * 1.05
    char = width_in("M", size, True)
    x0 = 0.75
    names = tuple(name for name, _ in _SPECIMENS)
    starts = _sections(report, names, "vista")
    r = report
    surname, *given = reversed(r.patient.split())
    patient = f"{surname.upper()},{' '.join(reversed(given)).upper()}"
    rule = "=" * 79
    released = f"{_vista_day(r.reported)}@14:20"
    collected = f"{_vista_day(r.collected)}@08:15"

    def mono(page: Page, text: str, col: int, y: float) -> None:
        page.add(text, x0 + col * char, y, size, mono=True)

    def head(page: Page, number: int, total: int) -> float:
        mono(page, "LAB INTERIM REPORT", 0, 0.75)
        mono(page, f"Page {number}", 71, 0.75)
        mono(page, patient, 0, 0.9)
        mono(page, "SSN: XXX-XX-2913", 24, 0.9)
        mono(page, f"DOB: {r.born:%b %d,%Y}".upper(), 45, 0.9)
        mono(page, f"AGE: {_age(r.born, r.collected)}  SEX: F", 62, 0.9)
        mono(page, "LOC: PRIMARY CARE GREEN", 0, 1.05)
        mono(page, f"Printed: {_vista_day(r.printed)}@10:14", 45, 1.05)
        mono(page, rule, 0, 1.2)
        return 1.45

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            specimen = _section_of(starts, index)
            block = list(starts).index(max(i for i in starts if i <= index))
            area = dict(_SPECIMENS)[specimen]
            mono(page, f"Report Released Date/Time: {released}", 1, y)
            y += step
            provider = _last_first(r.provider.removeprefix("Dr. ")).replace(", ", ",")
            mono(page, f"Provider: {provider}", 1, y)
            y += step
            mono(page, f"Specimen: {specimen}.", 3, y)
            mono(page, f"{area} {r.collected:%m%d} {20 + 7 * block}", 31, y)
            y += step
            mono(page, f"Specimen Collection Date: {collected}", 5, y)
            y += step
            for col, label in ((7, "Test name"), (31, "Result"), (40, "units"),
                               (58, "Ref.   range"), (71, "Site Code")):  # fmt: skip
                mono(page, label, col, y)
            y += step
        mono(page, _chars(item.name.upper(), 30), 0, y)
        flag = _VISTA_FLAG.get(item.flag, item.flag)
        mono(page, f"{item.value} {flag}".strip(), 31, y)
        mono(page, item.unit, 40, y)
        reference = _vista_range(item.reference)
        mono(page, reference if len(reference) <= 12 else "", 58, y)
        mono(page, "[442]", 72, y)
        y += step
        nxt = index + 1
        if nxt in starts or nxt == len(report.rows):
            mono(page, "Eval:", 0, y)
            y += step
            mono(page, rule, 0, y)
            y += 1.5 * step
        return y

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            mono(page, 'KEY: "L"=Abnormal low, "H"=Abnormal high, "*"=Critical value', 0, y)
            mono(page, rule, 0, y + step)
            mono(page, "Performing Lab Sites:", 0, y + 2.5 * step)
            mono(page, "[442] RIVERSIDE VA MEDICAL CENTER [CLIA# 05D0642714]", 0, y + 3.5 * step)
            mono(page, "1200 HARBOR WAY RIVERSIDE, CA 92501", 6, y + 4.5 * step)
        mono(page, f"{patient}   XXX-XX-2913", 0, 10.35)
        mono(page, "VA MEDICAL RECORD - LAB", 50, 10.35)

    return _flow(report, head, row, foot, 9.4)
