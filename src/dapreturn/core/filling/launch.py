"""What a fill run is started with, and the small decisions made from it.

:class:`LaunchOptions` carries the command-line answers (or a test's) for the partner app; the
helpers turn them into a plan and period, or a message saying why not. The plain mode checks a
period with the same :func:`period_problem`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dapreturn.core.errors import PeriodError, PlanError
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan.model import Partner, Plan, bundled_plan, bundled_plan_ids, resolve_plan


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


def plan_to_remember(choice: str) -> str:
    """What to remember of the plan chosen: a bundled id as it is, a plan file by full path
    (so it is found again from any folder)."""
    path = Path(choice)
    return str(path.resolve()) if path.suffix == ".toml" or path.is_file() else choice


def find_partners(plan: Plan, text: str) -> list[Partner]:
    """The partner whose code is ``text``, else those with every word of it in their code,
    name or aliases (``women's aid`` finds BSWA)."""
    words = text.casefold().split()
    exact = [p for p in plan.partners if p.code.casefold() == text.strip().casefold()]
    if exact:
        return exact
    hay = {p.code: " ".join([p.code, p.name, *p.aliases]).casefold() for p in plan.partners}
    return [p for p in plan.partners if all(w in hay[p.code] for w in words)]


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


def period_problem(plan: Plan, period: Period, today: date | None = None) -> str | None:
    """Why ``period`` cannot be reported on (outside the plan, not started yet), or ``None``."""
    periods = periods_between(plan.start, plan.end)
    if period not in periods:
        return f"{period} is outside the plan ({periods[0]} to {periods[-1]})"
    if period.start > (today or date.today()):
        return f"{period} has not started yet"
    return None


def requested_period(
    plan: Plan, text: str | None, today: date | None = None
) -> tuple[Period | None, str | None]:
    """The period ``text`` names if ``plan`` reports on it, else ``None`` and why."""
    if not text:
        return None, None
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        return None, str(exc)
    problem = period_problem(plan, period, today)
    return (None, problem) if problem else (period, None)
