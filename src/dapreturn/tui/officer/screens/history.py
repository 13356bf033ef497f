"""The action history view: every entry on one action across periods and partners.

Status, dates and narrative of each counted entry, oldest first, and how often a partner moved
its target date later (from :func:`dapreturn.core.collection.analysis.action_history`). ``[`` and
``]`` step
through the plan's actions; ``a`` (on the main screen) picks one by name.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from dapreturn.core.collection.analysis import ActionHistory, action_history
from dapreturn.core.plan.model import Plan
from dapreturn.core.report.model import fmt_date
from dapreturn.core.review.snapshot import Choice, Snapshot
from dapreturn.tui.officer.screens.dashboard import status_words


def head_text(plan: Plan, h: ActionHistory) -> Text:
    """The action, its leads and due date, and the slips in one sentence."""
    a = h.action
    section = plan.section(a.section)
    text = Text()
    text.append(f"{a.ref}  {a.title}", style="bold")
    text.append(f"   section {a.section} {section.title if section else ''}".rstrip())
    text.append(f"\n{a.text}")
    leads = ", ".join(a.leads) or "none named"
    text.append(f"\nLeads: {leads} · Due: {fmt_date(a.due) or '—'}")
    if a.success_measure:
        text.append(f"\nSuccess measure: {a.success_measure}")
    n = h.slip_count
    text.append(f"\nTarget date slipped {n} time{'' if n == 1 else 's'}", style="bold")
    if h.slips:
        text.append(": ")
        text.append(
            "; ".join(
                f"{s.partner} in {s.period}: {fmt_date(s.before)} → {fmt_date(s.after)}"
                for s in h.slips
            )
        )
    return text


def items_text(plan: Plan, h: ActionHistory) -> Text:
    """One block per entry: period, partner, status, dates and narrative."""
    if not h.items:
        return Text("No verified return reports on this action yet.")
    slipped = {(s.partner, s.period): s for s in h.slips}
    text = Text()
    for i, item in enumerate(h.items):
        e = item.entry
        if i:
            text.append("\n\n")
        text.append(f"{item.period} · {item.partner} ({e.role}) · ", style="bold")
        text.append(status_words(plan, e.status), style="bold")
        target = fmt_date(e.target) or "—"
        slip = slipped.get((item.partner, item.period))
        if slip is not None:
            target += f" (slipped from {fmt_date(slip.before)})"
        text.append(
            f"\n  Started {fmt_date(e.started) or '—'} · Target {target}"
            f" · Completed {fmt_date(e.completed) or '—'}"
        )
        if e.responsible:
            text.append(f"\n  Responsible: {'; '.join(e.responsible)}")
        for label, value in (
            ("Action taken", e.action_taken),
            ("Next steps", e.next_steps),
            ("Risks", e.risks),
        ):
            text.append(f"\n  {label}: ", style="italic")
            text.append(value.strip() or "—")
        text.append(f"\n  File: {item.record.rel}", style="dim")
    return text


class HistoryView(Vertical):
    """The history of one action (the main screen sets :attr:`choice` and :attr:`ref`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "step(-1)", "Prev action"),
        Binding("right_square_bracket", "step(1)", "Next action"),
    ]

    snapshot: reactive[Snapshot | None] = reactive(None)
    """The loaded folder."""
    choice: reactive[Choice | None] = reactive(None)
    """The plan whose action is shown (its period does not matter here)."""
    ref: reactive[str] = reactive("")
    """The action shown (blank: the plan's first)."""

    history: ActionHistory | None = None
    """The history on screen."""

    def compose(self) -> ComposeResult:
        """Heading and the scrollable list of entries."""
        yield Static("", id="hist-head-line", classes="view-head")
        with VerticalScroll(id="hist-body", classes="view-body"):
            yield Static("", id="hist-head")
            yield Static("", id="hist-items")

    def focus_main(self) -> None:
        """Keyboard scrolls the entries."""
        self.query_one("#hist-body").focus()

    def watch_snapshot(self) -> None:
        """New data: redraw."""
        self._draw()

    def watch_choice(self) -> None:
        """Another plan: redraw."""
        self._draw()

    def watch_ref(self) -> None:
        """Another action: redraw."""
        self._draw()

    def _plan(self) -> Plan | None:
        snapshot, choice = self.snapshot, self.choice
        return snapshot.plan(choice.plan_id) if snapshot and choice else None

    def _draw(self) -> None:
        plan = self._plan()
        line = self.query_one("#hist-head-line", Static)
        if plan is None or self.snapshot is None:
            self.history = None
            line.update("No plan chosen yet (press p to choose one).")
            self.query_one("#hist-head", Static).update("")
            self.query_one("#hist-items", Static).update("")
            return
        action = plan.action(self.ref) if self.ref else None
        action = action or plan.actions[0]
        h = action_history(self.snapshot.collection, plan, action.ref)
        self.history = h
        index = plan.actions.index(action) + 1
        line.update(
            Text.assemble(
                (f"{plan.id} · action {action.ref} ({index} of {len(plan.actions)})", "bold"),
                f" · {len(h.items)} entries",
                ("\na: choose an action · [ ]: previous / next action · p: plan", "dim"),
            )
        )
        self.query_one("#hist-head", Static).update(head_text(plan, h))
        self.query_one("#hist-items", Static).update(items_text(plan, h))

    def action_step(self, by: int) -> None:
        """Show the previous or next action of the plan."""
        plan = self._plan()
        if plan is None:
            return
        refs = [a.ref for a in plan.actions]
        current = self.history.action.ref if self.history else refs[0]
        self.ref = refs[(refs.index(current) + by) % len(refs)]
        self.query_one("#hist-body", VerticalScroll).scroll_home(animate=False)
