"""``dapreturn fill`` (and plain ``dapreturn``): start the partner app.

The Textual app is imported only here, when the command runs, so other commands start fast
and work where no terminal UI is possible.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``fill`` takes (each pre-fills or skips a first-run question)."""
    parser.add_argument("--plan", metavar="ID|FILE", help="bundled plan id or a plan file")
    parser.add_argument("--partner", metavar="CODE", help="your organisation's code, e.g. BSWA")
    parser.add_argument("--period", metavar="P", help='reporting period, e.g. "2018/19 Q3"')
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder for signed returns (default: remembered, else Documents/dapreturn-returns)",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="plain line-by-line questions for screen readers and basic terminals "
        "(no full-screen drawing; answers can be scripted on standard input)",
    )


def register(sub: Any) -> None:
    """Add the ``fill`` command."""
    parser = sub.add_parser(
        "fill",
        help="fill in and sign a quarterly return (the default command)",
        description="Fill in, autosave and sign your quarterly return. Works offline.",
    )
    add_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the partner app with the command-line answers; return the exit status."""
    if getattr(args, "plain", False):
        from dapreturn.plain import run_plain

        return run_plain(args)
    from dapreturn.tui.partner.app import LaunchOptions, PartnerApp

    options = LaunchOptions(
        plan=getattr(args, "plan", None),
        partner=getattr(args, "partner", None),
        period=getattr(args, "period", None),
        out_dir=getattr(args, "out", None),
    )
    app = PartnerApp(options)
    try:
        app.run()
    finally:
        # The app saves on quit; this catches any other way out (a crash, a signal).
        state = app.autosaver.flush() if app.autosaver is not None else None
        if state is not None and not state.ok:
            print(f"dapreturn: {state.detail}", file=sys.stderr)
    return app.return_code or 0


def run_default(args: argparse.Namespace) -> int:
    """``dapreturn`` with no command: the partner app with remembered answers."""
    return run(args)
