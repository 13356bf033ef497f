"""The help screen: every key, what the markers mean, and where things are kept.

The key lists are built from the screens' own ``BINDINGS``, so the help never disagrees with
what the keys do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from dapreturn.core.filling import EntryState

KeyRow = tuple[str, str]
"""(keys in words, what they do)."""

MOVING = [
    ("Tab / Shift+Tab", "Next / previous box or button"),
    ("↑ ↓ and Enter", "Move in a list and choose"),
    ("Enter", "In a date or figure box: go to the next box"),
    ("Ctrl+P", "Command palette: type what you want to do"),
]
"""Keys that work everywhere (Textual's own)."""


def key_words(keys: str) -> str:
    """``"f3,ctrl+r"`` -> ``"F3 or Ctrl+R"``."""
    names = {"question_mark": "?", "escape": "Esc", "pagedown": "PgDn", "pageup": "PgUp"}
    out = []
    for raw in keys.split(","):
        key = names.get(raw, raw)
        parts = [p.upper() if len(p) <= 3 and p.startswith("f") else p for p in key.split("+")]
        out.append("+".join(p[:1].upper() + p[1:] for p in parts))
    return " or ".join(out)


def rows(bindings: Iterable[BindingType]) -> list[KeyRow]:
    """Key rows for a screen's ``BINDINGS`` (every binding, shown in the footer or not)."""
    found: list[KeyRow] = []
    for b in bindings:
        if isinstance(b, Binding) and b.description:
            found.append((key_words(b.key), b.tooltip or b.description))
    return found


class HelpScreen(ModalScreen[None]):
    """Every key by screen, and the markers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "Close help")
    ]

    def __init__(self, sections: Sequence[tuple[str, Sequence[KeyRow]]], statuses: str) -> None:
        """``sections`` are (heading, key rows); ``statuses`` explains the status markers."""
        super().__init__()
        self._sections = sections
        self._statuses = statuses

    def compose(self) -> ComposeResult:
        """Tables of keys and the marker legend."""
        with Vertical(classes="dialog wide tall", id="help-dialog"):
            yield Label("Help: keys and markers", classes="dialog-title")
            with VerticalScroll(id="help-body", can_focus=True):
                for heading, key_rows in [*self._sections, ("Everywhere", MOVING)]:
                    table = Table.grid(padding=(0, 2))
                    table.add_column(width=18, no_wrap=True)
                    table.add_column()
                    for keys, what in key_rows:
                        table.add_row(Text(keys, style="bold"), what)
                    yield Static(Text(heading, style="bold underline"))
                    yield Static(table, classes="help-table")
                legend = "  ".join(f"{s.marker} {s.label}" for s in EntryState)
                yield Static(Text("Markers", style="bold underline"))
                yield Static(f"Entries: {legend}\nStatus: {self._statuses}")
                yield Static(
                    "Everything you type is saved as a draft on this computer within a second. "
                    "The app never needs the internet. The signed return is one file you send "
                    "to the steering group."
                )
            with Horizontal(classes="buttons"):
                yield Button("Close (Esc)", id="close")

    def on_mount(self) -> None:
        """Focus the text so arrows scroll it."""
        self.query_one("#help-body").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
