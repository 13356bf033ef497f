"""``dapreturn review [DIR] [--trust FILE]``: start the officer app on a folder of returns.

The Textual app is imported only when the command runs. The folder defaults to the remembered
returns folder, else ``returns``; the trust list to ``--trust``, else the remembered one, else
``DIR/allowed_signers`` (which trusting a key in the app creates if it is missing). Plans are the
bundled ones and any given with ``--plan ID|FILE``; a plan file found in the folder is listed,
never used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dapreturn.cli.common import TRUST_FILE_NAME, choose_trust, default_out_dir
from dapreturn.core.errors import DapreturnError
from dapreturn.core.plan.model import resolve_plan


def register(sub: Any) -> None:
    """Add the ``review`` command."""
    p = sub.add_parser(
        "review",
        help="the officer app: verify a folder of returns, see who has not returned, decide",
        description="Review collected returns: inbox, dashboard, action history, KPIs, trust "
        "new keys, record decisions, export the report. Works offline; never changes a return.",
    )
    p.add_argument(
        "folder",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="folder of collected returns (default: remembered, else Documents/dapreturn-returns)",
    )
    p.add_argument(
        "--trust",
        type=Path,
        metavar="FILE",
        help="allowed_signers trust list (default: remembered, else DIR/allowed_signers)",
    )
    p.add_argument(
        "--plan",
        action="append",
        default=[],
        metavar="ID|FILE",
        help="a plan that is not bundled (a plan file); may be given more than once",
    )
    p.set_defaults(handler=run)


def resolve(args: argparse.Namespace) -> tuple[Path, Path]:
    """The folder and trust list the app will use; a folder that is not there is an error."""
    folder: Path = args.folder if args.folder is not None else default_out_dir()
    if not folder.is_dir():
        raise DapreturnError(
            f"{folder}: no such folder of returns (give one: dapreturn review DIR)"
        )
    choice = choose_trust(args.trust, folder)
    note = choice.warning()
    if note:
        print(note, file=sys.stderr)
    return folder, choice.path or folder / TRUST_FILE_NAME


def run(args: argparse.Namespace) -> int:
    """Run the officer app; return its exit status."""
    folder, trust = resolve(args)
    plans = {plan.id: plan for plan in map(resolve_plan, args.plan)}
    from dapreturn.tui.officer.app import ReviewApp

    app = ReviewApp(folder, trust_file=trust, plans=plans)
    app.run()
    return app.return_code or 0
