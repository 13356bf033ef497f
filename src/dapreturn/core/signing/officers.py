"""Steering-group (officer) signing keys and the trust-list principal that names an officer.

An officer's key is made and kept as a partner's is
(:func:`dapreturn.core.signing.keys.store_new_key`),
under ``<keys dir>/officers/<name>_ed25519``. In the trust list an officer is ``officer:<name>``;
a partner code (capitals, digits, hyphens) can never equal one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dapreturn.core import paths
from dapreturn.core.errors import KeyFileError
from dapreturn.core.signing.keys import store_new_key, stored_public_key
from dapreturn.core.signing.sshsig import fingerprint, public_key_line

__all__ = [
    "CALL_NAMESPACE",
    "DECISION_NAMESPACE",
    "FEEDBACK_NAMESPACE",
    "OFFICER_NAMESPACES",
    "OFFICER_PREFIX",
    "OfficerKey",
    "check_officer_name",
    "find_officer_key",
    "is_officer_principal",
    "new_officer_key",
    "officer_keys_dir",
    "officer_principal",
    "officer_signers_line",
    "stored_officers",
]

CALL_NAMESPACE = "call@dapreturn"
"""SSHSIG namespace of a call-for-returns pack (group -> partner)."""
DECISION_NAMESPACE = "decision@dapreturn"
"""SSHSIG namespace of one review decision (officer -> group folder)."""
FEEDBACK_NAMESPACE = "feedback@dapreturn"
"""SSHSIG namespace of a feedback file (group -> partner)."""
OFFICER_NAMESPACES = (CALL_NAMESPACE, DECISION_NAMESPACE, FEEDBACK_NAMESPACE)
"""Everything an officer's key may sign; never ``return@dapreturn``."""

OFFICER_PREFIX = "officer:"
"""Opens every officer principal; a partner code cannot contain ``:``."""

OFFICER_NAME_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
"""Officer names: lower-case letters and digits, joined by ``.``, ``_`` or ``-``."""
MAX_NAME = 40

_PRINCIPAL_RE = re.compile(r"^officer:[a-z0-9]+(?:[._-][a-z0-9]+)*$")


@dataclass(frozen=True)
class OfficerKey:
    """Where an officer's key pair is stored, and its public half."""

    name: str
    """The officer's name, e.g. ``jo.bloggs``."""
    private_path: Path
    public_key: Ed25519PublicKey

    @property
    def principal(self) -> str:
        """The trust-list principal, ``officer:<name>``."""
        return officer_principal(self.name)

    @property
    def fingerprint(self) -> str:
        """``SHA256:...`` as ``ssh-keygen -l`` shows it."""
        return fingerprint(self.public_key)


def check_officer_name(name: str) -> str:
    """Return ``name`` if it is a valid officer name, else raise :class:`KeyFileError`."""
    if not isinstance(name, str) or len(name) > MAX_NAME or not OFFICER_NAME_RE.match(name):
        raise KeyFileError(
            f"'{name}' is not an officer name (lower-case letters and digits joined by . _ or -,"
            f" at most {MAX_NAME} characters, e.g. jo.bloggs)"
        )
    return name


def officer_principal(name: str) -> str:
    """``officer:<name>`` for a valid officer name."""
    return OFFICER_PREFIX + check_officer_name(name)


def is_officer_principal(text: str) -> bool:
    """Whether ``text`` is an officer principal (never true of a partner code)."""
    return len(text) <= len(OFFICER_PREFIX) + MAX_NAME and bool(_PRINCIPAL_RE.match(text))


def officer_keys_dir(keys_dir: Path | None = None) -> Path:
    """The folder of officer keys (``<keys dir>/officers``)."""
    return (keys_dir if keys_dir is not None else paths.keys_dir()) / "officers"


def _private_path(name: str, keys_dir: Path | None) -> Path:
    return officer_keys_dir(keys_dir) / f"{check_officer_name(name)}_ed25519"


def new_officer_key(
    name: str,
    *,
    passphrase: bytes | None = None,
    force: bool = False,
    keys_dir: Path | None = None,
) -> OfficerKey:
    """Generate and store an officer's key pair; an existing one is never replaced silently."""
    private_path = _private_path(name, keys_dir)
    public_key = store_new_key(
        private_path, f"{officer_principal(name)}", passphrase=passphrase, force=force
    )
    return OfficerKey(name, private_path, public_key)


def find_officer_key(name: str, *, keys_dir: Path | None = None) -> OfficerKey | None:
    """The stored key of officer ``name``, or ``None`` (no passphrase needed)."""
    private_path = _private_path(name, keys_dir)
    public_key = stored_public_key(private_path)
    return None if public_key is None else OfficerKey(name, private_path, public_key)


def stored_officers(keys_dir: Path | None = None) -> list[str]:
    """Names of the officers with a key on this computer, sorted."""
    folder = officer_keys_dir(keys_dir)
    names = (p.name.removesuffix("_ed25519") for p in folder.glob("*_ed25519"))
    return sorted(n for n in names if OFFICER_NAME_RE.match(n))


def officer_signers_line(name: str, public_key: Ed25519PublicKey) -> str:
    """The trust-list line for an officer: principal, the officer namespaces only, key."""
    namespaces = ",".join(OFFICER_NAMESPACES)
    return f'{officer_principal(name)} namespaces="{namespaces}" {public_key_line(public_key)}'
