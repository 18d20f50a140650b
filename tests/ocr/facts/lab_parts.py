"""Pieces the layouts of lab_layouts.py share: paging, headers, printed forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lab_pages import PAGE_IN, Page, Report, Row, _us

LANDSCAPE = (PAGE_IN[1], PAGE_IN[0])


def _step(size: float) -> float:
    return size * 1.5 / 72


def _last_first(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}".upper() if len(parts) > 1 else name.upper()


def _short(day: date) -> str:
    return f"{day.month}/{day.day}/{day:%y}"


def _earlier(row: Row, index: int) -> str:
    return row.earlier[index] if index < len(row.earlier) else ""


def _flagged(value: str, flag: str) -> str:
    return f"{value} {flag}".strip() if value else ""


def _paginate(
    report: Report,
    per_page: int,
    head: Callable[[Page, Report, int], float],
    row: Callable[[Page, Row, float], float],
    size: tuple[float, float] = PAGE_IN,
    bottom: float | None = None,
) -> list[Page]:
    pages = []
    rows = report.rows
    bottom = bottom if bottom is not None else size[1] - 0.7
    for number, start in enumerate(range(0, max(1, len(rows)), per_page), 1):
        page = Page(size=size)
        y = head(page, report, number)
        for item in rows[start : start + per_page]:
            y = row(page, item, y)
        page.add(f"Printed {_us(report.printed)}   Page {number}", 0.6, bottom + 0.3, 7.5)
        pages.append(page)
    return pages


def _classic_head(page: Page, r: Report, size: float = 9.0) -> float:
    page.add(r.facility, 0.5, 0.6, 14)
    page.add(f"Patient: {r.patient}", 0.5, 0.95, size)
    page.add(f"DOB: {_us(r.born)}", 3.3, 0.95, size)
    page.add(f"Patient ID: {r.mrn}", 5.3, 0.95, size)
    page.add(f"Collected: {_us(r.collected)} 08:15", 0.5, 1.15, size)
    page.add(f"Received: {_us(r.collected)}", 3.3, 1.15, size)
    page.add(f"Accession: {r.accession}", 5.3, 1.15, size)
    page.add(f"Ordering Physician: {r.provider}", 0.5, 1.35, size)
    return 1.75
