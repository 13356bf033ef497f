"""Review and sign: every entry with its status, every problem as a row that leads to it.

Enter on a problem closes the screen with its :class:`~dapreturn.core.filling.places.Place` so
the main screen can put the cursor in that field. Signing is refused while any problem remains;
otherwise the signing steps in :mod:`dapreturn.tui.partner.signflow` run (safeguarding check,
key, passphrase, submit).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from dapreturn.core.filling.fields import problem_text
from dapreturn.core.filling.launch import display_path
from dapreturn.core.filling.places import Place
from dapreturn.core.filling.review import all_problems
from dapreturn.core.filling.session import FillSession, SaveTarget
from dapreturn.core.filling.signing import Signed
from dapreturn.core.returns.rules import Problem
from dapreturn.tui.officer.return_text import return_body
from dapreturn.tui.partner.autosave import Autosaver
from dapreturn.tui.partner.signflow import sign_return
from dapreturn.tui.widgets.status_bar import StatusBar

ReviewResult = Place | Signed | None
"""What review ends with: somewhere to go, a signed return, or nothing (back)."""


class ReviewScreen(Screen[ReviewResult]):
    """Check the whole return, then sign it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f3", "back", "Back to actions"),
        Binding("ctrl+g", "sign", "Sign and save"),
    ]

    def __init__(self, session: FillSession, autosaver: Autosaver) -> None:
        """Review ``session``."""
        super().__init__()
        self.session = session
        """The return being reviewed."""
        self.autosaver = autosaver
        """Saves the draft (prepared-by edits)."""
        self._problems: list[Problem] = []

    def compose(self) -> ComposeResult:
        """Who and where, the summary list, the sign button."""
        s = self.session
        yield StatusBar()
        with VerticalScroll(id="review-body"):
            yield Static(
                f"Review and sign: {s.plan.partner_name(s.partner)} ({s.partner}), "
                f"{s.period.describe()}",
                classes="screen-intro",
            )
            yield Static(id="review-summary")
            yield OptionList(id="review-items")
            with Horizontal(classes="inline-field"):
                yield Label("Prepared by (name, role)")
                yield Input(s.ret.prepared_by, id="prepared-by")
            with Horizontal(classes="inline-field"):
                yield Label("Save the signed file in")
                yield Input(display_path(s.target.out_dir), id="out-dir")
            with Horizontal(classes="buttons"):
                yield Button("Sign and save (ctrl+g)", id="sign", variant="primary")
                yield Button("Back (Esc)", id="back")
            yield Static(
                "The whole return, as the steering group will read it (scroll down):",
                classes="screen-intro",
            )
            yield Static(id="whole-return")
        yield Footer()

    def on_mount(self) -> None:
        """Check everything and list it."""
        bar = self.query_one(StatusBar)
        bar.partner, bar.period = self.session.partner, str(self.session.period)
        self.session.show_all = True
        self.recheck()
        self.query_one("#review-items", OptionList).focus()

    def recheck(self) -> None:
        """Run every rule and redraw the list."""
        s = self.session
        self._problems = all_problems(s)
        self.query_one("#whole-return", Static).update(return_body(s.ret, s.plan))
        bar = self.query_one(StatusBar)
        bar.complete, bar.total = s.counts()
        options: list[Option | None] = []
        general = [p for p in self._problems if p.ref is None and not p.field.startswith("kpis.")]
        for i, p in enumerate(self._problems):
            if p in general:
                options.append(self._problem_option(i, p))
        for entry in s.entries():
            status = s.plan.status(entry.status)
            state = s.state(entry.ref)
            line = Text(f"{state.marker} {entry.ref:<5}", style="bold")
            line.append(f"{status.marker + ' ' + status.label if status else '-- no status'}")
            line.append(f"  ({state.label})")
            options.append(Option(line, id=f"e:{entry.ref}"))
            for i, p in enumerate(self._problems):
                if p.ref is not None and p.ref.lower() == entry.ref.lower():
                    options.append(self._problem_option(i, p))
        options.append(Option(Text(f"# KPI figures: {s.kpis.summary()}"), id="k:"))
        for i, p in enumerate(self._problems):
            if p.field.startswith("kpis.") or (p.ref and s.ret.entry(p.ref) is None):
                options.append(self._problem_option(i, p))
        box = self.query_one("#review-items", OptionList)
        box.set_options(options)
        box.highlighted = 0
        summary = self.query_one("#review-summary", Static)
        n = len(self._problems)
        if n:
            summary.update(
                f"✗ {n} problem{'s' if n != 1 else ''} to fix before you can sign. "
                "Pick one with ↑ ↓ and press Enter to go there."
            )
        else:
            summary.update("✓ No problems found. Check the list, then sign.")
        summary.set_class(bool(n), "-error")

    @staticmethod
    def _problem_option(index: int, p: Problem) -> Option:
        text = Text("✗ ", style="bold")
        text.append(problem_text(p))
        return Option(Padding(text, (0, 0, 0, 2)), id=f"p:{index}")

    @on(OptionList.OptionSelected, "#review-items")
    def _go(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        kind, _, rest = option_id.partition(":")
        if kind == "e":
            self.dismiss(Place.entry(rest))
        elif kind == "k":
            self.dismiss(Place.kpi_sheet())
        elif kind == "p":
            p = self._problems[int(rest)]
            place = Place.of(p)
            if place.field == "prepared_by" and place.ref is None:
                self.query_one("#prepared-by", Input).focus()
            elif (
                place.ref is not None and self.session.ret.entry(place.ref) is not None
            ) or place.is_kpi:
                self.dismiss(place)
            else:
                self.notify(str(p), title="Cannot go there from here", timeout=6, markup=False)

    @on(Input.Changed, "#prepared-by")
    def _preparer(self, event: Input.Changed) -> None:
        if self.session.ret.prepared_by != event.value.strip():
            refused = self.session.set_prepared_by(event.value.strip())
            if refused:
                self.notify(f"Prepared by: {refused}", severity="error", timeout=6)
            else:
                self.autosaver.schedule()

    @on(Input.Changed, "#out-dir")
    def _out_dir(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if value:
            store = self.session.target.store
            self.session.target = SaveTarget(store, Path(value).expanduser())

    @on(Input.Blurred, "#prepared-by")
    @on(Input.Submitted, "#prepared-by")
    def _preparer_done(self) -> None:
        self.recheck()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Return to the actions."""
        self.dismiss(None)

    @on(Button.Pressed, "#sign")
    def _sign_pressed(self) -> None:
        self.action_sign()

    @work(exclusive=True, group="sign")
    async def action_sign(self) -> None:
        """Sign, unless problems remain."""
        self.recheck()
        if self._problems:
            n = len(self._problems)
            self.notify(
                f"Signing is not possible yet: {n} problem{'s' if n != 1 else ''} to fix. "
                "Pick one in the list and press Enter to go there.",
                title="Not signed",
                severity="error",
                timeout=8,
            )
            self.query_one("#review-items", OptionList).focus()
            return
        self.autosaver.flush()
        outcome = await sign_return(self.app, self.session)
        if outcome == Place("prepared_by"):
            self.query_one("#prepared-by", Input).focus()
        elif outcome is not None:
            self.dismiss(outcome)
