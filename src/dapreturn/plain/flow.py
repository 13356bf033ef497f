"""``dapreturn fill --plain``: the whole walk through a return, one question at a time.

Order: plan, partner, preparer, period; resume a draft or start fresh (carrying forward last
period's signed return); each action the partner leads; actions it contributes to; KPI figures;
then a summary listing every problem, "Sign now?", and a menu to go back to any part.

Exit status: 0 when the return was signed, or when the lead chose to stop (the draft is kept);
4 when standard input ended (the draft is saved first); 130 on Ctrl+C (the draft was saved after
the last answer). Errors in the command-line values (an unknown plan, partner or period) raise
:class:`~dapreturn.core.errors.DapreturnError` for the command layer to report.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from typing import TextIO

from dapreturn.core.filling.fields import problem_text
from dapreturn.core.filling.review import all_problems
from dapreturn.core.returns.rules import Problem
from dapreturn.plain.entries import add_contributions, add_entry, walk_entry
from dapreturn.plain.kpis import walk_kpis
from dapreturn.plain.prompts import Console, InputEnded
from dapreturn.plain.session import Session
from dapreturn.plain.setup import ask_preparer, start
from dapreturn.plain.sign import sign

EXIT_OK = 0
"""Signed, or stopped by choice with the draft kept."""
EXIT_INPUT_ENDED = 4
"""Standard input ended before the return was finished; the draft was saved."""
EXIT_INTERRUPTED = 130
"""Stopped with Ctrl+C; the draft holds every answer given."""

INTRO = (
    "dapreturn, plain mode. Each question says what to type, with the current answer in "
    "square brackets. Press Enter alone to keep that answer. Your answers are saved as a draft "
    "after each one, so you can stop at any time and carry on later."
)


def _summary(session: Session) -> list[Problem]:
    """Say where the return stands and list every problem; return the problems."""
    console, fill, plan = session.console, session.fill, session.plan
    problems = all_problems(fill)
    console.say()
    console.say("Summary.")
    console.say(
        f"{plan.partner_name(fill.partner)} ({fill.partner}), {fill.period.describe()}, "
        f"plan {plan.id}. Prepared by {fill.ret.prepared_by or 'nobody yet'}."
    )
    for entry in fill.entries():
        line = fill.line(entry.ref)
        shown = f"{line.status_label} ({line.status_marker})" if entry.status else "no status"
        count = sum(1 for p in problems if p.ref and p.ref.lower() == entry.ref.lower())
        state = f"{count} problem{'s' if count != 1 else ''}" if count else "complete"
        role = "you lead it" if entry.role == "lead" else "you contribute"
        console.say(f"Action {entry.ref}, {role}: {shown}; {state}.")
    if plan.kpis:
        console.say(f"KPI figures given: {fill.kpis.given()} of {len(plan.kpis)}.")
    if problems:
        console.say(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} to fix before you "
            "can sign:"
        )
        console.items(f"{i}. {problem_text(p)}." for i, p in enumerate(problems, 1))
    else:
        console.say("No problems. The return is ready to sign.")
    return problems


def _edit(session: Session) -> bool:
    """The menu to go back to any part; False when the lead chooses to stop."""
    console = session.console
    while True:
        answer = console.ask(
            "To change something, type an action ref, k for KPI figures, a to add an action, "
            "or p for who prepared it.",
            "Press Enter to stop here; your draft is kept",
            "stop",
        )
        word = answer.casefold()
        if not answer:
            return False
        if word == "k":
            walk_kpis(session)
        elif word == "a":
            add_contributions(session)
        elif word == "p":
            session.fill.set_prepared_by(ask_preparer(console, session.ret.prepared_by))
            session.save()
        elif (entry := session.ret.entry(answer)) is not None:
            walk_entry(session, entry, "changing it")
        elif session.plan.action(answer) is None:
            console.refuse(f"{answer!r} is not an action of this plan, nor k, a or p")
            continue
        elif console.ask_yes_no(f"{answer} is not in your return. Add it?", default=True):
            added = add_entry(session, answer)
            if added is not None:
                walk_entry(session, added, "added", added=True)
        return True


def fill(session: Session) -> int:
    """Walk the return (unless resuming straight to the summary), then summary and signing."""
    if session.walk_all:
        entries = list(session.ret.entries)
        for i, entry in enumerate(entries, 1):
            walk_entry(session, entry, f"{i} of {len(entries)}")
        add_contributions(session)
        walk_kpis(session)
    while True:
        problems = _summary(session)
        if not problems and session.console.ask_yes_no("Sign now?", default=False):
            if sign(session) is not None:
                return EXIT_OK
            continue
        if not _edit(session):
            session.console.say(
                "Stopped. Your draft is saved. Run dapreturn fill --plain again to carry on."
            )
            return EXIT_OK


def _utf8_safe(stream: TextIO) -> None:
    """Let a console that cannot show a character print ``?`` rather than crash."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")


def run_plain(
    args: argparse.Namespace,
    *,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    today: date | None = None,
) -> int:
    """Fill in (and optionally sign) a return with plain line-by-line questions.

    ``args`` carries ``plan``, ``partner``, ``period`` and ``out`` (each may be ``None``: it is
    then asked, or the default is used). ``today`` pins the date for tests.
    """
    _utf8_safe(stdout)
    console = Console(stdin, stdout)
    console.say(INTRO)
    session: Session | None = None
    try:
        session = start(args, console, today=today or date.today())
        return fill(session)
    except InputEnded:
        if session is None:
            console.say("Input ended before the return was opened. Nothing was changed.")
            return EXIT_INPUT_ENDED
        session.save()
        console.say(
            "Input ended. Your answers so far are saved as a draft. Run dapreturn fill "
            "--plain again to carry on: it offers to resume the draft."
        )
        return EXIT_INPUT_ENDED
    except KeyboardInterrupt:
        console.say()
        if session is not None:
            session.save()
            console.say("Stopped. Your answers so far are saved as a draft.")
        return EXIT_INTERRUPTED
