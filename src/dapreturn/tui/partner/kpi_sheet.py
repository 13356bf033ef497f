"""This period's KPI figures of a return, and what the lead typed that is not a number.

Figures are checked against the plan's rules (a percentage is 0-100, a count a whole number)
one KPI at a time, when the lead leaves its box, and all together on review.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from dapreturn.core.plan import Plan
from dapreturn.core.returns import KpiFigure, Return
from dapreturn.core.rules import Problem, check_return
from dapreturn.tui.partner.fields import clean_message


class KpiSheet:
    """Every plan KPI's figure in ``ret`` (added when missing), edited in place."""

    def __init__(self, plan: Plan, ret: Return, *, today: date) -> None:
        """Edit ``ret``'s KPI figures; ``today`` is passed to the plan's rules."""
        self._plan = plan
        self._ret = ret
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

    def set_value(self, kpi_id: str, value: int | float | None, error: str | None) -> bool:
        """Set a figure (``None`` for blank); ``error`` records text that is not a number."""
        fig = self.figure(kpi_id)
        field = f"kpis.{kpi_id}"
        if error is not None:
            self._typed[field] = error
            return False
        self._typed.pop(field, None)
        if fig.value == value:
            return False
        fig.value = value
        return True

    def set_note(self, kpi_id: str, note: str) -> bool:
        """Set a note; return whether it changed."""
        fig = self.figure(kpi_id)
        field = f"kpis.{kpi_id}.note"
        if fig.note == note:
            return False
        try:
            fig.note = note
        except ValidationError as exc:
            self._typed[field] = clean_message(exc)
            return False
        self._typed.pop(field, None)
        return True

    def problems(self, kpi_id: str) -> list[Problem]:
        """Problems with one figure: unreadable text first, then the plan's rules."""
        field = f"kpis.{kpi_id}"
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
