"""Confirm trusting a key: shows the fingerprint and claimed partner, needs the code typed.

Nothing is trusted by a stray Enter: the keyboard starts in the confirmation box, the confirm
button stays disabled until the partner code has been typed, and Escape (or Cancel) answers
``False``. The dialog only answers; the caller appends the line.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dapreturn.core.collection.load import FileRecord
from dapreturn.core.errors import TrustListError
from dapreturn.core.review.snapshot import Snapshot, shown_path
from dapreturn.core.review.trusting import signer_line, stamped, unknown_signers


class TrustDialog(ModalScreen[bool]):
    """``True`` only when the officer typed the partner code and confirmed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel: trust nothing")]

    def __init__(
        self,
        *,
        partner: str,
        partner_name: str,
        fingerprint: str,
        line: str,
        files: list[str],
        trust_file: Path,
        exists: bool,
    ) -> None:
        """Describe the key (``line`` is the allowed_signers line to be added)."""
        super().__init__()
        self.partner = partner
        """The partner the key claims to belong to."""
        self._name = partner_name
        self._fingerprint = fingerprint
        self._line = line
        self._files = files
        self._trust_file = trust_file
        self._exists = exists

    @classmethod
    def for_record(cls, snapshot: Snapshot, record: FileRecord, now: datetime) -> TrustDialog:
        """The dialog for the key that signed ``record`` (the file is read again, read only).

        The line offered is stamped as added at ``now``.

        Raises :class:`~dapreturn.core.errors.DapreturnError` when the key cannot be offered:
        the trust list is unreadable, or the file is no longer an intact unknown-key signature.
        """
        if snapshot.trust.error:
            raise TrustListError(snapshot.trust.error)
        line = stamped(signer_line(record), now)
        partner, fingerprint = record.partner or "?", record.fingerprint or "?"
        files = [record.rel]
        for signer in unknown_signers(snapshot.collection):
            if signer.fingerprint == fingerprint and signer.partner == partner:
                files = [f.rel for f in signer.files]
        plan = snapshot.plan(record.plan) if record.plan else None
        name = plan.partner_name(partner) if plan else partner
        if plan is not None and plan.partner(partner) is None:
            name = f"(not a partner of {plan.id})"
        return cls(
            partner=partner,
            partner_name=name,
            fingerprint=fingerprint,
            line=line,
            files=files,
            trust_file=snapshot.trust.path,
            exists=snapshot.trust.exists,
        )

    @property
    def line(self) -> str:
        """The allowed_signers line that confirming adds."""
        return self._line

    @property
    def trust_file(self) -> Path:
        """Where the line goes."""
        return self._trust_file

    @property
    def fingerprint(self) -> str:
        """The key's fingerprint."""
        return self._fingerprint

    def compose(self) -> ComposeResult:
        """Key, claim, where the line goes, the confirmation box, buttons."""
        p = self.partner
        with Vertical(classes="dialog wide", id="trust-dialog"):
            yield Label("Trust a new key?", classes="dialog-title")
            with VerticalScroll(id="trust-dialog-body"):
                text = Text()
                text.append("Fingerprint:     ", style="bold")
                text.append(self._fingerprint)
                text.append("\nClaimed partner: ", style="bold")
                text.append(f"{p} — {self._name}")
                text.append("\nSigned files:    ", style="bold")
                text.append(", ".join(self._files))
                text.append(
                    f"\n\nCheck this fingerprint with {p} by phone or in person before "
                    "trusting it. Once trusted, every return signed with this key counts as "
                    f"{p}'s."
                )
                where = shown_path(self._trust_file)
                if self._exists:
                    text.append(f"\n\nThis line will be added to {where}:")
                else:
                    text.append(
                        f"\n\nThere is no trust list yet: {where} will be created with this line:",
                        style="bold",
                    )
                yield Static(text, id="trust-dialog-text")
                yield Static(self._line, id="trust-line", classes="code")
            yield Label(f"Type {p} to confirm:", id="trust-prompt")
            yield Input(placeholder=p, id="trust-code")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button(f"Trust key for {p}", id="confirm", variant="warning", disabled=True)

    def on_mount(self) -> None:
        """Start in the confirmation box (so Enter alone does nothing)."""
        self.query_one("#trust-code", Input).focus()

    def _typed(self) -> bool:
        return self.query_one("#trust-code", Input).value.strip().upper() == self.partner

    @on(Input.Changed, "#trust-code")
    def _changed(self) -> None:
        self.query_one("#confirm", Button).disabled = not self._typed()

    @on(Input.Submitted, "#trust-code")
    def _submitted(self) -> None:
        if self._typed():
            self.dismiss(True)
        else:
            self.notify(f"Type {self.partner} exactly to trust this key, or press Esc.")

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        if self._typed():
            self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Trust nothing."""
        self.dismiss(False)
