"""The signing steps of :class:`~dapreturn.core.filling.signing.SignFlow`, shown as dialogs.

The steps and their order are core's; this module only shows each one and collects the answer:

1. the safeguarding findings (:class:`SafeguardingScreen`): each is edited or confirmed;
2. the key: made on first use (:class:`NewKeyScreen`, then its trust-list line is shown), or
   unlocked with its passphrase (:class:`PassphraseScreen`);
3. submit: the signed file is written, read back and verified; the done screen says where it
   is, what to send to whom (with the trust-list line for a new key) and opens the folder.

Must run inside a worker (it waits for dialogs). Slow steps (key derivation, writing) run in a
thread. Problems the lead can act on (:class:`DapreturnError`) are shown, never swallowed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App

from dapreturn.core.errors import DapreturnError
from dapreturn.core.filling.done import done_report
from dapreturn.core.filling.places import Place
from dapreturn.core.filling.session import FillSession
from dapreturn.core.filling.signing import (
    Decision,
    EditAt,
    MakeKey,
    NewKey,
    Signed,
    SignFlow,
    UnlockKey,
)


async def _show_new_key(app: App[Any], made: NewKey) -> None:
    """The new key's fingerprint and the line the steering group adds to its trust list."""
    from dapreturn.tui.partner.screens.pickers import MessageScreen

    await app.push_screen_wait(
        MessageScreen(
            "Your signing key is ready",
            f"Your key's fingerprint is {made.info.fingerprint}.\n\n"
            "Send the line below to the steering group (for example by e-mail) so they can "
            "check that returns signed with this key really come from "
            f"{made.info.partner}. It is not secret.\n\nThe same line is saved in:\n"
            f"{made.saved_in}",
            detail=made.line,
        )
    )


async def _key(app: App[Any], flow: SignFlow) -> bool:
    """Make and/or unlock the partner's key; ``False`` if the lead cancels."""
    from dapreturn.tui.partner.screens.keys import NewKeyScreen, PassphraseScreen

    step = await asyncio.to_thread(flow.key_step)
    if isinstance(step, MakeKey):
        passphrase = await app.push_screen_wait(NewKeyScreen(step.partner, step.where))
        if passphrase is None:
            return False
        await _show_new_key(app, await asyncio.to_thread(flow.make_key, passphrase))
    elif isinstance(step, UnlockKey):
        if await app.push_screen_wait(PassphraseScreen(step.info, flow.unlock)) is None:
            return False
    elif step.made is not None:
        await _show_new_key(app, step.made)
    return True


async def sign_return(app: App[Any], session: FillSession) -> Signed | Place | None:
    """Run every signing step; the signed file, somewhere to edit, or ``None`` if not signed."""
    from dapreturn.tui.partner.screens.done import DoneScreen
    from dapreturn.tui.partner.screens.pickers import MessageScreen
    from dapreturn.tui.partner.screens.safeguarding import SafeguardingScreen

    flow = SignFlow(session)
    findings = flow.findings()
    if findings:
        answer = await app.push_screen_wait(SafeguardingScreen(findings, session.confirmed))
        if isinstance(answer, EditAt):
            return answer.place
        if answer is not Decision.CONFIRM:
            return None
        flow.confirm(findings)
    try:
        if not await _key(app, flow):
            return None
        signed = await asyncio.to_thread(flow.submit)
    except DapreturnError as exc:
        await app.push_screen_wait(
            MessageScreen("Not signed", f"The return was not signed:\n{exc}")
        )
        return None
    await app.push_screen_wait(DoneScreen(done_report(session, signed)))
    return signed
