"""Signing in the plain mode: the steps of :class:`~dapreturn.core.filling.signing.SignFlow`.

The partner app walks the same steps: the safeguarding findings, the key (made on first use,
its trust-list line shown and saved beside it), the passphrase, then ``submit_return``, which
checks the rules, writes the file without overwriting anything, reads it back and verifies it.

- Each safeguarding finding (likely personal data) is read out and must be confirmed as safe
  (``y``); ``n`` opens that field again to change it.
- A passphrase is read without echo at a terminal (``getpass``). Without a terminal it is read as
  one line of standard input; ``DAPRETURN_PASSPHRASE``, when set, is used instead of asking.
"""

from __future__ import annotations

import getpass

from dapreturn.core import paths
from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling.done import done_report
from dapreturn.core.filling.fields import FIELDS, finding_text, problem_text
from dapreturn.core.filling.places import Place
from dapreturn.core.filling.signing import KeyReady, MakeKey, NewKey, Signed, SignFlow
from dapreturn.core.filling.submit import PersonalDataError, SubmitError
from dapreturn.core.policy import ENV_PASSPHRASE
from dapreturn.core.returns.safeguarding import Finding
from dapreturn.core.signing.keys import PassphraseRequired, WrongPassphrase
from dapreturn.plain.entries import ask_named
from dapreturn.plain.kpis import ask_kpi
from dapreturn.plain.prompts import Console, InputEnded
from dapreturn.plain.session import Session

TRIES = 3
"""How many times a passphrase is asked for before signing is given up."""


def read_secret(console: Console, prompt: str) -> str:
    """A passphrase: without echo at a terminal, else one line of standard input."""
    if not console.interactive:
        return console.read(prompt, secret=True)
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise InputEnded from None


def edit_place(session: Session, place: Place) -> None:
    """Open the field a finding or problem names (``3l.risks``, ``prepared_by``, a KPI)."""
    if place.kpi is not None:
        kpi = session.plan.kpi(place.kpi)
        if kpi is not None:
            ask_kpi(session, kpi, "again")
        return
    if place.ref is None:
        if place.field == "prepared_by":
            ask = session.console.ask_line
            while problem := session.fill.set_prepared_by(
                ask("Prepared by", session.ret.prepared_by)
            ):
                session.console.refuse(f"prepared by {problem}")
            session.save()
        return
    entry = session.ret.entry(place.ref)
    if entry is not None and place.field in FIELDS:
        ask_named(session, entry, place.field)


def confirm_findings(session: Session, flow: SignFlow, findings: list[Finding]) -> bool:
    """Ask about each finding; True when every one is confirmed safe to send.

    On the first ``n`` the field is opened for editing and False is returned.
    """
    console = session.console
    console.say()
    console.say(
        f"The safeguarding check found {len(findings)} possible personal "
        f"detail{'s' if len(findings) != 1 else ''}. A return must never identify a victim."
    )
    for i, finding in enumerate(findings, 1):
        console.say(f"{i} of {len(findings)}: {finding_text(finding)}.")
        if not console.ask_yes_no(
            "Is this safe to send? Type n to change the text.", default=False
        ):
            edit_place(session, Place.parse(finding.field))
            return False
    flow.confirm(findings)
    return True


def _new_passphrase(console: Console) -> bytes:
    """Ask for a new passphrase (twice at a terminal); empty means no passphrase."""
    while True:
        first = read_secret(console, "New passphrase. Type it and press Enter: ")
        if not console.interactive or not first:
            return first.encode("utf-8")
        if read_secret(console, "Type the passphrase again: ") == first:
            return first.encode("utf-8")
        console.say("The two passphrases differ. Please try again.")


def _show_new_key(console: Console, made: NewKey) -> None:
    """The new key's fingerprint and the line for the steering group's trust list."""
    console.say(f"Your signing key is made. Its fingerprint is {made.info.fingerprint}.")
    console.say(
        "Send the next line to the steering group, so they can check your returns. "
        f"It is also saved in the file {made.saved_in}."
    )
    console.quote(made.line, indent="")


def _make_key(session: Session, flow: SignFlow, step: MakeKey) -> None:
    """Make the partner's key, asking whether to protect it with a passphrase."""
    console = session.console
    console.say(
        f"You have no signing key for {step.partner} yet. dapreturn will make one now "
        f"and keep it in {paths.keys_dir()}."
    )
    passphrase = b""
    if console.ask_yes_no(
        "Protect the key with a passphrase? You then type it each time you sign.", default=True
    ):
        passphrase = _new_passphrase(console)
        if not passphrase:
            console.say("No passphrase was typed, so the key is not protected by one.")
    _show_new_key(console, flow.make_key(passphrase))


def unlock_key(session: Session, flow: SignFlow) -> bool:
    """Walk the key step (make the key, or unlock it); False if it stays locked."""
    console = session.console
    step = flow.key_step()
    if isinstance(step, KeyReady):
        if step.made is not None:
            console.say(f"Your new key is protected by the passphrase in {ENV_PASSPHRASE}.")
            _show_new_key(console, step.made)
        return True
    if isinstance(step, MakeKey):
        _make_key(session, flow, step)
        return True
    for _ in range(TRIES):
        secret = read_secret(console, f"Passphrase for your key {step.info.private_path.name}: ")
        try:
            flow.unlock(secret.encode("utf-8"))
        except PassphraseRequired:
            console.say("No passphrase was typed.")
        except WrongPassphrase:
            console.say("That passphrase does not unlock the key.")
        else:
            return True
    console.say(f"The key was not unlocked after {TRIES} tries.")
    return False


def sign(session: Session) -> Signed | None:
    """Confirm findings, unlock the key and sign; the result, or None (the draft is kept)."""
    console = session.console
    flow = SignFlow(session.fill)
    findings = flow.unconfirmed()
    if findings and not confirm_findings(session, flow, findings):
        return None
    try:
        if not unlock_key(session, flow):
            console.say("The return was not signed. Your draft is kept.")
            return None
        signed = flow.submit()
    except SubmitError as exc:
        console.say(f"The return was not signed: {exc}.")
        for problem in exc.problems:
            console.say(f"Problem: {problem_text(problem)}.")
        return None
    except PersonalDataError as exc:
        console.say(f"The return was not signed: {exc}.")
        return None
    except DapreturnError as exc:
        console.say(f"The return was not signed: {exc}")
        console.say("Your draft is kept.")
        return None
    report = done_report(session.fill, signed)
    console.say()
    console.say(f"Signed and checked: {report.title.lower()}.")
    for line in report.lines:
        console.say(line)
    if report.trust_line is not None:
        console.quote(report.trust_line)
    session.remember_folder()
    return signed
