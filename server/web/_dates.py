"""One way of writing dates on every page: the user's choice, else their browser's language.

Templates write every date and time with the `when` filter (`{{ d | when }}`,
`{{ t | when(time=True) }}`); the styles are the three people meet in practice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from starlette.requests import Request

STYLES = {
    "dmy": "12 Mar 2025",
    "mdy": "Mar 12, 2025",
    "iso": "2025-03-12",
}
# Languages whose own order is year-month-day; English as written in the United States and a
# few other places puts the month first; everyone else reads day-month-year.
_YEAR_FIRST = {"zh", "ja", "ko", "hu", "lt", "sv", "mn", "fr-ca", "en-ca"}
_MONTH_FIRST = {"en-us", "en-ph", "en-as", "en-gu", "en-pr", "en-um", "en-vi", "en-mp"}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def style_from_language(accept_language: str) -> str:
    """The style for a browser's Accept-Language header (its first language)."""
    first = accept_language.split(",")[0].split(";")[0].strip().lower().replace("_", "-")
    if not first or first == "*":
        return "dmy"
    if first in _MONTH_FIRST:
        return "mdy"
    if first in _YEAR_FIRST or first.split("-")[0] in _YEAR_FIRST:
        return "iso"
    return "dmy"


def date_style(request: Request) -> str:
    chosen = str(request.scope.get("kinchart.date_format") or "")
    if chosen in STYLES:
        return chosen
    return style_from_language(request.headers.get("accept-language", ""))


def write(value: Any, style: str, *, time: bool = False) -> str:
    """`value` (a date, a datetime, or an ISO date string) in `style`; '' for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    day = value.date() if isinstance(value, datetime) else value
    if style == "iso":
        text = day.isoformat()
    elif style == "mdy":
        text = f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    else:
        text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if time and isinstance(value, datetime):
        text += f" {value:%H:%M}"
    return text
