"""This period's KPI figures of a return, and the one reader of typed figures.

:func:`parse_number` reads what the lead types (``1,234``, ``42%``, ``£1,500.50``) in both
front ends. :class:`KpiSheet` keeps text that is not a number as a problem at that KPI and checks
figures against the plan's rules (a percentage is 0-100, a count a whole number) one KPI at a
time.
"""

from __future__ import annotations

import math
from datetime import date

from pydantic import ValidationError

from dapreturn.core.filling.fields import clean_message
from dapreturn.core.filling.places import Place
from dapreturn.core.filling.state import Change
from dapreturn.core.plan.model import Kpi, Plan
from dapreturn.core.returns.model import KpiFigure, Return
from dapreturn.core.returns.rules import Problem, check_return

UNIT_WORDS = {
    "count": "a count (whole number)",
    "percent": "a percentage (0-100)",
    "number": "a number",
    "currency": "an amount in £",
}
"""How each unit is described to the lead."""

UNIT_EXAMPLES = {
    "count": "a whole number, like 42",
    "percent": "a percentage, like 42 or 12.5%",
    "number": "a number, like 42 or 12.5",
    "currency": "an amount, like £1,500 or 1500.50",
}
"""How to write a figure of each unit, for the message when it is not a number."""

AIM_WORDS = {"increase": "aim: increase", "reduce": "aim: reduce", "target": "aim: target"}
"""How each direction is described to the lead."""


def parse_number(text: str, unit: str = "number") -> int | float | None:
    """Read a typed figure: ``1,234``, ``42%``, ``£1,500.50``; blank is ``None``.

    Raises :class:`ValueError` with a plain message when the text is not a number, saying how
    to write one of the KPI's ``unit`` (a count: "a whole number, like 42").
    """
    cleaned = text.strip().replace(",", "").removeprefix("£").removesuffix("%").strip()
    if not cleaned:
        return None
    example = UNIT_EXAMPLES.get(unit, UNIT_EXAMPLES["number"])
    problem = f"{text.strip()!r} is not a number; write {example}"
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(problem) from None
    if not math.isfinite(value):
        raise ValueError(problem)
    return int(value) if value.is_integer() and "." not in cleaned else value


def number_text(value: int | float | None) -> str:
    """How a stored figure is shown for editing."""
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def describe_kpi(kpi: Kpi, *, sep: str = " · ") -> str:
    """What is asked for: ``Give a percentage (0-100) · aim: increase 80``."""
    aim = AIM_WORDS[kpi.direction]
    if kpi.target is not None:
        aim += f" {kpi.target:g}"
    return f"Give {UNIT_WORDS[kpi.unit]}{sep}{aim}"


class KpiSheet:
    """Every plan KPI's figure in ``ret`` (added when missing), edited in place."""

    def __init__(
        self, plan: Plan, ret: Return, *, today: date, previous: Return | None = None
    ) -> None:
        """Edit ``ret``'s KPI figures; ``today`` is passed to the plan's rules; ``previous`` is
        last period's signed return (its figures are shown beside this period's)."""
        self._plan = plan
        self._ret = ret
        self._previous = previous
        self._today = today
        self._typed: dict[str, str] = {}
        for kpi in plan.kpis:
            if ret.kpi(kpi.id) is None:
                ret.kpis.append(KpiFigure(id=kpi.id))

    def figure(self, kpi_id: str) -> KpiFigure:
        """The figure for ``kpi_id`` (every plan KPI has one)."""
        found = self._ret.kpi(kpi_id)
        if found is None:
            raise KeyError(kpi_id)
        return found

    def given(self) -> int:
        """How many figures are filled in."""
        return sum(1 for f in self._ret.kpis if f.value is not None)

    def summary(self) -> str:
        """``3 of 8 given``."""
        return f"{self.given()} of {len(self._ret.kpis)} given"

    def last_time(self, kpi_id: str) -> str:
        """Last period's figure, in words: ``Last period (2018/19 Q2): 40 (note)``; ``""`` when
        there is no signed return for last period to compare with."""
        if self._previous is None:
            return ""
        old = self._previous.kpi(kpi_id)
        shown = number_text(old.value) if old is not None else ""
        if old is not None and old.value is not None and old.note:
            shown += f" ({old.note})"
        return f"Last period ({self._previous.period}): {shown or 'not given'}"

    def set_text(self, kpi_id: str, text: str) -> Change:
        """Set a figure from what was typed (blank clears it); text that is no number is kept
        as a problem at that KPI."""
        field = str(Place("value", kpi=kpi_id))
        kpi = self._plan.kpi(kpi_id)
        try:
            value = parse_number(text, kpi.unit if kpi is not None else "number")
        except ValueError as exc:
            self._typed[field] = str(exc)
            return Change.REFUSED
        return self.set_value(kpi_id, value)

    def set_value(self, kpi_id: str, value: int | float | None) -> Change:
        """Set a figure (``None`` for blank)."""
        fig = self.figure(kpi_id)
        self._typed.pop(str(Place("value", kpi=kpi_id)), None)
        if fig.value == value and type(fig.value) is type(value):
            return Change.UNCHANGED
        fig.value = value
        return Change.CHANGED

    def set_note(self, kpi_id: str, note: str) -> Change:
        """Set a note (a note the model refuses is kept as a problem at that note)."""
        fig = self.figure(kpi_id)
        field = str(Place("note", kpi=kpi_id))
        if fig.note == note:
            return Change.UNCHANGED
        try:
            fig.note = note
        except ValidationError as exc:
            self._typed[field] = clean_message(exc)
            return Change.REFUSED
        self._typed.pop(field, None)
        return Change.CHANGED

    def problems(self, kpi_id: str) -> list[Problem]:
        """Problems with one figure: unreadable text first, then the plan's rules."""
        field = str(Place("value", kpi=kpi_id))
        typed = [
            Problem(None, f, m) for f, m in self._typed.items() if f in (field, f"{field}.note")
        ]
        if field in self._typed:
            return typed
        probe = Return(
            plan=self._ret.plan,
            period=self._ret.period,
            partner=self._ret.partner,
            kpis=[self.figure(kpi_id)],
        )
        ruled = check_return(probe, self._plan, today=self._today)
        return typed + [p for p in ruled if p.field == field]
