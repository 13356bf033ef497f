"""Trust on first use at the command line: verify a pack or feedback file against the keys this
partner accepted, asking once about the first steering-group key and refusing a different key
unless ``--accept-new-key`` was given and the partner types the confirmation."""

from __future__ import annotations

import sys
from pathlib import Path

from dapreturn.core.cycle.group_trust import KeyStanding, accept_key, group_trust, key_question
from dapreturn.core.errors import DapreturnError
from dapreturn.core.signing.groupsig import GroupVerdict, Kind, verify_group_file
from dapreturn.core.signing.trust import TrustList

FIRST_ANSWER = "yes"
"""What the partner types to accept the first steering-group key."""
NEW_KEY_ANSWER = "accept new key"
"""What the partner types to accept a key after the first (with ``--accept-new-key``)."""


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise DapreturnError("there is no terminal to ask on; run this command in a terminal")
    print(prompt, end="", flush=True)
    return sys.stdin.readline().strip().lower()


def verify_with_pins(
    path: Path, kind: Kind, *, accept_new_key: bool
) -> tuple[GroupVerdict, TrustList | None]:
    """Verify ``path`` against the pinned keys, asking about an unaccepted key as SSH does.

    Returns the verdict (re-checked after a key is accepted) and the trust it was checked with.
    """
    trust = group_trust()
    verdict = verify_group_file(path, kind, trust)
    question = key_question(verdict.state, verdict.signer, verdict.public_key)
    if question is None:
        return verdict, trust
    print(question.prompt(), file=sys.stderr)
    if question.standing is KeyStanding.FIRST:
        answer = _ask(f"Accept this key as the steering group's? Type {FIRST_ANSWER!r}: ")
        if answer != FIRST_ANSWER:
            return verdict, trust
    else:
        if not accept_new_key:
            print(
                "Refused. If the steering group told you of a new key, run again with "
                "--accept-new-key.",
                file=sys.stderr,
            )
            return verdict, trust
        answer = _ask(f"To accept this NEW key, type {NEW_KEY_ANSWER!r}: ")
        if answer != NEW_KEY_ANSWER:
            return verdict, trust
    pins = accept_key(question, new_key=question.standing is KeyStanding.CHANGED)
    print(f"Accepted {question.fingerprint} (kept in {pins}).", file=sys.stderr)
    trust = group_trust()
    return verify_group_file(path, kind, trust), trust
