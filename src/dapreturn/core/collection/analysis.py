"""The officer's questions, answered from a loaded collection: pure functions, no I/O.

Only counted returns (verified, latest revision) are used. Dates are judged **at the end of the
reporting period** (``as_of`` defaults to ``period.end``), never at "today", so a report for a
past quarter reads the same whenever it is produced.

- *Headline status*: see :data:`HEADLINE_RULE`; each action counts once per section.
- *Overdue*: not done (every partner's latest entry says done), with the latest reported target
  (looking back to earlier periods) or the plan's ``due`` on or before ``as_of``.
- *KPIs*: counts and currency are summed; percentages and plain numbers are not (their unweighted
  mean is used only for the direction of travel). The direction compares the latest quarter with
  the baseline or, without one, the first quarter with data, like for like over the partners
  that reported in both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dapreturn.core.collection.load import Collection, FileRecord, HistoryItem
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Action, Kpi, Plan
from dapreturn.core.returns.model import Entry

NO_REPORT = "no_report"
"""The status key counted for an action nobody reported on in the period."""

DEFAULT_DEADLINE_DAYS = 30
"""A return is late when submitted more than this many days after its period ends."""

Verdict = Literal["meets", "does not meet", "not enough data"]


def deadline(period: Period, days: int = DEFAULT_DEADLINE_DAYS) -> date:
    """The last day a return for ``period`` is on time."""
    return period.end + timedelta(days=days)


def is_late(record: FileRecord, days: int = DEFAULT_DEADLINE_DAYS) -> bool:
    """Whether a verified return was signed after its period's deadline."""
    if record.submitted_at is None or record.period is None:
        return False
    return record.submitted_at.date() > deadline(Period.parse(record.period), days)


@dataclass(frozen=True)
class NotReturned:
    """A lead partner with no counted return for the period."""

    partner: str
    name: str
    actions: list[Action]
    """The actions it leads."""
    unverified: list[FileRecord]
    """Files claiming to be its return for the period that were not counted."""


def not_returned(collection: Collection, plan: Plan, period: Period) -> list[NotReturned]:
    """Lead partners (registry order) with no counted return for ``period``."""
    have = collection.current(plan.id, period)
    leads = {code for a in plan.actions for code in a.leads}
    bad = [r for r in collection.bad_files if r.plan == plan.id and r.period == str(period)]
    return [
        NotReturned(
            p.code, p.name, plan.actions_led_by(p.code), [r for r in bad if r.partner == p.code]
        )
        for p in plan.partners
        if p.code in leads and p.code not in have
    ]


def _latest_entries(
    collection: Collection, plan: Plan, period: Period
) -> dict[str, list[tuple[Period, str, Entry]]]:
    """Per action ref (lower case): each partner's latest entry up to ``period``."""
    latest: dict[tuple[str, str], tuple[Period, str, Entry]] = {}
    for p in collection.periods(plan.id):
        if p > period:
            break
        for partner, ret in collection.current(plan.id, p).items():
            for e in ret.entries:
                latest[(e.ref.lower(), partner)] = (p, partner, e)
    out: dict[str, list[tuple[Period, str, Entry]]] = {}
    for (ref, _), item in sorted(latest.items()):
        out.setdefault(ref, []).append(item)
    return out


@dataclass(frozen=True)
class Overdue:
    """An action past its target or due date at ``as_of`` and not done."""

    action: Action
    target: date | None
    """The latest target any partner reported (``None``: none reported)."""
    due: date | None
    basis: str
    """What has passed: ``target``, ``due`` or ``target and due``."""
    days: int
    """Days past the earliest passed date, at ``as_of``."""
    statuses: dict[str, str]
    """Partner -> status id of their latest entry (empty: never reported)."""
    reported_in: Period | None
    """The latest period any of these entries comes from."""


def overdue(
    collection: Collection, plan: Plan, period: Period, *, as_of: date | None = None
) -> list[Overdue]:
    """Actions (plan order) not done whose latest target or due date is on or before ``as_of``."""
    as_of = as_of or period.end
    latest = _latest_entries(collection, plan, period)
    out = []
    for action in plan.actions:
        items = latest.get(action.ref.lower(), [])
        statuses = {partner: e.status for _, partner, e in items}
        done = bool(items) and all(
            (s := plan.status(st)) is not None and s.done for st in statuses.values()
        )
        targets = [e.target for _, _, e in items if e.target]
        target = max(targets) if targets else None
        passed = [(n, d) for n, d in (("target", target), ("due", action.due)) if d and d <= as_of]
        if done or not passed:
            continue
        basis = " and ".join(n for n, _ in passed)
        days = (as_of - min(d for _, d in passed)).days
        reported = max((p for p, _, _ in items), default=None)
        out.append(Overdue(action, target, action.due, basis, days, statuses, reported))
    return out


HEADLINE_RULE = (
    "An action counts under its lead partner's status (the first lead in the plan's order who "
    "reported); with no lead reporting, under the first partner reporting as lead, then the "
    "first contributor. Where other partners report a different status, they are shown beside it."
)
"""The rule :func:`headline_status` follows, in words for the report."""


def headline_status(plan: Plan, action: Action, entries: dict[str, Entry]) -> str:
    """The status one action counts under, from this period's entries by partner."""
    for code in action.leads:
        if code in entries and entries[code].status:
            return entries[code].status
    for role in ("lead", "contributor"):
        for _, e in sorted(entries.items()):
            if e.role == role and e.status:
                return e.status
    return NO_REPORT


def status_matrix(
    collection: Collection, plan: Plan, period: Period
) -> list[tuple[Action, dict[str, Entry]]]:
    """Every action (plan order) with each reporting partner's entry for ``period``."""
    current = collection.current(plan.id, period)
    rows = []
    for action in plan.actions:
        entries = {}
        for partner, ret in sorted(current.items()):
            entry = ret.entry(action.ref)
            if entry is not None:
                entries[partner] = entry
        rows.append((action, entries))
    return rows


def status_counts_by_section(
    collection: Collection, plan: Plan, period: Period
) -> dict[str, Counter[str]]:
    """Per section id (plan order): how many actions have each headline status or no report."""
    counts: dict[str, Counter[str]] = {s.id: Counter() for s in plan.sections}
    for action, entries in status_matrix(collection, plan, period):
        counts[action.section][headline_status(plan, action, entries)] += 1
    return counts


@dataclass(frozen=True)
class Slip:
    """A partner's target for an action moved later from one period to the next."""

    partner: str
    period: Period
    before: date
    after: date


@dataclass(frozen=True)
class ActionHistory:
    """Everything reported on one action, oldest first, and how often its target slipped."""

    action: Action
    items: list[HistoryItem]
    slips: list[Slip]

    @property
    def slip_count(self) -> int:
        """How many times a target moved later."""
        return len(self.slips)


def action_history(collection: Collection, plan: Plan, ref: str) -> ActionHistory:
    """Every counted entry for ``ref`` across periods and partners, with target slips."""
    action = plan.action(ref)
    if action is None:
        raise DapreturnError(f"{ref!r} is not an action of plan {plan.id}")
    items = collection.history(plan.id, action.ref)
    slips = []
    last: dict[str, date] = {}
    for item in items:
        target = item.entry.target
        before = last.get(item.partner)
        if target and before and target > before:
            slips.append(Slip(item.partner, item.period, before, target))
        if target:
            last[item.partner] = target
    return ActionHistory(action, items, slips)


@dataclass(frozen=True)
class KpiPoint:
    """One quarter of one KPI."""

    period: Period
    values: dict[str, float]
    """Partner -> figure."""
    total: float | None
    """Sum across partners for counts and currency; ``None`` otherwise or when no figures."""


@dataclass(frozen=True)
class KpiSeries:
    """One KPI over a run of quarters, with its direction of travel."""

    kpi: Kpi
    points: list[KpiPoint]
    verdict: Verdict
    explanation: str

    @property
    def summable(self) -> bool:
        """Whether partners' figures are added up (counts and currency)."""
        return summable(self.kpi)


SUMMABLE_UNITS = ("count", "currency")
"""Units whose partners' figures add up to a total; other units (percentages) are not added."""


def summable(kpi: Kpi) -> bool:
    """Whether partners' figures for ``kpi`` are added up (counts and money, never percentages)."""
    return kpi.unit in SUMMABLE_UNITS


def figure_text(value: float) -> str:
    """A figure for people: ``1,234``, ``12.5`` (at most two decimals, never exponent form)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _summary(values: dict[str, float], partners: set[str], summable: bool) -> float:
    picked = [values[p] for p in partners]
    return sum(picked) if summable else sum(picked) / len(picked)


def _direction(kpi: Kpi, points: list[KpiPoint], summable: bool) -> tuple[Verdict, str]:
    """Compare the latest quarter with the baseline (or the first quarter with data)."""
    with_data = [p for p in points if p.values]
    if not with_data:
        return "not enough data", "no figures reported"
    last = with_data[-1]
    if kpi.baseline is not None:
        start, basis = kpi.baseline, "baseline"
        now = _summary(last.values, set(last.values), summable)
    elif len(with_data) >= 2:
        first = with_data[0]
        common = set(first.values) & set(last.values)
        if not common:
            return "not enough data", "no partner reported in both the first and latest quarter"
        start = _summary(first.values, common, summable)
        now = _summary(last.values, common, summable)
        basis = str(first.period)
    else:
        return "not enough data", "figures for one quarter only and no baseline"
    if kpi.direction == "increase":
        ok = now > start
    elif kpi.direction == "reduce":
        ok = now < start
    else:
        target = kpi.target if kpi.target is not None else start
        ok = now >= target if start <= target else now <= target
    word = "total" if summable else "mean of partners' figures"
    aim = f"target {figure_text(kpi.target)}" if kpi.target is not None else kpi.direction
    text = f"{last.period} {word} {figure_text(now)} against {basis} {figure_text(start)} ({aim})"
    return ("meets" if ok else "does not meet"), text


def kpi_series(
    collection: Collection,
    plan: Plan,
    *,
    financial_year: int | None = None,
    periods: Sequence[Period] | None = None,
) -> list[KpiSeries]:
    """Per KPI (plan order): figures by partner for each quarter, totals and direction.

    Give ``financial_year`` (the year it starts: 2018 for 2018/19, meaning Q1-Q4) or ``periods``.
    """
    if periods is None:
        if financial_year is None:
            raise ValueError("give financial_year or periods")
        periods = [Period(financial_year, q) for q in range(1, 5)]
    out = []
    for kpi in plan.kpis:
        adds_up = summable(kpi)
        points = []
        for period in periods:
            values = {
                partner: float(fig.value)
                for partner, ret in sorted(collection.current(plan.id, period).items())
                if (fig := ret.kpi(kpi.id)) is not None and fig.value is not None
            }
            total = sum(values.values()) if adds_up and values else None
            points.append(KpiPoint(period, values, total))
        verdict, text = _direction(kpi, points, adds_up)
        out.append(KpiSeries(kpi, points, verdict, text))
    return out


def received(collection: Collection, plan: Plan, period: Period) -> list[FileRecord]:
    """The counted returns for ``period``, in the plan's partner order (unknown codes last)."""
    order = {p.code: i for i, p in enumerate(plan.partners)}
    records = collection.current_records(plan.id, period).values()
    return sorted(records, key=lambda r: (order.get(r.partner or "", len(order)), r.partner or ""))
