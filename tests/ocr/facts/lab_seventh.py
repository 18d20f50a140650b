"""Four lab report layouts written after the last four, and committed before anyone ran the
reader on them: SEVENTH_HELD_OUT in lab_layouts.py. Nobody tunes extraction on them; their
pages and misses are never looked at while tuning.

  dialysis    A dialysis unit's monthly laboratory report, drawn before treatment, with the
              unit's targets beside the results.
  uitslag     A Dutch hospital laboratory's results print (uitslagenoverzicht) in Dutch.
  trial       A clinical trial central laboratory's visit report: subject, visit, protocol,
              low and high limits in columns of their own.
  insurance   A life insurance paramedical exam's laboratory report sent to the applicant.
"""

from __future__ import annotations

import re

from lab_fresh import _flow
from lab_latest import _komma
from lab_pages import Page, Report, _wrap
from lab_parts import _step


def _cells(
    page: Page,
    cells: tuple[str, ...],
    xs: tuple[float, ...],
    widths: tuple[float, ...],
    y: float,
    size: float,
    step: float,
) -> float:
    """One table row whose cells wrap within their widths; returns the y below it."""
    deepest = 0
    for cell, x, width in zip(cells, xs, widths, strict=True):
        for n, line in enumerate(_wrap(cell, width, size)):
            page.add(line, x, y + n * step, size)
            deepest = max(deepest, n)
    return y + (deepest + 1) * step


def _limits(reference: str) -> tuple[str, str]:
    simple = re.fullmatch(r"([\d.]+)-([\d.]+)", reference)
    if simple:
        return simple[1], simple[2]
    if reference.startswith(">"):
        return reference[1:], ""
    if reference.startswith("<"):
        return "", reference[1:]
    return reference, ""


# --- dialysis ------------------------------------------------------------------------------


def dialysis(report: Report) -> list[Page]:
    size = 9.0
    step = _step(size)
    r = report
    xs = (0.6, 3.25, 4.35, 5.6)
    widths = (2.55, 1.0, 1.2, 2.2)
    drawn = f"{r.collected:%m/%d/%Y}"

    def head(page: Page, number: int, total: int) -> float:
        page.add("Lakeshore Kidney Care - Dialysis Unit 4", 0.6, 0.55, 13)
        page.add("Monthly Laboratory Report", 0.6, 0.8, 9.5)
        page.add(f"Printed {r.printed:%m/%d/%Y}", 6.4, 0.55, 7.5)
        page.rules.append((0.55, 0.95, 7.95, 0.95))
        fields = (
            ("Patient:", r.patient, "Draw Date:", f"{drawn} (pre-treatment)"),
            ("Chair / Shift:", "12 / MWF 2nd", "Nephrologist:", r.provider),
            ("Modality:", "In-center hemodialysis", "Lab:", r.facility),
        )
        for n, (a, b, c, d) in enumerate(fields):
            y = 1.15 + n * 0.18
            page.add(a, 0.6, y, 8.5)
            page.add(b, 1.6, y, 8.5)
            page.add(c, 4.35, y, 8.5)
            page.add(d, 5.3, y, 8.5)
        page.rules.append((0.55, 1.75, 7.95, 1.75))
        for x, label in zip(xs, ("Test", "Pre-HD Result", "Units", "Unit Target"), strict=True):
            page.add(label, x, 1.92, 9)
        page.rules.append((0.55, 2.02, 7.95, 2.02))
        return 2.22

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        value = f"{item.value} {item.flag}".strip()
        cells = (item.name, value, item.unit, item.reference or "-")
        return _cells(page, cells, xs, widths, y, size, step) + 0.3 * step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("Reviewed at monthly care plan meeting.", 0.6, y + 0.3, 8.5)
            page.add("RD: ____________    SW: ____________    RN: ____________", 0.6, y + 0.6,
                     8.5)  # fmt: skip
        page.rules.append((0.55, 10.25, 7.95, 10.25))
        page.add("Lakeshore Kidney Care - confidential patient information", 0.6, 10.4, 7)
        page.add(f"Page {number} of {total}", 6.9, 10.4, 7)

    return _flow(report, head, row, foot, 9.6)


# --- uitslag -------------------------------------------------------------------------------


def uitslag(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size)
    r = report
    xs = (0.7, 3.45, 4.45, 5.7)
    widths = (2.65, 0.9, 1.2, 1.9)
    afname = f"{r.collected:%d-%m-%Y} 08:05"

    def head(page: Page, number: int, total: int) -> float:
        page.add("Ziekenhuis Rijnoever", 0.7, 0.55, 13)
        page.add("Klinisch Chemisch Laboratorium", 0.7, 0.78, 9)
        page.add("Uitslagenoverzicht", 5.6, 0.6, 11)
        page.rules.append((0.65, 0.92, 7.85, 0.92))
        fields = (
            ("Patiënt:", f"{r.patient.split()[-1]}, {r.patient.split()[0][0]}. (V)",
             "Afnamedatum:", afname),
            ("Geboortedatum:", f"{r.born:%d-%m-%Y}", "Ontvangen:", f"{r.collected:%d-%m-%Y} 09:40"),
            ("Patiëntnummer:", r.mrn, "Aanvrager:", r.provider.replace("Dr.", "dr.")),
            ("Labnummer:", r.accession, "Status:", "Definitief"),
        )  # fmt: skip
        for n, (a, b, c, d) in enumerate(fields):
            y = 1.1 + n * 0.17
            page.add(a, 0.7, y, 8.5)
            page.add(b, 1.85, y, 8.5)
            page.add(c, 4.45, y, 8.5)
            page.add(d, 5.5, y, 8.5)
        page.add("Bepaling", xs[0], 1.95, 8.5)
        page.add("Uitslag", xs[1], 1.95, 8.5)
        page.add("Eenheid", xs[2], 1.95, 8.5)
        page.add("Referentiewaarde", xs[3], 1.95, 8.5)
        page.rules.append((0.65, 2.05, 7.85, 2.05))
        return 2.25

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        flag = {"H": "*", "HH": "**", "L": "*", "A": "*"}.get(item.flag, "")
        value = f"{_komma(item.value)} {flag}".strip()
        cells = (item.name, value, item.unit, _komma(item.reference))
        return _cells(page, cells, xs, widths, y, size, step)

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("* = afwijkend van de referentiewaarde", 0.7, y + 0.25, 7.5)
            page.add("Geautoriseerd door: ing. M. de Vries, klinisch chemicus", 0.7, y + 0.45,
                     7.5)  # fmt: skip
        page.rules.append((0.65, 10.3, 7.85, 10.3))
        page.add(f"Afgedrukt {r.printed:%d-%m-%Y}", 0.7, 10.45, 7)
        page.add(f"Pagina {number} van {total}", 6.8, 10.45, 7)

    return _flow(report, head, row, foot, 9.9)


# --- trial ---------------------------------------------------------------------------------


def trial(report: Report) -> list[Page]:
    size = 8.0
    step = _step(size)
    r = report
    xs = (0.6, 3.0, 3.85, 5.05, 5.95, 6.85)
    widths = (2.3, 0.8, 1.15, 0.85, 0.85, 0.6)
    collected = f"{r.collected:%d-%b-%Y}".upper()

    def head(page: Page, number: int, total: int) -> float:
        page.add("MERIDIAN CENTRAL LABORATORY SERVICES", 0.6, 0.55, 12)
        page.add("Investigator Report - Final", 5.4, 0.55, 9)
        page.rules.append((0.55, 0.7, 7.95, 0.7))
        fields = (
            ("Protocol:", "MCL-4471-203", "Site:", "0117 / Dr. A. Grant"),
            ("Subject:", "0117-0042", "Visit:", "WEEK 12 (VISIT 6)"),
            ("Collection Date:", f"{collected} 07:55", "Received:", f"{collected} 22:10"),
            ("Requisition:", r.accession, "Reported:", f"{r.reported:%d-%b-%Y}".upper()),
        )
        for n, (a, b, c, d) in enumerate(fields):
            y = 0.9 + n * 0.16
            page.add(a, 0.6, y, 8)
            page.add(b, 1.6, y, 8)
            page.add(c, 4.3, y, 8)
            page.add(d, 5.1, y, 8)
        page.rules.append((0.55, 1.6, 7.95, 1.6))
        for x, label in zip(xs, ("Test", "Result", "Units", "Low", "High", "Flag"), strict=True):
            page.add(label, x, 1.75, 8)
        page.rules.append((0.55, 1.85, 7.95, 1.85))
        return 2.0

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        low, high = _limits(item.reference)
        cells = (item.name.upper(), item.value, item.unit, low, high, item.flag)
        return _cells(page, cells, xs, widths, y, size, step)

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("Flags: L/H below/above reference; LL/HH alert value; A abnormal.", 0.6,
                     y + 0.25, 7)  # fmt: skip
            page.add("END OF REPORT", 3.6, y + 0.5, 8)
        page.add("Confidential - for investigator use only", 0.6, 10.45, 7)
        page.add(f"Page {number} of {total}", 6.9, 10.45, 7)

    return _flow(report, head, row, foot, 10.0)


# --- insurance -----------------------------------------------------------------------------


def insurance(report: Report) -> list[Page]:
    size = 9.0
    step = _step(size) * 1.05
    r = report
    xs = (0.75, 3.35, 4.35, 5.6)
    widths = (2.5, 0.9, 1.2, 2.0)

    def head(page: Page, number: int, total: int) -> float:
        page.add("Keystone Life Assurance Company", 0.75, 0.55, 13)
        page.add("Underwriting Laboratory Report", 0.75, 0.8, 9)
        page.add("COPY FOR APPLICANT", 6.0, 0.55, 8)
        fields = (
            ("Applicant:", r.patient, "Policy No.:", "KL-2013-0884172"),
            ("Date of Birth:", f"{r.born:%m/%d/%Y}", "Date Collected:",
             f"{r.collected:%m/%d/%Y}"),
            ("Examiner:", "Paramedical exam, mobile", "Date Reported:",
             f"{r.reported:%m/%d/%Y}"),
        )  # fmt: skip
        for n, (a, b, c, d) in enumerate(fields):
            y = 1.1 + n * 0.18
            page.add(a, 0.75, y, 8.5)
            page.add(b, 1.8, y, 8.5)
            page.add(c, 4.5, y, 8.5)
            page.add(d, 5.55, y, 8.5)
        if number == 1:
            text = ("The results below are from the blood and urine specimens collected at "
                    "your paramedical examination. They are sent to you for your information; "
                    "please share them with your physician.")  # fmt: skip
            for n, line in enumerate(_wrap(text, 7.0, 8.5)):
                page.add(line, 0.75, 1.75 + n * 0.16, 8.5)
            top = 2.35
        else:
            top = 1.75
        page.rules.append((0.7, top, 7.85, top))
        for x, label in zip(xs, ("Test Name", "Result", "Units", "Normal Range"), strict=True):
            page.add(label, x, top + 0.15, 8.5)
        page.rules.append((0.7, top + 0.25, 7.85, top + 0.25))
        return top + 0.45

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        value = f"{item.value} *" if item.flag else item.value
        cells = (item.name, value, item.unit, item.reference)
        return _cells(page, cells, xs, widths, y, size, step)

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("* Outside the normal range.", 0.75, y + 0.25, 8)
        page.add("Keystone Life Assurance Co. - Underwriting Dept.", 0.75, 10.45, 7)
        page.add(f"Page {number} of {total}", 6.9, 10.45, 7)

    return _flow(report, head, row, foot, 9.9)
