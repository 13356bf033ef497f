"""The trust view: which trust list is used, and the keys waiting to be trusted.

A key is listed when it made an intact signature but the trust list does not vouch for it.
Enter (or ``t``) asks to trust it; the main screen then shows the confirmation dialog.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from dapreturn.core.collection import FileRecord
from dapreturn.tui.officer.snapshot import Snapshot, shown_path
from dapreturn.tui.officer.trusting import UnknownSigner, unknown_signers

ADVICE = (
    "Only trust a key after checking its fingerprint with the partner by another route "
    "(phone, in person): anyone can make a key and claim to be a partner. Trusting adds one "
    "line to the trust list; the return files are never changed."
)
"""Shown under the list."""


def trust_head(snapshot: Snapshot) -> Text:
    """Where the trust list is, whether it could be read, how many keys it holds."""
    info = snapshot.trust
    text = Text()
    text.append("Trust list: ", style="bold")
    text.append(shown_path(info.path))
    if info.error:
        text.append(f"\n✗ cannot be read: {info.error}", style="bold")
        text.append("\nNothing verifies and no key can be added until it is fixed.")
    elif not info.exists:
        text.append("\n? does not exist yet: trusting a key creates it here.", style="bold")
    else:
        text.append(f"\n✓ {info.keys} key line{'' if info.keys == 1 else 's'}")
    return text


class TrustView(Vertical):
    """The trust list in use and the unknown keys, one row per key and claimed partner."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("t", "trust", "Trust key")]

    snapshot: reactive[Snapshot | None] = reactive(None)
    """The loaded folder."""

    class TrustRequested(Message):
        """The officer wants to trust the key that signed a file."""

        def __init__(self, record: FileRecord) -> None:
            """Name a file signed by the key."""
            super().__init__()
            self.record = record
            """A file signed by the key."""

    signers: list[UnknownSigner] = []  # noqa: RUF012 - replaced, never mutated
    """The keys listed."""

    def compose(self) -> ComposeResult:
        """Trust list, table of unknown keys, advice."""
        with VerticalScroll(id="trust-top"):
            yield Static("", id="trust-head")
        yield DataTable(id="trust-table", cursor_type="row")
        yield Static(ADVICE, id="trust-advice")

    def focus_main(self) -> None:
        """Keyboard in the table."""
        self.query_one("#trust-table", DataTable).focus()

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """New data: list the unknown keys."""
        table = self.query_one("#trust-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Claims to be", "Key fingerprint", "Files", "Periods")
        head = self.query_one("#trust-head", Static)
        if snapshot is None:
            self.signers = []
            head.update("Reading the folder…")
            return
        self.signers = unknown_signers(snapshot.collection)
        for i, s in enumerate(self.signers):
            cells = (s.partner, s.fingerprint, str(len(s.files)), s.periods)
            table.add_row(*(Text(c) for c in cells), key=str(i))
        text = trust_head(snapshot)
        n = len(self.signers)
        text.append(
            f"\n{n} key{'' if n == 1 else 's'} not trusted"
            + (" — pick one and press Enter or t." if n else ".")
        )
        head.update(text)

    @on(DataTable.RowSelected, "#trust-table")
    def _selected(self) -> None:
        self.action_trust()

    def action_trust(self) -> None:
        """Ask to trust the highlighted key."""
        table = self.query_one("#trust-table", DataTable)
        if not self.signers or table.cursor_row >= len(self.signers):
            self.notify("No key is waiting to be trusted.")
            return
        self.post_message(self.TrustRequested(self.signers[table.cursor_row].files[0]))
