"""A one-line box in a form: Enter moves to the next field within the same key press.

Textual's :class:`~textual.widgets.Input` answers Enter by posting ``Submitted``; a handler
that moves the focus then runs only after that message has travelled, so a key typed straight
after Enter could still land in this box. :class:`FieldInput` moves the focus in the binding
itself, before the next key is read, and still posts ``Submitted`` for anyone listening.
"""

from __future__ import annotations

from textual.widgets import Input


class FieldInput(Input):
    """An input whose Enter moves on to the next field at once."""

    async def action_submit(self) -> None:
        """Move to the next field, then post ``Submitted`` as Input does."""
        if self.screen.focused is self:
            self.screen.focus_next()
        await super().action_submit()
