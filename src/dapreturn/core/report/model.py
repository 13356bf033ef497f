"""The consolidated progress report as plain data, built once and rendered many ways.

The :class:`Report` made by :func:`~dapreturn.core.report.build.build_report` follows the steering
group's "Progress updates reported in ..." layout; only counted returns contribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from dapreturn.core.collection.analysis import figure_text
from dapreturn.core.report.table import Marked


@dataclass(frozen=True)
class Update:
    """One partner's progress update on one action."""

    partner: str
    partner_name: str
    role: str
    status: Marked
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
    comment: str = ""
    """The officer's comment on this action in this return (review ledger)."""


@dataclass(frozen=True)
class ActionBlock:
    """An action of the plan and the updates reported on it."""

    ref: str
    title: str
    text: str
    leads: list[str]
    """Lead partners as ``CODE (Name)``."""
    due: date | None
    headline: Marked
    """The status it counts under (:data:`NO_REPORT` when nobody reported)."""
    updates: list[Update]

    @property
    def others(self) -> str:
        """Partners whose status differs from the headline: ``BCT: G On track; CGL: ...``."""
        return "; ".join(
            f"{u.partner}: {u.status}" for u in self.updates if u.status != self.headline
        )


@dataclass(frozen=True)
class SectionBlock:
    """A section of the plan with its actions."""

    id: str
    title: str
    actions: list[ActionBlock]
    counts: dict[Marked, int]
    """Headline status -> number of actions (including :data:`NO_REPORT`)."""


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
    officer: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    """The officer's overall comment on the return."""
    comments: dict[str, str] = field(default_factory=dict)
    """The officer's comments per action ref (or field place)."""


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
    statuses: list[tuple[str, Marked]]
    """Partner -> latest status reported (empty: nobody reported)."""
    target: date | None
    due: date | None
    basis: str
    days: int


@dataclass(frozen=True)
class KpiRow:
    """One KPI across the quarters of the financial year."""

    id: str
    theme: str
    measure: str
    unit: str
    direction: str
    summable: bool
    """Partners' figures add up to a total (see
    :func:`dapreturn.core.collection.analysis.summable`)."""
    baseline: float | None
    target: float | None
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
    status_labels: list[Marked]
    """Column order for status counts (plan order, then ``No report``)."""
    received: list[ReceivedRow]
    not_returned: list[NotReturnedRow]
    overdue: list[OverdueRow]
    kpi_periods: list[str]
    kpis: list[KpiRow]
    safeguarding: list[FlagRow]
    not_counted: list[NotCountedRow]
    headline_rule: str = ""
    """How an action's headline status is chosen from its partners' statuses."""
    attention: list[Marked] = field(default_factory=list)
    """The plan's statuses that need the steering group's attention (coloured amber or red)."""

    @property
    def expected(self) -> int:
        """Returns expected: every lead partner plus any other partner who returned."""
        return len(self.received) + len(self.not_returned)

    @property
    def queries(self) -> list[ReceivedRow]:
        """Counted returns on which the officer raised a query."""
        return [x for x in self.received if x.review == "query raised"]

    @property
    def title(self) -> str:
        """``Progress updates reported for 2018/19 Q3``."""
        return f"Progress updates reported for {self.period}"

    def summary(self) -> str:
        """One line: counted, not returned, overdue, not counted."""
        return (
            f"{self.plan_id} {self.period}: {plural(len(self.received), 'return')} counted, "
            f"{plural(len(self.not_returned), 'lead partner')} not returned, "
            f"{plural(len(self.overdue), 'action')} overdue, "
            f"{plural(len(self.not_counted), 'file')} not counted"
        )


def plural(n: int, word: str) -> str:
    """``1 file``, ``3 files``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def fmt_date(value: date | None) -> str:
    """``31 Mar 2019`` (empty for ``None``)."""
    return f"{value.day} {value:%b %Y}" if value else ""


def fmt_number(value: float | None) -> str:
    """A figure for people (``1,234``, ``12.5``); empty for ``None``."""
    return "" if value is None else figure_text(value)


NO_REPORT = Marked("", "No report")
"""The headline of an action nobody reported on in the period."""
