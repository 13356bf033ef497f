"""The done screen after signing: core's :class:`~dapreturn.core.filling.done.DoneReport` drawn,
with a key to open the folder that holds the signed file."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dapreturn.core.filling.done import DoneReport


class DoneScreen(ModalScreen[None]):
    """Where the signed file is, what to send to whom, the trust-list line for a new key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("o", "open_folder", "Open the folder"),
    ]

    def __init__(self, report: DoneReport) -> None:
        """Show ``report``."""
        super().__init__()
        self.report = report
        """What is shown."""

    def compose(self) -> ComposeResult:
        """Title, words, the trust-list line (when there is one), the buttons."""
        r = self.report
        with Vertical(classes="dialog"):
            yield Label(r.title, classes="dialog-title")
            with VerticalScroll(classes="body-scroll"):
                yield Static(Text("\n\n".join(r.lines)), classes="dialog-body")
            if r.trust_line is not None:
                yield Input(r.trust_line, id="detail", classes="copyable")
            with Horizontal(classes="buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Open the folder (o)", id="open")

    def on_mount(self) -> None:
        """Focus OK so Enter closes."""
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#open")
    def action_open_folder(self) -> None:
        """Ask the system to show the folder; say where it is either way."""
        from dapreturn.core import opener

        folder = self.report.folder
        if opener.open_folder(folder):
            self.notify(f"Opened {folder}", markup=False)
        else:
            self.notify(
                f"This computer has no way to open folders from here: it is {folder}",
                markup=False,
                timeout=10,
            )

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        """Back to the return."""
        self.dismiss(None)
