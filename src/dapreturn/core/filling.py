"""Starting and tracking a partner's return: the logic shared by the TUI and the plain mode.

A return starts blank (one lead entry per action the partner leads), from a draft, or carried
forward from the partner's latest signed return for the previous period: status, dates and
responsible individuals carry; the narrative starts empty with last period's text kept for
reference.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dapreturn.core.drafts import DraftKey
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan import Plan
from dapreturn.core.returns import Entry, KpiFigure, Return, parse_return_filename
from dapreturn.core.rules import Problem
from dapreturn.core.tomlio import MAX_RETURN_BYTES, decode_utf8, parse_return


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


def entry_state(entry: Entry, problems: list[Problem], *, touched: bool = True) -> EntryState:
    """Classify an entry given the problems that concern it (``problems`` for its ref only)."""
    filled = bool(
        entry.status
        or entry.action_taken
        or entry.next_steps
        or entry.risks
        or entry.started
        or entry.target
        or entry.completed
        or entry.responsible
    )
    if not filled:
        return EntryState.EMPTY
    if not problems:
        return EntryState.COMPLETE
    return EntryState.ERRORS if touched else EntryState.IN_PROGRESS


def default_period(plan: Plan, *, today: date | None = None) -> Period:
    """The quarter just ended, kept within the plan's periods."""
    periods = periods_between(plan.start, plan.end)
    wanted = Period.just_ended(today)
    if wanted < periods[0]:
        return periods[0]
    return min(wanted, periods[-1])


def draft_key(plan: Plan, partner: str, period: Period) -> DraftKey:
    """The drafts-store key for this plan, partner and period."""
    return DraftKey(plan.id, partner, period.slug)


def blank_return(plan: Plan, partner: str, period: Period, prepared_by: str) -> Return:
    """A new return with an empty lead entry for every action the partner leads."""
    return Return(
        plan=plan.id,
        period=str(period),
        partner=partner,
        prepared_by=prepared_by,
        entries=[Entry(ref=a.ref, role="lead") for a in plan.actions_led_by(partner)],
        kpis=[KpiFigure(id=k.id) for k in plan.kpis],
    )


def carry_forward(previous: Return, plan: Plan, period: Period, prepared_by: str) -> Return:
    """A new return for ``period`` starting from last period's signed return."""
    fresh = blank_return(plan, previous.partner, period, prepared_by)
    entries = []
    for blank in fresh.entries:
        old = previous.entry(blank.ref)
        entries.append(_carried(old, blank.role) if old else blank)
    lead_refs = {e.ref.lower() for e in entries}
    for old in previous.entries:
        if old.ref.lower() not in lead_refs and plan.action(old.ref) is not None:
            entries.append(_carried(old, "contributor"))
    return fresh.model_copy(update={"entries": entries})


def _carried(old: Entry, role: str) -> Entry:
    """What carries from last period's entry: status, dates and responsible individuals."""
    return Entry(
        ref=old.ref,
        role="lead" if role == "lead" else "contributor",
        status=old.status,
        started=old.started,
        target=old.target,
        completed=old.completed,
        responsible=list(old.responsible),
    )


@dataclass(frozen=True)
class SignedReturnFile:
    """A signed return found in an output folder (read for carry-forward, not trusted)."""

    path: Path
    revision: int
    ret: Return


def signed_returns(
    out_dir: Path, plan_id: str, partner: str, period: Period
) -> list[SignedReturnFile]:
    """The partner's signed return files for a period in ``out_dir``, lowest revision first.

    Files that cannot be read as a return are skipped: they are the officer side's concern, and
    carry-forward only ever offers a starting point the lead then reviews. So are files not
    signed with this computer's key for ``partner`` (demo files, a colleague's copy, a file
    changed after signing): the lead's own returns are known by their signature.
    """
    # only when there are signed files to read
    from dapreturn.core.own_key import signed_here
    from dapreturn.core.signing import split_signed

    found = []
    if not out_dir.is_dir():
        return []
    for path in out_dir.glob(f"{plan_id}_{period.slug}_{partner}_r*.toml"):
        parts = parse_return_filename(path.name)
        if parts is None or path.is_symlink() or path.stat().st_size > MAX_RETURN_BYTES:
            continue
        try:
            data = path.read_bytes()
            if not signed_here(data, partner, source=str(path)):
                continue  # not this computer's key for the partner: a demo or someone else's
            body, _sig = split_signed(data)
            ret = parse_return(decode_utf8(body, source=str(path)), source=str(path))
        except (OSError, DapreturnError):
            continue
        if ret.partner == partner and ret.plan == plan_id and ret.period == str(period):
            found.append(SignedReturnFile(path, parts[3], ret))
    return sorted(found, key=lambda f: f.revision)


def latest_signed(
    out_dir: Path, plan_id: str, partner: str, period: Period
) -> SignedReturnFile | None:
    """The highest revision signed for this period, or ``None``."""
    files = signed_returns(out_dir, plan_id, partner, period)
    return files[-1] if files else None


def next_revision(out_dir: Path, plan_id: str, partner: str, period: Period) -> int:
    """The revision number the next signed return for this period must carry."""
    highest = 0
    if out_dir.is_dir():
        for path in out_dir.glob(f"{plan_id}_{period.slug}_{partner}_r*.toml"):
            parts = parse_return_filename(path.name)
            if parts is not None:
                highest = max(highest, parts[3])
    return highest + 1
