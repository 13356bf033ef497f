"""The state of one return being filled in: the controller the partner screens share.

A :class:`ReturnSession` holds the plan, the return being edited, last period's signed return
(for reference and the "target moved" rule), the draft store and the problems found so far. It
knows nothing about Textual: screens read from it and call its setters, and it re-checks only
the entry that changed, so a long plan stays responsive. The whole return is checked with
:func:`dapreturn.core.rules.check_return` only when the lead asks to review and sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dapreturn.core.drafts import DraftKey, DraftStore
from dapreturn.core.filling import EntryState, draft_key, entry_state
from dapreturn.core.periods import Period
from dapreturn.core.plan import Action, Plan
from dapreturn.core.returns import Entry, Return
from dapreturn.core.rules import Problem, check_entry, check_return
from dapreturn.core.tomlio import dump_return
from dapreturn.tui.partner.fields import ENTRY_FIELDS, clean_message
from dapreturn.tui.partner.kpi_sheet import KpiSheet


@dataclass(frozen=True)
class SaveTarget:
    """Where the session's work goes: the draft store and the folder for signed returns."""

    store: DraftStore
    """Autosaved drafts."""
    out_dir: Path
    """Signed returns are written here."""


class ReturnSession:
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
        """The return being edited (mutated in place)."""
        self.target = target
        """Where drafts and the signed return go."""
        self.previous = previous
        """Last period's signed return (reference text, target-moved rule)."""
        self.today = today or date.today()
        """The date rules treat as today (pinned in tests)."""
        self.origin = origin
        """Words saying where this return started from (draft, carried forward, blank)."""
        self.confirmed: set[tuple[str, str]] = set()
        """Safeguarding findings the lead confirmed are not personal data: (field, text)."""
        self.show_all = False
        """Show every problem, not only those of fields the lead has left (set by review)."""
        self._touched: dict[str, set[str]] = {}
        self._input_errors: dict[tuple[str, str], str] = {}
        self._problems: dict[str, list[Problem]] = {}
        self.kpis = KpiSheet(plan, ret, today=self.today)
        """This period's KPI figures."""
        for entry in ret.entries:
            self._recheck(entry.ref)

    # -- identity -------------------------------------------------------------------------

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

    # -- entries --------------------------------------------------------------------------

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

    def addable_actions(self) -> list[Action]:
        """Actions of the plan that have no entry yet (candidates to contribute to)."""
        return [a for a in self.plan.actions if self.ret.entry(a.ref) is None]

    def add_contributor(self, ref: str) -> Entry:
        """Add an entry for an action the partner contributes to; return it."""
        action = self.plan.action(ref)
        if action is None:
            raise KeyError(ref)
        existing = self.ret.entry(action.ref)
        if existing is not None:
            return existing
        old = self.previous_entry(action.ref)
        entry = Entry(ref=action.ref, role="contributor")
        if old is not None:
            entry = Entry(
                ref=action.ref,
                role="contributor",
                status=old.status,
                started=old.started,
                target=old.target,
                completed=old.completed,
                responsible=list(old.responsible),
            )
        self.ret.entries.append(entry)
        self._recheck(entry.ref)
        return entry

    def set_field(self, ref: str, field: str, value: Any) -> bool:
        """Set one field of an entry; return whether anything changed.

        A value the return model refuses (a control character pasted into a narrative) is kept
        out of the return and reported as a problem at that field instead.
        """
        entry = self.entry(ref)
        if getattr(entry, field) == value:
            self._input_errors.pop((entry.ref.lower(), field), None)
            self._recheck(ref)
            return False
        try:
            setattr(entry, field, value)
        except ValidationError as exc:
            self._input_errors[(entry.ref.lower(), field)] = clean_message(exc)
        else:
            self._input_errors.pop((entry.ref.lower(), field), None)
        self._recheck(ref)
        return True

    def set_input_error(self, ref: str, field: str, message: str | None) -> None:
        """Record (or clear) text in a field that could not be understood (a bad date)."""
        if message is None:
            self._input_errors.pop((ref.lower(), field), None)
        else:
            self._input_errors[(ref.lower(), field)] = message
        self._recheck(ref)

    def touch(self, ref: str, field: str) -> None:
        """The lead has left ``field``: show its problems from now on."""
        self._touched.setdefault(ref.lower(), set()).add(field)

    def touch_all(self, ref: str) -> None:
        """Show every problem of ``ref``'s entry (after a jump from the review screen)."""
        self._touched.setdefault(ref.lower(), set()).update(ENTRY_FIELDS)

    # -- problems -------------------------------------------------------------------------

    def _recheck(self, ref: str) -> None:
        """Re-run the rules for one entry (cheap: only this entry)."""
        entry = self.entry(ref)
        key = entry.ref.lower()
        found = [Problem(entry.ref, f, m) for (r, f), m in self._input_errors.items() if r == key]
        bad_fields = {p.field for p in found}
        action = self.plan.action(entry.ref)
        if action is None:
            found.append(Problem(entry.ref, "ref", f"{entry.ref!r} is not an action of this plan"))
        else:
            ruled = check_entry(
                entry, self.plan, today=self.today, previous=self.previous_entry(entry.ref)
            )
            found.extend(p for p in ruled if p.field not in bad_fields)
        self._problems[key] = found

    def problems(self, ref: str) -> list[Problem]:
        """Every current problem of ``ref``'s entry."""
        return list(self._problems.get(ref.lower(), []))

    def visible_problems(self, ref: str) -> list[Problem]:
        """The problems to show now: those of fields the lead has left (all after review)."""
        touched = self._touched.get(ref.lower(), set())
        return [p for p in self.problems(ref) if self.show_all or p.field in touched]

    def state(self, ref: str) -> EntryState:
        """How far the entry is filled in (empty, in progress, complete, has errors)."""
        return self._state(self.entry(ref))

    def _state(self, entry: Entry) -> EntryState:
        key = entry.ref.lower()
        touched = self.show_all or bool(self._touched.get(key))
        if any(r == key for r, _ in self._input_errors):  # typed, but unreadable
            return EntryState.ERRORS if touched else EntryState.IN_PROGRESS
        return entry_state(entry, self._problems.get(key, []), touched=touched)

    def counts(self) -> tuple[int, int]:
        """``(complete entries, all entries)``."""
        entries = self.ret.entries
        done = sum(1 for e in entries if self._state(e) is EntryState.COMPLETE)
        return done, len(entries)

    def all_problems(self) -> list[Problem]:
        """Every problem of the whole return, in form order (used by review and sign)."""
        found = check_return(self.ret, self.plan, today=self.today, previous=self.previous)
        ordered = [p for p in found if p.ref is None and not p.field.startswith("kpis.")]
        keys = set()
        for entry in self.entries():
            key = entry.ref.lower()
            keys.add(key)
            own = self.problems(entry.ref)
            extra = [
                p
                for p in found
                if p.ref and p.ref.lower() == key and p.field in ("ref", "role") and p not in own
            ]
            ordered.extend(own + extra)
        ordered.extend(p for p in found if p.ref is not None and p.ref.lower() not in keys)
        for kpi in self.plan.kpis:
            ordered.extend(self.kpis.problems(kpi.id))
        ordered.extend(
            p
            for p in found
            if p.ref is None
            and p.field.startswith("kpis.")
            and (self.plan.kpi(p.field.removeprefix("kpis.")) is None or p.message == "given twice")
        )
        return ordered

    # -- safeguarding ---------------------------------------------------------------------

    def narratives(self) -> dict[str, str]:
        """Every free-text field by place (``3l.risks``, ``kpis.K1.note``): what is scanned."""
        return self.ret.narratives()
