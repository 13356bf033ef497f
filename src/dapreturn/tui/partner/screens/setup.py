"""First run: which plan, which organisation, who is preparing the return, which period.

The answers are returned as a :class:`SetupChoice`; the app remembers them so the next start
goes straight to the return. Everything is reachable with Tab, typing, arrows and Enter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from dapreturn.core.filling.launch import find_partners
from dapreturn.core.filling.start import default_period
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan.model import Plan
from dapreturn.tui.widgets.field_input import FieldInput
from dapreturn.tui.widgets.filter_input import FilterInput, enter_list


@dataclass(frozen=True)
class SetupChoice:
    """What the lead chose on the first-run screen."""

    plan: Plan
    """The action plan."""
    partner: str
    """The partner code."""
    name: str
    """Who is preparing the return."""
    role: str
    """Their role."""
    period: Period
    """The reporting period."""

    @property
    def prepared_by(self) -> str:
        """``Name, role`` as the return records it."""
        return f"{self.name}, {self.role}" if self.role else self.name


def split_preparer(prepared_by: str) -> tuple[str, str]:
    """``"Jo Bloggs, Manager"`` -> ``("Jo Bloggs", "Manager")``."""
    name, _, role = prepared_by.partition(",")
    return name.strip(), role.strip()


class SetupScreen(Screen[SetupChoice | None]):
    """Choose plan, organisation, preparer and period."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g", "start", "Start"),
        Binding("escape", "cancel", "Back (when changing answers)", show=False),
    ]

    def __init__(
        self,
        plans: Sequence[Plan],
        *,
        plan_id: str,
        partner: str | None,
        prepared_by: str,
        period: Period | None,
        today: date | None = None,
        can_cancel: bool = False,
    ) -> None:
        """Offer ``plans`` with the remembered (or command-line) answers filled in."""
        super().__init__()
        self._plans = {p.id: p for p in plans}
        self._plan = self._plans.get(plan_id) or next(iter(self._plans.values()))
        self._partner = partner if partner and self._plan.partner(partner) else None
        self._name, self._role = split_preparer(prepared_by)
        self._period = period
        self._today = today
        self._can_cancel = can_cancel

    def compose(self) -> ComposeResult:
        """Welcome words and the questions."""
        with VerticalScroll(id="setup-body"):
            yield Static(
                Text("Welcome to dapreturn: your quarterly progress return", style="bold"),
                classes="screen-intro",
            )
            yield Static(
                "This app works offline and saves what you type as you go. "
                "Answer these once; they are remembered. Tab moves to the next question."
            )
            yield Label("Action plan", classes="field-label")
            yield Select(
                [(Text(p.title), p.id) for p in self._plans.values()],
                value=self._plan.id,
                allow_blank=False,
                id="plan",
            )
            yield Label("Your organisation: type part of its name or code", classes="field-label")
            yield FilterInput(placeholder="e.g. women's aid, or BSWA", id="partner-filter")
            yield OptionList(id="partners")
            yield Static(id="partner-chosen")
            yield Label("Your name", classes="field-label")
            yield FieldInput(self._name, placeholder="e.g. Jo Bloggs", id="name")
            yield Label("Your role", classes="field-label")
            yield FieldInput(self._role, placeholder="e.g. Service Manager", id="role")
            yield Label("Reporting period", classes="field-label")
            yield Select([("", "")], allow_blank=False, id="period")
            yield Static(id="setup-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the lists for the chosen plan."""
        self._load_plan(self._plan)
        self.query_one("#setup-error", Static).display = False
        first = "#name" if self._partner else "#partner-filter"
        self.query_one(first, Input).focus()

    def _load_plan(self, plan: Plan) -> None:
        """Show the plan's partners and periods."""
        self._plan = plan
        if self._partner and not plan.partner(self._partner):
            self._partner = None
        self._fill_partners("")
        periods = periods_between(plan.start, plan.end)
        wanted = (
            self._period if self._period in periods else default_period(plan, today=self._today)
        )
        period_box: Select[str] = self.query_one("#period", Select)
        period_box.set_options([(p.describe(), p.slug) for p in periods])
        period_box.value = wanted.slug
        self._show_chosen()

    def _fill_partners(self, text: str) -> None:
        found = find_partners(self._plan, text)
        box = self.query_one("#partners", OptionList)
        options = []
        for p in found:
            prompt = Text(f"{p.code:<10} ", style="bold")
            prompt.append(p.name)
            options.append(Option(prompt, id=p.code))
        box.set_options(options or [Option("No organisation matches", disabled=True)])
        if self._partner and any(p.code == self._partner for p in found):
            box.highlighted = box.get_option_index(self._partner)
        else:
            box.highlighted = 0 if len(found) == 1 else None
        if len(found) == 1:
            self._partner = found[0].code
            self._show_chosen()

    def _show_chosen(self) -> None:
        line = self.query_one("#partner-chosen", Static)
        if self._partner:
            line.update(
                Text(f"✓ Chosen: {self._partner}, {self._plan.partner_name(self._partner)}")
            )
        else:
            line.update("No organisation chosen yet: type part of its name, then ↓ and Enter.")

    @on(Select.Changed, "#plan")
    def _plan_changed(self, event: Select.Changed) -> None:
        plan = self._plans.get(str(event.value))
        if plan is not None and plan is not self._plan:
            self._load_plan(plan)

    @on(Input.Changed, "#partner-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill_partners(event.value)

    @on(Input.Submitted, "#partner-filter")
    def _filter_enter(self) -> None:
        box = self.query_one("#partners", OptionList)
        enabled = [o for o in box.options if not o.disabled]
        if len(enabled) == 1:
            self.query_one("#name", Input).focus()
        elif enabled:
            box.focus()

    @on(FilterInput.Pick)
    def _to_list(self) -> None:
        """Move from the filter into the list of organisations."""
        enter_list(self.query_one("#partners", OptionList))

    @on(OptionList.OptionSelected, "#partners")
    def _partner_picked(self, event: OptionList.OptionSelected) -> None:
        self._partner = event.option.id
        self._show_chosen()
        self.query_one("#name", Input).focus()

    def action_cancel(self) -> None:
        """Keep the current answers (only when changing them from the main screen)."""
        if self._can_cancel:
            self.dismiss(None)

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Check the answers and start."""
        name = self.query_one("#name", Input).value.strip()
        role = self.query_one("#role", Input).value.strip()
        slug = str(self.query_one("#period", Select).value)
        problems = []
        if not self._partner:
            problems.append("Choose your organisation: type part of its name, then Enter.")
        if not name:
            problems.append("Give your name (it goes on the return as who prepared it).")
        error = self.query_one("#setup-error", Static)
        if problems:
            error.update(Text("\n".join(f"✗ {p}" for p in problems)))
            error.display = True
            self.query_one("#partner-filter" if not self._partner else "#name", Input).focus()
            return
        assert self._partner is not None
        period = next(
            p for p in periods_between(self._plan.start, self._plan.end) if p.slug == slug
        )
        self.dismiss(SetupChoice(self._plan, self._partner, name, role, period))
