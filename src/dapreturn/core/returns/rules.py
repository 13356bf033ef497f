"""The rules a return must meet against its plan, in plain English.

:func:`check_return` reports *every* problem at once as :class:`Problem` items that name the
action and the field, so the partner app can show each one beside its field and the review
screen can list them as links. Signing is refused while any problem remains.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from dapreturn.core.dates import describe_date
from dapreturn.core.periods import Period, plan_periods
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import Entry, Return


@dataclass(frozen=True)
class Problem:
    """One broken rule: where it is and what to do about it."""

    ref: str | None
    """The action reference, or ``None`` for the return as a whole (or a KPI)."""
    field: str
    """The field name: ``status``, ``completed``, ``risks``, ``prepared_by``, ``kpis.K1``..."""
    message: str
    """Plain-English explanation, without the place (see :meth:`__str__`)."""

    def __str__(self) -> str:
        """``3l.completed: ...`` or ``prepared_by: ...``."""
        place = f"{self.ref}.{self.field}" if self.ref else self.field
        return f"{place}: {self.message}"


def check_entry(
    entry: Entry, plan: Plan, *, today: date, previous: Entry | None = None
) -> list[Problem]:
    """Every problem with one entry (assumes the entry's ref is checked by the caller)."""
    out: list[Problem] = []

    def add(field: str, message: str) -> None:
        out.append(Problem(entry.ref, field, message))

    status = plan.status(entry.status) if entry.status else None
    if not entry.status:
        add("status", "choose a status")
    elif status is None:
        known = ", ".join(s.label for s in plan.statuses)
        add("status", f"{entry.status!r} is not a status of this plan ({known})")
    if status is not None and status.done:
        if entry.completed is None:
            add("completed", f"give the date it was completed (status is {status.label})")
        elif entry.completed > today:
            add("completed", f"{describe_date(entry.completed)} is in the future")
    elif entry.completed is not None and status is not None:
        add("completed", f"only give a completion date when the status is done, not {status.label}")
    if entry.started and entry.target and entry.target < entry.started:
        add("target", f"target {describe_date(entry.target)} is before the start date")
    if entry.started and entry.completed and entry.completed < entry.started:
        add("completed", "completion date is before the start date")
    needs_action = status.requires_action_taken if status else True
    if needs_action and status is not None and not entry.action_taken.strip():
        add("action_taken", "say what was done this period")
    if status is not None and status.requires_risks and not entry.risks.strip():
        add("risks", f"describe the risks or issues (status is {status.label})")
    was = previous.target if previous else None
    if was and entry.target and entry.target > was and not entry.risks.strip():
        add(
            "risks",
            f"target moved from {describe_date(was)} to {describe_date(entry.target)}: "
            "say why in risks/issues",
        )
    return out


def _kpi_problems(ret: Return, plan: Plan) -> Iterator[Problem]:
    """Problems with the KPI figures: unknown ids, duplicates, values that do not fit."""
    seen: set[str] = set()
    for fig in ret.kpis:
        field = f"kpis.{fig.id}"
        kpi = plan.kpi(fig.id)
        if fig.id in seen:
            yield Problem(None, field, "given twice")
        seen.add(fig.id)
        if kpi is None:
            yield Problem(None, field, f"{fig.id!r} is not a KPI of this plan")
            continue
        if fig.value is None:
            continue
        if kpi.unit == "percent" and not 0 <= fig.value <= 100:
            yield Problem(None, field, f"{fig.value} is not a percentage (0-100)")
        elif kpi.unit == "count" and (fig.value < 0 or fig.value != int(fig.value)):
            yield Problem(None, field, f"{fig.value} is not a count (a whole number, 0 or more)")
        elif kpi.unit == "currency" and fig.value < 0:
            yield Problem(None, field, f"{fig.value} is not an amount of money (0 or more)")


def check_return(
    ret: Return, plan: Plan, *, today: date | None = None, previous: Return | None = None
) -> list[Problem]:
    """Every rule ``ret`` breaks against ``plan`` (empty list: ready to sign)."""
    today = today or date.today()
    out: list[Problem] = []
    if ret.plan != plan.id:
        out.append(Problem(None, "plan", f"return is for plan {ret.plan!r}, not {plan.id!r}"))
    period = Period.parse(ret.period)
    periods = plan_periods(plan.start, plan.end)
    if period not in periods:
        out.append(
            Problem(None, "period", f"{period} is outside the plan ({periods[0]} - {periods[-1]})")
        )
    if period.start > today:
        out.append(Problem(None, "period", f"{period} has not started yet"))
    if plan.partner(ret.partner) is None:
        out.append(Problem(None, "partner", f"{ret.partner!r} is not in the plan's registry"))
    if not ret.prepared_by.strip():
        out.append(Problem(None, "prepared_by", "say who prepared the return (name, role)"))
    seen: set[str] = set()
    for entry in ret.entries:
        key = entry.ref.lower()
        action = plan.action(entry.ref)
        if key in seen:
            out.append(Problem(entry.ref, "ref", "this action has two entries"))
            continue
        seen.add(key)
        if action is None:
            out.append(Problem(entry.ref, "ref", f"{entry.ref!r} is not an action of this plan"))
            continue
        if entry.role == "lead" and ret.partner not in action.leads:
            out.append(
                Problem(
                    entry.ref,
                    "role",
                    f"{ret.partner} is not a lead of {action.ref}; report it as a contributor",
                )
            )
        prev = previous.entry(entry.ref) if previous else None
        out.extend(check_entry(entry, plan, today=today, previous=prev))
    for action in plan.actions_led_by(ret.partner):
        if action.ref.lower() not in seen:
            out.append(Problem(action.ref, "ref", f"no entry for {action.ref}, which you lead"))
    out.extend(_kpi_problems(ret, plan))
    return out
