"""The form's text box: a TextArea where Ctrl+A selects all, as in every other editor a lead
knows (Textual's TextArea moves to the start of the line; Home still does that)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import TextArea


class TextBox(TextArea):
    """A TextArea with Ctrl+A for "select all"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "select_all", "Select all", show=False),
    ]
