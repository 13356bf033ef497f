"""The inbox as data: one row of words per file, and how rows are filtered and sorted.

Every state is written in words with a marker in front (``✓ verified``, ``✗ BAD SIGNATURE``,
``? unknown key``), so nothing depends on colour. Filtering matches every word typed against
the row's partner, plan, period, states and problems (case-insensitive).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from dapreturn.core.collection.analysis import is_late
from dapreturn.core.collection.ledger import Review
from dapreturn.core.collection.load import FileRecord
from dapreturn.core.review.snapshot import Snapshot
from dapreturn.core.signing.files import VerdictState

SIGNATURE_WORDS: dict[VerdictState, str] = {
    VerdictState.VERIFIED: "✓ verified",
    VerdictState.BAD_SIGNATURE: "✗ BAD SIGNATURE",
    VerdictState.CRLF: "✗ line endings changed",
    VerdictState.UNKNOWN_KEY: "? unknown key",
    VerdictState.WRONG_PARTNER: "✗ WRONG PARTNER",
    VerdictState.KEY_NOT_VALID: "✗ key not valid",
    VerdictState.NOT_SIGNED: "✗ not signed",
    VerdictState.NO_TRUST_LIST: "? no trust list",
    VerdictState.INVALID: "✗ invalid",
}
"""Marker and words for each verification outcome."""

TRUSTABLE = frozenset({VerdictState.UNKNOWN_KEY, VerdictState.NO_TRUST_LIST})
"""Outcomes where the signature is intact and only the key is not (yet) trusted."""

Column = Literal[
    "partner", "period", "signature", "review", "problems", "revision", "submitted", "plan"
]
COLUMNS: tuple[tuple[Column, str], ...] = (
    ("partner", "Partner"),
    ("period", "Period"),
    ("signature", "Signature"),
    ("review", "Review"),
    ("problems", "Problems"),
    ("revision", "Rev"),
    ("submitted", "Submitted (UTC)"),
    ("plan", "Plan"),
)
"""Inbox columns, most important first (a narrow terminal scrolls to the rest)."""


def signature_words(record: FileRecord) -> str:
    """``✓ verified`` etc.; a verified file that is not a return reads as invalid."""
    if record.state is VerdictState.VERIFIED and record.ret is None:
        return SIGNATURE_WORDS[VerdictState.INVALID]
    return SIGNATURE_WORDS[record.state]


def review_words(review: Review | None) -> str:
    """``✓ accepted``, ``! query raised``, ``✗ not accepted``, ``— commented`` or ``—``."""
    if review is None:
        return "—"
    if review.decision == "accepted":
        return "✓ accepted"
    if review.decision == "query_raised":
        return "! query raised"
    if review.decision == "not_accepted":
        return "✗ not accepted"
    return "— commented" if review.comment or review.comments else "—"


def problem_words(record: FileRecord, winner: FileRecord | None) -> str:
    """Short notes: superseded, late, rule problems, likely personal data, not counted."""
    notes: list[str] = []
    if winner is not None:
        same = winner.sha256 == record.sha256
        notes.append(f"{'copy of' if same else 'superseded by'} r{winner.revision or '?'}")
    if record.verified and is_late(record):
        notes.append("late")
    if record.problems:
        n = len(record.problems)
        notes.append(f"{n} rule problem{'' if n == 1 else 's'}")
    if record.findings:
        notes.append("personal data?")
    if not record.verified:
        notes.append("not counted")
    return ", ".join(notes) or "—"


@dataclass(frozen=True)
class InboxRow:
    """One file of the folder, in words, ready for a table."""

    record: FileRecord
    """The file."""
    partner: str
    plan: str
    period: str
    revision: str
    submitted: str
    signature: str
    review: str
    problems: str

    @property
    def key(self) -> str:
        """The file's path inside the folder (unique)."""
        return self.record.rel

    def cells(self) -> tuple[str, ...]:
        """The row's cells in :data:`COLUMNS` order."""
        return tuple(str(getattr(self, name)) for name, _ in COLUMNS)

    def matches(self, text: str) -> bool:
        """Whether every word of ``text`` appears in the row (partner, period, states...)."""
        hay = " ".join((*self.cells(), self.record.rel)).lower()
        return all(word in hay for word in text.lower().split())

    def sort_key(self, column: Column) -> tuple[object, ...]:
        """What to sort on for ``column`` (revision as a number), then the file path."""
        if column == "revision":
            return (self.record.revision or 0, self.key)
        return (str(getattr(self, column)).lower(), self.key)

    def lacks(self, column: Column) -> bool:
        """Whether the row has no value in ``column`` (``—`` or ``?``)."""
        return str(getattr(self, column)) in ("—", "?")


def inbox_rows(snapshot: Snapshot) -> list[InboxRow]:
    """One row per file of the snapshot, in the folder's path order."""
    by_rel = {r.rel: r for r in snapshot.collection.files}
    rows = []
    for rec in snapshot.collection.files:
        winner = by_rel.get(rec.superseded_by) if rec.superseded_by else None
        when = rec.submitted_at.strftime("%Y-%m-%d %H:%M") if rec.submitted_at else "—"
        rows.append(
            InboxRow(
                rec,
                partner=rec.partner or "?",
                plan=rec.plan or "?",
                period=rec.period or "?",
                revision=f"r{rec.revision}" if rec.revision else "—",
                submitted=when,
                signature=signature_words(rec),
                review=review_words(snapshot.review(rec)),
                problems=problem_words(rec, winner),
            )
        )
    return rows


def filter_rows(rows: Iterable[InboxRow], text: str) -> list[InboxRow]:
    """The rows matching ``text`` (all rows when it is blank)."""
    return [r for r in rows if r.matches(text)]


def sort_rows(rows: Sequence[InboxRow], column: Column, *, reverse: bool = False) -> list[InboxRow]:
    """The rows sorted by ``column``; rows without a value come last either way."""
    have = [r for r in rows if not r.lacks(column)]
    lack = [r for r in rows if r.lacks(column)]
    return [
        *sorted(have, key=lambda r: r.sort_key(column), reverse=reverse),
        *sorted(lack, key=lambda r: r.key),
    ]


def detail_lines(row: InboxRow, snapshot: Snapshot) -> list[str]:
    """Everything known about one file, line by line, for the detail panel."""
    rec = row.record
    lines = [rec.rel, f"{row.signature[:1]} {rec.reason}"]
    if rec.fingerprint and not rec.verified:
        lines.append(f"Signed with key {rec.fingerprint}; claims to be {row.partner}")
    if rec.ret is not None:
        lines.append(f"Prepared by {rec.ret.prepared_by or '—'}; {len(rec.ret.entries)} entries")
    if rec.superseded_by:
        lines.append(f"Not counted: {rec.superseded_by} counts instead")
    lines += [f"Problem: {p}" for p in rec.problems]
    lines += [f"Personal data? {f.message}" for f in rec.findings]
    review = snapshot.review(rec)
    if review is not None:
        who = f" by {review.officer}" if review.officer else ""
        when = f" on {review.decided_at:%Y-%m-%d %H:%M}" if review.decided_at else ""
        lines.append(f"Review: {review_words(review)}{who}{when}")
        if review.comment:
            lines.append(f"Comment: {review.comment}")
        lines += [f"Comment on {ref}: {text}" for ref, text in sorted(review.comments.items())]
    if rec.state in TRUSTABLE:
        lines.append("Press t to trust this key after checking its fingerprint with the partner.")
    return lines
