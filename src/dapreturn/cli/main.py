"""Argument parsing and dispatch for ``dapreturn``; every user error becomes one clear line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from dapreturn import __version__
from dapreturn.cli import (
    fill_cmd,
    keys_cmd,
    plan_cmd,
    report_cmd,
    review_cmd,
    schema_cmd,
    sign_cmd,
    verify_cmd,
)
from dapreturn.core.errors import DapreturnError

Handler = Callable[[argparse.Namespace], int]
"""A command's entry point: parsed arguments in, exit status out."""

_GROUPS = (
    fill_cmd,
    review_cmd,
    verify_cmd,
    sign_cmd,
    report_cmd,
    keys_cmd,
    plan_cmd,
    schema_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every command group registered."""
    parser = argparse.ArgumentParser(
        prog="dapreturn",
        description="Signed quarterly progress returns for a multi-agency action plan. "
        "Works fully offline.",
    )
    parser.add_argument("--version", action="version", version=f"dapreturn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", None) or fill_cmd.run_default
    try:
        return handler(args)
    except DapreturnError as exc:
        print(f"dapreturn: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dapreturn: interrupted", file=sys.stderr)
        return 130
