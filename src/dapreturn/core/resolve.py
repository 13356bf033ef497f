"""Which plan each return is checked against, and which revision counts.

:class:`Plans` holds the plans available to a collection (given, then plan files found in the
folder in file order, then bundled ones as returns need them); :func:`resolve` marks superseded
revisions and checks every verified return against its plan. Both run on every load, cached or
not: plan rules depend on the plan, on "today" and on the previous period's return.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from dapreturn.core.errors import PlanError
from dapreturn.core.periods import Period
from dapreturn.core.plan import Plan, bundled_plan, bundled_plan_ids
from dapreturn.core.records import FileRecord
from dapreturn.core.returns import parse_return_filename
from dapreturn.core.rules import Problem, check_return
from dapreturn.core.scan import printable
from dapreturn.core.signing import VerdictState

__all__ = ["PlanFile", "Plans", "RuleCache", "RuleKey", "plan_digest", "resolve"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PlanFile:
    """A plan file met in the folder (registered, or refused, in file order by :class:`Plans`)."""

    path: Path
    rel: str
    sha256: str
    plan: Plan | None
    error: str


class Plans:
    """Plans available to a collection: given ones, then folder plan files in file order."""

    def __init__(self, given: dict[str, Plan]) -> None:
        self.given = given
        self.plans: dict[str, Plan] = dict(given)
        self.files: dict[str, str] = {}
        self.bundled = set(bundled_plan_ids())

    def add(self, pf: PlanFile) -> FileRecord | None:
        """Register a plan file; return a record saying why when it is refused."""
        if pf.plan is None:
            return FileRecord(pf.path, pf.rel, VerdictState.INVALID, pf.error, pf.sha256)
        plan_id = pf.plan.id
        if plan_id in self.bundled:
            clash = "a bundled plan has this id; a folder cannot replace it"
        elif plan_id in self.given:
            clash = "the plan given to the report has this id"
        elif plan_id in self.plans:
            clash = f"{next(r for r, i in self.files.items() if i == plan_id)} already has this id"
        else:
            self.plans[plan_id] = pf.plan
            self.files[printable(pf.rel)] = plan_id
            return None
        reason = f"plan file {plan_id!r} refused: {clash}"
        return FileRecord(pf.path, pf.rel, VerdictState.INVALID, reason, pf.sha256, plan=plan_id)


def _rank(rec: FileRecord) -> tuple[int, datetime]:
    """Order revisions: highest revision, then latest submission (ties: first path wins)."""
    return (rec.revision or 0, rec.submitted_at or _EPOCH)


RuleKey = tuple[bytes, bytes, bytes]
"""What plan rules depend on besides "today": (file digest, plan digest, previous file digest).

Each is a 32-byte SHA-256 (the previous file's is empty when there is none), so the three
joined are a unique key too."""


class RuleCache(Protocol):
    """Somewhere to remember the plan rules a return breaks (for one "today")."""

    def lookup(self, keys: Sequence[RuleKey]) -> dict[RuleKey, tuple[Problem, ...]]:
        """The remembered problems among ``keys``."""

    def store(self, items: Sequence[tuple[RuleKey, tuple[Problem, ...]]]) -> None:
        """Remember problems."""


def plan_digest(plan: Plan) -> bytes:
    """A hash of everything in a plan (any change to it means returns are checked afresh)."""
    return hashlib.sha256(plan.model_dump_json().encode()).digest()


def resolve(
    records: list[FileRecord],
    plans: dict[str, Plan],
    today: date,
    rule_cache: RuleCache | None = None,
) -> list[FileRecord]:
    """Mark superseded revisions, then check each verified return against its plan.

    With ``rule_cache``, a return whose bytes, plan and previous period's return are all
    unchanged since it was last checked (on the same day) is not checked again.
    """
    best: dict[tuple[str, str, str], FileRecord] = {}
    for rec in records:
        if rec.ret is not None and rec.verified:
            slot = (rec.ret.plan, rec.ret.partner, rec.ret.period)
            if slot not in best or _rank(rec) > _rank(best[slot]):
                best[slot] = rec
    unknown: set[str] = set()
    periods: dict[str, Period] = {}
    digests: dict[str, bytes] = {}
    todo: list[tuple[int, FileRecord, Plan | None, FileRecord | None, RuleKey | None, str | None]]
    todo = []
    out: list[FileRecord] = []
    for rec in records:
        if rec.ret is None or not rec.verified:
            out.append(rec)
            continue
        ret = rec.ret
        winner = best[(ret.plan, ret.partner, ret.period)]
        period = periods.get(ret.period) or periods.setdefault(ret.period, ret.period_obj)
        previous = best.get((ret.plan, ret.partner, str(period.previous())))
        plan = _plan_for(ret.plan, plans, unknown)
        key: RuleKey | None = None
        if plan is not None and rule_cache is not None and rec.sha256:
            if plan.id not in digests:
                digests[plan.id] = plan_digest(plan)
            before = bytes.fromhex(previous.sha256) if previous and previous.sha256 else b""
            key = (bytes.fromhex(rec.sha256), digests[plan.id], before)
        todo.append((len(out), rec, plan, previous, key, None if winner is rec else winner.rel))
        out.append(rec)
    keys = [t[4] for t in todo if t[4] is not None]
    known = rule_cache.lookup(keys) if rule_cache is not None and keys else {}
    fresh: list[tuple[RuleKey, tuple[Problem, ...]]] = []
    for index, rec, plan, previous, key, superseded_by in todo:
        if key is not None and key in known:
            ruled = known[key]
        else:
            ruled = _rules(rec, plan, today, previous)
            if key is not None:
                fresh.append((key, ruled))
        problems = (*ruled, *_name_problem(rec, periods))
        out[index] = replace(rec, superseded_by=superseded_by, problems=problems)
    if rule_cache is not None and fresh:
        rule_cache.store(fresh)
    return out


def _plan_for(plan_id: str, plans: dict[str, Plan], unknown: set[str]) -> Plan | None:
    """The plan a return is checked against: given, from the folder, or bundled."""
    if plan_id not in plans and plan_id not in unknown:
        try:
            plans[plan_id] = bundled_plan(plan_id)
        except PlanError:
            unknown.add(plan_id)
    return plans.get(plan_id)


def _rules(
    rec: FileRecord, plan: Plan | None, today: date, previous: FileRecord | None
) -> tuple[Problem, ...]:
    """The plan rules a verified return breaks (or that its plan is not known here)."""
    assert rec.ret is not None
    if plan is None:
        text = f"plan {rec.ret.plan!r} is not known here: put its plan file in the folder"
        return (Problem(None, "plan", text),)
    before = previous.ret if previous else None
    return tuple(check_return(rec.ret, plan, today=today, previous=before))


def _name_problem(rec: FileRecord, periods: dict[str, Period]) -> tuple[Problem, ...]:
    """A file name that disagrees with the signed content (which counts)."""
    assert rec.ret is not None
    ret = rec.ret
    claimed = parse_return_filename(rec.path.name)
    signed = (ret.plan, periods[ret.period].slug, ret.partner, ret.revision)
    if claimed is None or claimed == signed:
        return ()
    text = f"file name says {claimed[:3]} r{claimed[3]}; the signed content (which counts) says"
    return (Problem(None, "file name", f"{text} {signed[:3]} r{signed[3]}"),)
