"""Where a return starts from: a draft, this period's signed return, last period's, or blank.

:func:`find_start` looks (without changing anything) at the drafts store and the output
folder; :func:`begin` turns the lead's choice into a :class:`ReturnSession`. A draft that cannot
be read is reported with its path and left where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dapreturn.core.drafts import DraftInfo, DraftProblem
from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling import (
    SignedReturnFile,
    blank_return,
    carry_forward,
    draft_key,
    latest_signed,
)
from dapreturn.core.periods import Period
from dapreturn.core.plan import Plan
from dapreturn.core.returns import Return
from dapreturn.core.tomlio import parse_return
from dapreturn.tui.partner.session import ReturnSession, SaveTarget


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
    """The newest readable draft generation, if any."""
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


def begin(
    start: StartPoint,
    *,
    resume: bool,
    prepared_by: str,
    target: SaveTarget,
    today: date | None = None,
) -> ReturnSession:
    """Build the session: from the draft when ``resume``, otherwise from signed work or blank."""
    plan, partner, period = start.plan, start.partner, start.period
    previous = start.previous.ret if start.previous else None
    if resume and start.draft_return is not None and start.draft is not None:
        ret = start.draft_return
        if not ret.prepared_by:
            ret.prepared_by = prepared_by
        origin = f"Resumed the draft saved {local_time(start.draft)}"
    elif start.this_period is not None:
        signed = start.this_period
        ret = signed.ret.model_copy(deep=True)
        ret.submitted_at = None
        ret.revision = 1
        ret.prepared_by = prepared_by or ret.prepared_by
        origin = (
            f"Started from your signed return r{signed.revision} for {period}; "
            f"signing again makes r{signed.revision + 1}"
        )
    elif previous is not None:
        ret = carry_forward(previous, plan, period, prepared_by)
        origin = f"Carried forward from your signed return for {period.previous()}"
    else:
        ret = blank_return(plan, partner, period, prepared_by)
        origin = f"New return for {period}"
    return ReturnSession(plan, ret, target=target, previous=previous, today=today, origin=origin)


def local_time(info: DraftInfo) -> str:
    """When a draft was saved, in local time, e.g. ``Mon 14 Jan 2019 at 10:30``."""
    when = info.saved_at.astimezone()
    return f"{when:%a} {when.day} {when:%b %Y} at {when:%H:%M}"
