"""Which revision counts, and the plan rules each verified return breaks.

:func:`resolve` runs once a folder's files are examined. Per (plan, partner, period) the highest
verified revision counts (ties: later ``submitted_at``, then the first in file order); the
others are marked *superseded*. Each verified return is then checked against its plan (given by
the officer, else bundled; a plan file found in the folder is never used), on "today" and
beside the same partner's counted return for the previous period.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime

from dapreturn.core.collection.records import FileRecord
from dapreturn.core.errors import PlanError
from dapreturn.core.plan.model import Plan, bundled_plan
from dapreturn.core.returns.model import Return, parse_return_filename
from dapreturn.core.returns.rules import Problem, check_return

__all__ = ["plans_for", "resolve"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Slot = tuple[str, str, str]
"""(plan id, partner, canonical period): the returns that compete for one place."""


def _slot(ret: Return) -> Slot:
    return (ret.plan, ret.partner, ret.period)


def _rank(rec: FileRecord) -> tuple[int, datetime]:
    """Order revisions: highest revision, then latest submission (ties: first path wins)."""
    return (rec.revision or 0, rec.submitted_at or _EPOCH)


def _counted(records: list[FileRecord]) -> dict[Slot, FileRecord]:
    """The record that counts for each slot among the verified ones."""
    best: dict[Slot, FileRecord] = {}
    for rec in records:
        if rec.ret is not None and rec.verified:
            slot = _slot(rec.ret)
            if slot not in best or _rank(rec) > _rank(best[slot]):
                best[slot] = rec
    return best


def plans_for(records: list[FileRecord], given: Mapping[str, Plan]) -> dict[str, Plan]:
    """The plans the verified returns are checked against: the given ones, then bundled ones."""
    plans = dict(given)
    for plan_id in sorted({r.ret.plan for r in records if r.ret is not None and r.verified}):
        if plan_id not in plans:
            try:
                plans[plan_id] = bundled_plan(plan_id)
            except PlanError:
                continue  # not known here: each of its returns says so (see _rules)
    return plans


def resolve(records: list[FileRecord], plans: Mapping[str, Plan], today: date) -> list[FileRecord]:
    """Mark superseded revisions, then check each verified return against its plan."""
    best = _counted(records)
    out: list[FileRecord] = []
    for rec in records:
        ret = rec.ret
        if ret is None or not rec.verified:
            out.append(rec)
            continue
        winner = best[_slot(ret)]
        previous = best.get((ret.plan, ret.partner, str(ret.period_obj.previous())))
        before = previous.ret if previous is not None else None
        problems = (*_rules(ret, plans.get(ret.plan), today, before), *_name_problem(rec, ret))
        superseded_by = None if winner is rec else winner.rel
        out.append(replace(rec, superseded_by=superseded_by, problems=problems))
    return out


def _rules(
    ret: Return, plan: Plan | None, today: date, previous: Return | None
) -> tuple[Problem, ...]:
    """The plan rules a verified return breaks (or that its plan is not known here)."""
    if plan is None:
        text = f"plan {ret.plan!r} is not known here: give its plan file with --plan FILE"
        return (Problem(None, "plan", text),)
    return tuple(check_return(ret, plan, today=today, previous=previous))


def _name_problem(rec: FileRecord, ret: Return) -> tuple[Problem, ...]:
    """A file name that disagrees with the signed content (which counts)."""
    claimed = parse_return_filename(rec.path.name)
    signed = (ret.plan, ret.period_obj.slug, ret.partner, ret.revision)
    if claimed is None or claimed == signed:
        return ()
    text = f"file name says {claimed[:3]} r{claimed[3]}; the signed content (which counts) says"
    return (Problem(None, "file name", f"{text} {signed[:3]} r{signed[3]}"),)
