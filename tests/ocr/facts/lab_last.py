"""Four lab report layouts written after the final four, and committed before anyone ran the
reader on them: LAST_HELD_OUT in lab_layouts.py. Nobody tunes extraction on them; their
pages and misses are never looked at while tuning.

  email       A clinic nurse's e-mail with the results pasted in from the chart, printed from
              the mail client.
  laudo       A Brazilian laboratory's report (laudo) in Portuguese, one block per exam.
  provincial  A Canadian community laboratory's bilingual (English/French) report.
  home-kit    A direct-to-consumer at-home test kit's results report, one marker at a time.
"""

from __future__ import annotations

import re
from datetime import date

from lab_fresh import _flow, _named
from lab_latest import _komma, _section_of, _sections
from lab_pages import Page, Report, _wrap, width_in
from lab_parts import _step

# --- email ---------------------------------------------------------------------------------

_MARGIN = (0.9, 7.6)
_TAB = 0.5  # a mail client's tab stops, every half inch


def _tabbed(page: Page, cells: tuple[str, ...], y: float, size: float) -> float:
    """Cells pasted as tab-separated text: each starts at the next tab stop after the one
    before (an empty cell still takes a stop), and a cell that would pass the right margin
    wraps to the left margin on the next line. Returns the last line's y."""
    left, right = _MARGIN
    x = left
    for cell in cells:
        if x + width_in(cell, size) > right:
            x, y = left, y + _step(size)
        page.add(cell, x, y, size)
        end = x + width_in(cell, size) + 0.06
        x = left + (int((end - left) / _TAB) + 1) * _TAB
    return y


def email(report: Report) -> list[Page]:
    size = 9.5
    step = _step(size) * 1.1
    r = report
    first = r.patient.split()[0]
    sent = f"{r.reported:%A, %B} {r.reported.day}, {r.reported.year} 3:12 PM"
    left, right = _MARGIN

    def para(page: Page, y: float, text: str) -> float:
        for line in _wrap(text, right - left, size):
            page.add(line, left, y, size)
            y += step
        return y + 0.5 * step

    def head(page: Page, number: int, total: int) -> float:
        page.add(f"{r.reported:%m/%d/%y}, 3:20 PM", 0.5, 0.4, 7)
        page.add("Mail - Lab results", 3.7, 0.4, 7)
        if number > 1:
            return 0.8
        page.add("Lab results", left, 0.85, 15)
        page.rules.append((left - 0.05, 1.0, right, 1.0))
        fields = (
            ("From:", "Maple Grove Family Medicine <nurse.line@maplegrovefm.org>"),
            ("Sent:", sent),
            ("To:", f"{first.lower()}.doe1951@mail.com"),
            ("Subject:", "Lab results"),
        )
        for n, (label, text) in enumerate(fields):
            page.add(label, left, 1.2 + n * 0.17, 9)
            page.add(text, left + 0.7, 1.2 + n * 0.17, 9)
        page.rules.append((left - 0.05, 1.92, right, 1.92))
        y = para(page, 2.2, f"Hi {first},")
        y = para(page, y, f"{r.provider} has reviewed the blood work you had drawn on "
                 f"{r.collected:%m/%d/%Y}. A few values are flagged; he would like to go "
                 "over them at your next visit, nothing urgent. I have copied the results "
                 "below for your records.")  # fmt: skip
        return _tabbed(page, ("Component", "Your Value", "Flag", "Units", "Standard Range"),
                       y, size) + step  # fmt: skip

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        return _tabbed(page, (item.name, item.value, item.flag, item.unit, item.reference),
                       y, size) + step  # fmt: skip

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            y = para(page, y + 0.5 * step, "Please call the nurse line at (503) 555-0187 "
                     "with any questions.")  # fmt: skip
            y = para(page, y, "Thank you,")
            page.add("Linda Park, RN", left, y - 0.5 * step, size)
            page.add("Maple Grove Family Medicine", left, y + 0.5 * step, size)
            page.add("CONFIDENTIALITY NOTICE: This e-mail may contain protected health "
                     "information. If you are not the intended recipient, please delete it.",
                     left, y + 2 * step, 7)  # fmt: skip
        page.add("https://mail.example.com/mail/u/0/#inbox/FMfcgxwKjBHq", 0.5, 10.6, 7)
        page.add(f"{number}/{total}", 7.75, 10.6, 7)

    return _flow(report, head, row, foot, 9.9)


# --- laudo ---------------------------------------------------------------------------------

_METODOS = ("Automatizado", "Enzimático colorimétrico", "Citometria de fluxo",
            "Quimioluminescência", "Turbidimetria")  # fmt: skip


def _material(name: str) -> str:
    lower = name.lower()
    if "urine" in lower:
        return "Urina"
    if "blood" in lower or lower.split()[0] in ("wbc", "rbc", "hemoglobin", "platelets"):
        return "Sangue total com EDTA"
    return "Soro"


def _br(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _br_range(reference: str, unit: str) -> str:
    simple = re.fullmatch(r"([\d.]+)-([\d.]+)", reference)
    if simple:
        return f"{_komma(simple[1])} a {_komma(simple[2])} {unit}".strip()
    if reference.startswith(">"):
        return f"Superior a {_komma(reference[1:])} {unit}".strip()
    if reference.startswith("<"):
        return f"Inferior a {_komma(reference[1:])} {unit}".strip()
    return _komma(reference)


def laudo(report: Report) -> list[Page]:
    size = 9.0
    r = report

    def head(page: Page, number: int, total: int) -> float:
        page.add("LABORATÓRIO SÃO LUCAS", 0.7, 0.6, 13)
        page.add("Medicina Diagnóstica · Av. Brigadeiro Faria Lima, 1811 · São Paulo - SP",
                 0.7, 0.82, 7.5)  # fmt: skip
        page.add("Responsável técnico: Dr. Paulo Henrique Mendes · CRM-SP 84.213", 0.7, 0.96,
                 7.5)  # fmt: skip
        page.rules.append((0.65, 1.06, 7.85, 1.06))
        page.add(f"Paciente: {r.patient.upper()}", 0.7, 1.25, 9)
        page.add(f"Data de nascimento: {_br(r.born)}", 4.9, 1.25, 9)
        page.add(f"Médico solicitante: {r.provider}", 0.7, 1.42, 9)
        page.add(f"Pedido: {r.accession.replace('-', '')}", 4.9, 1.42, 9)
        page.add(f"Data da coleta: {_br(r.collected)} 07:40", 0.7, 1.59, 9)
        page.add(f"Data de liberação: {_br(r.reported)}", 4.9, 1.59, 9)
        page.rules.append((0.65, 1.69, 7.85, 1.69))
        return 1.98

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        page.add(_named(item.name.upper(), 6.9, 9.5), 0.7, y, 9.5)
        y += 0.19
        page.add(f"Material: {_material(item.name)}", 0.7, y, 7.5)
        page.add(f"Método: {_METODOS[index % len(_METODOS)]}", 3.3, y, 7.5)
        y += 0.2
        shown = f"{_komma(item.value)} {item.unit}".strip()
        page.add("Resultado:", 0.9, y, size)
        page.add(shown, 1.85, y, size)
        reference = _br_range(item.reference, item.unit)
        if reference and width_in(reference, 8) < 7.8 - 4.75:
            page.add("Valores de referência:", 3.5, y + 0.005, 8)
            page.add(reference, 4.85, y + 0.005, 8)
        y += 0.12
        page.rules.append((0.7, y, 7.8, y))
        return y + 0.22

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add(f"Exames liberados eletronicamente em {_br(r.reported)} por", 3.6, y + 0.3,
                     8)  # fmt: skip
            page.add("Dra. Ana Beatriz Carvalho · CRBM 12.845", 3.6, y + 0.46, 8)
        page.add("Este laudo não substitui a avaliação médica. Resultados sujeitos à "
                 "interpretação clínica.", 0.7, 10.5, 7)  # fmt: skip
        page.add(f"Página {number} de {total}", 6.9, 10.5, 7)

    return _flow(report, head, row, foot, 9.9)


# --- provincial ----------------------------------------------------------------------------

_GROUPS = (
    ("CHEMISTRY", "BIOCHIMIE"),
    ("HEMATOLOGY", "HÉMATOLOGIE"),
    ("LIPIDS", "LIPIDES"),
    ("ENDOCRINOLOGY", "ENDOCRINOLOGIE"),
    ("URINE", "URINE"),
)
_GROUP_NAMES = tuple(f"{en} / {fr}" for en, fr in _GROUPS)
_FLAGS = {"H": "H", "L": "L", "HH": "HH", "LL": "LL", "A": "A"}


def provincial(report: Report) -> list[Page]:
    size = 8.5
    step = _step(size) * 1.1
    xs = (0.6, 3.65, 4.25, 5.2)
    starts = _sections(report, _GROUP_NAMES, "provincial")
    r = report
    iso = f"{r.collected:%Y-%m-%d}"
    surname, *given = reversed(r.patient.split())

    def head(page: Page, number: int, total: int) -> float:
        page.add("Northshore Community Laboratories", 0.6, 0.6, 12)
        page.add("Laboratoires communautaires Northshore", 0.6, 0.8, 9)
        page.add("3300 Boul. Côte-Vertu, Montréal QC H4R 2B7 · 1-877-555-0142", 0.6, 0.95, 7)
        page.add("FINAL / DÉFINITIF", 6.3, 0.6, 9)
        page.rules.append((0.55, 1.05, 7.9, 1.05))
        fields = (
            ("Patient:", f"{surname.upper()}, {' '.join(reversed(given)).upper()}",
             "Collection Date/Date de prélèvement:", f"{iso} 08:15"),
            ("DOB/DDN:", f"{r.born:%Y-%m-%d}", "Received/Reçu:", f"{iso} 11:02"),
            ("Sex/Sexe:", "F", "Reported/Rapporté:", f"{r.reported:%Y-%m-%d} 14:47"),
            ("HCN/NAM:", "DOEJ 5103 1429", "Accession:", r.accession),
            ("Ordering/Prescripteur:", r.provider, "Copy to/Copie à:", "—"),
        )  # fmt: skip
        for n, cells in enumerate(fields):
            for x, text in zip((0.6, 2.0, 4.1, 6.2), cells, strict=True):
                page.add(text, x, 1.25 + n * 0.16, 8)
        page.rules.append((0.55, 2.1, 7.9, 2.1))
        labels = (
            ("Test / Analyse", "Flag / Ind.", "Result / Résultat", "Reference Range - Units"),
            ("", "", "", "Valeurs de référence - Unités"),
        )
        for n, line in enumerate(labels):
            for x, label in zip(xs, line, strict=True):
                page.add(label, x, 2.28 + n * 0.14, 7.5)
        page.rules.append((0.55, 2.48, 7.9, 2.48))
        return 2.72

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        if index in starts or first:
            if not first:
                y += 0.4 * step
            page.add(_section_of(starts, index), xs[0], y, 9)
            y += 1.35 * step
        page.add(_named(item.name, xs[1] - xs[0] - 0.15, size), xs[0] + 0.1, y, size)
        page.add(_FLAGS.get(item.flag, item.flag), xs[1], y, size)
        page.add(item.value, xs[2], y, size)
        reference = item.reference
        if width_in(f"{reference} {item.unit}", size) > 7.85 - xs[3]:
            reference = ""
        page.add(f"{reference} {item.unit}".strip() if reference else item.unit, xs[3], y, size)
        return y + step

    def foot(page: Page, number: int, total: int, y: float) -> None:
        if number == total:
            page.add("Flag: H=High/Élevé, L=Low/Bas, A=Abnormal/Anormal, HH/LL=Critical/Critique",
                     0.6, y + 0.25, 7)  # fmt: skip
            page.add("** END OF REPORT / FIN DU RAPPORT **", 3.0, y + 0.5, 8)
        page.rules.append((0.55, 10.4, 7.9, 10.4))
        page.add(f"{surname.upper()}, {' '.join(reversed(given)).upper()} · {r.accession}",
                 0.6, 10.55, 7)  # fmt: skip
        page.add(f"Page {number} of/de {total}", 6.75, 10.55, 7)

    return _flow(report, head, row, foot, 10.0)


# --- home-kit ------------------------------------------------------------------------------

_VERDICT = {
    "": "Your result is within the normal range.",
    "H": "Your result is above the normal range.",
    "HH": "Your result is well above the normal range.",
    "L": "Your result is below the normal range.",
    "LL": "Your result is well below the normal range.",
    "A": "Your result is outside the normal range.",
}
_BAR = (1.4, 5.4)


def _marker(page: Page, value: str, low: float, high: float, y: float) -> None:
    """Where the result falls on the range bar, as a short thick stroke."""
    if not re.fullmatch(r"[\d.]+", value) or high <= low:
        return
    left, right = _BAR
    third = (right - left) / 3
    x = left + third + (float(value) - low) / (high - low) * third
    x = min(max(x, left + 0.05), right - 0.05)
    for dx in (-0.01, 0.0, 0.01):
        page.rules.append((x + dx, y - 0.08, x + dx, y + 0.04))


def home_kit(report: Report) -> list[Page]:
    r = report
    when = f"{r.collected:%B} {r.collected.day}, {r.collected.year}"

    def head(page: Page, number: int, total: int) -> float:
        page.add("homecheck", 0.8, 0.62, 14)
        page.add(f"{r.patient}", 6.0, 0.6, 8.5)
        page.add(f"Sample collected: {when}", 6.0, 0.76, 7.5)
        page.rules.append((0.75, 0.9, 7.7, 0.9))
        if number > 1:
            return 1.2
        page.add("Your Results", 0.8, 1.3, 18)
        page.add("Health & Wellness Blood Panel", 0.8, 1.62, 10)
        page.add(f"Sample collected: {when} · Results ready: {r.reported:%B} "
                 f"{r.reported.day}, {r.reported.year}", 0.8, 1.85, 8.5)  # fmt: skip
        page.add(f"Tested by {r.facility} (CLIA-certified, CAP-accredited)", 0.8, 2.02, 8.5)
        page.add(f"Physician review: {r.provider}", 0.8, 2.19, 8.5)
        return 2.6

    def row(page: Page, index: int, y: float, first: bool) -> float:
        item = report.rows[index]
        shown = f"{item.value} {item.unit}".strip()
        page.add(_named(item.name, 7.6 - 0.8 - width_in(shown, 11) - 0.3, 10.5), 0.8, y, 10.5)
        page.add(shown, 7.6 - width_in(shown, 11), y, 11)
        y += 0.38
        low, _, high = item.reference.partition("-")
        simple = bool(re.fullmatch(r"[\d.]+", low) and re.fullmatch(r"[\d.]+", high))
        if simple:
            left, right = _BAR
            third = (right - left) / 3
            page.rules.append((left, y, right, y))
            for n in range(4):
                x = left + n * third
                page.rules.append((x, y - 0.04, x, y + 0.04))
            for n, word in enumerate(("LOW", "NORMAL", "HIGH")):
                mid = left + (n + 0.5) * third
                page.add(word, mid - width_in(word, 6.5) / 2, y - 0.1, 6.5)
            page.add(low, left + third - width_in(low, 6.5) / 2, y + 0.16, 6.5)
            page.add(high, left + 2 * third - width_in(high, 6.5) / 2, y + 0.16, 6.5)
            _marker(page, item.value, float(low), float(high), y)
            y += 0.34
        else:
            text = f"Reference: {item.reference}" if item.reference else "No reference range"
            page.add(text, 1.4, y - 0.05, 7.5)
            y += 0.12
        page.add(_VERDICT.get(item.flag, _VERDICT["A"]), 0.8, y, 8)
        page.rules.append((0.75, y + 0.14, 7.7, y + 0.14))
        return y + 0.42

    def foot(page: Page, number: int, total: int, y: float) -> None:
        page.add("These results are for informational purposes and are not a diagnosis. "
                 "Talk to your healthcare provider.", 0.8, 10.45, 7)  # fmt: skip
        page.add(f"Page {number} of {total}", 6.95, 10.62, 7)

    return _flow(report, head, row, foot, 10.1)
