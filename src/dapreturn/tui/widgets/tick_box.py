"""A checkbox that shows its state as ``✓`` or a blank box, so it reads without colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """:class:`~textual.widgets.Checkbox` whose mark is ``✓`` when ticked and empty when not.

    Textual's own checkbox draws an ``X`` in both states and tells them apart by colour only,
    which a ``NO_COLOR`` or monochrome terminal cannot show.
    """

    def render(self) -> Content:
        """Draw the box with a mark that matches the value."""
        self.BUTTON_INNER = "✓" if self.value else " "
        return super().render()
