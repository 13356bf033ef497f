"""Radio buttons and check boxes whose state shows as a shape, not only as a colour.

Textual draws an on and an off button with the same character in different colours; with
``NO_COLOR`` (or colour blindness) the two look alike. These draw ``●``/``○`` and ``X``/space.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class MarkedRadioButton(RadioButton):
    """A radio button showing ``●`` when chosen and ``○`` when not."""

    def render(self) -> Content:
        """Pick the mark for the current value, then draw as usual."""
        self.BUTTON_INNER = "●" if self.value else "○"
        return super().render()


class MarkedCheckbox(Checkbox):
    """A check box showing ``X`` when ticked and a blank when not."""

    def render(self) -> Content:
        """Pick the mark for the current value, then draw as usual."""
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()
