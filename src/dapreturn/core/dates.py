"""Dates as people type them into a form.

Partner leads write ``2019-03-31``, ``31/03/2019``, ``31 Mar 2019`` or ``31 March 2019``. UK
order is assumed for slashes (day first). :func:`parse_date` returns the date it understood or
raises :class:`DateInputError` saying plainly what is wrong, and :func:`describe_date` shows a
date back unambiguously (``Sun 31 Mar 2019``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from dapreturn.core.errors import DateInputError

MIN_YEAR = 1990
"""Earliest year accepted for a plan date."""
MAX_YEAR = 2099
"""Latest year accepted for a plan date."""

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")

HINT = "write it like 31/03/2019, 2019-03-31 or 31 Mar 2019"
"""The forms accepted, as shown in messages."""


def _build(text: str, year: int, month: int, day: int) -> date:
    """Make a date, explaining an impossible day, month or year in plain words."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateInputError(f"{text!r}: the year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise DateInputError(f"{text!r}: there is no month {month}; {HINT}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateInputError(
            f"{text!r}: {calendar.month_name[month]} {year} has {last} days, not {day}"
        )
    return date(year, month, day)


def parse_date(text: str) -> date:
    """Parse a typed date; raise :class:`DateInputError` with the reason when it is not one."""
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise DateInputError(f"no date given; {HINT}")
    if m := _ISO.match(cleaned):
        return _build(cleaned, int(m[1]), int(m[2]), int(m[3]))
    if m := _UK.match(cleaned):
        return _build(cleaned, int(m[3]), int(m[2]), int(m[1]))
    if m := _WORDS.match(cleaned):
        month = _MONTHS.get(m[2].lower())
        if month is None:
            raise DateInputError(f"{cleaned!r}: {m[2]!r} is not a month name; {HINT}")
        return _build(cleaned, int(m[3]), month, int(m[1]))
    raise DateInputError(f"{cleaned!r} is not a date; {HINT}")


def describe_date(day: date) -> str:
    """Unambiguous display form, e.g. ``Sun 31 Mar 2019``."""
    return f"{day:%a} {day.day} {day:%b %Y}"
