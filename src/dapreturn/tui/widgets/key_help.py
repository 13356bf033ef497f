"""The help screen both apps share: every key, built from the screens' own ``BINDINGS``.

Because the key lists come from the bindings themselves, help never disagrees with what the
keys do. Each app adds the keys that work everywhere and its own notes (what the markers mean).
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

KeyRow = tuple[str, str]
"""(keys in words, what they do)."""

_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "enter": "Enter",
    "pagedown": "PgDn",
    "pageup": "PgUp",
}


def key_words(keys: str) -> str:
    """``"f3,ctrl+r"`` -> ``"F3 or Ctrl+R"``; a plain letter stays as typed (``q``)."""
    out = []
    for raw in keys.split(","):
        *mods, key = _NAMES.get(raw, raw).split("+")
        if (len(key) > 1 and key[0] == "f" and key[1:].isdigit()) or (mods and len(key) == 1):
            key = key.upper()
        elif len(key) > 1:
            key = key[:1].upper() + key[1:]
        out.append("+".join([*(m.capitalize() for m in mods), key]))
    return " or ".join(out)


def rows(bindings: Iterable[BindingType]) -> list[KeyRow]:
    """Key rows for ``bindings`` (shown in the footer or not), tooltip preferred."""
    return [
        (key_words(b.key), b.tooltip or b.description)
        for b in bindings
        if isinstance(b, Binding) and b.description
    ]


class KeyHelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works, then notes such as what the markers mean."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "Close help")
    ]

    def __init__(
        self,
        sections: Sequence[tuple[str, Sequence[KeyRow]]],
        everywhere: Sequence[KeyRow],
        notes: Sequence[str],
    ) -> None:
        """``sections`` are (heading, key rows); ``everywhere`` the app-wide keys."""
        super().__init__()
        self.sections = [*sections, ("Everywhere", everywhere)]
        """The key rows shown, by heading."""
        self._notes = notes

    def compose(self) -> ComposeResult:
        """Tables of keys, then the notes under "Markers"."""
        with Vertical(classes="dialog wide tall", id="help-dialog"):
            yield Label("Help: keys and markers", classes="dialog-title")
            with VerticalScroll(id="help-body", can_focus=True):
                for heading, key_rows in self.sections:
                    table = Table.grid(padding=(0, 2))
                    table.add_column(width=18, no_wrap=True)
                    table.add_column()
                    for keys, what in key_rows:
                        table.add_row(Text(keys, style="bold"), what)
                    yield Static(Text(heading, style="bold underline"), classes="heading")
                    yield Static(table, classes="help-table")
                yield Static(Text("Markers", style="bold underline"), classes="heading")
                for note in self._notes:
                    yield Static(note)
            with Horizontal(classes="buttons"):
                yield Button("Close (Esc)", id="close")

    def on_mount(self) -> None:
        """Focus the text so arrows scroll it."""
        self.query_one("#help-body").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
