"""How far an entry is filled in: the marker the action list and the summaries show."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dapreturn.core.returns.model import Entry
from dapreturn.core.returns.rules import Problem


class EntryState(enum.Enum):
    """How far an entry is filled in; each has a text marker so colour is never needed."""

    EMPTY = ("empty", "○")
    IN_PROGRESS = ("in progress", "◐")
    COMPLETE = ("complete", "●")
    ERRORS = ("has errors", "✗")

    @property
    def label(self) -> str:
        """Words for the state."""
        return self.value[0]

    @property
    def marker(self) -> str:
        """One-character marker for lists."""
        return self.value[1]


def is_filled(entry: Entry) -> bool:
    """Whether anything of the entry has been given (status, a date, people or text)."""
    return bool(
        entry.status
        or entry.action_taken
        or entry.next_steps
        or entry.risks
        or entry.started
        or entry.target
        or entry.completed
        or entry.responsible
    )


def entry_state(entry: Entry, problems: list[Problem], *, touched: bool = True) -> EntryState:
    """Classify an entry given the problems that concern it (``problems`` for its ref only)."""
    if not is_filled(entry):
        return EntryState.EMPTY
    if not problems:
        return EntryState.COMPLETE
    return EntryState.ERRORS if touched else EntryState.IN_PROGRESS


class Change(enum.Enum):
    """What setting a value did."""

    UNCHANGED = "unchanged"
    """It was the value already."""
    CHANGED = "changed"
    """The return holds the new value (save the draft)."""
    REFUSED = "refused"
    """The value was refused; the reason is a problem at that field, the return is as it was."""

    @property
    def changed(self) -> bool:
        """Whether the return changed (and so the draft needs saving)."""
        return self is Change.CHANGED


@dataclass(frozen=True)
class EntryLine:
    """One entry in a list or summary: state, ref, status, title, role, target moved."""

    ref: str
    """The action reference."""
    title: str
    """The action's short title (or that it is not in the plan)."""
    state: EntryState
    """How far the entry is filled in."""
    status_marker: str
    """The plan status marker, or ``--`` when no status is chosen."""
    status_label: str
    """The status in words, or ``no status``."""
    role: str
    """``lead`` or ``contributor``."""
    target_moved: bool = False
    """The target date moved later than last period's."""
