"""The KPI view: each KPI's baseline and quarterly figures by partner, totals, trend, verdict.

The financial year is the one holding the chosen period; ``[`` and ``]`` move a year. Figures
and the direction-of-travel verdict come from :func:`dapreturn.core.collection.analysis.kpi_series`;
totals are shown only where the unit allows adding up (counts and money).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from dapreturn.core.collection.analysis import KpiPoint, KpiSeries, kpi_series
from dapreturn.core.periods import Period
from dapreturn.core.report.model import fmt_number
from dapreturn.tui.officer.widgets.charts import sparkline
from dapreturn.tui.officer.widgets.stepped import SteppedView

VERDICT_WORDS = {
    "meets": "✓ meets the plan's direction",
    "does not meet": "✗ does not meet the plan's direction",
    "not enough data": "? not enough data to judge",
}
"""The direction-of-travel verdict in words, with a marker."""
_CELL = 10


def trend_value(point: KpiPoint, summable: bool) -> float | None:
    """The figure a quarter is drawn at: the total, or the mean of partners' figures."""
    if not point.values:
        return None
    if summable and point.total is not None:
        return point.total
    return sum(point.values.values()) / len(point.values)


def kpi_text(series: KpiSeries) -> Text:
    """One KPI: heading, a partner-by-quarter table, total, sparkline and verdict."""
    k = series.kpi
    text = Text()
    text.append(f"{k.id}  {k.measure}", style="bold")
    aim = k.direction if k.target is None else f"{k.direction} {fmt_number(k.target)}"
    baseline = fmt_number(k.baseline) if k.baseline is not None else "none"
    text.append(f"\n    unit {k.unit} · aim: {aim} · baseline {baseline}")
    partners = sorted({p for point in series.points for p in point.values})
    width = max([8, *(len(p) for p in partners)]) + 2
    heads = "".join(f"{'Q' + str(pt.period.quarter):>{_CELL}}" for pt in series.points)
    text.append(f"\n    {'Partner':<{width}}{heads}", style="underline")
    if not partners:
        text.append("\n    no figures reported")
    for partner in partners:
        cells = "".join(
            f"{fmt_number(pt.values.get(partner)) or '–':>{_CELL}}" for pt in series.points
        )
        text.append(f"\n    {partner:<{width}}{cells}")
    if series.summable:
        cells = "".join(f"{fmt_number(pt.total) or '–':>{_CELL}}" for pt in series.points)
        text.append(f"\n    {'Total':<{width}}{cells}", style="bold")
    else:
        text.append(f"\n    (no total: {k.unit} figures are not added up)", style="italic")
    values = [trend_value(pt, series.summable) for pt in series.points]
    basis = "totals" if series.summable else "mean of partners' figures"
    text.append(f"\n    Trend {sparkline(values)}  ({basis}, Q1 to Q4; · no data)")
    text.append(f"\n    {VERDICT_WORDS[series.verdict]}", style="bold")
    text.append(f": {series.explanation}")
    return text


class KpiView(SteppedView):
    """Every KPI of the chosen plan for one financial year."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "step(-4)", "Prev year"),
        Binding("right_square_bracket", "step(4)", "Next year"),
    ]

    series: list[KpiSeries] = []  # noqa: RUF012 - replaced, never mutated
    """The KPI series on screen."""

    def compose(self) -> ComposeResult:
        """Heading and the scrollable KPI list."""
        yield Static("", id="kpi-head", classes="view-head")
        with VerticalScroll(id="kpi-body", classes="view-body"):
            yield Static("", id="kpi-list")

    def focus_main(self) -> None:
        """Keyboard scrolls the list."""
        self.query_one("#kpi-body").focus()

    def watch_snapshot(self) -> None:
        """New data: redraw."""
        self._draw()

    def watch_choice(self) -> None:
        """Another plan or year: redraw."""
        self._draw()

    def _draw(self) -> None:
        snapshot, choice = self.snapshot, self.choice
        plan = snapshot.plan(choice.plan_id) if snapshot and choice else None
        head = self.query_one("#kpi-head", Static)
        body = self.query_one("#kpi-list", Static)
        if plan is None or snapshot is None or choice is None:
            self.series = []
            head.update("No plan chosen yet (press p to choose one).")
            body.update("")
            return
        year = choice.period.year
        quarters = [Period(year, q) for q in range(1, 5)]
        self.series = kpi_series(snapshot.collection, plan, periods=quarters)
        fy = choice.period.financial_year
        head.update(
            Text.assemble(
                (f"{plan.id} · KPIs for {fy} (Q1–Q4)", "bold"),
                ("\n[ ]: previous / next year · p: plan and period", "dim"),
            )
        )
        if not self.series:
            body.update("This plan has no KPIs.")
            return
        parts = [kpi_text(s) for s in self.series]
        body.update(Text("\n\n").join(parts))
