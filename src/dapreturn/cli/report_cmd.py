"""``dapreturn report DIR --period P``: the consolidated progress report from a folder of returns.

- Trust list: ``--trust FILE``, else the config's ``trust_file``, else ``DIR/allowed_signers``;
  with none of these the command refuses (nothing can be verified, so nothing would count).
- Plan: ``--plan ID|FILE``, else the only plan the folder's verified returns are for, else the
  bundled default plan.
- Format: ``--format``, else the ``-o`` file's extension, else Markdown.
- Output: ``-o FILE``; without it Markdown and CSV go to standard output, while HTML and xlsx
  are written to ``report-<plan>-<period slug>.<ext>`` in the current folder.

A one-line summary (returns counted, not returned, overdue, files not counted) goes to
standard error. The folder is only read; the report is written atomically.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dapreturn.cli.common import TRUST_FILE_NAME, choose_trust, load_chosen_trust
from dapreturn.core.collection import Collection, load_collection
from dapreturn.core.errors import DapreturnError
from dapreturn.core.ledger import load_ledger
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan import DEFAULT_PLAN_ID, Plan, bundled_plan, resolve_plan
from dapreturn.core.report import FORMATS, Format, build_report, render
from dapreturn.core.storage import atomic_write_bytes
from dapreturn.core.trust import TrustList
from dapreturn.core.vcache import VerificationCache

_SUFFIXES: dict[str, Format] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".xlsx": "xlsx",
}

_BY_NAME: dict[str, Format] = {f: f for f in FORMATS}


class ReportError(DapreturnError):
    """The report cannot be produced as asked (no trust list, unclear plan, bad output)."""


def register(sub: Any) -> None:
    """Add the ``report`` command."""
    p = sub.add_parser(
        "report",
        help="the consolidated progress report for a period",
        description="Verify every return in DIR and write the progress report for one period. "
        "Only verified returns count; every other file is listed with its reason.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="folder of collected return files")
    p.add_argument(
        "--period", required=True, metavar="P", help='reporting period, e.g. "2018/19 Q3"'
    )
    p.add_argument("--plan", metavar="ID|FILE", help="plan id or plan file (default: see docs)")
    p.add_argument(
        "--format", choices=FORMATS, help="md, html, csv or xlsx (default from -o, else md)"
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report here")
    p.add_argument("--trust", type=Path, metavar="FILE", help="allowed_signers trust list")
    p.set_defaults(handler=run)


def resolve_trust(folder: Path, given: Path | None) -> TrustList:
    """The trust list (see :func:`dapreturn.cli.common.choose_trust`); none at all is an error."""
    trust = load_chosen_trust(choose_trust(given, folder))
    if trust is None:
        raise ReportError(
            f"no trust list: give --trust FILE (the steering group's allowed_signers; it is "
            f"remembered), or put {TRUST_FILE_NAME} in {folder}; without one no return can "
            "be verified"
        )
    return trust


def choose_plan(collection: Collection, explicit: Plan | None) -> tuple[Plan, str | None]:
    """The plan to report on, and a note for the user when the choice needs explaining."""
    if explicit is not None:
        return explicit, None
    ids = collection.plan_ids()
    if len(ids) == 1:
        if ids[0] not in collection.plans:
            raise ReportError(
                f"returns are for plan {ids[0]!r}, which is not known: use --plan FILE"
            )
        return collection.plans[ids[0]], None
    if len(ids) > 1 and DEFAULT_PLAN_ID not in ids:
        raise ReportError(f"returns for several plans ({', '.join(ids)}): choose one with --plan")
    note = f"returns for several plans ({', '.join(ids)}); reporting on {DEFAULT_PLAN_ID}"
    return bundled_plan(DEFAULT_PLAN_ID), note if len(ids) > 1 else None


def output_format(fmt: str | None, output: Path | None) -> Format:
    """The format asked for, else the one the output file's extension names, else Markdown."""
    if fmt is not None:
        return _BY_NAME[fmt]
    if output is not None:
        return _SUFFIXES.get(output.suffix.lower(), "md")
    return "md"


def default_output(plan: Plan, period: Period, fmt: Format) -> Path:
    """``report-<plan>-<period slug>.<ext>`` in the current folder."""
    return Path(f"report-{plan.id}-{period.slug}.{fmt}")


def run(args: argparse.Namespace) -> int:
    """Load, verify, build and write the report; print the summary line to standard error."""
    folder: Path = args.folder
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a folder")
    if args.output is not None and args.output.suffix.lower() == ".toml":
        raise ReportError(
            f"{args.output}: a report must not be a .toml file (it would look like a return)"
        )
    period = Period.parse(args.period)
    explicit = resolve_plan(args.plan) if args.plan else None
    trust = resolve_trust(folder, args.trust)
    given = {explicit.id: explicit} if explicit else None
    with VerificationCache() as cache:  # files checked before are not verified again
        collection = load_collection(folder, trust, plans=given, cache=cache)
    for text in collection.notes:
        print(f"dapreturn report: note: {text}", file=sys.stderr)
    plan, note = choose_plan(collection, explicit)
    periods = periods_between(plan.start, plan.end)
    if period not in periods:
        raise ReportError(f"{period} is outside plan {plan.id} ({periods[0]} - {periods[-1]})")
    ledger = load_ledger(folder)
    for problem in ([ledger.error] if ledger.error else []) + ledger.problems:
        print(f"dapreturn report: warning: {problem}", file=sys.stderr)
    report = build_report(collection, plan, period, ledger=ledger)
    fmt = output_format(args.format, args.output)
    data = render(report, fmt)
    target: Path | None = args.output
    if target is None and fmt in ("html", "xlsx"):
        target = default_output(plan, period, fmt)
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        where = "standard output"
    else:
        atomic_write_bytes(target, data)
        where = str(target)
    if note:
        print(f"dapreturn report: note: {note}", file=sys.stderr)
    print(
        f"dapreturn report: {report.summary()}; trust list {trust.source}; wrote {where}",
        file=sys.stderr,
    )
    return 0
