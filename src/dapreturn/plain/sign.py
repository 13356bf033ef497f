"""Signing in the plain mode: safeguarding questions, the key, the passphrase, the file.

Signing goes through ``core.submit.submit_return``, as in the partner app and ``dapreturn
sign``: the rules are checked, the file is written without overwriting anything, read back from
disk and verified before success is reported.

- Each safeguarding finding (likely personal data) is read out and must be confirmed as safe
  (``y``); ``n`` opens that field again to change it.
- With no key yet, one is made, and the line for the steering group's trust list is shown.
- A passphrase is read without echo at a terminal (``getpass``). Without a terminal it is read as
  one line of standard input, or taken from ``DAPRETURN_PASSPHRASE`` when that is set.
"""

from __future__ import annotations

import getpass
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dapreturn.core import paths
from dapreturn.core.errors import DapreturnError
from dapreturn.core.keys import (
    KeyInfo,
    PassphraseRequired,
    WrongPassphrase,
    allowed_signers_line,
    find_key,
    key_needs_passphrase,
    load_private_key,
    new_key,
)
from dapreturn.core.safeguarding import Finding
from dapreturn.core.submit import (
    PersonalDataError,
    SubmitError,
    SubmitResult,
    personal_data,
    submit_return,
)
from dapreturn.plain.entries import NARRATIVES, ask_narrative, ask_responsible
from dapreturn.plain.kpis import ask_kpi
from dapreturn.plain.prompts import Console, InputEnded
from dapreturn.plain.session import Session

ENV_PASSPHRASE = "DAPRETURN_PASSPHRASE"  # noqa: S105 - a variable's name, not a secret
"""For scripted use: the key's passphrase, instead of asking (the same as ``dapreturn sign``)."""

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


def _edit_place(session: Session, place: str) -> None:
    """Open the field a finding names (``3l.risks``, ``prepared_by``, ``kpis.K1.note``)."""
    if place == "prepared_by":
        while not session.set(
            session.ret,
            "prepared_by",
            session.console.ask_line("Prepared by", session.ret.prepared_by),
        ):
            pass
        return
    if place.startswith("kpis."):
        kpi = session.plan.kpi(place.split(".")[1])
        if kpi is not None:
            ask_kpi(session, kpi, "again")
        return
    ref, _, name = place.rpartition(".")
    entry = session.ret.entry(ref)
    if entry is None:
        return
    if name == "responsible":
        ask_responsible(session, entry)
    elif name in NARRATIVES:
        ask_narrative(session, entry, name)


def confirm_findings(session: Session, findings: list[Finding]) -> bool:
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
        console.say(f"{i} of {len(findings)}: {finding.message}.")
        if not console.ask_yes_no(
            "Is this safe to send? Type n to change the text.", default=False
        ):
            _edit_place(session, finding.field)
            return False
    return True


def _new_passphrase(console: Console) -> str:
    """Ask for a new passphrase (twice at a terminal); empty means no passphrase."""
    while True:
        first = read_secret(console, "New passphrase. Type it and press Enter: ")
        if not console.interactive or not first:
            return first
        if read_secret(console, "Type the passphrase again: ") == first:
            return first
        console.say("The two passphrases differ. Please try again.")


def create_key(session: Session) -> Ed25519PrivateKey:
    """Make the partner's key, show the trust-list line, and return the private key."""
    console = session.console
    console.say(
        f"You have no signing key for {session.partner} yet. dapreturn will make one now "
        f"and keep it in {paths.keys_dir()}."
    )
    env = os.environ.get(ENV_PASSPHRASE)
    if env is not None:
        passphrase = env
        console.say(f"It is protected by the passphrase in {ENV_PASSPHRASE}.")
    elif console.ask_yes_no(
        "Protect the key with a passphrase? You then type it each time you sign.", default=True
    ):
        passphrase = _new_passphrase(console)
        if not passphrase:
            console.say("No passphrase was typed, so the key is not protected by one.")
    else:
        passphrase = ""
    secret = passphrase.encode("utf-8") or None
    info: KeyInfo = new_key(session.partner, passphrase=secret)
    console.say(f"Your signing key is made. Its fingerprint is {info.fingerprint}.")
    console.say(
        "Send the next line to the steering group, so they can check your returns. "
        f"It is also in the file {info.public_path}."
    )
    console.quote(allowed_signers_line(info.partner, info.public_key), indent="")
    return load_private_key(info.private_path, secret)


def unlock_key(session: Session) -> Ed25519PrivateKey | None:
    """The partner's private key (made now if there is none); None if it stays locked."""
    console = session.console
    info = find_key(session.partner)
    if info is None:
        return create_key(session)
    path = info.private_path
    if not key_needs_passphrase(path):
        return load_private_key(path, None)
    env = os.environ.get(ENV_PASSPHRASE)
    if env is not None:
        try:
            return load_private_key(path, env.encode("utf-8"))
        except WrongPassphrase:
            console.say(f"The passphrase in {ENV_PASSPHRASE} does not unlock your key.")
            return None
    for _ in range(TRIES):
        secret = read_secret(console, f"Passphrase for your key {path.name}. Type it: ")
        try:
            return load_private_key(path, secret.encode("utf-8"))
        except PassphraseRequired:
            console.say("No passphrase was typed.")
        except WrongPassphrase:
            console.say("That passphrase does not unlock the key.")
    console.say(f"The key was not unlocked after {TRIES} tries.")
    return None


def sign(session: Session) -> SubmitResult | None:
    """Confirm findings, unlock the key and sign; the result, or None (the draft is kept)."""
    console = session.console
    findings = personal_data(session.ret)
    if findings and not confirm_findings(session, findings):
        return None
    try:
        key = unlock_key(session)
        if key is None:
            console.say("The return was not signed. Your draft is kept.")
            return None
        result = submit_return(
            session.ret,
            session.plan,
            key,
            session.out_dir,
            personal_data_confirmed=bool(findings),
            previous=session.previous,
            today=session.today,
        )
    except SubmitError as exc:
        console.say(f"The return was not signed: {exc}.")
        for problem in exc.problems:
            console.say(f"Problem: {problem}.")
        return None
    except PersonalDataError as exc:
        console.say(f"The return was not signed: {exc}.")
        return None
    except DapreturnError as exc:
        console.say(f"The return was not signed: {exc}")
        console.say("Your draft is kept.")
        return None
    console.say()
    console.say("Signed and checked. The return is saved as:")
    console.quote(str(result.path.absolute()), indent="")
    console.say(f"Revision {result.revision}, signed with key {result.fingerprint}.")
    console.say("Send this file to the steering group by e-mail, USB stick or shared drive.")
    kept = session.store.set_aside(session.key)
    if kept is not None:
        console.say("The draft was put aside, as the signed file now holds the return.")
    return result
