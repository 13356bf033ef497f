"""The KPI screen: every KPI of the plan with this period's figure and a note."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from dapreturn.core.filling.kpis import number_text
from dapreturn.core.filling.session import FillSession
from dapreturn.tui.partner.autosave import Autosaver, SaveState
from dapreturn.tui.widgets.kpi_row import KpiRow
from dapreturn.tui.widgets.status_bar import StatusBar


class KpiScreen(Screen[None]):
    """Enter the period's KPI figures; each is checked when the lead leaves it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f2", "back", "Back to actions"),
        Binding("ctrl+s", "save_now", "Save the draft now", show=False),
    ]

    def __init__(
        self, session: FillSession, autosaver: Autosaver, *, focus_kpi: str | None = None
    ) -> None:
        """Edit ``session``'s KPI figures, starting at ``focus_kpi`` if given."""
        super().__init__()
        self._focus_kpi = focus_kpi
        self.session = session
        """The return being filled in."""
        self.autosaver = autosaver
        """Saves the draft after each change."""

    def compose(self) -> ComposeResult:
        """Status line, the KPIs, key hints."""
        yield StatusBar()
        with VerticalScroll(id="kpi-list"):
            yield Static(
                f"KPI figures for {self.session.period.describe()}. Leave a box empty if you "
                "have no figure; Tab moves to the next box.",
                classes="screen-intro",
            )
            if not self.session.plan.kpis:
                yield Static("This plan has no KPIs.")
            for kpi in self.session.plan.kpis:
                fig = self.session.kpis.figure(kpi.id)
                last = self.session.kpis.last_time(kpi.id)
                yield KpiRow(kpi, number_text(fig.value), fig.note, last)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the status line, show known problems, focus the first box."""
        bar = self.query_one(StatusBar)
        bar.partner = self.session.partner
        bar.period = str(self.session.period)
        bar.complete, bar.total = self.session.counts()
        self.autosaver.state.subscribe(self, self._saved)
        for row in self.query(KpiRow):
            if self.session.show_all:
                row.show_problems([p.message for p in self.session.kpis.problems(row.kpi.id)])
            else:
                row.show_problems([])
        rows = list(self.query(KpiRow))
        if self._focus_kpi and self.session.plan.kpi(self._focus_kpi):
            self.focus_kpi(self._focus_kpi)
        elif rows:
            rows[0].query_one(".kpi-value").focus()

    def _saved(self, state: SaveState) -> None:
        bar = self.query_one(StatusBar)
        bar.saved, bar.save_ok = state.text, state.ok

    @on(KpiRow.Changed)
    def _changed(self, event: KpiRow.Changed) -> None:
        s = self.session
        value = s.kpis.set_text(event.kpi_id, event.text)
        note = s.kpis.set_note(event.kpi_id, event.note)
        if value.changed or note.changed:
            self.autosaver.schedule()
            self.query_one(StatusBar).saved = "Saving…"

    @on(KpiRow.Left)
    def _left(self, event: KpiRow.Left) -> None:
        row = self.query_one(f"#kpi-{event.kpi_id}", KpiRow)
        row.show_problems([p.message for p in self.session.kpis.problems(event.kpi_id)])

    def focus_kpi(self, kpi_id: str) -> None:
        """Put the cursor in a KPI's figure box."""
        self.query_one(f"#kpi-{kpi_id}", KpiRow).query_one(".kpi-value").focus()

    def action_back(self) -> None:
        """Return to the actions."""
        self.dismiss(None)

    def action_save_now(self) -> None:
        """Save the draft now."""
        state = self.autosaver.flush()
        if state is not None:
            self._saved(state)
        self.notify("Your draft is saved.", timeout=3)
