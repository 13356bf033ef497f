"""``dapreturn plan list | show ID | check FILE``: look at and check action plans."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from dapreturn.cli.common import reader_gone
from dapreturn.core.periods import periods_between
from dapreturn.core.plan.model import bundled_plan, bundled_plan_ids, load_plan, resolve_plan


def register(sub: Any) -> None:
    """Add the ``plan`` command group."""
    plan = sub.add_parser("plan", help="list, show and check action plans")
    psub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    p_list = psub.add_parser("list", help="list the bundled plans")
    p_list.set_defaults(handler=run_list)
    p_show = psub.add_parser("show", help="show a plan's actions with leads and due dates")
    p_show.add_argument("plan", metavar="ID|FILE", help="a bundled plan id or a plan file")
    p_show.set_defaults(handler=run_show_piped)
    p_check = psub.add_parser("check", help="check a plan file and say what is wrong")
    p_check.add_argument("file", type=Path, metavar="FILE")
    p_check.set_defaults(handler=run_check)


def run_list(args: argparse.Namespace) -> int:
    """Print one line per bundled plan: id, number of actions, span and title."""
    for plan_id in bundled_plan_ids():
        plan = bundled_plan(plan_id)
        span = f"{plan.start:%Y-%m-%d}..{plan.end:%Y-%m-%d}"
        print(f"{plan.id:<18} {len(plan.actions):>3} actions  {span}  {plan.title}")
    return 0


def run_show_piped(args: argparse.Namespace) -> int:
    """:func:`run_show`, ending quietly when the reader stops early (``plan show ID | head``)."""
    try:
        code = run_show(args)
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone()
        return 0
    return code


def run_show(args: argparse.Namespace) -> int:
    """Print the plan's sections and every action with its ref, leads and due date."""
    plan = resolve_plan(args.plan)
    periods = periods_between(plan.start, plan.end)
    print(f"{plan.title} ({plan.id})")
    print(
        f"Periods {periods[0]} to {periods[-1]}; {len(plan.actions)} actions; "
        f"statuses: {', '.join(f'{s.marker}={s.label}' for s in plan.statuses)}"
    )
    for section in plan.sections:
        print(f"\n{section.id}. {section.title}")
        for action in (a for a in plan.actions if a.section == section.id):
            leads = ", ".join(action.leads) or "(no lead)"
            due = f"due {action.due:%Y-%m-%d}" if action.due else "no due date"
            print(f"  {action.ref:<6} {action.title}")
            print(f"         leads: {leads}; {due}")
    if plan.kpis:
        print("\nKPIs")
        for kpi in plan.kpis:
            line = f"  {kpi.id:<4} [{kpi.unit}, {kpi.direction}] {kpi.measure}"
            print(textwrap.shorten(line, 100))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Validate a plan file; print ``ok`` with a summary or raise with the reason."""
    plan = load_plan(args.file)
    print(
        f"{args.file}: ok — plan {plan.id!r}, {len(plan.actions)} actions, "
        f"{len(plan.partners)} partners, {len(plan.kpis)} KPIs"
    )
    return 0
