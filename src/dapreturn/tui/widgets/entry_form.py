"""The form for one action: the plan's wording, then status, dates, people and narrative.

The form is composed once, one widget per field of
:data:`~dapreturn.core.filling.fields.ENTRY_FIELDS` (the list the plain mode asks from), and
re-loaded for each action (:meth:`EntryForm.show_entry`), so moving through a long plan never
rebuilds widgets. It reports edits up as
:class:`EntryForm.FieldChanged` and leaving a field as :class:`EntryForm.FieldLeft`; the screen
checks the entry and hands the problems back down with :meth:`EntryForm.show_problems`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import DescendantBlur, DescendantFocus
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Label, Select, Static, TextArea

from dapreturn.core.dates import describe_date
from dapreturn.core.filling.fields import (
    DATE_FIELDS,
    ENTRY_FIELDS,
    FIELD_NAMES,
    FIELDS,
    NARRATIVE_FIELDS,
    Kind,
    parse_lines,
)
from dapreturn.core.plan.model import Status
from dapreturn.core.returns.rules import Problem
from dapreturn.tui.widgets.date_input import DateInput
from dapreturn.tui.widgets.entry_view import EntryView, details
from dapreturn.tui.widgets.status_select import StatusSelect
from dapreturn.tui.widgets.text_box import TextBox


def _field_of(widget: Widget | None) -> str | None:
    """The form field a widget belongs to (``field-<name>`` ancestor id), if any."""
    node: Any = widget
    while node is not None:
        node_id = getattr(node, "id", None)
        if isinstance(node_id, str) and node_id.startswith("field-"):
            return node_id.removeprefix("field-")
        node = getattr(node, "parent", None)
    return None


class EntryForm(VerticalScroll):
    """One entry's form; posts edits and field exits, shows problems it is given."""

    class FieldChanged(Message):
        """The lead changed a field (``value`` is already the model's type)."""

        def __init__(
            self, ref: str, field: str, value: Any, error: str | None = None, typed: str = ""
        ) -> None:
            """Describe the edit."""
            super().__init__()
            self.typed = typed
            """The text as typed (kept by the session when it could not be read)."""
            self.ref = ref
            """The action reference."""
            self.field = field
            """The field name."""
            self.value = value
            """The new value (date, list of names, text or status id)."""
            self.error = error
            """Why typed text could not be read (bad date), else ``None``."""

    class FieldLeft(Message):
        """Focus left a field: time to show its problems."""

        def __init__(self, ref: str, field: str) -> None:
            """Name the field."""
            super().__init__()
            self.ref = ref
            """The action reference."""
            self.field = field
            """The field name."""

    def __init__(self, statuses: Sequence[Status], *, id: str | None = None) -> None:
        """A form for the plan's status vocabulary ``statuses``."""
        super().__init__(id=id)
        self._statuses = list(statuses)
        self._status_shown: Status | None = None
        self._ref: str | None = None
        self._errors: dict[str, str] = {}
        self._marked: str | None = None
        self._loaded: dict[str, tuple[Any, str | None]] = {}

    @property
    def ref(self) -> str | None:
        """The ref of the entry shown."""
        return self._ref

    def compose(self) -> ComposeResult:
        """Every field, once."""
        yield Static(id="details")
        yield Static(id="target-moved", classes="notice")
        yield Static(id="error-ref", classes="field-error")
        for field in ENTRY_FIELDS:
            name = field.name
            yield Label(field.label_for(None), classes="field-label", id=f"label-{name}")
            if field.kind is Kind.CHOICE:
                yield StatusSelect(self._statuses, prompt=field.hint, id=f"field-{name}")
            elif field.kind is Kind.DATE:
                yield DateInput(id=f"field-{name}")
            else:
                short = "short" if field.kind is Kind.LINES else None
                yield TextBox(id=f"field-{name}", classes=short, placeholder=field.hint)
            yield Static(id=f"error-{name}", classes="field-error")
            if field.kind is Kind.TEXT:
                with Collapsible(title="Last period", collapsed=False, id=f"last-{name}"):
                    yield Static(id=f"lasttext-{name}", classes="last-text")

    def show_entry(self, view: EntryView) -> None:
        """Load an entry into the fields (posts no change messages).

        Edits to the entry shown until now are posted first, with its ref, so that a change
        whose message is still on its way when another action is opened is never lost nor
        credited to the new one.
        """
        entry = view.entry
        self._commit()
        self._ref = entry.ref
        self.query_one("#details", Static).update(details(view))
        self.show_target_moved(view.target_moved)
        with self.prevent(Select.Changed, TextArea.Changed, DateInput.Changed):
            select: Select[str] = self.query_one("#field-status", Select)
            known = {s.id for s in self._statuses}
            select.value = entry.status if entry.status in known else Select.NULL
            for field in ENTRY_FIELDS:
                if field.kind is Kind.DATE:
                    self.query_one(f"#field-{field.name}", DateInput).load(
                        getattr(entry, field.name), view.typed.get(field.name)
                    )
                elif field.kind is not Kind.CHOICE:
                    self.query_one(f"#field-{field.name}", TextArea).load_text(field.text(entry))
        for name in NARRATIVE_FIELDS:
            box = self.query_one(f"#last-{name}", Collapsible)
            old_text = getattr(view.previous, name) if view.previous else ""
            box.display = view.previous is not None
            box.title = f"Last period ({view.previous_period})"
            shown = old_text.strip() or "(nothing was written)"
            self.query_one(f"#lasttext-{name}", Static).update(Text(shown))
        self._show_required(entry.status)
        self._loaded = self._values()
        self.show_problems([])
        self.scroll_home(animate=False)

    def _values(self) -> dict[str, tuple[Any, str | None]]:
        """What every field holds now: the model's value, and why typed text is unreadable."""
        select: Select[str] = self.query_one("#field-status", Select)
        values: dict[str, tuple[Any, str | None]] = {
            "status": ("" if select.value is Select.NULL else str(select.value), None)
        }
        for field in ENTRY_FIELDS:
            box = f"#field-{field.name}"
            if field.kind is Kind.DATE:
                date_box = self.query_one(box, DateInput)
                values[field.name] = (date_box.value, date_box.error)
            elif field.kind is not Kind.CHOICE:
                values[field.name] = (
                    self._text_value(field.name, self.query_one(box, TextArea)),
                    None,
                )
        return values

    @staticmethod
    def _text_value(field: str, area: TextArea) -> Any:
        """A text box's value: the list of people for the responsible box, else the text."""
        return parse_lines(area.text) if FIELDS[field].kind is Kind.LINES else area.text

    def _commit(self) -> None:
        """Post the fields edited since the entry was loaded, for the entry shown until now."""
        if self._ref is None:
            return
        for field, (value, error) in self._values().items():
            if self._loaded.get(field) != (value, error):
                self._post(field, value, error)

    def show_target_moved(self, moved: tuple[date, date] | None) -> None:
        """Show (or hide) the note that the target date moved later than last period's."""
        notice = self.query_one("#target-moved", Static)
        if moved:
            old, new = moved
            notice.update(
                f"⚑ Target moved: last period it was {describe_date(old)}, now "
                f"{describe_date(new)}. Say why in Risks / issues."
            )
        notice.display = moved is not None

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Show each problem under its field; clear the others."""
        by_field: dict[str, list[str]] = {}
        for p in problems:
            field = p.field if p.field not in ("role",) else "ref"
            by_field.setdefault(field, []).append(p.message)
        for name in ("ref", *FIELD_NAMES):
            line = self.query_one(f"#error-{name}", Static)
            messages = by_field.get(name, [])
            if name in DATE_FIELDS:
                own = self.query_one(f"#field-{name}", DateInput).error
                messages = [m for m in messages if m != own]
            shown = "\n".join(f"✗ {m}" for m in messages)
            if self._errors.get(name) != shown:
                self._errors[name] = shown
                line.update(Text(shown))
                line.display = bool(messages)

    def focus_field(self, field: str) -> None:
        """Focus a field by name (the status box for anything unknown)."""
        target = field if field in FIELDS else "status"
        widget = self.query_one(f"#field-{target}")
        focus = widget.query_one(Input) if isinstance(widget, DateInput) else widget
        # Now, not after the keys already typed (Widget.focus() waits for them).
        self.screen.set_focus(focus, scroll_visible=False)

    def _post(self, field: str, value: Any, error: str | None = None) -> None:
        if self._ref is None:
            return
        typed = ""
        if error is not None:  # keep the unreadable text (a bad date) to show it again
            typed = self.query_one(f"#field-{field}", DateInput).text
        self.post_message(self.FieldChanged(self._ref, field, value, error, typed))

    def _show_required(self, status_id: str) -> None:
        """Label each field, saying which the chosen status makes required."""
        self._status_shown = next((s for s in self._statuses if s.id == status_id), None)
        self._relabel()

    @on(Select.Changed, "#field-status")
    def _status(self, event: Select.Changed) -> None:
        event.stop()
        self._show_required("" if event.value is Select.NULL else str(event.value))
        self._post("status", "" if event.value is Select.NULL else str(event.value))

    @on(DateInput.Changed)
    def _date(self, event: DateInput.Changed) -> None:
        event.stop()
        field = _field_of(event.date_input)
        if field:
            self._post(field, event.value, event.error)

    @on(TextArea.Changed)
    def _text(self, event: TextArea.Changed) -> None:
        event.stop()
        field = _field_of(event.text_area)
        if field in FIELDS:
            self._post(field, self._text_value(field, event.text_area))

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        """Point at the field being edited (a marker, so colour is not needed to see it)."""
        field = _field_of(event.widget)
        self._mark(field)
        if field is not None:
            self.call_after_refresh(self._reveal)

    def on_mount(self) -> None:
        """Reveal the focused field again after every layout (a line under a box came or went)."""
        self.screen.screen_layout_refresh_signal.subscribe(self, lambda _: self._reveal())

    def _reveal(self) -> None:
        """Centre the field with the cursor: its label, box and the lines under it.

        A field that fits on screen together with everything above it (the action's heading,
        its first fields) is shown from the top of the form instead.

        The form's one scrolling rule. It runs after the focus moves and after every layout,
        and where it scrolls to depends only on the layout (never on where the form was), so
        the last run decides and the form always ends in the same place whatever the timing.
        Textual's own scroll on focus is turned off for the form's fields (see
        :meth:`dapreturn.tui.partner.screens.main.MainScreen.set_focus`).
        """
        if not self.is_attached:
            return
        field = _field_of(self.screen.focused)
        if field is None or not self.display:
            return
        parts = [self.query_one(f"#label-{field}"), self.query_one(f"#field-{field}")]
        error = self.query_one(f"#error-{field}")
        if error.display:
            parts.append(error)
        region = parts[0].virtual_region_with_margin
        for part in parts[1:]:
            region = region.union(part.virtual_region_with_margin)
        if region.bottom <= self.scrollable_content_region.height:
            # Fits with everything above it: keep the action's heading in view too.
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
            return
        self.scroll_to_region(
            region, animate=False, immediate=True, center=True, origin_visible=True, force=True
        )

    def _mark(self, field: str | None) -> None:
        if field == self._marked:
            return
        for name in (self._marked, field):
            if name is None:
                continue
            for label in self.query(f"#label-{name}").results(Label):  # gone while closing
                label.set_class(name == field, "-current")
        self._marked = field
        self._relabel()

    def _relabel(self) -> None:
        """Each label: ``▶`` on the focused field's, ``· required`` where the status needs it."""
        for field in ENTRY_FIELDS:
            for label in self.query(f"#label-{field.name}").results(Label):
                words = field.label_for(self._status_shown)
                label.update(Text(f"▶ {words}" if field.name == self._marked else words))

    @on(DescendantBlur)
    def _blurred(self, event: DescendantBlur) -> None:
        """Post FieldLeft unless the focus stayed inside the field (an open Select overlay).

        Focus has already moved when the blur arrives, so this is decided now; nothing is
        left to run after the next keys.
        """
        field = _field_of(event.widget)
        if field is None or self._ref is None or not self.is_attached:
            return
        now = _field_of(self.screen.focused)
        if now != field:
            self.post_message(self.FieldLeft(self._ref, field))
        if now is None:
            self._mark(None)

    @on(Input.Submitted)
    def _enter_in_date(self, event: Input.Submitted) -> None:
        """Enter in a date box has already moved on (a FieldInput); stop it here."""
        event.stop()
