"""What one file's bytes say: verified or why not, the return they hold, likely personal data.

:func:`examine` is a pure function of the file's bytes, the trust list and this program: it
verifies the signature over the exact body bytes *before* reading anything, and only reads a
verified body as a return (reusing the body ``tomllib`` parsed during verification, so it is
parsed once) and scans its free text. Nothing in an :class:`Examined` depends on the file's
name or place, or on a plan, so it can be cached by the SHA-256 of the bytes
(:mod:`dapreturn.core.vcache`) and computed in another process (:mod:`dapreturn.core.pool`).
What does depend on the name, the plan or the rest of the folder (the partner a file name
claims, plan rules, superseded revisions) is worked out by :mod:`dapreturn.core.collection`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dapreturn.core.errors import DapreturnError
from dapreturn.core.returns import Return
from dapreturn.core.safeguarding import Finding, scan_fields
from dapreturn.core.signing import VerdictState, verify_bytes
from dapreturn.core.tomlio import return_from_dict
from dapreturn.core.trust import TrustList

__all__ = ["Examined", "examine"]

_SOURCE = "<file>"
"""Stands in for the file's name in messages; its ``<file>: `` prefix is cut off again."""


@dataclass(frozen=True)
class Examined:
    """The outcome of checking one file's bytes (never its name, place or plan)."""

    state: VerdictState
    """The verification outcome."""
    reason: str
    """One line saying why, without the file name (``verified: BSWA, SHA256:...``)."""
    partner: str | None = None
    """The partner the body claims (signed when verified), if it could be read."""
    plan: str | None = None
    """The body's plan id, if it could be read."""
    period: str | None = None
    """The body's period text as written (canonical when verified)."""
    revision: int | None = None
    """The signed revision (verified returns only)."""
    submitted_at: datetime | None = None
    """The body's ``submitted_at``."""
    fingerprint: str | None = None
    """Fingerprint of the key that made the signature."""
    findings: tuple[Finding, ...] = ()
    """Likely personal data in a verified return's free text."""
    ret: Return | None = field(default=None, compare=False)
    """The return (verified files only)."""


def examine(data: bytes, trust: TrustList | None) -> Examined:
    """Verify ``data`` against ``trust``; if verified, read it as a return and scan its text.

    Never raises for bad content: every problem is an :class:`Examined` with its reason.
    """
    v = verify_bytes(data, trust, source=_SOURCE)
    reason = v.message.removeprefix(f"{_SOURCE}: ")
    base = Examined(
        v.state,
        reason,
        partner=v.partner,
        plan=v.plan,
        period=v.period,
        submitted_at=v.signed_at,
        fingerprint=v.fingerprint,
    )
    if v.state is not VerdictState.VERIFIED or v.doc is None:
        return base
    try:
        ret = return_from_dict(v.doc, source=_SOURCE)
    except DapreturnError as exc:
        why = f"signed, but not a return: {str(exc).removeprefix(f'{_SOURCE}: ')}"
        return Examined(
            VerdictState.INVALID,
            why,
            partner=v.partner,
            plan=v.plan,
            period=v.period,
            submitted_at=v.signed_at,
            fingerprint=v.fingerprint,
        )
    return Examined(
        v.state,
        reason,
        partner=ret.partner,
        plan=ret.plan,
        period=ret.period,
        revision=ret.revision,
        submitted_at=ret.submitted_at,
        fingerprint=v.fingerprint,
        findings=tuple(scan_fields(ret.narratives())),
        ret=ret,
    )
