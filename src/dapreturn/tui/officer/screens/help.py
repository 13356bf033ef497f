"""The help screen: every key of the officer app, built from the classes' own ``BINDINGS``.

Because the lists come from the bindings themselves, the help never disagrees with the keys.
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
}

EVERYWHERE: list[KeyRow] = [
    ("Tab / Shift+Tab", "Next / previous box, list or button"),
    ("↑ ↓ PgUp PgDn", "Move in a list or scroll a page"),
    ("Enter", "Inbox: decide on a return (or trust an unknown key); lists: choose"),
    ("Ctrl+P", "Command palette: type what you want to do"),
]
"""Keys that work everywhere (Textual's own)."""

MARKERS = (
    "Signature: ✓ verified · ✗ BAD SIGNATURE / WRONG PARTNER / not signed / invalid · "
    "? unknown key (can be trusted) · ? no trust list.\n"
    "Review: ✓ accepted · ! query raised · — no decision.\n"
    "Only verified returns (latest revision) count in the dashboard, KPIs, history and report. "
    "Loading never changes a return file; decisions go to review-ledger.toml in the folder."
)
"""What the markers mean."""


def key_words(keys: str) -> str:
    """``"f5,ctrl+r"`` -> ``"F5 or Ctrl+R"``; a plain letter stays as typed (``q``)."""
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
    """Key rows for ``bindings`` (shown in the footer or not)."""
    return [
        (key_words(b.key), b.description)
        for b in bindings
        if isinstance(b, Binding) and b.description
    ]


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works, and what the markers mean."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "Close help")
    ]

    def __init__(self, sections: Sequence[tuple[str, Sequence[KeyRow]]]) -> None:
        """``sections`` are (heading, key rows)."""
        super().__init__()
        self.sections = sections
        """The key rows shown, by heading."""

    def compose(self) -> ComposeResult:
        """Tables of keys, then the markers."""
        with Vertical(classes="dialog wide", id="help-dialog"):
            yield Label("Help: keys and markers", classes="dialog-title")
            with VerticalScroll(id="help-body", can_focus=True):
                for heading, key_rows in [*self.sections, ("Everywhere", EVERYWHERE)]:
                    table = Table.grid(padding=(0, 2))
                    table.add_column(width=16, no_wrap=True)
                    table.add_column()
                    for keys, what in key_rows:
                        table.add_row(Text(keys, style="bold"), what)
                    yield Static(Text(heading, style="bold underline"), classes="heading")
                    yield Static(table)
                yield Static(Text("Markers", style="bold underline"), classes="heading")
                yield Static(MARKERS)
            with Horizontal(classes="buttons"):
                yield Button("Close (Esc)", id="close")

    def on_mount(self) -> None:
        """Focus the text so arrows scroll it."""
        self.query_one("#help-body").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
