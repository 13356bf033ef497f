"""The officer's writes, as plain functions run off the UI thread: a decision, a report.

Neither touches a return file. A decision goes to the review ledger beside the returns
(:mod:`dapreturn.core.collection.ledger`); a report goes wherever the officer chose, written
atomically
and, unless asked, never over an existing file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dapreturn.core.collection.ledger import Decision, Ledger, save_ledger
from dapreturn.core.collection.load import FileRecord
from dapreturn.core.errors import DapreturnError
from dapreturn.core.report import Format, build_report, render
from dapreturn.core.review.snapshot import Choice, Snapshot
from dapreturn.core.storage import atomic_write_bytes


@dataclass(frozen=True)
class ReviewOutcome:
    """What the officer decided about one return file."""

    decision: Decision | None
    """``accepted``, ``query_raised`` or ``None`` (no decision / cleared)."""
    officer: str
    """Who decided."""
    comment: str = ""
    """Overall comment."""
    comments: dict[str, str] = field(default_factory=dict)
    """Comment per action ref (empty text removes one)."""


def save_review(
    ledger: Ledger, record: FileRecord, outcome: ReviewOutcome, *, now: datetime
) -> Ledger:
    """Record ``outcome`` for ``record`` in a copy of ``ledger``, save it, return the copy.

    The ledger given is left as it was, so a failed save (someone else saved meanwhile, the
    folder is read-only) shows nothing that is not on disk.
    """
    if record.sha256 is None:
        raise DapreturnError(f"{record.rel}: was not read, so it cannot be reviewed")
    new = copy.deepcopy(ledger)
    name = record.path.name
    new.decide(
        record.sha256,
        name,
        outcome.decision,
        officer=outcome.officer,
        comment=outcome.comment,
        now=now,
    )
    for ref, text in outcome.comments.items():
        new.comment(record.sha256, name, text.strip(), ref=ref)
    save_ledger(new)
    return new


@dataclass(frozen=True)
class ExportRequest:
    """Which report to write, and where."""

    fmt: Format
    path: Path
    replace: bool = False
    """Replace a file already at ``path`` (otherwise refuse)."""


def default_report_name(choice: Choice, fmt: Format) -> str:
    """``test-daps_2018-19-Q3_report.md``."""
    return f"{choice.plan_id}_{choice.period.slug}_report.{fmt}"


def export_report(
    snapshot: Snapshot, choice: Choice, request: ExportRequest, *, now: datetime
) -> Path:
    """Build the consolidated report for ``choice`` and write it; return where it went."""
    plan = snapshot.plan(choice.plan_id)
    if plan is None:
        raise DapreturnError(f"plan {choice.plan_id!r} is not known here")
    report = build_report(
        snapshot.collection, plan, choice.period, ledger=snapshot.ledger, generated_at=now
    )
    data = render(report, request.fmt)
    path = request.path.expanduser()
    if not path.parent.is_dir():
        raise DapreturnError(f"cannot save {path}: the folder {path.parent} does not exist")
    atomic_write_bytes(path, data, exclusive=not request.replace)
    return path
