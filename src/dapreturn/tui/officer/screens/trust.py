"""The trust view: which trust list is used, and every key: trusted ones and ones waiting.

Keys waiting to be trusted (an intact signature the trust list does not vouch for) come first,
marked ``? not trusted``; then every line of the trust list, marked ``✓ trusted``, with when it
was added (where the line carries this app's ``added`` stamp) and the files it signed. Enter
(or ``t``) on a waiting key asks to trust it; the main screen then shows the confirmation
dialog.
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

from dapreturn.core.collection.load import FileRecord
from dapreturn.core.review.snapshot import Snapshot, shown_path
from dapreturn.core.review.trusting import TrustRow, trust_rows

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
        text.append("\n✗ cannot be read: ", style="bold")
        text.append(info.error)
        text.append("\nNothing verifies and no key can be added until it is fixed.")
    elif not info.exists:
        text.append("\n? does not exist yet: trusting a key creates it here.", style="bold")
    else:
        text.append(f"\n✓ {info.keys} key line{'' if info.keys == 1 else 's'}")
    return text


class TrustView(Vertical):
    """The trust list in use and every key: waiting to be trusted first, then trusted."""

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

    rows: list[TrustRow] = []  # noqa: RUF012 - replaced, never mutated
    """The keys listed, in table order."""

    def compose(self) -> ComposeResult:
        """Trust list, table of keys, advice."""
        with VerticalScroll(id="trust-top"):
            yield Static("", id="trust-head")
        yield DataTable(id="trust-table", cursor_type="row")
        yield Static(ADVICE, id="trust-advice")

    def focus_main(self) -> None:
        """Keyboard in the table."""
        self.query_one("#trust-table", DataTable).focus()

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """New data: list every key."""
        table = self.query_one("#trust-table", DataTable)
        table.clear(columns=True)
        # When added and how many files come before the long fingerprint, so they show at 80
        # columns; the fingerprint is whole in the trust dialog (and scrolls into view here).
        table.add_columns("State", "Partner", "Added", "Files", "Key fingerprint", "Periods")
        head = self.query_one("#trust-head", Static)
        if snapshot is None:
            self.rows = []
            head.update("Reading the folder…")
            return
        self.rows = trust_rows(snapshot)
        for i, r in enumerate(self.rows):
            cells = (r.state, r.partners, r.added, str(len(r.files)), r.fingerprint, r.periods)
            style = "" if r.trusted else "bold"
            table.add_row(*(Text(c, style=style) for c in cells), key=str(i))
        text = trust_head(snapshot)
        n = sum(1 for r in self.rows if not r.trusted)
        text.append(
            f"\n{n} key{'' if n == 1 else 's'} not trusted"
            + (" — pick one and press Enter or t." if n else ".")
        )
        head.update(text)

    @on(DataTable.RowSelected, "#trust-table")
    def _selected(self) -> None:
        self.action_trust()

    def action_trust(self) -> None:
        """Ask to trust the highlighted key (a trusted one is said to be trusted already)."""
        table = self.query_one("#trust-table", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            self.notify("No key is waiting to be trusted.")
            return
        row = self.rows[table.cursor_row]
        if row.trusted:
            self.notify(
                f"Already trusted: {row.partners} {row.fingerprint} ({row.where}).", markup=False
            )
            return
        self.post_message(self.TrustRequested(row.files[0]))
