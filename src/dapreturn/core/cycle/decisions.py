"""Signed review decisions: one exclusively created file per decision, signed by its officer.

A decision file (``<folder>/review/<return stem>/<time>-<officer>-<random>.decision``, schema
``dapreturn/review-decision/v1``, namespace ``decision@dapreturn``) is never changed once
created, so two officers deciding at once both keep their decisions, and nobody without an
officer key can make one that verifies. :func:`load_decisions` refuses unsigned and forged
files, naming each; the latest verified decision per return is the current one. Feedback is
only ever made from decisions that verify here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dapreturn.core.collection.ledger import (
    DECISIONS,
    Decision,
    Review,
    decision_files,
    ledger_path,
    write_decision_file,
)
from dapreturn.core.errors import DapreturnError
from dapreturn.core.returns.model import Entry, Return
from dapreturn.core.signing.groupsig import DECISION, OfficerSigner, verify_group_file
from dapreturn.core.signing.trust import TrustList

__all__ = [
    "DECISIONS",
    "DecisionSet",
    "SignedDecision",
    "comment_target",
    "load_decisions",
    "write_decision",
]

DecisionWord = Decision
"""What an officer can decide about one return file (the ledger's vocabulary)."""
ENTRY_FIELDS = tuple(n for n in Entry.model_fields if n not in ("ref", "role"))
"""Fields of an action's entry a comment can be on (from the return model itself)."""
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SignedDecision:
    """One verified decision on one return file."""

    path: Path
    sha256: str
    file: str
    decision: DecisionWord
    signed_by: str
    decided_at: datetime
    comment: str = ""
    comments: dict[str, str] = field(default_factory=dict)
    """Comment per target (``1a.action_taken``, ``kpis.K3``, ``1a``)."""


@dataclass
class DecisionSet:
    """The current (latest verified) decision per return file, and every file refused."""

    latest: dict[tuple[str, str], SignedDecision] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def for_file(self, sha256: str, file: str) -> SignedDecision | None:
        """The current decision on this exact file, if any."""
        return self.latest.get((sha256, file))


def comment_target(ret: Return | None, target: str) -> str:
    """Check ``target`` (``REF.FIELD``, ``kpis.ID`` or ``REF``) against the return; return it."""
    ref, dot, name = target.partition(".")
    if ref == "kpis":
        ids = [k.id for k in ret.kpis] if ret is not None else None
        if not name or (ids is not None and name not in ids):
            raise DapreturnError(
                f"--on {target}: no KPI {name!r} in this return ({', '.join(ids or []) or 'none'})"
            )
        return target
    refs = [e.ref for e in ret.entries] if ret is not None else None
    if not ref or (refs is not None and ref not in refs):
        raise DapreturnError(
            f"--on {target}: no action {ref!r} in this return ({', '.join(refs or []) or 'none'})"
        )
    if dot and name not in ENTRY_FIELDS:
        raise DapreturnError(f"--on {target}: {name!r} is not a field ({', '.join(ENTRY_FIELDS)})")
    return target


def write_decision(
    folder: Path,
    return_file: str,
    return_bytes: bytes,
    decision: DecisionWord,
    signer: OfficerSigner,
    *,
    comment: str = "",
    comments: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Path:
    """Sign and create (exclusively) one decision file in ``folder/review``, through the
    ledger's own writer (the record the officer app makes); return its path."""
    if decision not in DECISIONS:
        raise DapreturnError(f"{decision!r} is not a decision ({', '.join(DECISIONS)})")
    review = Review(
        sha256=hashlib.sha256(return_bytes).hexdigest(),
        file=Path(return_file).name,
        decision=decision,
        officer=signer.principal.removeprefix("officer:"),
        decided_at=(now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        comment=comment,
        comments=dict(comments or {}),
    )
    return write_decision_file(ledger_path(folder), review, signer=signer)


def _decision(path: Path, trust: TrustList | None) -> SignedDecision:
    verdict = verify_group_file(path, DECISION, trust)
    if not verdict.ok or verdict.doc is None or verdict.signer is None:
        raise DapreturnError(verdict.message)
    doc = verdict.doc
    sha, file, word = doc.get("sha256"), doc.get("file"), doc.get("decision")
    comment, comments = doc.get("comment", ""), doc.get("comments", {})
    if not isinstance(sha, str) or not _SHA_RE.match(sha) or not isinstance(file, str):
        raise DapreturnError(f"{path}: refused: sha256 and file of the return are needed")
    if word not in DECISIONS:
        raise DapreturnError(
            f"{path}: refused: decision {word!r} is not one of {', '.join(DECISIONS)}"
        )
    if (
        not isinstance(comment, str)
        or not isinstance(comments, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in comments.items())
    ):
        raise DapreturnError(f"{path}: refused: comments must be text")
    return SignedDecision(
        path, sha, file, word, verdict.signer, doc["decided_at"], comment, dict(comments)
    )


def load_decisions(folder: Path, trust: TrustList | None) -> DecisionSet:
    """Every decision file under ``folder/review``, verified; the latest per return wins."""
    result = DecisionSet()
    verified: list[SignedDecision] = []
    try:
        files = sorted(decision_files(ledger_path(folder)))
    except OSError as exc:
        result.problems.append(f"{ledger_path(folder)}: cannot read: {exc.strerror or exc}")
        files = []
    for path in files:
        try:
            verified.append(_decision(path, trust))
        except DapreturnError as exc:
            result.problems.append(str(exc))
    for d in sorted(verified, key=lambda d: (d.decided_at, d.path.name)):
        result.latest[(d.sha256, d.file)] = d
    return result
