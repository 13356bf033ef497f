"""What the entry form shows for one action: the plan's wording and the entry's fields.

:class:`EntryView` is the data handed down to :class:`~dapreturn.tui.widgets.entry_form.EntryForm`
for each action; :func:`details` renders the plan's wording for it. The fields themselves are
:data:`dapreturn.core.filling.fields.ENTRY_FIELDS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rich.text import Text

from dapreturn.core.dates import describe_date
from dapreturn.core.plan.model import Action
from dapreturn.core.returns.model import Entry


@dataclass(frozen=True)
class EntryView:
    """Everything the form shows for one entry (passed down by the screen)."""

    entry: Entry
    """The entry being edited."""
    action: Action | None
    """The plan's action (``None`` if a draft names an unknown ref)."""
    leads: str
    """The lead partners, in words."""
    previous: Entry | None
    """Last period's entry, for reference."""
    previous_period: str
    """Last period's name (``2018/19 Q2``)."""
    target_moved: tuple[date, date] | None
    """(old, new) when the target moved later than last period's."""
    typed: dict[str, str] = field(default_factory=dict)
    """Unreadable text typed in a date field, by field name, shown again as typed."""


def details(view: EntryView) -> Text:
    """The plan's wording for the action."""
    action = view.action
    role = "you lead this action" if view.entry.role == "lead" else "you contribute to this"
    text = Text()
    if action is None:
        text.append(f"{view.entry.ref}: not an action of this plan", style="bold")
        return text
    text.append(f"{action.ref}  {action.title}", style="bold")
    text.append(f"  ({role})\n")
    text.append(action.text + "\n")
    if action.success_measure:
        text.append("Success measure: ", style="bold")
        text.append(action.success_measure + "\n")
    text.append("Timescale: ", style="bold")
    text.append(action.timescale or "not given")
    if action.due:
        text.append(f" (due {describe_date(action.due)})")
    text.append("\nLeads: ", style="bold")
    text.append(view.leads)
    return text
