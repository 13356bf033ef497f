"""Argument parsing and dispatch for ``dapreturn``; every user error becomes one clear line."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from dapreturn.core.errors import DapreturnError

Handler = Callable[[argparse.Namespace], int]
"""A command's entry point: parsed arguments in, exit status out."""

_GROUPS = {
    "fill": "fill_cmd",
    "review": "review_cmd",
    "verify": "verify_cmd",
    "sign": "sign_cmd",
    "report": "report_cmd",
    "chase": "chase_cmd",
    "show": "show_cmd",
    "call": "call_cmd",
    "decide": "decide_cmd",
    "feedback": "feedback_cmd",
    "keys": "keys_cmd",
    "plan": "plan_cmd",
    "schema": "schema_cmd",
}
"""Command name -> module in :mod:`dapreturn.cli`, in the order ``--help`` lists them."""


def _group(name: str) -> ModuleType:
    """Import one command module (only the one being run, so start-up stays quick)."""
    return importlib.import_module(f"dapreturn.cli.{_GROUPS[name]}")


def _command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (``fill`` when none), or ``None`` when all are needed.

    All commands are registered for ``--help`` before any command and for a word that is not a
    command, so that argparse lists them and its messages are unchanged.
    """
    for arg in argv:
        if arg in ("-h", "--help"):
            return None
        if not arg.startswith("-"):
            return arg if arg in _GROUPS else None
    return "fill"


_VERSION_HELP = "show program's version number and exit"


class _Version(argparse.Action):
    """``--version``: the version is looked up only when it is asked for (it reads metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        """A flag that takes no value."""
        super().__init__(option_strings, dest, nargs=0, help=_VERSION_HELP)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        """Print ``dapreturn <version>`` and exit."""
        from dapreturn import __version__

        print(f"dapreturn {__version__}")
        parser.exit()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command group registered (or only the command ``only``)."""
    parser = argparse.ArgumentParser(
        prog="dapreturn",
        description="Signed quarterly progress returns for a multi-agency action plan. "
        "Works fully offline.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="with --version: every installed package with its version and wheel SHA-256, "
        "checked against the offline bundle it came from",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [only] if only is not None else _GROUPS:
        _group(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv and "--verbose" in argv:  # argparse would stop at --version
        from dapreturn.cli.about import report

        try:
            text, status = report()
        except DapreturnError as exc:
            print(f"dapreturn: {exc}", file=sys.stderr)
            return 2
        print(text)
        return status
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    if args.verbose:
        parser.error("--verbose goes with --version: dapreturn --version --verbose")
    handler: Handler = getattr(args, "handler", None) or _group("fill").run_default
    try:
        return handler(args)
    except DapreturnError as exc:
        print(f"dapreturn: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dapreturn: interrupted", file=sys.stderr)
        return 130
