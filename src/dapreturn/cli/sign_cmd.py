"""``dapreturn sign DRAFT.toml``: sign a draft written by hand or by other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dapreturn.cli.common import ask_passphrase, default_out_dir
from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling.submit import PersonalDataError, SubmitError, submit_return
from dapreturn.core.plan.model import Plan, bundled_plan, resolve_plan
from dapreturn.core.returns.model import Return
from dapreturn.core.returns.tomlio import MAX_RETURN_BYTES, decode_utf8, parse_return
from dapreturn.core.signing.keys import (
    PassphraseRequired,
    find_key,
    key_needs_passphrase,
    load_private_key,
)
from dapreturn.core.signing.table import split_signed

CONFIRM_FLAG = "--confirm-personal-data"
"""The flag that confirms reviewed safeguarding findings."""


def register(sub: Any) -> None:
    """Add the ``sign`` command."""
    p = sub.add_parser("sign", help="sign a draft return and write the signed file")
    p.add_argument("draft", type=Path, metavar="DRAFT.toml")
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: remembered, else Documents/dapreturn-returns)",
    )
    p.add_argument("--key", type=Path, metavar="FILE", help="private key (default: your key)")
    p.add_argument("--plan", metavar="ID|FILE", help="plan to check against (default: the draft's)")
    p.add_argument(
        CONFIRM_FLAG,
        dest="confirm_personal_data",
        action="store_true",
        help="sign although the safeguarding check found possible personal data",
    )
    p.set_defaults(handler=run)


def _read_draft(path: Path) -> Return:
    """Read a draft; a signed file is refused (sign the draft, not an already-signed return)."""
    try:
        if path.stat().st_size > MAX_RETURN_BYTES:
            raise DapreturnError(f"{path}: too large to be a return")
        raw = path.read_bytes()
    except OSError as exc:
        raise DapreturnError(f"{path}: cannot read: {exc.strerror or exc}") from None
    _body, table = split_signed(raw)
    if table is not None:
        raise DapreturnError(f"{path}: is already signed; edit the draft and sign that instead")
    return parse_return(decode_utf8(raw, source=str(path)), source=str(path))


def _plan_for(ret: Return, explicit: str | None) -> Plan:
    """The plan named on the command line, else the bundled plan the draft names."""
    plan = resolve_plan(explicit) if explicit else bundled_plan(ret.plan)
    if plan.id != ret.plan:
        raise DapreturnError(
            f"the draft is for plan {ret.plan!r} but the plan given is {plan.id!r}"
        )
    return plan


def run(args: argparse.Namespace) -> int:
    """Validate, sign, write, read back and verify; print where the file went."""
    ret = _read_draft(args.draft)
    plan = _plan_for(ret, args.plan)
    key_file = args.key
    if key_file is None:
        info = find_key(ret.partner)
        if info is None:
            raise DapreturnError(
                f"no key for {ret.partner}; create one with "
                f"`dapreturn keys new --partner {ret.partner}`"
            )
        key_file = info.private_path
    passphrase = None
    if key_needs_passphrase(key_file):
        passphrase = ask_passphrase(f"Passphrase for {key_file}: ")
    try:
        key = load_private_key(key_file, passphrase)
    except PassphraseRequired:
        key = load_private_key(key_file, ask_passphrase(f"Passphrase for {key_file}: "))
    out_dir = args.out or default_out_dir()
    try:
        result = submit_return(
            ret,
            plan,
            key,
            out_dir,
            revision=ret.revision,
            personal_data_confirmed=args.confirm_personal_data,
        )
    except SubmitError as exc:
        for problem in exc.problems:
            print(f"{args.draft}: {problem}", file=sys.stderr)
        raise
    except PersonalDataError as exc:
        print(
            "The safeguarding check found possible personal data. A return must never "
            "identify a victim:",
            file=sys.stderr,
        )
        for finding in exc.findings:
            print(f"  {finding.message}", file=sys.stderr)
        print(
            f"Edit the draft, or if each is safe to send, sign again with {CONFIRM_FLAG}.",
            file=sys.stderr,
        )
        return 3
    print(f"signed and verified: {result.path}")
    print(f"revision {result.revision}, key {result.fingerprint}")
    return 0
