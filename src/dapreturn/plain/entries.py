"""The questions about each action, asked one at a time.

For an action: status (a numbered list of the plan's statuses), dates, the people responsible
and the three narratives. After each answer the return is saved as a draft and the plan's rules
for that field are checked (``core.rules``): a problem is said at once and the question asked
again; pressing Enter then keeps the answer, and the problem stays in the summary.
"""

from __future__ import annotations

from collections.abc import Callable

from dapreturn.core.dates import describe_date
from dapreturn.core.returns import Entry
from dapreturn.core.safeguarding import scan_text
from dapreturn.plain.prompts import CLEAR
from dapreturn.plain.session import Session

NARRATIVES = {
    "action_taken": "Action taken: what was done this period",
    "next_steps": "Next steps: what will happen next",
    "risks": "Risks or issues",
}
"""The free-text fields of an entry, with the question that asks for each."""


def _settle(session: Session, entry: Entry, name: str, ask: Callable[[], None]) -> None:
    """Ask once; if the rules find a problem with the field, say it and ask once more."""
    ask()
    problems = session.entry_problems(entry, name)
    if not problems:
        return
    for problem in problems:
        session.console.say(f"Problem: {problem}.")
    session.console.say("Answer again to fix it, or press Enter to leave it for now.")
    ask()
    if session.entry_problems(entry, name):
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


def _status_label(session: Session, status_id: str) -> str:
    """How a status is shown as a default: ``G, On track``."""
    status = session.plan.status(status_id)
    if status is None:
        return status_id or "none"
    return f"{status.marker}, {status.label}"


def ask_status(session: Session, entry: Entry) -> None:
    """Status: a numbered list; a number, a marker, an id or a label is accepted."""
    statuses = session.plan.statuses
    session.console.say("Status. The choices are:")
    session.console.items(f"{i}. {s.marker}: {s.label}" for i, s in enumerate(statuses, 1))

    def parse(answer: str) -> str:
        if not answer:
            return entry.status
        if answer.isdigit() and 1 <= int(answer) <= len(statuses):
            return statuses[int(answer) - 1].id
        word = answer.casefold()
        for status in statuses:
            if word in (status.marker.casefold(), status.id.casefold(), status.label.casefold()):
                return status.id
        raise ValueError(
            f"{answer!r} is not one of the statuses; type a number from 1 to {len(statuses)} "
            f"or a marker such as {statuses[0].marker}"
        )

    def ask() -> None:
        hint = "Type a number or a marker"
        chosen = session.console.ask_valid(
            "Status", hint, _status_label(session, entry.status), parse
        )
        session.set(entry, "status", chosen)

    _settle(session, entry, "status", ask)


def ask_dates(session: Session, entry: Entry) -> None:
    """Started, target, and (only for a done status) completed."""
    console = session.console
    for name, question in (("started", "Date started"), ("target", "Target date")):

        def ask(name: str = name, question: str = question) -> None:
            session.set(entry, name, console.ask_date(question, getattr(entry, name)))

        _settle(session, entry, name, ask)
    status = session.plan.status(entry.status)
    if status is not None and status.done:

        def ask_completed() -> None:
            session.set(entry, "completed", console.ask_date("Date completed", entry.completed))

        _settle(session, entry, "completed", ask_completed)
    elif entry.completed is not None and status is not None:
        when = describe_date(entry.completed)
        if session.set(entry, "completed", None):
            console.say(f"The completion date {when} was removed: the status is {status.label}.")


def ask_responsible(session: Session, entry: Entry) -> None:
    """The people responsible, comma-separated; ``-`` clears the list."""
    while True:
        answer = session.console.ask(
            "People responsible",
            "Type names or roles separated by commas, or - to clear",
            ", ".join(entry.responsible) or "none",
        )
        if not answer:
            return
        people = [] if answer == CLEAR else [p.strip() for p in answer.split(",")]
        if session.set(entry, "responsible", people):
            return


def ask_narrative(session: Session, entry: Entry, name: str) -> None:
    """One free-text field: the current text is read out first, then last period's."""
    console = session.console
    status = session.plan.status(entry.status)
    label = NARRATIVES[name].split(":")[0]
    required = status is not None and (
        (name == "action_taken" and status.requires_action_taken)
        or (name == "risks" and status.requires_risks)
    )
    question = NARRATIVES[name] + (". Required" if required else "")

    def ask() -> None:
        current = getattr(entry, name)
        console.say()
        if current:
            console.say(f"{label}, the text now is:")
            console.quote(current)
        old = session.previous_entry(entry)
        if old is not None and getattr(old, name):
            console.say(f"{label}, last period's text, for reference:")
            console.quote(getattr(old, name))
        while not session.set(entry, name, console.ask_text(question, current)):
            pass
        warn_personal_data(session, f"{entry.ref}.{name}", getattr(entry, name))

    _settle(session, entry, name, ask)


def warn_personal_data(session: Session, place: str, text: str) -> None:
    """Say at once if the text looks like it holds personal data (checked again at signing)."""
    for finding in scan_text(text, field=place):
        session.console.say(
            f"Careful: {finding.message}. A return must never identify a victim. "
            "You will be asked about this before signing."
        )


def walk_entry(session: Session, entry: Entry, place: str, *, added: bool = False) -> None:
    """Every question about one entry, in the order of the form.

    An entry the lead contributes to (and did not just add) may be removed first.
    """
    describe_action(session, entry, place)
    if session.plan.action(entry.ref) is None:
        if session.console.ask_yes_no("Remove it from your return?", default=True):
            session.ret.entries = [e for e in session.ret.entries if e is not entry]
            session.save()
        return
    if (
        entry.role == "contributor"
        and not added
        and not session.console.ask_yes_no("Keep this action in your return?", default=True)
    ):
        session.ret.entries = [e for e in session.ret.entries if e is not entry]
        session.save()
        return
    ask_status(session, entry)
    ask_dates(session, entry)
    ask_responsible(session, entry)
    for name in NARRATIVES:
        ask_narrative(session, entry, name)


def add_entry(session: Session, answer: str) -> Entry | None:
    """Add the action ``answer`` names (as a contributor unless the partner leads it)."""
    action = session.plan.action(answer)
    if action is None:
        session.console.refuse(f"{answer!r} is not an action of this plan; type ? to list them")
        return None
    if session.ret.entry(action.ref) is not None:
        session.console.say(f"{action.ref} is already in your return.")
        return None
    role = "lead" if session.partner in action.leads else "contributor"
    entry = Entry(ref=action.ref, role=role)
    session.ret.entries = [*session.ret.entries, entry]
    session.save()
    return entry


def list_actions(session: Session) -> None:
    """Every action of the plan, those naming this partner as a contributor first."""
    plan, code = session.plan, session.partner
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
