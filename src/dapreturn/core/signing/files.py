"""Signed return files: append a ``[signature]`` table to a body, and verify a whole file.

A signed file is the exact body bytes, a line that is exactly ``[signature]`` and the table's
five keys. The SSHSIG signature (namespace ``return@dapreturn``) covers the body only, so it is
checked *before* anything is parsed. The body's ``partner`` is the signed claim; the table's
``signer`` and ``key`` are unsigned labels that must agree with it, else the file is INVALID.
Key validity is judged at the body's ``submitted_at``; without a trust list an intact
signature gives ``NO_TRUST_LIST``, never ``VERIFIED``.
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dapreturn.core.collection.scan import MAX_FILE_BYTES, RefusedError, read_limited
from dapreturn.core.errors import DapreturnError, SignatureError, StorageError
from dapreturn.core.plan.model import PARTNER_CODE_RE
from dapreturn.core.returns.model import Return
from dapreturn.core.returns.tomlio import return_from_dict
from dapreturn.core.signing import sshsig
from dapreturn.core.signing.table import (
    header_lines,
    parse_table,
    read_signature_table,
    signature_table,
    split_signed,
    toml_error,
)
from dapreturn.core.signing.trust import TrustList
from dapreturn.core.storage import atomic_write_bytes

__all__ = [
    "MAX_FILE_BYTES",
    "NAMESPACE",
    "Verdict",
    "VerdictState",
    "export_for_openssh",
    "sign_body",
    "signature_block",
    "verify_bytes",
    "verify_file",
]

NAMESPACE = "return@dapreturn"
"""SSHSIG namespace of return signatures (and of the trust list's ``namespaces=``)."""


class VerdictState(enum.Enum):
    """The outcome of checking one file."""

    VERIFIED = "verified"
    BAD_SIGNATURE = "bad signature"
    CRLF = "line endings changed"
    UNKNOWN_KEY = "unknown key"
    WRONG_PARTNER = "wrong partner"
    KEY_NOT_VALID = "key not valid"
    NOT_SIGNED = "not signed"
    NO_TRUST_LIST = "no trust list"
    INVALID = "invalid"


@dataclass(frozen=True)
class Verdict:
    """What verification found, with a one-line message naming the file."""

    state: VerdictState
    message: str
    """One line for a person: ``<file>: verified: BSWA, SHA256:...``."""
    partner: str | None = None
    """The partner the body claims (``None`` if it could not be read)."""
    fingerprint: str | None = None
    """Fingerprint of the key that made the signature, if one could be parsed."""
    body: bytes | None = None
    """The exact signed (or unsigned) body bytes."""
    signed_at: datetime | None = None
    """The body's ``submitted_at``."""
    plan: str | None = None
    period: str | None = None
    ret: Return | None = field(default=None, repr=False, compare=False)
    """The return the body holds (VERIFIED only: a verified file is always a valid return)."""

    @property
    def ok(self) -> bool:
        """Whether the file is VERIFIED."""
        return self.state is VerdictState.VERIFIED


def signature_block(signer: str, public_key: Ed25519PublicKey, armored: str) -> bytes:
    """Return the ``[signature]`` table for ``armored`` (LF line ends, ends with a newline)."""
    if not PARTNER_CODE_RE.match(signer):
        raise SignatureError(f"'{signer}' is not a partner code")
    if not armored.isascii():
        raise SignatureError("an armored signature is ASCII text")
    return signature_table(signer, public_key, armored, NAMESPACE)


def sign_body(body: bytes, key: Ed25519PrivateKey, signer: str) -> bytes:
    """Sign the exact ``body`` bytes as ``signer``; return body + ``[signature]`` table.

    Raises :class:`SignatureError` unless it ends with a newline and has no ``[signature]`` line.
    """
    if not body.endswith(b"\n"):
        raise SignatureError("the return body must end with a newline before it is signed")
    if header_lines(body):
        raise SignatureError("the return body contains a line '[signature]'; cannot sign it")
    armored = sshsig.sign(body, key, NAMESPACE)
    return body + signature_block(signer, key.public_key(), armored)


def _read_body(body: bytes) -> dict[str, Any]:
    """Parse the body lightly; raise :class:`SignatureError` if it is not a return."""
    try:
        doc = tomllib.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise SignatureError("not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SignatureError(toml_error(exc, 0)) from None
    except RecursionError:
        raise SignatureError("nested too deeply to be a return") from None
    schema = doc.get("schema")
    if not isinstance(schema, str) or not schema.startswith("dapreturn/return/"):
        raise SignatureError('no schema = "dapreturn/return/v1" line')
    if "signature" in doc:
        raise SignatureError("the [signature] header must be a line of its own: [signature]")
    partner = doc.get("partner")
    if not isinstance(partner, str) or not PARTNER_CODE_RE.match(partner):
        raise SignatureError("partner is missing or not a partner code")
    return doc


def _claimed(body: bytes) -> str | None:
    """The partner a broken file claims to be from, if its body can be read at all."""
    try:
        return str(_read_body(body.replace(b"\r\n", b"\n"))["partner"])
    except SignatureError:
        return None


def _when(doc: dict[str, Any]) -> datetime:
    when = doc.get("submitted_at")
    if not isinstance(when, datetime) or when.utcoffset() is None:
        raise SignatureError("submitted_at must be a date and time with a zone, e.g. ...T10:02:11Z")
    try:
        when.astimezone(UTC)
    except OverflowError:
        raise SignatureError("submitted_at is out of range") from None
    return when


def _read_signature(body: bytes, table: bytes) -> tuple[dict[str, str], sshsig.SshSignature]:
    """Parse the table and its armored signature; raise :class:`SignatureError` if malformed."""
    values, sig = read_signature_table(table, body.count(b"\n"), NAMESPACE)
    signature_block(values["signer"], sig.public_key, sig.armored())  # a partner code signs
    return values, sig


def _crypto_failure(body: bytes, sig: sshsig.SshSignature) -> tuple[VerdictState, str] | None:
    """Check the signature over the exact body; return why it fails, or ``None`` if intact."""
    try:
        sshsig.verify(body, sig, NAMESPACE)
    except SignatureError as exc:
        if sig.namespace != NAMESPACE:
            return VerdictState.BAD_SIGNATURE, f"BAD SIGNATURE — {exc}"
        if b"\r\n" in body:
            try:
                sshsig.verify(body.replace(b"\r\n", b"\n"), sig, NAMESPACE)
            except SignatureError:
                pass
            else:
                text = "line endings changed in transit (CRLF) — ask for the original"
                return VerdictState.CRLF, text
        return VerdictState.BAD_SIGNATURE, "BAD SIGNATURE — the file was changed after signing"
    return None


def _judge_trust(
    trust: TrustList, sig: sshsig.SshSignature, partner: str, when: datetime
) -> tuple[VerdictState, str]:
    """Decide what the trust list says about an intact signature by ``partner`` at ``when``."""
    fpr = sig.fingerprint
    entries = trust.entries_for_key(sig.public_key)
    if not entries:
        return VerdictState.UNKNOWN_KEY, f"unknown key {fpr} (claims {partner})"
    mine = [e for e in entries if e.matches_principal(partner)]
    if not mine:
        owners = ",".join(dict.fromkeys(p for e in entries for p in e.principals))
        text = f"key belongs to another partner ({owners}), file claims {partner}"
        return VerdictState.WRONG_PARTNER, text
    allowed = [e for e in mine if e.allows_namespace(NAMESPACE)]
    if not allowed:
        return VerdictState.KEY_NOT_VALID, f"key {fpr} may not sign returns ({mine[0].where})"
    if not any(e.valid_at(when) for e in allowed):
        stamp = when.astimezone(UTC).isoformat().replace("+00:00", "Z")
        text = f"key not valid at signing time {stamp} ({allowed[0].where})"
        return VerdictState.KEY_NOT_VALID, text
    return VerdictState.VERIFIED, f"verified: {partner}, {fpr}"


def verify_bytes(data: bytes, trust: TrustList | None, *, source: str) -> Verdict:
    """Verify a signed return's bytes against ``trust``; never raises for bad content."""
    try:
        body, table = split_signed(data)
        if table is None:
            unsigned = _read_body(body)
            return Verdict(
                VerdictState.NOT_SIGNED,
                f"{source}: not signed",
                unsigned["partner"],
                body=body,
            )
        values, sig = _read_signature(body, table)
        failure = _crypto_failure(body, sig)
        if failure is not None:
            return Verdict(failure[0], f"{source}: {failure[1]}", _claimed(body), sig.fingerprint)
        doc = _read_body(body)
        when = _when(doc)
        partner = doc["partner"]
        if values["signer"] != partner:
            raise SignatureError(f"[signature] signer {values['signer']} is not partner {partner}")
    except SignatureError as exc:
        reason = " ".join(str(exc).split())
        return Verdict(VerdictState.INVALID, f"{source}: not a return / invalid: {reason}")
    plan, period = doc.get("plan"), doc.get("period")
    if trust is None:
        state = VerdictState.NO_TRUST_LIST
        text = f"signature intact ({partner}, {sig.fingerprint}) but no trust list to check it"
    else:
        state, text = _judge_trust(trust, sig, partner, when)
    verdict = Verdict(
        state,
        f"{source}: {text}",
        partner=partner,
        fingerprint=sig.fingerprint,
        body=body,
        signed_at=when,
        plan=plan if isinstance(plan, str) else None,
        period=period if isinstance(period, str) else None,
    )
    return _as_return(verdict, doc, source) if state is VerdictState.VERIFIED else verdict


def _as_return(verdict: Verdict, doc: dict[str, Any], source: str) -> Verdict:
    """A verified verdict with its return, or INVALID saying why the body is not a return."""
    try:
        ret = return_from_dict(doc, source=source)
    except DapreturnError as exc:
        why = " ".join(str(exc).removeprefix(f"{source}: ").split())
        return replace(
            verdict,
            state=VerdictState.INVALID,
            message=f"{source}: signed, but not a return: {why}",
        )
    return replace(verdict, ret=ret, period=ret.period)


def verify_file(path: Path, trust: TrustList | None) -> Verdict:
    """Read ``path`` as the loader reads a file and :func:`verify_bytes` it.

    A symbolic link, anything but a regular file, and files over 5 MiB are INVALID unread.
    """
    try:
        data = read_limited(path)
    except RefusedError as exc:
        return Verdict(VerdictState.INVALID, f"{path}: not a return / invalid: {exc}")
    return verify_bytes(data, trust, source=str(path))


def export_for_openssh(path: Path) -> tuple[Path, Path]:
    """Write ``FILE.body`` and ``FILE.sig`` beside ``path`` for ``ssh-keygen -Y verify``.

    Check with: ``ssh-keygen -Y verify -f allowed_signers -I BSWA -n return@dapreturn
    -s FILE.sig < FILE.body``. Raises :class:`SignatureError` if the file is not signed.
    """
    path = Path(path)
    try:
        body, table = split_signed(read_limited(path))
        if table is None:
            raise SignatureError("not signed")
        sig = sshsig.parse_armored(parse_table(table, body.count(b"\n"))["armored"])
    except (SignatureError, RefusedError) as exc:
        raise SignatureError(f"{path}: {exc}") from None
    body_path = path.with_name(path.name + ".body")
    sig_path = path.with_name(path.name + ".sig")
    try:
        atomic_write_bytes(body_path, body)
        atomic_write_bytes(sig_path, sig.armored().encode("ascii"))
    except StorageError as exc:
        raise SignatureError(str(exc)) from exc
    return body_path, sig_path
