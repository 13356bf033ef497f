"""The verification cache: what checking a file's exact bytes found, so it is done only once.

An SQLite file in :func:`dapreturn.core.paths.cache_dir` maps the **SHA-256 of a file's bytes**
(never its name, size or modification time) to its :class:`~dapreturn.core.examine.Examined`
outcome: state, reason, partner, plan, period, revision, submission time, key fingerprint,
safeguarding findings and the return itself (as JSON, validated again by the model when read).
Changed bytes have a different hash, so they are always verified afresh.

Every entry is also keyed on a *context*: a hash of the trust list's entries (keys, principals,
namespaces, validity, file name and line numbers, which messages quote) and of this program
(the cache format, package versions and the source of every module that verifies, parses or
scans). Any change to either means nothing cached before is used; entries of other contexts
are deleted when a new context first stores. Plans are not part of the key because nothing
cached depends on a plan: plan rules (and superseded revisions) are checked on every load.

The cache is never trusted blindly. A file that is not SQLite, belongs to another program
(``PRAGMA application_id``) or has another layout (``PRAGMA user_version``) is discarded and
rebuilt; a row that does not decode is ignored (and replaced). Two processes may share it (WAL
journal, busy timeout); when it cannot be opened or stays locked, loading goes on without it and
:attr:`VerificationCache.problem` says why. It is only as trustworthy as the folder that holds
it, which is also where the user's keys and remembered trust-list path are kept.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType

from pydantic import ValidationError

from dapreturn.core import paths
from dapreturn.core.examine import Examined
from dapreturn.core.returns import Return
from dapreturn.core.safeguarding import Finding, FindingKind
from dapreturn.core.signing import VerdictState
from dapreturn.core.trust import TrustList

__all__ = ["CACHE_NAME", "Row", "VerificationCache", "context_key", "decode", "encode"]

CACHE_NAME = "verification.sqlite3"
"""The cache's file name inside :func:`~dapreturn.core.paths.cache_dir`."""
APPLICATION_ID = 0x64617052
"""``PRAGMA application_id`` of a dapreturn cache (``dapR``)."""
FORMAT = 1
"""``PRAGMA user_version``: the table layout; another value means discard and rebuild."""
BATCH = 400
"""Digests per lookup query (well under SQLite's bound-parameter limit)."""

_MODULES = (
    "dapreturn.core.examine",
    "dapreturn.core.signing",
    "dapreturn.core.sshsig",
    "dapreturn.core.trust",
    "dapreturn.core.returns",
    "dapreturn.core.tomlio",
    "dapreturn.core.messages",
    "dapreturn.core.periods",
    "dapreturn.core.dates",
    "dapreturn.core.safeguarding",
    "dapreturn.core.vcache",
)
"""Modules whose code decides what is cached: any change to them empties the cache."""
_COLUMNS = "state, reason, partner, plan, period, revision, submitted_at, fingerprint, findings, ret"
_SCHEMA = f"""
CREATE TABLE verdicts (
    context BLOB NOT NULL, digest BLOB NOT NULL,
    state TEXT NOT NULL, reason TEXT NOT NULL, partner TEXT, plan TEXT, period TEXT,
    revision INTEGER, submitted_at TEXT, fingerprint TEXT, findings TEXT NOT NULL, ret TEXT,
    PRIMARY KEY (context, digest)
) WITHOUT ROWID;
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {FORMAT};
"""

Row = tuple[
    str, str, str | None, str | None, str | None, int | None, str | None, str | None, str, str | None
]
"""One cached outcome as stored (the columns of :data:`_COLUMNS`)."""


@functools.cache
def _code_fingerprint() -> bytes:
    """A hash of everything in this program that decides what verification finds."""
    import cryptography
    import pydantic

    from dapreturn import __version__

    versions = f"{FORMAT}|{__version__}|{pydantic.VERSION}|{cryptography.__version__}|"
    h = hashlib.sha256(versions.encode())
    h.update(sys.version.encode())
    for name in _MODULES:
        origin = getattr(importlib.import_module(name), "__file__", None)
        try:
            h.update(Path(origin).read_bytes() if origin else name.encode())
        except OSError:
            h.update(name.encode())
    return h.digest()


def context_key(trust: TrustList | None) -> bytes:
    """The key under which outcomes for ``trust`` (and this program) are cached."""
    entries = (
        [
            [
                list(e.principals),
                list(e.namespaces) if e.namespaces is not None else None,
                e.valid_after.isoformat() if e.valid_after else None,
                e.valid_before.isoformat() if e.valid_before else None,
                e.cert_authority,
                e.key_type,
                e.key_blob.hex(),
                e.line_no,
                e.source,
            ]
            for e in trust.entries
        ]
        if trust is not None
        else None
    )
    text = json.dumps([trust.source if trust else None, entries], separators=(",", ":"))
    return hashlib.sha256(_code_fingerprint() + text.encode()).digest()


def encode(ex: Examined) -> Row:
    """The row that stores ``ex``."""
    findings = [[f.field, f.kind.name, f.text, f.start, f.end, f.message] for f in ex.findings]
    return (
        ex.state.value,
        ex.reason,
        ex.partner,
        ex.plan,
        ex.period,
        ex.revision,
        ex.submitted_at.isoformat() if ex.submitted_at else None,
        ex.fingerprint,
        json.dumps(findings, ensure_ascii=False),
        ex.ret.model_dump_json(by_alias=True) if ex.ret is not None else None,
    )


def decode(row: Sequence[object]) -> Examined:
    """Rebuild an outcome from its row; :class:`ValueError` (or a subclass) if it is damaged."""
    state, reason, partner, plan, period, revision, submitted, fpr, findings, ret = row
    texts = (reason, partner, plan, period, submitted, fpr, findings, ret)
    if not isinstance(state, str) or not all(t is None or isinstance(t, str) for t in texts):
        raise ValueError("unexpected column types")
    if revision is not None and not isinstance(revision, int):
        raise ValueError("unexpected revision")
    return Examined(
        VerdictState(state),
        str(reason),
        partner=partner if isinstance(partner, str) else None,
        plan=plan if isinstance(plan, str) else None,
        period=period if isinstance(period, str) else None,
        revision=revision,
        submitted_at=datetime.fromisoformat(submitted) if isinstance(submitted, str) else None,
        fingerprint=fpr if isinstance(fpr, str) else None,
        findings=tuple(
            Finding(str(f), FindingKind[str(k)], str(t), int(s), int(e), str(m))
            for f, k, t, s, e, m in json.loads(str(findings))
        ),
        ret=Return.model_validate_json(ret) if isinstance(ret, str) else None,
    )


class VerificationCache:
    """The cache file, open for one load (use as a context manager; one thread only)."""

    def __init__(self, path: Path | None = None, *, timeout: float = 5.0) -> None:
        """Open (creating, or discarding and rebuilding, as needed) the cache at ``path``."""
        self.path = path or paths.cache_dir() / CACHE_NAME
        """The cache file."""
        self.problem: str | None = None
        """Why the cache is not being used, when it is not (the load goes on without it)."""
        self.hits = 0
        """Outcomes read from the cache since it was opened."""
        self.stored = 0
        """Outcomes written to the cache since it was opened."""
        self.discarded: str | None = None
        """Why an existing cache file was thrown away and rebuilt, if it was."""
        self._timeout = timeout
        self._pruned: set[bytes] = set()
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except (sqlite3.Error, OSError) as exc:
            self._fail(f"cannot open {self.path}: {exc}")

    @property
    def usable(self) -> bool:
        """Whether lookups and stores go to the file."""
        return self._db is not None

    def _connect(self) -> sqlite3.Connection:
        """Open the file with a busy timeout, in autocommit mode (transactions are explicit)."""
        paths.ensure_dir(self.path.parent)
        return sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)

    def _ready(self, db: sqlite3.Connection) -> str | None:
        """Set the journal up and check the file; ``None`` when it can be used, else why not."""
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            return self._check(db)
        except sqlite3.OperationalError:
            raise  # locked or unreadable: not evidence that the file is damaged
        except sqlite3.DatabaseError as exc:
            return f"not a readable SQLite file ({exc})"

    def _open(self) -> sqlite3.Connection:
        """Connect; check the file is ours and current, else discard it and start afresh."""
        db = self._connect()
        try:
            why = self._ready(db)
        except BaseException:
            db.close()
            raise
        if why is None:
            return db
        db.close()
        self._discard(why)
        db = self._connect()
        try:
            if self._ready(db) is None:
                return db
        except BaseException:
            db.close()
            raise
        db.close()
        raise sqlite3.DatabaseError("a fresh cache file could not be set up")

    @staticmethod
    def _check(db: sqlite3.Connection) -> str | None:
        """``None`` if the file is a current dapreturn cache (set up here if empty), else why not."""
        db.execute("BEGIN IMMEDIATE")
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
            if app_id == 0 and version == 0 and tables == 0:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("COMMIT")
                return None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if app_id != APPLICATION_ID:
            return f"belongs to another program (application_id {app_id:#x})"
        if version != FORMAT:
            return f"has layout version {version}, this program uses {FORMAT}"
        return None

    def _discard(self, why: str) -> None:
        """Delete the cache file and its journals (they must never meet a new file)."""
        self.discarded = why
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def _fail(self, problem: str) -> None:
        """Stop using the cache for the rest of this load, saying why."""
        self.problem = " ".join(problem.split())
        if self._db is not None:
            self._db.close()
            self._db = None

    def _damaged(self, exc: sqlite3.Error) -> None:
        """A query failed: a damaged file is discarded (rebuilt next time), a busy one left."""
        if self._db is not None and not isinstance(exc, sqlite3.OperationalError):
            self._fail(f"{self.path} is damaged and was discarded ({exc})")
            try:
                self._discard(str(exc))
            except OSError:
                pass  # already reported as not used; the next open checks the file again
            return
        self._fail(f"{self.path} could not be used ({exc})")

    def lookup(self, context: bytes, digests: Sequence[bytes]) -> dict[bytes, Examined]:
        """The cached outcomes among ``digests`` (SHA-256 of file bytes) for ``context``."""
        found: dict[bytes, Examined] = {}
        for start in range(0, len(digests), BATCH):
            if self._db is None:
                break
            part = digests[start : start + BATCH]
            marks = ",".join("?" * len(part))
            sql = f"SELECT digest, {_COLUMNS} FROM verdicts WHERE context = ? AND digest IN ({marks})"
            try:
                rows = self._db.execute(sql, (context, *part)).fetchall()
            except sqlite3.Error as exc:
                self._damaged(exc)
                break
            for digest, *row in rows:
                try:
                    found[digest] = decode(row)
                except (ValueError, TypeError, KeyError, ValidationError):
                    continue  # a damaged row is never trusted: the file is verified again
        self.hits += len(found)
        return found

    def store(self, context: bytes, rows: Iterable[tuple[bytes, Row]]) -> None:
        """Remember outcomes (``(digest, row)``) for ``context``; drop other contexts' rows."""
        if self._db is None:
            return
        batch = [(context, digest, *row) for digest, row in rows]
        if not batch:
            return
        marks = ",".join("?" * (len(batch[0])))
        try:
            self._db.execute("BEGIN IMMEDIATE")
            if context not in self._pruned:
                self._db.execute("DELETE FROM verdicts WHERE context != ?", (context,))
                self._pruned.add(context)
            self._db.executemany(
                f"INSERT OR REPLACE INTO verdicts (context, digest, {_COLUMNS}) VALUES ({marks})",
                batch,
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._damaged(exc)
            return
        self.stored += len(batch)

    def close(self) -> None:
        """Close the file (the cache stays on disk for next time)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> VerificationCache:
        """Use as ``with VerificationCache() as cache:``."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the file."""
        self.close()
