"""The consolidated progress report as plain data, built once and rendered many ways.

:func:`build_report` follows the steering group's "Progress updates reported in ..." layout:
per section, each action (ref, title, wording, leads) with every partner's progress update
attributed to that partner; then returns received, who has not returned, overdue actions, the
KPI table for the period's financial year, safeguarding findings and every file not counted
with its reason. Only counted returns (verified, latest revision) contribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from dapreturn.core import analysis
from dapreturn.core.collection import Collection, FileRecord
from dapreturn.core.ledger import Ledger
from dapreturn.core.periods import Period
from dapreturn.core.plan import Plan
from dapreturn.core.returns import Entry


@dataclass(frozen=True)
class Update:
    """One partner's progress update on one action."""

    partner: str
    partner_name: str
    role: str
    status: str
    """Marker and label, e.g. ``G On track`` (never colour alone)."""
    status_id: str
    started: date | None
    target: date | None
    completed: date | None
    responsible: list[str]
    action_taken: str
    next_steps: str
    risks: str
    file: str
    flags: list[str]
    """Safeguarding findings and rule problems for this entry."""


@dataclass(frozen=True)
class ActionBlock:
    """An action of the plan and the updates reported on it."""

    ref: str
    title: str
    text: str
    leads: list[str]
    """Lead partners as ``CODE (Name)``."""
    due: date | None
    headline: str
    """The status it counts under (``No report`` when nobody reported)."""
    updates: list[Update]


@dataclass(frozen=True)
class SectionBlock:
    """A section of the plan with its actions."""

    id: str
    title: str
    actions: list[ActionBlock]
    counts: dict[str, int]
    """Headline status label -> number of actions (including ``No report``)."""


@dataclass(frozen=True)
class ReceivedRow:
    """A counted return."""

    partner: str
    name: str
    prepared_by: str
    revision: int
    submitted_at: datetime | None
    late: bool
    file: str
    problems: list[str]
    review: str
    """The review ledger's decision (empty: none)."""


@dataclass(frozen=True)
class NotReturnedRow:
    """A lead partner without a counted return."""

    partner: str
    name: str
    actions: list[str]
    note: str
    """Files claiming to be its return that were not counted, with why."""


@dataclass(frozen=True)
class OverdueRow:
    """An overdue action."""

    ref: str
    title: str
    leads: list[str]
    statuses: str
    target: date | None
    due: date | None
    basis: str
    days: int


@dataclass(frozen=True)
class KpiRow:
    """One KPI across the quarters of the financial year."""

    id: str
    measure: str
    unit: str
    direction: str
    baseline: float | None
    values: list[dict[str, float]]
    """Per quarter: partner -> figure (quarters after the report's period are left empty)."""
    totals: list[float | None]
    """Per quarter: the total, or ``None`` (no figures, or a unit that is not added up)."""
    verdict: str
    explanation: str


@dataclass(frozen=True)
class NotCountedRow:
    """A file that does not count, and why."""

    file: str
    state: str
    reason: str
    claims: str
    """Who/what the file claims to be (unverified)."""


@dataclass(frozen=True)
class FlagRow:
    """Likely personal data found in a counted return."""

    partner: str
    file: str
    field: str
    kind: str
    message: str


@dataclass(frozen=True)
class Report:
    """Everything a renderer needs; no renderer looks at the collection itself."""

    plan_id: str
    plan_title: str
    period: str
    period_text: str
    as_of: date
    deadline: date
    generated_at: datetime
    trust_source: str
    sections: list[SectionBlock]
    status_labels: list[str]
    """Column order for status counts (plan order, then ``No report``)."""
    received: list[ReceivedRow]
    not_returned: list[NotReturnedRow]
    overdue: list[OverdueRow]
    kpi_periods: list[str]
    kpis: list[KpiRow]
    safeguarding: list[FlagRow]
    not_counted: list[NotCountedRow]

    @property
    def title(self) -> str:
        """``Progress updates reported for 2018/19 Q3``."""
        return f"Progress updates reported for {self.period}"

    def summary(self) -> str:
        """One line: counted, not returned, overdue, not counted."""
        return (
            f"{self.plan_id} {self.period}: {len(self.received)} returns counted, "
            f"{len(self.not_returned)} lead partners not returned, {len(self.overdue)} actions "
            f"overdue, {len(self.not_counted)} files not counted"
        )


def fmt_date(value: date | None) -> str:
    """``31 Mar 2019`` (empty for ``None``)."""
    return f"{value.day} {value:%b %Y}" if value else ""


def fmt_number(value: float | None) -> str:
    """A figure for people (``1,234``, ``12.5``); empty for ``None``."""
    return "" if value is None else analysis.figure_text(value)


NO_REPORT_LABEL = "No report"


def _label(plan: Plan, status_id: str) -> str:
    s = plan.status(status_id)
    return f"{s.marker} {s.label}" if s else status_id or "(none)"


def _update(plan: Plan, rec: FileRecord, entry: Entry) -> Update:
    prefix = f"{entry.ref}."
    flags = [
        f"possible personal data — {f.message}" for f in rec.findings if f.field.startswith(prefix)
    ]
    flags += [str(p) for p in rec.problems if p.ref and p.ref.lower() == entry.ref.lower()]
    return Update(
        rec.partner or "",
        plan.partner_name(rec.partner or ""),
        entry.role,
        _label(plan, entry.status),
        entry.status,
        entry.started,
        entry.target,
        entry.completed,
        list(entry.responsible),
        entry.action_taken,
        entry.next_steps,
        entry.risks,
        rec.rel,
        flags,
    )


def _sections(collection: Collection, plan: Plan, period: Period) -> list[SectionBlock]:
    records = collection.current_records(plan.id, period)
    by_section: dict[str, list[ActionBlock]] = {s.id: [] for s in plan.sections}
    counts: dict[str, dict[str, int]] = {s.id: {} for s in plan.sections}
    for action, entries in analysis.status_matrix(collection, plan, period):
        leads_first = {c: i for i, c in enumerate(action.leads)}
        order = sorted(entries, key=lambda c: (leads_first.get(c, len(leads_first)), c))
        headline = analysis.headline_status(plan, action, entries)
        label = NO_REPORT_LABEL if headline == analysis.NO_REPORT else _label(plan, headline)
        counts[action.section][label] = counts[action.section].get(label, 0) + 1
        leads = [f"{c} ({plan.partner_name(c)})" for c in action.leads]
        updates = [_update(plan, records[c], entries[c]) for c in order]
        block = ActionBlock(
            action.ref, action.title, action.text, leads, action.due, label, updates
        )
        by_section[action.section].append(block)
    return [SectionBlock(s.id, s.title, by_section[s.id], counts[s.id]) for s in plan.sections]


def _not_counted(collection: Collection, plan: Plan, period: Period) -> list[NotCountedRow]:
    rows = []
    by_rel = {r.rel: r for r in collection.files}
    for r in collection.files:
        claims = " ".join(x for x in (r.partner, r.plan, r.period) if x)
        if not r.verified:
            rows.append(NotCountedRow(r.rel, r.state.value, r.reason, claims))
        elif r.superseded_by and r.plan == plan.id and r.period == str(period):
            winner = by_rel[r.superseded_by]
            why = "identical copy of" if winner.sha256 == r.sha256 else "superseded by"
            rows.append(NotCountedRow(r.rel, "superseded", f"{why} {winner.rel}", claims))
    return rows


def build_report(
    collection: Collection,
    plan: Plan,
    period: Period,
    *,
    ledger: Ledger | None = None,
    deadline_days: int = analysis.DEFAULT_DEADLINE_DAYS,
    generated_at: datetime | None = None,
) -> Report:
    """Build the report for ``plan`` and ``period`` from the counted returns of ``collection``."""
    received = []
    flags = []
    for rec in analysis.received(collection, plan, period):
        assert rec.ret is not None
        review = ledger.review(rec.sha256, rec.path.name) if ledger and rec.sha256 else None
        decision = (review.decision or "").replace("_", " ") if review else ""
        received.append(
            ReceivedRow(
                rec.ret.partner,
                plan.partner_name(rec.ret.partner),
                rec.ret.prepared_by,
                rec.ret.revision,
                rec.submitted_at,
                analysis.is_late(rec, deadline_days),
                rec.rel,
                [str(p) for p in rec.problems],
                decision,
            )
        )
        flags += [
            FlagRow(rec.ret.partner, rec.rel, f.field, f.kind.label, f.message)
            for f in rec.findings
        ]
    not_returned = [
        NotReturnedRow(
            n.partner,
            n.name,
            [a.ref for a in n.actions],
            "; ".join(r.message for r in n.unverified),
        )
        for n in analysis.not_returned(collection, plan, period)
    ]
    overdue = [
        OverdueRow(
            o.action.ref,
            o.action.title,
            list(o.action.leads),
            ", ".join(f"{p}: {_label(plan, s)}" for p, s in o.statuses.items()) or NO_REPORT_LABEL,
            o.target,
            o.due,
            o.basis,
            o.days,
        )
        for o in analysis.overdue(collection, plan, period)
    ]
    quarters = [Period(period.year, q) for q in range(1, 5)]
    shown = [q for q in quarters if q <= period]
    kpis = []
    for s in analysis.kpi_series(collection, plan, periods=shown):
        pad = len(quarters) - len(s.points)
        kpis.append(
            KpiRow(
                s.kpi.id,
                s.kpi.measure,
                s.kpi.unit,
                s.kpi.direction,
                s.kpi.baseline,
                [p.values for p in s.points] + [{}] * pad,
                [p.total for p in s.points] + [None] * pad,
                s.verdict,
                s.explanation,
            )
        )
    labels = [f"{s.marker} {s.label}" for s in plan.statuses] + [NO_REPORT_LABEL]
    return Report(
        plan.id,
        plan.title,
        str(period),
        period.describe(),
        period.end,
        analysis.deadline(period, deadline_days),
        generated_at or datetime.now(UTC),
        collection.trust_source or "(none)",
        _sections(collection, plan, period),
        labels,
        received,
        not_returned,
        overdue,
        [str(q) for q in quarters],
        kpis,
        flags,
        _not_counted(collection, plan, period),
    )
