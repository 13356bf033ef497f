"""What the partner app is started with, and the small decisions made from it.

:class:`LaunchOptions` carries the command-line answers (or a test's); the helpers turn them into
a plan and period, or a message saying why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dapreturn.core.errors import PeriodError, PlanError
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan import Plan, bundled_plan, bundled_plan_ids, resolve_plan


@dataclass(frozen=True)
class LaunchOptions:
    """What the command line (or a test) asks for; anything ``None`` comes from the config."""

    plan: str | None = None
    """Bundled plan id or plan file."""
    partner: str | None = None
    """Partner code."""
    period: str | None = None
    """Period text, e.g. ``2018/19 Q3``."""
    out_dir: Path | None = None
    """Folder for signed returns."""
    today: date | None = None
    """Pin "today" (tests, demonstrations)."""


def display_path(path: Path) -> str:
    """A folder as the lead best recognises it: relative to here when inside it, else ``~/...``."""
    if not path.is_absolute():
        return f"{path}{'' if str(path).endswith('/') else '/'}"
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return f"{prefix}{path.relative_to(base)}/"
        except ValueError:
            continue
    return str(path)


def resolve_is(plan_ref: str, plan: Plan) -> bool:
    """Whether ``plan_ref`` (id or file) names ``plan``."""
    try:
        return resolve_plan(plan_ref).id == plan.id
    except PlanError:
        return False


def available_plans(current: Plan | None) -> tuple[list[Plan], list[str]]:
    """``current`` and every bundled plan that loads, and a message for each that does not."""
    found = [current] if current is not None else []
    problems: list[str] = []
    for plan_id in bundled_plan_ids():
        try:
            plan = bundled_plan(plan_id)
        except PlanError as exc:
            problems.append(str(exc))
            continue
        if all(p.id != plan.id for p in found):
            found.append(plan)
    return found, problems


def requested_period(plan: Plan, text: str | None) -> tuple[Period | None, str | None]:
    """The period ``text`` names if it is one of ``plan``'s, else ``None`` and why."""
    if not text:
        return None, None
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        return None, str(exc)
    if period not in periods_between(plan.start, plan.end):
        return None, f"{period} is not a period of {plan.title}"
    return period, None
