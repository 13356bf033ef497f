"""Loading a folder of collected return files: verify every file, keep what can be trusted.

:func:`load_collection` walks the folder (recursively, never following a symbolic link, never
reading outside it), refuses anything over 5 MiB unread, verifies every ``*.toml`` against the
trust list *before* parsing it, and only then reads verified bodies as returns and checks them
against their plan. It never writes, moves or deletes anything.

- A TOML file with ``schema = "dapreturn/plan/v1"`` is a plan: returns for it are checked
  against it. A plan file that claims the id of a bundled (or explicitly given) plan is refused.
- ``review-ledger.toml`` (the officer's decisions) is skipped.
- Per (plan, partner, period) the highest verified revision counts (ties: later
  ``submitted_at``, then path); the others are *superseded* and kept as history.
- A verified return that breaks plan rules still counts, flagged with its problems.
- Every symbolic link is listed as refused and never looked through; file names and reasons
  are kept to one printable line (:func:`printable`), whatever a file is called.

Memory: files are read one at a time and their bytes released; only verified returns are kept
(parsed), so memory grows with the verified content, not with the folder's size on disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from dapreturn.core.errors import DapreturnError, PeriodError, PlanError
from dapreturn.core.periods import Period
from dapreturn.core.plan import PLAN_SCHEMA, Plan, bundled_plan, bundled_plan_ids, parse_plan
from dapreturn.core.returns import Entry, Return, parse_return_filename
from dapreturn.core.rules import Problem, check_return
from dapreturn.core.safeguarding import Finding, scan_fields
from dapreturn.core.signing import MAX_FILE_BYTES, VerdictState, verify_bytes
from dapreturn.core.tomlio import decode_utf8, parse_return
from dapreturn.core.trust import TrustList

LEDGER_NAME = "review-ledger.toml"
"""The officer's review ledger, kept in the collection folder and never read as a return."""

_SCHEMA_RE = re.compile(rb'^[ \t]*schema[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)


def printable(text: str) -> str:
    """``text`` safe on one terminal line: control, line-break and bidi characters escaped.

    A line feed becomes the four characters ``\\x0a``; a right-to-left override ``\\u202e``.
    Backslashes are kept as they are, so applying it twice changes nothing.
    """
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m[0]):04x}" if ord(m[0]) > 0xFF else f"\\x{ord(m[0]):02x}", text
    )


class _RefusedError(Exception):
    """A file that is not read at all (link, not a regular file, too large, unreadable)."""


@dataclass(frozen=True)
class FileRecord:
    """One file found in the folder and what became of it."""

    path: Path
    """Where the file is."""
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

    @property
    def superseded(self) -> bool:
        """Verified, but a later revision (or an identical copy) counts instead."""
        return self.verified and self.superseded_by is not None


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
    """Every file but accepted plan files (folder by folder: files by name, then subfolders)."""
    plans: dict[str, Plan]
    """Plans available to this collection: given, found in the folder, or bundled and used."""
    plan_files: dict[str, str] = field(default_factory=dict)
    """Plan files accepted from the folder: ``rel`` -> plan id."""
    trust_source: str | None = None
    """The trust list used (``None``: none, so nothing verified)."""
    _index: dict[tuple[str, Period], dict[str, FileRecord]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Index the counted returns by (plan, period) and partner."""
        self._index = {}
        for rec in self.files:
            if rec.counted and rec.ret is not None and rec.plan:
                key = (rec.plan, rec.ret.period_obj)
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


ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``, called after each file."""

_Job = tuple[Path, str, str | None]
"""(path, rel, reason it is refused unread or ``None``)."""


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
    jobs = list(_walk(folder))
    registry = _Plans(dict(plans or {}))
    records: list[FileRecord] = []
    for done, (path, rel, refusal) in enumerate(jobs, start=1):
        result = _examine(path, rel, refusal, trust)
        record = registry.add(result) if isinstance(result, _PlanFile) else result
        if record is not None:
            records.append(record)
        if progress is not None:
            progress(done, len(jobs))
    records = _resolve(records, registry.plans, today or date.today())
    source = trust.source if trust else None
    return Collection(folder, records, registry.plans, registry.files, source)


def _walk(root: Path) -> Iterator[_Job]:
    """Yield a job per candidate file, folder by folder (files, then subfolders, by name).

    Links are never followed (nor looked through): every link is yielded as refused.
    """
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield folder, prefix or ".", f"cannot read folder: {exc.strerror or exc}"
            continue
        subfolders = []
        for e in entries:
            rel = prefix + e.name
            if e.is_symlink():  # never stat through it: it may loop or lead outside
                yield Path(e.path), rel, "symbolic link — not followed"
            elif e.is_dir(follow_symlinks=False):
                subfolders.append((Path(e.path), rel + "/"))
            elif e.name.lower().endswith(".toml") and e.name != LEDGER_NAME:
                yield Path(e.path), rel, None
        stack.extend(reversed(subfolders))


@dataclass(frozen=True)
class _PlanFile:
    """A plan file met in the folder (registered, or refused, in file order by :class:`_Plans`)."""

    path: Path
    rel: str
    sha256: str
    plan: Plan | None
    error: str


def _read(path: Path) -> bytes:
    """Read a regular file of at most :data:`MAX_FILE_BYTES` without following a link."""
    try:
        with open(os.open(path, _READ_FLAGS), "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise _RefusedError("not a regular file — not read")
            if st.st_size > MAX_FILE_BYTES:
                raise _RefusedError(
                    f"too large ({st.st_size:,} bytes; the most is 5 MiB) — not read"
                )
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _RefusedError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise _RefusedError("too large (grew past 5 MiB while being read) — not read")
    return data


def _examine(
    path: Path, rel: str, refusal: str | None, trust: TrustList | None
) -> FileRecord | _PlanFile:
    """Read one file; a plan is parsed, anything else verified and (if verified) read."""
    try:
        if refusal:
            raise _RefusedError(refusal)
        data = _read(path)
    except _RefusedError as exc:
        return FileRecord(path, rel, VerdictState.INVALID, str(exc))
    digest = hashlib.sha256(data).hexdigest()
    schema = _SCHEMA_RE.search(data[:4096])
    if schema is None or schema[1] != PLAN_SCHEMA.encode():
        return _verify(path, rel, data, digest, trust)
    try:
        return _PlanFile(
            path, rel, digest, parse_plan(decode_utf8(data, source=rel), source=rel), ""
        )
    except DapreturnError as exc:
        return _PlanFile(path, rel, digest, None, f"plan file not loaded: {exc}")


def _canonical(period: str | None) -> str | None:
    """Canonical period text, or ``None`` when it is not one."""
    try:
        return str(Period.parse(period)) if period else None
    except PeriodError:
        return None


def _verify(path: Path, rel: str, data: bytes, digest: str, trust: TrustList | None) -> FileRecord:
    """Verify the bytes; only if verified, read them as a return and scan its free text."""
    v = verify_bytes(data, trust, source=rel)
    claimed = parse_return_filename(path.name)
    base = FileRecord(
        path,
        rel,
        v.state,
        v.message.removeprefix(f"{rel}: "),
        digest,
        partner=v.partner or (claimed[2] if claimed else None),
        plan=v.plan or (claimed[0] if claimed else None),
        period=_canonical(v.period or (claimed[1] if claimed else None)),
        submitted_at=v.signed_at,
        fingerprint=v.fingerprint,
    )
    if v.state is not VerdictState.VERIFIED or v.body is None:
        return base
    try:
        ret = parse_return(decode_utf8(v.body, source=rel), source=rel)
    except DapreturnError as exc:
        why = f"signed, but not a return: {str(exc).removeprefix(f'{rel}: ')}"
        return replace(base, state=VerdictState.INVALID, reason=why)
    return replace(
        base,
        partner=ret.partner,
        plan=ret.plan,
        period=ret.period,
        revision=ret.revision,
        submitted_at=ret.submitted_at,
        findings=tuple(scan_fields(ret.narratives())),
        ret=ret,
    )


class _Plans:
    """Plans available to a collection: given ones, then folder plan files in file order."""

    def __init__(self, given: dict[str, Plan]) -> None:
        self.given = given
        self.plans: dict[str, Plan] = dict(given)
        self.files: dict[str, str] = {}
        self.bundled = set(bundled_plan_ids())

    def add(self, pf: _PlanFile) -> FileRecord | None:
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


def _resolve(records: list[FileRecord], plans: dict[str, Plan], today: date) -> list[FileRecord]:
    """Mark superseded revisions, then check each verified return against its plan."""
    best: dict[tuple[str, str, str], FileRecord] = {}
    for rec in records:
        if rec.ret is not None and rec.verified:
            key = (rec.ret.plan, rec.ret.partner, rec.ret.period)
            if key not in best or _rank(rec) > _rank(best[key]):
                best[key] = rec
    unknown: set[str] = set()
    out: list[FileRecord] = []
    for rec in records:
        if rec.ret is None or not rec.verified:
            out.append(rec)
            continue
        ret = rec.ret
        winner = best[(ret.plan, ret.partner, ret.period)]
        previous = best.get((ret.plan, ret.partner, str(ret.period_obj.previous())))
        problems = _problems(rec, _plan_for(ret.plan, plans, unknown), today, previous)
        superseded_by = None if winner is rec else winner.rel
        out.append(replace(rec, superseded_by=superseded_by, problems=tuple(problems)))
    return out


def _plan_for(plan_id: str, plans: dict[str, Plan], unknown: set[str]) -> Plan | None:
    """The plan a return is checked against: given, from the folder, or bundled."""
    if plan_id not in plans and plan_id not in unknown:
        try:
            plans[plan_id] = bundled_plan(plan_id)
        except PlanError:
            unknown.add(plan_id)
    return plans.get(plan_id)


def _problems(
    rec: FileRecord, plan: Plan | None, today: date, previous: FileRecord | None
) -> list[Problem]:
    """Plan rules broken, plus a file name that disagrees with the signed content."""
    assert rec.ret is not None
    ret = rec.ret
    out: list[Problem] = []
    if plan is None:
        text = f"plan {ret.plan!r} is not known here: put its plan file in the folder"
        out.append(Problem(None, "plan", text))
    else:
        out.extend(
            check_return(ret, plan, today=today, previous=previous.ret if previous else None)
        )
    claimed = parse_return_filename(rec.path.name)
    signed = (ret.plan, ret.period_obj.slug, ret.partner, ret.revision)
    if claimed is not None and claimed != signed:
        text = f"file name says {claimed[:3]} r{claimed[3]}; the signed content (which counts) says"
        out.append(Problem(None, "file name", f"{text} {signed[:3]} r{signed[3]}"))
    return out
