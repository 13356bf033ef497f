"""Signed steering-group files: calls for returns, review decisions and feedback.

Each is TOML signed exactly as a return is (:mod:`dapreturn.core.signing.files`), but in its own
namespace (``call@``, ``decision@``, ``feedback@dapreturn``), so no kind can pass as another or
as a return, and by an officer whose principal is ``officer:<name>``. The body names its signer
and signing time; the table's labels must agree. The bytes are checked before they are parsed,
and without a trust list nothing is ever VERIFIED.
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dapreturn.core.collection.scan import RefusedError, read_limited
from dapreturn.core.errors import DapreturnError, SignatureError
from dapreturn.core.signing import sshsig
from dapreturn.core.signing.files import NAMESPACE as RETURN_NAMESPACE
from dapreturn.core.signing.officers import (
    CALL_NAMESPACE,
    DECISION_NAMESPACE,
    FEEDBACK_NAMESPACE,
    is_officer_principal,
)
from dapreturn.core.signing.table import read_signature_table, signature_table, split_signed
from dapreturn.core.signing.trust import TrustList

__all__ = [
    "CALL",
    "DECISION",
    "FEEDBACK",
    "GroupVerdict",
    "Kind",
    "OfficerSigner",
    "RefusedFileError",
    "State",
    "sign_group_body",
    "verify_group_bytes",
    "verify_group_file",
]


@dataclass(frozen=True)
class Kind:
    """One kind of signed group file."""

    name: str
    """What a person calls it: ``call for returns``."""
    schema: str
    namespace: str
    time_field: str
    """The body field holding when it was signed (the key must be valid then)."""


CALL = Kind("call for returns", "dapreturn/call/v1", CALL_NAMESPACE, "issued_at")
DECISION = Kind("review decision", "dapreturn/review-decision/v1", DECISION_NAMESPACE, "decided_at")
FEEDBACK = Kind("feedback", "dapreturn/feedback/v1", FEEDBACK_NAMESPACE, "issued_at")
_BY_NAMESPACE = {k.namespace: k.name for k in (CALL, DECISION, FEEDBACK)}
_BY_NAMESPACE[RETURN_NAMESPACE] = "return"


class RefusedFileError(DapreturnError):
    """A pack, decision or feedback file that must not be acted on; names the file and why."""


@dataclass(frozen=True)
class OfficerSigner:
    """An officer's unlocked key and the principal it signs as."""

    principal: str
    """``officer:<name>``."""
    key: Ed25519PrivateKey


class State(enum.Enum):
    """The outcome of checking one signed group file."""

    VERIFIED = "verified"
    BAD_SIGNATURE = "bad signature"
    CRLF = "line endings changed"
    WRONG_KIND = "wrong kind of file"
    UNKNOWN_KEY = "unknown key"
    WRONG_SIGNER = "key belongs to someone else"
    KEY_NOT_VALID = "key not valid"
    NOT_SIGNED = "not signed"
    NO_TRUST = "no trust list"
    INVALID = "invalid"


@dataclass(frozen=True)
class GroupVerdict:
    """What verification found; ``message`` is one line naming the file and the reason."""

    state: State
    message: str
    signer: str | None = None
    """The principal the body names as signer (signed), if it could be read."""
    fingerprint: str | None = None
    """The signing key's fingerprint, if the signature could be parsed."""
    public_key: Ed25519PublicKey | None = None
    """The signing key, if the signature could be parsed."""
    doc: dict[str, Any] | None = None
    """The parsed body: set whenever the signature over the bytes is intact."""

    @property
    def ok(self) -> bool:
        """Whether the file is VERIFIED."""
        return self.state is State.VERIFIED


def sign_group_body(body: bytes, signer: OfficerSigner, kind: Kind) -> bytes:
    """Sign the exact ``body`` (which must end with a newline) as ``signer``, in ``kind``'s
    namespace; return body + ``[signature]`` table."""
    if not is_officer_principal(signer.principal):
        raise SignatureError(f"'{signer.principal}' is not an officer principal")
    if not body.endswith(b"\n"):
        raise SignatureError("the body must end with a newline before it is signed")
    _, table = split_signed(body)
    if table is not None:
        raise SignatureError("the body contains a line '[signature]'; cannot sign it")
    armored = sshsig.sign(body, signer.key, kind.namespace)
    return body + signature_table(
        signer.principal, signer.key.public_key(), armored, kind.namespace
    )


def _read_table(table: bytes, offset: int) -> tuple[dict[str, str], sshsig.SshSignature]:
    values, sig = read_signature_table(table, offset, None)
    if values["namespace"] != sig.namespace:
        raise SignatureError("[signature] namespace is not the signature's namespace")
    return values, sig


def _body(body: bytes, kind: Kind, label: str) -> tuple[dict[str, Any], str, datetime]:
    try:
        doc = tomllib.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise SignatureError("not UTF-8 text") from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise SignatureError(f"not TOML: {exc}") from None
    if doc.get("schema") != kind.schema:
        raise SignatureError(f'not a {kind.name}: no schema = "{kind.schema}" line')
    signer = doc.get("signed_by")
    if not isinstance(signer, str) or not is_officer_principal(signer):
        raise SignatureError("signed_by is missing or not an officer (officer:<name>)")
    if signer != label:
        raise SignatureError(f"[signature] signer {label[:60]!r} is not signed_by {signer}")
    when = doc.get(kind.time_field)
    if not isinstance(when, datetime) or when.utcoffset() is None:
        raise SignatureError(f"{kind.time_field} must be a date and time with a zone")
    return doc, signer, when


def _judge(
    trust: TrustList, sig: sshsig.SshSignature, signer: str, kind: Kind, when: datetime
) -> tuple[State, str]:
    fpr = sig.fingerprint
    entries = trust.entries_for_key(sig.public_key)
    if not entries:
        text = f"refused: signed by a key you have not accepted ({fpr}, claims {signer})"
        return State.UNKNOWN_KEY, text
    mine = [e for e in entries if e.matches_principal(signer)]
    if not mine:
        owners = ",".join(dict.fromkeys(p for e in entries for p in e.principals))
        return State.WRONG_SIGNER, f"refused: key {fpr} belongs to {owners}, file claims {signer}"
    allowed = [e for e in mine if e.allows_namespace(kind.namespace)]
    if not allowed:
        return State.KEY_NOT_VALID, f"refused: key {fpr} may not sign a {kind.name}"
    if not any(e.valid_at(when) for e in allowed):
        stamp = when.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return State.KEY_NOT_VALID, f"refused: key {fpr} not valid at signing time {stamp}"
    return State.VERIFIED, f"verified: {kind.name} signed by {signer}, {fpr}"


def verify_group_bytes(
    data: bytes, kind: Kind, trust: TrustList | None, *, source: str
) -> GroupVerdict:
    """Verify a signed group file of ``kind`` against ``trust``; never raises for bad content."""
    try:
        body, table = split_signed(data)
        if table is None:
            return GroupVerdict(State.NOT_SIGNED, f"{source}: refused: not signed")
        values, sig = _read_table(table, body.count(b"\n"))
        if sig.namespace != kind.namespace:
            other = _BY_NAMESPACE.get(sig.namespace, f"namespace {sig.namespace[:40]!r}")
            text = f"refused: this is a {other} file, not a {kind.name}"
            return GroupVerdict(State.WRONG_KIND, f"{source}: {text}", fingerprint=sig.fingerprint)
        try:
            sshsig.verify(body, sig, kind.namespace)
        except SignatureError:
            state = State.BAD_SIGNATURE
            text = "refused: BAD SIGNATURE — the file was changed after signing"
            if b"\r\n" in body:
                try:
                    sshsig.verify(body.replace(b"\r\n", b"\n"), sig, kind.namespace)
                    state = State.CRLF
                    text = "refused: line endings changed in transit (CRLF) — ask for the original"
                except SignatureError:
                    pass
            return GroupVerdict(state, f"{source}: {text}", fingerprint=sig.fingerprint)
        doc, signer, when = _body(body, kind, values["signer"])
    except SignatureError as exc:
        reason = " ".join(str(exc).split())
        return GroupVerdict(State.INVALID, f"{source}: refused: not a valid {kind.name}: {reason}")
    if trust is None:
        state = State.NO_TRUST
        text = f"signature intact ({signer}, {sig.fingerprint}) but no key to check it against"
    else:
        state, text = _judge(trust, sig, signer, kind, when)
    return GroupVerdict(state, f"{source}: {text}", signer, sig.fingerprint, sig.public_key, doc)


def verify_group_file(path: Path, kind: Kind, trust: TrustList | None) -> GroupVerdict:
    """Read ``path`` safely (no links, at most 5 MiB) and :func:`verify_group_bytes` it."""
    try:
        data = read_limited(Path(path))
    except RefusedError as exc:
        return GroupVerdict(State.INVALID, f"{path}: refused: {exc}")
    return verify_group_bytes(data, kind, trust, source=str(path))
