"""The officer's review ledger: decisions and comments on return files, kept beside them.

``<folder>/review-ledger.toml`` records, per return file, a decision (``accepted`` or
``query_raised``, or none), who made it and when, an overall comment and comments per action
ref. A file is identified by the SHA-256 of its bytes *and* its file name, so a changed file is
a new file with no decision. Return files themselves are never touched.

Safety: the ledger is written atomically (:func:`~dapreturn.core.storage.atomic_write_text`). A
ledger that cannot be read is reported and never overwritten: :func:`save_ledger` refuses while
:attr:`Ledger.error` is set, and also refuses when the file on disk changed since it was loaded
(another officer saved meanwhile).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

import tomli_w

from dapreturn.core.collection import LEDGER_NAME
from dapreturn.core.errors import DapreturnError
from dapreturn.core.storage import atomic_write_text

LEDGER_SCHEMA = "dapreturn/review-ledger/v1"
"""The ``schema`` value of a ledger file."""

MAX_LEDGER_BYTES = 20 * 1024 * 1024
"""A larger ledger is refused."""

Decision = Literal["accepted", "query_raised"]
DECISIONS: tuple[str, ...] = get_args(Decision)
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


class LedgerError(DapreturnError):
    """The ledger cannot be read, or saving it would lose someone's decisions."""


@dataclass(frozen=True)
class Review:
    """The officer's record for one return file."""

    sha256: str
    file: str
    """The file's name (no folder)."""
    decision: Decision | None = None
    officer: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    """Overall comment on the return."""
    comments: dict[str, str] = field(default_factory=dict)
    """Comments per action ref."""


def _key(sha256: str, file: str) -> tuple[str, str]:
    if not _SHA_RE.match(sha256):
        raise LedgerError(f"{sha256!r} is not a SHA-256 in hex")
    name = Path(file).name
    if not name:
        raise LedgerError("a review needs the return's file name")
    return sha256, name


@dataclass
class Ledger:
    """Reviews keyed by (SHA-256, file name); change with :meth:`decide` and :meth:`comment`."""

    path: Path
    reviews: dict[tuple[str, str], Review] = field(default_factory=dict)
    error: str | None = None
    """Why the file on disk could not be read (then it is never overwritten)."""
    loaded_sha256: str | None = None
    """Hash of the bytes loaded (``None``: there was no file)."""

    def review(self, sha256: str, file: str) -> Review | None:
        """The review of this file, if any."""
        return self.reviews.get(_key(sha256, file))

    def _update(self, sha256: str, file: str, **changes: Any) -> Review:
        key = _key(sha256, file)
        old = self.reviews.get(key) or Review(*key)
        new = replace(old, **changes)
        self.reviews[key] = new
        return new

    def decide(
        self,
        sha256: str,
        file: str,
        decision: Decision | None,
        *,
        officer: str,
        comment: str | None = None,
        now: datetime | None = None,
    ) -> Review:
        """Record (``None``: clear) a decision on a file; ``comment`` replaces the overall one."""
        if decision is not None and decision not in DECISIONS:
            raise LedgerError(f"{decision!r} is not a decision ({', '.join(DECISIONS)})")
        if not officer.strip():
            raise LedgerError("say who is deciding (officer name)")
        changes: dict[str, Any] = {
            "decision": decision,
            "officer": officer.strip(),
            "decided_at": (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        }
        if comment is not None:
            changes["comment"] = comment
        return self._update(sha256, file, **changes)

    def comment(self, sha256: str, file: str, text: str, *, ref: str | None = None) -> Review:
        """Set the overall comment, or with ``ref`` the comment on one action (empty removes it)."""
        if ref is None:
            return self._update(sha256, file, comment=text)
        review = self.review(sha256, file)
        comments = dict(review.comments) if review else {}
        if text:
            comments[ref] = text
        else:
            comments.pop(ref, None)
        return self._update(sha256, file, comments=comments)


def _review_from(item: Any, where: str) -> Review:
    """Validate one ``[[reviews]]`` table."""
    if not isinstance(item, dict):
        raise LedgerError(f"{where}: not a table")
    sha, file = item.get("sha256"), item.get("file")
    if not isinstance(sha, str) or not isinstance(file, str):
        raise LedgerError(f"{where}: needs sha256 and file")
    decision = item.get("decision", "") or None
    if decision is not None and decision not in DECISIONS:
        raise LedgerError(f"{where}: decision {decision!r} is not one of {', '.join(DECISIONS)}")
    when = item.get("decided_at")
    if when is not None and (not isinstance(when, datetime) or when.utcoffset() is None):
        raise LedgerError(f"{where}: decided_at must be a date and time with a zone")
    comments = item.get("comments", {})
    text_fields = (item.get("officer", ""), item.get("comment", ""))
    if not isinstance(comments, dict) or not all(
        isinstance(v, str) for v in (*comments.values(), *text_fields)
    ):
        raise LedgerError(f"{where}: officer, comment and comments must be text")
    key = _key(sha, file)
    return Review(*key, decision, text_fields[0], when, text_fields[1], dict(comments))


def ledger_path(folder: Path) -> Path:
    """Where the ledger of a collection folder lives."""
    return Path(folder) / LEDGER_NAME


def load_ledger(folder: Path) -> Ledger:
    """Read the folder's ledger (empty if none). A broken one sets :attr:`Ledger.error`."""
    path = ledger_path(folder)
    if path.is_symlink():
        return Ledger(path, error=f"{path}: is a symbolic link; not read")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Ledger(path)
    except OSError as exc:
        return Ledger(path, error=f"{path}: cannot read: {exc.strerror or exc}")
    digest = hashlib.sha256(raw).hexdigest()
    try:
        if len(raw) > MAX_LEDGER_BYTES:
            raise LedgerError("too large to be a review ledger")
        data = tomllib.loads(raw.decode("utf-8"))
        if data.get("schema") != LEDGER_SCHEMA:
            raise LedgerError(f'no schema = "{LEDGER_SCHEMA}" line')
        items = data.get("reviews", [])
        if not isinstance(items, list):
            raise LedgerError("reviews must be an array of tables")
        reviews = [_review_from(item, f"reviews[{i}]") for i, item in enumerate(items)]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, LedgerError) as exc:
        error = f"{path}: cannot read the review ledger: {exc}; it will not be overwritten"
        return Ledger(path, error=error, loaded_sha256=digest)
    return Ledger(path, {(r.sha256, r.file): r for r in reviews}, loaded_sha256=digest)


def _table(r: Review) -> dict[str, Any]:
    table: dict[str, Any] = {"sha256": r.sha256, "file": r.file, "decision": r.decision or ""}
    table["officer"] = r.officer
    if r.decided_at is not None:
        table["decided_at"] = r.decided_at
    table["comment"] = r.comment
    table["comments"] = dict(sorted(r.comments.items()))
    return table


def save_ledger(ledger: Ledger) -> Path:
    """Write the ledger atomically; refuse over a broken or concurrently changed file."""
    if ledger.error is not None:
        raise LedgerError(ledger.error)
    try:
        current = ledger.path.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise LedgerError(f"{ledger.path}: cannot check before saving: {exc.strerror}") from exc
    now_sha = hashlib.sha256(current).hexdigest() if current is not None else None
    if now_sha != ledger.loaded_sha256:
        raise LedgerError(
            f"{ledger.path}: changed by someone else since it was loaded; load it again"
        )
    reviews = sorted(ledger.reviews.values(), key=lambda r: (r.file, r.sha256))
    doc = {"schema": LEDGER_SCHEMA, "reviews": [_table(r) for r in reviews]}
    text = tomli_w.dumps(doc, multiline_strings=True)
    atomic_write_text(ledger.path, text)
    ledger.loaded_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ledger.path
