"""Ask before throwing typed work away: a yes/no question answering a typed value.

The dialog answers :attr:`Discard.DISCARD` or :attr:`Discard.KEEP` (Escape keeps: the safe
choice is never to lose what was typed). The keyboard starts on "Keep editing", so a stray
Enter loses nothing.
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class Discard(Enum):
    """What the officer chose about unsaved changes."""

    KEEP = "keep"
    """Go back to the dialog with everything as typed."""
    DISCARD = "discard"
    """Close without saving what was typed."""


class DiscardDialog(ModalScreen[Discard]):
    """``Discard.DISCARD`` only when the officer chose to throw the changes away."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "Keep editing"),
        Binding("y", "discard", "Discard the changes", show=False),
    ]

    def __init__(self, what: str) -> None:
        """``what`` names the unsaved work, e.g. ``the comment on 1a``."""
        super().__init__()
        self._what = what

    def compose(self) -> ComposeResult:
        """Question and two buttons."""
        with Vertical(classes="dialog", id="discard-dialog"):
            yield Label("Discard what you typed?", classes="dialog-title")
            text = Text("Not saved yet: ")
            text.append(self._what)
            text.append(".\nEsc keeps editing; y (or the button) throws the changes away.")
            yield Static(text, id="discard-text")
            with Horizontal(classes="buttons"):
                yield Button("Keep editing (Esc)", id="keep", variant="primary")
                yield Button("Discard (y)", id="discard", variant="error")

    def on_mount(self) -> None:
        """Start on the safe choice."""
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        """Back to the dialog, nothing lost."""
        self.dismiss(Discard.KEEP)

    @on(Button.Pressed, "#discard")
    def action_discard(self) -> None:
        """Throw the changes away."""
        self.dismiss(Discard.DISCARD)
