"""``dapreturn verify FILE... [--trust FILE] [--export]``: check signed returns.

Files are read and checked exactly as the loader reads and checks them
(:func:`~dapreturn.core.signing.files.verify_bytes`, which also reads a verified body as a return),
so
a file this command calls verified is one the officer side counts: a symbolic link is refused,
a folder is walked the loader's way (subfolders too, no link followed), and the review ledger
and plan files the product keeps beside returns are skipped, not failures.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from dapreturn.cli.common import choose_trust, load_chosen_trust
from dapreturn.core.collection.scan import (
    LEDGER_NAME,
    Folder,
    RefusedError,
    is_plan_bytes,
    printable,
    read_limited,
)
from dapreturn.core.signing.files import NAMESPACE, export_for_openssh, verify_bytes
from dapreturn.core.signing.own_key import explain, own_key_for
from dapreturn.core.signing.trust import TrustList


def register(sub: Any) -> None:
    """Add the ``verify`` command."""
    p = sub.add_parser("verify", help="verify signed returns against the trust list")
    p.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="return files (a folder means every .toml file in it and its subfolders)",
    )
    p.add_argument(
        "--trust",
        type=Path,
        metavar="FILE",
        help="allowed_signers trust list (default: remembered, or allowed_signers "
        "beside the files)",
    )
    p.add_argument(
        "--export",
        action="store_true",
        help="also write FILE.body and FILE.sig for checking with ssh-keygen",
    )
    p.set_defaults(handler=run)


Item = tuple[Path, Path, bytes | RefusedError]
"""(file, the folder whose trust list applies, its bytes or why it is not read)."""


def _items(paths: list[Path]) -> Iterator[Item]:
    """Each file as given, read as the loader reads one; a folder walked as the loader walks it."""
    for path in paths:
        if not path.is_dir():
            try:
                yield path, path.parent, read_limited(path)
            except RefusedError as exc:
                yield path, path.parent, exc
            continue
        try:
            folder = Folder(path)
        except OSError as exc:
            yield path, path, RefusedError(f"cannot read folder: {exc.strerror or exc}")
            continue
        with folder:
            for job in folder.walk():
                try:
                    yield job.path, path, folder.read(job)
                except RefusedError as exc:
                    yield job.path, path, exc


def _skipped(path: Path, data: bytes) -> str | None:
    """Why a file the product keeps beside returns is not a return to verify, or ``None``."""
    if path.name == LEDGER_NAME:
        return "the review ledger, not a return"
    if is_plan_bytes(data):
        return "a plan file, not a return"
    return None


def run(args: argparse.Namespace) -> int:
    """One line per file; exit 0 only when every return verified (and there was one)."""
    checked, all_ok = 0, True
    loaded: dict[Path | None, TrustList | None] = {}
    for path, where, data in _items(args.files):
        if isinstance(data, RefusedError):
            all_ok = False
            print(printable(f"{path}: not a return / invalid: {data}"))
            continue
        skipped = _skipped(path, data)
        if skipped:
            print(printable(f"{path}: skipped: {skipped}"))
            continue
        choice = choose_trust(args.trust, where)
        if choice.path not in loaded:
            loaded[choice.path] = load_chosen_trust(choice)
        verdict = verify_bytes(data, loaded[choice.path], source=str(path))
        checked += 1
        all_ok = all_ok and verdict.ok
        print(printable(verdict.message))
        own = own_key_for(verdict)
        if own is not None:
            trust_name = str(choice.path) if choice.path is not None else None
            for line in explain(own, verdict, trust_name):
                print(printable(f"  {line}"))
        if args.export and verdict.body is not None and verdict.partner:
            body_path, sig_path = export_for_openssh(path)
            print(f"  wrote {body_path} and {sig_path}; check with:")
            when = (
                f"-Overify-time={verdict.signed_at.astimezone(UTC):%Y%m%d%H%M%S}Z "
                if verdict.signed_at is not None
                else ""
            )
            print(
                f"  ssh-keygen -Y verify -f allowed_signers -I {verdict.partner} "
                f"-n {NAMESPACE} {when}-s {sig_path} < {body_path}"
            )
    if not checked:
        print("no return files given")
    return 0 if all_ok and checked else 1
