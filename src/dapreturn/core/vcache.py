"""The verification cache: what checking a file's exact bytes found, so it is done only once.

An SQLite file in :func:`dapreturn.core.paths.cache_dir` maps the **SHA-256 of a file's bytes**
(never its name, size or modification time) to its :class:`~dapreturn.core.examine.Examined`
outcome: state, reason, partner, plan, period, revision, submission time, key fingerprint,
safeguarding findings and the return itself. Changed bytes have another hash, so they are always
verified afresh. Every entry is also keyed on a *context*
(:func:`~dapreturn.core.vcache_rows.context_key`): the trust list's entries and this program's
code. A trust-list change (or an upgrade) means nothing cached before is used; rows of other
contexts are deleted when a new context first stores. Plans are not part of the key because
nothing cached depends on a plan: plan rules and superseded revisions are checked on every load.

The cache is never trusted blindly. A file that is not SQLite, belongs to another program
(``PRAGMA application_id``) or has another layout (``PRAGMA user_version``) is deleted and
rebuilt; a row that does not decode is ignored (the file is verified again and the row
replaced). Two processes may share the file (WAL journal, busy timeout); when it cannot be
opened or stays locked, loading goes on without it and :attr:`VerificationCache.problem` says
why. It is as trustworthy as the folder that holds it, which also holds the user's keys and
remembered trust-list path.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType

from pydantic import ValidationError

from dapreturn.core import paths
from dapreturn.core.examine import Examined
from dapreturn.core.resolve import RuleKey
from dapreturn.core.rules import Problem
from dapreturn.core.vcache_rows import (
    COLUMNS,
    FORMAT,
    Row,
    decode,
    decode_problems,
    encode_problems,
)

__all__ = ["APPLICATION_ID", "CACHE_NAME", "VerificationCache"]

CACHE_NAME = "verification.sqlite3"
"""The cache's file name inside :func:`~dapreturn.core.paths.cache_dir`."""
APPLICATION_ID = 0x64617052
"""``PRAGMA application_id`` of a dapreturn cache (``dapR``)."""
BATCH = 400
"""Digests per lookup query (well under SQLite's bound-parameter limit)."""

_SCHEMA = (
    "CREATE TABLE verdicts (context BLOB NOT NULL, digest BLOB NOT NULL, state TEXT NOT NULL, "
    "reason TEXT NOT NULL, partner TEXT, plan TEXT, period TEXT, revision INTEGER, "
    "submitted_at TEXT, fingerprint TEXT, findings TEXT NOT NULL, ret TEXT, "
    "PRIMARY KEY (context, digest)) WITHOUT ROWID",
    "CREATE TABLE rules (context BLOB NOT NULL, today TEXT NOT NULL, key BLOB NOT NULL, "
    "problems TEXT NOT NULL, PRIMARY KEY (context, today, key)) WITHOUT ROWID",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {FORMAT}",
)
_SELECT = f"SELECT digest, {COLUMNS} FROM verdicts WHERE context = ? AND digest IN "  # noqa: S608
_SELECT_RULES = "SELECT key, problems FROM rules WHERE context = ? AND today = ? AND key IN "
_INSERT_RULES = "INSERT OR REPLACE INTO rules VALUES (?, ?, ?, ?)"
_INSERT = (
    f"INSERT OR REPLACE INTO verdicts (context, digest, {COLUMNS}) "  # noqa: S608
    f"VALUES ({','.join('?' * (2 + len(COLUMNS.split(','))))})"
)


def _blob(value: object) -> bytes:
    """A BLOB column; anything else means the row is damaged."""
    if not isinstance(value, bytes):
        raise TypeError("expected a BLOB")
    return value


def _check(db: sqlite3.Connection) -> str | None:
    """``None`` if ``db`` is a current dapreturn cache (set up here when empty), else why not."""
    db.execute("BEGIN IMMEDIATE")
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        if app_id == 0 and version == 0 and tables == 0:
            for statement in _SCHEMA:
                db.execute(statement)
            app_id, version = APPLICATION_ID, FORMAT
        db.execute("COMMIT")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
    if app_id != APPLICATION_ID:
        return f"it belongs to another program (application_id {app_id:#x})"
    if version != FORMAT:
        return f"it has layout version {version}; this program uses {FORMAT}"
    return None


class VerificationCache:
    """The cache file, open for one load (use as a context manager, from one thread)."""

    def __init__(self, path: Path | None = None, *, timeout: float = 5.0) -> None:
        """Open (creating, or discarding and rebuilding, as needed) the cache at ``path``."""
        self.path = path or paths.cache_dir() / CACHE_NAME
        """The cache file."""
        self.problem: str | None = None
        """Why the cache is not (or no longer) used; loading goes on without it."""
        self.discarded: str | None = None
        """Why an existing cache file was thrown away and rebuilt, if it was."""
        self.hits = 0
        """Outcomes read from the cache since it was opened."""
        self.stored = 0
        """Outcomes written to the cache since it was opened."""
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

    def _connect(self) -> tuple[sqlite3.Connection, str | None]:
        """Open the file; return it and why it cannot be used (``None``: it can)."""
        paths.ensure_dir(self.path.parent)
        db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            return db, _check(db)
        except sqlite3.OperationalError:
            db.close()
            raise  # locked or unreadable: not evidence that the file is damaged
        except sqlite3.DatabaseError as exc:
            return db, f"it is not a readable SQLite file ({exc})"
        except BaseException:
            db.close()
            raise

    def _open(self) -> sqlite3.Connection:
        """Connect; a file that is not a current cache is discarded and made afresh."""
        db, why = self._connect()
        if why is None:
            return db
        db.close()
        self._discard(why)
        db, why = self._connect()
        if why is None:
            return db
        db.close()
        raise sqlite3.DatabaseError(f"a fresh cache could not be set up: {why}")

    def _discard(self, why: str) -> None:
        """Delete the cache file and its journals (an old journal must never meet a new file)."""
        self.discarded = why
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def _fail(self, problem: str) -> None:
        """Stop using the cache for the rest of this load, saying why."""
        self.problem = " ".join(problem.split())
        if self._db is not None:
            self._db.close()
            self._db = None

    def _broken(self, exc: sqlite3.Error) -> None:
        """A query failed: a damaged file is discarded (rebuilt next time); a busy one is left."""
        if isinstance(exc, sqlite3.OperationalError):
            self._fail(f"{self.path} could not be used ({exc})")
            return
        self._fail(f"{self.path} is damaged and was discarded ({exc})")
        with contextlib.suppress(OSError):  # reported already; the next open checks again
            self._discard(str(exc))

    def lookup(self, context: bytes, digests: Sequence[bytes]) -> dict[bytes, Examined]:
        """The cached outcomes among ``digests`` (SHA-256 of file bytes) for ``context``."""
        found: dict[bytes, Examined] = {}
        for start in range(0, len(digests), BATCH):
            if self._db is None:
                break
            part = digests[start : start + BATCH]
            rows = self._query(f"{_SELECT}({','.join('?' * len(part))})", (context, *part))
            if rows is None:
                break
            for digest, *row in rows:
                try:
                    found[_blob(digest)] = decode(row)
                except (ValueError, TypeError, KeyError, ValidationError):
                    continue  # a damaged row is never trusted: the file is verified again
        self.hits += len(found)
        return found

    def store(self, context: bytes, rows: Iterable[tuple[bytes, Row]]) -> None:
        """Remember outcomes (``(digest, row)`` pairs) for ``context``."""
        batch: list[tuple[object, ...]] = [(context, digest, *row) for digest, row in rows]
        prune = None
        if context not in self._pruned:  # the trust list or the program changed
            prune = ("DELETE FROM verdicts WHERE context != ?", (context,))
        if self._write(prune, _INSERT, batch):
            self._pruned.add(context)
            self.stored += len(batch)

    def rules(self, context: bytes, today: date) -> _Rules:
        """Where plan-rule problems are remembered for ``context`` on the day ``today``."""
        return _Rules(self, context, today.isoformat())

    def _query(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]] | None:
        """Rows of a query; ``None`` (and the cache stops being used) if it fails."""
        if self._db is None:
            return None
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            self._broken(exc)
            return None

    def _write(
        self, prune: tuple[str, Sequence[object]] | None, sql: str, rows: list[tuple[object, ...]]
    ) -> bool:
        """Run ``prune`` (once) and insert ``rows`` in one transaction; whether it worked."""
        if self._db is None or not rows:
            return False
        try:
            self._db.execute("BEGIN IMMEDIATE")
            if prune is not None:
                self._db.execute(*prune)
            self._db.executemany(sql, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._broken(exc)
            return False
        return True

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


class _Rules:
    """:class:`~dapreturn.core.resolve.RuleCache` in the cache file, for one context and day."""

    def __init__(self, cache: VerificationCache, context: bytes, today: str) -> None:
        self._cache = cache
        self._context = context
        self._today = today

    def lookup(self, keys: Sequence[RuleKey]) -> dict[RuleKey, tuple[Problem, ...]]:
        """The remembered problems among ``keys``."""
        joined = {b"".join(key): key for key in keys}
        blobs = list(joined)
        found: dict[RuleKey, tuple[Problem, ...]] = {}
        for start in range(0, len(blobs), BATCH):
            part = blobs[start : start + BATCH]
            rows = self._cache._query(
                f"{_SELECT_RULES}({','.join('?' * len(part))})",
                (self._context, self._today, *part),
            )
            if rows is None:
                break
            for blob, problems in rows:
                try:
                    found[joined[_blob(blob)]] = decode_problems(problems)
                except (ValueError, TypeError, KeyError):
                    continue  # damaged: checked again
        return found

    def store(self, items: Sequence[tuple[RuleKey, tuple[Problem, ...]]]) -> None:
        """Remember problems; other days' and contexts' rows go."""
        rows: list[tuple[object, ...]] = [
            (self._context, self._today, b"".join(key), encode_problems(problems))
            for key, problems in items
        ]
        prune = ("DELETE FROM rules WHERE context != ? OR today != ?", (self._context, self._today))
        self._cache._write(prune, _INSERT_RULES, rows)
