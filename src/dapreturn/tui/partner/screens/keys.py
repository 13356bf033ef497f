"""Signing-key dialogs: make the key on first signing, and ask for its passphrase.

The words assume no knowledge of keys: what the key is for, where it stays, that the
passphrase is optional and cannot be recovered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dapreturn.core.errors import DapreturnError
from dapreturn.core.signing import keys


class NewKeyScreen(ModalScreen[bytes | None]):
    """Explain the signing key and take an optional passphrase (typed twice).

    Returns the passphrase (``b""`` for none) or ``None`` if the lead cancels.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, partner: str, where: Path) -> None:
        """Make a key for ``partner``, to be stored at ``where``."""
        super().__init__()
        self._partner = partner
        self._where = where

    def compose(self) -> ComposeResult:
        """Explanation, two passphrase boxes, buttons."""
        with Vertical(classes="dialog wide tall"):
            yield Label("First signing: make your signing key", classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(
                    "Signing proves to the steering group that this return comes from "
                    f"{self._partner} and was not changed on the way. dapreturn now makes your "
                    f"signing key, once. It stays on this computer, in:\n{self._where}\n"
                    "Never send that file to anyone.\n\n"
                    "A passphrase protects the key (advised on a shared computer); nobody can "
                    "recover a forgotten one. For no passphrase, leave both boxes empty.",
                    classes="dialog-body",
                )
                with Horizontal(classes="inline-field"):
                    yield Label("Passphrase (optional)")
                    yield Input(password=True, id="pass1")
                with Horizontal(classes="inline-field"):
                    yield Label("Type it again")
                    yield Input(password=True, id="pass2")
                yield Static(id="pass-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Make my key", id="make", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Start in the first box."""
        self.query_one("#pass-error", Static).display = False
        self.query_one("#pass1", Input).focus()

    @on(Input.Submitted, "#pass1")
    def _next_box(self) -> None:
        self.query_one("#pass2", Input).focus()

    @on(Input.Submitted, "#pass2")
    @on(Button.Pressed, "#make")
    def _make(self) -> None:
        first = self.query_one("#pass1", Input).value
        second = self.query_one("#pass2", Input).value
        error = self.query_one("#pass-error", Static)
        if first != second:
            error.update("✗ The two passphrases are different. Type them again.")
            error.display = True
            self.query_one("#pass1", Input).value = ""
            self.query_one("#pass2", Input).value = ""
            self.query_one("#pass1", Input).focus()
            return
        self.dismiss(first.encode("utf-8"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Do not make a key now (nothing is signed)."""
        self.dismiss(None)


class PassphraseScreen(ModalScreen[Ed25519PrivateKey | None]):
    """Ask for the key's passphrase until it unlocks the key; return the key or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, info: keys.KeyInfo, unlock: Callable[[bytes], Ed25519PrivateKey]) -> None:
        """Unlock the key described by ``info`` with ``unlock`` (the signing flow's step)."""
        super().__init__()
        self._info = info
        self._try_unlock = unlock

    def compose(self) -> ComposeResult:
        """One password box."""
        with Vertical(classes="dialog"):
            yield Label("Passphrase for your signing key", classes="dialog-title")
            yield Static(
                f"Type the passphrase you chose for the {self._info.partner} signing key "
                f"(fingerprint {self._info.fingerprint}).",
                classes="dialog-body",
            )
            yield Input(password=True, id="passphrase")
            yield Static(id="pass-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Unlock and sign", id="unlock", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Focus the box."""
        self.query_one("#pass-error", Static).display = False
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#unlock")
    def _try(self) -> None:
        self._unlock(self.query_one("#passphrase", Input).value)

    @work(exclusive=True, group="unlock")
    async def _unlock(self, passphrase: str) -> None:
        """Try the passphrase in a thread (unlocking takes a moment on purpose)."""
        error = self.query_one("#pass-error", Static)
        error.update("Unlocking…")
        error.display = True
        try:
            key = await asyncio.to_thread(self._try_unlock, passphrase.encode("utf-8"))
        except keys.PassphraseRequired:
            error.update("✗ Type the passphrase first.")
        except keys.WrongPassphrase:
            error.update("✗ That passphrase is not right. Try again.")
            self.query_one("#passphrase", Input).value = ""
        except DapreturnError as exc:
            error.update(f"✗ {exc}")
        else:
            self.dismiss(key)
            return
        self.query_one("#passphrase", Input).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Do not sign now."""
        self.dismiss(None)
