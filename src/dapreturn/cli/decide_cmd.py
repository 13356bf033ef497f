"""``dapreturn decide FILE --accept|--query|--reject [--comment TEXT] [--on REF.FIELD TEXT]...``:
record one signed review decision on a return file, as the officer app does."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dapreturn.cli.common import choose_trust, load_chosen_trust
from dapreturn.cli.officer_keys import officer_signer
from dapreturn.core.collection.scan import RefusedError, read_limited
from dapreturn.core.cycle.decisions import DecisionWord, comment_target, write_decision
from dapreturn.core.errors import DapreturnError
from dapreturn.core.signing.files import verify_bytes

_WORDS: dict[str, DecisionWord] = {
    "accept": "accepted",
    "query": "query_raised",
    "reject": "not_accepted",
}


def register(sub: Any) -> None:
    """Add the ``decide`` command."""
    p = sub.add_parser(
        "decide",
        help="record a signed review decision on a return",
        description="Record a signed decision (accept, query, not accepted) on one return.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the return file")
    which = p.add_mutually_exclusive_group(required=True)
    for flag, word in _WORDS.items():
        which.add_argument(f"--{flag}", dest="decision", action="store_const", const=word)
    p.add_argument("--comment", default="", metavar="TEXT", help="overall comment")
    p.add_argument(
        "--on",
        nargs=2,
        action="append",
        default=[],
        metavar=("REF.FIELD", "TEXT"),
        help="a comment on one field (1a.action_taken, kpis.K3) or action (1a)",
    )
    p.add_argument("--folder", type=Path, metavar="DIR", help="the collection (default: FILE's)")
    p.add_argument("--officer", metavar="NAME", help="whose officer key signs the decision")
    p.add_argument("--trust", type=Path, metavar="FILE", help="allowed_signers trust list")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify the return, check the comment targets, sign and write the decision."""
    folder: Path = args.folder or args.file.parent
    try:
        data = read_limited(args.file)
    except RefusedError as exc:
        raise DapreturnError(f"{args.file}: {exc}") from None
    verdict = verify_bytes(
        data, load_chosen_trust(choose_trust(args.trust, folder)), source=str(args.file)
    )
    if args.decision == "accepted" and not verdict.ok:
        raise DapreturnError(f"{verdict.message}; only a verified return can be accepted")
    comments: dict[str, str] = {}
    for target, text in args.on:
        comments[comment_target(verdict.ret, target)] = text
    if args.decision != "accepted" and not (args.comment.strip() or comments):
        raise DapreturnError("say why with --comment or --on REF.FIELD TEXT")
    signer = officer_signer(args.officer)
    path = write_decision(
        folder,
        args.file.name,
        data,
        args.decision,
        signer,
        comment=args.comment,
        comments=comments,
    )
    print(f"{args.file.name}: {args.decision} by {signer.principal}; wrote {path}")
    return 0
