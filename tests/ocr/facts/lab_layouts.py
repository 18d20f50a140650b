"""Fifty-one more lab report layouts, as real labs print them, and a phone photo of a page.

With the four of `lab_pages` they make the fifty-five layouts of bench/extraction.py (LIS
printouts and side-by-side panels in lab_printouts.py, earlier results in lab_history.py,
the second held-out four in lab_unseen.py, the fresh held-out four in lab_fresh.py, the
latest held-out four in lab_latest.py, the newest held-out four in lab_newest.py, the final
held-out four in lab_final.py, the last held-out four in lab_last.py, the seventh held-out
four in lab_seventh.py, four more tuned openly in lab_open.py and four more in lab_open2.py).
HELD_OUT, NEW_HELD_OUT, FRESH_HELD_OUT, LATEST_HELD_OUT, NEWEST_HELD_OUT, FINAL_HELD_OUT,
LAST_HELD_OUT and SEVENTH_HELD_OUT name the layouts nobody tunes extraction on (see their comments).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from lab_final import app_screens, bilan, discharge, spreadsheet
from lab_fresh import analyser, reference_lab, results_review, uk_pathology
from lab_history import cumulative, flowsheet, previous, prior_header, trend
from lab_last import email, home_kit, laudo, provincial
from lab_latest import befund, fax_relay, kenshin, laboratorio
from lab_newest import au_pathology, ccd_print, result_letter, vista
from lab_open import continued, pipe_export, two_line, units_first
from lab_open2 import glued_flag, key_grid, running, timed_rows
from lab_pages import LAYOUTS as BASIC
from lab_pages import Page, Report, Row, _fit, _us, _wrap, page_image, width_in
from lab_parts import LANDSCAPE, _classic_head, _paginate, _step
from lab_printouts import lis_mono, lis_wide, panels_plain, two_panels
from lab_seventh import dialysis, insurance, trial, uitslag
from lab_unseen import boxed, caps_cell, cards, dotted, portal, quest_split, range_first
from PIL import Image, ImageChops, ImageFilter

# --- others --------------------------------------------------------------------------------


def wrapped(report: Report) -> list[Page]:
    """A narrow TEST column whose long names wrap flush under themselves; flags spelled out
    (High, Low) in their own column after the units."""
    size = 9.0
    xs = (0.5, 2.0, 2.85, 3.95, 4.75)
    words = {"H": "High", "L": "Low", "HH": "Crit High", "LL": "Crit Low", "A": "Abnormal"}

    def head(page: Page, r: Report, number: int) -> float:
        y = _classic_head(page, r)
        for x, label in zip(
            xs, ("Test", "Result", "Units", "Flag", "Reference Range"), strict=True
        ):
            page.add(label, x, y, size)
        return y + 1.5 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        names = _wrap(item.name, xs[1] - xs[0] - 0.12)
        for x, text in zip(xs[1:], (item.value, item.unit, words.get(item.flag, item.flag),
                                    item.reference), strict=True):  # fmt: skip
            page.add(text, x, y, size)
        for line in names:
            page.add(line, xs[0], y, size)
            y += _step(size)
        return y + 0.25 * _step(size)

    return _paginate(report, 24, head, row)


def landscape(report: Report) -> list[Page]:
    """A landscape page: TEST | RESULT | FLAG | UNITS | REFERENCE RANGE | LOINC | PERFORMING
    LAB | STATUS, with codes and sites in their own columns."""
    size = 9.0
    xs = (0.5, 3.5, 4.5, 5.1, 6.3, 7.8, 8.8, 10.0)
    labels = ("TEST", "RESULT", "FLAG", "UNITS", "REFERENCE RANGE", "LOINC", "PERFORMING LAB",
              "STATUS")  # fmt: skip

    def head(page: Page, r: Report, number: int) -> float:
        page.add(f"{r.facility} - Final Report", 0.5, 0.6, 14)
        page.add(f"Patient: {r.patient}   DOB: {_us(r.born)}   Patient ID: {r.mrn}", 0.5, 0.95)
        page.add(f"Collected: {_us(r.collected)} 08:15", 0.5, 1.15)
        page.add(f"Reported: {_us(r.reported)}   Accession: {r.accession}", 4.5, 1.15)
        for x, label in zip(xs, labels, strict=True):
            page.add(label, x, 1.55, size)
        return 1.55 + 1.5 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        seed = sum(map(ord, item.name))
        code = f"{1000 + seed * 37 % 90000}-{seed % 10}"
        texts = (_fit(item.name, xs[1] - xs[0] - 0.1, size), item.value, item.flag, item.unit,
                 item.reference, code, "RCL-MAIN", "Final")  # fmt: skip
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        return y + _step(size)

    return _paginate(report, 26, head, row, LANDSCAPE)


def ruled(report: Report) -> list[Page]:
    """A ruled grid: a line under every row, TEST | RESULT | UNITS | REFERENCE RANGE | FLAG
    (scanned as a phone photo in the bench)."""
    size = 10.0
    xs = (0.5, 3.3, 4.3, 5.4, 6.9)

    def head(page: Page, r: Report, number: int) -> float:
        page.add(r.facility, 0.5, 0.6, 15)
        page.add(f"Patient: {r.patient}     Patient ID: {r.mrn}", 0.5, 0.95, size)
        page.add(f"Date of birth: {_us(r.born)}", 5.0, 0.95, size)
        page.add(f"Specimen date: {_us(r.collected)}", 0.5, 1.2, size)
        page.add(f"Report date: {_us(r.reported)}", 5.0, 1.2, size)
        for x, label in zip(
            xs, ("TEST", "RESULT", "UNITS", "REFERENCE RANGE", "FLAG"), strict=True
        ):
            page.add(label, x, 1.7, size)
        page.rules.append((0.45, 1.78, 7.6, 1.78))
        return 1.7 + 1.6 * _step(size)

    def row(page: Page, item: Row, y: float) -> float:
        texts = (
            _fit(item.name, xs[1] - xs[0] - 0.1, size),
            item.value,
            item.unit,
            item.reference if width_in(item.reference, size) < 1.45 else "",
            item.flag,
        )
        for x, text in zip(xs, texts, strict=True):
            page.add(text, x, y, size)
        page.rules.append((0.45, y + 0.08, 7.6, y + 0.08))
        return y + 1.6 * _step(size)

    return _paginate(report, 24, head, row)


LAYOUTS: dict[str, Callable[[Report], list[Page]]] = {
    **BASIC,
    "lis-mono": lis_mono,
    "two-panels": two_panels,
    "previous": previous,
    "cumulative": cumulative,
    "flowsheet": flowsheet,
    "wrapped": wrapped,
    "landscape": landscape,
    "ruled": ruled,
    "cards": cards,  # held out until issue 12's cards fix looked at it
    "range-first": range_first,  # held out until its name and figures were known to a fix
    "boxed": boxed,  # held out until a date fix was written knowing its description and figure
    # tuned openly from the start (lab_open.py):
    "units-first": units_first,
    "two-line": two_line,
    "pipe-export": pipe_export,
    "continued": continued,
    # tuned openly from the start (lab_open2.py):
    "glued-flag": glued_flag,
    "key-grid": key_grid,
    "running": running,
    "timed-rows": timed_rows,
    # held out:
    "lis-wide": lis_wide,
    "panels-plain": panels_plain,
    "prior-header": prior_header,
    "trend": trend,
    # held out, new (lab_unseen.py):
    "quest-split": quest_split,
    "dotted": dotted,
    "caps-cell": caps_cell,
    "portal": portal,
    # held out, fresh (lab_fresh.py):
    "results-review": results_review,
    "reference-lab": reference_lab,
    "uk-pathology": uk_pathology,
    "analyser": analyser,
    # held out, latest (lab_latest.py):
    "fax-relay": fax_relay,
    "befund": befund,
    "laboratorio": laboratorio,
    "kenshin": kenshin,
    # held out, newest (lab_newest.py):
    "result-letter": result_letter,
    "ccd-print": ccd_print,
    "au-pathology": au_pathology,
    "vista": vista,
    # held out, final (lab_final.py):
    "bilan": bilan,
    "discharge": discharge,
    "app-screens": app_screens,
    "spreadsheet": spreadsheet,
    # held out, last (lab_last.py):
    "email": email,
    "laudo": laudo,
    "provincial": provincial,
    "home-kit": home_kit,
    # held out, seventh (lab_seventh.py):
    "dialysis": dialysis,
    "uitslag": uitslag,
    "trial": trial,
    "insurance": insurance,
}

# Layouts nobody tunes extraction on: chosen before any tuning, one per hard kind (fixed
# width, panels side by side, a previous-result column, dates across). While working on
# extraction, look only at their summary figures, never at their pages or per-case misses
# (bench/extraction.py refuses --misses for them).
# Tuned on since stop 21 (their born-digital F1 had stayed at 0.968 with the tuned layouts at
# 0.998: the tuned set showed nothing more to fix), so they are no longer held out; the bench
# still reports them apart, as ONCE_HELD_OUT, to show what tuning on them changed.
ONCE_HELD_OUT = ("lis-wide", "panels-plain", "prior-header", "trend")
HELD_OUT: tuple[str, ...] = ()
# Four more, designed (lab_unseen.py) and committed before they were ever run, after the
# first four had been looked at; reported apart from them. "cards" was looked at for a fix and
# is tuned now; "range-first" replaced it, and was tuned in turn once its name and figures had
# been known when the range-before-value and ISO-date readers were written. "boxed" replaced
# it, committed before it was ever run, and was tuned in turn once a collection-date fix had
# been written knowing its description and its date figure; "portal" replaced it, committed
# before it was ever run. All four are tuned on since 2026-12-07 (their born-digital F1 had
# stayed at 0.979 through two rounds of openly tuned layouts); still reported apart.
NEW_HELD_OUT = ("quest-split", "dotted", "caps-cell", "portal")
# Four fresh ones (lab_fresh.py), written after the first four held out had moved into tuning:
# designed and committed before they were ever run; nobody tunes on them. Reported apart.
FRESH_HELD_OUT = ("results-review", "reference-lab", "uk-pathology", "analyser")
# Four latest ones (lab_latest.py), written after the fresh four had been run: designed and
# committed before they were ever run. Their first run (2026-12-07: scans 0.903, born-digital
# 0.960, dates 0.465: reports from abroad dated by the birth date) was looked at and fixed, so
# they are tuned on since; still reported apart.
LATEST_HELD_OUT = ("fax-relay", "befund", "laboratorio", "kenshin")
# Four newest ones (lab_newest.py), written after the latest four had been committed: designed
# and committed before they were ever run. Their first run (2026-12-07: scans 0.943,
# born-digital 0.972, dates 0.745) was looked at and fixed, so they are tuned on since; still
# reported apart.
NEWEST_HELD_OUT = ("result-letter", "ccd-print", "au-pathology", "vista")
# Four final ones (lab_final.py), written after the newest four had been committed: designed
# and committed before they were ever run. Their first run (2026-12-07: scans 0.937,
# born-digital 0.954, dates 1.000) was looked at and fixed, so they are tuned on since; still
# reported apart.
FINAL_HELD_OUT = ("bilan", "discharge", "app-screens", "spreadsheet")
# Four last ones (lab_last.py), written after the final four had been committed: designed and
# committed before they were ever run. Their first run (2026-12-07: scans 0.825, born-digital
# 0.844: a Brazilian laudo gave nothing) was looked at and fixed, so they are tuned on since;
# still reported apart.
LAST_HELD_OUT = ("email", "laudo", "provincial", "home-kit")
# Four seventh ones (lab_seventh.py), written after the last four had been committed: designed
# and committed before they were ever run; nobody tunes on them. Reported apart.
SEVENTH_HELD_OUT = ("dialysis", "uitslag", "trial", "insurance")

# Layouts that print earlier results: how many earlier dates, and whether those values are
# results the reader must find (cumulative tables) or may find with their own date (a
# previous-result column).
HISTORY: dict[str, tuple[int, bool]] = {
    "previous": (1, False),
    "prior-header": (1, False),
    "cumulative": (2, True),
    "trend": (2, True),
    "flowsheet": (1, True),
}

# Layouts the bench scans as phone photos instead of flatbed scans.
PHOTOGRAPHED = ("ruled",)


def photo_image(page: Page, *, dpi: int = 200, seed: int = 0) -> Image.Image:
    """The page photographed with a phone: on a darker desk, in perspective, lit unevenly
    from one side, slightly soft, JPEG-compressed."""
    rnd = random.Random(seed)
    sheet = page_image(page, dpi=dpi, blur=0.6, noise=0.0005, seed=seed)
    margin = int(0.35 * dpi)
    canvas = Image.new("L", (sheet.width + 2 * margin, sheet.height + 2 * margin), 95)
    canvas.paste(sheet, (margin, margin))
    w, h = canvas.size
    jitter = 0.035
    # Where each corner of the photo samples the flat canvas (a keystone and a little turn).
    source = [
        (rnd.uniform(0, jitter) * w, rnd.uniform(0, jitter) * h),
        (w - rnd.uniform(0, jitter) * w, rnd.uniform(0, jitter) * h),
        (w - rnd.uniform(-jitter, jitter) * w * 0.5, h - rnd.uniform(0, jitter) * h),
        (rnd.uniform(-jitter, jitter) * w * 0.5, h - rnd.uniform(0, jitter) * h),
    ]
    target = [(0, 0), (w, 0), (w, h), (0, h)]
    coeffs = _perspective(target, source)
    photo = canvas.transform((w, h), Image.Transform.PERSPECTIVE, coeffs,
                             Image.Resampling.BICUBIC, fillcolor=95)  # fmt: skip
    # Uneven light: a gradient from one side (70-100% brightness) and a dimmer corner.
    gradient = Image.linear_gradient("L").resize((w, h))
    gradient = gradient.rotate(rnd.choice((0, 90, 180, 270)), expand=False)
    low = rnd.uniform(0.62, 0.75)
    light = gradient.point(lambda v: int(255 * (low + (1 - low) * v / 255)))
    photo = ImageChops.multiply(photo, light)
    photo = photo.filter(ImageFilter.GaussianBlur(rnd.uniform(0.5, 0.9)))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=rnd.randint(70, 85))
    photo = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    photo.info["dpi"] = (dpi, dpi)
    return photo


def _perspective(
    target: list[tuple[float, float]], source: list[tuple[float, float]]
) -> tuple[float, ...]:
    """PIL's perspective coefficients mapping `target` corners to `source` corners."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        vector.append(u)
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector.append(v)
    return tuple(_solve(matrix, vector))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 unknowns; no numpy here)."""
    n = len(vector)
    rows = [[*map(float, r), float(b)] for r, b in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]
