"""Loading a folder of collected return files: verify every file, keep what can be trusted.

:func:`load_collection` walks the folder (recursively, never following a symbolic link, never
reading outside it; :mod:`dapreturn.core.scan`), refuses anything over 5 MiB unread, verifies
every ``*.toml`` against the trust list *before* parsing it, and only then reads verified bodies
as returns (:mod:`dapreturn.core.examine`) and checks them against their plan. It never writes,
moves or deletes anything in the folder.

- A TOML file with ``schema = "dapreturn/plan/v1"`` is a plan: returns for it are checked
  against it. A plan file that claims the id of a bundled (or explicitly given) plan is refused.
- ``review-ledger.toml`` (the officer's decisions) is skipped.
- Per (plan, partner, period) the highest verified revision counts (ties: later
  ``submitted_at``, then path); the others are *superseded* and kept as history.
- A verified return that breaks plan rules still counts, flagged with its problems.
- Every symbolic link is listed as refused and never looked through; file names and reasons
  are kept to one printable line (:func:`printable`), whatever a file is called.

Speed: with a :class:`~dapreturn.core.vcache.VerificationCache`, a file whose exact bytes were
checked before (against the same trust list) is not verified again, and its plan rules are not
checked again while its plan, the previous period's return and the day are unchanged. Large
folders are checked on every core (:mod:`dapreturn.core.pool`).

Memory: files are read a chunk at a time and their bytes released; only verified returns are
kept (parsed), so memory grows with the verified content, not with the folder's size on disk.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from itertools import islice
from pathlib import Path

from dapreturn.core.errors import DapreturnError, PeriodError
from dapreturn.core.examine import Examined
from dapreturn.core.periods import Period
from dapreturn.core.plan import Plan, parse_plan
from dapreturn.core.pool import Examiner
from dapreturn.core.records import Collection, FileRecord, HistoryItem
from dapreturn.core.resolve import PlanFile, Plans, resolve
from dapreturn.core.returns import parse_return_filename
from dapreturn.core.scan import (
    LEDGER_NAME,
    Job,
    RefusedError,
    is_plan_bytes,
    printable,
    read_limited,
    walk,
)
from dapreturn.core.signing import VerdictState
from dapreturn.core.tomlio import decode_utf8
from dapreturn.core.trust import TrustList
from dapreturn.core.vcache import VerificationCache
from dapreturn.core.vcache_rows import Row, context_key

__all__ = [
    "LEDGER_NAME",
    "Collection",
    "FileRecord",
    "HistoryItem",
    "ProgressCallback",
    "load_collection",
    "printable",
]

_READ_AHEAD = 256
"""Files read (and looked up in the cache) at a time."""
_STORE_EVERY = 512
"""Cache rows written per transaction."""


ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``, called after each file."""


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_enabled = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a folder loads (thread-safe, nestable).

    Loading makes many long-lived objects and hardly any cyclic garbage; the collector would
    scan the growing heap again and again (20-40 % of a 10,000-file load from the cache).
    Reference counting still frees everything that is not in a cycle. When it ends, everything
    made meanwhile goes straight to the oldest generation (``freeze`` then ``unfreeze``), where
    the collector looks only now and then, instead of being scanned at once as new objects
    (another 10 % of a load from the cache); nothing stays out of the collector's reach.
    """
    global _gc_depth, _gc_was_enabled  # noqa: PLW0603 - one collector per process
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_was_enabled:
                gc.freeze()
                gc.unfreeze()
                gc.enable()


def load_collection(
    folder: Path,
    trust: TrustList | None,
    *,
    plans: Mapping[str, Plan] | None = None,
    progress: ProgressCallback | None = None,
    today: date | None = None,
    cache: VerificationCache | None = None,
    workers: int | None = None,
) -> Collection:
    """Verify and read every return in ``folder``; see the module docstring for the rules.

    ``cache``: outcomes of files checked before are taken from it, new ones added to it.
    ``workers``: processes to check files in (``None``: every core, for large folders only).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DapreturnError(f"{folder}: not a folder")
    with _collector_paused():
        loader = _Loader(list(walk(folder)), trust, cache, progress)
        examiner = Examiner(trust, workers=workers, rows=loader.context is not None)
        for index, ex, row in examiner.run(loader.misses()):
            loader.examined(index, ex, row)
        loader.flush()
        registry = Plans(dict(plans or {}))
        records: list[FileRecord] = []
        for slot in loader.slots:
            record = registry.add(slot) if isinstance(slot, PlanFile) else slot
            if record is not None:
                records.append(record)
        today = today or date.today()
        rules = None
        if loader.cache is not None and loader.context is not None and loader.cache.usable:
            rules = loader.cache.rules(loader.context, today)
        records = resolve(records, registry.plans, today, rules)
        notes = list(examiner.notes)
        if cache is not None and cache.problem:
            notes.append(f"verification cache not used: {cache.problem}")
        source = trust.source if trust else None
        return Collection(folder, records, registry.plans, registry.files, source, notes)


class _Loader:
    """One load's files: read in order, cached outcomes taken, the rest handed out to examine."""

    def __init__(
        self,
        jobs: list[Job],
        trust: TrustList | None,
        cache: VerificationCache | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.jobs = jobs
        self.slots: list[FileRecord | PlanFile | None] = [None] * len(jobs)
        """What became of each file, in walking order."""
        self.cache = cache if cache is not None and cache.usable else None
        self.context = context_key(trust) if self.cache is not None else None
        """The cache key of this trust list (``None``: no cache in use)."""
        self._progress = progress
        self._done = 0
        self._digests: dict[int, bytes] = {}
        self._rows: list[tuple[bytes, Row]] = []

    def _tick(self) -> None:
        self._done += 1
        if self._progress is not None:
            self._progress(self._done, len(self.jobs))

    def misses(self) -> Iterator[tuple[int, bytes]]:
        """Read every file; settle refusals, plans and cached outcomes; yield the rest."""
        numbered = iter(enumerate(self.jobs))
        while chunk := list(islice(numbered, _READ_AHEAD)):
            todo: list[tuple[int, bytes, bytes]] = []
            for index, (path, rel, refusal) in chunk:
                try:
                    if refusal:
                        raise RefusedError(refusal)
                    data = read_limited(path)
                except RefusedError as exc:
                    self.slots[index] = FileRecord(path, rel, VerdictState.INVALID, str(exc))
                    self._tick()
                    continue
                digest = hashlib.sha256(data).digest()
                if is_plan_bytes(data):
                    self.slots[index] = _plan_file(path, rel, data, digest.hex())
                    self._tick()
                else:
                    todo.append((index, digest, data))
            hits = {}
            if self.cache is not None and self.context is not None and todo:
                hits = self.cache.lookup(self.context, [d for _, d, _ in todo])
            for index, digest, data in todo:
                if digest in hits:
                    self._settle(index, digest, hits[digest])
                else:
                    self._digests[index] = digest
                    yield index, data

    def examined(self, index: int, ex: Examined, row: Row | None) -> None:
        """Take the outcome of a file that was not in the cache."""
        digest = self._digests.pop(index)
        self._settle(index, digest, ex)
        if row is not None and self.cache is not None:
            self._rows.append((digest, row))
            if len(self._rows) >= _STORE_EVERY:
                self.flush()

    def flush(self) -> None:
        """Write the outcomes waiting for the cache."""
        if self.cache is not None and self.context is not None and self._rows:
            self.cache.store(self.context, self._rows)
        self._rows = []

    def _settle(self, index: int, digest: bytes, ex: Examined) -> None:
        path, rel, _ = self.jobs[index]
        self.slots[index] = _record(path, rel, digest.hex(), ex)
        self._tick()


def _plan_file(path: Path, rel: str, data: bytes, digest: str) -> PlanFile:
    """Parse a plan file met in the folder (refused later if it cannot be used)."""
    try:
        return PlanFile(
            path, rel, digest, parse_plan(decode_utf8(data, source=rel), source=rel), ""
        )
    except DapreturnError as exc:
        return PlanFile(path, rel, digest, None, f"plan file not loaded: {exc}")


def _canonical(period: str | None) -> str | None:
    """Canonical period text, or ``None`` when it is not one."""
    try:
        return str(Period.parse(period)) if period else None
    except PeriodError:
        return None


def _record(path: Path, rel: str, digest: str, ex: Examined) -> FileRecord:
    """The record of a file: its outcome, with what its *name* claims where nothing is signed."""
    if ex.ret is not None:
        return FileRecord(
            path,
            rel,
            ex.state,
            ex.reason,
            digest,
            partner=ex.partner,
            plan=ex.plan,
            period=ex.period,
            revision=ex.revision,
            submitted_at=ex.submitted_at,
            fingerprint=ex.fingerprint,
            findings=ex.findings,
            ret=ex.ret,
        )
    claimed = parse_return_filename(path.name)
    return FileRecord(
        path,
        rel,
        ex.state,
        ex.reason,
        digest,
        partner=ex.partner or (claimed[2] if claimed else None),
        plan=ex.plan or (claimed[0] if claimed else None),
        period=_canonical(ex.period or (claimed[1] if claimed else None)),
        submitted_at=ex.submitted_at,
        fingerprint=ex.fingerprint,
        findings=ex.findings,
    )
