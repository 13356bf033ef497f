"""Reporting periods: UK financial-year quarters.

The UK financial year runs 1 April to 31 March, so ``"2018/19 Q3"`` is 1 October to 31 December
2018 and ``"2018/19 Q4"`` is 1 January to 31 March 2019. People type periods in several ways
(``2018/19 Q3``, ``2018-19 Q3``, ``Q3 2018/19``, ``2018/2019 Q3``); :meth:`Period.parse` accepts
them all and :class:`Period` always prints the one canonical form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dapreturn.core.errors import PeriodError

_FY = r"(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2}|\d{4})"
_Q = r"Q\s*(?P<q>[1-4])"
_FORMS = (
    re.compile(rf"^{_FY}\s*[ _-]?\s*{_Q}$", re.IGNORECASE),
    re.compile(rf"^{_Q}\s*[ _-]?\s*(?:FY\s*)?{_FY}$", re.IGNORECASE),
)
_QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}


@dataclass(frozen=True, order=True)
class Period:
    """One quarter of a UK financial year: ``year`` is the year the financial year starts."""

    year: int
    """The calendar year in which the financial year starts (2018 for 2018/19)."""
    quarter: int
    """1 (Apr-Jun), 2 (Jul-Sep), 3 (Oct-Dec) or 4 (Jan-Mar)."""

    def __post_init__(self) -> None:
        """Refuse quarters outside 1-4 and years outside a sane range."""
        if not 1 <= self.quarter <= 4:
            raise PeriodError(f"quarter {self.quarter} is not 1-4")
        if not 1900 <= self.year <= 2998:
            raise PeriodError(f"financial year {self.year} is out of range")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse the forms people type; raise :class:`PeriodError` saying what is expected."""
        cleaned = " ".join(text.strip().split())
        for form in _FORMS:
            m = form.match(cleaned)
            if m is None:
                continue
            y1 = int(m["y1"])
            y2 = int(m["y2"])
            expected = (y1 + 1) % 100 if len(m["y2"]) == 2 else y1 + 1
            if y2 != expected:
                raise PeriodError(
                    f"{text!r}: a financial year runs into the next year, "
                    f"e.g. {y1}/{(y1 + 1) % 100:02d}"
                )
            try:
                return cls(y1, int(m["q"]))
            except PeriodError as exc:
                raise PeriodError(f"{text!r}: {exc}") from None
        raise PeriodError(f"{text!r} is not a reporting period; write it like 2018/19 Q3")

    @classmethod
    def containing(cls, day: date) -> Period:
        """The quarter that contains ``day``."""
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def just_ended(cls, today: date | None = None) -> Period:
        """The last quarter that has fully ended on ``today`` (the one a return is usually for)."""
        return cls.containing(today or date.today()).previous()

    @property
    def start(self) -> date:
        """First day of the quarter."""
        month = _QUARTER_START_MONTH[self.quarter]
        return date(self.year + (1 if self.quarter == 4 else 0), month, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        return self.next().start - timedelta(days=1)

    @property
    def financial_year(self) -> str:
        """The financial year as ``2018/19``."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        """File-name form: ``2018-19-Q3``."""
        return f"{self.year}-{(self.year + 1) % 100:02d}-Q{self.quarter}"

    def previous(self) -> Period:
        """The quarter before this one."""
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def next(self) -> Period:
        """The quarter after this one."""
        if self.quarter == 4:
            return Period(self.year + 1, 1)
        return Period(self.year, self.quarter + 1)

    def describe(self) -> str:
        """Human text: ``2018/19 Q3 (1 Oct - 31 Dec 2018)``."""
        s, e = self.start, self.end
        return f"{self} ({s.day} {s:%b} - {e.day} {e:%b %Y})"

    def __str__(self) -> str:
        """Canonical form: ``2018/19 Q3``."""
        return f"{self.financial_year} Q{self.quarter}"


def periods_between(start: date, end: date) -> list[Period]:
    """Every quarter that overlaps the span ``start``..``end`` (a plan's periods), in order."""
    return list(plan_periods(start, end))


@functools.lru_cache(maxsize=64)
def plan_periods(start: date, end: date) -> tuple[Period, ...]:
    """:func:`periods_between` as a tuple, remembered (the rules ask for every return)."""
    if end < start:
        return ()
    out = []
    p = Period.containing(start)
    last = Period.containing(end)
    while p <= last:
        out.append(p)
        p = p.next()
    return tuple(out)
