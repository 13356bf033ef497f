"""The KPI figures: for each of the plan's KPIs a value (checked against its unit) and a note.

Enter skips a KPI (keeps the figure as it is); ``-`` clears it. Figures are read by
:func:`dapreturn.core.filling.kpis.parse_number`, as in the partner app. A value that breaks
the plan's rule for its unit (a count must be a whole number, a percentage 0-100) is refused
with the rule's message and asked again.
"""

from __future__ import annotations

from dapreturn.core.filling.fields import problem_text
from dapreturn.core.filling.kpis import describe_kpi, number_text
from dapreturn.core.filling.state import Change
from dapreturn.core.plan.model import Kpi
from dapreturn.plain.prompts import CLEAR
from dapreturn.plain.session import Session


def _ask_value(session: Session, kpi: Kpi) -> None:
    """The figure, asked until it is a number that fits the KPI (or Enter keeps it)."""
    console, sheet = session.console, session.fill.kpis
    while True:
        before = sheet.figure(kpi.id).value
        shown = number_text(before) or "none"
        hint = "Type a number, or - to clear it" if before is not None else "Type a number"
        answer = console.ask(f"{kpi.id} value", hint, shown)
        if not answer:
            return
        change = sheet.set_text(kpi.id, "" if answer == CLEAR else answer)
        problems = sheet.problems(kpi.id)
        if change is Change.REFUSED:
            console.refuse(problems[0].message)
            continue
        if not problems or not change.changed:
            return
        for problem in problems:
            console.refuse(problem_text(problem))
        sheet.set_value(kpi.id, before)


def ask_kpi(session: Session, kpi: Kpi, place: str) -> None:
    """One KPI figure: its value, checked against the KPI's unit, then an optional note."""
    console, sheet = session.console, session.fill.kpis
    console.say()
    console.say(f"KPI {kpi.id}, {place}: {kpi.measure}. {describe_kpi(kpi, sep=', ')}.")
    last = sheet.last_time(kpi.id)
    if last:
        console.say(f"{last}.")
    _ask_value(session, kpi)
    session.save()
    figure = sheet.figure(kpi.id)
    if figure.value is None and not figure.note:
        return
    while sheet.set_note(kpi.id, console.ask_line(f"{kpi.id} note", figure.note)) is (
        Change.REFUSED
    ):
        console.refuse(sheet.problems(kpi.id)[-1].message)
    session.save()


def walk_kpis(session: Session) -> None:
    """Offer the KPI figures, one by one (Enter skips one)."""
    kpis = session.plan.kpis
    if not kpis:
        return
    session.console.say()
    session.console.say(
        f"KPI figures. The plan has {len(kpis)}; you have given {session.fill.kpis.given()}. "
        "Press Enter to skip one."
    )
    if not session.console.ask_yes_no("Give KPI figures now?", default=True):
        return
    for i, kpi in enumerate(kpis, 1):
        ask_kpi(session, kpi, f"{i} of {len(kpis)}")
