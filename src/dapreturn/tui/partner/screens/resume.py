"""Offered when a draft exists: carry on with it, or start fresh (the draft is kept aside).

A draft that cannot be read as a return is reported with its path and never deleted: starting
fresh moves it into a ``kept-...`` folder beside it.
"""

from __future__ import annotations

import enum
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from dapreturn.core.filling.start import StartPoint, local_time


class ResumeChoice(enum.Enum):
    """What the lead chose to do with the draft."""

    RESUME = "resume"
    """Carry on with the draft."""
    FRESH = "fresh"
    """Start fresh (the draft is set aside, kept)."""
    QUIT = "quit"
    """Quit (offered when the draft cannot be read)."""


def _describe(start: StartPoint) -> str:
    """What the lead is told about the draft."""
    lines: list[str] = []
    if start.draft is not None and start.draft_return is not None:
        written = sum(
            1
            for e in start.draft_return.entries
            if e.status or e.action_taken or e.next_steps or e.risks
        )
        lines.append(
            f"You have a draft of your {start.period} return, saved on "
            f"{local_time(start.draft.saved_at)} (this computer's time). "
            f"{written} of {len(start.draft_return.entries)} actions have something filled in."
        )
        if start.draft_error:
            lines.append("")
            lines.append("Newer autosaves could not be read and were left in place:")
            lines.append(start.draft_error)
        lines.append("")
        lines.append(
            "Carry on with it, or start fresh? Starting fresh keeps the draft aside in "
            "the drafts folder; nothing is deleted."
        )
    elif start.draft is not None:
        lines.append("Your saved draft of this return could not be read:")
        lines.append(start.draft_error or "")
        lines.append("")
        lines.append(f"It has not been deleted. It is kept at:\n{start.draft.path}")
        lines.append("")
        lines.append("Start fresh (the unreadable draft is moved aside, still kept) or quit.")
    for problem in start.damaged:
        lines.append(f"\nA damaged autosave was skipped (kept in place): {problem.reason}")
    return "\n".join(lines)


class ResumeScreen(ModalScreen[ResumeChoice]):
    """Returns the :class:`ResumeChoice`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "resume_or_quit", "Cancel")]

    def __init__(self, start: StartPoint) -> None:
        """Describe the draft found for ``start``."""
        super().__init__()
        self._start = start
        self._readable = start.draft_return is not None

    def compose(self) -> ComposeResult:
        """The words and the two choices."""
        title = "Carry on with your draft?" if self._readable else "Your draft could not be read"
        with Vertical(classes="dialog wide"):
            yield Label(title, classes="dialog-title")
            with VerticalScroll(classes="body-scroll"):
                yield Static(Text(_describe(self._start)), classes="dialog-body")
            with Horizontal(classes="buttons"):
                if self._readable:
                    yield Button("Carry on with the draft", id="resume", variant="primary")
                yield Button("Start fresh", id="fresh")
                if not self._readable:
                    yield Button("Quit", id="quit")

    def on_mount(self) -> None:
        """Focus the first choice."""
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(ResumeChoice(event.button.id or "resume"))

    def action_resume_or_quit(self) -> None:
        """Escape keeps the draft: resume it, or quit if it cannot be read."""
        self.dismiss(ResumeChoice.RESUME if self._readable else ResumeChoice.QUIT)
