"""The printed summary: one or two pages (A4 or Letter) of what a clinician is shown, as a PDF.

WeasyPrint lays out `templates/print/summary.html` (the same `health/_clinician.html` partial
as the share page) with `server/static/print.css`, the stylesheet the browser also uses when
the Summary page is printed. Layout is CPU work: it runs in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import segno

from server.health.clinician import ClinicianSummary, Entry, clinician_summary
from server.health.records import FactRow

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PRINT_CSS = ROOT / "server" / "static" / "print.css"
PAGE_SIZES = {"a4": "A4", "letter": "letter"}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.StrictUndefined,
)


async def summary_pdf(
    profile_id: int,
    *,
    share_url: str | None = None,
    now: datetime | None = None,
    page_size: str = "a4",
    document_ids: list[int] | None = None,
    facts: list[FactRow] | None = None,
) -> bytes:
    """The printed summary of a profile (from `facts` when already read, as
    `clinician_summary` takes them). The caller has checked access to it."""
    moment = now or datetime.now(UTC)
    summary = await clinician_summary(
        profile_id, now=moment, document_ids=document_ids, facts=facts
    )
    html = render_html(summary, moment, share_url=share_url, page_size=page_size)
    return await asyncio.to_thread(_pdf, html)


def render_html(
    summary: ClinicianSummary,
    moment: datetime,
    *,
    share_url: str | None = None,
    page_size: str = "a4",
) -> str:
    qr = None
    if share_url:
        qr = segno.make(share_url, error="m", micro=False).svg_data_uri(scale=3, border=2)
    context: dict[str, Any] = {
        "summary": summary,
        "printed": moment,
        "share_url": share_url,
        "qr": qr,
        "page_size": PAGE_SIZES.get(page_size.lower(), "A4"),
        "citation_url": _no_link,
    }
    return _env.get_template("print/summary.html").render(context)


def _no_link(entry: Entry) -> None:
    """On paper, citations are named (document, page, date), not linked."""
    return None


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it loads Pango, ~40 MB, only when printing

    document = HTML(string=html, base_url=str(TEMPLATES))
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))]))
