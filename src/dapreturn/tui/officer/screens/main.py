"""The main screen: navigation, status line, load progress and the five views.

The screen owns the current :class:`~dapreturn.core.review.snapshot.Snapshot` (set by the app
after each load) and the plan and period being looked at, and hands both down to the views.
Views ask for things by message; the screen opens the dialogs and runs the writes (a decision,
a trusted key, a report) off the UI thread. It asks the app to reload by message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static

from dapreturn.core.collection.ledger import Ledger
from dapreturn.core.collection.load import FileRecord
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.review.snapshot import Choice, Snapshot, shown_path
from dapreturn.core.review.tasks import ExportRequest, ReviewOutcome, export_report, save_review
from dapreturn.core.review.trusting import trust_signer
from dapreturn.tui.officer.return_text import whole_return
from dapreturn.tui.officer.screens.dashboard import DashboardView
from dapreturn.tui.officer.screens.export_dialog import ExportDialog
from dapreturn.tui.officer.screens.history import HistoryView
from dapreturn.tui.officer.screens.inbox import InboxView
from dapreturn.tui.officer.screens.kpis import KpiView
from dapreturn.tui.officer.screens.pickers import ActionDialog, ChoiceDialog
from dapreturn.tui.officer.screens.review_dialog import ReviewDialog
from dapreturn.tui.officer.screens.trust import TrustView
from dapreturn.tui.officer.screens.trust_dialog import TrustDialog
from dapreturn.tui.officer.screens.whole_return import AfterReading, WholeReturnScreen
from dapreturn.tui.officer.widgets.load_bar import LoadBar
from dapreturn.tui.officer.widgets.nav_bar import NavBar
from dapreturn.tui.officer.widgets.stepped import SteppedView

VIEWS: tuple[tuple[str, str, str], ...] = (
    ("inbox", "1", "Inbox"),
    ("dashboard", "2", "Dashboard"),
    ("history", "3", "History"),
    ("kpis", "4", "KPIs"),
    ("trust", "5", "Trust"),
)
"""(view id, key, label) of the five views."""


class MainScreen(Screen[None]):
    """Switch views with 1-5; choose plan and period with p; export with e."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"show('{view}')", label, show=False) for view, key, label in VIEWS),
        Binding("p", "choose", "Choose plan and period", show=False),
        Binding("a", "choose_action", "Action history…", show=False),
        Binding("e", "export", "Export the report", show=False),
    ]

    snapshot: reactive[Snapshot | None] = reactive(None)
    """The loaded folder (set by the app)."""
    choice: reactive[Choice | None] = reactive(None)
    """Plan and period for the dashboard, KPIs and history."""
    view: reactive[str] = reactive("inbox", init=False)
    """The view shown."""
    reading: reactive[bool] = reactive(False)
    """A load is under way (set by the app). Not named ``loading``: that is Textual's own
    reactive, which covers the whole screen with a loading indicator and so took the focus from
    the list and gave it to the filter box on every reload (a trusted key, F5)."""
    load_done: reactive[int] = reactive(0)
    """Files read so far in this load."""
    load_total: reactive[int] = reactive(0)
    """Files to read in this load."""
    load_error: reactive[str] = reactive("")
    """Why the last load failed (empty: it did not)."""

    class ReloadRequested(Message):
        """Something changed on disk that needs the folder read again (a trusted key)."""

    class LedgerSaved(Message):
        """A decision was written to the ledger."""

        def __init__(self, ledger: Ledger, record: FileRecord, outcome: ReviewOutcome) -> None:
            """The saved ledger, the file and the decision."""
            super().__init__()
            self.ledger = ledger
            """The ledger as saved."""
            self.record = record
            """The file decided on."""
            self.outcome = outcome
            """What was decided."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        """``clock`` gives "now" for decisions and reports (pinned in tests)."""
        super().__init__()
        self._clock = clock
        self.officer = ""
        """The officer's name, asked once a session (pre-filled from the ledger)."""

    def compose(self) -> ComposeResult:
        """Navigation, status, progress, views, key hints."""
        yield NavBar(VIEWS, id="nav").data_bind(current=MainScreen.view)
        yield Static("Reading the folder…", id="status-line")
        yield LoadBar(id="load-bar").data_bind(
            active=MainScreen.reading, done=MainScreen.load_done, total=MainScreen.load_total
        )
        with ContentSwitcher(initial="inbox", id="views"):
            yield InboxView(id="inbox").data_bind(MainScreen.snapshot)
            yield DashboardView(id="dashboard").data_bind(MainScreen.snapshot, MainScreen.choice)
            yield HistoryView(id="history").data_bind(MainScreen.snapshot, MainScreen.choice)
            yield KpiView(id="kpis").data_bind(MainScreen.snapshot, MainScreen.choice)
            yield TrustView(id="trust").data_bind(MainScreen.snapshot)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Keyboard in the inbox."""
        self.query_one(InboxView).focus_main()

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """Keep the choice if it still makes sense; update the status line."""
        if snapshot is None:
            return
        if not snapshot.is_valid(self.choice):
            self.choice = snapshot.default_choice()
        self.officer = self.officer or snapshot.last_officer()
        self.query_one("#status-line", Static).update(Text(snapshot.summary()))

    def watch_load_error(self, error: str) -> None:
        """Say why the folder could not be read."""
        if error:
            self.query_one("#status-line", Static).update(Text(f"✗ {error}"))

    def watch_view(self, view: str) -> None:
        """Show the view and put the keyboard in it."""
        self.query_one(ContentSwitcher).current = view
        widget = self.query_one(f"#{view}")
        if isinstance(widget, InboxView | DashboardView | HistoryView | KpiView | TrustView):
            widget.focus_main()

    def action_show(self, view: str) -> None:
        """Switch to a view."""
        self.view = view

    def action_choose(self) -> None:
        """Pick the plan and period."""
        if self.snapshot is None or not self.snapshot.collection.plans:
            self.notify("No plan is known yet: no verified return or plan file in the folder.")
            return

        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.choice = choice

        self.app.push_screen(ChoiceDialog(self.snapshot, self.choice), chosen)

    def action_choose_action(self) -> None:
        """Pick an action and show its history."""
        snapshot, choice = self.snapshot, self.choice
        plan = snapshot.plan(choice.plan_id) if snapshot and choice else None
        if plan is None:
            self.notify("Choose a plan first (p).")
            return
        rows = [(a.ref, a.title, ", ".join(a.leads)) for a in plan.actions]

        def chosen(ref: str | None) -> None:
            if ref is not None:
                self.query_one(HistoryView).ref = ref
                self.view = "history"

        self.app.push_screen(ActionDialog(rows), chosen)

    @on(SteppedView.Step)
    def _step(self, message: SteppedView.Step) -> None:
        snapshot, choice = self.snapshot, self.choice
        plan = snapshot.plan(choice.plan_id) if snapshot and choice else None
        if plan is None or choice is None:
            return
        periods = periods_between(plan.start, plan.end)
        period: Period = choice.period
        for _ in range(abs(message.quarters)):
            period = period.next() if message.quarters > 0 else period.previous()
        if period not in periods:
            self.notify(f"{period} is outside the plan ({periods[0]} to {periods[-1]}).")
            return
        self.choice = replace(choice, period=period)

    @on(InboxView.ViewRequested)
    def _view(self, message: InboxView.ViewRequested) -> None:
        snapshot, record = self.snapshot, message.record
        if snapshot is None:
            return
        plan = snapshot.plan(record.plan) if record.plan else None
        title = f"{record.partner or '?'} · {record.period or '?'}"
        if record.revision:
            title += f" · r{record.revision}"
        title += f" · {record.rel}"
        body = whole_return(record, plan, snapshot.review(record))

        def read(after: AfterReading | None) -> None:
            if after is AfterReading.DECIDE:
                self._open_review(record)

        self.app.push_screen(WholeReturnScreen(title, body), read)

    @on(InboxView.ReviewRequested)
    def _review(self, message: InboxView.ReviewRequested) -> None:
        self._open_review(message.record)

    def _open_review(self, record: FileRecord) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        if record.sha256 is None:
            self.notify(
                f"{record.rel}: was not read, so it cannot be reviewed.",
                severity="error",
                markup=False,
            )
            return
        if snapshot.ledger.error:
            self.notify(
                snapshot.ledger.error,
                title="Decisions cannot be saved",
                severity="error",
                markup=False,
            )
            return
        plan = snapshot.plan(record.plan) if record.plan else None
        officer = self.officer or snapshot.last_officer()

        def decided(outcome: ReviewOutcome | None) -> None:
            if outcome is not None:
                self.officer = outcome.officer
                self._save_review((self.snapshot or snapshot).ledger, record, outcome)

        dialog = ReviewDialog(record, plan, snapshot.review(record), officer)
        self.app.push_screen(dialog, decided)

    @work(thread=True, exclusive=True, group="ledger")
    def _save_review(self, ledger: Ledger, record: FileRecord, outcome: ReviewOutcome) -> None:
        try:
            saved = save_review(ledger, record, outcome, now=self._clock())
        except DapreturnError as exc:
            self.app.call_from_thread(
                self.notify,
                str(exc),
                title="Decision not saved",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.post_message(self.LedgerSaved(saved, record, outcome))

    def on_main_screen_ledger_saved(self, message: LedgerSaved) -> None:
        """Show the decision everywhere."""
        if self.snapshot is not None:
            self.snapshot = self.snapshot.with_ledger(message.ledger)
        words = (message.outcome.decision or "no decision").replace("_", " ")
        self.notify(
            f"{message.record.rel}: {words} — saved to {message.ledger.path.name}", markup=False
        )

    @on(InboxView.TrustRequested)
    @on(TrustView.TrustRequested)
    def _trust(self, message: InboxView.TrustRequested | TrustView.TrustRequested) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        try:
            dialog = TrustDialog.for_record(snapshot, message.record, self._clock())
        except DapreturnError as exc:
            self.notify(
                str(exc), title="Cannot trust this key", severity="error", timeout=10, markup=False
            )
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._add_trust(dialog.trust_file, dialog.line, dialog.partner, dialog.fingerprint)
            else:
                self.notify("Not trusted: the trust list was not changed.")

        self.app.push_screen(dialog, answered)

    @work(thread=True, exclusive=True, group="trust")
    def _add_trust(self, path: Path, line: str, partner: str, fingerprint: str) -> None:
        try:
            created = trust_signer(path, line)
        except DapreturnError as exc:
            self.app.call_from_thread(
                self.notify,
                str(exc),
                title="Key not trusted",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        where = shown_path(path)
        done = f"created {where} with its line" if created else f"its line added to {where}"
        text = f"Trusted {partner}'s key {fingerprint}: {done}. Reading the folder again."
        self.app.call_from_thread(self.notify, text, timeout=10)
        self.post_message(self.ReloadRequested())

    def action_export(self) -> None:
        """Export the consolidated report for the chosen plan and period."""
        snapshot, choice = self.snapshot, self.choice
        if snapshot is None or choice is None or snapshot.plan(choice.plan_id) is None:
            self.notify("Nothing to report on yet: choose a plan and period (p).")
            return

        def asked(request: ExportRequest | None) -> None:
            if request is not None:
                self._export(snapshot, choice, request)

        self.app.push_screen(ExportDialog(choice, snapshot.folder.resolve().parent), asked)

    @work(thread=True, group="export")
    def _export(self, snapshot: Snapshot, choice: Choice, request: ExportRequest) -> None:
        try:
            path = export_report(snapshot, choice, request, now=self._clock())
        except DapreturnError as exc:
            self.app.call_from_thread(
                self.notify,
                str(exc),
                title="Report not written",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.app.call_from_thread(self.notify, f"Report written to {shown_path(path)}", timeout=10)
