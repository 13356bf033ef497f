"""The partner app's help: every key by screen, the entry and status markers, and the promise
that what is typed is kept (see :mod:`dapreturn.tui.widgets.key_help`)."""

from __future__ import annotations

from collections.abc import Sequence

from dapreturn.core.filling import EntryState
from dapreturn.tui.widgets.key_help import KeyHelpScreen, KeyRow, key_words, rows

__all__ = ["MOVING", "HelpScreen", "KeyRow", "key_words", "rows"]

MOVING = [
    ("Tab / Shift+Tab", "Next / previous box or button"),
    ("↑ ↓ and Enter", "Move in a list and choose"),
    ("Enter", "In a date or figure box: go to the next box"),
    ("Ctrl+P", "Command palette: type what you want to do"),
]
"""Keys that work everywhere (Textual's own)."""


class HelpScreen(KeyHelpScreen):
    """Every key by screen, and the markers."""

    def __init__(self, sections: Sequence[tuple[str, Sequence[KeyRow]]], statuses: str) -> None:
        """``sections`` are (heading, key rows); ``statuses`` explains the status markers."""
        legend = "  ".join(f"{s.marker} {s.label}" for s in EntryState)
        super().__init__(
            sections,
            MOVING,
            [
                f"Entries: {legend}\nStatus: {statuses}",
                "Everything you type is saved as a draft on this computer within a second. "
                "The app never needs the internet. The signed return is one file you send "
                "to the steering group.",
            ],
        )
