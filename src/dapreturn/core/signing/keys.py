"""Partner signing keys: Ed25519 in OpenSSH private-key format, kept in the user's key folder.

A partner's key lives at ``paths.keys_dir() / "<PARTNER>_ed25519"`` (mode 0600 on POSIX) with
the public half beside it as ``<PARTNER>_ed25519.pub``. The files are ordinary OpenSSH keys, so
``ssh-keygen`` can read, re-protect or use them. A passphrase, when given, encrypts the private
key (bcrypt KDF + AES-256-CTR); it is only ever held in memory and never written anywhere.

Loading refuses, as ``ssh`` does, a private key that others can read, and refuses any key kept in
a folder called ``returns`` (keys must never travel with the returns they sign).
"""

from __future__ import annotations

import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dapreturn.core import paths
from dapreturn.core.errors import KeyFileError, SignatureError, StorageError
from dapreturn.core.plan.model import PARTNER_CODE_RE
from dapreturn.core.signing.files import NAMESPACE
from dapreturn.core.signing.sshsig import (
    WireReader,
    fingerprint,
    public_key_from_blob,
    public_key_line,
)
from dapreturn.core.storage import atomic_write_bytes

__all__ = [
    "KeyInfo",
    "PassphraseRequired",
    "WrongPassphrase",
    "allowed_signers_line",
    "find_key",
    "key_needs_passphrase",
    "key_path",
    "load_private_key",
    "new_key",
    "public_key_text",
    "store_new_key",
    "stored_public_key",
]

_PRIVATE_MAGIC = b"openssh-key-v1\x00"
"""Opening bytes of the decoded OpenSSH private-key container."""

_PEM_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----"
_PEM_END = "-----END OPENSSH PRIVATE KEY-----"

RETURNS_FOLDER = "returns"
"""A key in a folder of this name (any case, at any depth) is refused."""


class PassphraseRequired(KeyFileError):  # noqa: N818 - name fixed by the API
    """The private key is protected by a passphrase and none was given."""


class WrongPassphrase(KeyFileError):  # noqa: N818 - name fixed by the API
    """The passphrase given does not unlock the private key."""


@dataclass(frozen=True)
class KeyInfo:
    """Where a partner's key pair is stored, and its public half."""

    partner: str
    """The partner code the key signs for."""
    private_path: Path
    """The OpenSSH private key file."""
    public_path: Path
    """The ``.pub`` file beside it."""
    fingerprint: str
    """``SHA256:...`` fingerprint, as ``ssh-keygen -l`` shows it."""
    public_key: Ed25519PublicKey
    """The public key."""


def _check_partner(partner: str) -> str:
    """Return ``partner`` if it is a valid partner code (it becomes a file name), else raise."""
    if not isinstance(partner, str) or not PARTNER_CODE_RE.match(partner):
        raise KeyFileError(
            f"'{partner}' is not a partner code (capital letters, digits and hyphens, e.g. BSWA)"
        )
    return partner


def key_path(partner: str, *, keys_dir: Path | None = None) -> Path:
    """Return where ``partner``'s private key is kept (``<keys dir>/<PARTNER>_ed25519``)."""
    folder = keys_dir if keys_dir is not None else paths.keys_dir()
    return Path(folder) / f"{_check_partner(partner)}_ed25519"


def _public_path(private_path: Path) -> Path:
    return private_path.with_name(private_path.name + ".pub")


def allowed_signers_line(partner: str, public_key: Ed25519PublicKey) -> str:
    """Return the trust-list line for ``partner``'s key (no newline).

    E.g. ``BSWA namespaces="return@dapreturn" ssh-ed25519 AAAA...``.
    """
    return f'{_check_partner(partner)} namespaces="{NAMESPACE}" {public_key_line(public_key)}'


def new_key(
    partner: str,
    *,
    passphrase: bytes | None = None,
    force: bool = False,
    keys_dir: Path | None = None,
) -> KeyInfo:
    """Generate and store a new Ed25519 key pair for ``partner``; return where it went.

    Without ``force`` an existing key file is never replaced (:class:`KeyFileError` names it).
    An empty or ``None`` passphrase stores the key unencrypted.
    """
    private_path = key_path(partner, keys_dir=keys_dir)
    public_key = store_new_key(
        private_path, f"{partner}@dapreturn", passphrase=passphrase, force=force
    )
    return KeyInfo(
        partner, private_path, _public_path(private_path), fingerprint(public_key), public_key
    )


def store_new_key(
    private_path: Path, comment: str, *, passphrase: bytes | None, force: bool
) -> Ed25519PublicKey:
    """Generate an Ed25519 key pair at ``private_path`` (0600) and its ``.pub``; return it.

    The one place a key is made, for partner and officer keys alike (:func:`new_key`,
    :mod:`dapreturn.core.signing.officers`). Without ``force`` an existing file is never replaced.
    """
    public_path = _public_path(private_path)
    _refuse_returns_folder(private_path, "be created")
    if not force:
        for existing in (private_path, public_path):
            if existing.exists():
                raise KeyFileError(f"{existing}: a key is already stored here; not replacing it")
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption
    )
    public_key = key.public_key()
    try:
        paths.ensure_dir(private_path.parent)
        # exclusive=True places the file only if the name is still free (O_EXCL semantics),
        # so a key created meanwhile by another process is never clobbered.
        atomic_write_bytes(private_path, private_bytes, mode=0o600, exclusive=not force)
        line = public_key_line(public_key, comment) + "\n"
        atomic_write_bytes(public_path, line.encode("ascii"), mode=0o644)
    except FileExistsError as exc:
        raise KeyFileError(
            f"{private_path}: a key is already stored here; not replacing it"
        ) from exc
    except StorageError as exc:
        raise KeyFileError(str(exc)) from exc
    except OSError as exc:
        raise KeyFileError(f"{private_path}: cannot store key: {exc.strerror or exc}") from exc
    return public_key


def _container(path: Path, data: bytes) -> tuple[str, bytes]:
    """Return (cipher name, first public key blob) from an OpenSSH private key file's bytes."""
    text = data.decode("ascii", "replace").strip()
    lines = [line.strip() for line in text.splitlines()]
    if len(lines) < 3 or lines[0] != _PEM_BEGIN or lines[-1] != _PEM_END:
        raise KeyFileError(f"{path}: not an OpenSSH private key")
    try:
        blob = binascii.a2b_base64("".join(lines[1:-1]).encode("ascii"), strict_mode=True)
        if not blob.startswith(_PRIVATE_MAGIC):
            raise SignatureError("bad magic")
        reader = WireReader(blob[len(_PRIVATE_MAGIC) :], "private key")
        cipher = reader.string().decode("ascii", "replace")
        reader.string()  # kdf name
        reader.string()  # kdf options
        if reader.uint32() < 1:
            raise SignatureError("no keys")
        return cipher, reader.string()
    except (SignatureError, binascii.Error, ValueError):
        raise KeyFileError(f"{path}: not an OpenSSH private key (damaged file?)") from None


def _refuse_returns_folder(path: Path, verb: str = "be kept") -> None:
    """Refuse a private key path inside a folder called ``returns`` (at any depth), judged both
    as written and where symbolic links lead (a link from the keys folder into a returns
    folder, or a home that is itself a link into one, puts the key there all the same)."""
    written = Path(os.path.abspath(path))
    resolved = Path(os.path.realpath(path))
    for folder in (*written.parents, *resolved.parents):
        if folder.name.casefold() == RETURNS_FOLDER:
            hint = (
                f"move it to {paths.keys_dir()}"
                if verb == "be kept"
                else "keep your keys (DAPRETURN_HOME) outside it"
            )
            raise KeyFileError(
                f"{path}: a private key must never {verb} in a returns folder ({folder}); {hint}"
            )


def _check_location(path: Path) -> None:
    """Refuse a key kept in a returns folder, or (POSIX) readable by group or others."""
    _refuse_returns_folder(path)
    if os.name != "posix":
        return
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no key file here") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read key: {exc.strerror or exc}") from exc
    if mode & 0o077:
        raise KeyFileError(
            f"permissions {mode:04o} for '{path}' are too open; "
            "the private key must be readable by you only (chmod 600)"
        )


def _read_key_file(path: Path) -> bytes:
    """Read a private key file after the location and permission checks."""
    _check_location(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(64 * 1024 + 1)
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no key file here") from None
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read key: {exc.strerror or exc}") from exc
    if len(data) > 64 * 1024:
        raise KeyFileError(f"{path}: too large to be a private key")
    return data


def key_needs_passphrase(path: Path) -> bool:
    """Return whether the private key at ``path`` is encrypted (needs a passphrase to load)."""
    cipher, _ = _container(Path(path), _read_key_file(Path(path)))
    return cipher != "none"


def load_private_key(path: Path, passphrase: bytes | None) -> Ed25519PrivateKey:
    """Load the Ed25519 private key at ``path``, unlocking it with ``passphrase`` if encrypted.

    Raises :class:`PassphraseRequired`, :class:`WrongPassphrase`, or :class:`KeyFileError` for a
    missing, unreadable, damaged, too-open, misplaced or non-Ed25519 key. A passphrase given for
    an unencrypted key is ignored.
    """
    path = Path(path)
    data = _read_key_file(path)
    cipher, _ = _container(path, data)
    encrypted = cipher != "none"
    if encrypted and not passphrase:
        raise PassphraseRequired(f"{path}: the key is protected by a passphrase; enter it")
    try:
        key = serialization.load_ssh_private_key(data, passphrase if encrypted else None)
    except ValueError as exc:
        if encrypted and "checksum" in str(exc):
            raise WrongPassphrase(f"{path}: wrong passphrase for this key") from None
        raise KeyFileError(f"{path}: cannot load key: {exc}") from None
    except (TypeError, binascii.Error) as exc:
        raise KeyFileError(f"{path}: cannot load key: {exc}") from None
    except UnsupportedAlgorithm:
        raise KeyFileError(
            f"{path}: the key uses a cipher or key type dapreturn cannot read"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key; dapreturn signs with Ed25519 keys only")
    return key


def find_key(partner: str, *, keys_dir: Path | None = None) -> KeyInfo | None:
    """Return the stored key for ``partner``, or ``None`` if there is none.

    The public key is read from the private key file itself (OpenSSH keeps it in clear), so no
    passphrase is needed. Raises :class:`KeyFileError` if the file is damaged or not Ed25519.
    """
    private_path = key_path(partner, keys_dir=keys_dir)
    public_key = stored_public_key(private_path)
    if public_key is None:
        return None
    return KeyInfo(
        partner, private_path, _public_path(private_path), fingerprint(public_key), public_key
    )


def stored_public_key(private_path: Path) -> Ed25519PublicKey | None:
    """The public half of the private key at ``private_path`` (``None`` if there is none),
    read from the file's clear part, so no passphrase is needed."""
    if not private_path.is_file():
        return None
    try:
        with open(private_path, "rb") as handle:
            data = handle.read(64 * 1024)
    except OSError as exc:
        raise KeyFileError(f"{private_path}: cannot read key: {exc.strerror or exc}") from exc
    _, blob = _container(private_path, data)
    try:
        return public_key_from_blob(blob)
    except SignatureError as exc:
        raise KeyFileError(f"{private_path}: {exc}") from None


def public_key_text(info: KeyInfo) -> str:
    """Return the ``.pub`` line for a stored key (``ssh-ed25519 AAAA... PARTNER@dapreturn``)."""
    return public_key_line(info.public_key, f"{info.partner}@dapreturn")
