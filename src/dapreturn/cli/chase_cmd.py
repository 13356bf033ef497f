"""``dapreturn chase DIR --period P``: who to chase for a period, with one e-mail each.

Lists the lead partners with no counted return and those with an open query, and writes one
``.eml`` draft per partner into ``--out DIR`` (default ``chase-<plan>-<period slug>``). Trust
list and plan are chosen as for ``dapreturn report``; the returns folder is only read.
"""

from __future__ import annotations

import argparse
from email.policy import SMTP
from pathlib import Path
from typing import Any

from dapreturn.cli.report_cmd import ReportError, load_report, write_stdout
from dapreturn.core.report.chase import chase_list, file_name, message
from dapreturn.core.storage import atomic_write_bytes


def register(sub: Any) -> None:
    """Add the ``chase`` command."""
    p = sub.add_parser(
        "chase",
        help="who has not returned or has an open query, with an e-mail to each",
        description="List who to chase for a period and write one .eml e-mail per partner.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="folder of collected return files")
    p.add_argument("--period", required=True, metavar="P", help='e.g. "2018/19 Q3"')
    p.add_argument("--plan", metavar="ID|FILE", help="plan id or plan file (as for report)")
    p.add_argument("--trust", type=Path, metavar="FILE", help="allowed_signers trust list")
    p.add_argument("--out", type=Path, metavar="DIR", help="where to write the .eml files")
    p.add_argument(
        "--from",
        dest="sender",
        default="",
        metavar="ADDRESS",
        help="the From line (default: none; your mail program fills it)",
    )
    p.add_argument("--signature", default="", metavar="TEXT", help="how the e-mails are signed")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the chase list, write the e-mails, print one line per partner."""
    loaded = load_report(args, "chase")
    report = loaded.report
    out: Path = args.out or Path(f"chase-{report.plan_id}-{report.period.replace('/', '-')}")
    out = Path(str(out).replace(" ", "-")) if args.out is None else out
    if out.resolve() == args.folder.resolve():
        raise ReportError(f"{out}: write the e-mails somewhere other than the returns folder")
    items = chase_list(report, loaded.plan)
    lines = []
    for c in items:
        path = out / file_name(c, report)
        msg = message(c, report, sender=args.sender, signature=args.signature)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, msg.as_bytes(policy=SMTP))
        to = (
            f"to {c.contact_name or c.name} <{c.email}>"
            if c.email
            else ("no e-mail address in the plan's partner registry (add contact_email)")
        )
        why = f"leads {', '.join(c.leads)}" if c.query is None else f"query on {c.query.file}"
        lines.append(f"{c.partner:<12} {c.reason}: {why}; {to}; wrote {path}")
    if not items:
        lines.append(f"{report.plan_id} {report.period}: nobody to chase")
    write_stdout("".join(f"{line}\n" for line in lines).encode("utf-8"))
    return 0
