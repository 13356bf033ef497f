"""The period dashboard: who has not returned, what is overdue, counts by status, every action.

Figures come straight from :mod:`dapreturn.core.collection.analysis` for the chosen plan and period
(:class:`~dapreturn.core.review.snapshot.Choice`); this module only turns them into words.
Statuses are always shown as the plan's marker and label (``G On track``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from dapreturn.core.collection import analysis
from dapreturn.core.collection.load import FileRecord
from dapreturn.core.plan.model import Action, Plan
from dapreturn.core.report.model import fmt_date
from dapreturn.core.returns.model import Entry
from dapreturn.core.review.snapshot import Choice, Snapshot
from dapreturn.tui.officer.widgets.charts import Bar, BarChart, BarGroup
from dapreturn.tui.officer.widgets.stepped import SteppedView


def status_words(plan: Plan, status_id: str) -> str:
    """``G On track``; ``– No report``; the raw id when the plan does not know it."""
    if status_id == analysis.NO_REPORT:
        return "– No report"
    status = plan.status(status_id)
    return f"{status.marker} {status.label}" if status else (status_id or "(no status)")


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboard shows for one plan and period, straight from core.analysis."""

    plan: Plan
    choice: Choice
    not_returned: list[analysis.NotReturned]
    overdue: list[analysis.Overdue]
    counts: dict[str, dict[str, int]]
    """Section id -> status id (or ``no_report``) -> actions."""
    matrix: list[tuple[Action, dict[str, Entry]]]
    received: list[FileRecord]


def figures(snapshot: Snapshot, choice: Choice) -> DashboardFigures | None:
    """Compute the dashboard's figures (``None`` when the plan is not known)."""
    plan = snapshot.plan(choice.plan_id)
    if plan is None:
        return None
    c, p = snapshot.collection, choice.period
    return DashboardFigures(
        plan,
        choice,
        analysis.not_returned(c, plan, p),
        analysis.overdue(c, plan, p),
        {k: dict(v) for k, v in analysis.status_counts_by_section(c, plan, p).items()},
        analysis.status_matrix(c, plan, p),
        analysis.received(c, plan, p),
    )


def summary_text(f: DashboardFigures) -> Text:
    """Returns counted, late, lead partners missing, overdue actions."""
    leads = {code for a in f.plan.actions for code in a.leads}
    got = [r.partner or "?" for r in f.received]
    late = [r.partner or "?" for r in f.received if analysis.is_late(r)]
    text = Text()
    text.append(f"{len(f.received)} returns counted", style="bold")
    text.append(f" ({', '.join(got) or 'none'})")
    text.append(f"; {len(leads) - len(f.not_returned)} of {len(leads)} lead partners returned")
    text.append(f"; {len(f.overdue)} actions overdue")
    if late:
        text.append(f"; late (after {fmt_date(analysis.deadline(f.choice.period))}): ")
        text.append(", ".join(late), style="bold")
    return text


def missing_text(f: DashboardFigures) -> Text:
    """One block per lead partner with no counted return, and files that did not count."""
    if not f.not_returned:
        return Text("✓ Every lead partner has a verified return for this period.")
    text = Text()
    for i, n in enumerate(f.not_returned):
        if i:
            text.append("\n")
        text.append(f"✗ {n.partner}", style="bold")
        refs = ", ".join(a.ref for a in n.actions)
        text.append(f"  {n.name} — leads {refs}")
        for rec in n.unverified:
            text.append(f"\n    file not counted: {rec.message}", style="italic")
    return text


def overdue_words(o: analysis.Overdue) -> str:
    """``target 30 Nov 2018 passed 31 days before the period ended``."""
    if o.basis == "target and due" and o.target == o.due:
        passed = f"target and due {fmt_date(o.due)}"
    else:
        dates = {"target": o.target, "due": o.due}
        passed = " and ".join(f"{n} {fmt_date(dates[n])}" for n in o.basis.split(" and "))
    if o.days == 0:
        return f"{passed}: the last day of the period"
    return f"{passed} passed {o.days} day{'' if o.days == 1 else 's'} before the period ended"


def overdue_text(f: DashboardFigures) -> Text:
    """One line per overdue action: what passed, by how long, what partners last said."""
    if not f.overdue:
        return Text("✓ Nothing overdue at the end of the period.")
    text = Text()
    for i, o in enumerate(f.overdue):
        if i:
            text.append("\n")
        text.append(f"! {o.action.ref:<5}", style="bold")
        text.append(f"{o.action.title} — ")
        text.append(overdue_words(o))
        said = "; ".join(f"{p}: {status_words(f.plan, s)}" for p, s in o.statuses.items())
        text.append(f"\n       {said or 'never reported'}")
        if o.reported_in is not None and o.reported_in != f.choice.period:
            text.append(f" (as of {o.reported_in})", style="italic")
    return text


def chart_groups(f: DashboardFigures) -> tuple[BarGroup, ...]:
    """Bars per section: each status with at least one action, then "no report"."""
    groups = []
    for section in f.plan.sections:
        counts = f.counts.get(section.id, {})
        bars = [
            Bar(s.marker, s.label, counts[s.id], s.colour)
            for s in f.plan.statuses
            if counts.get(s.id)
        ]
        if counts.get(analysis.NO_REPORT):
            bars.append(Bar("–", "No report", counts[analysis.NO_REPORT]))
        total = sum(counts.values())
        groups.append(BarGroup(f"{section.id} {section.title} ({total} actions)", tuple(bars)))
    return tuple(groups)


def actions_text(f: DashboardFigures) -> Text:
    """Every action with its headline status and each reporting partner's status."""
    text = Text()
    for i, (action, entries) in enumerate(f.matrix):
        if i:
            text.append("\n")
        headline = analysis.headline_status(f.plan, action, entries)
        text.append(f"{action.ref:<5}", style="bold")
        text.append(f"{action.title}: ")
        text.append(status_words(f.plan, headline), style="bold")
        if entries:
            said = " · ".join(
                f"{p} ({e.role}): {status_words(f.plan, e.status)}" for p, e in entries.items()
            )
            text.append(f"\n     {said}")
    return text


class DashboardView(SteppedView):
    """Everything about one plan and period, as one scrollable page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "step(-1)", "Prev period"),
        Binding("right_square_bracket", "step(1)", "Next period"),
    ]

    figures: DashboardFigures | None = None
    """The figures on screen (for tests and the export)."""

    def compose(self) -> ComposeResult:
        """A heading line and the scrollable page."""
        yield Static("", id="dash-head", classes="view-head")
        with VerticalScroll(id="dash-body", classes="view-body"):
            yield Static("", id="dash-summary")
            yield Static("Who has not returned", classes="heading")
            yield Static("", id="dash-missing")
            yield Static("Overdue (target or due date passed, not done)", classes="heading")
            yield Static("", id="dash-overdue")
            yield Static("Actions by status, per section", classes="heading")
            yield BarChart(id="dash-chart")
            yield Static(
                "Every action: headline status and what each partner said", classes="heading"
            )
            yield Static("", id="dash-actions")

    def watch_snapshot(self) -> None:
        """New data: redraw."""
        self._draw()

    def watch_choice(self) -> None:
        """Another plan or period: redraw."""
        self._draw()

    def focus_main(self) -> None:
        """Keyboard scrolls the page."""
        self.query_one("#dash-body").focus()

    def _draw(self) -> None:
        snapshot, choice = self.snapshot, self.choice
        f = figures(snapshot, choice) if snapshot and choice else None
        self.figures = f
        head = self.query_one("#dash-head", Static)
        if f is None:
            head.update("No plan and period to show yet (press p to choose one).")
            for part in ("#dash-summary", "#dash-missing", "#dash-overdue", "#dash-actions"):
                self.query_one(part, Static).update("")
            self.query_one(BarChart).groups = ()
            return
        head.update(
            Text.assemble(
                (f"{f.plan.id} · {f.choice.period.describe()}", "bold"),
                ("\np: choose plan and period · [ ]: previous / next period · e: export", "dim"),
            )
        )
        self.query_one("#dash-summary", Static).update(summary_text(f))
        self.query_one("#dash-missing", Static).update(missing_text(f))
        self.query_one("#dash-overdue", Static).update(overdue_text(f))
        self.query_one(BarChart).groups = chart_groups(f)
        self.query_one("#dash-actions", Static).update(actions_text(f))
