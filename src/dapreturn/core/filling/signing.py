"""Signing a return, as typed steps every front end walks in the same order.

1. :meth:`SignFlow.findings`: likely personal data in the free text; each is edited (the front
   end goes to its :class:`~dapreturn.core.filling.places.Place`) or confirmed
   (:meth:`SignFlow.confirm`).
2. :meth:`SignFlow.key_step`: the partner's key is made on first use (:class:`MakeKey`, then
   :meth:`SignFlow.make_key`), unlocked with its passphrase (:class:`UnlockKey`, then
   :meth:`SignFlow.unlock`), or ready (:class:`KeyReady`). The passphrase in
   :data:`~dapreturn.core.policy.ENV_PASSPHRASE`, when set, is used instead of asking. A new
   key's trust-list line is written beside it (:class:`NewKey`) for the steering group.
3. :meth:`SignFlow.submit`: :func:`~dapreturn.core.filling.submit.submit_return` checks, signs,
writes,
   reads back and verifies; then the draft is set aside, as the signed file holds the return.

The front ends only show each step and collect the answer. Slow steps (key derivation, the
write) are plain calls, so a TUI runs them in a thread.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling.places import Place
from dapreturn.core.filling.session import FillSession
from dapreturn.core.filling.submit import submit_return
from dapreturn.core.policy import ENV_PASSPHRASE, env_passphrase
from dapreturn.core.returns.safeguarding import Finding, scan_fields
from dapreturn.core.signing import keys
from dapreturn.core.storage import atomic_write_text


class Decision(enum.Enum):
    """The lead's answer to the safeguarding findings (when it is not "edit this one")."""

    CONFIRM = "confirm"
    """None of them is personal data about a victim: sign."""
    CANCEL = "cancel"
    """Not now."""


@dataclass(frozen=True)
class EditAt:
    """Go and change the text at ``place`` (signing stops)."""

    place: Place
    """The field to edit."""


FindingsAnswer = Decision | EditAt
"""What the safeguarding step ends with."""


@dataclass(frozen=True)
class NewKey:
    """A key made on first signing, and the line the steering group adds to its trust list."""

    info: keys.KeyInfo
    """Where the key is kept, and its fingerprint."""
    line: str
    """The ``allowed_signers`` line for this key (not secret)."""
    saved_in: Path
    """The file beside the key holding that line."""


@dataclass(frozen=True)
class MakeKey:
    """There is no key yet: ask for an optional passphrase, then :meth:`SignFlow.make_key`."""

    partner: str
    """Whose key."""
    where: Path
    """Where the private key will be kept."""


@dataclass(frozen=True)
class UnlockKey:
    """The key has a passphrase: ask for it, then :meth:`SignFlow.unlock`."""

    info: keys.KeyInfo
    """The key."""


@dataclass(frozen=True)
class KeyReady:
    """The key is unlocked; ``made`` is set when it was made just now."""

    made: NewKey | None = None
    """A key made from the passphrase in the environment."""


KeyStep = MakeKey | UnlockKey | KeyReady
"""What the key step needs next."""


@dataclass(frozen=True)
class Signed:
    """A signed return was written, read back and verified."""

    path: Path
    """The signed file."""
    fingerprint: str
    """The signing key's fingerprint."""
    revision: int
    """The file's revision number."""
    draft_kept_in: Path | None
    """Where the draft was set aside (``None``: there was no draft)."""
    made: NewKey | None = None
    """The key, when it was made for this signing (its trust-list line is still to send)."""


class EnvPassphraseError(DapreturnError):
    """The passphrase in the environment does not unlock the key."""


def trust_line_file(info: keys.KeyInfo) -> Path:
    """Where a key's ``allowed_signers`` line is kept for the steering group (beside the key)."""
    return info.private_path.with_name(f"{info.partner}_allowed_signers.txt")


class SignFlow:
    """The steps of signing one session's return."""

    def __init__(self, session: FillSession, *, environ: Mapping[str, str] | None = None) -> None:
        """Sign ``session``'s return; ``environ`` stands in for the environment in tests."""
        self.session = session
        """The return being signed."""
        self._env = env_passphrase(environ)
        self._key: Ed25519PrivateKey | None = None
        self._made: NewKey | None = None

    # -- 1. safeguarding ------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """Every likely piece of personal data in the free text (``3l.risks``, ``kpis.K1.note``)."""
        return scan_fields(self.session.ret.narratives())

    def unconfirmed(self) -> list[Finding]:
        """The findings not yet confirmed as safe to send."""
        done = self.session.confirmed
        return [f for f in self.findings() if (f.field, f.text) not in done]

    def confirm(self, findings: list[Finding]) -> None:
        """The lead checked ``findings``: none is personal data about a victim."""
        self.session.confirmed.update((f.field, f.text) for f in findings)

    # -- 2. the key -----------------------------------------------------------------------

    def key_step(self) -> KeyStep:
        """What the key needs next (makes or unlocks it when the environment says how)."""
        if self._key is not None:
            return KeyReady(self._made)
        partner = self.session.partner
        info = keys.find_key(partner)
        if info is None:
            if self._env is None:
                return MakeKey(partner, keys.key_path(partner))
            return KeyReady(self.make_key(self._env))
        if not keys.key_needs_passphrase(info.private_path):
            self._key = keys.load_private_key(info.private_path, None)
            return KeyReady()
        if self._env is None:
            return UnlockKey(info)
        try:
            self.unlock(self._env)
        except keys.WrongPassphrase:
            raise EnvPassphraseError(
                f"the passphrase in {ENV_PASSPHRASE} does not unlock your key {info.private_path}"
            ) from None
        return KeyReady()

    def make_key(self, passphrase: bytes | None) -> NewKey:
        """Make the partner's key (``None`` or empty: no passphrase) and write its trust line."""
        info = keys.new_key(self.session.partner, passphrase=passphrase or None)
        line = keys.allowed_signers_line(info.partner, info.public_key)
        where = trust_line_file(info)
        atomic_write_text(where, line + "\n")
        self._key = keys.load_private_key(info.private_path, passphrase or None)
        self._made = NewKey(info, line, where)
        return self._made

    def unlock(self, passphrase: bytes) -> Ed25519PrivateKey:
        """Unlock the key (raises :class:`~dapreturn.core.signing.keys.WrongPassphrase` or
        :class:`~dapreturn.core.signing.keys.PassphraseRequired`)."""
        info = keys.find_key(self.session.partner)
        if info is None:
            raise DapreturnError(f"there is no signing key for {self.session.partner}")
        self._key = keys.load_private_key(info.private_path, passphrase)
        return self._key

    # -- 3. submit ------------------------------------------------------------------------

    def submit(self, *, now: datetime | None = None) -> Signed:
        """Sign, write, read back and verify; then set the draft aside.

        Raises :class:`~dapreturn.core.filling.submit.SubmitError` (problems remain, or the file
        could
        not be written or read back) or :class:`~dapreturn.core.filling.submit.PersonalDataError`
        (findings not confirmed).
        """
        if self._key is None:
            raise DapreturnError("the key is not unlocked yet")
        s = self.session
        result = submit_return(
            s.ret.model_copy(deep=True),
            s.plan,
            self._key,
            s.target.out_dir,
            previous=s.previous,
            personal_data_confirmed=not self.unconfirmed(),
            today=s.today,
            now=now,
        )
        kept = s.target.store.set_aside(s.key)
        return Signed(result.path, result.fingerprint, result.revision, kept, self._made)
