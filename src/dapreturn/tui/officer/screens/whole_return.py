"""One whole return on one screen: every field of every action, the KPI figures, the review.

Opened with ``v`` from the inbox on the highlighted file; ↑/↓, PgUp/PgDn and Home/End scroll,
``d`` goes on to the decision dialog for it, Esc goes back. The screen answers a
:class:`AfterReading`. The text comes from :func:`~dapreturn.tui.officer.return_text.whole_return`
(text from the file shown as text, never markup).
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static


class AfterReading(Enum):
    """What the officer wants once the return is read."""

    BACK = "back"
    """Back to the inbox."""
    DECIDE = "decide"
    """Open the decision dialog for this return."""


class WholeReturnScreen(Screen[AfterReading]):
    """Read one return from top to bottom."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back to the inbox"),
        Binding("d", "decide", "Decide"),
    ]

    def __init__(self, title: str, body: Text) -> None:
        """``title`` names the return; ``body`` is its whole text."""
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        """Title, the scrolling return, key hints."""
        yield Label(Text(self._title), id="whole-title", classes="view-head")
        with VerticalScroll(id="whole-body", classes="view-body"):
            yield Static(self._body, id="whole-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Keyboard in the text, so the arrows scroll it."""
        self.query_one("#whole-body", VerticalScroll).focus()

    def action_back(self) -> None:
        """Back to where it was opened from."""
        self.dismiss(AfterReading.BACK)

    def action_decide(self) -> None:
        """On to the decision dialog."""
        self.dismiss(AfterReading.DECIDE)
