"""The top line: the five views and their keys, the current one marked (not by colour alone)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class NavBar(Widget):
    """``[1 Inbox]  2 Dashboard  3 History  4 KPIs  5 Trust   ? Help``."""

    DEFAULT_CSS = """
    NavBar { height: 1; }
    """

    current: reactive[str] = reactive("")
    """Id of the view being shown."""

    def __init__(self, views: Sequence[tuple[str, str, str]], *, id: str | None = None) -> None:
        """``views`` are (view id, key, label) in order."""
        super().__init__(id=id)
        self._views = list(views)

    def render(self) -> Text:
        """One line; the current view in brackets and reversed."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for view_id, key, label in self._views:
            if view_id == self.current:
                text.append(f"[{key} {label}]", style="bold reverse")
            else:
                text.append(f" {key} {label} ")
            text.append(" ")
        text.append(" ? Help", style="dim")
        return text
