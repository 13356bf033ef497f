"""A partner's trust in the steering group's keys: confirmed once, on first use, as SSH does.

The first pack a partner opens shows its key's fingerprint; once confirmed, the key is pinned in
``<home>/steering-group/allowed_signers``, and packs and feedback signed by any other key are
refused until the partner accepts it explicitly (:func:`accept_key` with ``new_key=True``). The
same folder remembers the newest pack and feedback opened (``packs-seen.toml``) to refuse replays.
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import tomli_w
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dapreturn.core import paths
from dapreturn.core.errors import DapreturnError, TrustListError
from dapreturn.core.signing.groupsig import State
from dapreturn.core.signing.officers import CALL_NAMESPACE, FEEDBACK_NAMESPACE, is_officer_principal
from dapreturn.core.signing.sshsig import blob_fingerprint, fingerprint, public_key_line
from dapreturn.core.signing.trust import TrustList, append_signer, load_trust
from dapreturn.core.storage import atomic_write_text

__all__ = [
    "KeyQuestion",
    "KeyStanding",
    "accept_key",
    "group_trust",
    "key_question",
    "newest_seen",
    "pins_path",
    "record_seen",
    "seen_path",
]


def pins_path() -> Path:
    """The partner's pinned steering-group keys (allowed_signers)."""
    return paths.group_dir() / "allowed_signers"


def seen_path() -> Path:
    """The newest pack opened per plan, period and partner."""
    return paths.group_dir() / "packs-seen.toml"


def group_trust() -> TrustList | None:
    """The pinned keys as a trust list, or ``None`` before the first key is accepted."""
    if not pins_path().is_file():
        return None
    trust = load_trust(pins_path())
    return trust if trust.entries else None


class KeyStanding(enum.Enum):
    """Where a file's signing key stands with this partner."""

    PINNED = "accepted before"
    FIRST = "first steering-group key: confirm it once"
    CHANGED = "NOT the steering-group key you accepted before"


@dataclass(frozen=True)
class KeyQuestion:
    """What to ask the partner about a signing key they have not accepted."""

    standing: KeyStanding
    principal: str
    fingerprint: str
    public_key: Ed25519PublicKey
    known: tuple[str, ...]
    """Fingerprints already accepted (empty on first use)."""

    def prompt(self) -> str:
        """The text to show before asking (several lines, plain text)."""
        if self.standing is KeyStanding.FIRST:
            return (
                f"This is the first file from the steering group on this computer.\n"
                f"It is signed by {self.principal} with key\n    {self.fingerprint}\n"
                "Check this fingerprint with the steering group (by phone or in person) "
                "before you accept it."
            )
        return (
            "WARNING: THIS FILE IS SIGNED BY A KEY YOU HAVE NOT ACCEPTED.\n"
            f"It is signed by {self.principal} with key\n    {self.fingerprint}\n"
            f"The steering-group keys you accepted are:\n"
            + "".join(f"    {k}\n" for k in self.known)
            + "Someone may be pretending to be the steering group. Accept this key only if "
            "the steering group told you (not by this e-mail) that they have a new key."
        )


def key_question(
    verdict_state: State, principal: str | None, public_key: Ed25519PublicKey | None
) -> KeyQuestion | None:
    """The question to ask for a file whose signature is intact but whose key is not pinned
    (``None`` when there is nothing to ask: pinned, or the file is broken anyway)."""
    if principal is None or public_key is None:
        return None
    if verdict_state not in (State.NO_TRUST, State.UNKNOWN_KEY):
        return None
    trust = group_trust()
    known = (
        tuple(dict.fromkeys(blob_fingerprint(e.key_blob) for e in trust.entries)) if trust else ()
    )
    standing = KeyStanding.CHANGED if known else KeyStanding.FIRST
    return KeyQuestion(standing, principal, fingerprint(public_key), public_key, known)


def accept_key(question: KeyQuestion, *, new_key: bool = False) -> Path:
    """Pin the key the question is about; return the pins file.

    A key after the first is only pinned with ``new_key=True`` (the explicit choice).
    """
    if question.standing is KeyStanding.CHANGED and not new_key:
        raise DapreturnError(
            f"{question.fingerprint} is not the steering-group key you accepted before; "
            "accepting a new key must be asked for explicitly"
        )
    if not is_officer_principal(question.principal):
        raise DapreturnError(f"{question.principal!r} is not an officer principal")
    namespaces = f"{CALL_NAMESPACE},{FEEDBACK_NAMESPACE}"
    line = f'{question.principal} namespaces="{namespaces}" {public_key_line(question.public_key)}'
    paths.ensure_dir(paths.group_dir())
    try:
        append_signer(pins_path(), line)
    except TrustListError as exc:
        raise DapreturnError(str(exc)) from exc
    return pins_path()


def _seen() -> dict[str, datetime]:
    try:
        data = tomllib.loads(seen_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DapreturnError(f"{seen_path()}: cannot read: {exc}") from None
    table = data.get("newest", {})
    return (
        {k: v for k, v in table.items() if isinstance(v, datetime)}
        if isinstance(table, dict)
        else {}
    )


def _key(what: str, plan: str, period: str, partner: str) -> str:
    return f"{what} {plan} {period} {partner}"


def newest_seen(what: str, plan: str, period: str, partner: str) -> datetime | None:
    """When the newest ``what`` (``call``, ``feedback``) opened for this plan, period and
    partner was issued."""
    return _seen().get(_key(what, plan, period, partner))


def record_seen(what: str, plan: str, period: str, partner: str, issued_at: datetime) -> None:
    """Remember a file as opened (only if it is newer than the one remembered)."""
    seen = _seen()
    key = _key(what, plan, period, partner)
    if key in seen and seen[key] >= issued_at:
        return
    seen[key] = issued_at
    paths.ensure_dir(paths.group_dir())
    atomic_write_text(seen_path(), tomli_w.dumps({"newest": dict(sorted(seen.items()))}))
