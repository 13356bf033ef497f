"""The steps of signing, in the order the lead meets them.

1. The safeguarding check over every narrative: each finding is edited or confirmed.
2. The partner's key: made on first use (optional passphrase, typed twice), with the
   ``allowed_signers`` line shown and written beside the key for the steering group.
3. The passphrase, when the key has one (asked again if wrong).
4. :func:`dapreturn.core.submit.submit_return` writes the signed file, reads it back and
   verifies it; the path and key fingerprint are shown.

Must run inside a worker (it waits for dialogs). Slow work (key derivation, writing) runs in a
thread. Problems the lead can act on (:class:`DapreturnError`) are shown, never swallowed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from textual.app import App

from dapreturn.core import keys
from dapreturn.core.errors import DapreturnError
from dapreturn.core.safeguarding import scan_fields
from dapreturn.core.storage import atomic_write_text
from dapreturn.tui.partner.fields import split_narrative_key
from dapreturn.tui.partner.session import ReturnSession

JumpTarget = tuple[str | None, str]
"""Where to go to fix something: (action ref or ``None`` for a KPI, field)."""


@dataclass(frozen=True)
class SignOutcome:
    """A signed return was written and verified."""

    path: Path
    """The signed file."""
    fingerprint: str
    """The signing key's fingerprint."""
    revision: int
    """The file's revision number."""


def signers_file(info: keys.KeyInfo) -> Path:
    """Where the ``allowed_signers`` line for the steering group is kept (beside the key)."""
    return info.private_path.with_name(f"{info.partner}_allowed_signers.txt")


async def _safeguarding(app: App[Any], session: ReturnSession) -> JumpTarget | bool:
    """Show findings; ``True`` to carry on, ``False`` to stop, or a field to go and edit."""
    from dapreturn.tui.partner.screens.safeguarding import SafeguardingScreen

    findings = scan_fields(session.narratives())
    if not findings:
        return True
    answer = await app.push_screen_wait(SafeguardingScreen(findings, session.confirmed))
    if answer is None:
        return False
    if answer == "sign":
        session.confirmed.update((f.field, f.text) for f in findings)
        return True
    return split_narrative_key(answer)


async def _key(app: App[Any], partner: str) -> tuple[Ed25519PrivateKey, keys.KeyInfo] | None:
    """The partner's private key, made and/or unlocked as needed; ``None`` if cancelled."""
    from dapreturn.tui.partner.screens.keys import NewKeyScreen, PassphraseScreen
    from dapreturn.tui.partner.screens.pickers import MessageScreen

    info = keys.find_key(partner)
    if info is None:
        passphrase = await app.push_screen_wait(NewKeyScreen(partner, keys.key_path(partner)))
        if passphrase is None:
            return None
        info = await asyncio.to_thread(keys.new_key, partner, passphrase=passphrase or None)
        line = keys.allowed_signers_line(partner, info.public_key)
        where = signers_file(info)
        await asyncio.to_thread(atomic_write_text, where, line + "\n")
        await app.push_screen_wait(
            MessageScreen(
                "Your signing key is ready",
                f"Your key's fingerprint is {info.fingerprint}.\n\n"
                "Send the line below to the steering group (for example by e-mail) so they can "
                "check that returns signed with this key really come from "
                f"{partner}. It is not secret.\n\nThe same line is saved in:\n{where}",
                detail=line,
            )
        )
    if await asyncio.to_thread(keys.key_needs_passphrase, info.private_path):
        key = await app.push_screen_wait(PassphraseScreen(info))
        if key is None:
            return None
    else:
        key = await asyncio.to_thread(keys.load_private_key, info.private_path, None)
    return key, info


async def sign_return(app: App[Any], session: ReturnSession) -> SignOutcome | JumpTarget | None:
    """Run every signing step; the outcome, somewhere to edit, or ``None`` if not signed."""
    from dapreturn.core.submit import submit_return
    from dapreturn.tui.partner.screens.pickers import MessageScreen

    checked = await _safeguarding(app, session)
    if checked is False:
        return None
    if checked is not True:
        return checked
    try:
        found = await _key(app, session.partner)
        if found is None:
            return None
        key, _info = found
        ret = session.ret.model_copy(deep=True)
        result = await asyncio.to_thread(
            partial(
                submit_return,
                ret,
                session.plan,
                key,
                session.target.out_dir,
                previous=session.previous,
                personal_data_confirmed=True,
                today=session.today,
            )
        )
    except DapreturnError as exc:
        await app.push_screen_wait(
            MessageScreen("Not signed", f"The return was not signed:\n{exc}")
        )
        return None
    await app.push_screen_wait(
        MessageScreen(
            "Return signed and saved",
            f"Revision {result.revision} of your {session.period} return is signed with key "
            f"{result.fingerprint} and saved as:\n{result.path.absolute()}\n\n"
            "Send this file to the steering group. It was read back and checked after saving.",
            detail=str(result.path.absolute()),
        )
    )
    return SignOutcome(result.path, result.fingerprint, result.revision)
