"""A date field that accepts dates as people write them and says what it understood.

``2019-03-31``, ``31/03/2019`` and ``31 Mar 2019`` are all read by
:func:`dapreturn.core.dates.parse_date`. Below the box the widget shows the date it understood
(``✓ Sun 31 Mar 2019``) or, once the lead leaves the field, what is wrong in plain words.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from dapreturn.core.dates import describe_date, parse_date
from dapreturn.core.errors import DateInputError
from dapreturn.tui.widgets.field_input import FieldInput


def iso_text(value: date | None) -> str:
    """The text a date field shows for a stored date (``31/03/2019``; empty for none)."""
    return "" if value is None else f"{value:%d/%m/%Y}"


class DateInput(Vertical):
    """A typed date with live feedback; posts :class:`DateInput.Changed`."""

    value: reactive[date | None] = reactive(None, init=False)
    """The date understood, or ``None`` when the box is empty or cannot be read."""
    error: reactive[str | None] = reactive(None, init=False)
    """Why the text is not a date (``None`` when it is one, or is empty)."""

    class Changed(Message):
        """The text changed: carries the date understood or why it is not one."""

        def __init__(self, date_input: DateInput, value: date | None, error: str | None) -> None:
            """Describe the new state."""
            super().__init__()
            self.date_input = date_input
            """The widget that changed."""
            self.value = value
            """The date understood (``None`` if empty or unreadable)."""
            self.error = error
            """Why the text could not be read, or ``None``."""

        @property
        def control(self) -> DateInput:
            """The widget that changed (for ``@on`` selectors)."""
            return self.date_input

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """An empty date field."""
        super().__init__(id=id, classes=classes)
        self._show_errors = False
        self._shown = ("", "")

    def compose(self) -> ComposeResult:
        """The box and the feedback line under it."""
        yield FieldInput(placeholder="e.g. 31/03/2019", classes="date-box")
        yield Static("", classes="date-feedback")

    @property
    def text(self) -> str:
        """What is typed in the box."""
        return self.query_one(Input).value

    def load(self, value: date | None, text: str | None = None) -> None:
        """Show a stored date (or unreadable ``text``) without posting a change."""
        box = self.query_one(Input)
        with self.prevent(Input.Changed):
            box.value = text if text is not None else iso_text(value)
        self._show_errors = text is not None
        self._read(box.value, post=False)

    def focus(self, scroll_visible: bool = True) -> DateInput:
        """Focus the box now (not after the next keys: see :mod:`dapreturn.tui.ordered_input`)."""
        self.screen.set_focus(self.query_one(Input), scroll_visible=scroll_visible)
        return self

    def _read(self, text: str, *, post: bool) -> None:
        """Parse ``text``, update the feedback, and post a change if asked."""
        value: date | None = None
        error: str | None = None
        if text.strip():
            try:
                value = parse_date(text)
            except DateInputError as exc:
                error = str(exc)
        self.set_reactive(DateInput.value, value)
        self.set_reactive(DateInput.error, error)
        self._render_feedback()
        if post:
            self.post_message(self.Changed(self, value, error))

    def _render_feedback(self) -> None:
        """Show what was understood, or (after leaving the field) what is wrong."""
        if self.value is not None:
            shown = (f"✓ {describe_date(self.value)}", "date-feedback -ok")
        elif self.error and self._show_errors:
            shown = (f"✗ {self.error}", "date-feedback -error")
        else:
            shown = ("", "date-feedback")
        if shown != self._shown:
            self._shown = shown
            feedback = self.query_one(".date-feedback", Static)
            feedback.update(shown[0])
            feedback.set_classes(shown[1])

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        """Re-read the date on every keystroke."""
        event.stop()
        self._read(event.value, post=True)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        """From now on, say what is wrong."""
        self._show_errors = True
        self._render_feedback()
