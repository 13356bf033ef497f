"""The KPI figures: for each of the plan's KPIs a value (checked against its unit) and a note.

Enter skips a KPI (keeps the figure as it is); ``-`` clears it. A value that breaks the plan's
rule for its unit (a count must be a whole number, a percentage 0-100) is refused with the rule's
message and asked again.
"""

from __future__ import annotations

import math

from dapreturn.core.plan import Kpi
from dapreturn.core.returns import KpiFigure
from dapreturn.plain.prompts import CLEAR
from dapreturn.plain.session import Session

_DIRECTION = {
    "increase": "higher is better",
    "reduce": "lower is better",
    "target": "aim for the target",
}


def parse_number(answer: str, current: float | None) -> float | None:
    """A KPI figure as typed (``42``, ``1,234``, ``12.5%``, ``£250``); Enter keeps, - clears."""
    if not answer:
        return current
    if answer == CLEAR:
        return None
    cleaned = answer.replace(",", "").removesuffix("%").removeprefix("£").strip()
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{answer!r} is not a number; type digits such as 42 or 12.5") from None
    if not math.isfinite(value):
        raise ValueError(f"{answer!r} is not a number; type digits such as 42 or 12.5")
    return value


def ask_kpi(session: Session, kpi: Kpi, place: str) -> None:
    """One KPI figure: its value, checked against the KPI's unit, then an optional note."""
    console = session.console
    figure = session.ret.kpi(kpi.id)
    if figure is None:
        figure = KpiFigure(id=kpi.id)
        session.ret.kpis = [*session.ret.kpis, figure]
    console.say()
    target = f" Target: {kpi.target:g}." if kpi.target is not None else ""
    how = _DIRECTION[kpi.direction]
    console.say(f"KPI {kpi.id}, {place}: {kpi.measure}. A {kpi.unit}, {how}.{target}")
    while True:
        before = figure.value

        def parse(answer: str, before: float | None = before) -> float | None:
            return parse_number(answer, before)

        value = console.ask_valid(
            f"{kpi.id} value",
            "Type a number, or - to clear it" if before is not None else "Type a number",
            "none" if before is None else f"{before:g}",
            parse,
        )
        if not session.set(figure, "value", value):
            continue
        field = f"kpis.{kpi.id}"
        problems = [p for p in session.problems() if p.field == field]
        if not problems or value == before:
            break
        for problem in problems:
            console.refuse(str(problem))
        session.set(figure, "value", before)
    if figure.value is None and not figure.note:
        return
    while not session.set(figure, "note", console.ask_line(f"{kpi.id} note", figure.note)):
        pass


def walk_kpis(session: Session) -> None:
    """Offer the KPI figures, one by one (Enter skips one)."""
    kpis = session.plan.kpis
    if not kpis:
        return
    session.console.say()
    given = sum(1 for k in session.ret.kpis if k.value is not None)
    session.console.say(
        f"KPI figures. The plan has {len(kpis)}; you have given {given}. Press Enter to skip one."
    )
    if not session.console.ask_yes_no("Give KPI figures now?", default=True):
        return
    for i, kpi in enumerate(kpis, 1):
        ask_kpi(session, kpi, f"{i} of {len(kpis)}")
