"""The officer app's help: every key, built from the classes' own ``BINDINGS``, and what the
signature and review markers mean (see :mod:`dapreturn.tui.widgets.key_help`)."""

from __future__ import annotations

from collections.abc import Sequence

from dapreturn.tui.widgets.key_help import KeyHelpScreen, KeyRow, key_words, rows

__all__ = ["EVERYWHERE", "MARKERS", "HelpScreen", "KeyRow", "key_words", "rows"]

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
    "Loading never changes a return file; decisions go to the review folder (one file each)."
)
"""What the markers mean."""


class HelpScreen(KeyHelpScreen):
    """Every key, grouped by where it works, and what the markers mean."""

    def __init__(self, sections: Sequence[tuple[str, Sequence[KeyRow]]]) -> None:
        """``sections`` are (heading, key rows)."""
        super().__init__(sections, EVERYWHERE, [MARKERS])
