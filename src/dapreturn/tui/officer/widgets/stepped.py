"""A view of one plan and period that can step to earlier or later quarters.

The dashboard steps a quarter at a time, the KPI view a financial year at a time; both receive
the loaded folder and the chosen plan and period from the main screen, and ask it to move with
a :class:`SteppedView.Step` message (attributes down, messages up).
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive

from dapreturn.core.review.snapshot import Choice, Snapshot


class SteppedView(Vertical):
    """Base for views bound to the main screen's snapshot and choice, with a step action."""

    snapshot: reactive[Snapshot | None] = reactive(None)
    """The loaded folder."""
    choice: reactive[Choice | None] = reactive(None)
    """The plan and period shown."""

    class Step(Message):
        """Show another period, ``quarters`` before (negative) or after."""

        def __init__(self, quarters: int) -> None:
            """How far to move."""
            super().__init__()
            self.quarters = quarters
            """Quarters to move by."""

    def action_step(self, quarters: int) -> None:
        """Ask the main screen for the period ``quarters`` away."""
        self.post_message(self.Step(quarters))
