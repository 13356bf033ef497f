"""Feedback: the steering group's decision and comments on one partner's return, signed.

One file per partner and period (schema ``dapreturn/feedback/v1``, namespace
``feedback@dapreturn``), made from verified decisions (:mod:`dapreturn.core.cycle.decisions`), names
the return, the decision and each comment with its field. :func:`check_feedback` refuses
tampered, wrong-partner, wrong-key and replayed files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dapreturn.core.collection.scan import RefusedError, read_limited
from dapreturn.core.cycle.decisions import SignedDecision
from dapreturn.core.errors import DapreturnError
from dapreturn.core.messages import PARTNER_PATTERN, first_problem
from dapreturn.core.periods import Period
from dapreturn.core.returns.tomlio import utc_text
from dapreturn.core.signing.groupsig import (
    FEEDBACK,
    GroupVerdict,
    OfficerSigner,
    RefusedFileError,
    sign_group_body,
    verify_group_bytes,
)
from dapreturn.core.signing.trust import TrustList

__all__ = [
    "CheckedFeedback",
    "Comment",
    "Feedback",
    "build_feedback",
    "check_feedback",
    "check_feedback_file",
    "feedback_name",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Comment(_Strict):
    """One comment and the field it is on (``1a.action_taken``, ``kpis.K3``, ``1a``)."""

    on: str
    text: str


class Feedback(_Strict):
    """The body of a feedback file."""

    schema_: Literal["dapreturn/feedback/v1"] = Field(alias="schema")
    signed_by: str
    issued_at: datetime
    plan: str
    period: str
    partner: Annotated[str, StringConstraints(pattern=PARTNER_PATTERN)]
    file: str
    """The return file the feedback is on."""
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    revision: int = Field(ge=1)
    decision: Literal["accepted", "query_raised", "not_accepted"]
    decided_by: str
    decided_at: datetime
    comment: str = ""
    comments: tuple[Comment, ...] = ()


def feedback_name(fb: Feedback) -> str:
    """``feedback_<plan>_<period>_<partner>_r<revision>_<issued>.toml``."""
    stamp = fb.issued_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    slug = Period.parse(fb.period).slug
    return f"feedback_{fb.plan}_{slug}_{fb.partner}_r{fb.revision}_{stamp}.toml"


def build_feedback(
    decision: SignedDecision,
    *,
    plan: str,
    period: str,
    partner: str,
    revision: int,
    signer: OfficerSigner,
    now: datetime | None = None,
) -> tuple[Feedback, bytes]:
    """Make and sign the feedback on one decided return."""
    fb = Feedback(
        schema_="dapreturn/feedback/v1",
        signed_by=signer.principal,
        issued_at=(now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        plan=plan,
        period=period,
        partner=partner,
        file=decision.file,
        sha256=decision.sha256,
        revision=revision,
        decision=decision.decision,
        decided_by=decision.signed_by,
        decided_at=decision.decided_at,
        comment=decision.comment,
        comments=tuple(Comment(on=k, text=v) for k, v in sorted(decision.comments.items())),
    )
    head = fb.model_dump(by_alias=True, exclude={"issued_at", "decided_at", "comments"})
    lines = tomli_w.dumps(head, multiline_strings=False)
    times = f"issued_at = {utc_text(fb.issued_at)}\ndecided_at = {utc_text(fb.decided_at)}\n"
    parts = [lines, times]
    parts += ["\n[[comments]]\n" + tomli_w.dumps(c.model_dump()) for c in fb.comments]
    return fb, sign_group_body("".join(parts).encode("utf-8"), signer, FEEDBACK)


@dataclass(frozen=True)
class CheckedFeedback:
    """A feedback file that passed every check."""

    feedback: Feedback
    verdict: GroupVerdict


def check_feedback(
    data: bytes,
    trust: TrustList | None,
    *,
    source: str,
    partner: str | None = None,
    newest_seen: datetime | None = None,
) -> CheckedFeedback:
    """Judge a feedback file; raise :class:`RefusedFileError` naming ``source`` and why."""
    verdict = verify_group_bytes(data, FEEDBACK, trust, source=source)
    if not verdict.ok or verdict.doc is None:
        raise RefusedFileError(verdict.message)
    try:
        fb = Feedback.model_validate(verdict.doc)
        Period.parse(fb.period)
    except ValidationError as exc:
        raise RefusedFileError(f"refused: {first_problem(exc, verdict.doc, source)}") from None
    except DapreturnError as exc:
        raise RefusedFileError(f"{source}: refused: period: {exc}") from None
    if partner is not None and fb.partner != partner:
        raise RefusedFileError(
            f"{source}: refused: this feedback is for {fb.partner}, not for {partner}"
        )
    if newest_seen is not None and fb.issued_at < newest_seen:
        raise RefusedFileError(
            f"{source}: refused: older feedback for {fb.period} than one already opened "
            "(replayed or out of date)"
        )
    return CheckedFeedback(fb, verdict)


def check_feedback_file(
    path: Path, trust: TrustList | None, *, partner: str | None = None
) -> CheckedFeedback:
    """Read ``path`` safely and :func:`check_feedback` it."""
    try:
        data = read_limited(Path(path))
    except RefusedError as exc:
        raise RefusedFileError(f"{path}: refused: {exc}") from None
    return check_feedback(data, trust, source=str(path), partner=partner)
