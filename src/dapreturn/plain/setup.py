"""Opening a return in the plain mode: plan, partner, preparer, period, then draft or fresh.

Values given on the command line are used without asking; the others are asked with the
remembered choice (``core.config``) as the default. Then an existing draft is offered back
("Resume the draft saved at ...?"); starting fresh sets it aside (nothing is deleted) and starts
from the partner's latest signed return for the previous period when there is one.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from dapreturn.core.config import ConfigError, UserConfig, load_config, save_config
from dapreturn.core.drafts import DraftStore
from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling import (
    blank_return,
    carry_forward,
    default_period,
    draft_key,
    latest_signed,
)
from dapreturn.core.periods import Period, periods_between
from dapreturn.core.plan import DEFAULT_PLAN_ID, Partner, Plan, bundled_plan_ids, resolve_plan
from dapreturn.core.returns import Return, clean_line
from dapreturn.core.tomlio import parse_return
from dapreturn.plain.prompts import Console
from dapreturn.plain.session import Session, default_returns_dir, normalise, when_text


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


def _matches(plan: Plan, text: str) -> list[Partner]:
    """Partners whose code is ``text``, else whose code, name or alias contains it."""
    word = text.casefold()
    exact = [p for p in plan.partners if p.code.casefold() == word]
    if exact:
        return exact
    return [
        p
        for p in plan.partners
        if word in p.code.casefold()
        or word in p.name.casefold()
        or any(word in alias.casefold() for alias in p.aliases)
    ]


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
        found = _matches(plan, answer) if answer else []
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
    periods = periods_between(plan.start, plan.end)
    if period not in periods:
        raise DapreturnError(f"{period} is outside the plan ({periods[0]} to {periods[-1]})")
    if period.start > today:
        raise DapreturnError(f"{period} has not started yet")
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
    path = Path(plan_choice)
    if path.suffix == ".toml" or path.is_file():
        plan_choice = str(path.resolve())
    return config.model_copy(
        update={"plan": plan_choice, "partner": partner, "prepared_by": preparer}
    )


def open_return(
    console: Console,
    store: DraftStore,
    plan: Plan,
    *,
    partner: str,
    period: Period,
    preparer: str,
    out_dir: Path,
) -> tuple[Return, bool]:
    """The return to fill in, and whether to walk every question (False: go to the summary)."""
    key = draft_key(plan, partner, period)
    info = store.latest(key)
    for problem in info.skipped if info else tuple(store.problems(key)):
        console.say(f"Warning: a damaged draft was skipped: {problem.reason}.")
    if info is not None:
        when = when_text(info.saved_at)
        try:
            draft = parse_return(info.text, source=str(info.path))
            if (draft.plan, draft.partner, draft.period) != (plan.id, partner, str(period)):
                raise DapreturnError(f"{info.path}: it is for another plan, partner or period")
        except DapreturnError as exc:
            console.say(f"The draft saved at {when} cannot be used: {exc}")
            console.say(f"It was set aside in {store.set_aside(key)}. Nothing was deleted.")
        else:
            if console.ask_yes_no(f"Resume the draft saved at {when}?", default=True):
                draft.prepared_by = preparer
                normalise(draft, plan)
                return draft, _ask_walk(console)
            console.say(f"Starting fresh. The draft was set aside in {store.set_aside(key)}.")
            console.say("Nothing was deleted.")
    return _fresh(console, plan, partner=partner, period=period, preparer=preparer, out_dir=out_dir)


def _ask_walk(console: Console) -> bool:
    """Whether to go through every question again (else straight to the summary)."""
    return console.ask_yes_no(
        "Go through every question again? Type n to go straight to the summary.", default=True
    )


def _fresh(
    console: Console, plan: Plan, *, partner: str, period: Period, preparer: str, out_dir: Path
) -> tuple[Return, bool]:
    """A new return (from this period's signed return, last period's, or blank); walk it?"""
    signed = latest_signed(out_dir, plan.id, partner, period)
    if signed is not None:
        console.say(
            f"You already signed revision {signed.revision} of this return ({signed.path.name}). "
            f"Signing again makes revision {signed.revision + 1}."
        )
        if console.ask_yes_no(f"Start from revision {signed.revision}?", default=True):
            ret = signed.ret.model_copy(deep=True)
            ret.submitted_at = None
            ret.revision = signed.revision + 1
            ret.prepared_by = preparer
            normalise(ret, plan)
            return ret, _ask_walk(console)
    previous = latest_signed(out_dir, plan.id, partner, period.previous())
    if previous is not None:
        question = (
            f"Carry forward status, dates and people responsible from your "
            f"{period.previous()} return?"
        )
        if console.ask_yes_no(question, default=True):
            return carry_forward(previous.ret, plan, period, preparer), True
    return blank_return(plan, partner, period, preparer), True


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
    out_dir = Path(args.out) if getattr(args, "out", None) else default_returns_dir(config)
    store = DraftStore()
    ret, walk = open_return(
        console, store, plan, partner=partner, period=period, preparer=preparer, out_dir=out_dir
    )
    previous = latest_signed(out_dir, plan.id, partner, period.previous())
    session = Session(
        console=console,
        plan=plan,
        period=period,
        ret=ret,
        store=store,
        key=draft_key(plan, partner, period),
        out_dir=out_dir,
        previous=previous.ret if previous else None,
        today=today,
        walk_all=walk,
    )
    session.save()
    return session
