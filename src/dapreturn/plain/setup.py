"""Opening a return in the plain mode: plan, partner, preparer, period, then draft or fresh.

Values given on the command line are used without asking; the others are asked with the
remembered choice (``core.config``) as the default. Then the starting points that
:func:`~dapreturn.core.filling.start.find_start` lists are offered in turn (the draft, this
period's signed return, last period's); :func:`~dapreturn.core.filling.start.begin` opens the
return, setting any draft not resumed aside (nothing is deleted).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from dapreturn.core.config import ConfigError, UserConfig, load_config, save_config
from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.filling.launch import find_partners, period_problem, plan_to_remember
from dapreturn.core.filling.session import SaveTarget
from dapreturn.core.filling.start import (
    Origin,
    StartPoint,
    begin,
    default_period,
    find_start,
    local_time,
)
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import DEFAULT_PLAN_ID, Plan, bundled_plan_ids, resolve_plan
from dapreturn.core.policy import returns_folder
from dapreturn.core.returns.model import clean_line
from dapreturn.plain.prompts import Console
from dapreturn.plain.session import Session


def _load_config(console: Console) -> tuple[UserConfig, bool]:
    """The remembered choices, and whether they may be saved back (not when unreadable)."""
    try:
        return load_config(), True
    except ConfigError as exc:
        console.say(f"Warning: your saved settings cannot be read, so none are used: {exc}")
        return UserConfig(), False


def choose_plan(args: argparse.Namespace, console: Console, config: UserConfig) -> tuple[Plan, str]:
    """The plan from ``--plan``, else asked (default: the remembered or the bundled plan).

    Returns the plan and the id or path that chose it (what is remembered for next time).
    """
    if args.plan:
        return resolve_plan(args.plan), str(args.plan)
    default = config.plan or DEFAULT_PLAN_ID
    console.say(f"Plans you can choose: {', '.join(bundled_plan_ids())}.")

    def parse(answer: str) -> tuple[Plan, str]:
        choice = answer or default
        return resolve_plan(choice), choice

    return console.ask_valid("Plan", "Type a plan id or the path of a plan file", default, parse)


def choose_partner(
    args: argparse.Namespace, console: Console, plan: Plan, config: UserConfig
) -> str:
    """The partner from ``--partner``, else found by code or by searching names."""
    if args.partner:
        given = plan.partner(args.partner.upper())
        if given is None:
            raise DapreturnError(
                f"partner {args.partner!r} is not in plan {plan.id}; "
                f"see `dapreturn plan show {plan.id}`"
            )
        return given.code
    default = config.partner if config.partner and plan.partner(config.partner) else None
    while True:
        answer = console.ask(
            "Partner",
            "Type your partner code or part of its name, or ? to list them all",
            default or "none",
        )
        if not answer and default:
            return default
        if answer == "?":
            console.items(f"{p.code}: {p.name}." for p in plan.partners)
            continue
        found = find_partners(plan, answer) if answer else []
        if len(found) == 1 and found[0].code.casefold() == answer.casefold():
            return found[0].code
        if not found:
            console.refuse(f"no partner matches {answer!r}; type ? to list them all")
        elif len(found) == 1:
            console.say(f"That is {found[0].code}, {found[0].name}.")
            if console.ask_yes_no("Is that your organisation?", default=True):
                return found[0].code
        else:
            console.say(f"{len(found)} partners match {answer!r}:")
            console.items(f"{i}. {p.code}: {p.name}." for i, p in enumerate(found, 1))
            pick = console.ask(
                "Which one?",
                f"Type a number from 1 to {len(found)}, or press Enter to search again",
                "search again",
            )
            if pick.isdigit() and 1 <= int(pick) <= len(found):
                return found[int(pick) - 1].code


def ask_preparer(console: Console, remembered: str | None) -> str:
    """Who prepares the return (name and role); required."""

    def parse(answer: str) -> str:
        value = clean_line(answer or remembered or "")
        if not value:
            raise ValueError("say who prepared the return (name, role)")
        return value

    return console.ask_valid(
        "Who is preparing this return?",
        "Type your name and role, for example Jo Bloggs, Service Manager",
        remembered or "none",
        parse,
    )


def _check_period(plan: Plan, period: Period, today: date) -> Period:
    """``period`` if the plan reports on it and it has started; else raise saying why."""
    problem = period_problem(plan, period, today)
    if problem:
        raise DapreturnError(problem)
    return period


def choose_period(args: argparse.Namespace, console: Console, plan: Plan, today: date) -> Period:
    """The period from ``--period``, else asked (default: the quarter just ended)."""
    if args.period:
        return _check_period(plan, Period.parse(args.period), today)
    default = default_period(plan, today=today)

    def parse(answer: str) -> Period:
        return _check_period(plan, Period.parse(answer) if answer else default, today)

    return console.ask_valid(
        "Reporting period", "Type it like 2018/19 Q3", default.describe(), parse
    )


def _remember(config: UserConfig, plan_choice: str, partner: str, preparer: str) -> UserConfig:
    """The config with this run's plan, partner and preparer."""
    return config.model_copy(
        update={"plan": plan_to_remember(plan_choice), "partner": partner, "prepared_by": preparer}
    )


def _resume(console: Console, start: StartPoint) -> bool:
    """Offer the draft back; say why when it cannot be used."""
    if start.draft is None:
        return False
    when = local_time(start.draft.saved_at)
    if start.draft_return is None:
        console.say(f"The draft saved at {when} cannot be used: {start.draft_error}")
        return False
    if start.draft_error:
        console.say("Newer autosaves could not be read and were left in place:")
        console.say(start.draft_error)
    return console.ask_yes_no(f"Resume the draft saved at {when}?", default=True)


def _fresh(console: Console, start: StartPoint) -> Origin:
    """Where a new return starts: this period's signed return, last period's, or blank."""
    signed, period = start.this_period, start.period
    if signed is not None:
        console.say(
            f"You already signed revision {signed.revision} of this return ({signed.path.name}). "
            f"Signing again makes revision {signed.revision + 1}."
        )
        if console.ask_yes_no(f"Start from revision {signed.revision}?", default=True):
            return Origin.SIGNED
    if start.previous is not None:
        question = (
            f"Carry forward status, dates and people responsible from your "
            f"{period.previous()} return?"
        )
        if console.ask_yes_no(question, default=True):
            return Origin.CARRIED
    return Origin.BLANK


def open_return(
    console: Console, start: StartPoint, target: SaveTarget, *, preparer: str, today: date
) -> Session:
    """Open the return (resume, restart, carry forward or blank) and say what happened."""
    for problem in start.damaged:
        console.say(f"Warning: a damaged draft was skipped: {problem.reason}.")
    origin = Origin.DRAFT if _resume(console, start) else _fresh(console, start)
    begun = begin(start, origin, prepared_by=preparer, target=target, today=today)
    if begun.set_aside is not None:
        if origin is not Origin.DRAFT and start.draft_return is not None:
            console.say(f"Starting fresh. The draft was set aside in {begun.set_aside}.")
        else:
            console.say(f"It was set aside in {begun.set_aside}.")
        console.say("Nothing was deleted.")
    fill = begun.session
    if origin is Origin.DRAFT and fill.ret.prepared_by != preparer:
        console.say(
            f"The draft says it was prepared by {fill.ret.prepared_by}. "
            "To change that, type p at the summary."
        )
    walk = origin in (Origin.CARRIED, Origin.BLANK) or _ask_walk(console)
    return Session(console, fill, walk_all=walk)


def _ask_walk(console: Console) -> bool:
    """Whether to go through every question again (else straight to the summary)."""
    return console.ask_yes_no(
        "Go through every question again? Type n to go straight to the summary.", default=True
    )


def start(args: argparse.Namespace, console: Console, *, today: date) -> Session:
    """Ask everything needed to open the return; save it as a draft; return the session."""
    config, config_ok = _load_config(console)
    plan, plan_choice = choose_plan(args, console, config)
    partner = choose_partner(args, console, plan, config)
    if not plan.actions_led_by(partner):
        console.say(f"{partner} leads no actions in this plan. You can add actions you help with.")
    preparer = ask_preparer(console, config.prepared_by)
    period = choose_period(args, console, plan, today)
    if config_ok:
        try:
            save_config(_remember(config, plan_choice, partner, preparer))
        except DapreturnError as exc:
            console.say(f"Warning: your choices could not be remembered: {exc}")
    out = getattr(args, "out", None)
    target = SaveTarget(DraftStore(), returns_folder(Path(out) if out else None, config))
    found = find_start(plan, partner, period, target)
    session = open_return(console, found, target, preparer=preparer, today=today)
    session.remember = config_ok
    session.save()
    return session
