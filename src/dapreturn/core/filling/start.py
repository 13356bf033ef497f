"""Where a return starts from: a draft, this period's signed return, last period's, or blank.

:func:`find_start` looks (without changing anything) at the drafts store and the output folder;
the front end offers the :class:`Origin` choices it lists, and :func:`begin` turns the lead's
choice into a :class:`~dapreturn.core.filling.session.FillSession`:

- a **draft** is resumed as it was typed; who prepared it is filled in only when it is empty
  (a name typed into the draft is work, and is never overwritten);
- a **signed** return of this period is restarted as the next revision (``r<n+1>``);
- last period's signed return is **carried** forward (status, dates and people; the narrative
  starts empty, last period's text is shown for reference);
- otherwise the return starts **blank**.

Either way the return gets an entry for every action the partner leads and a figure for every
KPI (:func:`normalise`). Starting anew sets any draft aside (nothing is deleted).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling.drafts import DraftInfo, DraftProblem
from dapreturn.core.filling.session import FillSession, SaveTarget, draft_key
from dapreturn.core.filling.signed import SignedReturnFile, latest_signed
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import Entry, KpiFigure, Return
from dapreturn.core.returns.tomlio import parse_return


class Origin(enum.Enum):
    """What a return can start from, in the order they are offered."""

    DRAFT = "draft"
    """The newest readable draft."""
    SIGNED = "signed"
    """This period's latest signed return, as the next revision."""
    CARRIED = "carried"
    """Last period's signed return, carried forward."""
    BLANK = "blank"
    """Nothing: one empty entry per action led."""


def default_period(plan: Plan, *, today: date | None = None) -> Period:
    """The quarter just ended, kept within the plan's periods."""
    periods = periods_between(plan.start, plan.end)
    wanted = Period.just_ended(today)
    if wanted < periods[0]:
        return periods[0]
    return min(wanted, periods[-1])


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


def normalise(ret: Return, plan: Plan) -> None:
    """Give ``ret`` an entry for every action the partner leads and a figure for every KPI.

    A draft saved part-way (or by an older version) may lack some; missing ones are added blank
    at the end, and nothing already there is changed.
    """
    refs = {e.ref.lower() for e in ret.entries}
    missing = [a for a in plan.actions_led_by(ret.partner) if a.ref.lower() not in refs]
    if missing:
        ret.entries = [*ret.entries, *(Entry(ref=a.ref, role="lead") for a in missing)]
    ids = {k.id for k in ret.kpis}
    extra = [KpiFigure(id=k.id) for k in plan.kpis if k.id not in ids]
    if extra:
        ret.kpis = [*ret.kpis, *extra]


@dataclass(frozen=True)
class StartPoint:
    """What exists already for one plan, partner and period."""

    plan: Plan
    """The plan."""
    partner: str
    """The partner code."""
    period: Period
    """The reporting period."""
    draft: DraftInfo | None
    """The newest readable draft generation, else the newest one (unreadable), if any."""
    draft_return: Return | None
    """That draft, parsed (``None`` if it could not be read as a return)."""
    draft_error: str | None
    """Why newer generations could not be read as a return (each line names its path)."""
    damaged: tuple[DraftProblem, ...]
    """Generations that were damaged (empty, not text) and skipped."""
    previous: SignedReturnFile | None
    """The partner's latest signed return for the previous period."""
    this_period: SignedReturnFile | None
    """The partner's latest signed return for this period (signing again makes a new revision)."""

    def origins(self) -> list[Origin]:
        """What this return can start from, best first (:attr:`Origin.BLANK` always last)."""
        found = [Origin.DRAFT] if self.draft_return is not None else []
        if self.this_period is not None:
            found.append(Origin.SIGNED)
        if self.previous is not None:
            found.append(Origin.CARRIED)
        return [*found, Origin.BLANK]

    def fresh(self) -> Origin:
        """The best start that is not the draft."""
        return next(o for o in self.origins() if o is not Origin.DRAFT)


def _read_draft(info: DraftInfo, plan: Plan, partner: str, period: Period) -> Return:
    """Parse a draft and check it is for this plan, partner and period."""
    ret = parse_return(info.text, source=str(info.path))
    if (ret.plan, ret.partner, ret.period) != (plan.id, partner, str(period)):
        raise DapreturnError(
            f"{info.path}: this draft is for {ret.plan} {ret.partner} {ret.period}, "
            f"not {plan.id} {partner} {period}"
        )
    return ret


def find_start(plan: Plan, partner: str, period: Period, target: SaveTarget) -> StartPoint:
    """Look at the drafts and signed returns that exist for this return.

    The newest draft generation that reads as a return is offered. Newer generations that do
    not are reported (``draft_error``) and left where they are.
    """
    key = draft_key(plan, partner, period)
    generations = target.store.generations(key)
    draft = generations[0] if generations else None
    draft_return: Return | None = None
    errors: list[str] = []
    for info in generations:
        try:
            draft_return = _read_draft(info, plan, partner, period)
        except DapreturnError as exc:
            errors.append(str(exc))
            continue
        draft = info
        break
    return StartPoint(
        plan=plan,
        partner=partner,
        period=period,
        draft=draft,
        draft_return=draft_return,
        draft_error="\n".join(errors) or None,
        damaged=tuple(target.store.problems(key)),
        previous=latest_signed(target.out_dir, plan.id, partner, period.previous()),
        this_period=latest_signed(target.out_dir, plan.id, partner, period),
    )


def _from(start: StartPoint, origin: Origin, prepared_by: str) -> tuple[Return, str]:
    """The return to edit for ``origin``, and words saying where it came from."""
    plan, partner, period = start.plan, start.partner, start.period
    if origin is Origin.DRAFT and start.draft_return is not None and start.draft is not None:
        ret = start.draft_return.model_copy(deep=True)
        if not ret.prepared_by:
            ret.prepared_by = prepared_by
        return ret, f"Resumed the draft saved {local_time(start.draft.saved_at)}"
    if origin is Origin.SIGNED and start.this_period is not None:
        signed = start.this_period
        ret = signed.ret.model_copy(deep=True)
        ret.submitted_at = None
        ret.revision = signed.revision + 1
        ret.prepared_by = prepared_by or ret.prepared_by
        words = (
            f"Started from your signed return r{signed.revision} for {period}; "
            f"signing again makes r{signed.revision + 1}"
        )
        return ret, words
    if origin is Origin.CARRIED and start.previous is not None:
        ret = carry_forward(start.previous.ret, plan, period, prepared_by)
        return ret, f"Carried forward from your signed return for {period.previous()}"
    return blank_return(plan, partner, period, prepared_by), f"New return for {period}"


@dataclass(frozen=True)
class Begun:
    """A session, and where an earlier draft was set aside when starting anew."""

    session: FillSession
    """The return, open for filling in."""
    set_aside: Path | None
    """The folder the earlier draft was moved into (``None``: there was none, or resumed)."""


def begin(
    start: StartPoint,
    origin: Origin,
    *,
    prepared_by: str,
    target: SaveTarget,
    today: date | None = None,
) -> Begun:
    """Open the return from ``origin``; any draft not resumed is set aside (kept)."""
    ret, words = _from(start, origin, prepared_by)
    normalise(ret, start.plan)
    kept = None
    if origin is not Origin.DRAFT and start.draft is not None:
        kept = target.store.set_aside(draft_key(start.plan, start.partner, start.period))
    previous = start.previous.ret if start.previous else None
    session = FillSession(
        start.plan, ret, target=target, previous=previous, today=today, origin=words
    )
    return Begun(session, kept)


def local_time(moment: datetime) -> str:
    """A saved time in this computer's local time, e.g. ``Mon 14 Jan 2019 at 10:30``."""
    when = moment.astimezone()
    return f"{when:%a} {when.day} {when:%b %Y} at {when:%H:%M}"
