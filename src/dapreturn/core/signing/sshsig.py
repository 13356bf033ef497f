"""OpenSSH SSHSIG signatures (``ssh-keygen -Y sign``/``verify``) for Ed25519 keys.

Implements the framing of OpenSSH's ``PROTOCOL.sshsig``: the blob is ``"SSHSIG"``, version 1,
the signer's public key, the namespace, an empty reserved string, the hash algorithm and the
signature; what the key actually signs is ``"SSHSIG"`` + namespace + reserved + hash algorithm +
``H(message)``. The armored text is base64 wrapped at 70 columns between ``-----BEGIN SSH
SIGNATURE-----`` and ``-----END SSH SIGNATURE-----``, exactly as ``ssh-keygen`` writes it, so a
signature made here is byte-identical to OpenSSH's for the same key and message (Ed25519 is
deterministic) and each side verifies the other's.

Only ``ssh-ed25519`` keys are accepted. Every malformed input raises
:class:`~dapreturn.core.errors.SignatureError` with a one-line reason.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dapreturn.core.errors import SignatureError
from dapreturn.core.signing.smallorder import check_public_key

__all__ = [
    "ARMOR_BEGIN",
    "ARMOR_END",
    "KEY_TYPE",
    "SshSignature",
    "WireReader",
    "fingerprint",
    "parse_armored",
    "public_key_blob",
    "public_key_from_blob",
    "public_key_line",
    "sign",
    "verify",
]

MAGIC = b"SSHSIG"
"""The six bytes that open both the signature blob and the data the key signs."""

VERSION = 1
"""The only SSHSIG version there is."""

KEY_TYPE = "ssh-ed25519"
"""The one key (and signature) type dapreturn signs and verifies with."""

ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
"""First line of an armored signature."""

ARMOR_END = "-----END SSH SIGNATURE-----"
"""Last line of an armored signature."""

ARMOR_WIDTH = 70
"""Base64 characters per armored line, as ``ssh-keygen`` writes them."""

HASH_ALGS: dict[str, Callable[[bytes], bytes]] = {
    "sha512": lambda data: hashlib.sha512(data).digest(),
    "sha256": lambda data: hashlib.sha256(data).digest(),
}
"""Message hash algorithms PROTOCOL.sshsig allows; ``ssh-keygen`` signs with sha512."""


def _quoted(text: str) -> str:
    """Quote text taken from a signature for a one-line message (controls escaped, cut short)."""
    return repr(text[:40])


def _string(data: bytes) -> bytes:
    """Encode ``data`` as an SSH wire-format ``string`` (uint32 length + bytes)."""
    return struct.pack(">I", len(data)) + data


class WireReader:
    """Reads SSH wire-format fields from a blob; any overrun is a :class:`SignatureError`."""

    def __init__(self, data: bytes, what: str) -> None:
        self._data = data
        self._pos = 0
        self._what = what

    def take(self, size: int) -> bytes:
        """Return the next ``size`` bytes or raise because the blob ends too soon."""
        if size > len(self._data) - self._pos:
            raise SignatureError(f"{self._what} is truncated")
        chunk = self._data[self._pos : self._pos + size]
        self._pos += size
        return chunk

    def uint32(self) -> int:
        """Return the next big-endian unsigned 32-bit integer."""
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def string(self) -> bytes:
        """Return the next length-prefixed string."""
        return self.take(self.uint32())

    def text(self, field: str) -> str:
        """Return the next string decoded as UTF-8 text."""
        try:
            return self.string().decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError(f"{self._what}: {field} is not valid UTF-8") from None

    def end(self) -> None:
        """Raise if bytes are left over after the last field."""
        if self._pos != len(self._data):
            raise SignatureError(f"{self._what} has unexpected trailing data")


def public_key_blob(public_key: Ed25519PublicKey) -> bytes:
    """Return the SSH wire-format blob of ``public_key`` (``string "ssh-ed25519", string key``)."""
    return _string(KEY_TYPE.encode()) + _string(public_key.public_bytes_raw())


def public_key_from_blob(blob: bytes) -> Ed25519PublicKey:
    """Decode an SSH public key blob; raise :class:`SignatureError` unless it is a sound Ed25519
    key (a small-order or off-curve point is refused, see
    :mod:`dapreturn.core.signing.smallorder`)."""
    reader = WireReader(blob, "public key")
    key_type = reader.string()
    if key_type != KEY_TYPE.encode():
        shown = _quoted(key_type.decode("ascii", "replace"))
        raise SignatureError(f"unsupported key type {shown}: only {KEY_TYPE} keys are accepted")
    raw = reader.string()
    reader.end()
    if len(raw) != 32:
        raise SignatureError("public key: an ssh-ed25519 key must be 32 bytes")
    degenerate = check_public_key(raw)
    if degenerate is not None:
        raise SignatureError(f"public key refused: {degenerate}")
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """Return the key's fingerprint as ``ssh-keygen -l`` shows it: ``SHA256:<base64>``."""
    return blob_fingerprint(public_key_blob(public_key))


@functools.lru_cache(maxsize=512)
def blob_fingerprint(blob: bytes) -> str:
    """The ``SHA256:<base64>`` fingerprint of a key's wire-format blob (remembered: a folder
    holds many returns signed by the same few keys)."""
    digest = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def public_key_line(public_key: Ed25519PublicKey, comment: str = "") -> str:
    """Return the key in ``authorized_keys`` form: ``ssh-ed25519 AAAA... [comment]``."""
    line = f"{KEY_TYPE} {base64.b64encode(public_key_blob(public_key)).decode('ascii')}"
    return f"{line} {comment}" if comment else line


def _signed_data(message: bytes, namespace: str, hash_alg: str) -> bytes:
    """Return the bytes the key signs for ``message`` (PROTOCOL.sshsig "signed data")."""
    digest = HASH_ALGS[hash_alg](message)
    return (
        MAGIC
        + _string(namespace.encode("utf-8"))
        + _string(b"")
        + _string(hash_alg.encode())
        + _string(digest)
    )


def sign(
    message: bytes, key: Ed25519PrivateKey, namespace: str, *, hash_alg: str = "sha512"
) -> str:
    """Sign ``message`` and return the armored text exactly as ``ssh-keygen -Y sign`` writes it.

    The result ends with a newline. Raises :class:`SignatureError` for an empty namespace, an
    unknown hash algorithm or a key that is not Ed25519.
    """
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"only {KEY_TYPE} keys can sign; got {type(key).__name__}")
    if not namespace:
        raise SignatureError("a signature namespace must not be empty")
    if hash_alg not in HASH_ALGS:
        raise SignatureError(f"unsupported hash algorithm '{hash_alg}' (use sha512 or sha256)")
    raw_sig = key.sign(_signed_data(message, namespace, hash_alg))
    return _armor(_sig_blob(public_key_blob(key.public_key()), namespace, hash_alg, raw_sig))


def _sig_blob(key_blob: bytes, namespace: str, hash_alg: str, raw_sig: bytes) -> bytes:
    """Assemble the binary SSHSIG blob."""
    return (
        MAGIC
        + struct.pack(">I", VERSION)
        + _string(key_blob)
        + _string(namespace.encode("utf-8"))
        + _string(b"")
        + _string(hash_alg.encode())
        + _string(_string(KEY_TYPE.encode()) + _string(raw_sig))
    )


def _armor(blob: bytes) -> str:
    """Armor a blob the way ``ssh-keygen`` does (70 columns, trailing newline)."""
    encoded = base64.b64encode(blob).decode("ascii")
    lines = [encoded[i : i + ARMOR_WIDTH] for i in range(0, len(encoded), ARMOR_WIDTH)]
    return "\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + "\n"


@dataclass(frozen=True)
class SshSignature:
    """A parsed SSHSIG signature (not yet verified against any message)."""

    public_key: Ed25519PublicKey
    """The key the signature claims to be made with."""
    public_key_blob: bytes
    """That key's SSH wire-format blob, as carried in the signature."""
    namespace: str
    """The namespace the signer chose (ours is ``return@dapreturn``)."""
    hash_alg: str
    """The message hash algorithm: ``sha512`` or ``sha256``."""
    signature: bytes
    """The raw 64-byte Ed25519 signature over the SSHSIG signed data."""

    @property
    def fingerprint(self) -> str:
        """The signing key's ``SHA256:...`` fingerprint."""
        return blob_fingerprint(self.public_key_blob)

    def armored(self) -> str:
        """Return this signature armored exactly as ``ssh-keygen`` would write it."""
        return _armor(
            _sig_blob(self.public_key_blob, self.namespace, self.hash_alg, self.signature)
        )


def _dearmor(text: str) -> bytes:
    """Return the binary blob inside an armored signature."""
    lines = [line.strip(" \t\r") for line in text.strip(" \t\r\n").split("\n")]
    if not lines or lines[0] != ARMOR_BEGIN:
        raise SignatureError(f"armored signature must start with {ARMOR_BEGIN}")
    if len(lines) < 2 or lines[-1] != ARMOR_END:
        raise SignatureError(f"armored signature must end with {ARMOR_END}")
    body = "".join(lines[1:-1])
    if not body:
        raise SignatureError("armored signature is empty")
    try:
        blob = binascii.a2b_base64(body.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise SignatureError("armored signature is not valid base64") from None
    if base64.b64encode(blob).decode("ascii") != body:
        raise SignatureError("armored signature is not canonical base64")
    return blob


def parse_armored(text: str) -> SshSignature:
    """Parse an armored SSHSIG signature; raise :class:`SignatureError` saying what is wrong.

    Surrounding whitespace and CRLF line ends are tolerated; anything else out of place (bad
    base64, wrong magic or version, a key or signature that is not Ed25519, a non-empty
    reserved field, trailing bytes) is refused.
    """
    if not isinstance(text, str):
        raise SignatureError("armored signature must be text")
    reader = WireReader(_dearmor(text), "signature")
    if reader.take(len(MAGIC)) != MAGIC:
        raise SignatureError("not an SSH signature (bad magic)")
    version = reader.uint32()
    if version != VERSION:
        raise SignatureError(f"unsupported SSH signature version {version}")
    key_blob = reader.string()
    public_key = public_key_from_blob(key_blob)
    namespace = reader.text("namespace")
    if reader.string():
        raise SignatureError("signature: reserved field must be empty")
    hash_alg = reader.text("hash algorithm")
    if hash_alg not in HASH_ALGS:
        raise SignatureError(f"unsupported hash algorithm {_quoted(hash_alg)}")
    sig_reader = WireReader(reader.string(), "signature value")
    reader.end()
    sig_type = sig_reader.string()
    if sig_type != KEY_TYPE.encode():
        shown = _quoted(sig_type.decode("ascii", "replace"))
        raise SignatureError(f"unsupported signature type {shown}: only {KEY_TYPE} is accepted")
    raw_sig = sig_reader.string()
    sig_reader.end()
    if len(raw_sig) != 64:
        raise SignatureError("signature value: an ssh-ed25519 signature must be 64 bytes")
    return SshSignature(public_key, key_blob, namespace, hash_alg, raw_sig)


def verify(message: bytes, sig: SshSignature, namespace: str) -> None:
    """Check ``sig`` over ``message`` in ``namespace``; return quietly or raise.

    Raises :class:`SignatureError` saying whether the namespace does not match or the signature
    does not match the data (a different key or changed content).
    """
    if sig.namespace != namespace:
        shown = _quoted(sig.namespace)
        raise SignatureError(
            f"signature namespace {shown} does not match the expected '{namespace}'"
        )
    if sig.hash_alg not in HASH_ALGS:
        raise SignatureError(f"unsupported hash algorithm {_quoted(sig.hash_alg)}")
    try:
        sig.public_key.verify(sig.signature, _signed_data(message, namespace, sig.hash_alg))
    except InvalidSignature:
        raise SignatureError(
            f"signature by {sig.fingerprint} does not match the data (changed content or key)"
        ) from None
