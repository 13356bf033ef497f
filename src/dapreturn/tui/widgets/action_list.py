"""The list on the left of the main screen: the actions of the return and where to go next.

Each action shows its entry-state marker (○ empty, ◐ in progress, ● complete, ✗ has errors),
its ref, its status marker (``G``, ``A``, ``NS``; ``--`` when none is chosen yet) and its short
title, so nothing depends on colour. Below the actions led come the actions contributed to, an
item to add one, the KPI figures and "Review and sign".
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from dapreturn.core.filling.state import EntryLine

ADD_ID = "nav:add"
"""Option id of "Add an action you contribute to"."""
KPIS_ID = "nav:kpis"
"""Option id of the KPI figures item."""
REVIEW_ID = "nav:review"
"""Option id of "Review and sign"."""


def _prompt(item: EntryLine) -> Text:
    """One list line (wrapping if the title is long)."""
    text = Text()
    text.append(f"{item.state.marker} ", style="bold")
    text.append(f"{item.ref:<4} ", style="bold")
    text.append(f"{item.status_marker:<3} ")
    text.append(item.title)
    if item.target_moved:
        text.append(" [target moved]", style="italic")
    return text


def _heading(words: str) -> Option:
    """A disabled heading line."""
    return Option(Text(words, style="bold underline"), disabled=True)


class ActionList(OptionList):
    """Entries of the return plus navigation items; posts what the lead picks."""

    _shown: dict[str, EntryLine]

    class Highlighted(Message):
        """An action was highlighted (its form should be shown)."""

        def __init__(self, ref: str) -> None:
            """Name the action."""
            super().__init__()
            self.ref = ref
            """The action reference."""

    class Chosen(Message):
        """Enter on an action: edit it."""

        def __init__(self, ref: str) -> None:
            """Name the action."""
            super().__init__()
            self.ref = ref
            """The action reference."""

    class Navigate(Message):
        """Enter on a navigation item (``add``, ``kpis`` or ``review``)."""

        def __init__(self, where: str) -> None:
            """Name the destination."""
            super().__init__()
            self.where = where
            """``add``, ``kpis`` or ``review``."""

    def on_mount(self) -> None:
        """Nothing shown yet."""
        self._shown = {}

    def show(self, items: Sequence[EntryLine], *, kpi_summary: str) -> None:
        """Rebuild the list (keeps the highlighted action where possible)."""
        current = self.highlighted_option.id if self.highlighted_option else None
        self._shown = {i.ref: i for i in items}
        options: list[Option | None] = [_heading("Actions you lead")]
        leads = [i for i in items if i.role == "lead"]
        others = [i for i in items if i.role != "lead"]
        options.extend(Option(_prompt(i), id=f"ref:{i.ref}") for i in leads)
        if not leads:
            options.append(Option(Text("(none in this plan)", style="italic"), disabled=True))
        options.append(_heading("Actions you contribute to"))
        options.extend(Option(_prompt(i), id=f"ref:{i.ref}") for i in others)
        options.append(Option("+ Add an action you contribute to", id=ADD_ID))
        options.append(None)
        options.append(Option(f"# KPI figures ({kpi_summary})", id=KPIS_ID))
        options.append(Option("» Review and sign", id=REVIEW_ID))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            if current is not None:
                self.highlight_id(current)

    def update_item(self, item: EntryLine) -> bool:
        """Redraw one action's line (nothing to do if it looks the same); whether it changed."""
        if self._shown.get(item.ref) == item:
            return False
        self._shown[item.ref] = item
        self.replace_option_prompt(f"ref:{item.ref}", _prompt(item))
        return True

    def update_kpis(self, kpi_summary: str) -> None:
        """Redraw the KPI item."""
        self.replace_option_prompt(KPIS_ID, f"# KPI figures ({kpi_summary})")

    def highlight_id(self, option_id: str) -> None:
        """Move the highlight to ``option_id`` if it is in the list."""
        try:
            self.highlighted = self.get_option_index(option_id)
        except OptionDoesNotExist:
            return

    def refs(self) -> list[str]:
        """Refs in list order."""
        return [o.id[4:] for o in self.options if o.id and o.id.startswith("ref:")]

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Tell the screen which action to show."""
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("ref:"):
            self.post_message(self.Highlighted(option_id[4:]))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: edit an action, or go where a navigation item leads."""
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("ref:"):
            self.post_message(self.Chosen(option_id[4:]))
        elif option_id.startswith("nav:"):
            self.post_message(self.Navigate(option_id[4:]))
