"""Whether a signed return was signed with this computer's key for its partner.

A partner lead's own returns are recognised by their signature, never by the folder they are
in: carry-forward starts only from a return this computer signed for that partner (not a demo
file or a colleague's copy), and ``dapreturn verify`` on a file just signed explains that the
signature is good and only the steering group's trust list lacks the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from dapreturn.core.errors import DapreturnError
from dapreturn.core.signing.files import Verdict, VerdictState, verify_bytes
from dapreturn.core.signing.keys import KeyInfo, allowed_signers_line, find_key

INTACT_UNTRUSTED = frozenset({VerdictState.UNKNOWN_KEY, VerdictState.NO_TRUST_LIST})
"""Verdicts whose signature is intact but whose key the trust list (if any) does not hold."""


@dataclass(frozen=True)
class OwnKey:
    """This computer's key for a partner, as found for a signed file."""

    partner: str
    """The partner the file and the key are for."""
    fingerprint: str
    """The key's ``SHA256:...`` fingerprint."""
    trust_line: str
    """The line the steering group adds to its trust list (``allowed_signers``)."""


def _own_key(partner: str) -> KeyInfo | None:
    """The stored key for ``partner``, or ``None`` (no key, a damaged one, or a bad code)."""
    try:
        return find_key(partner)
    except DapreturnError:
        return None  # not this computer's key: the caller says nothing extra


def own_key_for(verdict: Verdict) -> OwnKey | None:
    """This computer's key when it made ``verdict``'s intact signature, else ``None``.

    Only for files whose signature is intact but not (yet) trusted: a verified file needs no
    explanation and a broken one must not be called good.
    """
    if verdict.state not in INTACT_UNTRUSTED or not verdict.partner or not verdict.fingerprint:
        return None
    info = _own_key(verdict.partner)
    if info is None or info.fingerprint != verdict.fingerprint:
        return None
    line = allowed_signers_line(info.partner, info.public_key)
    return OwnKey(info.partner, info.fingerprint, line)


def signed_here(data: bytes, partner: str, *, source: str) -> bool:
    """Whether ``data`` carries an intact signature by this computer's key for ``partner``."""
    verdict = verify_bytes(data, None, source=source)
    return verdict.partner == partner and own_key_for(verdict) is not None


def explain(own: OwnKey, verdict: Verdict, trust_name: str | None) -> list[str]:
    """Lines saying the signature is good, whose key made it and what to send, for a person."""
    where = f"The trust list {trust_name}" if trust_name else "The steering group's trust list"
    lines = [
        f"The signature is good: signed with this computer's key for {own.partner} "
        f"({own.fingerprint}).",
    ]
    if verdict.state is VerdictState.NO_TRUST_LIST:
        lines.append("There is no trust list here to check it against; the steering group's")
        lines.append("trust list must hold your key before your returns count.")
    else:
        lines.append(f"{where} does not (yet) hold this key.")
    lines.append("Send the steering group this line for its trust list (allowed_signers):")
    lines.append(f"  {own.trust_line}")
    return lines
