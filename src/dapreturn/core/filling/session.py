"""The state of one return being filled in: the controller both front ends drive.

A :class:`FillSession` holds the plan, the return being edited, last period's signed return
(for reference and the "target moved" rule), where drafts and the signed file go, and the
problems found so far. It knows nothing about drawing: the Textual screens and the plain mode
read from it and call its setters. It re-checks only the entry that changed, so a long plan
stays responsive; the whole return is checked with :func:`dapreturn.core.returns.rules.check_return`
for review and signing (:func:`dapreturn.core.filling.review.all_problems`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dapreturn.core.filling.drafts import DraftInfo, DraftKey, DraftStore
from dapreturn.core.filling.fields import FIELD_NAMES, clean_message
from dapreturn.core.filling.kpis import KpiSheet
from dapreturn.core.filling.state import Change, EntryLine, EntryState, entry_state, is_filled
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Action, Plan
from dapreturn.core.returns.model import Entry, Return
from dapreturn.core.returns.rules import Problem, check_entry
from dapreturn.core.returns.tomlio import dump_return


def draft_key(plan: Plan, partner: str, period: Period) -> DraftKey:
    """The drafts-store key for this plan, partner and period."""
    return DraftKey(plan.id, partner, period.slug)


@dataclass(frozen=True)
class SaveTarget:
    """Where the session's work goes: the draft store and the folder for signed returns."""

    store: DraftStore
    """Autosaved drafts."""
    out_dir: Path
    """Signed returns are written here."""


class FillSession:
    """One partner's return for one period, being filled in."""

    def __init__(
        self,
        plan: Plan,
        ret: Return,
        *,
        target: SaveTarget,
        previous: Return | None = None,
        today: date | None = None,
        origin: str = "",
    ) -> None:
        """Start editing ``ret``; ``previous`` is last period's signed return, if any."""
        self.plan = plan
        """The plan the return is written against."""
        self.ret = ret
        """The return being edited (changed in place; every assignment is validated)."""
        self.target = target
        """Where drafts and the signed return go."""
        self.previous = previous
        """Last period's signed return (reference text, target-moved rule)."""
        self.today = today or date.today()
        """The date rules treat as today (pinned in tests)."""
        self.origin = origin
        """Words saying where this return started from (draft, carried forward, blank)."""
        self.confirmed: set[tuple[str, str]] = set()
        """Safeguarding findings the lead confirmed are not personal data: (place, text)."""
        self.show_all = False
        """Show every problem, not only those of fields the lead has left (set by review)."""
        self._touched: dict[str, set[str]] = {}
        self._input_errors: dict[tuple[str, str], str] = {}
        self._typed: dict[tuple[str, str], str] = {}
        """Text typed in a field that could not be read (a bad date), kept to show again."""
        self._problems: dict[str, list[Problem]] = {}
        self._saved_text = ""
        self.kpis = KpiSheet(plan, ret, today=self.today, previous=previous)
        """This period's KPI figures."""
        for entry in ret.entries:
            self._recheck(entry.ref)

    # -- identity and drafts ----------------------------------------------------------------

    @property
    def partner(self) -> str:
        """The partner code."""
        return self.ret.partner

    @property
    def period(self) -> Period:
        """The reporting period."""
        return self.ret.period_obj

    @property
    def key(self) -> DraftKey:
        """The draft-store key of this return."""
        return draft_key(self.plan, self.partner, self.period)

    def draft_text(self) -> str:
        """The draft as saved: the return's TOML body."""
        return dump_return(self.ret)

    def save(self, text: str | None = None) -> DraftInfo | None:
        """Save the draft (``text``, else the return now) unless it is what was saved last.

        Raises :class:`~dapreturn.core.errors.StorageError` when it cannot be written.
        """
        text = self.draft_text() if text is None else text
        if text == self._saved_text:
            return None
        info = self.target.store.save(self.key, text)
        self._saved_text = text
        return info

    # -- entries ----------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Entries in list order: the actions led, in plan order, then contributions."""
        order = {a.ref.lower(): i for i, a in enumerate(self.plan.actions)}

        def rank(e: Entry) -> tuple[int, int]:
            return (0 if e.role == "lead" else 1, order.get(e.ref.lower(), len(order)))

        return sorted(self.ret.entries, key=rank)

    def entry(self, ref: str) -> Entry:
        """The entry for ``ref``; :class:`KeyError` if there is none."""
        found = self.ret.entry(ref)
        if found is None:
            raise KeyError(ref)
        return found

    def action(self, ref: str) -> Action | None:
        """The plan's action for ``ref`` (``None`` if a draft names an unknown ref)."""
        return self.plan.action(ref)

    def previous_entry(self, ref: str) -> Entry | None:
        """Last period's entry for ``ref``, if there was one."""
        return self.previous.entry(ref) if self.previous else None

    def target_moved(self, ref: str) -> tuple[date, date] | None:
        """``(last period's target, this target)`` when the target moved later, else ``None``."""
        old = self.previous_entry(ref)
        new = self.entry(ref)
        if old and old.target and new.target and new.target > old.target:
            return old.target, new.target
        return None

    def line(self, ref: str) -> EntryLine:
        """What a list or a summary shows for ``ref``'s entry."""
        entry = self.entry(ref)
        action = self.action(ref)
        status = self.plan.status(entry.status) if entry.status else None
        return EntryLine(
            ref=entry.ref,
            title=action.title if action else "(not in this plan)",
            state=self.state(ref),
            status_marker=status.marker if status else "--",
            status_label=status.label if status else entry.status or "no status",
            role=entry.role,
            target_moved=self.target_moved(ref) is not None,
        )

    def addable_actions(self) -> list[Action]:
        """Actions of the plan that have no entry yet (candidates to contribute to)."""
        return [a for a in self.plan.actions if self.ret.entry(a.ref) is None]

    def add_action(self, ref: str) -> Entry:
        """Add an entry for ``ref`` (a contribution unless the partner leads it); return it.

        Status, dates and people carry over from last period's entry, if there was one.
        """
        action = self.plan.action(ref)
        if action is None:
            raise KeyError(ref)
        existing = self.ret.entry(action.ref)
        if existing is not None:
            return existing
        role = "lead" if self.partner in action.leads else "contributor"
        old = self.previous_entry(action.ref)
        entry = Entry(ref=action.ref, role=role)
        if old is not None:
            carried = ("status", "started", "target", "completed", "responsible")
            entry = Entry(ref=action.ref, role=role, **{f: getattr(old, f) for f in carried})
        self.ret.entries.append(entry)
        self._recheck(entry.ref)
        return entry

    def remove_entry(self, ref: str) -> None:
        """Take ``ref``'s entry out of the return."""
        entry = self.entry(ref)
        self.ret.entries = [e for e in self.ret.entries if e is not entry]
        self._problems.pop(entry.ref.lower(), None)

    def set_field(self, ref: str, field: str, value: Any) -> Change:
        """Set one field of an entry.

        A value the return model refuses (a control character pasted into a narrative) is kept
        out of the return and reported as a problem at that field instead.
        """
        entry = self.entry(ref)
        place = (entry.ref.lower(), field)
        if getattr(entry, field) == value:
            self._input_errors.pop(place, None)
            self._recheck(ref)
            return Change.UNCHANGED
        try:
            setattr(entry, field, value)
        except ValidationError as exc:
            self._input_errors[place] = clean_message(exc)
            outcome = Change.REFUSED
        else:
            self._input_errors.pop(place, None)
            outcome = Change.CHANGED
        self._recheck(ref)
        return outcome

    def input_error(self, ref: str, field: str) -> str | None:
        """Why the last value typed in a field was refused, if it was."""
        return self._input_errors.get((ref.lower(), field))

    def set_input_error(
        self, ref: str, field: str, message: str | None, typed: str | None = None
    ) -> None:
        """Record (or clear) text in a field that could not be understood (a bad date).

        ``typed`` is that text: it is shown again when the action is opened again, so what the
        lead typed is never replaced by the placeholder while the message says it is wrong.
        """
        place = (ref.lower(), field)
        if message is None:
            self._input_errors.pop(place, None)
            self._typed.pop(place, None)
        else:
            self._input_errors[place] = message
            if typed is not None:
                self._typed[place] = typed
        self._recheck(ref)

    def typed_text(self, ref: str, field: str) -> str | None:
        """The unreadable text last typed in a field (see :meth:`set_input_error`), or ``None``."""
        return self._typed.get((ref.lower(), field))

    def set_prepared_by(self, text: str) -> str | None:
        """Set who prepared the return; ``None``, or why the text was refused."""
        try:
            self.ret.prepared_by = text
        except ValidationError as exc:
            return clean_message(exc)
        return None

    def touch(self, ref: str, field: str) -> None:
        """The lead has left ``field``: show its problems from now on, unless nothing was done.

        Tabbing through an untouched action says nothing (and keeps its ``○``): a field's
        problem shows once it was left with a value (or unreadable text), or left empty in an
        action already being filled in; every problem shows at review (:attr:`show_all`).
        """
        key = ref.lower()
        entry = self.entry(ref)
        held = getattr(entry, field, None) if field in FIELD_NAMES else True
        if held or is_filled(entry) or (key, field) in self._input_errors:
            self._touched.setdefault(key, set()).add(field)

    def touch_all(self, ref: str) -> None:
        """Show every problem of ``ref``'s entry (after a jump from the review screen)."""
        self._touched.setdefault(ref.lower(), set()).update(FIELD_NAMES)

    # -- problems ---------------------------------------------------------------------------

    def _recheck(self, ref: str) -> None:
        """Re-run the rules for one entry (cheap: only this entry)."""
        entry = self.entry(ref)
        key = entry.ref.lower()
        found = [Problem(entry.ref, f, m) for (r, f), m in self._input_errors.items() if r == key]
        bad_fields = {p.field for p in found}
        if self.plan.action(entry.ref) is None:
            found.append(Problem(entry.ref, "ref", f"{entry.ref!r} is not an action of this plan"))
        else:
            ruled = check_entry(
                entry, self.plan, today=self.today, previous=self.previous_entry(entry.ref)
            )
            found.extend(p for p in ruled if p.field not in bad_fields)
        self._problems[key] = found

    def problems(self, ref: str, field: str | None = None) -> list[Problem]:
        """Every current problem of ``ref``'s entry (only ``field``'s, when given)."""
        found = self._problems.get(ref.lower(), [])
        return [p for p in found if field is None or p.field == field]

    def visible_problems(self, ref: str) -> list[Problem]:
        """The problems to show now: those of fields the lead has left (all after review)."""
        touched = self._touched.get(ref.lower(), set())
        return [p for p in self.problems(ref) if self.show_all or p.field in touched]

    def state(self, ref: str) -> EntryState:
        """How far the entry is filled in (empty, in progress, complete, has errors)."""
        return self._state(self.entry(ref))

    def _state(self, entry: Entry) -> EntryState:
        key = entry.ref.lower()
        left = self._touched.get(key, set())
        if any(r == key for r, _ in self._input_errors):  # typed, but unreadable
            shown = self.show_all or bool(left)
            return EntryState.ERRORS if shown else EntryState.IN_PROGRESS
        problems = self._problems.get(key, [])
        # ✗ only when a problem is shown at its field, so every ✗ has a message to read
        shown = self.show_all or any(p.field in left for p in problems)
        return entry_state(entry, problems, touched=shown)

    def counts(self) -> tuple[int, int]:
        """``(complete entries, all entries)``."""
        entries = self.ret.entries
        done = sum(1 for e in entries if self._state(e) is EntryState.COMPLETE)
        return done, len(entries)
