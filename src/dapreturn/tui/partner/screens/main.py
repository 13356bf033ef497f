"""The main screen: the list of actions on the left, the selected action's form on the right.

Edits go into the :class:`~dapreturn.core.filling.session.FillSession` and are autosaved;
only the entry being edited is re-checked. Everything else (KPIs, review and sign, adding an
action, switching period, help) is one key or one list item away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from dapreturn.core.filling.done import signed_label
from dapreturn.core.filling.fields import DATE_FIELDS
from dapreturn.core.filling.places import Place
from dapreturn.core.filling.session import FillSession
from dapreturn.core.periods import Period
from dapreturn.tui.partner import views
from dapreturn.tui.partner.autosave import Autosaver, SaveState
from dapreturn.tui.partner.commands import MainCommands
from dapreturn.tui.widgets.action_list import ActionList
from dapreturn.tui.widgets.entry_form import EntryForm
from dapreturn.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from dapreturn.core.filling.signing import Signed


class MainScreen(Screen[None]):
    """Fill in the return, one action at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next_action", "Next", tooltip="Next action in the list"),
        Binding("ctrl+b", "previous_action", "Prev", tooltip="Previous action in the list"),
        Binding("f2", "kpis", "KPIs", tooltip="KPI figures for the period"),
        Binding("f3,ctrl+r", "review", "Review & sign", tooltip="Check everything, then sign"),
        Binding("f4", "add_action", "Add an action you contribute to", show=False),
        Binding("f5", "switch_period", "Switch period", show=False),
        Binding("ctrl+s", "save_now", "Save the draft now", show=False),
        Binding("escape", "focus_list", "Back to the list of actions", show=False),
        Binding("question_mark", "app.help", "Help (when not typing)", show=False),
    ]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {MainCommands}

    class SwitchPeriod(Message):
        """The lead picked another period (the app opens it)."""

        def __init__(self, period: Period) -> None:
            """Name the period."""
            super().__init__()
            self.period = period
            """The period to open."""

    class Signed(Message):
        """A return was signed and written (the app remembers the folder, sets the draft aside)."""

        def __init__(self, outcome: Signed) -> None:
            """Carry what was written."""
            super().__init__()
            self.outcome = outcome
            """Path, fingerprint and revision of the signed file."""

    def __init__(self, session: FillSession, autosaver: Autosaver, out_label: str) -> None:
        """Show ``session``; ``out_label`` says where the signed file will be saved."""
        super().__init__()
        self.session = session
        """The return being filled in."""
        self.autosaver = autosaver
        """Saves the draft after each change."""
        self.out_label = out_label
        """The output folder, for the note at the bottom."""

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        """Focus ``widget``; a field of the form is scrolled by the form's own rule, not here."""
        if widget is not None and any(isinstance(a, EntryForm) for a in widget.ancestors):
            scroll_visible = False
        super().set_focus(widget, scroll_visible, from_app_focus)

    def compose(self) -> ComposeResult:
        """Status line, list and form, offline note, key hints."""
        yield StatusBar(id="status-bar")
        with Horizontal(id="main-body"):
            with Vertical(id="left"):
                yield ActionList(id="actions")
                yield Static(views.LEGEND, id="legend")
            yield EntryForm(self.session.plan.statuses, id="form")
            yield Static(views.NO_ENTRIES, id="no-entries")
        yield Static(
            Text(f"Works offline. Drafts save as you type. Signed return goes to {self.out_label}"),
            id="offline-note",
        )
        yield Footer()

    def on_mount(self) -> None:
        """Fill the list, show the first action, start listening to autosave."""
        bar = self.query_one(StatusBar)
        bar.partner = self.session.partner
        bar.period = str(self.session.period)
        self.autosaver.state.subscribe(self, self._saved)
        self.refresh_list()
        refs = self.query_one(ActionList).refs()
        if refs:
            self.query_one(ActionList).highlight_id(f"ref:{refs[0]}")
            self.show(refs[0])
        self.query_one(ActionList).focus()
        if self.session.origin and not self.session.origin.startswith("New return"):
            self.notify(self.session.origin, timeout=6, markup=False)

    # -- drawing ----------------------------------------------------------------------------

    def refresh_list(self) -> None:
        """Rebuild the list and the progress count."""
        items = [self.session.line(e.ref) for e in self.session.entries()]
        self.query_one(ActionList).show(items, kpi_summary=self.session.kpis.summary())
        self.query_one(EntryForm).display = bool(items)
        self.query_one("#no-entries").display = not items
        self._count()

    def _count(self) -> None:
        done, total = self.session.counts()
        bar = self.query_one(StatusBar)
        bar.complete, bar.total = done, total

    def _refresh_entry(self, ref: str) -> None:
        """Redraw one entry's list line, problems and the count after a change."""
        changed = self.query_one(ActionList).update_item(self.session.line(ref))
        form = self.query_one(EntryForm)
        if form.ref is not None and form.ref.lower() == ref.lower():
            form.show_problems(self.session.visible_problems(ref))
        if changed:  # the count moves only when an entry's line (its state) does
            self._count()

    def show(self, ref: str) -> None:
        """Load ``ref``'s entry into the form."""
        form = self.query_one(EntryForm)
        form.show_entry(views.entry_view(self.session, ref))
        form.show_problems(self.session.visible_problems(ref))

    def jump_to(self, ref: str, field: str) -> None:
        """Show ``ref`` with all its problems and put the cursor in ``field``."""
        self.session.touch_all(ref)
        actions = self.query_one(ActionList)
        actions.highlight_id(f"ref:{self.session.entry(ref).ref}")
        self.show(ref)
        self._refresh_entry(ref)
        self.query_one(EntryForm).focus_field(field)

    def _saved(self, state: SaveState) -> None:
        bar = self.query_one(StatusBar)
        bar.saved, bar.save_ok = state.text, state.ok
        if not state.ok:
            self.notify(
                state.detail, title="Draft not saved", severity="error", timeout=10, markup=False
            )

    # -- events -----------------------------------------------------------------------------

    @on(ActionList.Highlighted)
    def _highlighted(self, event: ActionList.Highlighted) -> None:
        form = self.query_one(EntryForm)
        if form.ref != event.ref:
            self.show(event.ref)

    @on(ActionList.Chosen)
    def _chosen(self, event: ActionList.Chosen) -> None:
        if self.query_one(EntryForm).ref != event.ref:
            self.show(event.ref)
        self.query_one(EntryForm).focus_field("status")

    @on(ActionList.Navigate)
    def _navigate(self, event: ActionList.Navigate) -> None:
        actions = {"add": self.action_add_action, "kpis": self.action_kpis}
        actions.get(event.where, self.action_review)()

    @on(EntryForm.FieldChanged)
    def _changed(self, event: EntryForm.FieldChanged) -> None:
        s = self.session
        changed = s.set_field(event.ref, event.field, event.value).changed
        if event.field in DATE_FIELDS:
            s.set_input_error(event.ref, event.field, event.error, event.typed)
        if changed:
            self.autosaver.schedule()
            self.query_one(StatusBar).saved = "Saving…"
        if event.field == "target":
            self.query_one(EntryForm).show_target_moved(s.target_moved(event.ref))
        self._refresh_entry(event.ref)

    @on(EntryForm.FieldLeft)
    def _left(self, event: EntryForm.FieldLeft) -> None:
        self.session.touch(event.ref, event.field)
        self._refresh_entry(event.ref)

    # -- actions ----------------------------------------------------------------------------

    def _step(self, delta: int) -> None:
        refs = self.query_one(ActionList).refs()
        if not refs:
            return
        current = self.query_one(EntryForm).ref
        index = refs.index(current) if current in refs else -1
        target = refs[(index + delta) % len(refs)]
        in_form = (
            self.focused is not None and self.focused in self.query_one(EntryForm).walk_children()
        )
        self.query_one(ActionList).highlight_id(f"ref:{target}")
        self.show(target)
        if in_form:
            self.query_one(EntryForm).focus_field("status")

    def action_next_action(self) -> None:
        """Go to the next action in the list."""
        self._step(1)

    def action_previous_action(self) -> None:
        """Go to the previous action in the list."""
        self._step(-1)

    def action_focus_list(self) -> None:
        """Put the cursor back in the list of actions."""
        self.query_one(ActionList).focus()

    def action_save_now(self) -> None:
        """Save the draft now (it is saved automatically anyway)."""
        state = self.autosaver.flush()
        if state is not None:
            self._saved(state)
        self.notify("Your draft is saved.", timeout=3)

    @work
    async def action_add_action(self) -> None:
        """Pick another action of the plan to report on as a contributor."""
        from dapreturn.tui.partner.screens.pickers import ActionPicker

        choices = [(a.ref, a.title, ", ".join(a.leads)) for a in self.session.addable_actions()]
        ref = await self.app.push_screen_wait(ActionPicker(choices))
        if ref is None:
            return
        entry = self.session.add_action(ref)
        self.autosaver.schedule()
        self.refresh_list()
        self.query_one(ActionList).highlight_id(f"ref:{entry.ref}")
        self.show(entry.ref)
        self.query_one(EntryForm).focus_field("status")

    def action_kpis(self) -> None:
        """Open the KPI figures for the period."""
        self._open_kpis(None)

    @work
    async def _open_kpis(self, kpi_id: str | None) -> None:
        from dapreturn.tui.partner.screens.kpis import KpiScreen

        screen = KpiScreen(self.session, self.autosaver, focus_kpi=kpi_id)
        await self.app.push_screen_wait(screen)
        self.query_one(ActionList).update_kpis(self.session.kpis.summary())

    def action_open_drafts(self) -> None:
        """Show where drafts are kept (and open the folder when the computer can)."""
        from dapreturn.core import opener
        from dapreturn.tui.partner.screens.pickers import MessageScreen

        store = self.session.target.store
        folder = store.folder(self.session.key)
        shown = folder if folder.is_dir() else store.root
        opened = shown.is_dir() and opener.open_folder(shown)
        words = "The folder was opened for you. " if opened else ""
        self.app.push_screen(
            MessageScreen(
                "Drafts folder",
                f"{words}Drafts of this return are saved in the folder below, several "
                "generations, newest last. Nothing there is ever deleted by starting fresh.",
                detail=str(shown),
            )
        )

    @work
    async def action_review(self) -> None:
        """Review every problem, then sign."""
        from dapreturn.tui.partner.screens.review import ReviewScreen

        result = await self.app.push_screen_wait(ReviewScreen(self.session, self.autosaver))
        self.refresh_list()
        if isinstance(result, Place):
            if result.ref is not None:
                self.jump_to(result.ref, result.field)
            elif result.kpi is not None:
                self._open_kpis(result.kpi or None)
        elif result is not None:
            self.query_one(StatusBar).signed = signed_label(result.revision)
            self.post_message(self.Signed(result))

    @work
    async def action_switch_period(self) -> None:
        """Pick another period of the plan."""
        from dapreturn.tui.partner.screens.pickers import PeriodPicker

        picked = await self.app.push_screen_wait(
            PeriodPicker(self.session.plan, self.session.period)
        )
        if picked is not None and picked != self.session.period:
            self.post_message(self.SwitchPeriod(picked))
