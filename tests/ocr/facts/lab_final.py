"""Four lab report layouts written after the newest four, and committed before anyone ran the
reader on them: FINAL_HELD_OUT in lab_layouts.py. Nobody tunes extraction on them; their
pages and misses are never looked at while tuning.

  bilan        A French medical laboratory's report (compte rendu d'analyses).
  discharge    A hospital discharge summary whose laboratory section lists the results.
  app-screens  Screens of a patient's phone app printed on a page.
  spreadsheet  Results a patient keeps in a spreadsheet, printed with its grid.
"""

from __future__ import annotations

from datetime import date

from lab_fresh import _age, _flow, _mdy, _named
from lab_latest import _komma, _section_of, _sections
from lab_pages import Page, Report, _wrap, width_in
from lab_parts import _step

A4 = (8.27, 11.69)

# --- bilan ---------------------------------------------------------------------------------

_CHAPITRES = (
    "BIOCHIMIE SANGUINE",
    "HÉMATOLOGIE",
    "EXPLORATION LIPIDIQUE",
    "HORMONOLOGIE",
    "BILAN HÉPATIQUE",
    "BIOCHIMIE URINAIRE",
)


def _fr(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _fr_range(reference: str) -> str:
    if "-" in reference and not reference.startswith(("M", "F")):
        low, _, high = reference.partition("-")
        return f"{_komma(low)} à {_komma(high)}"
    return _komma(reference)


def bilan(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size) * 1.2
    xs = (0.7, 3.55, 4.55, 5.75)
    starts = _sections(report, _CHAPITRES, "bilan")
    r = report
    surname, *given = reversed(r.patient.split())

    def head(page: Page, number: int, total: int) -> float:
        page.add("LABORATOIRE DE BIOLOGIE MÉDICALE", 0.6, 0.65, 13)
        page.add("Laboratoire des Tilleuls — Site de Lyon Part-Dieu", 0.6, 0.88, 8.5)
        page.add("27 rue Garibaldi, 69003 Lyon · Tél. 04 78 62 15 40", 0.6, 1.04, 7.5)
        page.add("Accréditation Cofrac n° 8-3512 — portée disponible sur www.cofrac.fr",
                 0.6, 1.18, 7)  # fmt: skip
        box = 4.6
        page.add(f"Mme {surname.upper()} {' '.join(reversed(given))}", box, 0.7, 10)
        page.add(f"Née le {_fr(r.born)} ({_age(r.born, r.collected)} ans)", box, 0.9, 8.5)
        page.add("14 avenue des Frères Lumière", box, 1.06, 8.5)
        page.add("69008 LYON", box, 1.22, 8.5)
        page.rules.append((0.55, 1.36, 7.72, 1.36))
        page.add(f"Dossier n° {r.accession.replace('-', '')}", 0.6, 1.56, 8.5)
        page.add(f"Prélevé le {_fr(r.collected)} à 08h15", 2.75, 1.56, 8.5)
        page.add(f"Édité le {_fr(r.reported)}", 5.3, 1.56, 8.5)
        page.add(f"Prescripteur : {r.provider}", 0.6, 1.74, 8.5)
        page.add("Prélèvement effectué au laboratoire", 2.75, 1.74, 8.5)
        page.add(f"Page {number}/{total}", 6.9, 1.74, 8.5)
        page.rules.append((0.55, 1.86, 7.72, 1.86))
        page.add("Valeurs de référence", xs[3], 2.08, 7.5)
        return 2.35

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            if not first:
                y += 0.5 * step
            suite = "" if index in starts else " (suite)"
            page.add(f"{_section_of(starts, index)}{suite}", xs[0], y, 9.5)
            y += 1.4 * step
        name = _named(item.name, xs[1] - xs[0] - 0.2, size)
        page.add(name, xs[0] + 0.15, y, size)
        mark = " *" if item.flag else ""
        page.add(f"{_komma(item.value)}{mark}", xs[1], y, size)
        page.add(item.unit, xs[2], y, size)
        reference = _fr_range(item.reference)
        if width_in(reference, 7.5) > 7.7 - xs[3]:
            reference = ""
        page.add(reference, xs[3], y + 0.01, 7.5)
        return y + step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("* Résultat en dehors des valeurs de référence", 0.7, y + 0.25, 7.5)
            page.add(f"Compte rendu validé biologiquement le {_fr(r.reported)} par",
                     3.6, y + 0.6, 8)  # fmt: skip
            page.add("Dr Claire Vasseur, biologiste médicale", 3.6, y + 0.78, 8)
        page.rules.append((0.55, 11.0, 7.72, 11.0))
        page.add("SELAS Laboratoire des Tilleuls — RCS Lyon 512 448 301 — Tous les résultats "
                 "sont conservés 30 ans", 0.6, 11.15, 6.5)  # fmt: skip

    return _flow(report, head, row, foot, 10.2, A4)


# --- discharge -----------------------------------------------------------------------------

_ADMITTED = 2  # days before the labs were drawn


def discharge(report: Report) -> list[Page]:
    size = 9.0
    step = _step(size) * 1.05
    xs = (0.9, 3.75, 4.65, 5.75)
    r = report
    admitted = date.fromordinal(r.collected.toordinal() - _ADMITTED)
    drawn = f"{_mdy(r.collected)} 05:40"

    def para(page: Page, y: float, title: str, text: str) -> float:
        page.add(title, 0.9, y, 9.5)
        y += 0.2
        for line in _wrap(text, 6.7, 9):
            page.add(line, 0.9, y, 9)
            y += 0.16
        return y + 0.12

    def table_head(page: Page, y: float) -> float:
        for x, label in zip(xs, ("Test", "Result", "Units", "Reference"), strict=True):
            page.add(label, x, y, size)
        page.rules.append((0.85, y + 0.06, 7.6, y + 0.06))
        return y + 1.3 * step

    def head(page: Page, number: int, total: int) -> float:
        page.add("Mercy General Hospital", 0.9, 0.6, 8)
        page.add(f"{r.patient}   MRN {r.mrn}   DOB {_mdy(r.born)}", 3.6, 0.6, 8)
        page.rules.append((0.85, 0.68, 7.6, 0.68))
        if number > 1:
            page.add("LABORATORY DATA (continued)", 0.9, 0.95, 9.5)
            return table_head(page, 1.2)
        page.add("DISCHARGE SUMMARY", 0.9, 1.0, 14)
        fields = (
            ("Patient:", r.patient, "Admission Date:", _mdy(admitted)),
            ("MRN:", r.mrn, "Discharge Date:", _mdy(r.reported)),
            ("Date of Birth:", _mdy(r.born), "Attending:", r.provider),
            ("Unit:", "4 West Medicine", "Dictated:", f"{_mdy(r.reported)} 16:05"),
        )
        for line_no, cells in enumerate(fields):
            for x, text in zip((0.9, 2.0, 4.4, 5.55), cells, strict=True):
                page.add(text, x, 1.35 + line_no * 0.17, 9)
        y = para(page, 2.2, "ADMISSION DIAGNOSIS:", "Community-acquired pneumonia, right lower "
                 "lobe. Acute kidney injury.")  # fmt: skip
        y = para(page, y, "DISCHARGE DIAGNOSES:", "1. Community-acquired pneumonia, improving. "
                 "2. Acute kidney injury, resolving. 3. Type 2 diabetes mellitus. "
                 "4. Essential hypertension.")  # fmt: skip
        y = para(page, y, "HOSPITAL COURSE:", "The patient presented with three days of fever, "
                 "productive cough and shortness of breath. Chest radiograph showed a right "
                 "lower lobe infiltrate. She was started on intravenous ceftriaxone and "
                 "azithromycin with prompt improvement, and was changed to oral antibiotics "
                 "on hospital day 3. Lisinopril and metformin were held on admission for "
                 "acute kidney injury and restarted before discharge. She was afebrile for "
                 "more than 48 hours and ambulating on room air at discharge.")  # fmt: skip
        page.add("LABORATORY DATA:", 0.9, y, 9.5)
        page.add(f"Most recent results, collected {drawn}:", 2.3, y, 9)
        return table_head(page, y + 0.3)

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        page.add(_named(item.name, xs[1] - xs[0] - 0.15, size), xs[0], y, size)
        page.add(f"{item.value} {item.flag}".strip(), xs[1], y, size)
        page.add(item.unit, xs[2], y, size)
        reference = item.reference if width_in(item.reference, size) < 7.6 - xs[3] else ""
        page.add(reference, xs[3], y, size)
        return y + step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            y = para(page, y + 0.25, "DISCHARGE MEDICATIONS:", "Amoxicillin-clavulanate "
                     "875-125 mg by mouth twice daily for 4 more days. Resume metformin 500 mg "
                     "twice daily and lisinopril 10 mg daily.")  # fmt: skip
            y = para(page, y, "FOLLOW-UP:", "Primary care in 1 week with repeat basic "
                     "metabolic panel.")  # fmt: skip
            page.add(f"Electronically signed by {r.provider}, MD on {_mdy(r.reported)}",
                     0.9, y + 0.2, 9)  # fmt: skip
        page.add("CONFIDENTIAL PATIENT INFORMATION", 0.9, 10.45, 7)
        page.add(f"Page {number} of {total}", 6.8, 10.45, 7)

    return _flow(report, head, row, foot, 9.0)


# --- app-screens ---------------------------------------------------------------------------

_SPOKEN = {"H": "High", "L": "Low", "HH": "High", "LL": "Low", "A": "Abnormal"}
_SCREEN_X = (2.4, 6.1)


def app_screens(report: Report) -> list[Page]:
    size = 10.0
    left, right = _SCREEN_X
    r = report
    when = f"{r.collected:%b} {r.collected.day}, {r.collected.year} 8:15 AM"

    def head(page: Page, number: int, total: int) -> float:
        page.rules.extend([(left - 0.15, 0.55, right + 0.15, 0.55),
                           (left - 0.15, 0.55, left - 0.15, 10.45),
                           (right + 0.15, 0.55, right + 0.15, 10.45),
                           (left - 0.15, 10.45, right + 0.15, 10.45)])  # fmt: skip
        page.add("9:41", left, 0.78, 8)
        page.add("LTE 74%", right - width_in("LTE 74%", 8), 0.78, 8)
        page.add("‹ Test Results", left, 1.1, 9)
        page.add("Lab Panel", left, 1.45, 15)
        page.add(f"Collected on {when}", left, 1.75, 8.5)
        page.add(f"Ordered by {r.provider}", left, 1.93, 8.5)
        page.rules.append((left, 2.05, right, 2.05))
        return 2.35

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        shown = f"{item.value} {item.unit}".strip()
        space = right - left - width_in(shown, size) - 0.2
        page.add(_named(item.name, space, size), left, y, size)
        page.add(shown, right - width_in(shown, size), y, size)
        y += 0.2
        spoken = _SPOKEN.get(item.flag, "")
        reference = (
            f"Standard range: {item.reference.replace('-', ' - ')} {item.unit}".strip()
            if item.reference
            else "No standard range"
        )
        if width_in(reference, 7.5) > right - left - 0.7:
            reference = "See comment"
        page.add(reference, left, y, 7.5)
        page.add(spoken, right - width_in(spoken, 7.5), y, 7.5)
        page.rules.append((left, y + 0.1, right, y + 0.1))
        return y + 0.33

    def foot(page: Page, number: int, total: int, y: float) -> None:
        page.add("Screenshot", 0.6, 10.7, 7)
        page.add(f"{number}/{total}", 7.6, 10.7, 7)

    return _flow(report, head, row, foot, 10.2)


# --- spreadsheet ---------------------------------------------------------------------------

_COLUMNS = ("Date", "Test", "Result", "Units", "Range", "Flag")
# Column boundaries in inches (Excel's A-F at their printed widths).
_EDGES = (0.95, 1.75, 4.05, 4.7, 5.95, 7.15, 7.75)


def spreadsheet(report: Report) -> list[Page]:
    size = 8.0
    step = 0.2
    r = report
    day = f"{r.collected.month}/{r.collected.day}/{r.collected.year}"

    def cells(page: Page, y: float, texts: tuple[str, ...], number: int) -> None:
        page.add(str(number), 0.6, y, 7.5)
        for x, text in zip(_EDGES, texts, strict=False):
            page.add(text, x + 0.04, y, size)
        page.rules.append((0.55, y + 0.05, _EDGES[-1], y + 0.05))

    def grid(page: Page, top: float, bottom: float) -> None:
        for x in (0.55, *_EDGES):
            page.rules.append((x, top, x, bottom))

    def head(page: Page, number: int, total: int) -> float:
        page.add("lab results.xlsx", 3.7, 0.5, 8)
        y = 0.95
        for x, letter in zip(_EDGES, "ABCDEF", strict=False):
            page.add(letter, x + 0.04, y, 7.5)
        page.rules.append((0.55, y + 0.05, _EDGES[-1], y + 0.05))
        y += step
        if number == 1:
            cells(page, y, _COLUMNS, 1)
            y += step
        return y

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        name = _named(item.name, _EDGES[2] - _EDGES[1] - 0.08, size)
        reference = item.reference if width_in(item.reference, size) < 1.1 else ""
        cells(page, y, (day, name, item.value, item.unit, reference, item.flag), index + 2)
        return y + step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        grid(page, 0.8, y - step + 0.05)
        page.add(f"Page {number}", 3.95, 10.55, 8)

    return _flow(report, head, row, foot, 10.2)
