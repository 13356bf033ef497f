"""What loading a collection folder found: a record per file, and the collection of them.

:class:`FileRecord` is one file and what became of it; :class:`Collection` indexes the counted
returns by plan, period and partner. Both are built by
:func:`dapreturn.core.collection.load.load_collection` (which re-exports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dapreturn.core.collection.scan import printable
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan
from dapreturn.core.returns.model import Entry, Return
from dapreturn.core.returns.rules import Problem
from dapreturn.core.returns.safeguarding import Finding
from dapreturn.core.signing.files import VerdictState

__all__ = ["Collection", "FileRecord", "HistoryItem"]


@dataclass(frozen=True)
class FileRecord:
    """One file found in the folder and what became of it."""

    path: Path
    rel: str
    """Its path relative to the folder, ``/`` separators, :func:`printable` (used in messages)."""
    state: VerdictState
    """The verification outcome; files refused unread are ``INVALID``."""
    reason: str
    """One line saying why (``verified: BSWA, SHA256:...``, ``BAD SIGNATURE — ...``)."""
    sha256: str | None = None
    """SHA-256 of the file's bytes (hex), when it was read."""
    partner: str | None = None
    """The partner: signed for verified files, *claimed* (body or file name) otherwise."""
    plan: str | None = None
    """The plan id (claimed unless verified)."""
    period: str | None = None
    """Canonical period text (claimed unless verified)."""
    revision: int | None = None
    """The signed revision (verified files only)."""
    submitted_at: datetime | None = None
    """The signed submission time."""
    fingerprint: str | None = None
    """Fingerprint of the key that signed it."""
    problems: tuple[Problem, ...] = ()
    """Plan rules the verified return breaks (it still counts, flagged)."""
    findings: tuple[Finding, ...] = ()
    """Likely personal data in its free text."""
    superseded_by: str | None = None
    """``rel`` of the revision that counts instead of this one."""
    ret: Return | None = field(default=None, repr=False, compare=False)
    """The parsed return (verified files only)."""

    def __post_init__(self) -> None:
        """Keep shown text to one printable line, whatever the file is called or claims."""
        object.__setattr__(self, "rel", printable(self.rel))
        object.__setattr__(self, "reason", printable(self.reason))
        if self.plan is not None:
            object.__setattr__(self, "plan", printable(self.plan))

    @property
    def message(self) -> str:
        """``<rel>: <reason>``."""
        return f"{self.rel}: {self.reason}"

    @property
    def verified(self) -> bool:
        """Verified against the trust list and readable as a return."""
        return self.state is VerdictState.VERIFIED and self.ret is not None

    @property
    def counted(self) -> bool:
        """Verified and the revision that counts for its plan, partner and period."""
        return self.verified and self.superseded_by is None


@dataclass(frozen=True)
class HistoryItem:
    """One counted entry for an action: which period, which partner, what they said."""

    period: Period
    partner: str
    entry: Entry
    record: FileRecord


@dataclass
class Collection:
    """Everything found in a folder; only :attr:`FileRecord.counted` returns are trusted."""

    folder: Path
    files: list[FileRecord]
    """Every file listed (folder by folder: files by name, then subfolders)."""
    plans: dict[str, Plan]
    """Plans available to this collection: given by the officer, or bundled and used."""
    trust_source: str | None = None
    """The trust list used (``None``: none, so nothing verified)."""
    notes: list[str] = field(default_factory=list)
    """Things the officer should know about how the folder was read (e.g. plan files not used)."""
    _index: dict[tuple[str, Period], dict[str, FileRecord]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Index the counted returns by (plan, period) and partner."""
        self._index = {}
        periods: dict[str, Period] = {}
        for rec in self.files:
            if rec.counted and rec.ret is not None and rec.plan:
                text = rec.ret.period
                key = (rec.plan, periods.get(text) or periods.setdefault(text, rec.ret.period_obj))
                self._index.setdefault(key, {})[rec.ret.partner] = rec

    def current_records(self, plan_id: str, period: Period | str) -> dict[str, FileRecord]:
        """The counted file per partner for a plan and period."""
        p = period if isinstance(period, Period) else Period.parse(period)
        return dict(self._index.get((plan_id, p), {}))

    def current(self, plan_id: str, period: Period | str) -> dict[str, Return]:
        """The counted return per partner for a plan and period."""
        return {k: r.ret for k, r in self.current_records(plan_id, period).items() if r.ret}

    def periods(self, plan_id: str) -> list[Period]:
        """The periods with at least one counted return for the plan, in order."""
        return sorted(p for plan, p in self._index if plan == plan_id)

    def plan_ids(self) -> list[str]:
        """Plans with at least one counted return, sorted."""
        return sorted({plan for plan, _ in self._index})

    def history(self, plan_id: str, ref: str) -> list[HistoryItem]:
        """Every counted entry for ``ref`` across periods and partners, by period then partner."""
        out: list[HistoryItem] = []
        for period in self.periods(plan_id):
            for partner, rec in sorted(self._index[(plan_id, period)].items()):
                entry = rec.ret.entry(ref) if rec.ret else None
                if entry is not None:
                    out.append(HistoryItem(period, partner, entry, rec))
        return out

    @property
    def bad_files(self) -> list[FileRecord]:
        """Files that are not verified returns, each with its reason."""
        return [r for r in self.files if not r.verified]

    @property
    def superseded(self) -> list[FileRecord]:
        """Verified returns replaced by a later revision (or an identical copy)."""
        return [r for r in self.files if r.verified and r.superseded_by]
