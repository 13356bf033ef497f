"""Pick a plan and period (for the dashboard, KPIs and history), or an action (for history).

Each is a :class:`~textual.screen.ModalScreen` answering with ``dismiss``; Escape answers
``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan.model import Plan
from dapreturn.core.review.snapshot import Choice, Snapshot


class ChoiceDialog(ModalScreen[Choice | None]):
    """Choose a plan (left) then one of its periods (right); periods say how many returns."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, snapshot: Snapshot, current: Choice | None) -> None:
        """Offer every plan the snapshot knows; start on ``current``."""
        super().__init__()
        self._snapshot = snapshot
        self._plans = sorted(snapshot.collection.plans.values(), key=lambda p: p.id)
        self._current = current
        self._plan: Plan | None = None
        self._periods: list[Period] = []

    def compose(self) -> ComposeResult:
        """Two lists side by side."""
        with Vertical(classes="dialog wide", id="choice-dialog"):
            yield Label("Choose plan and period", classes="dialog-title")
            yield Static("Tab moves between the lists; ↑ ↓ and Enter choose.")
            with Horizontal(id="choice-lists"):
                yield OptionList(*[Option(p.id, id=p.id) for p in self._plans], id="choice-plans")
                yield OptionList(id="choice-periods")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Highlight the current plan and period; start in the periods."""
        plans = self.query_one("#choice-plans", OptionList)
        ids = [p.id for p in self._plans]
        current = self._current.plan_id if self._current else None
        plans.highlighted = ids.index(current) if current in ids else 0
        self._show_plan(self._plans[plans.highlighted or 0] if self._plans else None)
        self.query_one("#choice-periods", OptionList).focus()

    def _show_plan(self, plan: Plan | None) -> None:
        self._plan = plan
        box = self.query_one("#choice-periods", OptionList)
        if plan is None:
            self._periods = []
            box.set_options([Option("No plan is known", disabled=True)])
            return
        self._periods = periods_between(plan.start, plan.end)
        options = []
        for p in self._periods:
            n = len(self._snapshot.collection.current_records(plan.id, p))
            label = Text(str(p))
            label.append(f"  {n} return{'' if n == 1 else 's'}" if n else "  —", style="italic")
            options.append(Option(label, id=p.slug))
        box.set_options(options)
        want = self._current.period if self._current else None
        have = set(self._snapshot.collection.periods(plan.id))
        with_returns = [i for i, p in enumerate(self._periods) if p in have]
        if want in self._periods:
            box.highlighted = self._periods.index(want)
        elif with_returns:
            box.highlighted = with_returns[-1]
        else:
            box.highlighted = 0

    @on(OptionList.OptionHighlighted, "#choice-plans")
    def _plan_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_plan(self._plans[event.option_index])

    @on(OptionList.OptionSelected, "#choice-plans")
    def _plan_selected(self) -> None:
        self.query_one("#choice-periods", OptionList).focus()

    @on(OptionList.OptionSelected, "#choice-periods")
    def _period_selected(self, event: OptionList.OptionSelected) -> None:
        if self._plan is not None and self._periods:
            self.dismiss(Choice(self._plan.id, self._periods[event.option_index]))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the current choice."""
        self.dismiss(None)


class ActionDialog(ModalScreen[str | None]):
    """Choose an action of a plan by typing part of its ref or title."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: Sequence[tuple[str, str, str]]) -> None:
        """``choices`` are (ref, title, leads)."""
        super().__init__()
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        """Filter box above the list."""
        with Vertical(classes="dialog wide", id="action-dialog"):
            yield Label("Show the history of an action", classes="dialog-title")
            yield Input(placeholder="Type part of the ref or title, e.g. 3l or hub", id="filter")
            yield OptionList(id="choices")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Show every action."""
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, text: str) -> None:
        words = text.lower().split()
        options = []
        for ref, title, leads in self._choices:
            if all(w in f"{ref} {title} {leads}".lower() for w in words):
                prompt = Text(f"{ref:<6}{title}")
                prompt.append(f"  (lead: {leads or 'none'})", style="italic")
                options.append(Option(prompt, id=ref))
        box = self.query_one("#choices", OptionList)
        box.set_options(options or [Option("No action matches", disabled=True)])
        box.highlighted = 0 if options else None

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _take(self) -> None:
        box = self.query_one("#choices", OptionList)
        if box.highlighted is not None:
            option = box.get_option_at_index(box.highlighted)
            if not option.disabled:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the current action."""
        self.dismiss(None)
