"""The questions about each action, asked one at a time, one per field of the catalogue.

For an action the plain mode walks :data:`~dapreturn.core.filling.fields.ENTRY_FIELDS`, the
same list the partner app's form is built from: status (a numbered list of the plan's
statuses), dates, the individuals responsible (one per line) and the three narratives. Typed
text is read by the field itself (:meth:`~dapreturn.core.filling.fields.EntryField.parse`).
After each answer the draft is saved and the plan's rules for that field are checked: a problem
is said at once and the question asked again; pressing Enter then keeps the answer, and the
problem stays in the summary.
"""

from __future__ import annotations

from collections.abc import Callable

from dapreturn.core.dates import describe_date
from dapreturn.core.filling.fields import (
    ENTRY_FIELDS,
    FIELDS,
    EntryField,
    Kind,
    finding_text,
    problem_text,
)
from dapreturn.core.returns.model import Entry
from dapreturn.core.returns.safeguarding import scan_text
from dapreturn.plain.prompts import CLEAR, DATE_HINT
from dapreturn.plain.session import Session


def _settle(session: Session, entry: Entry, name: str, ask: Callable[[], None]) -> None:
    """Ask once; if the rules find a problem with the field, say it and ask once more."""
    ask()
    problems = session.fill.problems(entry.ref, name)
    if not problems:
        return
    for problem in problems:
        session.console.say(f"Problem: {problem_text(problem)}.")
    session.console.say("Answer again to fix it, or press Enter to leave it for now.")
    ask()
    if session.fill.problems(entry.ref, name):
        session.console.say("Left as it is. It is listed in the summary.")


def describe_action(session: Session, entry: Entry, place: str) -> None:
    """Say which action this is: ref, title, text, success measure and due date."""
    console = session.console
    action = session.plan.action(entry.ref)
    role = "you lead it" if entry.role == "lead" else "you contribute to it"
    console.say()
    if action is None:
        console.say(f"Action {entry.ref}, {place}. This is not an action of this plan.")
        return
    console.say(f"Action {action.ref}, {place}, {role}: {action.title}.")
    console.say(action.text)
    if action.success_measure:
        console.say(f"Success measure: {action.success_measure}")
    if action.timescale:
        console.say(f"Timescale: {action.timescale}")
    if action.due:
        console.say(f"Due: {describe_date(action.due)}.")


def _shown(session: Session, entry: Entry, field: EntryField) -> str:
    """The current value as the default in brackets: ``G, On track``, a date, or ``none``."""
    if field.kind is Kind.CHOICE:
        status = session.plan.status(entry.status)
        if status is None:
            return entry.status or "none"
        return f"{status.marker}, {status.label}"
    value = getattr(entry, field.name)
    return describe_date(value) if value else "none"


def _ask_one_line(session: Session, entry: Entry, field: EntryField) -> None:
    """A status or a date: one line, read by the field; Enter keeps, ``-`` clears a date."""
    current = getattr(entry, field.name)
    if field.kind is Kind.CHOICE:
        session.console.say("Status. The choices are:")
        statuses = session.plan.statuses
        session.console.items(f"{i}. {s.marker}: {s.label}" for i, s in enumerate(statuses, 1))
        hint = "Type a number or a marker"
    else:
        hint = f"{DATE_HINT}, or - to clear it" if current else DATE_HINT

    def parse(answer: str) -> object:
        if not answer:
            return current
        if answer == CLEAR and field.kind is Kind.DATE:
            return None
        return field.parse(answer, session.plan)

    while True:
        value = session.console.ask_valid(field.label, hint, _shown(session, entry, field), parse)
        if session.set(entry, field.name, value):
            return


def _ask_lines(session: Session, entry: Entry, field: EntryField) -> None:
    """A list, one item per line (``Amina Khan, Service Manager`` stays one person)."""
    console = session.console
    current = field.text(entry)
    if current:
        console.say(f"{field.label}, now:")
        console.quote(current)
    hint = 'Type one a line, then a line with only "." to finish, or - to clear'
    while not session.set(
        entry,
        field.name,
        field.parse(console.ask_text(field.label, current, hint=hint), session.plan),
    ):
        pass


def _ask_narrative(session: Session, entry: Entry, field: EntryField) -> None:
    """Free text: the current text is read out first, then last period's."""
    console = session.console
    required = field.required(session.plan.status(entry.status))
    question = field.label + (". Required" if required else "")
    current = getattr(entry, field.name)
    console.say()
    if current:
        console.say(f"{field.label}, the text now is:")
        console.quote(current)
    old = session.fill.previous_entry(entry.ref)
    if old is not None and getattr(old, field.name):
        console.say(f"{field.label}, last period's text, for reference:")
        console.quote(getattr(old, field.name))
    while not session.set(entry, field.name, console.ask_text(question, current)):
        pass
    warn_personal_data(session, f"{entry.ref}.{field.name}", getattr(entry, field.name))


def ask_field(session: Session, entry: Entry, field: EntryField) -> None:
    """Ask about one field (again, once, if the rules find a problem with the answer)."""
    if field.kind is Kind.LINES:
        _ask_lines(session, entry, field)
        return
    asker = _ask_narrative if field.kind is Kind.TEXT else _ask_one_line
    _settle(session, entry, field.name, lambda: asker(session, entry, field))


def ask_named(session: Session, entry: Entry, name: str) -> None:
    """Ask about the field called ``name`` (``risks``)."""
    ask_field(session, entry, FIELDS[name])


def warn_personal_data(session: Session, place: str, text: str) -> None:
    """Say at once if the text looks like it holds personal data (checked again at signing)."""
    for finding in scan_text(text, field=place):
        session.console.say(
            f"Careful: {finding_text(finding)}. A return must never identify a victim. "
            "You will be asked about this before signing."
        )


def _ask_fields(session: Session, entry: Entry) -> None:
    """Every field of the catalogue that applies to the entry's status, in form order."""
    for field in ENTRY_FIELDS:
        status = session.plan.status(entry.status)
        if field.applies(status):
            ask_field(session, entry, field)
        elif field.name == "completed" and entry.completed is not None and status is not None:
            when = describe_date(entry.completed)
            if session.set(entry, "completed", None):
                session.console.say(
                    f"The completion date {when} was removed: the status is {status.label}."
                )


def walk_entry(session: Session, entry: Entry, place: str, *, added: bool = False) -> None:
    """Every question about one entry, in the order of the form.

    An entry the lead contributes to (and did not just add) may be removed first.
    """
    describe_action(session, entry, place)
    if session.plan.action(entry.ref) is None:
        if session.console.ask_yes_no("Remove it from your return?", default=True):
            session.fill.remove_entry(entry.ref)
            session.save()
        return
    if (
        entry.role == "contributor"
        and not added
        and not session.console.ask_yes_no("Keep this action in your return?", default=True)
    ):
        session.fill.remove_entry(entry.ref)
        session.save()
        return
    _ask_fields(session, entry)


def add_entry(session: Session, answer: str) -> Entry | None:
    """Add the action ``answer`` names (as a contributor unless the partner leads it)."""
    action = session.plan.action(answer)
    if action is None:
        session.console.refuse(f"{answer!r} is not an action of this plan; type ? to list them")
        return None
    if session.ret.entry(action.ref) is not None:
        session.console.say(f"{action.ref} is already in your return.")
        return None
    entry = session.fill.add_action(action.ref)
    session.save()
    return entry


def list_actions(session: Session) -> None:
    """Every action of the plan, those naming this partner as a contributor first."""
    plan, code = session.plan, session.fill.partner
    mine = [a for a in plan.actions if code in a.contributors]
    if mine:
        session.console.say("Actions that name you as a contributor:")
        session.console.items(f"{a.ref}: {a.title}." for a in mine)
    session.console.say("All actions:")
    session.console.items(
        f"{a.ref}: {a.title}. Led by {', '.join(a.leads) or 'nobody yet'}." for a in plan.actions
    )


def add_contributions(session: Session) -> None:
    """Offer to add actions the partner contributes to, until Enter is pressed."""
    while True:
        session.console.say()
        answer = session.console.ask(
            "Add an action you contribute to?",
            "Type a ref, ? to list the actions, or press Enter to go on",
            "go on",
        )
        if not answer:
            return
        if answer == "?":
            list_actions(session)
            continue
        entry = add_entry(session, answer)
        if entry is not None:
            walk_entry(session, entry, "added", added=True)
