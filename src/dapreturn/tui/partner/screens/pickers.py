"""Small dialogs: pick an action to contribute to, pick a period, read a message.

Each is a :class:`~textual.screen.ModalScreen` that returns its answer with ``dismiss``;
Escape cancels (``None``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan.model import Plan
from dapreturn.tui.widgets.filter_input import FilterInput, enter_list


class ActionPicker(ModalScreen[str | None]):
    """Choose an action of the plan by typing part of its ref or title."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: Sequence[tuple[str, str, str]]) -> None:
        """``choices`` are (ref, title, leads) of the actions that can be added."""
        super().__init__()
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        """Filter box above the list."""
        with Vertical(classes="dialog"):
            yield Label("Add an action you contribute to", classes="dialog-title")
            yield Static("Type part of the ref or title, then ↓ to pick from the list and Enter.")
            yield FilterInput(placeholder="Filter, e.g. 3d or training", id="filter")
            yield OptionList(id="choices")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Show every choice."""
        self._fill("")

    def _fill(self, text: str) -> None:
        words = text.lower().split()
        options = []
        for ref, title, leads in self._choices:
            hay = f"{ref} {title} {leads}".lower()
            if all(w in hay for w in words):
                prompt = Text(f"{ref:<5} {title}")
                prompt.append(f"  (lead: {leads or 'none'})", style="italic")
                options.append(Option(prompt, id=ref))
        box = self.query_one(OptionList)
        box.set_options(options or [Option("No action matches", disabled=True)])
        box.highlighted = 0 if options else None

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _take_first(self, event: Input.Submitted) -> None:
        box = self.query_one(OptionList)
        enabled = [o for o in box.options if not o.disabled]
        if len(enabled) == 1 and enabled[0].id:
            self.dismiss(enabled[0].id)
        elif enabled:
            box.focus()

    @on(FilterInput.Pick)
    def _to_list(self) -> None:
        enter_list(self.query_one(OptionList))

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without adding anything."""
        self.dismiss(None)


class PeriodPicker(ModalScreen[Period | None]):
    """Choose one of the plan's reporting periods."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, plan: Plan, current: Period) -> None:
        """List ``plan``'s periods with ``current`` highlighted."""
        super().__init__()
        self._periods = periods_between(plan.start, plan.end)
        self._current = current

    def compose(self) -> ComposeResult:
        """The list of periods."""
        with Vertical(classes="dialog"):
            yield Label("Switch to another period", classes="dialog-title")
            yield Static("Your work on this period is saved. Pick with ↑ ↓ and Enter.")
            yield OptionList(
                *[Option(p.describe(), id=p.slug) for p in self._periods], id="periods"
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Highlight the current period."""
        box = self.query_one(OptionList)
        box.highlighted = (
            self._periods.index(self._current) if self._current in self._periods else 0
        )
        box.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._periods[event.option_index])

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Stay on the current period."""
        self.dismiss(None)


class MessageScreen(ModalScreen[None]):
    """A titled message with an OK button (text can be selected and copied)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, body: str, *, detail: str = "") -> None:
        """Show ``body``; ``detail`` (a path, a key line) is shown in a selectable box."""
        super().__init__()
        self._title = title
        self._body = body
        self._detail = detail

    def compose(self) -> ComposeResult:
        """Title, words, detail, OK."""
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            with VerticalScroll(classes="body-scroll"):
                yield Static(Text(self._body), classes="dialog-body")
            if self._detail:
                yield Input(self._detail, id="detail", classes="copyable")
            with Horizontal(classes="buttons"):
                yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        """Focus OK so Enter closes."""
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        """Close the message."""
        self.dismiss(None)
