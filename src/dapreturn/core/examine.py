"""What one file's bytes say: verified or why not, the return they hold, likely personal data.

:func:`examine` is a pure function of the file's bytes, the trust list and this program: it
verifies the signature over the exact body bytes *before* reading anything
(:func:`~dapreturn.core.signing.verify_bytes`, which also reads a verified body as a return, the
same check ``dapreturn verify`` makes) and scans a verified return's free text. Nothing in an
:class:`Examined` depends on the file's name or place, or on a plan. What does (the partner a
file name claims, plan rules, superseded revisions) is worked out by
:mod:`dapreturn.core.collection` and :mod:`dapreturn.core.resolve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dapreturn.core.returns import Return
from dapreturn.core.safeguarding import Finding, scan_fields
from dapreturn.core.signing import VerdictState, verify_bytes
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
    """Verify ``data`` against ``trust``; if verified, keep the return and scan its text.

    Never raises for bad content: every problem is an :class:`Examined` with its reason.
    """
    v = verify_bytes(data, trust, source=_SOURCE)
    ret = v.ret
    return Examined(
        v.state,
        v.message.removeprefix(f"{_SOURCE}: "),
        partner=v.partner,
        plan=v.plan,
        period=v.period,
        revision=ret.revision if ret else None,
        submitted_at=ret.submitted_at if ret else v.signed_at,
        fingerprint=v.fingerprint,
        findings=tuple(scan_fields(ret.narratives())) if ret else (),
        ret=ret,
    )
