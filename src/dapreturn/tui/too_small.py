"""Below 80x24 the partner app says the terminal is too small instead of cutting its screens.

The screens are laid out for 80x24 (the footer and the form's last lines would otherwise be the
first to go). :class:`TooSmallScreen` covers everything until the window is large enough again;
nothing typed is lost, as the screens underneath are only hidden.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24
"""The smallest terminal the screens are laid out for."""


def too_small(width: int, height: int) -> bool:
    """Whether a ``width`` x ``height`` terminal is smaller than the screens need."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


def message(width: int, height: int) -> str:
    """What the lead is told, with both sizes."""
    return (
        f"The terminal is too small: {width}x{height}. dapreturn needs at least "
        f"{MIN_WIDTH}x{MIN_HEIGHT}. Make the window larger (or the font smaller); your work "
        "is kept. Ctrl+Q quits."
    )


class TooSmallScreen(ModalScreen[None]):
    """Covers the app while the terminal is too small; closes itself once it is large enough."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen > Static { width: 100%; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        """The message, for the size now."""
        yield Static(Text(message(self.app.size.width, self.app.size.height)), id="too-small")

    def show_size(self, width: int, height: int) -> None:
        """Update the message for a new size."""
        self.query_one("#too-small", Static).update(Text(message(width, height)))
