"""The loading line: ``Reading returns… 120 of 400 files`` and a progress bar while loading."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar


class LoadBar(Horizontal):
    """Shown only while :attr:`active`; the owner sets :attr:`done` and :attr:`total`."""

    DEFAULT_CSS = """
    LoadBar { height: 1; display: none; }
    LoadBar.-active { display: block; }
    LoadBar > Label { width: auto; margin-right: 1; }
    """

    active: reactive[bool] = reactive(False)
    """Whether a load is under way."""
    done: reactive[int] = reactive(0)
    """Files read so far."""
    total: reactive[int] = reactive(0)
    """Files to read (0 while still counting)."""

    def compose(self) -> ComposeResult:
        """Words, then the bar."""
        yield Label("Reading returns…", id="load-words")
        yield ProgressBar(show_eta=False, id="load-progress")

    def watch_active(self, active: bool) -> None:
        """Show or hide the line."""
        self.set_class(active, "-active")

    def _show(self) -> None:
        words = self.query_one("#load-words", Label)
        bar = self.query_one("#load-progress", ProgressBar)
        if self.total:
            words.update(f"Reading returns… {self.done} of {self.total} files")
            bar.update(total=self.total, progress=self.done)
        else:
            words.update("Reading returns…")
            bar.update(total=None)

    def watch_done(self) -> None:
        """Move the bar."""
        self._show()

    def watch_total(self) -> None:
        """Rescale the bar."""
        self._show()
