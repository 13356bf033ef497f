"""``dapreturn feedback DIR --period P [-o DIR]``: one signed feedback file per partner, from
the verified decisions on each partner's current return for the period."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dapreturn.cli.common import choose_trust, load_chosen_trust
from dapreturn.cli.officer_keys import officer_signer
from dapreturn.core.collection.load import load_collection
from dapreturn.core.cycle.decisions import load_decisions
from dapreturn.core.cycle.feedback import build_feedback, feedback_name
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period
from dapreturn.core.storage import atomic_write_bytes


def register(sub: Any) -> None:
    """Add the ``feedback`` command."""
    p = sub.add_parser(
        "feedback",
        help="write signed feedback for each partner from the review decisions",
        description="Write one signed feedback file per partner with a decided return.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="folder of collected return files")
    p.add_argument("--period", required=True, metavar="P", help='e.g. "2018/19 Q3"')
    p.add_argument("--officer", metavar="NAME", help="whose officer key signs the feedback")
    p.add_argument("--trust", type=Path, metavar="FILE", help="allowed_signers trust list")
    p.add_argument(
        "-o", "--out", type=Path, metavar="DIR", help="where to write (default feedback)"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the feedback files; print one line per partner and every refused decision."""
    period = Period.parse(args.period)
    trust = load_chosen_trust(choose_trust(args.trust, args.folder))
    if trust is None:
        raise DapreturnError("no trust list: give the steering group's with --trust FILE")
    collection = load_collection(args.folder, trust)
    decisions = load_decisions(args.folder, trust)
    for problem in decisions.problems:
        print(f"not used: {problem}", file=sys.stderr)
    out: Path = args.out or Path("feedback")
    if out.resolve() == Path(args.folder).resolve():
        raise DapreturnError(f"{out}: write feedback somewhere other than the returns folder")
    signer = officer_signer(args.officer)
    written = 0
    for plan_id in collection.plan_ids():
        for partner, record in sorted(collection.current_records(plan_id, period).items()):
            decision = decisions.for_file(record.sha256 or "", record.path.name)
            if decision is None:
                print(f"{partner:<12} {record.rel}: no decision yet")
                continue
            fb, data = build_feedback(
                decision,
                plan=plan_id,
                period=str(period),
                partner=partner,
                revision=record.revision or 1,
                signer=signer,
            )
            path = out / feedback_name(fb)
            out.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data, exclusive=True)
            written += 1
            print(f"{partner:<12} {record.rel}: {fb.decision}; wrote {path}")
    print(f"{written} feedback file(s) for {period}, signed by {signer.principal}")
    return 0
