"""Loading a folder of collected return files: verify every file, keep what can be trusted.

:func:`load_collection` walks the folder (:mod:`~.scan`), verifies each file's bytes before
parsing them (:func:`~.signing.verify_bytes`, as ``dapreturn verify`` does), scans verified
returns for personal data and resolves revisions (:mod:`~.resolve`). It never writes to the
folder. Plan files found in it are listed, never used (so a planted one cannot re-label
statuses); ``review-ledger.toml`` is skipped; symbolic links are refused, never followed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from dapreturn.core.collection.records import Collection, FileRecord, HistoryItem
from dapreturn.core.collection.resolve import plans_for, resolve
from dapreturn.core.collection.scan import (
    LEDGER_NAME,
    Folder,
    Job,
    RefusedError,
    is_plan_bytes,
    printable,
)
from dapreturn.core.errors import DapreturnError, PeriodError
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import parse_return_filename
from dapreturn.core.returns.safeguarding import scan_fields
from dapreturn.core.signing.files import Verdict, VerdictState, verify_bytes
from dapreturn.core.signing.trust import TrustList

__all__ = [
    "LEDGER_NAME",
    "PLAN_FILE_NOTE",
    "Collection",
    "FileRecord",
    "HistoryItem",
    "ProgressCallback",
    "load_collection",
    "printable",
]

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``, called after each file."""

PLAN_FILE_NOTE = (
    "a plan file, not used: plans come from the bundled plans or --plan FILE, never from the folder"
)
"""Why a plan file found in the folder is listed and not used."""
_SOURCE = "<file>"
"""Stands in for the file's name in verification messages; its ``<file>: `` is cut off again."""


def load_collection(
    folder: Path,
    trust: TrustList | None,
    *,
    plans: Mapping[str, Plan] | None = None,
    progress: ProgressCallback | None = None,
    today: date | None = None,
) -> Collection:
    """Verify and read every return in ``folder``; see the module docstring for the rules."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DapreturnError(f"{folder}: not a folder")
    try:
        opened = Folder(folder)
    except OSError as exc:
        raise DapreturnError(f"{folder}: cannot read folder: {exc.strerror or exc}") from exc
    with opened:
        jobs = list(opened.walk())
        records = []
        for done, job in enumerate(jobs, start=1):
            records.append(_read(opened, job, trust))
            if progress is not None:
                progress(done, len(jobs))
    notes = []
    loose = [r.rel for r in records if r.reason == PLAN_FILE_NOTE]
    if loose:
        listed = ", ".join(loose)
        notes.append(f"plan files in the folder not used (give one with --plan FILE): {listed}")
    available = plans_for(records, plans or {})
    records = resolve(records, available, today or date.today())
    return Collection(folder, records, available, trust.source if trust else None, notes)


def _read(folder: Folder, job: Job, trust: TrustList | None) -> FileRecord:
    """One listed file's record: refused unread, a plan file (not used), or examined."""
    try:
        data = folder.read(job)
    except RefusedError as exc:
        return FileRecord(job.path, job.rel, VerdictState.INVALID, str(exc))
    digest = hashlib.sha256(data).hexdigest()
    if is_plan_bytes(data):
        return FileRecord(job.path, job.rel, VerdictState.INVALID, PLAN_FILE_NOTE, digest)
    return _record(job, digest, verify_bytes(data, trust, source=_SOURCE))


def _canonical(period: str | None) -> str | None:
    """Canonical period text, or ``None`` when it is not one."""
    try:
        return str(Period.parse(period)) if period else None
    except PeriodError:
        return None


def _record(job: Job, digest: str, v: Verdict) -> FileRecord:
    """The record of a file: its outcome, with what its *name* claims where nothing is signed."""
    ret = v.ret
    claimed = parse_return_filename(job.path.name) if ret is None else None
    return FileRecord(
        job.path,
        job.rel,
        v.state,
        v.message.removeprefix(f"{_SOURCE}: "),
        digest,
        partner=v.partner or (claimed[2] if claimed else None),
        plan=v.plan or (claimed[0] if claimed else None),
        period=v.period if ret else _canonical(v.period or (claimed[1] if claimed else None)),
        revision=ret.revision if ret else None,
        submitted_at=ret.submitted_at if ret else v.signed_at,
        fingerprint=v.fingerprint,
        findings=tuple(scan_fields(ret.narratives())) if ret else (),
        ret=ret,
    )
