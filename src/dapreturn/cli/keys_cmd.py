"""``dapreturn keys new | show | export``: the partner's signing key."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dapreturn.cli.common import ask_passphrase
from dapreturn.core.config import load_config
from dapreturn.core.errors import DapreturnError
from dapreturn.core.paths import keys_dir
from dapreturn.core.signing.keys import (
    KeyInfo,
    allowed_signers_line,
    find_key,
    new_key,
    public_key_text,
)
from dapreturn.core.storage import atomic_write_text


def register(sub: Any) -> None:
    """Add the ``keys`` command group."""
    keys = sub.add_parser("keys", help="create and show your signing key")
    ksub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    k_new = ksub.add_parser("new", help="create a signing key for your organisation")
    who = k_new.add_mutually_exclusive_group(required=True)
    who.add_argument("--partner", metavar="CODE", help="your partner code, e.g. BSWA")
    who.add_argument(
        "--officer", metavar="NAME", help="a steering-group officer's key, e.g. jo.bloggs"
    )
    k_new.add_argument(
        "--passphrase", action="store_true", help="protect the key with a passphrase"
    )
    k_new.add_argument("--force", action="store_true", help="replace an existing key")
    k_new.set_defaults(handler=run_new)
    k_show = ksub.add_parser("show", help="show your key's fingerprint and the line to send")
    k_show.add_argument("--partner", metavar="CODE")
    k_show.set_defaults(handler=run_show)
    k_export = ksub.add_parser("export", help="write your public key file")
    k_export.add_argument("--partner", metavar="CODE")
    k_export.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write it (default: <PARTNER>_ed25519.pub here)",
    )
    k_export.set_defaults(handler=run_export)


def _which_key(partner: str | None) -> KeyInfo:
    """The key for ``partner``, the remembered partner, or the only key there is."""
    partner = partner or load_config().partner
    if partner:
        info = find_key(partner)
        if info is None:
            raise DapreturnError(
                f"no key for {partner} in {keys_dir()}; create one with "
                f"`dapreturn keys new --partner {partner}`"
            )
        return info
    found = sorted(p.name.removesuffix("_ed25519") for p in keys_dir().glob("*_ed25519"))
    if len(found) != 1:
        hint = f"keys here: {', '.join(found)}" if found else "there are no keys yet"
        raise DapreturnError(f"say which partner with --partner ({hint})")
    return _which_key(found[0])


def _print_key(info: KeyInfo) -> None:
    """Partner, fingerprint and the allowed_signers line."""
    print(f"partner:     {info.partner}")
    print(f"fingerprint: {info.fingerprint}")
    print(f"private key: {info.private_path}")
    print("Send this line to the steering group for their trust list (allowed_signers):")
    print(allowed_signers_line(info.partner, info.public_key))


def run_new(args: argparse.Namespace) -> int:
    """Create the key (asking for a passphrase twice when wanted)."""
    if args.officer is not None:
        from dapreturn.cli.officer_keys import run_new_officer

        return run_new_officer(args)
    existing = find_key(args.partner) if not args.force else None
    if existing is not None:
        raise DapreturnError(
            f"{existing.private_path}: a key for {args.partner} already exists "
            f"({existing.fingerprint}); use --force to replace it, then send the new "
            "allowed_signers line to the steering group"
        )
    passphrase = ask_passphrase("New passphrase: ", confirm=True) if args.passphrase else None
    info = new_key(args.partner, passphrase=passphrase, force=args.force)
    print("Created a new signing key.")
    _print_key(info)
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Show the key."""
    _print_key(_which_key(args.partner))
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the public key file."""
    info = _which_key(args.partner)
    out = args.output or Path(f"{info.partner}_ed25519.pub")
    atomic_write_text(out, public_key_text(info))
    print(f"wrote {out} ({info.fingerprint})")
    return 0
