"""``dapreturn report DIR --period P``: the consolidated progress report from a folder of returns.

Trust list: ``--trust``, the config's ``trust_file``, else ``DIR/allowed_signers`` (none: refused).
Plan: ``--plan``, else the only plan the verified returns are for, else the bundled default.
Format: ``--format``, else the ``-o`` extension (a conflicting one is refused), else Markdown.
Without ``-o``, Markdown and CSV go to standard output and HTML, xlsx and docx to
``report-<plan>-<period slug>.<ext>``. The folder is only read; the report is written atomically.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dapreturn.cli.common import TRUST_FILE_NAME, choose_trust, load_chosen_trust, reader_gone
from dapreturn.core.collection.ledger import load_ledger
from dapreturn.core.collection.load import Collection, load_collection
from dapreturn.core.errors import DapreturnError
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan.model import DEFAULT_PLAN_ID, Plan, bundled_plan, resolve_plan
from dapreturn.core.report import FORMATS, Format, Report, build_report, render
from dapreturn.core.signing.trust import TrustList
from dapreturn.core.storage import atomic_write_bytes

_SUFFIXES: dict[str, Format] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".docx": "docx",
}

_BINARY: tuple[Format, ...] = ("html", "xlsx", "docx")
"""Formats written to a file rather than the terminal when no ``-o`` is given."""

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
        "--format", choices=FORMATS, help="md, html, csv, xlsx or docx (default from -o, else md)"
    )
    p.add_argument(
        "--only-updated",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="leave out actions with no update this period (default: on for the board pack "
        "formats md, html, xlsx and docx; off for csv, the full record)",
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


def output_format(fmt: str | None, output: Path | None) -> tuple[Format, str | None]:
    """The format asked for, else the one the output file's extension names, else Markdown;
    with a note when the extension names no format. An extension naming another format than
    ``--format`` is refused (a file called ``.docx`` holding Markdown helps nobody)."""
    named = _SUFFIXES.get(output.suffix.lower()) if output is not None else None
    if fmt is not None and named is not None and named != fmt:
        raise ReportError(
            f"{output}: the name says {named} but --format says {fmt}; make them agree "
            f"(name the file .{fmt}, or leave out --format)"
        )
    chosen = _BY_NAME[fmt] if fmt is not None else named or "md"
    if output is not None and named is None:
        return (
            chosen,
            f"{output.name}: {output.suffix or 'no extension'} names no report "
            f"format; writing {chosen} (--format chooses)",
        )
    return chosen, None


def write_stdout(data: bytes) -> bool:
    """Write ``data`` to standard output; ``False`` when the reader closed the pipe (then
    standard output is pointed at the null device so the exit flush cannot fail either)."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        reader_gone()
        return False
    return True


@dataclass(frozen=True)
class Loaded:
    """The report of a folder for one plan and period, with what it was built from."""

    report: Report
    plan: Plan
    trust: TrustList
    note: str | None
    """Why this plan was chosen, when that needs saying."""


def load_report(args: argparse.Namespace, command: str = "report") -> Loaded:
    """Verify ``args.folder`` with the chosen trust list and build the report for
    ``args.period`` of the chosen plan (``args.plan``, ``args.trust``); notes go to stderr."""
    folder: Path = args.folder
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a folder")
    period = Period.parse(args.period)
    explicit = resolve_plan(args.plan) if args.plan else None
    trust = resolve_trust(folder, args.trust)
    given = {explicit.id: explicit} if explicit else None
    collection = load_collection(folder, trust, plans=given)
    for text in collection.notes:
        print(f"dapreturn {command}: note: {text}", file=sys.stderr)
    plan, note = choose_plan(collection, explicit)
    periods = periods_between(plan.start, plan.end)
    if period not in periods:
        raise ReportError(f"{period} is outside plan {plan.id} ({periods[0]} - {periods[-1]})")
    ledger = load_ledger(folder)
    for problem in ([ledger.error] if ledger.error else []) + ledger.problems:
        print(f"dapreturn {command}: warning: {problem}", file=sys.stderr)
    return Loaded(build_report(collection, plan, period, ledger=ledger), plan, trust, note)


def run(args: argparse.Namespace) -> int:
    """Load, verify, build and write the report; print the summary line to standard error."""
    if args.output is not None and args.output.suffix.lower() == ".toml":
        raise ReportError(
            f"{args.output}: a report must not be a .toml file (it would look like a return)"
        )
    fmt, format_note = output_format(args.format, args.output)  # before the folder is read
    loaded = load_report(args)
    report, plan, trust, note = loaded.report, loaded.plan, loaded.trust, loaded.note
    period = Period.parse(report.period)
    data = render(report, fmt, only_updated=args.only_updated)
    target: Path | None = args.output
    if target is None and fmt in _BINARY:
        target = Path(f"report-{plan.id}-{period.slug}.{fmt}")
    if target is None:
        where = "standard output"
        if not write_stdout(data):
            return 0  # the reader (``| head``) has stopped reading: nothing is wrong
    else:
        atomic_write_bytes(target, data)
        where = str(target)
    for extra in (note, format_note):
        if extra:
            print(f"dapreturn report: note: {extra}", file=sys.stderr)
    print(
        f"dapreturn report: {report.summary()}; trust list {trust.source}; wrote {where}",
        file=sys.stderr,
    )
    return 0
