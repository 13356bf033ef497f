"""The officer app (``dapreturn review``): read a folder of returns, off the UI thread.

The app only loads. Each load runs in a thread (:meth:`ReviewApp.reload`), reports progress by
message, and hands the resulting :class:`~dapreturn.core.review.snapshot.Snapshot` down to the
:class:`~dapreturn.tui.officer.screens.main.MainScreen`, which does everything else. Loading
never writes: not to a return, not to the folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from dapreturn.core.config import ConfigError, load_config, save_config
from dapreturn.core.errors import DapreturnError
from dapreturn.core.plan.model import Plan
from dapreturn.core.policy import TRUST_FILE_NAME
from dapreturn.core.review.snapshot import Snapshot, load_snapshot
from dapreturn.tui.officer.screens.confirm_dialog import DiscardDialog
from dapreturn.tui.officer.screens.dashboard import DashboardView
from dapreturn.tui.officer.screens.export_dialog import ExportDialog
from dapreturn.tui.officer.screens.help import HelpScreen, rows
from dapreturn.tui.officer.screens.history import HistoryView
from dapreturn.tui.officer.screens.inbox import InboxView
from dapreturn.tui.officer.screens.kpis import KpiView
from dapreturn.tui.officer.screens.main import VIEWS, MainScreen
from dapreturn.tui.officer.screens.review_dialog import ReviewDialog
from dapreturn.tui.officer.screens.trust import TrustView
from dapreturn.tui.officer.screens.trust_dialog import TrustDialog
from dapreturn.tui.officer.screens.whole_return import WholeReturnScreen
from dapreturn.tui.ordered_input import OrderedInputApp
from dapreturn.tui.screenshot import ScreenshotApp
from dapreturn.tui.themes import CONFIG_NAMES, HIGH_CONTRAST_THEME, THEMES

STYLES = Path(__file__).resolve().parent / "styles"
"""Folder of the officer app's ``.tcss`` style sheets."""
PROGRESS_EVERY = 0.05
"""Seconds between progress messages while loading (the last file always reports)."""


class ReviewApp(OrderedInputApp[None], ScreenshotApp[None]):
    """Review a folder of collected returns: inbox, dashboard, history, KPIs, trust, decisions."""

    TITLE = "dapreturn review"
    CSS_PATH = str(STYLES / "officer.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("f5,ctrl+r", "reload", "Reload the folder", show=False),
        Binding("ctrl+t", "toggle_contrast", "High contrast on/off", show=False),
        Binding("q", "quit", "Quit"),
    ]

    class LoadProgress(Message):
        """``done`` of ``total`` files read."""

        def __init__(self, done: int, total: int) -> None:
            """Counts so far."""
            super().__init__()
            self.done = done
            """Files read."""
            self.total = total
            """Files to read."""

    class Loaded(Message):
        """A load finished."""

        def __init__(self, snapshot: Snapshot) -> None:
            """The result."""
            super().__init__()
            self.snapshot = snapshot
            """What was read."""

    class LoadFailed(Message):
        """The folder could not be read at all."""

        def __init__(self, error: str) -> None:
            """Why."""
            super().__init__()
            self.error = error
            """One line naming the folder and the problem."""

    def __init__(
        self,
        folder: Path,
        *,
        trust_file: Path | None = None,
        plans: Mapping[str, Plan] | None = None,
        today: date | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Review ``folder`` using the trust list ``trust_file`` (default: the folder's own).

        ``plans`` adds plans not bundled nor in the folder; ``today`` and ``clock`` pin the date
        rules are judged at and the time stamped on decisions and reports (tests).
        """
        super().__init__()
        self.folder = Path(folder)
        """The returns folder."""
        self.trust_file = trust_file or self.folder / TRUST_FILE_NAME
        """The trust list (it may not exist yet; trusting a key creates it)."""
        self._plans = dict(plans or {})
        self._today = today
        self._clock = clock or (lambda: datetime.now(UTC))
        self.main = MainScreen(self._clock)
        """The one screen under the dialogs."""
        for theme in THEMES:
            self.register_theme(theme)

    def on_mount(self) -> None:
        """Apply the remembered theme, show the main screen, start reading."""
        try:
            self.theme = CONFIG_NAMES[load_config().theme]
        except ConfigError as exc:
            self.notify(str(exc), title="Settings not read", severity="warning", markup=False)
        self.push_screen(self.main)
        self.reload()

    def action_reload(self) -> None:
        """Read the folder again."""
        self.reload()

    @on(MainScreen.ReloadRequested)
    def _reload_requested(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="load")
    def reload(self) -> None:
        """Read the folder in a thread; progress, result or failure come back as messages."""
        worker = get_current_worker()
        self.call_from_thread(self._started)
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if done == total or now - last >= PROGRESS_EVERY:
                last = now
                self.post_message(self.LoadProgress(done, total))

        try:
            snapshot = load_snapshot(
                self.folder,
                self.trust_file,
                plans=self._plans,
                today=self._today,
                now=self._clock(),
                progress=progress,
            )
        except DapreturnError as exc:
            if not worker.is_cancelled:
                self.post_message(self.LoadFailed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(self.Loaded(snapshot))

    def _started(self) -> None:
        self.main.load_error = ""
        self.main.load_done = self.main.load_total = 0
        self.main.reading = True

    def on_review_app_load_progress(self, message: LoadProgress) -> None:
        """Move the progress bar."""
        self.main.load_total = message.total
        self.main.load_done = message.done

    def on_review_app_loaded(self, message: Loaded) -> None:
        """Hand the new snapshot down; warn about an unreadable trust list or ledger."""
        self.main.reading = False
        self.main.snapshot = message.snapshot
        if message.snapshot.trust.error:
            self.notify(
                message.snapshot.trust.error, title="Trust list", severity="error", markup=False
            )
        for problem in message.snapshot.trust.problems:
            self.notify(problem, title="Trust-list line skipped", severity="warning", markup=False)
        if message.snapshot.ledger.error:
            self.notify(
                message.snapshot.ledger.error, title="Review ledger", severity="error", markup=False
            )

    def on_review_app_load_failed(self, message: LoadFailed) -> None:
        """Say why nothing could be read."""
        self.main.reading = False
        self.main.load_error = message.error
        self.notify(
            message.error, title="Folder not read", severity="error", timeout=10, markup=False
        )

    def action_help(self) -> None:
        """Show every key."""
        if isinstance(self.screen, HelpScreen):
            return
        sections = [
            ("Views and the whole app", rows([*MainScreen.BINDINGS, *self.BINDINGS])),
            ("1 Inbox", rows(InboxView.BINDINGS)),
            ("2 Dashboard", rows(DashboardView.BINDINGS)),
            ("3 History", rows(HistoryView.BINDINGS)),
            ("4 KPIs", rows(KpiView.BINDINGS)),
            ("5 Trust", rows(TrustView.BINDINGS)),
            ("Whole return (v in the inbox)", rows(WholeReturnScreen.BINDINGS)),
            ("Decision dialog", rows(ReviewDialog.BINDINGS)),
            ("Trust dialog", rows(TrustDialog.BINDINGS)),
            ("Export dialog", rows(ExportDialog.BINDINGS)),
            ("Discard typed changes?", rows(DiscardDialog.BINDINGS)),
        ]
        self.push_screen(HelpScreen(sections))

    def action_toggle_contrast(self) -> None:
        """Switch between the default and the high-contrast theme (remembered if possible)."""
        high = self.theme != HIGH_CONTRAST_THEME
        self.theme = CONFIG_NAMES["high-contrast" if high else "default"]
        try:
            config = load_config()
            save_config(config.model_copy(update={"theme": "high-contrast" if high else "default"}))
        except DapreturnError as exc:
            self.notify(f"Not remembered: {exc}", severity="warning", markup=False)
        self.notify(f"High contrast {'on' if high else 'off'}.", timeout=3)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Command palette: every view and every action of the main screen."""
        yield from super().get_system_commands(screen)
        main = self.main
        for view, key, label in VIEWS:
            yield SystemCommand(f"Show {label}", f"Key {key}", partial(main.action_show, view))
        yield SystemCommand("Reload the folder", "F5 or Ctrl+R", self.action_reload)
        yield SystemCommand("Choose plan and period", "p", main.action_choose)
        yield SystemCommand("Action history…", "a: pick an action", main.action_choose_action)
        yield SystemCommand("Export the consolidated report", "e", main.action_export)
        yield SystemCommand("Help: every key", "F1 or ?", self.action_help)
