"""A filter box above a list: typing narrows the list, ↓ moves on into it.

Used wherever a person types part of a name to find something (the organisation on first run,
an action to contribute to). Without it, ↓ in the box does nothing, although people press it
straight after typing.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input, OptionList


class FilterInput(Input):
    """An ``Input`` whose ↓ key asks its screen to move into the list below it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "pick", "Pick from the list", show=False),
    ]

    class Pick(Message):
        """The person wants to pick from the list of matches."""

    def action_pick(self) -> None:
        """Tell the screen (messages up: the screen owns the list)."""
        self.post_message(self.Pick())


def enter_list(box: OptionList) -> None:
    """Focus ``box`` and highlight its first option if none is highlighted."""
    box.focus()
    if box.highlighted is None and box.option_count:
        box.highlighted = 0
