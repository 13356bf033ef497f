"""One loaded state of a returns folder: the verified collection, the ledger and the trust list.

:func:`load_snapshot` is what the app runs off the UI thread. It only reads: the trust list,
every file in the folder (through :func:`~dapreturn.core.collection.load.load_collection`) and the
review ledger. A :class:`Snapshot` is never changed in place; a saved decision makes a new one
(:meth:`Snapshot.with_ledger`), so screens can tell that something changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from dapreturn.core.collection.ledger import Ledger, Review, load_ledger
from dapreturn.core.collection.load import Collection, FileRecord, ProgressCallback, load_collection
from dapreturn.core.errors import TrustListError
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import Plan
from dapreturn.core.signing.trust import TrustEntry, TrustList, load_trust


def shown_path(path: Path) -> str:
    """A path as the officer best recognises it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class TrustInfo:
    """Which trust list was used and what became of reading it."""

    path: Path
    """The trust list file: where it was read from, or where a trusted key will be written."""
    exists: bool
    """Whether the file was there when the folder was loaded."""
    keys: int = 0
    """How many key lines it holds."""
    entries: tuple[TrustEntry, ...] = ()
    """Its key lines, in file order (for the trust view)."""
    error: str | None = None
    """Why it could not be read (then nothing verifies and nothing is appended to it)."""
    problems: tuple[str, ...] = ()
    """Lines skipped because OpenSSH would not use them (``file:line: reason`` each)."""

    @property
    def summary(self) -> str:
        """One line for the status bar: ``trust: allowed_signers (5 keys)``."""
        if self.error:
            return f"✗ trust list unreadable: {self.path.name}"
        if not self.exists:
            return "? no trust list yet"
        return f"trust: {self.keys} key{'' if self.keys == 1 else 's'}"


def read_trust(path: Path) -> tuple[TrustList | None, TrustInfo]:
    """Read the trust list at ``path``: a missing file is "none yet", a broken one an error."""
    if not path.exists():
        return None, TrustInfo(path, exists=False)
    try:
        trust = load_trust(path)
    except TrustListError as exc:
        return None, TrustInfo(path, exists=True, error=str(exc))
    return trust, TrustInfo(
        path, exists=True, keys=len(trust.entries), entries=trust.entries, problems=trust.problems
    )


@dataclass(frozen=True)
class Choice:
    """The plan and period the dashboard, KPIs and history are about."""

    plan_id: str
    period: Period


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Everything the screens show, as loaded at one moment (compared by identity)."""

    folder: Path
    """The returns folder."""
    collection: Collection
    """Every file and what verification made of it."""
    ledger: Ledger
    """The officer's review decisions (``ledger.error`` set: unreadable, read-only)."""
    trust: TrustInfo
    """The trust list used."""
    loaded_at: datetime
    """When the folder was read."""
    today: date
    """The day rules and defaults are judged at (pinned in tests)."""

    def plan(self, plan_id: str) -> Plan | None:
        """A plan known to the collection (given, from the folder, or bundled)."""
        return self.collection.plans.get(plan_id)

    def review(self, record: FileRecord) -> Review | None:
        """The ledger's record for a file (by its hash and name), if any."""
        if record.sha256 is None:
            return None
        return self.ledger.review(record.sha256, record.path.name)

    def with_ledger(self, ledger: Ledger) -> Snapshot:
        """The same snapshot with a newly saved ledger."""
        return replace(self, ledger=ledger)

    def last_officer(self) -> str:
        """The officer who made the latest decision in the ledger (to offer as a default)."""
        decided = [r for r in self.ledger.reviews.values() if r.officer and r.decided_at]
        if not decided:
            return ""
        return max(decided, key=lambda r: r.decided_at or datetime.min.replace(tzinfo=UTC)).officer

    def summary(self) -> str:
        """``returns: 13 files, 11 verified (10 count), 2 not · trust: 5 keys · ledger ok``."""
        files = self.collection.files
        verified = sum(1 for f in files if f.verified)
        counted = sum(1 for f in files if f.counted)
        ledger = "✗ ledger unreadable" if self.ledger.error else "ledger ok"
        return (
            f"{self.folder.name or self.folder}: {len(files)} files, {verified} verified "
            f"({counted} count), {len(files) - verified} not · {self.trust.summary} · {ledger}"
        )

    def default_choice(self) -> Choice | None:
        """The plan whose latest period with returns is the latest, and that period."""
        best: tuple[Period, int, str] | None = None
        for plan_id in self.collection.plan_ids():
            periods = self.collection.periods(plan_id)
            if not periods or plan_id not in self.collection.plans:
                continue
            latest = periods[-1]
            count = len(self.collection.current_records(plan_id, latest))
            key = (latest, count, plan_id)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None:
            plans = sorted(self.collection.plans)
            return None if not plans else Choice(plans[0], Period.just_ended(self.today))
        return Choice(best[2], best[0])

    def is_valid(self, choice: Choice | None) -> bool:
        """Whether ``choice`` names a plan this snapshot knows."""
        return choice is not None and choice.plan_id in self.collection.plans


def load_snapshot(
    folder: Path,
    trust_file: Path,
    *,
    plans: Mapping[str, Plan] | None = None,
    today: date | None = None,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
) -> Snapshot:
    """Read ``folder`` (never writing to it) with the trust list at ``trust_file``."""
    trust, info = read_trust(trust_file)
    collection = load_collection(folder, trust, plans=plans, progress=progress, today=today)
    ledger = load_ledger(folder)
    when = now or datetime.now(UTC)
    return Snapshot(folder, collection, ledger, info, when, today or when.date())
