"""The officer's review decisions on return files, kept beside them, one file per decision.

Each saved decision is its own file, ``<folder>/review/<return name>/<time>-<officer>-<random>
.decision`` (TOML, schema :data:`DECISION_SCHEMA`), created exclusively and never changed, so two
officers saving at the same moment both keep their decisions: nothing is read back and rewritten
(the single shared ``review-ledger.toml`` this replaces lost 130-140 of 300 decisions saved by two
processes at once). A decision file holds the whole review of one return file at that moment
(decision, officer, time, overall comment and comments per action ref); the latest by
``decided_at`` (then by file name, which starts with the nanosecond it was saved) is the current
one, and earlier ones stay as history. One file per decision is also the unit that will carry
an officer's signature (the round-trip issue). The loader reads only ``*.toml``, so it never
mistakes a ``.decision`` file for a return.

A return file is identified by the SHA-256 of its bytes *and* its file name, so a changed file
is a new file with no decision. Return files themselves are never touched.

An older ``review-ledger.toml`` is still read (its reviews come first; later decision files win)
and never written again. One that cannot be read sets :attr:`Ledger.error` and saving is refused,
so nothing is decided over decisions the officer cannot see; an unreadable decision file is
named in :attr:`Ledger.problems` and skipped.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
import time
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

import tomli_w

from dapreturn.core.collection.load import LEDGER_NAME
from dapreturn.core.errors import DapreturnError, StorageError
from dapreturn.core.returns.tomlio import SIGNATURE_LINE
from dapreturn.core.signing.groupsig import DECISION, OfficerSigner, sign_group_body
from dapreturn.core.storage import atomic_write_bytes

REVIEW_DIR = "review"
"""The folder (inside the returns folder) that holds one file per saved decision."""

DECISION_SCHEMA = "dapreturn/review-decision/v1"
"""The ``schema`` value of a decision file."""

DECISION_SUFFIX = ".decision"
"""How a decision file's name ends (not ``.toml``: the returns loader never reads them)."""

MAX_DECISION_BYTES = 1024 * 1024
"""A larger decision file is skipped."""

LEDGER_SCHEMA = "dapreturn/review-ledger/v1"
"""The ``schema`` value of a ledger file."""

MAX_LEDGER_BYTES = 20 * 1024 * 1024
"""A larger ledger is refused."""

Decision = Literal["accepted", "query_raised", "not_accepted"]
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
    """Hash of the legacy ``review-ledger.toml`` loaded (``None``: there was none)."""
    problems: list[str] = field(default_factory=list)
    """Decision files that could not be read (each named, with the reason); they are skipped."""
    changed: set[tuple[str, str]] = field(default_factory=set)
    """Reviews changed since loading: :func:`save_ledger` writes one decision file for each."""

    def review(self, sha256: str, file: str) -> Review | None:
        """The review of this file, if any."""
        return self.reviews.get(_key(sha256, file))

    def _update(self, sha256: str, file: str, **changes: Any) -> Review:
        key = _key(sha256, file)
        old = self.reviews.get(key) or Review(*key)
        new = replace(old, **changes)
        self.reviews[key] = new
        self.changed.add(key)
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
    """Where the decisions of a collection folder live (the ``review`` folder)."""
    return Path(folder) / REVIEW_DIR


def _read_regular(path: Path, limit: int) -> bytes:
    """Read a regular file (never through a link) of at most ``limit`` bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LedgerError("not a regular file")
        if info.st_size > limit:
            raise LedgerError("too large")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)


def _load_legacy(folder: Path) -> tuple[dict[tuple[str, str], Review], str | None, str | None]:
    """The old single-file ledger: (reviews, error, sha256 of its bytes)."""
    path = Path(folder) / LEDGER_NAME
    try:
        raw = _read_regular(path, MAX_LEDGER_BYTES)
    except FileNotFoundError:
        return {}, None, None
    except (OSError, LedgerError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return {}, f"{path}: cannot read: {reason}; it will not be overwritten", None
    digest = hashlib.sha256(raw).hexdigest()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        if data.get("schema") != LEDGER_SCHEMA:
            raise LedgerError(f'no schema = "{LEDGER_SCHEMA}" line')
        items = data.get("reviews", [])
        if not isinstance(items, list):
            raise LedgerError("reviews must be an array of tables")
        reviews = [_review_from(item, f"reviews[{i}]") for i, item in enumerate(items)]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, LedgerError) as exc:
        return (
            {},
            f"{path}: cannot read the review ledger: {exc}; it will not be overwritten",
            digest,
        )
    return {(r.sha256, r.file): r for r in reviews}, None, digest


def decision_files(review_dir: Path) -> list[Path]:
    """Every ``*.decision`` file one level below ``review_dir`` (links never followed)."""
    found: list[Path] = []
    try:
        groups = sorted(os.scandir(review_dir), key=lambda e: e.name)
    except FileNotFoundError:
        return found
    for group in groups:
        if not group.is_dir(follow_symlinks=False):
            continue
        with os.scandir(group.path) as it:
            found.extend(
                Path(e.path)
                for e in it
                if e.name.endswith(DECISION_SUFFIX) and not e.name.startswith(".")
            )
    return found


def _load_decision(path: Path) -> Review:
    raw = _read_regular(path, MAX_DECISION_BYTES)
    data = tomllib.loads(raw.decode("utf-8"))
    if data.get("schema") != DECISION_SCHEMA:
        raise LedgerError(f'no schema = "{DECISION_SCHEMA}" line')
    review = _review_from(data, "decision")
    if review.decided_at is None or not review.officer:
        raise LedgerError("a decision needs officer and decided_at")
    return review


def load_ledger(folder: Path) -> Ledger:
    """Read the folder's decisions (empty if none): the old ledger, then every decision file."""
    reviews, error, digest = _load_legacy(folder)
    path = ledger_path(folder)
    problems: list[str] = []
    latest: list[tuple[datetime, str, Review]] = []
    try:
        files = decision_files(path)
    except OSError as exc:
        files = []
        problems.append(f"{path}: cannot read: {exc.strerror or exc}")
    for file in files:
        try:
            review = _load_decision(file)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, LedgerError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problems.append(f"{file}: decision not read: {' '.join(str(reason).split())}")
            continue
        assert review.decided_at is not None
        latest.append((review.decided_at, file.name, review))
    for _, _, review in sorted(latest, key=lambda t: (t[0], t[1])):
        reviews[(review.sha256, review.file)] = review
    return Ledger(path, reviews, error=error, loaded_sha256=digest, problems=problems)


def _table(r: Review) -> dict[str, Any]:
    table: dict[str, Any] = {"sha256": r.sha256, "file": r.file, "decision": r.decision or ""}
    table["officer"] = r.officer
    if r.decided_at is not None:
        table["decided_at"] = r.decided_at
    table["comment"] = r.comment
    table["comments"] = dict(sorted(r.comments.items()))
    return table


def _slug(text: str, limit: int) -> str:
    """``text`` reduced to letters, digits, ``.``, ``_`` and ``-`` for a file name."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "x"
    return slug[:limit]


def _decision_path(review_dir: Path, r: Review) -> Path:
    stamp = time.time_ns()
    when = datetime.fromtimestamp(stamp // 10**9, UTC).strftime("%Y%m%dT%H%M%S")
    name = f"{when}.{stamp % 10**9:09d}Z-{_slug(r.officer, 40)}-{secrets.token_hex(4)}"
    return review_dir / _slug(Path(r.file).stem, 120) / (name + DECISION_SUFFIX)


def write_decision_file(
    review_dir: Path, review: Review, *, signer: OfficerSigner | None = None
) -> Path:
    """Create (exclusively) one decision file for ``review``; return its path.

    With ``signer`` the file is signed by that officer (``decision@dapreturn``, see
    :mod:`dapreturn.core.cycle.decisions`), its body naming them as ``signed_by``.
    """
    if review.decided_at is None or not review.officer:
        raise LedgerError(f"{review.file}: say who decided, and when, before saving")
    data: dict[str, Any] = {"schema": DECISION_SCHEMA}
    if signer is not None:
        data["signed_by"] = signer.principal
    data.update(_table(review))
    texts = [review.comment, *review.comments.values()]
    risky = any(SIGNATURE_LINE in t.split("\n") for t in texts)
    payload = tomli_w.dumps(data, multiline_strings=not risky).encode("utf-8")
    if signer is not None:
        payload = sign_group_body(payload, signer, DECISION)
    target = _decision_path(review_dir, review)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, payload, exclusive=True)
    except (OSError, StorageError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise LedgerError(f"{target}: decision not saved: {reason}") from exc
    return target


def save_ledger(ledger: Ledger, *, signer: OfficerSigner | None = None) -> Path:
    """Write one new decision file per review changed since loading; return the review folder.

    Files are created exclusively and never replaced, so officers saving at once lose nothing.
    Refused while :attr:`Ledger.error` is set (an old ledger that cannot be read). With
    ``signer`` every file is signed by that officer.
    """
    if ledger.error is not None:
        raise LedgerError(ledger.error)
    for key in sorted(ledger.changed):
        write_decision_file(ledger.path, ledger.reviews[key], signer=signer)
        ledger.changed.discard(key)
    return ledger.path
