"""``dapreturn keys new --officer NAME``: a steering-group officer's signing key, and the
officer key a group command signs with."""

from __future__ import annotations

import argparse

from dapreturn.cli.common import ask_passphrase
from dapreturn.core.errors import DapreturnError
from dapreturn.core.signing.groupsig import OfficerSigner
from dapreturn.core.signing.keys import PassphraseRequired, key_needs_passphrase, load_private_key
from dapreturn.core.signing.officers import (
    OfficerKey,
    check_officer_name,
    find_officer_key,
    new_officer_key,
    officer_keys_dir,
    officer_signers_line,
    stored_officers,
)


def run_new_officer(args: argparse.Namespace) -> int:
    """Create an officer key and print the trust-list line for it."""
    name = check_officer_name(args.officer)
    existing = find_officer_key(name) if not args.force else None
    if existing is not None:
        raise DapreturnError(
            f"{existing.private_path}: a key for officer {name} already exists "
            f"({existing.fingerprint}); use --force to replace it"
        )
    passphrase = ask_passphrase("New passphrase: ", confirm=True) if args.passphrase else None
    info = new_officer_key(name, passphrase=passphrase, force=args.force)
    print("Created a new officer signing key.")
    print(f"officer:     {info.principal}")
    print(f"fingerprint: {info.fingerprint}")
    print(f"private key: {info.private_path}")
    print("Add this line to the steering group's trust list (allowed_signers):")
    print(officer_signers_line(name, info.public_key))
    return 0


def which_officer(name: str | None) -> OfficerKey:
    """The key of officer ``name``, or the only officer key on this computer."""
    if name is None:
        found = stored_officers()
        if len(found) != 1:
            hint = f"officer keys here: {', '.join(found)}" if found else "there are none yet"
            raise DapreturnError(
                f"say which officer signs with --officer ({hint}; create one with "
                "`dapreturn keys new --officer NAME`)"
            )
        name = found[0]
    info = find_officer_key(name)
    if info is None:
        raise DapreturnError(
            f"no key for officer {name} in {officer_keys_dir()}; create one with "
            f"`dapreturn keys new --officer {name}`"
        )
    return info


def officer_signer(name: str | None) -> OfficerSigner:
    """Unlock an officer's key (asking for its passphrase if it has one)."""
    info = which_officer(name)
    passphrase = None
    if key_needs_passphrase(info.private_path):
        passphrase = ask_passphrase(f"Passphrase for {info.principal}: ")
    try:
        key = load_private_key(info.private_path, passphrase)
    except PassphraseRequired as exc:
        raise DapreturnError(str(exc)) from None
    return OfficerSigner(info.principal, key)
