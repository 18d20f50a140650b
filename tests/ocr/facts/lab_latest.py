"""Four lab report layouts written after the fresh four, and committed before anyone ran the
reader on them: LATEST_HELD_OUT in lab_layouts.py. Nobody tunes extraction on them; their
pages and misses are never looked at while tuning.

  fax-relay    A hospital lab's chart copy as a clinic receives it by fax: a cover sheet, the
               fax machine's banner across the top of every page, and an LIS report in
               fixed-width type, results in order blocks each opened by its collection and
               receipt times.
  befund       A German laboratory's report (Laborbefund) with German labels, day-first dates,
               decimal commas and section headings.
  laboratorio  A Mexican clinical laboratory's report with Spanish labels, sections, method
               lines and a signature block.
  kenshin      A Japanese health-check centre's results in English: a category column,
               year-first dates and a judgment grade per item.
"""

from __future__ import annotations

import re
import zlib
from datetime import date

from lab_fresh import _age, _flow, _named
from lab_pages import Page, Report, _wrap, width_in
from lab_parts import _last_first, _step

# --- shared --------------------------------------------------------------------------------


def _sections(report: Report, names: tuple[str, ...], salt: str) -> dict[int, str]:
    """Where each section begins (row index: its name), sections of 3-8 rows drawn per report."""
    starts, index, number = {}, 0, 0
    draw = zlib.crc32(f"{salt}/{report.seed}/{len(report.rows)}".encode())
    while index < len(report.rows):
        starts[index] = names[number % len(names)]
        index += 3 + (draw >> (3 * number % 27)) % 6
        number += 1
    return starts


def _section_of(starts: dict[int, str], index: int) -> str:
    return starts[max(i for i in starts if i <= index)]


# --- fax-relay -----------------------------------------------------------------------------

_ORDERS = (
    "BASIC METABOLIC PANEL",
    "CBC W/AUTO DIFF",
    "LIPID PANEL",
    "HEPATIC FUNCTION PANEL",
    "THYROID STIM HORMONE",
    "MISC CHEMISTRY",
)


def fax_relay(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size)
    char = width_in("M", size, True)
    cols = (0.75, 0.75 + 38 * char, 0.75 + 48 * char, 0.75 + 54 * char, 0.75 + 73 * char)
    starts = _sections(report, _ORDERS, "fax")
    r = report
    sent = f"{r.reported:%b-%d-%Y}".upper()
    coll = f"{r.collected:%m/%d/%y}-0815"
    recd = f"{r.collected:%m/%d/%y}-1002"
    rept = f"{r.reported:%m/%d/%y}-1420"
    rule = "-" * 96

    def mono(page: Page, text: str, x: float, y: float) -> None:
        page.add(text, x, y, size, mono=True)

    def head(page: Page, number: int, total: int) -> float:
        mono(page, r.facility.upper(), 0.75, 0.95)
        mono(page, "CHART COPY", 6.45, 0.95)
        mono(page, "LABORATORY SERVICES  *  1200 HARBOR WAY  *  (555) 201-4400", 0.75, 1.1)
        mono(page, rule, 0.75, 1.27)
        mono(page, f"PATIENT: {_last_first(r.patient)}", 0.75, 1.42)
        mono(page, f"MRN: {r.mrn}", 3.5, 1.42)
        mono(page, "SEX: F", 5.65, 1.42)
        mono(page, f"DOB: {r.born:%m/%d/%Y}  AGE: {_age(r.born, r.collected)}Y", 0.75, 1.56)
        mono(page, "LOC: OUTPATIENT LAB", 3.5, 1.56)
        mono(page, f"ORDERING DR: {_last_first(r.provider.removeprefix('Dr. '))}, MD", 0.75, 1.7)
        mono(page, f"ACCT: {r.accession}", 5.65, 1.7)
        mono(page, rule, 0.75, 1.86)
        return 2.1

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            order = _section_of(starts, index)
            cont = "" if index in starts else " (CONT)"
            number = 4400 + 17 * list(starts).index(max(i for i in starts if i <= index))
            mono(page, f"ORDER# {number}  {order}{cont}", 0.75, y)
            mono(page, "STATUS: FINAL", 6.45, y)
            y += step
            mono(page, f"COLL: {coll}   RECD: {recd}   RPT: {rept}", 0.75, y)
            y += step
            for x, label in zip(cols, ("TEST", "RESULT", "FLAG", "UNITS", "REF RANGE"),
                                strict=True):  # fmt: skip
                mono(page, label, x + 2 * char, y)
            y += step
        mono(page, _chars(item.name, 35), cols[0] + 2 * char, y)
        mono(page, item.value, cols[1] + 2 * char, y)
        mono(page, item.flag, cols[2] + 2 * char, y)
        mono(page, item.unit, cols[3] + 2 * char, y)
        reference = item.reference
        if width_in(reference, size, True) > 8.2 - (cols[4] + 2 * char) - 0.3:
            reference = ""
        mono(page, reference, cols[4] + 2 * char, y)
        y += step
        nxt = index + 1
        if nxt in starts or nxt == len(report.rows):
            y += 0.6 * step
        return y

    def foot(page: Page, number: int, total: int, y: float) -> None:
        mono(page, rule, 0.75, 9.9)
        legend = "H=HIGH  L=LOW  HH/LL=CRITICAL  A=ABNORMAL"
        mono(page, legend, 0.75, 10.05)
        last = "*** END OF REPORT ***" if number == total else "*** CONTINUED ***"
        mono(page, last, 0.75, 10.2)
        mono(page, f"PAGE {number}", 7.3, 10.2)

    pages = [_fax_cover(report), *_flow(report, head, row, foot, 9.7)]
    total = len(pages)
    for number, page in enumerate(pages, 1):
        banner = (f"{sent} 14:32  FROM:{r.facility.upper()[:22]}  5552014400  "
                  f"TO:5552014471  P.{number:03d}/{total:03d}")  # fmt: skip
        page.add(banner, 0.45, 0.42, 7.5, mono=True)
    return pages


def _chars(name: str, chars: int) -> str:
    """A name cut at a word boundary to `chars` characters, as an LIS prints it in a fixed
    field (without a dangling linking word or an unclosed bracket)."""
    words, out = name.split(), ""
    for word in words:
        if out and len(out) + 1 + len(word) > chars:
            break
        out = f"{out} {word}".strip()
    if out != name:
        out = re.sub(r"\s*\[[^\]]*$", "", out)
        out = re.sub(r"(?:\s+(?:in|or|by|of|and))+$", "", out, flags=re.IGNORECASE)
    return (out.strip(" ,") or words[0])[:chars]


def _fax_cover(r: Report) -> Page:
    page = Page()
    page.add("FACSIMILE TRANSMITTAL", 0.9, 1.3, 20)
    page.add(r.facility, 0.9, 1.65, 11)
    page.add("Laboratory Client Services", 0.9, 1.85, 10)
    page.rules.append((0.9, 2.0, 7.6, 2.0))
    fields = (
        ("To:", f"{r.provider} / Riverside Family Practice"),
        ("Fax:", "(555) 201-4471"),
        ("From:", "Client Services, Clinical Laboratory"),
        ("Phone:", "(555) 201-4400"),
        ("Date:", f"{r.reported.month}/{r.reported.day}/{r.reported.year}"),
        ("Re:", f"Laboratory results - {_last_first(r.patient)}"),
    )
    for line_no, (label, text) in enumerate(fields):
        page.add(label, 0.9, 2.4 + line_no * 0.3, 11)
        page.add(text, 1.8, 2.4 + line_no * 0.3, 11)
    page.add("Results follow. Please file in the patient's chart.", 0.9, 4.55, 10.5)
    notice = (
        "CONFIDENTIALITY NOTICE: The documents accompanying this transmission contain "
        "confidential health information that is legally privileged. This information is "
        "intended only for the use of the individual or entity named above. If you are not "
        "the intended recipient, you are hereby notified that any disclosure, copying, "
        "distribution or action taken in reliance on the contents of these documents is "
        "strictly prohibited. If you have received this fax in error, please notify the "
        "sender immediately by telephone and destroy the documents."
    )
    for line_no, line in enumerate(_wrap(notice, 6.6, 8.5)):
        page.add(line, 0.9, 8.6 + line_no * 0.17, 8.5)
    return page


# --- befund --------------------------------------------------------------------------------

_BEREICHE = (
    "Klinische Chemie",
    "Hämatologie",
    "Fettstoffwechsel",
    "Endokrinologie",
    "Elektrolyte",
    "Urindiagnostik",
)
_KENNUNG = {"H": "+", "L": "-", "HH": "++", "LL": "--", "A": "*"}


def _komma(text: str) -> str:
    """Decimal commas, as German laboratories print numbers."""
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text)


def _bereich(reference: str) -> str:
    simple = re.fullmatch(r"([\d.]+)-([\d.]+)", reference)
    if simple:
        return f"{_komma(simple[1])} - {_komma(simple[2])}"
    return _komma(re.sub(r"^([<>]=?)(?=\d)", r"\1 ", reference))


def _de(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def befund(report: Report) -> list[Page]:
    size = 9.0
    step = _step(size)
    name_x, value_end, flag_x, unit_x, range_x = 0.7, 4.05, 4.15, 4.6, 5.9
    starts = _sections(report, _BEREICHE, "befund")
    r = report

    def head(page: Page, number: int, total: int) -> float:
        page.add(f"{r.facility} - MVZ für Laboratoriumsmedizin", 0.7, 0.6, 12.5)
        page.add("Laborstraße 12 · 10115 Berlin · Telefon 030 4471-0 · Telefax 030 4471-199",
                 0.7, 0.82, 7.5)  # fmt: skip
        page.rules.append((0.65, 0.92, 7.85, 0.92))
        page.add("Laborbefund", 0.7, 1.2, 13)
        page.add("Endbefund", 6.7, 1.2, 10)
        surname, *given = reversed(r.patient.split())
        lines = (
            (f"Patient: {surname}, {' '.join(reversed(given))}", f"Geb.-Datum: {_de(r.born)}"),
            ("Geschlecht: weiblich", f"Auftrags-Nr.: {r.accession}"),
            (f"Einsender: {r.provider}", f"Befunddatum: {_de(r.reported)}"),
            (f"Probenentnahme: {_de(r.collected)} 08:15", f"Eingang: {_de(r.collected)} 11:02"),
        )  # fmt: skip
        for line_no, texts in enumerate(lines):
            for x, text in zip((0.7, 4.4), texts, strict=True):
                page.add(text, x, 1.5 + line_no * 0.18, 8.5)
        y = 2.4
        page.add("Untersuchung", name_x, y, size)
        page.add("Ergebnis", value_end - width_in("Ergebnis", size), y, size)
        page.add("Einheit", unit_x, y, size)
        page.add("Referenzbereich", range_x, y, size)
        page.rules.append((0.65, y + 0.07, 7.85, y + 0.07))
        return y + 1.5 * step

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            if index in starts and not first:
                y += 0.4 * step
            title = _section_of(starts, index)
            page.add(title if index in starts else f"{title} (Fortsetzung)", name_x, y, 9.5)
            y += 1.2 * step
        page.add(_named(item.name, value_end - name_x - 0.75, size), name_x + 0.1, y, size)
        value = _komma(item.value)
        page.add(value, value_end - width_in(value, size), y, size)
        page.add(_KENNUNG.get(item.flag, item.flag), flag_x, y, size)
        page.add(item.unit, unit_x, y, size)
        page.add(_bereich(item.reference), range_x, y, size)
        return y + 1.1 * step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("Kennzeichnung: + erhöht, - erniedrigt, ++/-- kritisch, * auffällig",
                     0.7, y + 0.3, 8)  # fmt: skip
            page.add("Technisch und medizinisch validiert: Dr. med. Renate Weber, "
                     "Fachärztin für Laboratoriumsmedizin", 0.7, y + 0.5, 8)  # fmt: skip
        page.rules.append((0.65, 10.3, 7.85, 10.3))
        page.add("Akkreditiert nach DIN EN ISO 15189 · D-ML-13102-01-00", 0.7, 10.46, 7)
        page.add(f"Seite {number} von {total}", 6.85, 10.46, 7.5)

    return _flow(report, head, row, foot, 9.5)


# --- laboratorio ---------------------------------------------------------------------------

_AREAS = (
    "QUÍMICA CLÍNICA",
    "BIOMETRÍA HEMÁTICA",
    "PERFIL DE LÍPIDOS",
    "PERFIL TIROIDEO",
    "ELECTROLITOS SÉRICOS",
    "INMUNOLOGÍA",
)
_METODOS = (
    "Método: Enzimático colorimétrico",
    "Método: Citometría de flujo",
    "Método: Quimioluminiscencia",
    "Método: Potenciometría indirecta",
)
_INDICADOR = {"H": "Alto", "L": "Bajo", "HH": "Crítico", "LL": "Crítico", "A": "Anormal"}


def laboratorio(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size)
    xs = (0.6, 3.45, 4.35, 5.5, 7.3)
    starts = _sections(report, _AREAS, "laboratorio")
    r = report

    def head(page: Page, number: int, total: int) -> float:
        page.add("LABORATORIO CLÍNICO", 0.6, 0.6, 13)
        page.add(r.facility, 0.6, 0.82, 10)
        page.add("Av. Insurgentes Sur 1605, Col. San José Insurgentes, Ciudad de México · "
                 "Tel. 55 5322 4400", 0.6, 1.0, 7.5)  # fmt: skip
        page.rules.append((0.55, 1.1, 7.95, 1.1))
        lines = (
            (f"Paciente: {r.patient.upper()}", f"Folio: {r.accession}"),
            (f"Edad: {_age(r.born, r.collected)} años   Sexo: Femenino",
             f"Fecha de nacimiento: {r.born:%d/%m/%Y}"),
            (f"Médico: {r.provider.upper()}",
             f"Fecha de toma: {r.collected:%d/%m/%Y} 08:15"),
            ("Procedencia: Consulta externa", f"Fecha de entrega: {r.reported:%d/%m/%Y}"),
        )  # fmt: skip
        for line_no, texts in enumerate(lines):
            for x, text in zip((0.6, 4.6), texts, strict=True):
                page.add(text, x, 1.32 + line_no * 0.18, 8.5)
        y = 2.2
        page.rules.append((0.55, y - 0.14, 7.95, y - 0.14))
        for x, label in zip(xs[:4], ("ESTUDIO", "RESULTADO", "UNIDADES",
                                     "VALORES DE REFERENCIA"), strict=True):  # fmt: skip
            page.add(label, x, y, 8)
        page.rules.append((0.55, y + 0.06, 7.95, y + 0.06))
        return y + 1.5 * step

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            if index in starts and not first:
                y += 0.5 * step
            area = _section_of(starts, index)
            page.add(area if index in starts else f"{area} (continuación)", 3.0, y, 9)
            y += 1.3 * step
        page.add(_named(item.name, xs[1] - xs[0] - 0.15, size), xs[0], y, size)
        page.add(item.value, xs[1], y, size)
        page.add(item.unit, xs[2], y, size)
        reference = item.reference if width_in(item.reference, size) < 1.7 else ""
        page.add(reference, xs[3], y, size)
        page.add(_INDICADOR.get(item.flag, item.flag), xs[4], y, 7.5)
        y += step
        nxt = index + 1
        if nxt in starts or nxt == len(report.rows):
            method = _METODOS[zlib.crc32(_section_of(starts, index).encode()) % len(_METODOS)]
            page.add(method, xs[0], y, 7)
            y += step
        return y

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("Q.F.B. María Elena Ruiz Torres", 3.0, y + 0.55, 8.5)
            page.add("Cédula Profesional 4471203 · Responsable Sanitario", 3.0, y + 0.7, 7.5)
            page.rules.append((2.9, y + 0.4, 5.6, y + 0.4))
        page.rules.append((0.55, 10.3, 7.95, 10.3))
        page.add("Este informe no es válido sin firma. Resultados sólo para uso médico.",
                 0.6, 10.45, 7)  # fmt: skip
        page.add(f"Página {number} de {total}", 7.0, 10.45, 7)

    return _flow(report, head, row, foot, 9.3)


# --- kenshin -------------------------------------------------------------------------------

_CATEGORIES = (
    "Blood chemistry",
    "Hematology",
    "Lipids",
    "Glucose metabolism",
    "Liver function",
    "Kidney function",
    "Thyroid",
)
_JUDGMENT = {"": "A", "H": "C", "L": "C", "HH": "D", "LL": "D", "A": "B"}


def kenshin(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size) * 1.1
    xs = (0.6, 1.95, 4.55, 5.35, 6.45, 7.55)
    starts = _sections(report, _CATEGORIES, "kenshin")
    r = report

    def ymd(day: date) -> str:
        return f"{day:%Y/%m/%d}"

    def head(page: Page, number: int, total: int) -> float:
        page.add("Health Checkup Results", 0.6, 0.6, 14)
        page.add(f"{r.facility} Health Check Center", 0.6, 0.84, 9)
        page.add(f"{number}/{total}", 7.55, 0.6, 8)
        lines = (
            (f"Name: {r.patient.upper()}", f"Examinee No.: {r.mrn}"),
            (f"Date of birth: {ymd(r.born)}   Age: {_age(r.born, r.collected)}   Sex: Female",
             "Course: Comprehensive (Ningen Dock)"),
            (f"Date of examination: {ymd(r.collected)}", f"Date of report: {ymd(r.reported)}"),
        )  # fmt: skip
        for line_no, texts in enumerate(lines):
            for x, text in zip((0.6, 4.8), texts, strict=True):
                page.add(text, x, 1.15 + line_no * 0.18, 8.5)
        page.add("Judgment  A: No abnormality   B: Slightly abnormal   C: Re-examination "
                 "recommended   D: Treatment required", 0.6, 1.8, 7.5)  # fmt: skip
        y = 2.15
        page.rules.append((0.55, y - 0.15, 7.95, y - 0.15))
        for x, label in zip(xs, ("Category", "Item", "Result", "Unit", "Reference", "Judg."),
                            strict=True):  # fmt: skip
            page.add(label, x, y, 8)
        page.rules.append((0.55, y + 0.06, 7.95, y + 0.06))
        return y + 1.4 * step

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts and not first:
            page.rules.append((0.55, y - 0.75 * step, 7.95, y - 0.75 * step))
        if index in starts or first:
            page.add(_section_of(starts, index), xs[0], y, 8)
        page.add(_named(item.name, xs[2] - xs[1] - 0.15, size), xs[1], y, size)
        page.add(item.value, xs[3] - 0.2 - width_in(item.value, size), y, size)
        page.add(item.unit, xs[3], y, size)
        reference = item.reference if width_in(item.reference, 8) < xs[5] - xs[4] - 0.1 else ""
        page.add(reference, xs[4], y, 8)
        page.add(_JUDGMENT.get(item.flag, "B"), xs[5] + 0.1, y, size)
        return y + step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        page.rules.append((0.55, y - 0.5 * step, 7.95, y - 0.5 * step))
        if number == total:
            page.add("Examining physician: Dr. Kenji Sato", 0.6, y + 0.25, 8.5)
            page.add("Please bring this report to your next checkup.", 0.6, y + 0.45, 8)
        page.add(f"{r.facility} Health Check Center", 0.6, 10.45, 7)
        page.add(f"Printed {ymd(r.printed)}", 6.7, 10.45, 7)

    return _flow(report, head, row, foot, 9.6)
