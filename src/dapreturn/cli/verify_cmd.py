"""``dapreturn verify FILE... [--trust FILE] [--export]``: check signed returns."""

from __future__ import annotations

import argparse
from datetime import UTC
from pathlib import Path
from typing import Any

from dapreturn.cli.common import choose_trust, load_chosen_trust
from dapreturn.core.collection import printable
from dapreturn.core.signing import NAMESPACE, export_for_openssh, verify_file
from dapreturn.core.trust import TrustList


def register(sub: Any) -> None:
    """Add the ``verify`` command."""
    p = sub.add_parser("verify", help="verify signed returns against the trust list")
    p.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="return files (a folder means every .toml file in it)",
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


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders replaced by the .toml files directly inside them."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.glob("*.toml") if p.is_file() and not p.is_symlink()))
        else:
            out.append(path)
    return out


def run(args: argparse.Namespace) -> int:
    """One line per file; exit 0 only when every file verified."""
    files = _expand(args.files)
    all_ok = bool(files)
    loaded: dict[Path | None, TrustList | None] = {}
    for path in files:
        choice = choose_trust(args.trust, path.parent)
        if choice.path not in loaded:
            loaded[choice.path] = load_chosen_trust(choice)
        verdict = verify_file(path, loaded[choice.path])
        all_ok = all_ok and verdict.ok
        print(printable(verdict.message))
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
    if not files:
        print("no return files given")
    return 0 if all_ok else 1
